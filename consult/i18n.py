"""The six UN languages: which one a request is served in, and how each is written (direction, own name).

The order of choice: a `?lang=` in the address (a link that says so), then the language saved on the signed-in
person's account, then the choice this browser made with the switcher (a cookie), then the browser's
Accept-Language, then the consultation's default. A link therefore opens in the sender's language only when it
carries `?lang=`, and only for that page for a signed-in person: their account's language comes back on the next
page, whatever a shared link or a shared computer's cookie said. The account's language changes when its owner
picks one in the switcher (a POST, see consult/accounts/language.py) or on the profile page.
"""
from dataclasses import dataclass
from urllib.parse import urlencode

from babel.lists import format_list
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from markupsafe import Markup, escape
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect
from wtforms.fields.choices import SelectChoice

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
    chosen = (requested_language() or _valid(saved) or _valid(request.cookies.get(COOKIE))
              or request.accept_languages.best_match(supported_codes())
              or current_app.config["BABEL_DEFAULT_LOCALE"])
    return chosen


def is_offered(code: str | None) -> bool:
    """Whether the site offers the language with this code."""
    return _valid(code) is not None


def language_choices() -> list[SelectChoice]:
    """Every language the site offers by its name in itself, for a select box; each option marked as that language,
    so that a screen reader says "Français" as French."""
    return [SelectChoice(code, LANGUAGES[code].own_name, render_kw={"lang": code}) for code in supported_codes()]


def current_language() -> Language:
    """The Language of this request."""
    return LANGUAGES.get(str(get_locale()), LANGUAGES["en"])


def remember_requested_language(response):
    """A `?lang=` choice is kept in a cookie, so that the next pages keep the language."""
    code = requested_language() if has_request_context() else None
    if code and request.cookies.get(COOKIE) != code:
        set_language_cookie(response, code)
    return response


def set_language_cookie(response, code: str) -> None:
    """Remember the language on this browser (a year, not readable by scripts)."""
    response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))


def _get_answer(adapter, path: str) -> str:
    """"page" when path answers GET, "post_only" when it answers other methods only, "unknown" when nothing is there."""
    try:
        adapter.match(path, method="GET")
    except MethodNotAllowed:
        return "post_only"
    except RequestRedirect:
        return "page"  # the same page with or without its trailing slash
    except NotFound:
        return "unknown"
    return "page"


def readable_address(path: str) -> str:
    """path unless it answers POST only, else the nearest address above it that answers GET: a page rendered for
    a POST-only address (a refused comment at /agenda/s/2/comments) comes back to the resource it belongs to
    (/agenda/s/2), never to a 405. An unknown address stays as it is (its 404, in the language chosen)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    candidate = path or "/"
    if _get_answer(adapter, candidate) != "post_only":
        return candidate
    while candidate != "/":
        candidate = candidate.rstrip("/").rsplit("/", 1)[0] or "/"
        if _get_answer(adapter, candidate) == "page":
            return candidate
    return "/"


def _page_address() -> tuple[str, dict[str, list[str]]]:
    """The address the switcher comes back to and its arguments: this page's, or the page above it that a browser can
    open when this one answers POST only (then without arguments, which were the POST's)."""
    path = readable_address(request.path)
    arguments = request.args.to_dict(flat=False) if path == request.path else {}
    return path, {key: values for key, values in arguments.items() if key != "lang"}


def page_without_language() -> str:
    """This page's address and arguments without `?lang=`: where the switcher's form comes back to."""
    path, arguments = _page_address()
    query = urlencode(arguments, doseq=True)
    return f"{path}?{query}" if query else path


def switch_url(code: str) -> str:
    """This page's address in another language (the switcher's links keep the page and its arguments)."""
    path, arguments = _page_address()
    arguments["lang"] = [code]
    return f"{path}?{urlencode(arguments, doseq=True)}"


def left_to_right(text) -> Markup:
    """A code or number (P-0031, C7-EHEALTH) isolated and set left to right, so that right-to-left text around it
    neither reorders it nor pulls its punctuation to the wrong side."""
    return Markup('<bdi dir="ltr">%s</bdi>') % text


def isolated(text, language: str | None = None) -> Markup:
    """People's words (a title, a name) isolated in their own direction inside the sentence around them; marked as
    the language they are written in when it is known (a proposal's language)."""
    if text in (None, ""):
        return Markup("")
    return Markup("<bdi%s>%s</bdi>") % (_language_attribute(language), text)


def _language_attribute(language: str | None) -> Markup:
    return Markup(' lang="%s"') % language if language in LANGUAGES else Markup("")


def as_written(language: str | None = None) -> Markup:
    """The attributes of an element that holds text a person wrote (`<p{{ as_written(proposal.language) }}>`): its
    direction taken from the text itself, not the page's, so Arabic in an English page and English in an Arabic
    page keep their punctuation where their writer put it; and its language when it is known."""
    return Markup(' dir="auto"') + _language_attribute(language)


def joined(parts, style: str = "standard"):
    """Parts of a phrase joined the way the reader's language lists things ("A, B and C", "A وB وC", "A、B和C").

    style "or" lists alternatives ("A, B or C"). Markup in the parts is kept and plain text escaped, so the result
    is Markup whenever a part is; plain text in, plain text out (for messages and files).
    """
    items = [part for part in parts if part not in (None, "")]
    if not items:
        return ""
    locale = get_locale() or "en"
    # English as the UN writes it: "A, B and C", without the American comma before "and".
    locale = "en_GB" if str(locale) == "en" else locale
    # The language's pattern around placeholders, then the parts put in: escaped when Markup is about.
    pattern = format_list([f"%(p{index})s" for index in range(len(items))], style=style, locale=locale)
    values = {f"p{index}": item for index, item in enumerate(items)}
    if any(isinstance(item, Markup) for item in items):
        return escape(pattern) % values
    return pattern % values


def register_i18n(app: Flask) -> None:
    """Template helpers and the cookie hook."""
    app.after_request(remember_requested_language)
    app.jinja_env.filters.update(ltr=left_to_right, isolated=isolated, joined=joined)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, as_written=as_written, current_language=current_language,
                                 switch_url=switch_url,
                                 page_without_language=page_without_language,
                                 supported_languages=lambda: [LANGUAGES[code] for code in supported_codes()])
