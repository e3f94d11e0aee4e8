"""The areas' long work (cluster suggestions, the scheduler, reviewer assignment) as tracked jobs on the queue.

An area asks for a run with request_work, naming its job function; the function (a queue job) calls run_work with
the body that does the work. The row shows the page how far the run is; claiming, progress, stalls and retries are
consult.jobs.tracking's, the same as the PDF builds'.
"""
import logging
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from consult.errors import DomainError, NotAllowedError
from consult.extensions import db
from consult.jobs import tracking
from consult.jobs.models import JobState, WorkJob, WorkKind
from consult.jobs.progress import side_transaction
from consult.jobs.queue import enqueue

logger = logging.getLogger("consult.jobs")

# What a job's body is handed: report this whole percentage (and a heartbeat) now.
Progress = Callable[[int], None]


def latest_work(consultation_id: int, kind: WorkKind) -> WorkJob | None:
    """The newest run of this kind for the consultation (what its page shows), or None."""
    return db.session.execute(
        sa.select(WorkJob).where(WorkJob.consultation_id == consultation_id, WorkJob.kind == kind)
        .order_by(WorkJob.id.desc()).limit(1)
    ).scalar_one_or_none()


def request_work(consultation_id: int, kind: WorkKind, *, function: str, parameters: dict,
                 requested_by_id: int | None) -> WorkJob:
    """Queue a run of function (or return the run of this kind still under way); it starts after the commit."""
    running = latest_work(consultation_id, kind)
    if running is not None and running.state in tracking.ACTIVE_STATES and not tracking.is_stalled(running):
        return running
    # The run speaks the requester's language: its refusals and failures are read on their page.
    job = WorkJob(consultation_id=consultation_id, kind=kind, state=JobState.QUEUED, progress=0, attempts=1,
                  parameters={**parameters, "locale": str(get_locale() or "en")}, requested_by_id=requested_by_id,
                  message="")
    db.session.add(job)
    db.session.flush()
    enqueue(function, job.id, job.attempts)
    return job


def retry_work(job: WorkJob, *, function: str, requested_by_id: int | None) -> WorkJob:
    """Queue a failed or stalled run again with its parameters, as its next attempt, run as who retried it."""
    if not tracking.is_retryable(job):
        raise DomainError(_("Only a failed or stalled run can be retried."))
    job.outcome, job.requested_by_id = None, requested_by_id
    enqueue(function, job.id, tracking.requeue(job))
    return job


def run_work(job_id: int, attempt: int, body: Callable[[WorkJob, Progress], dict]) -> None:
    """Claim attempt `attempt` of the job, run body(job, progress) and store its outcome (or why it failed).

    Safe to run twice: a second run of the same attempt finds the row claimed and does nothing. The caller (the
    queue runner) commits once; a failure is stored, not raised, so that the commit keeps it.
    """
    with side_transaction() as session:
        if not tracking.claim(session, WorkJob, job_id, attempt):
            logger.info("work job %s attempt %s: already claimed or superseded, nothing to do", job_id, attempt)
            return

    def progress(percent: int) -> None:
        with side_transaction() as session:
            tracking.record_progress(session, WorkJob, job_id, attempt, percent=percent)

    job = db.session.get(WorkJob, job_id)
    kind = job.kind.value
    try:
        with force_locale(job.parameters.get("locale") or "en"):
            outcome = body(job, progress)
        db.session.flush()
        tracking.finish(job, attempt, outcome=outcome)
    except DomainError as error:  # refused when it ran (the phase closed meanwhile, say): the page says why
        db.session.rollback()
        tracking.fail(db.session.get(WorkJob, job_id), attempt, message=error.message)
    except Exception as error:  # any crash must end as FAILED with its message, not as a stuck job
        db.session.rollback()
        logger.error("work job %s (%s) failed:\n%s", job_id, kind, traceback.format_exc())
        tracking.fail(db.session.get(WorkJob, job_id), attempt, message=f"{type(error).__name__}: {error}")


def requester(job: WorkJob, user_model: type):
    """The account that asked for the run, which the run acts as (its permissions are checked again now)."""
    actor = db.session.get(user_model, job.requested_by_id) if job.requested_by_id else None
    if actor is None:
        raise NotAllowedError(_("The account that asked for this run no longer exists."))
    return actor


def work_status(job: WorkJob) -> dict:
    """What the page shows of a run, also served as JSON to the polling script."""
    return {"id": job.id, "kind": job.kind.value, "state": job.state.value, "state_label": job.state.label,
            "progress": job.progress,
            "message": job.message, "is_stalled": tracking.is_stalled(job), "is_retryable": tracking.is_retryable(job)}


@contextmanager
def advancing(progress: Progress, *, start: int, end: int, seconds: float, every: float = 2.0) -> Iterator[None]:
    """While the block runs (a solver bounded by its time limit), move progress from start towards end over seconds.

    The heartbeat goes on while a library holds the job's thread. Written from a thread of its own, so only where
    the job has the database to itself: a job run inline in a test shares the test's connection, and is short.
    """
    if not isinstance(db.session.get_bind(), sa.engine.Engine):
        yield
        return
    app = current_app._get_current_object()
    stop = threading.Event()
    began = time.monotonic()

    def tick() -> None:
        while not stop.wait(every):
            fraction = min(1.0, (time.monotonic() - began) / seconds) if seconds > 0 else 1.0
            try:
                with app.app_context():
                    progress(start + int((end - start) * fraction))
            except Exception:  # a missed heartbeat is no reason to disturb the work
                logger.warning("could not record a job's progress", exc_info=True)

    ticker = threading.Thread(target=tick, name="job-progress", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        stop.set()
        ticker.join()
