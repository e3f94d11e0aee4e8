"""The agenda's pages through HTTP: authorization, sessions, the week, moves, publication, comments."""
from datetime import time

import pytest
import sqlalchemy as sa
from flask import g

from consult.agenda.display import short_day, time_range
from consult.agenda.models import AgendaSession, AgendaVersion, AgendaVersionKind, ForumDay, Room, SessionComment
from consult.agenda.services import publish_agenda
from consult.audit.models import AuditEntry
from consult.extensions import db
from consult.jobs.models import WorkJob, WorkKind
from tests.agenda.factories import make_days, make_room, make_session


def _switch_user(login, user):
    """Sign in as another user; the tests share one app context, so Flask-Login's cached user is dropped too."""
    g.pop("_login_user", None)
    login(user)


def _published_agenda(consultation, chair, count=2):
    days = make_days(consultation, 1)
    room = make_room(consultation, name="Popov Room", capacity=300, has_interpretation=True)
    sessions = [make_session(consultation, title=f"Session on topic {i}", people=(f"Speaker {i}",), day=days[0], room=room,
                             start=time(9 + 2 * i, 0), description="Talks about **broadband**.") for i in range(count)]
    publish_agenda(consultation, actor=chair)
    db.session.commit()
    return days, room, sessions


# --- authorization matrix ------------------------------------------------------------------------------------

PUBLIC_GETS = ["/agenda/", "/agenda/versions", "/agenda/published.json", "/agenda/versions/1", "/agenda/s/{session}",
               "/agenda/grid", "/agenda/agenda.ics", "/agenda/s/{session}.ics"]
COMMITTEE_GETS = ["/agenda/sessions", "/agenda/sessions/new", "/agenda/sessions/{session}"]
CHAIR_GETS = ["/agenda/week", "/agenda/schedule", "/agenda/publish", "/agenda/sessions/{session}/move",
              "/agenda/rooms/{room}", "/agenda/comments", "/agenda/schedule/jobs/{job}/status.json"]


@pytest.mark.parametrize("role, expected", [
    ("anonymous", {"public": 200, "committee": 302, "chair": 302}),
    ("stakeholder", {"public": 200, "committee": 403, "chair": 403}),
    ("reviewer", {"public": 200, "committee": 200, "chair": 403}),
    ("chair", {"public": 200, "committee": 200, "chair": 200}),
])
def test_agenda_routes_authorization_matrix(client, login, commenting, stakeholder, reviewer, chair, role, expected):
    _days, room, sessions = _published_agenda(commenting, chair)
    run = WorkJob(consultation_id=commenting.id, kind=WorkKind.AGENDA_SCHEDULE, parameters={}, attempts=1)
    db.session.add(run)
    db.session.flush()
    if role != "anonymous":
        login({"stakeholder": stakeholder, "reviewer": reviewer, "chair": chair}[role])
    seen = {}
    for group, urls in (("public", PUBLIC_GETS), ("committee", COMMITTEE_GETS), ("chair", CHAIR_GETS)):
        for url in urls:
            url = url.format(session=sessions[0].id, room=room.id, job=run.id)
            seen[url] = (group, client.get(url).status_code)

    assert {url: status for url, (group, status) in seen.items()} == {
        url: expected[group] for url, (group, _status) in seen.items()}


def test_every_agenda_route_is_in_the_matrix_or_post_only(app):
    gets = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("agenda.") and "GET" in rule.methods}
    covered = {url.replace("{session}", "<int:session_id>").replace("{room}", "<int:room_id>").replace("{job}", "<int:job_id>")
               for url in PUBLIC_GETS + COMMITTEE_GETS + CHAIR_GETS}
    covered = {url.replace("/versions/1", "/versions/<int:number>") for url in covered}
    assert gets == covered


@pytest.mark.parametrize("url", ["/agenda/week/generate", "/agenda/schedule/run", "/agenda/publish", "/agenda/rooms"])
def test_chair_posts_refused_to_reviewer(client, login, drafting, reviewer, url):
    login(reviewer)

    response = client.post(url, data={"name": "Room X", "capacity": 10, "time_limit": 1})

    assert response.status_code == 403
    assert db.session.execute(sa.select(sa.func.count()).select_from(Room)).scalar_one() == 0


def test_comment_post_anonymous_redirects_to_login(client, commenting, chair):
    _days, _room, sessions = _published_agenda(commenting, chair)

    response = client.post(f"/agenda/s/{sessions[0].id}/comments", data={"body": "Hello"})

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    assert db.session.execute(sa.select(sa.func.count()).select_from(SessionComment)).scalar_one() == 0


# --- sessions ------------------------------------------------------------------------------------------------

def session_data(**overrides):
    data = {"title": "Digital skills for all", "description": "About *skills*.", "format_code": "thematic_workshop",
            "track": "forum", "duration_minutes": 60, "expected_audience": 40, "action_lines": ["C4", "C7-ELEARN"],
            "sdgs": ["4"]}
    data.update(overrides)
    return data


def test_new_session_by_reviewer_in_drafting_is_created(client, login, drafting, reviewer):
    login(reviewer)

    response = client.post("/agenda/sessions/new", data=session_data())

    session = db.session.execute(sa.select(AgendaSession)).scalar_one()
    assert response.status_code == 302
    assert (session.title, session.duration_minutes, [t.code for t in session.action_lines], [t.sdg for t in session.sdgs]) == (
        "Digital skills for all", 60, ["C4", "C7-ELEARN"], [4])


def test_edit_session_with_stale_version_is_409_and_keeps_input(client, login, drafting, reviewer):
    session = make_session(drafting, title="Original title")
    db.session.commit()
    stale = session.version_id
    session.title = "Changed by someone else"
    db.session.commit()
    login(reviewer)

    response = client.post(f"/agenda/sessions/{session.id}", data=session_data(title="My new title", version_id=stale))

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This was saved again in the meantime. The form holds what you typed" in page
    assert 'value="My new title"' in page
    db.session.expire_all()
    assert db.session.get(AgendaSession, session.id).title == "Changed by someone else"


def test_edit_session_by_reviewer_in_public_comment_is_refused(client, login, commenting, reviewer):
    session = make_session(commenting, title="Original title")
    db.session.commit()
    login(reviewer)

    response = client.post(f"/agenda/sessions/{session.id}", data=session_data(version_id=session.version_id))

    assert response.status_code == 403
    assert "Agenda drafting" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AgendaSession, session.id).title == "Original title"


def test_add_person_then_remove_bumps_version(client, login, drafting, reviewer):
    session = make_session(drafting)
    db.session.commit()
    login(reviewer)

    client.post(f"/agenda/sessions/{session.id}/people", data={
        "role": "moderator", "name": "Ana  Lopez", "organization": "UNESCO", "country": "ES", "gender": "female",
        "version_id": session.version_id})

    db.session.expire_all()
    session = db.session.get(AgendaSession, session.id)
    assert [(p.role.value, p.name, p.person_key, p.country) for p in session.people] == [
        ("moderator", "Ana Lopez", "ana lopez", "ES")
    ]
    assert session.version_id == 2
    client.post(f"/agenda/people/{session.people[0].id}/remove", data={"version_id": 2})
    db.session.expire_all()
    assert db.session.get(AgendaSession, session.id).people == []


# --- the week ------------------------------------------------------------------------------------------------

def test_week_generate_days_and_add_room(client, login, drafting, chair):
    login(chair)

    client.post("/agenda/week/generate")
    client.post("/agenda/rooms", data={"name": "Room K2", "capacity": 120, "has_interpretation": "y"})
    duplicate = client.post("/agenda/rooms", data={"name": "room k2", "capacity": 50})

    days = db.session.execute(sa.select(ForumDay).order_by(ForumDay.day)).scalars().all()
    assert [(d.day, d.starts_at, d.ends_at) for d in days] == [
        (drafting.forum_start.replace(day=drafting.forum_start.day) + __import__("datetime").timedelta(days=i), time(9), time(18))
        for i in range(5)]
    assert [(r.name, r.capacity, r.has_interpretation) for r in db.session.execute(sa.select(Room)).scalars()] == [
        ("Room K2", 120, True)
    ]
    assert duplicate.status_code == 422
    assert "A room with this name exists already." in duplicate.get_data(as_text=True)


def test_update_day_with_end_before_start_is_422(client, login, drafting, chair):
    day = make_days(drafting, 1)[0]
    db.session.commit()
    login(chair)

    response = client.post(f"/agenda/days/{day.id}", data={f"day{day.id}-starts_at": "10:00", f"day{day.id}-ends_at": "09:00",
                                                          f"day{day.id}-granularity_minutes": 15})

    assert response.status_code == 422
    assert "A day must end after it starts." in response.get_data(as_text=True)


# --- moves and the schedule page -----------------------------------------------------------------------------

def test_move_session_onto_another_lists_every_conflict(client, login, drafting, chair):
    day = make_days(drafting, 1)[0]
    small = make_room(drafting, name="Room H", capacity=20)
    first = make_session(drafting, title="First", audience=30, people=("Kim",), day=day, room=small, start=time(10, 0))
    second = make_session(drafting, title="Second", audience=10, people=("Kim",))
    db.session.commit()
    login(chair)

    response = client.post(f"/agenda/sessions/{second.id}/move", data={
        "day_id": day.id, "room_id": small.id, "start": "10:30", "version_id": second.version_id})
    page = client.get("/agenda/schedule").get_data(as_text=True)

    assert response.status_code == 302
    assert "<strong>Room double-booked</strong>: “First” and “Second” are in the same room at the same time." in page
    assert "Kim would be in “First” and “Second” at the same time." in page
    assert "Person in two sessions at once" in page
    assert "Room too small for the expected audience" in page
    db.session.expire_all()
    moved = db.session.get(AgendaSession, second.id)
    assert (moved.day_id, moved.room_id, moved.is_pinned) == (day.id, small.id, True)
    assert first.id != second.id


def test_schedule_run_places_sessions_without_conflict(client, login, drafting, chair):
    make_days(drafting, 1)
    make_room(drafting, capacity=50)
    for i in range(3):
        make_session(drafting, title=f"S{i}", people=("Same person",))
    db.session.commit()
    login(chair)

    response = client.post("/agenda/schedule/run", data={"time_limit": 2})

    assert response.status_code == 302
    page = client.get("/agenda/schedule").get_data(as_text=True)
    assert 'data-testid="no-conflicts"' in page
    assert db.session.execute(sa.select(sa.func.count()).where(AgendaSession.starts_at.is_not(None))).scalar_one() == 3


# --- publication ---------------------------------------------------------------------------------------------

def test_publish_with_conflict_is_refused_with_list(client, login, drafting, chair):
    day = make_days(drafting, 1)[0]
    room = make_room(drafting)
    make_session(drafting, title="Alpha", day=day, room=room, start=time(10))
    make_session(drafting, title="Beta", day=day, room=room, start=time(10, 30))
    db.session.commit()
    login(chair)

    response = client.post("/agenda/publish", data={"kind": "draft"})

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The agenda has 1 conflict; resolve it before publishing." in page
    assert "Alpha</a> / <a" in page
    assert db.session.execute(sa.select(sa.func.count()).select_from(AgendaVersion)).scalar_one() == 0


def test_publish_draft_then_public_pages_show_it(client, login, drafting, chair):
    drafting.is_blind_review = False  # the public sees the session's people once review is no longer blind
    day = make_days(drafting, 1)[0]
    room = make_room(drafting, name="Popov Room")
    make_session(drafting, title="Opening of the Forum", day=day, room=room, start=time(9), people=("Doreen",))
    db.session.commit()
    login(chair)

    response = client.post("/agenda/publish", data={"kind": "draft", "note": "First draft."})
    client.post("/account/logout")
    agenda = client.get("/agenda/").get_data(as_text=True)
    data = client.get("/agenda/published.json").get_json()

    assert response.headers["Location"] == "/agenda/versions/1"
    assert "Opening of the Forum" in agenda
    with client.application.test_request_context():
        weekday, hours = short_day(day.day), time_range({"start": "09:00", "end": "10:00"})
    # The locale's formats: the English short time is "9:00 AM", with a narrow no-break space.
    assert hours == "09:00–10:00"
    assert f'<time datetime="{day.day.isoformat()}">{weekday}</time> · {hours} · Popov Room' in agenda
    assert (data["version"], data["kind"], [s["title"] for s in data["sessions"]]) == (1, "draft", ["Opening of the Forum"])
    assert data["sessions"][0]["people"] == [
        {"roles": ["speaker"], "name": "Doreen", "organization": "Doreen Org", "country": "", "is_remote": False}]
    assert data["sessions"][0]["url"] == f"http://localhost/agenda/s/{data['sessions'][0]['id']}"
    assert (data["sessions"][0]["sequence"], data["ical"]) == (0, "http://localhost/agenda/agenda.ics")


def test_public_agenda_search_and_views(client, commenting, chair):
    _published_agenda(commenting, chair, count=3)

    found = client.get("/agenda/?q=topic+1&view=day").get_data(as_text=True)
    by_room = client.get("/agenda/?view=room").get_data(as_text=True)
    by_line = client.get("/agenda/?view=action_line").get_data(as_text=True)

    assert "1 session matches “topic 1”." in found
    assert "Session on topic 1" in found and "Session on topic 2" not in found
    assert '<h2 id="group-1">Popov Room</h2>' in by_room
    assert "C4 Capacity building</h2>" in by_line


def test_public_pages_read_a_version_whose_entries_lack_keys(client, commenting, chair):
    # A version written by an older release (or by hand): the entry has no track, day, room or people.
    days, room, sessions = _published_agenda(commenting, chair, count=1)
    db.session.add(AgendaVersion(consultation_id=commenting.id, number=2, kind=AgendaVersionKind.DRAFT, published_by_id=chair.id,
                                 snapshot=[{"id": sessions[0].id, "title": "Bridging the gap", "start": None}]))
    db.session.commit()

    agenda = client.get("/agenda/")
    session_page = client.get(f"/agenda/s/{sessions[0].id}")
    changes = client.get("/agenda/versions/2")

    assert (agenda.status_code, session_page.status_code, changes.status_code) == (200, 200, 200)
    assert "Bridging the gap" in agenda.get_data(as_text=True)
    assert "Forum Track" in session_page.get_data(as_text=True)
    assert client.get("/agenda/published.json").get_json()["sessions"][0]["track"] == "forum"


def test_public_agenda_before_publication_says_so(client, drafting):
    response = client.get("/agenda/")

    assert response.status_code == 200
    assert "No agenda is published yet." in response.get_data(as_text=True)
    assert client.get("/agenda/published.json").status_code == 404


def test_public_agenda_query_count_does_not_grow(client, commenting, chair, count_queries):
    days, room, _ = _published_agenda(commenting, chair, count=3)
    client.get("/agenda/")
    with count_queries() as small:
        client.get("/agenda/")
    for i in range(30):
        make_session(commenting, title=f"More {i}", day=days[0], room=make_room(commenting), start=time(9))
    publish_agenda(commenting, actor=chair)
    db.session.commit()
    client.get("/agenda/")
    with count_queries() as large:
        client.get("/agenda/")

    assert small.count == large.count


# --- comments ------------------------------------------------------------------------------------------------

def test_comment_then_hide_by_chair(client, login, commenting, stakeholder, chair):
    _days, _room, sessions = _published_agenda(commenting, chair)
    login(stakeholder)
    client.post(f"/agenda/s/{sessions[0].id}/comments", data={"body": "Please add a *youth* speaker. <script>x()</script>"})
    comment = db.session.execute(sa.select(SessionComment)).scalar_one()
    public = client.get(f"/agenda/s/{sessions[0].id}").get_data(as_text=True)
    assert "Please add a <em>youth</em> speaker." in public
    assert "<script>x()" not in public

    _switch_user(login, chair)
    client.post(f"/agenda/comments/{comment.id}/hide", data={"reason": "Off topic"})
    chair_view = client.get(f"/agenda/s/{sessions[0].id}").get_data(as_text=True)
    _switch_user(login, stakeholder)
    stakeholder_view = client.get(f"/agenda/s/{sessions[0].id}").get_data(as_text=True)

    assert "Hidden from the public: <bdi>Off topic</bdi>" in chair_view
    assert "youth" not in stakeholder_view
    actions = (
        db.session.execute(sa.select(AuditEntry.action).where(AuditEntry.action.like("comment.%")).order_by(AuditEntry.id))
        .scalars()
        .all()
    )
    assert actions == ["comment.create", "comment.hide"]


def test_hide_comment_by_stakeholder_is_403(client, login, commenting, stakeholder, chair):
    _days, _room, sessions = _published_agenda(commenting, chair)
    comment = SessionComment(session_id=sessions[0].id, author_id=stakeholder.id, body="Mine")
    db.session.add(comment)
    db.session.commit()
    login(stakeholder)

    response = client.post(f"/agenda/comments/{comment.id}/hide", data={"reason": "x"})

    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(SessionComment, comment.id).is_hidden is False


def test_comment_outside_public_comment_phase_is_refused(client, login, drafting, stakeholder, chair):
    _days, _room, sessions = _published_agenda(drafting, chair)
    login(stakeholder)

    response = client.post(f"/agenda/s/{sessions[0].id}/comments", data={"body": "Too early"})

    assert response.status_code == 403
    assert "Public comment on the draft agenda" in response.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count()).select_from(SessionComment)).scalar_one() == 0


def test_hide_comment_without_reason_keeps_it_visible(client, login, commenting, stakeholder, chair):
    _days, _room, sessions = _published_agenda(commenting, chair)
    comment = SessionComment(session_id=sessions[0].id, author_id=stakeholder.id, body="Visible")
    db.session.add(comment)
    db.session.commit()
    login(chair)

    response = client.post(f"/agenda/comments/{comment.id}/hide", data={"reason": ""})

    # The session page again (not a redirect): the request changed nothing and says why.
    assert response.status_code == 422
    assert "Give a reason for hiding the comment." in response.get_data(as_text=True)
    assert "Session on topic 0" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SessionComment, comment.id).is_hidden is False


def test_hide_from_the_queue_with_a_blank_reason_answers_on_the_queue_beside_the_field(client, login, commenting,
                                                                                       stakeholder, chair):
    _days, _room, sessions = _published_agenda(commenting, chair)
    comment = SessionComment(session_id=sessions[0].id, author_id=stakeholder.id, body="Visible")
    db.session.add(comment)
    db.session.commit()
    login(chair)
    queue = client.get("/agenda/comments").get_data(as_text=True)
    action = f"/agenda/comments/{comment.id}/hide?back=moderation&amp;state=new&amp;page=1"
    assert f'action="{action}"' in queue

    refused = client.post(action.replace("&amp;", "&"), data={"reason": "   "})
    hidden = client.post(action.replace("&amp;", "&"), data={"reason": "Off topic"})

    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "<h1>Comments on the draft agenda</h1>" in page
    assert (f'<p class="error" id="reason-{comment.id}-error">Give a reason for hiding the comment.</p>') in page
    assert hidden.headers["Location"] == "/agenda/comments?state=new"
    db.session.expire_all()
    assert db.session.get(SessionComment, comment.id).hidden_reason == "Off topic"


def test_hide_and_show_from_the_session_page_return_to_it(client, login, commenting, stakeholder, chair):
    _days, _room, sessions = _published_agenda(commenting, chair)
    comment = SessionComment(session_id=sessions[0].id, author_id=stakeholder.id, body="Visible")
    db.session.add(comment)
    db.session.commit()
    login(chair)

    hidden = client.post(f"/agenda/comments/{comment.id}/hide?back=session&page=1", data={"reason": "Spam"})
    shown = client.post(f"/agenda/comments/{comment.id}/show?back=elsewhere&state=https://evil.example")

    target = f"/agenda/s/{sessions[0].id}#comment-{comment.id}"
    assert (hidden.headers["Location"], shown.headers["Location"]) == (target, target)
    db.session.expire_all()
    assert db.session.get(SessionComment, comment.id).is_hidden is False


def test_session_from_cluster_without_a_cluster_is_422_on_the_sessions_page(client, login, drafting, reviewer):
    login(reviewer)

    response = client.post("/agenda/sessions/from-cluster", data={})

    assert response.status_code == 422
    assert "Choose a cluster that has no session yet." in response.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count(AgendaSession.id))).scalar_one() == 0


def test_moderation_queue_sorts_comments_and_the_reply_shows_under_the_comment(client, login, commenting, stakeholder, chair):
    _days, _room, sessions = _published_agenda(commenting, chair, count=2)
    from consult.agenda import comments

    fresh = comments.add_comment(sessions[0], author=stakeholder, body="Add a speaker from the Pacific?")
    spam = comments.add_comment(sessions[1], author=stakeholder, body="Cheap followers!")
    comments.hide_comment(spam, actor=chair, reason="Advertising")
    db.session.commit()
    login(chair)

    queue = client.get("/agenda/comments").get_data(as_text=True)
    response = client.post(f"/agenda/comments/{fresh.id}/reply", data={"reply": "Yes: a speaker from Fiji joins."})
    answered = client.get("/agenda/comments?state=answered").get_data(as_text=True)
    empty = client.post(f"/agenda/comments/{fresh.id}/reply", data={"reply": "  "})
    public = client.get(f"/agenda/s/{sessions[0].id}").get_data(as_text=True)

    assert "New (1)" in queue and "Hidden (1)" in queue and "Add a speaker from the Pacific?" in queue
    assert "Cheap followers!" not in queue
    assert response.headers["Location"] == f"/agenda/comments?state=new#comment-{fresh.id}"
    assert "Answered (1)" in answered and "Yes: a speaker from Fiji joins." in answered
    assert empty.status_code == 422
    assert "Reply of the secretariat</strong>" in public and "Yes: a speaker from Fiji joins." in public
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "comment.reply")).scalar_one()
    assert entry.details == {"old": "", "new": "Yes: a speaker from Fiji joins."}


def test_schedule_run_names_the_sessions_it_had_to_move(client, login, drafting, chair):
    day = make_days(drafting, 1, starts_at=time(9), ends_at=time(11), granularity=30)[0]
    room = make_room(drafting, capacity=50)
    make_session(drafting, title="Sitting at 09:30", day=day, room=room, start=time(9, 30))
    make_session(drafting, title="Needs an hour")
    db.session.commit()
    login(chair)

    client.post("/agenda/schedule/run", data={"time_limit": 2, "keep": "current"})
    page = client.get("/agenda/schedule").get_data(as_text=True)

    assert "2 sessions placed, 0 unplaced, 1 moved" in page
    assert "Moved from where they were, to make room: “Sitting at 09:30”." in page


def test_every_agenda_view_carries_the_day_and_action_lines_are_in_time_order(client, commenting, chair):
    first_day, second_day = make_days(commenting, 2)
    room = make_room(commenting, name="Popov Room")
    make_session(commenting, title="Later: Tuesday", day=second_day, room=room, start=time(9), action_lines=("C4",))
    make_session(commenting, title="Earlier: Monday afternoon", day=first_day, room=room, start=time(15),
                 action_lines=("C4",))
    make_session(commenting, title="Earliest: Monday morning", day=first_day, room=room, start=time(9),
                 action_lines=("C4",))
    publish_agenda(commenting, actor=chair)
    db.session.commit()

    pages = {view: client.get(f"/agenda/?view={view}").get_data(as_text=True) for view in ("room", "action_line")}
    pages["search"] = client.get("/agenda/?q=day").get_data(as_text=True)

    by_line = pages["action_line"]
    assert by_line.index("Earliest: Monday morning") < by_line.index("Earlier: Monday afternoon") < by_line.index(
        "Later: Tuesday")
    for page in pages.values():
        assert page.count(f'<time datetime="{first_day.day.isoformat()}">') == 2
        assert page.count(f'<time datetime="{second_day.day.isoformat()}">') == 1


def test_language_switch_after_a_refused_comment_comes_back_to_the_session_not_a_405(client, login, commenting, chair,
                                                                                     stakeholder):
    _days, _room, sessions = _published_agenda(commenting, chair)
    login(stakeholder)
    session_page = f"/agenda/s/{sessions[0].id}"

    refused = client.post(f"{session_page}/comments", data={"body": ""})
    switched = client.post("/account/language", data={"lang": "fr", "next": f"{session_page}/comments"})

    assert refused.status_code == 422
    assert f'<input type="hidden" name="next" value="{session_page}">' in refused.get_data(as_text=True)
    assert (switched.status_code, switched.headers["Location"]) == (303, session_page)
    assert '<html lang="fr" dir="ltr">' in client.get(session_page).get_data(as_text=True)
