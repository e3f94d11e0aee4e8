"""The outcomes report reads as a WSIS outcome document: its chapters, its look, its privacy, its scripts."""
import io
import re
import subprocess
import unicodedata

import pytest

from consult.agenda.models import AgendaSession, AgendaVersion, AgendaVersionKind, SessionComment
from consult.extensions import db
from consult.reports import comments, outcomes, services
from consult.reports.models import DeclinedInAnnex, ReportKind
from consult.reports.pdf import default_options
from consult.reports.queries import session_record
from tests.reports.conftest import pdf_text, require_tools, write_pdf


def png_logo() -> bytes:
    """A small real PNG: a dark blue band on white."""
    from PIL import Image

    image = Image.new("RGB", (90, 30), "white")
    image.paste((18, 60, 90), (0, 8, 90, 22))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


PNG_PIXEL = png_logo()
SVG_LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
            b'<rect width="120" height="40" fill="#123c5a"/><text x="10" y="26" fill="#fff">UNESCO</text></svg>')
# Bidi marks pdftotext puts around right-to-left runs: not characters of the name.
BIDI_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u2066\u2067\u2068\u2069"))
NAMES = ("ليلى الحسيني", "北京大学信息中心", "Кирилл Иванов", "José Müller-Çelik Nguyễn")


def build(consultation, tmp_path, kind=ReportKind.OUTCOMES, name="report.pdf"):
    options = default_options()
    document = outcomes.render_report(consultation, kind, options)
    return write_pdf(tmp_path, name, document), options.result


def plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(BIDI_MARKS).split())


def page_of(path, heading: str, pages: int) -> int:
    """The first page whose text starts a line with heading (after the contents)."""
    for number in range(3, pages + 1):
        if re.search(rf"^\s*{re.escape(heading)}\s*$", pdf_text(path, number), re.M):
            return number
    raise AssertionError(f"{heading!r} is on no page")


@pytest.fixture
def draft_report(dataset, pdf_tools, tmp_path):
    proposals = dataset["proposals"]
    accepted, declined = proposals[0], proposals[3]
    accepted.submitter_name, accepted.organization = NAMES[0], NAMES[1]
    proposals[1].organization = NAMES[2]
    proposals[5].organization = NAMES[3]
    declined.organization, declined.submitter_name = "Declined Org Ltd", "Declan Declined"
    db.session.commit()
    path, result = build(dataset["consultation"], tmp_path)
    return dict(dataset, path=path, result=result, text=pdf_text(path), accepted=accepted, declined=declined)


def test_outcomes_report_has_the_chapters_of_a_wsis_outcome_document(draft_report):
    text = plain(draft_report["text"])
    contents = plain(pdf_text(draft_report["path"], 2, 3))

    for heading in ("Executive summary", "The consultation in figures", "What was proposed", "The WSIS action lines",
                    "C1 The role of public governance authorities", "C7 ICT applications",
                    "C11 International and regional cooperation",
                    "The High-Level Track", "Themes and format innovations", "What the public comments said",
                    "How the submissions were reviewed", "The agenda", "Annex A: Submissions on themes and structure",
                    "Annex D: Contributions made at physical meetings"):
        assert heading in contents, heading
    assert "received 30 submissions from 30 organizations in 15 countries" in text
    assert "12 were accepted and 6 merged with others into joint sessions; 6 were declined." in text
    assert "C7 in general" in text and "C7 E-learning" in text
    assert f"Built from: {draft_report['accepted'].reference} {draft_report['accepted'].title}" in text


def watermarked_pages(path) -> list[bool]:
    """Per page, whether its content draws an artifact of the watermark subtype."""
    import pikepdf

    with pikepdf.open(path) as document:
        return [b"/Subtype /Watermark" in b"".join(stream.read_bytes() for stream in
                                                  (page.obj.Contents if isinstance(page.obj.Contents, pikepdf.Array)
                                                   else [page.obj.Contents]))
                for page in document.pages]


def test_draft_report_has_a_watermark_on_every_page_and_no_internal_text(draft_report):
    path, pages = draft_report["path"], draft_report["result"].page_count

    assert watermarked_pages(path) == [True] * pages
    text = draft_report["text"]
    for internal in ("Top terms", "Shared action lines", "thematic_workshop", "high_level", "calibrated_z", "z-score",
                     "out_of_scope", "None"):
        assert internal not in text, internal


def test_annexes_name_organizations_of_taken_up_submissions_only_and_never_emails_or_gender(draft_report):
    text = plain(draft_report["text"])

    assert f"From: {NAMES[1]}" in text
    assert draft_report["declined"].reference in text
    assert "Declined Org Ltd" not in text and "Declan Declined" not in text
    assert NAMES[0] not in text  # submitters are not named unless the chair says so
    assert "@" not in text
    assert "female" not in text.lower() and "Gender:" not in text


def test_names_in_arabic_chinese_cyrillic_and_accents_copy_out_as_the_same_characters(dataset, pdf_tools, tmp_path):
    proposals = dataset["proposals"]
    for proposal, name in zip((proposals[0], proposals[1], proposals[2], proposals[5]), NAMES, strict=True):
        proposal.organization = name
    db.session.commit()

    path, _result = build(dataset["consultation"], tmp_path)

    text = plain(pdf_text(path))
    for name in NAMES:
        assert name in text, name
        assert name[::-1] not in text, f"{name} copies out in visual, not logical, order"
    # pdftotext orders a line by its main direction: the Latin, Cyrillic and Chinese lines keep their label first.
    for name in NAMES[1:]:
        assert f"From: {name}" in text, name
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK" in fonts


def test_agenda_part_prints_a_room_by_time_grid_then_sessions_in_time_order(draft_report):
    path, pages = draft_report["path"], draft_report["result"].page_count
    first_day = page_of(path, "The agenda", pages)

    lines = pdf_text(path, first_day).splitlines()

    header = next(line for line in lines if line.strip().startswith("Time"))
    assert header.split() == ["Time", "Room", "A", "Room", "B", "Room", "C"]
    day_text = plain("\n".join(lines))
    assert day_text.index("Sessions in time order") < day_text.index("10:00–11:00 · Session 1: Theme 1")
    assert day_text.index("10:00–11:00 · Session 1") < day_text.index("10:00–11:00 · Session 6") \
        < day_text.index("10:00–11:00 · Session 11")


def test_pages_render_to_images_for_cover_contents_chapter_grid_and_annex(draft_report, tmp_path):
    require_tools("pdftoppm")
    path, pages = draft_report["path"], draft_report["result"].page_count
    wanted = {"cover": 1, "contents": 2, "chapter": page_of(path, "The WSIS action lines", pages),
              "grid": page_of(path, "The agenda", pages),
              "annex": page_of(path, "Annex A: Submissions on themes and structure", pages)}
    from PIL import Image

    for name, number in wanted.items():
        prefix = tmp_path / name
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-singlefile", "-f", str(number), "-l", str(number),
                        str(path), str(prefix)], check=True)
        with Image.open(f"{prefix}.png") as image:
            assert image.size == (331, 468), name  # A4 at 40 dpi
            dark = sum(image.convert("L").histogram()[:128])
        assert dark > 200, f"the {name} page is blank"


def test_final_report_prints_symbol_status_logos_and_the_chair_s_annex_choices(dataset, pdf_tools, tmp_path, chair):
    consultation = dataset["consultation"]
    services.save_report_settings(consultation, actor=chair, document_symbol="WSIS/OCP/2027/1", status="final",
                                  declined_in_annex="omitted", is_naming_submitters=True, is_listing_withdrawn=False)
    services.add_report_logo(consultation, actor=chair, organiser="ITU", data=PNG_PIXEL, filename="itu.png")
    services.add_report_logo(consultation, actor=chair, organiser="UNESCO", data=SVG_LOGO, filename="unesco.svg")
    declined = dataset["proposals"][3]
    db.session.commit()

    path, result = build(consultation, tmp_path)

    cover = plain(pdf_text(path, 1))
    assert "WSIS/OCP/2027/1" in cover and "Final ·" in cover and "Organised by ITU and UNESCO" in cover
    text = pdf_text(path)
    assert watermarked_pages(path) == [False] * result.page_count
    assert declined.reference not in text
    assert "Submitter 0, Organization 0" in plain(text)
    images = subprocess.run(["pdfimages", "-list", "-f", "1", "-l", "2", str(path)], capture_output=True, text=True,
                            check=True).stdout
    assert len(images.splitlines()) - 2 >= 2  # the PNG on the cover and in the header of page 2


def test_executive_brief_is_its_own_short_pdf(dataset, pdf_tools, tmp_path):
    path, result = build(dataset["consultation"], tmp_path, kind=ReportKind.BRIEF, name="brief.pdf")

    text = plain(pdf_text(path))
    assert result.page_count <= 8
    assert "Executive brief" in plain(pdf_text(path, 1))
    assert "Executive summary" in text and "The High-Level Track" in text and "The consultation in figures" in text
    assert "Annex" not in text


def test_public_comments_give_counts_and_what_changed_between_versions(dataset, stakeholder):
    consultation = dataset["consultation"]
    first, second = dataset["sessions"][0], dataset["sessions"][1]
    for body in ("Please move it to the morning", "Agree", "More speakers from Africa"):
        db.session.add(SessionComment(session_id=first.id, author_id=stakeholder.id, body=body))
    db.session.add(SessionComment(session_id=second.id, author_id=stakeholder.id, body="Good"))
    db.session.add(SessionComment(session_id=second.id, author_id=stakeholder.id, body="spam", is_hidden=True))
    session = db.session.get(AgendaSession, first.id)
    session.starts_at = session.starts_at.replace(hour=14)
    db.session.add(AgendaVersion(consultation_id=consultation.id, number=2, kind=AgendaVersionKind.DRAFT,
                                 snapshot=[session_record(s) for s in dataset["sessions"]]))
    db.session.commit()

    said = comments.public_comments(consultation.id)

    assert said["total"] == 4 and said["sessions_commented"] == 2 and said["versions"] == 2
    assert [(row["title"], row["comments"]) for row in said["rows"]] == [(first.title, 3), (second.title, 1)]
    assert said["rows"][1]["did"] == "kept as published"


def test_annex_settings_decide_who_is_named(dataset):
    from consult.reports import submissions
    from consult.reports.queries import report_settings

    consultation = dataset["consultation"]
    proposals = submissions.load_submissions(consultation.id)
    outcomes_by_id = submissions.submission_outcomes(consultation.id, proposals)
    settings = report_settings(consultation.id)

    default = {entry["reference"]: entry for entry in submissions.annex_entries(proposals, outcomes_by_id, settings)}
    settings.declined_in_annex = DeclinedInAnnex.OMITTED
    omitted = {entry["reference"] for entry in submissions.annex_entries(proposals, outcomes_by_id, settings)}

    declined = dataset["proposals"][3].reference
    accepted = dataset["proposals"][0].reference
    assert default[declined]["organization"] == "" and default[declined]["submitter_name"] == ""
    assert default[declined]["speakers"] == [] and default[declined]["country"] == ""
    assert default[accepted]["organization"] == "Organization 0" and default[accepted]["submitter_name"] == ""
    assert declined not in omitted and accepted in omitted
    assert len(omitted) == 18  # 12 accepted and 6 merged of 30
