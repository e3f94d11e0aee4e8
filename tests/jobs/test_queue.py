"""consult.jobs without Redis: handed over only after commit, in a session of its own, failures kept from the page."""
import pytest
import sqlalchemy as sa

from consult import create_app
from consult.extensions import db
from consult.jobs import enqueue
from consult.jobs.queue import backend
from consult.outbox.models import MessageState, OutboxMessage
from consult.proposals.models import ImportPreview

RAN: list = []


def record_run(value: str) -> None:
    """A job for these tests: note that it ran, and in which session."""
    RAN.append((value, id(db.session())))
    db.session.add(OutboxMessage(recipient="job@example.org", subject=f"written by the job: {value}", body=""))


def crash(value: str) -> None:
    """A job for these tests that fails."""
    raise RuntimeError(f"job crashed on {value}")


@pytest.fixture(autouse=True)
def _forget_runs():
    RAN.clear()


def test_job_runs_after_commit_in_its_own_session(app):
    request_session = id(db.session())
    enqueue("tests.jobs.test_queue.record_run", "after commit")
    assert RAN == []

    db.session.commit()

    assert [value for value, _session in RAN] == ["after commit"]
    assert RAN[0][1] != request_session
    written = db.session.execute(sa.select(OutboxMessage.subject)).scalars().all()
    assert written == ["written by the job: after commit"]


def test_job_of_a_rolled_back_transaction_never_runs(app):
    db.session.add(OutboxMessage(recipient="gone@example.org", subject="rolled back with the job", body=""))
    db.session.flush()
    enqueue("tests.jobs.test_queue.record_run", "rolled back")

    db.session.rollback()
    db.session.commit()

    assert RAN == []


def test_failing_inline_job_is_logged_and_leaves_the_commit_standing(app, caplog):
    db.session.add(OutboxMessage(recipient="kept@example.org", subject="kept", body=""))
    enqueue("tests.jobs.test_queue.crash", "purpose")

    db.session.commit()

    assert "Job tests.jobs.test_queue.crash('purpose',) failed" in caplog.text
    assert "RuntimeError: job crashed on purpose" in caplog.text
    assert db.session.execute(sa.select(OutboxMessage.subject)).scalars().all() == ["kept"]


def test_backend_follows_settings(app):
    app.config.update(JOBS_BACKEND=None, REDIS_URL=None)
    assert backend(app) == "thread"
    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    assert backend(app) == "rq"
    app.config["JOBS_BACKEND"] = "inline"
    assert backend(app) == "inline"


def test_unknown_backend_fails_the_start():
    with pytest.raises(RuntimeError, match="JOBS_BACKEND must be one of rq, thread, inline, not 'celery'"):
        create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://", "JOBS_BACKEND": "celery"})


def test_scheduler_round_runs_the_periodic_jobs(app, runner, consultation, chair):
    waiting = OutboxMessage(recipient="late@example.org", subject="waited for its worker", body="")
    consumed = ImportPreview(token="t" * 43, consultation_id=consultation.id, filename="a.csv", source="s", data=b"x",
                             consumed_at=consultation.created_at)
    db.session.add_all([waiting, consumed])
    db.session.commit()

    result = runner.invoke(args=["jobs-scheduler", "--once"])

    db.session.expire_all()
    assert result.exit_code == 0, result.output
    assert db.session.get(OutboxMessage, waiting.id).state is MessageState.LOGGED
    assert db.session.execute(sa.select(sa.func.count(ImportPreview.id))).scalar_one() == 0
