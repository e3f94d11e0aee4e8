"""The six UN languages: which one a request is served in, and how each is written (direction, own name).

The order of choice: a `?lang=` in the address (a link that says so), then the choice this browser made with the
switcher (a cookie), then the language saved on the signed-in person's account, then the browser's
Accept-Language, then the consultation's default. A link therefore opens in the sender's language only when it
carries `?lang=`.
"""
from dataclasses import dataclass

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from markupsafe import Markup

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Language:
    """A language of the interface: its code, its name in itself, and its writing direction."""

    code: str
    own_name: str
    direction: str = "ltr"


LANGUAGES = {
    language.code: language
    for language in (
        Language("ar", "العربية", "rtl"),
        Language("zh", "中文"),
        Language("en", "English"),
        Language("fr", "Français"),
        Language("ru", "Русский"),
        Language("es", "Español"),
    )
}


def supported_codes() -> list[str]:
    """The languages this site offers, as configured (SUPPORTED_LOCALES), in the UN's order."""
    configured = current_app.config["SUPPORTED_LOCALES"]
    return [code for code in LANGUAGES if code in configured]


def _valid(code: str | None) -> str | None:
    return code if code in supported_codes() else None


def requested_language() -> str | None:
    """The language named in the address (`?lang=fr`), if the site offers it."""
    return _valid(request.args.get("lang"))


def select_locale() -> str:
    """The language of this request (see the module's docstring for the order)."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    from flask_login import current_user

    saved = getattr(current_user, "locale", None) if current_user and current_user.is_authenticated else None
    chosen = (requested_language() or _valid(request.cookies.get(COOKIE)) or _valid(saved)
              or request.accept_languages.best_match(supported_codes())
              or current_app.config["BABEL_DEFAULT_LOCALE"])
    return chosen


def current_language() -> Language:
    """The Language of this request."""
    return LANGUAGES.get(str(get_locale()), LANGUAGES["en"])


def remember_requested_language(response):
    """A `?lang=` choice is kept in a cookie, so that the next pages keep the language."""
    code = requested_language() if has_request_context() else None
    if code and request.cookies.get(COOKIE) != code:
        response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def switch_url(code: str) -> str:
    """This page's address in another language (the switcher's links keep the page and its arguments)."""
    arguments = request.args.to_dict(flat=False)
    arguments["lang"] = [code]
    from urllib.parse import urlencode

    return f"{request.path}?{urlencode(arguments, doseq=True)}"


def left_to_right(text) -> Markup:
    """A code or number (P-0031, C7-EHEALTH) isolated and set left to right, so that right-to-left text around it
    neither reorders it nor pulls its punctuation to the wrong side."""
    return Markup('<bdi dir="ltr">%s</bdi>') % text


def isolated(text) -> Markup:
    """People's words (a title, a name) isolated in their own direction inside the sentence around them."""
    return Markup("<bdi>%s</bdi>") % text


def register_i18n(app: Flask) -> None:
    """Template helpers and the cookie hook."""
    app.after_request(remember_requested_language)
    app.jinja_env.filters.update(ltr=left_to_right, isolated=isolated)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=current_language, switch_url=switch_url,
                                 supported_languages=lambda: [LANGUAGES[code] for code in supported_codes()])
