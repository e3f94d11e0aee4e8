"""One mechanism for every tracked job (PDF builds, the areas' long work): claim, progress, finish, stall, retry.

A job row carries an attempt number. Enqueuing hands the job function (row id, attempt); the run that claims the
row for that attempt (QUEUED -> RUNNING in one UPDATE) is the only one that does the work, and only the newest
attempt may finish the row. So a job handed over twice runs once, and the late answer of a worker presumed dead
never overwrites the retry that replaced it. A queued or running row silent for JOB_STALE_SECONDS is stalled:
its page offers a retry, which is the next attempt.
"""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from consult.db import utcnow
from consult.extensions import db
from consult.jobs.models import JobState, TrackedJob

# A request for a job of the same kind while one is under way gets that one, not a second.
ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)
# The longest message kept on a row (a traceback's last line, a refusal).
MESSAGE_LENGTH = 2000


def is_stalled(job: TrackedJob, *, now=None) -> bool:
    """Whether a queued or running job gave no sign of life for JOB_STALE_SECONDS (its worker died)."""
    if job.state not in ACTIVE_STATES:
        return False
    last_sign = job.heartbeat_at or job.updated_at or job.created_at
    return last_sign is not None and (now or utcnow()) - last_sign > timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])


def is_retryable(job: TrackedJob) -> bool:
    """A failed or stalled job may be queued again."""
    return job.state is JobState.FAILED or is_stalled(job)


def requeue(job: TrackedJob) -> int:
    """Make a failed or stalled job its next attempt, queued afresh; the attempt number to enqueue."""
    job.attempts += 1
    job.state, job.progress, job.heartbeat_at, job.finished_at, job.message = JobState.QUEUED, 0, None, None, ""
    db.session.flush()
    return job.attempts


def claim(session, model: type[TrackedJob], job_id: int, attempt: int) -> bool:
    """Move a queued job to running in one statement, so that two runs of one attempt never both do the work."""
    result = session.execute(
        sa.update(model).where(model.id == job_id, model.state == JobState.QUEUED, model.attempts == attempt)
        .values(state=JobState.RUNNING, progress=0, heartbeat_at=utcnow(), updated_at=utcnow())
    )
    return result.rowcount == 1


def record_progress(session, model: type[TrackedJob], job_id: int, attempt: int, *, percent: int) -> None:
    """Record progress (never 100 before the result is stored) and a heartbeat, if this run still owns the job."""
    session.execute(
        sa.update(model).where(model.id == job_id, model.attempts == attempt, model.state == JobState.RUNNING)
        .values(progress=max(0, min(99, int(percent))), heartbeat_at=utcnow())
    )


def percent_of(done: int, total: int) -> int:
    """done of total as a whole percentage (0 when there is nothing to count)."""
    return int(100 * done / total) if total else 0


def finish(job: TrackedJob, attempt: int, **values) -> bool:
    """Mark the job done with values, unless a newer attempt took it over; whether this run's result was kept."""
    model = type(job)
    result = db.session.execute(
        sa.update(model).where(model.id == job.id, model.attempts == attempt, model.state == JobState.RUNNING)
        .values(state=JobState.DONE, progress=100, finished_at=utcnow(), updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.expire(job)
    return True


def fail(job: TrackedJob, attempt: int, *, message: str) -> bool:
    """Mark the job failed with its reason (unless a newer attempt owns it); whether the mark was made."""
    model = type(job)
    result = db.session.execute(
        sa.update(model).where(model.id == job.id, model.attempts == attempt)
        .values(state=JobState.FAILED, message=message[:MESSAGE_LENGTH], finished_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.expire(job)
    return True
