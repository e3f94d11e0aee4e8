"""The queue tests: a real Redis and RQ worker, and a database both the test and the worker see.

In CI, `.ci/run` starts Redis and one worker (`flask --app consult jobs-worker`) on the PostgreSQL database
TEST_WORKER_DATABASE_URL and the queue TEST_JOBS_QUEUE. Elsewhere, with TEST_REDIS_URL set, the fixture starts
a worker of its own on a fresh SQLite file; without Redis the tests skip (and fail in CI).
"""
import os
import uuid
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from consult import create_app
from consult.config import normalise_database_url
from consult.extensions import db
from tests.postgres import throwaway_database
from tests.services import flask_command, redis_url, stop, wait_until


@dataclass
class QueueSetup:
    database_url: str
    redis_url: str
    queue: str


def worker_environment(database_url: str, redis: str, queue: str, instance: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis, "JOBS_QUEUE": queue,
            "CONSULT_ENV": "development", "REPORT_WORKERS": "1", "CONSULT_INSTANCE_PATH": instance}


@pytest.fixture(scope="session")
def queue_setup(tmp_path_factory):
    """Where the worker takes its jobs from and writes its results."""
    redis = redis_url()
    shared = os.environ.get("TEST_WORKER_DATABASE_URL")
    if shared:
        yield QueueSetup(shared, redis, os.environ.get("TEST_JOBS_QUEUE", "consult"))
        return
    folder = tmp_path_factory.mktemp("worker")
    with ExitStack() as stack:
        test_url = normalise_database_url(os.environ.get("TEST_DATABASE_URL", ""))
        if test_url.startswith("postgresql"):
            name = f"{sa.make_url(test_url).database}_worker_{uuid.uuid4().hex[:8]}"
            database_url = stack.enter_context(throwaway_database(test_url, name))
        else:
            database_url = f"sqlite:///{folder / 'worker.sqlite3'}"
        yield from _own_worker(QueueSetup(database_url, redis, f"consult-test-{uuid.uuid4().hex[:8]}"), folder)


def _own_worker(setup: QueueSetup, folder):
    environment = worker_environment(setup.database_url, setup.redis_url, setup.queue, str(folder))
    upgrade = flask_command("db", "upgrade", env=environment, log_path=folder / "upgrade.log")
    assert upgrade.wait(timeout=120) == 0, (folder / "upgrade.log").read_text()
    worker = flask_command("jobs-worker", env=environment, log_path=folder / "worker.log")
    wait_until(lambda: "Working on queue" in (folder / "worker.log").read_text() or worker.poll() is not None,
               timeout=60, what="the RQ worker to start")
    assert worker.poll() is None, (folder / "worker.log").read_text()
    try:
        yield setup
    finally:
        stop(worker)


@pytest.fixture
def queue_app(queue_setup, tmp_path):
    """An app on the worker's database whose jobs go to the worker through Redis (data really committed)."""
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": queue_setup.database_url, "JOBS_BACKEND": "rq",
                                        "REDIS_URL": queue_setup.redis_url, "JOBS_QUEUE": queue_setup.queue},
                     instance_path=str(tmp_path / "instance"))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()
