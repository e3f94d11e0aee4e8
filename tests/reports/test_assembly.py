"""Page numbers, running title and watermark stamped from the marks document; parts re-laid out only when changed."""
import re

from consult.extensions import db
from consult.reports import services
from consult.reports.marks import Marks, label_runs, pieces
from consult.reports.submissions import annex_group, is_taken_up
from tests.reports.conftest import pdf_text
from tests.reports.test_outcomes_document import watermarked_pages
from tests.reports.test_pdf import render_agenda, render_outcomes, toc_entries


def page_labels(path, pages: int) -> list[str]:
    """The "Page X of Y" line of each page, "" where there is none."""
    labels = []
    for number in range(1, pages + 1):
        found = re.findall(r"Page \d+ of \d+", pdf_text(path, number))
        labels.append(found[-1] if found else "")
    return labels


def assert_contents_point_right(path, pages: int) -> None:
    for label, page in toc_entries(path):
        assert 2 < page <= pages
        assert label in " ".join(pdf_text(path, page).split()), f"{label!r} is not on page {page}"


def test_every_page_after_the_cover_prints_its_own_number_and_the_total(dataset, pdf_tools, tmp_path):
    path, result = render_outcomes(dataset["consultation"], tmp_path)

    labels = page_labels(path, result.page_count)

    assert labels == [""] + [f"Page {number} of {result.page_count}" for number in range(2, result.page_count + 1)]
    assert "WSIS Forum Test Consultation: Outcomes and analysis" in pdf_text(path, 2).splitlines()[0]
    assert "WSIS Forum Test Consultation: Outcomes and analysis" not in pdf_text(path, 1).splitlines()[0]


def test_a_part_that_grows_renumbers_the_parts_after_it_without_laying_them_out_again(dataset, pdf_tools, tmp_path):
    consultation = dataset["consultation"]
    _path, cold = render_outcomes(consultation, tmp_path)
    # A submission of Annex A, which the other annexes follow: their entries in the contents move.
    grown = next(proposal for proposal in dataset["proposals"]
                 if annex_group(proposal) == "themes_and_structure" and is_taken_up(proposal))
    grown.description = " ".join(["Longer description of the proposal."] * 600)
    db.session.commit()

    path, warm = render_outcomes(consultation, tmp_path)

    assert warm.page_count > cold.page_count + 1
    assert warm.parts_rendered == 2  # the annex chunk of that submission, and the contents with their new numbers
    labels = page_labels(path, warm.page_count)
    assert labels[1:] == [f"Page {number} of {warm.page_count}" for number in range(2, warm.page_count + 1)]
    assert_contents_point_right(path, warm.page_count)


def test_making_the_report_final_lays_out_only_the_cover_again_and_drops_the_watermark(dataset, pdf_tools, tmp_path,
                                                                                       chair):
    consultation = dataset["consultation"]
    draft_path, draft = render_outcomes(consultation, tmp_path)
    services.save_report_settings(consultation, actor=chair, document_symbol="", status="final",
                                  declined_in_annex="without_names", is_naming_submitters=False, is_listing_withdrawn=False)
    db.session.commit()

    final_path, final = render_outcomes(consultation, tmp_path / "..")

    assert watermarked_pages(draft_path) == [True] * draft.page_count
    assert watermarked_pages(final_path) == [False] * final.page_count
    assert final.parts_rendered == 1 and final.page_count == draft.page_count
    assert "Final ·" in pdf_text(final_path, 1)


def test_page_label_pieces_follow_the_language():
    english = Marks(running_title="T")
    chinese = Marks(running_title="T", page_label="第%(page)d页，共%(pages)d页", language="zh")
    arabic = Marks(running_title="T", page_label="الصفحة %(page)d من %(pages)d", language="ar")

    assert pieces(english)[10:] == ["Page ", " of "]
    assert label_runs(english, 12, 305) == ["Page ", "1", "2", " of ", "3", "0", "5"]
    assert label_runs(chinese, 7, 40) == ["第", "7", "页，共", "4", "0", "页"]
    # Right to left: the words and numbers run from the right, each number's digits still left to right.
    assert label_runs(arabic, 7, 40) == ["4", "0", " من ", "7", "الصفحة "]


def test_contents_entries_link_to_the_pages_they_name(dataset, pdf_tools, tmp_path):
    import pikepdf

    path, result = render_outcomes(dataset["consultation"], tmp_path)

    listed = sorted({page for _label, page in toc_entries(path, top_level_only=False)})
    with pikepdf.open(path) as document:
        numbers = {page.objgen: index + 1 for index, page in enumerate(document.pages)}
        targets = sorted({numbers[annotation.A.D[0].objgen] for annotation in document.pages[1].obj.get("/Annots", [])
                          if annotation.get("/A") is not None and annotation.A.S == pikepdf.Name.GoTo})
    assert targets == listed and len(listed) > 10 and max(listed) <= result.page_count


def test_running_title_prints_ampersands_quotes_and_brackets_as_typed(dataset, pdf_tools, tmp_path):
    dataset["consultation"].title = 'ICT & Development: "Open" <Forum> \\ 2027'
    db.session.commit()

    path, _result = render_agenda(dataset["consultation"], tmp_path)

    assert pdf_text(path, 2).splitlines()[0].strip() == 'ICT & Development: "Open" <Forum> \\ 2027: Agenda'
