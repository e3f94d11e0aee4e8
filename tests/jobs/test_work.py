"""The areas' long work as tracked jobs (consult.jobs.work, inline runner): claimed once, stalls found, retries."""
from datetime import timedelta

import pytest

from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.jobs import tracking
from consult.jobs.models import JobState, WorkJob, WorkKind
from consult.jobs.progress import side_transaction
from consult.jobs.work import request_work, retry_work, run_work, work_status

BODY_RUNS: list = []
JOB = "tests.jobs.test_work.counting_job"


def counting_job(job_id: int, attempt: int) -> None:
    """A job for these tests: note the run, report progress, find one thing."""
    def body(job, progress):
        BODY_RUNS.append((job_id, attempt))
        progress(50)
        return {"found": len(BODY_RUNS)}

    run_work(job_id, attempt, body)


def crashing_job(job_id: int, attempt: int) -> None:
    """A job for these tests whose body crashes."""
    run_work(job_id, attempt, lambda job, progress: 1 / 0)


@pytest.fixture(autouse=True)
def _forget_runs():
    BODY_RUNS.clear()


def _row(job_id: int) -> WorkJob:
    db.session.expire_all()
    return db.session.get(WorkJob, job_id)


def test_requested_work_runs_after_commit_and_stores_its_outcome(app, consultation, chair):
    job = request_work(consultation.id, WorkKind.AGENDA_SCHEDULE, function=JOB, parameters={"keep": "current"},
                       requested_by_id=chair.id)
    assert BODY_RUNS == []

    db.session.commit()

    done = _row(job.id)
    assert BODY_RUNS == [(job.id, 1)]
    assert (done.state, done.progress, done.outcome, done.attempts) == (JobState.DONE, 100, {"found": 1}, 1)
    assert done.finished_at is not None and done.heartbeat_at is not None


def test_a_run_handed_over_twice_works_once(app, consultation, chair):
    job = request_work(consultation.id, WorkKind.AGENDA_SCHEDULE, function=JOB, parameters={}, requested_by_id=chair.id)
    db.session.commit()

    counting_job(job.id, 1)
    db.session.commit()

    assert BODY_RUNS == [(job.id, 1)]
    assert _row(job.id).outcome == {"found": 1}


def test_asking_again_while_a_run_is_under_way_gives_that_run(app, consultation, chair):
    running = WorkJob(consultation_id=consultation.id, kind=WorkKind.REVIEW_ASSIGNMENT, state=JobState.RUNNING,
                      attempts=1, parameters={}, heartbeat_at=utcnow())
    db.session.add(running)
    db.session.flush()

    again = request_work(consultation.id, WorkKind.REVIEW_ASSIGNMENT, function=JOB, parameters={},
                         requested_by_id=chair.id)

    assert again.id == running.id
    db.session.commit()
    assert BODY_RUNS == []


def test_a_run_left_by_a_dead_worker_is_stalled_and_its_retry_is_the_only_result_kept(app, consultation, chair):
    stalled = WorkJob(consultation_id=consultation.id, kind=WorkKind.CLUSTER_SUGGESTIONS, state=JobState.RUNNING,
                      attempts=1, progress=40, parameters={}, heartbeat_at=utcnow() - timedelta(hours=1))
    db.session.add(stalled)
    db.session.commit()
    assert (work_status(stalled)["is_stalled"], work_status(stalled)["is_retryable"]) == (True, True)

    retry_work(stalled, function=JOB, requested_by_id=chair.id)
    db.session.commit()
    # The presumed-dead worker answers late, as attempt 1: nothing it says is kept.
    with side_transaction() as session:
        tracking.record_progress(session, WorkJob, stalled.id, 1, percent=90)
    kept = tracking.finish(_row(stalled.id), 1, outcome={"found": -1})

    retried = _row(stalled.id)
    assert kept is False
    assert BODY_RUNS == [(stalled.id, 2)]
    assert (retried.state, retried.attempts, retried.progress, retried.outcome) == (JobState.DONE, 2, 100, {"found": 1})
    assert retried.requested_by_id == chair.id


def test_a_queued_or_finished_run_cannot_be_retried(app, consultation):
    for state in (JobState.QUEUED, JobState.DONE):
        job = WorkJob(consultation_id=consultation.id, kind=WorkKind.CLUSTER_SUGGESTIONS, state=state, attempts=1,
                      parameters={}, heartbeat_at=utcnow())
        db.session.add(job)
        db.session.flush()
        with pytest.raises(DomainError, match="Only a failed or stalled run can be retried."):
            retry_work(job, function=JOB, requested_by_id=None)


def test_a_crash_ends_as_failed_with_its_message(app, consultation, chair, caplog):
    job = request_work(consultation.id, WorkKind.AGENDA_SCHEDULE, function="tests.jobs.test_work.crashing_job",
                       parameters={}, requested_by_id=chair.id)
    db.session.commit()

    failed = _row(job.id)
    assert (failed.state, failed.message, failed.outcome) == (JobState.FAILED, "ZeroDivisionError: division by zero", None)
    assert "ZeroDivisionError" in caplog.text
    assert work_status(failed)["is_retryable"] is True


@pytest.mark.committing
def test_progress_advances_while_a_library_holds_the_jobs_thread(app, consultation, chair):
    import time

    from consult.jobs.work import advancing

    job = WorkJob(consultation_id=consultation.id, kind=WorkKind.AGENDA_SCHEDULE, state=JobState.RUNNING, attempts=1,
                  parameters={}, progress=5, heartbeat_at=utcnow() - timedelta(minutes=4))
    db.session.add(job)
    db.session.commit()
    seen = []

    def progress(percent: int) -> None:
        with side_transaction() as session:
            tracking.record_progress(session, WorkJob, job.id, 1, percent=percent)
        seen.append(percent)

    with advancing(progress, start=5, end=95, seconds=0.5, every=0.05):
        time.sleep(0.4)  # the solver, busy in C: no Python of the job's runs meanwhile

    row = _row(job.id)
    assert len(seen) >= 3 and seen == sorted(seen) and 5 < seen[-1] <= 95
    assert row.progress == seen[-1]
    assert utcnow() - row.heartbeat_at < timedelta(seconds=5)
