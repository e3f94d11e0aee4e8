"""The RQ side of consult.jobs: the function RQ workers call, and the worker and scheduler commands.

It lives beside the app factory, not in consult/jobs/, because it builds the app (which imports every area).
"""
import logging
import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from consult.jobs.queue import dispatch, queue_name, rq_queue
from consult.jobs.runner import run_job

logger = logging.getLogger("consult.jobs")

# The app of an RQ worker process, built once (create_app reads DATABASE_URL, REDIS_URL, ... from the environment).
_worker_app: Flask | None = None


def run_job_in_worker(function: str, args) -> None:
    """What RQ runs for every consult job: run_job in the worker's app."""
    global _worker_app
    if _worker_app is None:
        from consult import create_app

        _worker_app = create_app()
    run_job(_worker_app, function, args)


@click.command("jobs-worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (tests, one-off runs).")
@with_appcontext
def jobs_worker_command(burst):
    """Run queue jobs from Redis (REDIS_URL) until stopped; start one or more per host."""
    from rq import SimpleWorker

    global _worker_app
    app = current_app._get_current_object()
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: there is no queue to work on.")
    _worker_app = app
    queue = rq_queue(app)
    # SimpleWorker runs each job in this process (the app and its engine are built once); a job that kills the
    # process is found stalled by its heartbeat and retried from its page.
    worker = SimpleWorker([queue], connection=queue.connection, name=None)
    click.echo(f"Working on queue {queue_name(app)!r} at {app.config['REDIS_URL']}")
    worker.work(burst=burst, with_scheduler=False)


@click.command("jobs-scheduler")
@click.option("--every", default=60, show_default=True, help="Seconds between two rounds.")
@click.option("--once", is_flag=True, help="One round, then stop (cron, tests).")
@with_appcontext
def jobs_scheduler_command(every, once):
    """Enqueue the periodic jobs (PERIODIC_JOBS: e-mail retries, stalled builds, expired previews) every few seconds."""
    app = current_app._get_current_object()
    while True:
        for function in app.config["PERIODIC_JOBS"]:
            try:
                dispatch(app, function, ())
            except Exception:  # one unreachable round must not stop the scheduler
                logger.exception("Could not enqueue periodic job %s", function)
        if once:
            return
        time.sleep(every)


def register_worker_commands(app: Flask) -> None:
    """Attach the queue commands to the app."""
    app.cli.add_command(jobs_worker_command)
    app.cli.add_command(jobs_scheduler_command)
