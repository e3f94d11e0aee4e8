"""The only way the PDF renderer may load a resource: the package's own static files and charts we drew.

WeasyPrint calls the fetcher for every stylesheet, font, image and SVG reference of a document. Anything
that is not `consult-static:<path under consult/static>` or a `data:` URL of an SVG or PNG image is refused
and logged, so a submission can never make the renderer read a local file or reach the network.
"""
import base64
import logging
import urllib.parse
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

from consult.paths import PACKAGE_DIR

logger = logging.getLogger("consult.reports.fetcher")

STATIC_SCHEME = "consult-static:"
STATIC_DIR = PACKAGE_DIR / "static"
ALLOWED_DATA_TYPES = {"image/svg+xml", "image/png"}
MIME_BY_SUFFIX = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2",
                  ".ttf": "font/ttf", ".otf": "font/otf"}


class RefusedResourceError(ValueError):
    """The renderer asked for a resource outside the package's static files."""


def static_url(path: str) -> str:
    """The URL a report template uses for a file under consult/static."""
    return STATIC_SCHEME + path.lstrip("/")


class PackageURLFetcher(URLFetcher):
    """Serves consult/static files and generated image data; refuses and logs everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=set(), fail_on_errors=False)
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        try:
            if url.startswith(STATIC_SCHEME):
                return self._static(url)
            if url.lower().startswith("data:"):
                return self._data(url)
            raise RefusedResourceError(f"refused resource {url[:120]!r}: only packaged static files are served")
        except RefusedResourceError as error:
            self.refused.append(url)
            logger.warning("PDF renderer refused a resource: %s", error)
            raise

    def _static(self, url: str) -> URLFetcherResponse:
        relative = urllib.parse.unquote(url[len(STATIC_SCHEME):].split("?", 1)[0].split("#", 1)[0]).lstrip("/")
        path = (STATIC_DIR / relative).resolve()
        if not path.is_relative_to(STATIC_DIR) or not path.is_file():
            raise RefusedResourceError(f"refused resource {url[:120]!r}: not a packaged static file")
        mime = MIME_BY_SUFFIX.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": mime})

    def _data(self, url: str) -> URLFetcherResponse:
        header, _, payload = url[5:].partition(",")
        parts = header.split(";")
        mime = parts[0].strip().lower()
        if mime not in ALLOWED_DATA_TYPES or "base64" not in parts[1:]:
            raise RefusedResourceError(f"refused data URL of type {mime!r}: only generated SVG and PNG images")
        try:
            body = base64.b64decode(payload, validate=True)
        except ValueError as error:
            raise RefusedResourceError("refused a malformed data URL") from error
        if mime == "image/svg+xml" and _svg_references_outside(body):
            raise RefusedResourceError("refused an SVG image that references another resource")
        return URLFetcherResponse(url, body, {"Content-Type": mime})


def _svg_references_outside(body: bytes) -> bool:
    """Whether an SVG links to anything but its own fragments (our charts never do)."""
    lowered = body.lower()
    for marker in (b"href=\"", b"href='"):
        start = 0
        while (index := lowered.find(marker, start)) != -1:
            target = lowered[index + len(marker): index + len(marker) + 1]
            if target != b"#":
                return True
            start = index + 1
    return b"url(" in lowered.replace(b"url(#", b"")
