"""The scheduler of a large agenda runs as a queue job (inline here): its page shows the outcome; a rerun places the same."""
import sqlalchemy as sa

from consult.agenda.models import AgendaSession
from consult.extensions import db
from consult.jobs.models import JobState, WorkJob, WorkKind
from tests.agenda.factories import make_days, make_room, make_session


def _placements(consultation_id: int) -> dict:
    db.session.expire_all()
    return {session.title: (session.day_id, session.room_id, session.starts_at) for session in db.session.execute(
        sa.select(AgendaSession).where(AgendaSession.consultation_id == consultation_id)).scalars()}


def _runs() -> list[WorkJob]:
    return list(db.session.execute(sa.select(WorkJob).where(WorkJob.kind == WorkKind.AGENDA_SCHEDULE)
                                   .order_by(WorkJob.id)).scalars())


def _agenda(drafting):
    make_days(drafting, 1)
    make_room(drafting, capacity=50)
    for i in range(3):
        make_session(drafting, title=f"S{i}", people=("Same person",))
    db.session.commit()


def test_small_agenda_is_scheduled_in_the_request(app, client, login, drafting, chair):
    _agenda(drafting)
    login(chair)

    page = client.post("/agenda/schedule/run", data={"time_limit": 2}, follow_redirects=True).get_data(as_text=True)

    assert "3 sessions placed, 0 unplaced, 0 moved" in page
    assert _runs() == []


def test_large_agenda_is_scheduled_in_a_job_and_a_rerun_places_the_same(app, client, login, drafting, chair):
    app.config["SCHEDULING_JOB_THRESHOLD"] = 2  # three sessions to place are "large" here
    _agenda(drafting)
    login(chair)

    response = client.post("/agenda/schedule/run", data={"time_limit": 2, "keep": "current"})
    first = _placements(drafting.id)
    page = client.get("/agenda/schedule").get_data(as_text=True)
    client.post("/agenda/schedule/run", data={"time_limit": 2, "keep": "current"})
    second = _placements(drafting.id)

    runs = _runs()
    assert response.location.endswith("/agenda/schedule")
    assert [(run.state, run.progress, run.parameters) for run in runs] == [
        (JobState.DONE, 100, {"time_limit": 2.0, "keep": "current", "locale": "en"})] * 2
    assert {key: value for key, value in runs[0].outcome.items() if key != "seconds"} == {
        "placed": 3, "unplaced": 0, "moved": [], "soft_goal_misses": 0}
    assert all(starts_at is not None for _day, _room, starts_at in first.values())
    assert second == first
    assert "Scheduler run in the background" in page
    assert "3 sessions placed, 0 unplaced, 0 moved, 0 soft goals missed" in page
    assert f'data-status-url="/agenda/schedule/jobs/{runs[0].id}/status.json"' in page


def test_a_reviewer_cannot_start_or_follow_the_scheduler_job(app, client, login, drafting, chair, reviewer):
    app.config["SCHEDULING_JOB_THRESHOLD"] = 0
    _agenda(drafting)
    login(chair)
    client.post("/agenda/schedule/run", data={"time_limit": 1})
    [run] = _runs()
    login(reviewer)

    refused = client.post("/agenda/schedule/run", data={"time_limit": 1})
    status = client.get(f"/agenda/schedule/jobs/{run.id}/status.json")

    assert (refused.status_code, status.status_code) == (403, 403)
    assert len(_runs()) == 1
