"""Public pages for visitors who are not signed in come from the page cache, and never outlive what they show."""
from datetime import time, timedelta

from consult.agenda.services import publish_agenda
from consult.db import utcnow
from consult.extensions import db
from consult.pagecache import CachedPage, PageStore, current_generation
from tests.agenda.factories import make_days, make_room, make_session
from tests.factories import make_consultation


def _published(chair, title="Opening of the Forum"):
    from consult.consultations.models import PhaseKind

    consultation = make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    day = make_days(consultation, 1)[0]
    room = make_room(consultation, name="Popov Room")
    session = make_session(consultation, title=title, day=day, room=room, start=time(9))
    publish_agenda(consultation, actor=chair)
    db.session.commit()
    return consultation, day, room, session


def test_visitor_agenda_second_request_costs_no_query(client, chair, count_queries):
    _published(chair)
    first = client.get("/agenda/")

    with count_queries() as counter:
        second = client.get("/agenda/")

    assert counter.count == 0
    assert second.get_data() == first.get_data()
    assert "Opening of the Forum" in second.get_data(as_text=True)
    assert second.headers["Cache-Control"] == "public, max-age=30"
    assert second.headers["ETag"] == first.headers["ETag"]
    assert set(second.headers["Vary"].replace(" ", "").split(",")) >= {"Cookie", "Accept-Language"}
    assert "Set-Cookie" not in second.headers


def test_conditional_get_with_the_etag_answers_304_without_a_body(client, chair):
    _published(chair)
    etag = client.get("/agenda/published.json").headers["ETag"]

    response = client.get("/agenda/published.json", headers={"If-None-Match": etag})

    assert (response.status_code, response.get_data()) == (304, b"")
    assert response.headers["ETag"] == etag


def test_a_new_version_is_shown_at_once(client, chair):
    consultation, day, room, _session = _published(chair)
    before = client.get("/agenda/").get_data(as_text=True)

    make_session(consultation, title="High-Level Policy Session", day=day, room=room, start=time(11))
    publish_agenda(consultation, actor=chair)
    db.session.commit()
    after = client.get("/agenda/").get_data(as_text=True)

    assert "High-Level Policy Session" not in before
    assert "High-Level Policy Session" in after


def test_every_public_commit_counts_and_infrastructure_rows_do_not(app, chair):
    from consult.audit.models import AuditEntry

    start = current_generation()
    make_consultation()
    db.session.commit()
    after_consultation = current_generation()
    db.session.add(AuditEntry(action="test.nothing_public", actor_id=chair.id, object_type="consultation", object_id=1))
    db.session.commit()

    assert (after_consultation - start, current_generation() - after_consultation) == (1, 0)


def test_signed_in_pages_are_rendered_for_the_person(client, login, chair, stakeholder):
    _published(chair)
    client.get("/agenda/")
    login(stakeholder)

    page = client.get("/agenda/")

    assert "Grace Otieno" in page.get_data(as_text=True)
    assert "ETag" not in page.headers


def test_a_flashed_message_is_not_cached_for_others(app, chair):
    _published(chair)
    visitor, other = app.test_client(), app.test_client()
    with visitor.session_transaction() as session:
        session["_flashes"] = [("info", "Only for this visitor.")]

    flashed = visitor.get("/agenda/").get_data(as_text=True)
    plain = other.get("/agenda/").get_data(as_text=True)

    assert "Only for this visitor." in flashed
    assert "Only for this visitor." not in plain


def test_a_page_expires_at_the_next_phase_boundary():
    store = PageStore()
    store.put(("a",), CachedPage(b"old", "text/html", "e1", utcnow() - timedelta(seconds=1)))
    store.put(("b",), CachedPage(b"new", "text/html", "e2", utcnow() + timedelta(hours=1)))

    assert (store.get(("a",)), store.get(("b",)).body) == (None, b"new")


def test_the_store_keeps_the_most_recently_used_pages():
    store = PageStore(max_entries=2)
    for key in ("a", "b"):
        store.put((key,), CachedPage(key.encode(), "text/html", key, None))
    store.get(("a",))
    store.put(("c",), CachedPage(b"c", "text/html", "c", None))

    assert [store.get((key,)) is not None for key in ("a", "b", "c")] == [True, False, True]


def test_home_page_and_public_list_come_from_the_cache(client, chair, count_queries):
    _published(chair)
    for path in ("/", "/proposals/"):
        client.get(path)

    with count_queries() as counter:
        home, listing = client.get("/"), client.get("/proposals/")

    assert counter.count == 0
    assert (home.status_code, listing.status_code) == (200, 200)
    assert "ETag" in home.headers and "ETag" in listing.headers


def test_filtered_chair_counts_are_reused_until_the_next_commit(client, login, chair, count_queries):
    from consult.reference import ACTION_LINES_BY_CODE
    from tests.factories import make_proposal

    consultation = make_consultation()
    make_proposal(consultation, action_lines=("C5",))
    db.session.commit()
    login(chair)
    row = f"<th scope=\"row\">{ACTION_LINES_BY_CODE['C5'].label}</th><td>"
    first = client.get("/proposals/chair?kind=thematic").get_data(as_text=True)
    with count_queries() as repeated:
        client.get("/proposals/chair?kind=thematic")
    make_proposal(consultation, action_lines=("C5",))
    db.session.commit()
    with count_queries() as after_change:
        second = client.get("/proposals/chair?kind=thematic").get_data(as_text=True)

    assert f"{row}1</td>" in first
    assert f"{row}2</td>" in second
    # The one read of the filtered proposals, then the counts of their action lines and of their SDGs.
    assert after_change.count - repeated.count == 3


def _count_elsewhere() -> None:
    """What another worker's commit does to this one: the shared counter moves, this worker's reading does not."""
    db.session.connection().exec_driver_sql("UPDATE site_generation SET value = value + 1 WHERE id = 1")


def test_another_workers_commit_shows_to_visitors_after_the_recheck(app, client, chair, count_queries):
    consultation, day, room, _session = _published(chair)
    client.get("/agenda/")
    with db.session.no_autoflush:
        make_session(consultation, title="Late addition", day=day, room=room, start=time(11))
        publish_agenda(consultation, actor=chair)
    db.session.info.pop("consult_public_content_changed", None)  # as if written by another worker's commit
    db.session.flush()
    _count_elsewhere()

    within = client.get("/agenda/").get_data(as_text=True)
    app.config["PAGE_CACHE_RECHECK_SECONDS"] = 0
    with count_queries() as rechecked:
        after = client.get("/agenda/").get_data(as_text=True)

    assert "Late addition" not in within
    assert "Late addition" in after
    assert rechecked.count >= 1
