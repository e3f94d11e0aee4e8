"""`flask --app consult schedule`."""
from datetime import time

import sqlalchemy as sa

from consult.agenda.models import AgendaSession
from consult.extensions import db
from tests.agenda.factories import make_days, make_room, make_session


def test_schedule_command_places_and_reports(runner, drafting):
    make_days(drafting, 1)
    make_room(drafting, capacity=60)
    make_session(drafting, title="Fits")
    make_session(drafting, title="Too many people", audience=400)
    db.session.commit()

    result = runner.invoke(args=["schedule", "--time-limit", "2"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:5] == ["placed: 1", "unplaced: 1", "same-action-line pairs in parallel: 0",
                         "high-level sessions without interpretation: 0", "soft goals missed: 0"]
    assert lines[-1].endswith("No room is large enough for the expected audience.")
    db.session.expire_all()
    assert db.session.execute(sa.select(AgendaSession.title).where(AgendaSession.starts_at.is_not(None))).scalars().all() == [
        "Fits"
    ]


def test_schedule_command_dry_run_saves_nothing(runner, drafting):
    day = make_days(drafting, 1)[0]
    room = make_room(drafting)
    make_session(drafting, title="Pinned", day=day, room=room, start=time(9), pinned=True)
    make_session(drafting, title="Free")
    db.session.commit()

    result = runner.invoke(args=["schedule", "--time-limit", "2", "--dry-run"])

    assert "placed: 2" in result.output
    assert "dry run, nothing saved" in result.output
    db.session.expire_all()
    assert db.session.execute(sa.select(AgendaSession.title).where(AgendaSession.starts_at.is_(None))).scalars().all() == ["Free"]


def test_schedule_command_without_consultation_fails(runner, app):
    result = runner.invoke(args=["schedule"])

    assert result.exit_code == 1
    assert "There is no consultation." in result.output
