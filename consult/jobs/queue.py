"""Enqueue after commit, then hand each job to the configured backend."""
import logging
import threading
from functools import partial

from flask import Flask, current_app

from consult.transaction import after_commit

logger = logging.getLogger("consult.jobs")

BACKENDS = ("rq", "thread", "inline")
# Long enough for the 600-page outcomes report on a slow machine.
DEFAULT_TIMEOUT = 3600


def queue_name(app: Flask) -> str:
    """The RQ queue every host of one installation shares."""
    return app.config.get("JOBS_QUEUE", "consult")


def backend(app: Flask) -> str:
    """Where this app runs its jobs: JOBS_BACKEND, else RQ when REDIS_URL is set, else a thread."""
    chosen = app.config.get("JOBS_BACKEND") or ("rq" if app.config.get("REDIS_URL") else "thread")
    if chosen not in BACKENDS:
        raise RuntimeError(f"JOBS_BACKEND must be one of {', '.join(BACKENDS)}, not {chosen!r}")
    return chosen


def enqueue(function: str, *args, timeout: int = DEFAULT_TIMEOUT, session=None) -> None:
    """Run function(*args) as a job once the transaction of session (the app's by default) commits.

    Arguments must be plain data (RQ stores them); the job is forgotten if the transaction rolls back.
    """
    after_commit(partial(_hand_over, current_app._get_current_object(), function, args, timeout), session=session)


def _hand_over(app: Flask, function: str, args: tuple, timeout: int) -> None:
    try:
        dispatch(app, function, args, timeout=timeout)
    except Exception:  # the commit stands: the periodic jobs or a retry from the page pick the work up
        logger.exception("Could not hand job %s%r to the %s backend", function, tuple(args), backend(app))


def dispatch(app: Flask, function: str, args: tuple, *, timeout: int = DEFAULT_TIMEOUT) -> None:
    """Hand one committed job to the backend now."""
    from consult.jobs.runner import run_job

    chosen = backend(app)
    if chosen == "rq":
        # By name: the worker function builds the app, which this ground-floor module must not import.
        rq_queue(app).enqueue("consult.worker.run_job_in_worker", function, list(args), job_timeout=timeout,
                              description=f"{function}{tuple(args)!r}")
    elif chosen == "inline":
        run_job(app, function, args, reraise=False)
    else:
        threading.Thread(target=run_job, args=(app, function, args), kwargs={"reraise": False}, name=f"job-{function}",
                         daemon=True).start()


def rq_queue(app: Flask):
    """The RQ queue at REDIS_URL."""
    from redis import Redis
    from rq import Queue

    return Queue(queue_name(app), connection=Redis.from_url(app.config["REDIS_URL"]))


def init_app(app: Flask) -> None:
    """Check the backend setting at start, so a typo fails the start and not the first job."""
    backend(app)
