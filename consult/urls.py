"""URL helpers."""
from urllib.parse import urlsplit


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
