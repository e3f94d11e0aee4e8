"""Organisers' logos: what an upload must be (a real PNG, or an SVG that draws only itself) and how it prints."""
import base64
import hashlib
import io
import re

from flask_babel import gettext as _

from consult.errors import DomainError

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_PIXELS = 4000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# An SVG logo may draw shapes and text; it may not run script, load anything or define entities.
SVG_REFUSED = re.compile(rb"<!doctype|<!entity|<script|<foreignobject|\son[a-z]+\s*=|javascript:|url\((?!#)|"
                         rb"href\s*=\s*[\"'](?!#)|<image|<use|<iframe|<object|<embed|<\?xml-stylesheet", re.I)


def checked_logo(data: bytes, filename: str) -> tuple[str, bytes]:
    """The MIME type and bytes of a valid logo, or a DomainError on the file field saying what is wrong."""
    if not data:
        raise DomainError(_("Choose a PNG or SVG file."), field="logo")
    if len(data) > MAX_LOGO_BYTES:
        raise DomainError(_("The logo is larger than %(size)d KB.", size=MAX_LOGO_BYTES // 1024), field="logo")
    if data.startswith(PNG_SIGNATURE):
        return "image/png", _checked_png(data)
    head = data[:2048].lstrip().lower()
    if filename.lower().endswith(".svg") or head.startswith(b"<svg") or head.startswith(b"<?xml"):
        return "image/svg+xml", _checked_svg(data)
    raise DomainError(_("Only PNG and SVG logos can be printed."), field="logo")


def _checked_png(data: bytes) -> bytes:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Exception as error:  # Pillow raises many types for a broken file
        raise DomainError(_("The PNG file is damaged and cannot be read."), field="logo") from error
    if width > MAX_LOGO_PIXELS or height > MAX_LOGO_PIXELS:
        raise DomainError(_("The logo is larger than %(pixels)d pixels on a side.", pixels=MAX_LOGO_PIXELS), field="logo")
    return data


def _checked_svg(data: bytes) -> bytes:
    import xml.etree.ElementTree as ElementTree  # nosec B405 (DOCTYPE and entities refused first)

    if SVG_REFUSED.search(data):
        raise DomainError(_("The SVG logo loads other files, runs script or defines entities; export it as plain SVG."),
                          field="logo")
    try:
        root = ElementTree.fromstring(data)  # noqa: S314  # nosec B314 (no DOCTYPE or entity can reach here)
    except ElementTree.ParseError as error:
        raise DomainError(_("The SVG file is not well-formed XML."), field="logo") from error
    if not root.tag.endswith("svg"):
        raise DomainError(_("The file is not an SVG image."), field="logo")
    return data


def logo_digest(data: bytes) -> str:
    """The SHA-256 of a logo's bytes."""
    return hashlib.sha256(data).hexdigest()


def logo_data_url(mime_type: str, data: bytes) -> str:
    """The logo as a data URL the PDF renderer's fetcher accepts."""
    return f"data:{mime_type};base64,{base64.b64encode(data).decode('ascii')}"
