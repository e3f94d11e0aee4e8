"""The agenda and outcomes PDFs: valid, tagged, numbered, with a table of contents that points right."""
import re
import subprocess

from consult.agenda.models import AgendaSession
from consult.extensions import db
from consult.reports import pdf
from tests.reports.conftest import pdf_text, write_pdf


def render_outcomes(consultation, tmp_path):
    options = pdf.default_options()
    document = pdf.render_outcomes_pdf(pdf.outcomes_report_data(consultation), options)
    return write_pdf(tmp_path, "outcomes.pdf", document), options.result


def render_agenda(consultation, tmp_path, draft_preview=False):
    options = pdf.default_options()
    document = pdf.render_agenda_pdf(pdf.agenda_report_data(consultation, draft_preview=draft_preview), options)
    return write_pdf(tmp_path, "agenda.pdf", document), options.result


def toc_entries(path, *, top_level_only: bool = True) -> list[tuple[str, int]]:
    """(label, page) of the lines of the Contents page (page 2) that end in a page number."""
    entries = []
    for line in pdf_text(path, 2).splitlines():
        match = re.match(r"^(\s*)(\S.*?)\s{2,}(\d+)\s*$", line)
        if match and (not top_level_only or not match.group(1)):
            entries.append((match.group(2).strip(), int(match.group(3))))
    return entries


def assert_valid_tagged_pdf(path, title: str):
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(rf"^Title:\s+{re.escape(title)}$", info, re.M)


def test_outcomes_pdf_is_valid_tagged_and_holds_figures_sessions_and_annexes(dataset, pdf_tools, tmp_path):
    path, result = render_outcomes(dataset["consultation"], tmp_path)

    assert_valid_tagged_pdf(path, "WSIS Forum Test Consultation: Outcomes and analysis")
    text = pdf_text(path)
    assert f"Page 2 of {result.page_count}" in text
    assert f"Page {result.page_count} of {result.page_count}" in text
    assert "30\n" in text.replace(" ", "\n") and "submissions" in text
    for session in dataset["sessions"]:
        assert session.title in " ".join(text.split())
    for proposal in dataset["proposals"]:
        assert proposal.reference in text
    assert "Declined: Out of scope" in text
    assert "Accepted into session" in text
    assert "Annex D: Contributions made at physical" in text
    assert "Open forum at the IGF" in text


def test_outcomes_toc_points_at_the_pages_where_sections_start(dataset, pdf_tools, tmp_path):
    path, result = render_outcomes(dataset["consultation"], tmp_path)

    entries = toc_entries(path)

    labels = [label for label, _page in entries]
    assert "The consultation in figures" in labels and "Review method and acceptance" in labels
    assert any(label.startswith("Annex A") for label in labels)
    for label, page in entries:
        assert 2 < page <= result.page_count
        page_text = " ".join(pdf_text(path, page).split())
        assert label in page_text, f"{label!r} is not on page {page}"
        assert page == 3 or label not in " ".join(pdf_text(path, page - 1).split()), f"{label!r} starts before {page}"


def test_agenda_pdf_prints_each_session_day_by_day_with_a_right_toc(dataset, pdf_tools, tmp_path):
    path, result = render_agenda(dataset["consultation"], tmp_path)

    assert_valid_tagged_pdf(path, "WSIS Forum Test Consultation: Agenda")
    text = " ".join(pdf_text(path).split())
    first = dataset["sessions"][0]
    assert first.title in text
    assert "Room A" in text and "Thematic workshop" in text and "Forum Track" in text
    assert "Organizer 0 (Organization 0)" in text and "Speaker 0 (University) [remote]" in text
    assert f"Page 2 of {result.page_count}" in text
    entries = toc_entries(path, top_level_only=False)
    assert [label for label, _page in entries][0] == "Agenda"
    assert len(entries) == 6  # the chapter and its five days
    for label, page in entries:
        assert label in " ".join(pdf_text(path, page).split())


def test_agenda_pdf_prints_the_published_version_not_later_edits(dataset, pdf_tools, tmp_path):
    session = db.session.get(AgendaSession, dataset["sessions"][0].id)
    published_title = session.title
    session.title = "Renamed after publication"
    db.session.commit()

    published, _result = render_agenda(dataset["consultation"], tmp_path)
    published_text = " ".join(pdf_text(published).split())
    preview, _result = render_agenda(dataset["consultation"], tmp_path / "..", draft_preview=True)
    preview_text = " ".join(pdf_text(preview).split())

    assert published_title in published_text and "Renamed after publication" not in published_text
    assert "Renamed after publication" in preview_text and "working draft (not published)" in preview_text


def test_charts_keep_their_alt_text_in_the_tagged_pdf(dataset, pdf_tools, tmp_path):
    path, _result = render_outcomes(dataset["consultation"], tmp_path)

    raw = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), "-"], capture_output=True, check=True).stdout

    assert b"/Figure" in raw
    assert b"Submissions by stakeholder type. Government:" in raw


def test_arabic_and_chinese_names_render_as_letters(dataset, pdf_tools, tmp_path):
    proposal = dataset["proposals"][1]
    proposal.submitter_name = "ليلى الحسيني"
    proposal.organization = "北京大学"
    db.session.commit()

    path, _result = render_outcomes(dataset["consultation"], tmp_path)

    text = pdf_text(path)
    assert "北京大学" in text
    assert "ليلى" in text or "ﻟﻴﻠﻰ" in text or "الحسيني" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto" in fonts


def test_rebuild_after_one_change_renders_only_the_changed_section(dataset, pdf_tools, tmp_path):
    consultation = dataset["consultation"]
    _path, cold = render_outcomes(consultation, tmp_path)
    dataset["proposals"][-1].title = "A title changed after the first build"
    db.session.commit()

    path, warm = render_outcomes(consultation, tmp_path)

    assert cold.parts_cached == 0
    assert warm.parts_rendered == 1
    assert warm.page_count == cold.page_count
    assert "A title changed after the first build" in pdf_text(path)


def test_sections_render_in_parallel_worker_processes(dataset, pdf_tools, tmp_path, report_app):
    report_app.config["REPORT_WORKERS"] = 2
    try:
        path, result = render_agenda(dataset["consultation"], tmp_path)
    finally:
        from consult.reports.assembly import shutdown_executors

        shutdown_executors()

    assert result.parts_rendered >= 3
    assert "Contents" in pdf_text(path, 2)
