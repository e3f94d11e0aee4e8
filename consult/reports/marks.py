"""What every page repeats (running title, header logo, DRAFT watermark, "Page X of Y"): laid out once, stamped.

Nothing in the page margins changes how a part breaks into pages, so parts are laid out without it. One small
"marks" document holds a sheet of what every page repeats (title and logo), a sheet with the watermark, and one
small page per piece of the page label (the digits 0-9 and the words around the numbers). Joining draws them
onto each page as shared form XObjects marked as pagination artifacts, so numbering 600 pages costs no layout,
a part whose page count changed never re-lays out the parts after it, and a change of status or title lays out
only this document. (An overlay document of one laid-out page per page cost as much as half the parts.)
"""
import re
from dataclasses import dataclass

from markupsafe import escape

# The numerals' page: one line of the footer font; the piece is drawn centred in the 20 mm bottom margin.
PIECE_HEIGHT_PT = 12.0
FOOTER_CENTRE_PT = 10 * 72 / 25.4
PLACEHOLDER = re.compile(r"%\((page|pages)\)[sd]")
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur"}
# The margins' font stacks, the script's own face first (as report.css sets them for the page content).
FONTS = {"en": '"DejaVu Sans", "Noto Sans", "Noto Naskh Arabic", "Noto Sans CJK SC", sans-serif',
         "ar": '"Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", sans-serif',
         "zh": '"Noto Sans CJK SC", "DejaVu Sans", sans-serif'}


@dataclass(frozen=True)
class Marks:
    """What is stamped on the pages: the running title, the page label, a watermark word, a header logo."""

    running_title: str
    # The page label with %(page)d and %(pages)d, as translated for the document's language.
    page_label: str = "Page %(page)d of %(pages)d"
    numbered_from: int = 2
    watermark: str = ""
    logo_src: str = ""
    logo_alt: str = ""
    language: str = "en"

    @property
    def is_right_to_left(self) -> bool:
        """Whether the label's pieces run from right to left (the digits of a number never do)."""
        return self.language.split("-")[0].lower() in RIGHT_TO_LEFT


def label_words(marks: Marks) -> list[str]:
    """The label's literal pieces around its numbers, empty ones left out."""
    return [word for word in PLACEHOLDER.split(marks.page_label)[0::2] if word]


def pieces(marks: Marks) -> list[str]:
    """The small pages of the marks document after its sheets, in order: the digits, then the label's words."""
    return [str(digit) for digit in range(10)] + label_words(marks)


def sheet_count(marks: Marks) -> int:
    """How many full pages come before the pieces: the title sheet, then the watermark sheet of a draft."""
    return 2 if marks.watermark else 1


def marks_html(marks: Marks) -> str:
    """The marks document: the title and logo sheet, the watermark sheet of a draft, then one page per piece."""
    title = css_string(marks.running_title)
    logo = (f'<img class="l" alt="{escape(marks.logo_alt)}" src="{escape(marks.logo_src)}">'
            if marks.logo_src else "")
    sheets = f'<div class="s">{logo}</div>'
    if marks.watermark:
        from consult.reports.watermark import watermark_data_url

        sheets += (f'<div class="s bare"><img class="w" alt="" '
                   f'src="{watermark_data_url(marks.watermark, marks.language)}"></div>')
    numerals = "".join(f'<div class="n">{escape(piece)}</div>' for piece in pieces(marks))
    fonts = FONTS.get(marks.language.split("-")[0], FONTS["en"])
    # In a right-to-left document the running title starts at the right and the logo sits at the left.
    start, end, direction = ("right", "left", "rtl") if marks.is_right_to_left else ("left", "right", "ltr")
    return f"""<!doctype html><html lang="{escape(marks.language)}" dir="{direction}"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 22mm 18mm 20mm 18mm;
  @top-{start} {{ content: "{title}"; font: 8pt {fonts}; color: #555; vertical-align: bottom; padding-bottom: 3mm; }} }}
@page bare {{ @top-{start} {{ content: none; }} }}
@page piece {{ size: 80mm {PIECE_HEIGHT_PT}pt; margin: 0; @top-{start} {{ content: none; }} }}
body {{ margin: 0; }}
.s {{ break-after: page; height: 200mm; position: relative; }}
.bare {{ page: bare; }}
.w {{ position: absolute; top: 50mm; left: -8mm; width: 190mm; }}
.l {{ position: absolute; top: -15mm; {end}: 0; height: 9mm; max-width: 40mm; }}
.n {{ page: piece; break-before: page; font: 8pt/{PIECE_HEIGHT_PT}pt {fonts}; color: #333; white-space: pre;
      direction: ltr; }}
</style></head><body>{sheets}{numerals}</body></html>"""


def css_string(text: str) -> str:
    """Text inside a CSS string of a <style> element: quotes, backslashes, angle brackets and controls escaped."""
    # HTML entities are not decoded inside <style>, so HTML escaping would print "&amp;" for "&".
    return "".join(f"\\{ord(char):x} " if char in '\\"<>&' or ord(char) < 32 else char for char in text)


def text_widths(document) -> list[float]:
    """Per laid-out page, the width in points of the text on it (measured in the worker that laid it out)."""
    from weasyprint.formatting_structure.boxes import TextBox

    # WeasyPrint lays out in CSS pixels: 0.75 pt each.
    return [sum(box.width for box in page._page_box.descendants() if isinstance(box, TextBox)) * 0.75
            for page in document.pages]


def label_runs(marks: Marks, number: int, total: int) -> list[str]:
    """The pieces that print one page's label, left to right."""
    runs = []
    for index, chunk in enumerate(PLACEHOLDER.split(marks.page_label)):
        if index % 2 == 0:
            if chunk:
                runs.append([chunk])
        else:
            runs.append(list(str(number if chunk == "page" else total)))
    if marks.is_right_to_left:
        runs.reverse()
    return [piece for run in runs for piece in run]


def stamp(output, first_page: int, marks_pdf, marks: Marks, widths: list[float]) -> None:
    """Draw the marks on output's pages from first_page on, numbering them from first_page + 1.

    Every mark is a shared form XObject drawn inside an /Artifact of type Pagination: the watermark's artifact
    says so (PDF 2.0, 14.8.2.2.2), for readers and checks.
    """
    from pikepdf import Dictionary

    sheets = sheet_count(marks)
    names = ["/ConsultMarkTitle"] + (["/ConsultMarkWatermark"] if marks.watermark else [])
    names += [f"/ConsultMarkPiece{index}" for index in range(len(pieces(marks)))]
    forms = [output.copy_foreign(page.as_form_xobject()) for page in marks_pdf.pages[:len(names)]]
    piece_of = {piece: index for index, piece in enumerate(pieces(marks))}
    piece_widths = widths[sheets:]
    total = len(output.pages)
    save = output.make_stream(b"q\n")
    done_resources = set()
    for index in range(first_page, total):
        page = output.pages[index]
        resources = page.obj.get("/Resources")
        if resources is None:
            resources = page.obj.Resources = Dictionary()
        key = resources.objgen if resources.is_indirect else None
        if key is None or key not in done_resources:
            xobjects = resources.get("/XObject")
            if xobjects is None:
                xobjects = resources.XObject = Dictionary()
            for name, form in zip(names, forms, strict=True):
                xobjects[name] = form
            if key is not None:
                done_resources.add(key)
        number = index + 1
        operations = []
        if marks.watermark:
            operations.append(b"/Artifact <</Type /Pagination /Subtype /Watermark>> BDC q /ConsultMarkWatermark Do Q EMC")
        if number >= marks.numbered_from:
            operations.append(b"/Artifact <</Type /Pagination /Subtype /Header>> BDC q /ConsultMarkTitle Do Q EMC")
            operations.append(_label_operations(page, label_runs(marks, number, total), piece_of, piece_widths))
        page.contents_add(save, prepend=True)
        page.contents_add(output.make_stream(b"Q\n" + b"\n".join(operations) + b"\n"))


def _label_operations(page, runs: list[str], piece_of: dict[str, int], widths: list[float]) -> bytes:
    """The footer's pieces side by side, centred on the page, in the middle of the bottom margin."""
    media = [float(value) for value in page.obj.MediaBox]
    x = media[0] + (media[2] - media[0] - sum(widths[piece_of[piece]] for piece in runs)) / 2
    y = media[1] + FOOTER_CENTRE_PT - PIECE_HEIGHT_PT / 2
    drawn = []
    for piece in runs:
        index = piece_of[piece]
        drawn.append(f"q 1 0 0 1 {x:.3f} {y:.3f} cm /ConsultMarkPiece{index} Do Q".encode("ascii"))
        x += widths[index]
    return b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC " + b" ".join(drawn) + b" EMC"
