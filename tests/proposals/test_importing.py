"""Import of submissions from CSV and XLSX: checks with line numbers, all or nothing, provenance, the command."""
import io

import sqlalchemy as sa
from openpyxl import Workbook

from consult.extensions import db
from consult.proposals.importing import import_proposals
from consult.proposals.models import ImportBatch, Proposal, ProposalStatus

HEADER = "title,summary,kind,action_lines,sdgs,organization,stakeholder_type,country,submitter_name,submitter_email,source\n"
GOOD_ROW = (
    "Open data for cities,Cities publish data,thematic,C3;C7-EGOV,11,City of Accra,government,GH,Ama Boateng,ama@example.org,\n"
)


def _count() -> int:
    return db.session.execute(sa.select(sa.func.count(Proposal.id))).scalar_one()


def test_import_csv_creates_submitted_numbered_proposals_with_provenance(consultation, chair):
    data = (HEADER + GOOD_ROW + "Second,Summary two,thematic,C4,4,,,,,,Physical meeting Geneva\n").encode()

    result = import_proposals(consultation, filename="event.csv", data=data, source="Regional event Accra", actor=chair)

    proposals = db.session.execute(sa.select(Proposal).order_by(Proposal.number)).scalars().all()
    assert result.errors == []
    assert [(p.reference, p.status, p.source, p.region) for p in proposals] == [
        ("P-0001", ProposalStatus.SUBMITTED, "Regional event Accra", "africa"),
        ("P-0002", ProposalStatus.SUBMITTED, "Physical meeting Geneva", None)]
    assert proposals[0].action_line_codes == ["C3", "C7-EGOV"] and proposals[0].sdg_numbers == [11]
    batch = db.session.execute(sa.select(ImportBatch)).scalar_one()
    assert (batch.filename, batch.row_count, proposals[0].import_batch_id) == ("event.csv", 2, batch.id)


def test_import_with_bad_rows_reports_lines_and_imports_nothing(consultation):
    data = (HEADER + GOOD_ROW
            + ",No title,thematic,C4,,,,,,,\n"
            + "Bad line,Summary,thematic,C99,,,,,,,\n"
            + "Bad sdg,Summary,thematic,C4,18,,,,,,\n"
            + "Bad type,Summary,thematic,C4,,,alien,,,,\n"
            + "Bad country,Summary,thematic,C4,,,,XX,,,\n"
            + "Bad kind,Summary,poem,C4,,,,,,,\n").encode()

    result = import_proposals(consultation, filename="bad.csv", data=data, source="Email")

    assert [(error.line, error.message) for error in result.errors] == [
        (3, "title: A title is required."),
        (4, "action_lines: Unknown action line: C99."),
        (5, "sdgs: SDGs are numbered 1 to 17."),
        (6, "Unknown stakeholder type “alien”."),
        (7, "Unknown country code “XX” (use ISO 3166 alpha-2, e.g. KE)."),
        (8, "kind: Choose thematic or format."),
    ]
    assert _count() == 0 and result.batch is None


def test_import_missing_column_is_reported_on_line_1(consultation):
    result = import_proposals(consultation, filename="x.csv", data=b"title,summary\nA,B\n", source="Email")

    assert [(e.line, e.message) for e in result.errors] == [(1, "Line 1: the header lacks the column(s) kind.")]


def test_import_xlsx_and_dry_run(consultation):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title", "summary", "kind", "action_lines", "sdgs", "format", "duration_minutes"])
    sheet.append(["Hackathon for SDGs", "A day of coding", "format", "C4", 9, "hackathon", 105])
    buffer = io.BytesIO()
    workbook.save(buffer)

    dry = import_proposals(consultation, filename="rows.xlsx", data=buffer.getvalue(), source="Meeting", dry_run=True)
    assert dry.is_valid and _count() == 0
    real = import_proposals(consultation, filename="rows.xlsx", data=buffer.getvalue(), source="Meeting")

    proposal = db.session.execute(sa.select(Proposal)).scalar_one()
    assert real.is_valid
    assert (proposal.format_code, proposal.duration_minutes, proposal.sdg_numbers) == ("hackathon", 105, [9])


def test_import_numbers_follow_existing_proposals(consultation, stakeholder, make):
    make.make_proposal(consultation, stakeholder).number = 41
    db.session.flush()

    import_proposals(consultation, filename="a.csv", data=(HEADER + GOOD_ROW).encode(), source="Email")

    assert db.session.execute(sa.select(sa.func.max(Proposal.number))).scalar_one() == 42


def test_import_command_reports_errors_and_imports_good_file(runner, consultation, tmp_path):
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(HEADER + "No kind,Summary,,C4,,,,,,,\n")
    good.write_text(HEADER + GOOD_ROW)

    failed = runner.invoke(args=["import-proposals", str(bad)])
    dry = runner.invoke(args=["import-proposals", str(good), "--dry-run"])
    done = runner.invoke(args=["import-proposals", str(good), "--source", "Physical meeting"])

    assert failed.exit_code == 1 and "line 2: kind: Choose thematic or format." in failed.output
    assert "1 rows are valid (dry run: nothing imported)." in dry.output
    assert done.exit_code == 0 and "Imported 1 proposals" in done.output
    assert db.session.execute(sa.select(Proposal.source)).scalar_one() == "Physical meeting"


def test_import_page_previews_then_confirms(client, login, consultation, chair):
    login(chair)
    data = (HEADER + GOOD_ROW).encode()

    preview = client.post("/proposals/import", data={"file": (io.BytesIO(data), "event.csv"), "source": "Regional event"},
                          content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    assert "1 row is valid" in page and _count() == 0

    confirmed = client.post("/proposals/import/confirm", data={"token": token, "source": "Regional event"})

    assert confirmed.status_code == 303
    assert db.session.execute(sa.select(ImportBatch.filename)).scalar_one() == "event.csv"
    assert _count() == 1


def test_import_page_shows_errors_with_lines(client, login, consultation, chair):
    login(chair)
    data = (HEADER + GOOD_ROW + "Bad,Summary,thematic,C42,,,,,,,\n").encode()

    response = client.post("/proposals/import", data={"file": (io.BytesIO(data), "bad.csv"), "source": "Email"},
                           content_type="multipart/form-data")

    assert response.status_code == 422
    assert "Line 3:</li>" not in response.get_data(as_text=True)
    assert "Line 3: action_lines: Unknown action line: C42." in response.get_data(as_text=True)
    assert _count() == 0


def test_import_confirm_refuses_a_crafted_token(client, login, consultation, chair):
    login(chair)

    response = client.post("/proposals/import/confirm", data={"token": "../../secret_key", "source": "x"})

    # The token only looks a preview up in the database: no file is ever opened by it.
    assert response.status_code == 422
    assert "The checked file expired. Upload it again." in response.get_data(as_text=True)


def test_a_row_reports_every_problem_at_once(app):
    from consult.proposals.importing import check_row

    message = check_row({"kind": "format", "title": "", "summary": "", "country": "XX", "sdgs": "4, nine",
                         "binding_request": "perhaps"}, "Regional event")

    assert message == ("SDG “nine” is not a number from 1 to 17. binding_request must be yes or no, not “perhaps”. "
                       "Unknown country code “XX” (use ISO 3166 alpha-2, e.g. KE). "
                       "summary: Write a summary before submitting. "
                       "format_code: Choose the format you propose before submitting. "
                       "duration_minutes: Choose a duration before submitting. title: A title is required.")
def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet(xlsx: bytes, sheet_xml: bytes) -> bytes:
    """The workbook with its first sheet's XML replaced (as a hand-made zip bomb would be)."""
    import zipfile

    source, target = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            out.writestr(entry.filename, sheet_xml if entry.filename == "xl/worksheets/sheet1.xml" else source.read(entry))
    return target.getvalue()


def test_import_csv_field_over_the_csv_limit_is_refused_with_the_reason(consultation):
    data = (HEADER + "Title," + "s" * 131_073 + ",thematic,C4,,,,,,,\n").encode()

    result = import_proposals(consultation, filename="long.csv", data=data, source="Email")

    assert [(error.line, error.message) for error in result.errors] == [
        (1, "Line 2: a field is longer than 131072 characters, more than any column accepts.")]


def test_import_xlsx_zip_bomb_is_refused_before_it_is_unpacked(consultation):
    rows = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 1_000_000
    bomb = _with_sheet(_xlsx([["title"]]), b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                       b'spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>")

    result = import_proposals(consultation, filename="bomb.xlsx", data=bomb, source="Email")

    assert len(bomb) < 256 * 2**10
    assert [error.message for error in result.errors] == [
        "The XLSX file unpacks to 46 MB (limit 200 MB, and at most 100 times its packed size): save it again from "
        "the spreadsheet, or split it."]


def test_import_sheet_of_many_empty_rows_stops_at_the_row_limit(consultation, monkeypatch):
    from consult.proposals import importing

    monkeypatch.setattr(importing, "MAX_ROWS", 10)
    monkeypatch.setattr(importing, "MAX_BLANK_LINES", 5)
    data = _xlsx([HEADER.strip().split(",")] + [[None, None, None, None, "x"]] + [[" "]] * 2000)

    result = import_proposals(consultation, filename="long.xlsx", data=data, source="Email")

    assert [error.message for error in result.errors] == ["At most 10 rows in one file."]


def test_import_control_character_in_a_cell_is_reported_on_its_line(consultation):
    data = (HEADER + GOOD_ROW + "Bad\x00title,Summary,thematic,C4,,,,,,,\n").encode()

    result = import_proposals(consultation, filename="nul.csv", data=data, source="Email")

    assert [(error.line, error.message) for error in result.errors] == [
        (3, "title contains an invisible control character (U+0000).")]
    assert _count() == 0


def test_import_strips_bidi_overrides_from_titles_and_names(consultation):
    data = (HEADER + "\u202eevil\u202c plan,Summary,thematic,C4,,\u202eOrg,,,\u2067Ama\u2069,,\n").encode()

    import_proposals(consultation, filename="bidi.csv", data=data, source="Email")

    stored = db.session.execute(sa.select(Proposal.title, Proposal.organization, Proposal.submitter_name)).one()
    assert tuple(stored) == ("evil plan", "Org", "Ama")
