"""The DRAFT watermark as vector outlines (an SVG of paths, not text), so copying text out of a draft's pages
gives the page's words without stray letters of the watermark.

The word is shaped by HarfBuzz in a face of its language's script (Arabic letters join and run right to left,
Chinese has its ideographs), and each shaped glyph's outline becomes a path; the face is found among the
machine's fonts by matplotlib's font manager.
"""
import base64
import math
from functools import lru_cache

# The family of a face with the script's glyphs (its bold is used); DejaVu Sans covers Latin and Cyrillic.
FACES = {"ar": "Noto Naskh Arabic", "zh": "Noto Sans CJK SC"}
DEFAULT_FACE = "DejaVu Sans"
ANGLE = 35
# The overlay's image box (width, height): the rotated word is centred in a box of this shape.
BOX = (7.6, 5.2)


@lru_cache(maxsize=8)
def face_file(family: str) -> tuple[str, int]:
    """The bold face of family on this machine: its file and, in a collection (.ttc), its index."""
    from matplotlib import font_manager

    found = font_manager.findfont(font_manager.FontProperties(family=family, weight="bold"))
    # matplotlib 3.10+ finds faces inside collections and says which one; older ones name only the file.
    return str(found), int(getattr(found, "face_index", 0) or 0)


def _outline(word: str, pattern: str) -> tuple[str, float, float, float]:
    """The shaped word as one SVG path in font units (y up): path data, advance width, ascender, descender."""
    import uharfbuzz as hb
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen

    path, index = face_file(pattern)
    font = hb.Font(hb.Face(hb.Blob.from_file_path(path), index))
    buffer = hb.Buffer()
    buffer.add_str(word)
    buffer.guess_segment_properties()
    hb.shape(font, buffer)
    pen = SVGPathPen(None)
    x = 0
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        font.draw_glyph_with_pen(info.codepoint, TransformPen(pen, (1, 0, 0, 1, x + position.x_offset,
                                                                    position.y_offset)))
        x += position.x_advance
    extents = font.get_font_extents("ltr")
    return pen.getCommands(), x, extents.ascender, extents.descender


@lru_cache(maxsize=16)
def watermark_data_url(word: str, language: str = "en") -> str:
    """The word drawn diagonally in light grey outlines, as an SVG data URL for the page overlay."""
    commands, width, ascender, descender = _outline(word, FACES.get(language, DEFAULT_FACE))
    height = ascender - descender
    angle = math.radians(ANGLE)
    # The rotated word's bounding box, widened to the overlay box's shape so that the image keeps its size.
    span_x = width * math.cos(angle) + height * math.sin(angle)
    span_y = width * math.sin(angle) + height * math.cos(angle)
    scale = max(span_x / BOX[0], span_y / BOX[1]) * 1.05
    view_w, view_h = BOX[0] * scale, BOX[1] * scale
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-view_w / 2:.0f} {-view_h / 2:.0f} {view_w:.0f} '
           f'{view_h:.0f}"><g transform="rotate(-{ANGLE}) scale(1,-1) translate({-width / 2:.0f},'
           f'{-(ascender + descender) / 2:.0f})" fill="#000000" fill-opacity="0.09"><path d="{commands}"/></g></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
