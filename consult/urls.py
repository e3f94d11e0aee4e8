"""URL helpers."""
from urllib.parse import urlsplit

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
