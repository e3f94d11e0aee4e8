"""Data exports: the CSV imports back into the same proposals, formulas are neutralised, the agenda as JSON and iCal."""
import csv
import io
from datetime import timezone

from flask_babel import force_locale
from icalendar import Calendar
from openpyxl import load_workbook

from consult.extensions import db
from consult.proposals.models import Proposal
from consult.reference import ACTION_LINES_BY_CODE
from consult.reports.queries import action_line_label as exports_label
from tests import factories

ISSUE_3_IMPORT_COLUMNS = ["title", "summary", "description", "kind", "action_lines", "sdgs", "organization",
                          "stakeholder_type", "country", "submitter_name", "submitter_email", "source", "language"]


def parse_csv(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_submissions_csv_imports_back_into_the_same_proposals(dataset, client, login, chair):
    login(chair)

    response = client.get("/reports/export/submissions.csv")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = parse_csv(response.data)
    assert list(rows[0].keys())[:13] == ISSUE_3_IMPORT_COLUMNS
    proposals = {p.reference: p for p in db.session.execute(db.select(Proposal)).scalars()}
    assert len(rows) == len(proposals) == 30
    for row in rows:
        proposal = proposals[row["reference"]]
        assert row["title"] == proposal.title
        assert row["summary"] == proposal.summary
        assert row["description"] == proposal.description
        assert row["kind"] == proposal.kind.value
        assert row["action_lines"].split(";") == proposal.action_line_codes
        assert [int(n) for n in row["sdgs"].split(";")] == proposal.sdg_numbers
        assert row["organization"] == proposal.organization
        assert row["stakeholder_type"] == proposal.stakeholder_type.value
        assert row["country"] == proposal.country
        assert row["submitter_name"] == proposal.submitter_name
        assert row["submitter_email"] == proposal.submitter_email
        assert row["source"] == proposal.source
        assert row["language"] == proposal.language
        assert row["decision"] == proposal.decision.value


def test_exports_neutralise_spreadsheet_formulas(report_app, client, login, chair):
    consultation = factories.make_consultation()
    factories.make_proposal(consultation, title='=HYPERLINK("http://evil.example","click")', summary="+1+2",
                            organization="@SUM(A1)")
    db.session.commit()
    login(chair)

    row = parse_csv(client.get("/reports/export/submissions.csv").data)[0]
    workbook = load_workbook(io.BytesIO(client.get("/reports/export/submissions.xlsx").data))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))

    assert row["title"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert row["summary"] == "'+1+2" and row["organization"] == "'@SUM(A1)"
    assert values["title"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert sheet["A2"].data_type == "s"


def test_reviews_export_lists_scores_and_calibrated_score(dataset, client, login, chair):
    login(chair)

    rows = parse_csv(client.get("/reports/export/reviews.csv").data)
    workbook = load_workbook(io.BytesIO(client.get("/reports/export/reviews.xlsx").data))

    assert len(rows) == sum(2 + index % 2 for index in range(30))
    assert {"score: Relevance", "total_score", "calibrated_score"} <= set(rows[0])
    assert rows[0]["reviewer_email"].endswith("@example.org")
    assert workbook.active.max_row == len(rows) + 1


def test_agenda_ical_has_one_event_per_session_in_utc(dataset, client, login, chair):
    login(chair)

    calendar = Calendar.from_ical(client.get("/reports/export/agenda.ics").data)

    events = list(calendar.walk("VEVENT"))
    assert len(events) == 12
    first = dataset["sessions"][0]
    event = next(e for e in events if str(e["SUMMARY"]) == first.title)
    assert str(event["UID"]).startswith(f"session-{first.id}-")
    assert event.decoded("DTSTART") == first.starts_at.astimezone(timezone.utc)
    assert event.decoded("DTSTART").tzinfo is not None and event.decoded("DTSTART").utcoffset().total_seconds() == 0
    assert str(event["LOCATION"]) == "Room A"
    assert str(event["URL"]) == f"http://localhost/agenda/s/{first.id}"
    assert "SEQUENCE" in event and "LAST-MODIFIED" in event
    assert "Organizer 0" in str(event["DESCRIPTION"]) and "(Organizer)" in str(event["DESCRIPTION"])
    categories = [str(c) for c in event["CATEGORIES"].cats]
    assert categories == [exports_label(tag.code) for tag in first.action_lines]


def test_public_agenda_json_shows_the_published_version_only(dataset, client):
    session = dataset["sessions"][0]
    published_title = session.title
    session.title = "Working title not yet published"
    db.session.commit()

    redirect = client.get("/reports/agenda.json")
    response = client.get("/reports/agenda.json", follow_redirects=True)

    # One public JSON of the agenda: the older address leads to the agenda's own.
    assert (redirect.status_code, redirect.headers["Location"]) == (308, "/agenda/published.json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    titles = [entry["title"] for entry in response.json["sessions"]]
    assert published_title in titles and "Working title not yet published" not in titles
    assert response.json["version"] == 1
    assert response.json["sessions"][0]["action_lines"][0]["label"]


def test_public_agenda_json_is_404_before_publication(report_app, client):
    factories.make_consultation()
    db.session.commit()

    response = client.get("/reports/agenda.json", follow_redirects=True)

    assert response.status_code == 404
    assert response.json["message"] == "No agenda is published yet."


def test_chair_agenda_json_shows_the_working_sessions(dataset, client, login, chair):
    dataset["sessions"][0].title = "Working title"
    db.session.commit()
    login(chair)

    working = client.get("/reports/export/agenda.json").json
    published = client.get("/reports/export/agenda.json?source=published").json

    assert "Working title" in [entry["title"] for entry in working["sessions"]]
    assert "Working title" not in [entry["title"] for entry in published["sessions"]]
    # One shape for the chair and the public: the same function writes both.
    public = client.get("/agenda/published.json").json
    assert published == public
    assert set(working) == set(public) and set(working["sessions"][0]) == set(public["sessions"][0])
    assert (working["version"], working["kind"], working["published_at"]) == (None, "working_draft", None)


def test_public_agenda_json_names_its_language_and_translates_its_labels(dataset, client):
    first = dataset["sessions"][0]
    line = ACTION_LINES_BY_CODE[first.action_lines[0].code]

    english = client.get("/agenda/published.json").json
    french = client.get("/agenda/published.json?lang=fr").json
    arabic = client.get("/agenda/published.json?lang=ar").json

    assert (english["language"], french["language"], arabic["language"]) == ("en", "fr", "ar")
    by_id = {language: {entry["id"]: entry for entry in document["sessions"]}[first.id]
             for language, document in (("en", english), ("fr", french), ("ar", arabic))}
    assert (by_id["en"]["format_label"], by_id["fr"]["format_label"], by_id["ar"]["format_label"]) == (
        "Thematic workshop", "Atelier thématique", "حلقة عمل مواضيعية")
    with force_locale("fr"):
        assert by_id["fr"]["action_lines"][0]["label"] == line.label
    assert by_id["fr"]["action_lines"][0]["label"] != by_id["en"]["action_lines"][0]["label"]
    # Titles are the organisers' words: the same in every language.
    assert by_id["fr"]["title"] == by_id["en"]["title"] == first.title


def test_chair_agenda_json_names_its_language(dataset, client, login, chair):
    login(chair)

    working = client.get("/reports/export/agenda.json?lang=zh").json
    published = client.get("/reports/export/agenda.json?source=published&lang=ar").json

    first = dataset["sessions"][0].id
    assert (working["language"], working["kind"]) == ("zh", "working_draft")
    assert {entry["id"]: entry for entry in working["sessions"]}[first]["format_label"] == "专题研讨会"
    assert (published["language"], published["version"]) == ("ar", 1)
    assert {entry["id"]: entry for entry in published["sessions"]}[first]["format_label"] == "حلقة عمل مواضيعية"
