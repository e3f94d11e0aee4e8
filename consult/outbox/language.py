"""The language an e-mail is written in: composed inside `composing_in(code)`, queued with that code."""
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from flask_babel import force_locale, get_locale


def site_language() -> str:
    """The language for a recipient who chose none: the site's default (BABEL_DEFAULT_LOCALE)."""
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@contextmanager
def composing_in(code: str | None) -> Iterator[str]:
    """Translate, and write dates and numbers, in the language `code` (the site's default when None) for the block.

    Messages, dates (consult/consultations/times.py reads the locale) and numbers composed inside the block are in
    that language; the page being served keeps its own language around it.
    """
    code = code or site_language()
    with force_locale(code):
        yield code


def language_now() -> str:
    """The code of the language being written in now (what queue_email records on a message)."""
    return str(get_locale() or site_language())
