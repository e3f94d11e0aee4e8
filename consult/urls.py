"""URL helpers."""
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` limited to the ids a database integer column can hold: a larger number is a 404, not an overflow."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def safe_next_url(target: str | None, fallback: str) -> str:
    """target if it is a path on this site, else fallback: no open redirect through ?next=."""
    if not target:
        return fallback
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    if any(ord(char) < 32 for char in target):
        return fallback
    return target


def absolute_url(endpoint: str, **values) -> str:
    """An absolute URL of a page for an e-mail: on PUBLIC_BASE_URL when it is set, else the request's host.

    PUBLIC_BASE_URL wins inside a request too: a link in an e-mail must not follow a Host header that a client
    chose (a password-reset link pointing at another site), and every e-mail names the site the same way whichever
    host or worker sent it. Without it (development), the request's host, or http://localhost outside a request.
    """
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=base or "http://localhost"):
        return url_for(endpoint, _external=True, **values)
