"""Real services beside the test database: Redis, an RQ worker, gunicorn. In CI a missing one fails the test;
on a developer machine it skips with the reason."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def require(condition: bool, what: str) -> None:
    """Fail in CI (CI=true), skip elsewhere, when a service the test needs is missing."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} (CI provides it: see .ci/run)")
    pytest.skip(what)


def redis_url() -> str:
    """TEST_REDIS_URL, checked to answer PING."""
    url = os.environ.get("TEST_REDIS_URL")
    require(bool(url), "TEST_REDIS_URL is not set (e.g. redis-server --port 6379 and TEST_REDIS_URL=redis://127.0.0.1:6379/0)")
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except RedisConnectionError as error:
        require(False, f"Redis at TEST_REDIS_URL={url} does not answer: {error}")
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flask_command(*args: str, env: dict, log_path: Path) -> subprocess.Popen:
    """`flask --app consult ...` in a process of its own, its output in log_path."""
    with log_path.open("wb") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "consult", *args], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.2):
    """Poll predicate until it returns something truthy; fail with `what` after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
