"""Two gunicorn hosts against one PostgreSQL and one Redis: a PDF built through one host is downloaded through
the other, an import previewed on one is confirmed on the other, and sign-in throttling counts across both.

Each host has its own instance folder (nothing shared on disk) and the same SECRET_KEY (a load balancer may send
one browser to either). Run once in CI, in the queue pass of .ci/run.
"""
import os
import re
import shutil
import subprocess
import sys

import pytest
import requests
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.extensions import db
from consult.proposals.models import ImportBatch, Proposal
from tests import factories
from tests.jobs.conftest import worker_environment
from tests.proposals.test_importing import GOOD_ROW, HEADER
from tests.services import ROOT, free_port, require, stop, wait_until

pytestmark = [pytest.mark.many_hosts, pytest.mark.queue, pytest.mark.committing]
PASSWORD = "two hosts, one database"
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def _start_host(queue_setup, folder, port: int) -> subprocess.Popen:
    environment = {**worker_environment(queue_setup.database_url, queue_setup.redis_url, queue_setup.queue, str(folder)),
                   "SECRET_KEY": "one key for every host of this installation",
                   "RATELIMIT_STORAGE_URI": queue_setup.redis_url.rsplit("/", 1)[0] + "/1"}
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "gunicorn.log").open("wb") as log:
        return subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                                 "consult:create_app()"], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)


@pytest.fixture
def two_hosts(queue_setup, tmp_path):
    """Base URLs of two gunicorn hosts (two workers each) on the worker's database and Redis."""
    require(queue_setup.database_url.startswith("postgresql"), "the two-host test needs PostgreSQL (TEST_DATABASE_URL)")
    require(shutil.which("gunicorn") is not None, "gunicorn is not installed")
    ports = free_port(), free_port()
    hosts = [_start_host(queue_setup, tmp_path / f"host-{index}", port) for index, port in enumerate(ports)]
    try:
        for port, host in zip(ports, hosts, strict=True):
            wait_until(lambda port=port, host=host: host.poll() is not None or _answers(port), timeout=90,
                       what=f"gunicorn on port {port}")
            assert host.poll() is None, (tmp_path / "host-0" / "gunicorn.log").read_text()
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for host in hosts:
            stop(host)


def _answers(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _csrf(browser: requests.Session, url: str) -> str:
    return CSRF.search(browser.get(url, timeout=30).text).group(1)


def _sign_in(browser: requests.Session, base: str, email: str, password: str) -> int:
    token = _csrf(browser, f"{base}/account/login")
    return browser.post(f"{base}/account/login", data={"email": email, "password": password, "csrf_token": token},
                        allow_redirects=False, timeout=30).status_code


def test_two_hosts_share_builds_imports_and_sign_in_limits(queue_app, two_hosts):
    first, second = two_hosts
    chair = factories.make_user(role=Role.CHAIR, name="Amina Diallo", password=PASSWORD)
    factories.make_consultation(title=f"Two hosts {os.getpid()}")
    db.session.commit()
    browser = requests.Session()  # one cookie jar: what a load balancer sending one browser to either host sees
    assert _sign_in(browser, first, chair.email, PASSWORD) == 302

    # A report build started through the first host is followed and downloaded through the second.
    build = browser.post(f"{first}/reports/build/outcomes", data={"csrf_token": _csrf(browser, f"{first}/reports/")},
                         allow_redirects=False, timeout=30)
    job_id = int(re.search(r'id="job-(\d+)"', browser.get(f"{second}/reports/", timeout=30).text).group(1))
    status = wait_until(lambda: (state := browser.get(f"{second}/reports/jobs/{job_id}/status.json", timeout=30).json())
                        ["state"] in ("done", "failed") and state, timeout=180, what="the build in the RQ worker", interval=1)
    download = browser.get(f"{second}{status['download_url']}", timeout=60)

    assert build.status_code == 302
    assert status["state"] == "done", status["message"]
    assert download.headers["Content-Type"] == "application/pdf" and download.content.startswith(b"%PDF-")

    # An import previewed on the first host is confirmed on the second, once.
    preview = browser.post(f"{first}/proposals/import", timeout=60,
                           data={"source": "Regional event", "csrf_token": _csrf(browser, f"{first}/proposals/import")},
                           files={"file": ("event.csv", (HEADER + GOOD_ROW).encode(), "text/csv")})
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview.text).group(1)
    confirm = {"token": token, "source": "Regional event", "csrf_token": _csrf(browser, f"{second}/proposals/import")}
    confirmed = browser.post(f"{second}/proposals/import/confirm", data=confirm, allow_redirects=False, timeout=60)
    again = browser.post(f"{first}/proposals/import/confirm", data=confirm, allow_redirects=False, timeout=60)

    db.session.expire_all()
    batch_ids = db.session.execute(sa.select(ImportBatch.id).where(ImportBatch.filename == "event.csv")).scalars().all()
    assert (confirmed.status_code, again.status_code) == (303, 303)
    assert len(batch_ids) == 1
    assert (
        db.session.execute(sa.select(sa.func.count(Proposal.id)).where(Proposal.import_batch_id == batch_ids[0])).scalar_one()
        == 1
    )

    # Sign-in throttling counts across hosts: 5 refused attempts on each, then the 11th is refused on either.
    attacker = requests.Session()
    refused = [_sign_in(attacker, host, chair.email, "wrong") for host in (first, second) for _attempt in range(5)]
    assert refused == [422] * 10
    assert _sign_in(attacker, first, chair.email, PASSWORD) == 429
    assert _sign_in(attacker, second, chair.email, PASSWORD) == 429
