"""Text spans folded into their parents: the same text and marked content, one structure element fewer per text run."""
import io
import subprocess

import pikepdf

from consult.reports.tagging import fold_text_spans
from tests.reports.conftest import pdf_text, write_pdf

SVG = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMCIgaGVpZ2h0PSIxMCIvPg=="
HTML = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>
<h1>Annex A</h1><p>Plain text, <b>bold words</b> and <bdi>ليلى الحسيني</bdi> in one paragraph.</p>
<p><a href="https://www.itu.int/">A link keeps its annotation</a></p>
<img alt="A chart" src="data:image/svg+xml;base64,{SVG}">
</body></html>"""


def elements(document) -> list:
    return [item for item in document.objects
            if isinstance(item, pikepdf.Dictionary) and item.get("/Type") == pikepdf.Name.StructElem]


def owners(document) -> dict[tuple[int, int], tuple]:
    """(page index, MCID) -> the structure element the parent tree names for it."""
    numbers = document.Root.StructTreeRoot.ParentTree.Nums
    found = {}
    for position in range(0, len(numbers), 2):
        key, entry = int(numbers[position]), numbers[position + 1]
        if isinstance(entry, pikepdf.Array):
            page = next(index for index, page in enumerate(document.pages) if int(page.StructParents) == key)
            for mcid, owner in enumerate(entry):
                found[(page, mcid)] = owner.objgen
    return found


def test_folding_keeps_text_marked_content_links_and_figures_with_fewer_elements(pdf_tools, tmp_path):
    from weasyprint import HTML as Document

    tagged = Document(string=HTML).write_pdf(pdf_tags=True)

    folded = fold_text_spans(tagged)

    before, after = pikepdf.open(io.BytesIO(tagged)), pikepdf.open(io.BytesIO(folded))
    kinds_before = [str(element.S) for element in elements(before)]
    kinds_after = [str(element.S) for element in elements(after)]
    assert kinds_after.count("/Span") < kinds_before.count("/Span")
    assert [kind for kind in kinds_before if kind != "/Span"] == [kind for kind in kinds_after if kind != "/Span"]
    # Every marked-content id is still owned by exactly one element, which lists it among its kids.
    mapping = owners(after)
    assert mapping.keys() == owners(before).keys()
    for (_page, mcid), objgen in mapping.items():
        owner = after.get_object(objgen)
        assert mcid in [kid if isinstance(kid, int) else kid.get("/MCID", kid.get("/K")) for kid in owner.K]
    figure = next(element for element in elements(after) if element.S == pikepdf.Name.Figure)
    assert str(figure.Alt) == "A chart"
    paths = [write_pdf(tmp_path, name, data) for name, data in (("tagged.pdf", tagged), ("folded.pdf", folded))]
    assert pdf_text(paths[1]) == pdf_text(paths[0])
    assert subprocess.run(["qpdf", "--check", str(paths[1])], capture_output=True).returncode == 0
    assert len(after.pages[0].Annots) == len(before.pages[0].Annots) == 1
