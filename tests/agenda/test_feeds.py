"""The public feeds of the published agenda: one JSON, iCal for the week and per session; people listed once."""
from datetime import time, timezone

from icalendar import Calendar

from consult.agenda.models import PersonRole, SessionPerson
from consult.agenda.services import publish_agenda
from consult.agenda.versions import people_once
from consult.extensions import db
from tests.agenda.factories import make_days, make_room, make_session


def _published(consultation, chair):
    consultation.is_blind_review = False  # the people of a session are published once review is no longer blind
    day = make_days(consultation, 1)[0]
    room = make_room(consultation, name="Popov Room")
    first = make_session(consultation, title="Broadband for all", day=day, room=room, start=time(9), people=("Kim Lee",),
                         description="One summary, written by the committee.")
    second = make_session(consultation, title="Digital skills", day=day, room=room, start=time(11), people=("Ana",))
    publish_agenda(consultation, actor=chair)
    db.session.commit()
    return day, room, first, second


def events(body: bytes) -> dict[str, object]:
    return {str(event["SUMMARY"]): event for event in Calendar.from_ical(body).walk("VEVENT")}


def test_calendar_feed_carries_url_sequence_and_last_modified(client, commenting, chair):
    _day, _room, first, _second = _published(commenting, chair)

    response = client.get("/agenda/agenda.ics")

    assert response.mimetype == "text/calendar"
    event = events(response.data)["Broadband for all"]
    assert str(event["URL"]) == f"http://localhost/agenda/s/{first.id}"
    assert event.decoded("SEQUENCE") == 0
    assert event.decoded("LAST-MODIFIED") == first.updated_at.astimezone(timezone.utc).replace(microsecond=0)
    assert event.decoded("DTSTART") == first.starts_at.astimezone(timezone.utc)
    assert str(event["DESCRIPTION"]) == (f"One summary, written by the committee.\n\nKim Lee, Kim Lee Org (Speaker)\n\n"
                                         f"http://localhost/agenda/s/{first.id}")
    assert str(event["UID"]) == f"session-{first.id}-consultation-{commenting.id}@localhost"


def test_republishing_raises_the_sequence_of_changed_sessions_only(client, commenting, chair):
    day, _room, first, _second = _published(commenting, chair)
    first.starts_at = first.starts_at.replace(hour=first.starts_at.hour + 5)
    db.session.flush()
    publish_agenda(commenting, actor=chair)
    db.session.commit()

    found = events(client.get("/agenda/agenda.ics").data)

    assert (found["Broadband for all"].decoded("SEQUENCE"), found["Digital skills"].decoded("SEQUENCE")) == (1, 0)
    assert [s["sequence"] for s in client.get("/agenda/published.json").get_json()["sessions"]] == [0, 1]


def test_session_calendar_has_that_session_only(client, commenting, chair):
    _day, _room, _first, second = _published(commenting, chair)

    response = client.get(f"/agenda/s/{second.id}.ics")

    assert list(events(response.data)) == ["Digital skills"]
    assert client.get("/agenda/s/999999.ics").status_code == 404


def test_calendar_before_publication_is_404(client, drafting):
    assert client.get("/agenda/agenda.ics").status_code == 404


def test_people_once_merges_roles_and_orders_moderators_first():
    people = [{"role": "organizer", "name": "Ana Lopez", "organization": "ITU", "country": "CH", "is_remote": False},
              {"role": "speaker", "name": "Kim", "organization": "", "country": "", "is_remote": True},
              {"role": "speaker", "name": "ana  lopez", "organization": "", "country": "", "is_remote": False},
              {"role": "moderator", "name": "Bo", "organization": "UNESCO", "country": "", "is_remote": False}]

    assert people_once(people) == [
        {"name": "Bo", "organization": "UNESCO", "country": "", "roles": ["moderator"], "is_remote": False},
        {"name": "Ana Lopez", "organization": "ITU", "country": "CH", "roles": ["speaker", "organizer"], "is_remote": False},
        {"name": "Kim", "organization": "", "country": "", "roles": ["speaker"], "is_remote": True},
    ]


def test_session_page_shows_the_day_in_the_locale_the_summary_once_and_each_person_once(client, commenting, chair):
    commenting.is_blind_review = False
    day = make_days(commenting, 1)[0]
    room = make_room(commenting, name="Popov Room")
    session = make_session(commenting, title="Broadband", day=day, room=room, start=time(14, 30), people=("Kim Lee",),
                           description="The committee's summary.")
    session.people.append(SessionPerson(role=PersonRole.MODERATOR, position=5, name="Kim Lee", person_key="kim lee",
                                        organization="Kim Lee Org"))
    publish_agenda(commenting, actor=chair)
    db.session.commit()

    page = client.get(f"/agenda/s/{session.id}").get_data(as_text=True)

    with client.application.test_request_context():
        from consult.agenda.display import long_day
        written = long_day(day.day)
    assert f'<dd data-testid="when"><time datetime="{day.day.isoformat()}">{written}</time>, 14:30–15:30' in page
    assert page.count("summary.</p>") == 1 and "The committee" in page
    assert '<ul data-testid="people"><li><bdi>Kim Lee</bdi> (<bdi>Kim Lee Org</bdi>) — Moderator and Speaker</li></ul>' in page


def test_calendar_categories_and_json_labels_name_each_line_once_without_its_code(client, commenting, chair):
    commenting.is_blind_review = False
    day = make_days(commenting, 1)[0]
    make_session(commenting, title="Open data", day=day, room=make_room(commenting), start=time(9),
                 action_lines=("C3", "C7-ESCI"))
    publish_agenda(commenting, actor=chair)
    db.session.commit()

    response = client.get("/agenda/agenda.ics")
    lines = [line["label"] for line in client.get("/agenda/published.json").get_json()["sessions"][0]["action_lines"]]

    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert events(response.data)["Open data"]["CATEGORIES"].to_ical() == b"C3 Access to information and knowledge,C7 E-science"
    assert lines == ["C3 Access to information and knowledge", "C7 E-science"]
