"""Shared by load.py and faults.py: databases, a data set, gunicorn, wrk and the stakeholder submission client."""
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("CONSULT_BENCH_DIR", "/tmp/consult-bench"))
POSTGRES_ADMIN_URL = os.environ.get("CONSULT_BENCH_PG", "postgresql://postgres@127.0.0.1:5433/postgres")
SECRET_KEY = secrets.token_hex(32)  # one per run, shared by every worker through the environment
PASSWORD = "correct horse battery"


def database_url(kind: str, name: str) -> str:
    """A fresh, empty database of this kind ('sqlite' or 'postgres'), migrated to the current schema."""
    WORK.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        path = WORK / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        import psycopg

        database = f"consult_hardening_{name}"
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{database}"')
        url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    subprocess.run([sys.executable, "-m", "flask", "--app", "consult", "db", "upgrade"], cwd=ROOT, check=True,
                   env=server_environment(url), capture_output=True)
    return url


def server_environment(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "CONSULT_ENV": "development",
            "PYTHONPATH": str(ROOT)}


def seed(url: str, *, proposals: int, stakeholders: int) -> None:
    """A consultation in its call phase, a chair, stakeholders and proposals with realistic text."""
    code = f"""
import random
from consult import create_app
from consult.accounts.models import Role
from consult.extensions import db
from consult.proposals.models import ProposalStatus
from tests import factories
random.seed(7)
words = "digital inclusion broadband access capacity building cybersecurity trust ethics artificial intelligence data governance gender youth rural connectivity e-government e-health e-learning climate sustainable development open standards multilingual content indigenous languages accessibility".split()
def text(n): return " ".join(random.choice(words) for _ in range(n))
# A cheap hash for the seeded accounts (the method is stored in each hash, so the server still verifies them).
app = create_app(overrides={{"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}})
with app.app_context():
    consultation = factories.make_consultation()
    factories.make_user(role=Role.CHAIR, email="chair@example.org", name="Bench Chair")
    users = [factories.make_user(email=f"stakeholder{{i}}@example.org", country=random.choice(["KE", "FR", "BR", "IN", "JO", "CH"]))
             for i in range({stakeholders})]
    for i in range({proposals}):
        factories.make_proposal(consultation, users[i % len(users)], title=text(5).capitalize(), summary=text(40),
                                description=text(150), action_lines=tuple(random.sample(["C1","C2","C3","C4","C5","C6","C7","C8","C9","C10","C11"], 2)),
                                sdgs=tuple(random.sample(range(1, 18), 2)),
                                status=ProposalStatus.SUBMITTED if i % 10 else ProposalStatus.DRAFT)
        if i % 500 == 0:
            db.session.flush()
    consultation.submissions_published = True
    # A published draft agenda of 250 sessions (5 days, 10 rooms), so that /agenda/ serves a real week.
    from datetime import datetime, timedelta, timezone
    from consult.agenda.models import AgendaVersion, AgendaVersionKind
    snapshot = []
    for n in range(250):
        day = consultation.forum_start + timedelta(days=n % 5)
        hour = 9 + (n // 50) * 2
        start = datetime(day.year, day.month, day.day, hour - 1, tzinfo=timezone.utc)
        snapshot.append({{"id": n + 1, "title": text(6).capitalize(), "description": text(60), "format": "thematic_workshop",
                         "track": "forum", "day": day.isoformat(), "start": f"{{hour:02d}}:00", "end": f"{{hour + 1:02d}}:00",
                         "starts_at": start.isoformat(), "duration": 60, "room": f"Room {{(n // 5) % 10 + 1}}",
                         "room_position": (n // 5) % 10, "has_interpretation": n % 3 == 0,
                         "action_lines": random.sample(["C1","C2","C3","C4","C5","C6","C7","C8","C9","C10","C11"], 2),
                         "sdgs": random.sample(range(1, 18), 2),
                         "people": [{{"role": "speaker", "name": text(2).title(), "organization": text(3).title(),
                                     "country": "KE", "is_remote": False}} for _ in range(3)]}})
    db.session.add(AgendaVersion(consultation_id=consultation.id, number=1, kind=AgendaVersionKind.DRAFT, snapshot=snapshot))
    db.session.commit()
"""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=server_environment(url), check=True)


@dataclass
class Server:
    """A gunicorn master with its workers, serving benchmarks.wsgi_bench:app on a loopback port."""

    url: str
    workers: int = 4
    port: int = 8765
    process: subprocess.Popen | None = None
    log: Path = field(default_factory=lambda: WORK / "gunicorn.log")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
             "--graceful-timeout", "5", "--timeout", "60", "benchmarks.wsgi_bench:app"],
            cwd=ROOT, env=server_environment(self.url), stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill_one_worker(self) -> int:
        """kill -9 one worker; the master starts another."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_everything(self) -> None:
        """kill -9 the master and every worker at once, as a power cut or an OOM kill would."""
        pids = self.worker_pids()
        os.kill(self.process.pid, signal.SIGKILL)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill_everything()


def run_wrk(url: str, *, duration: int, connections: int, threads: int = 2) -> dict:
    """wrk's requests/s, p50 and p99 latency (ms) and errors for one URL."""
    output = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
                            capture_output=True, text=True, check=True).stdout

    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), "p50": latency(50),
            "p99": latency(99), "errors": (int(non_2xx.group(1)) if non_2xx else 0)
            + (sum(int(n) for n in socket.groups()) if socket else 0),
            "requests": int(re.search(r"(\d+) requests in", output).group(1))}


class FormFields(HTMLParser):
    """Fields of the page's first POST form (in <main>), as a browser would send them (first option of each select).

    The header's forms are not the page's: the sign-out button, and for signed-in people the language switcher.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self.selects: dict[str, list[str]] = {}
        self.numbers: set[str] = set()
        self._in_form = self._done = self._in_main = False
        self._select = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "main":
            self._in_main = True
        elif tag == "form" and (attributes.get("method") or "").lower() == "post" and not self._done:
            self._in_form = self._in_main
        elif self._in_form and tag in {"input", "textarea"} and attributes.get("name"):
            if attributes.get("type") not in {"submit", "checkbox", "radio"}:
                self.fields[attributes["name"]] = attributes.get("value") or ""
            if attributes.get("type") == "number":
                self.numbers.add(attributes["name"])
        elif self._in_form and tag == "select":
            self._select = attributes.get("name")
            self.selects[self._select] = []
        elif self._in_form and tag == "option" and self._select:
            self.selects[self._select].append(attributes.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True
        elif tag == "select":
            self._select = None


def page_form(session: requests.Session, url: str) -> FormFields:
    response = session.get(url, timeout=30)
    response.raise_for_status()
    parser = FormFields()
    parser.feed(response.text)
    return parser


def submission_mode(base: str) -> str:
    """'proposal' once /proposals/new exists (the proposals area merged), else 'registration'."""
    session = requests.Session()
    sign_in(session, base, "stakeholder0@example.org")
    response = session.get(base + "/proposals/new", timeout=30, allow_redirects=False)
    return "proposal" if response.status_code == 200 else "registration"


def sign_in(session: requests.Session, base: str, email: str) -> None:
    form = page_form(session, base + "/account/login")
    session.post(base + "/account/login", data={**form.fields, "email": email, "password": PASSWORD}, timeout=30)


@dataclass
class Submission:
    """One stakeholder's submission and what came back."""

    key: str
    status: int | None = None
    confirmed: bool = False
    error: str = ""
    seconds: float = 0.0
    fields: dict = field(default_factory=dict)


def fill(form: FormFields, key: str, number: int) -> dict[str, str]:
    """Plausible values for every field of a discovered form (text fields get a unique, recognisable value)."""
    values = dict(form.fields)
    for name, options in form.selects.items():
        real = [option for option in options if option]
        values[name] = real[number % len(real)] if real else ""
    for name, value in values.items():
        if name in {"csrf_token", "creation_token", "version_id"} or name in form.selects:
            continue
        if "mail" in name:
            values[name] = f"{key}@example.org"
        elif "password" in name:
            values[name] = PASSWORD
        elif name == "country":
            values[name] = "KE"
        elif name in form.numbers:
            values[name] = "40"
        elif not value:
            values[name] = f"{key} " + "deadline rush " * 3
    return values


def submit_one(base: str, mode: str, number: int, run: str) -> Submission:
    """One stakeholder: load the form, fill it, POST it; confirmed when the answer is the confirmation redirect."""
    key = f"{run}-{number}"
    submission = Submission(key=key)
    session = requests.Session()
    started = time.perf_counter()
    try:
        if mode == "proposal":
            sign_in(session, base, f"stakeholder{number % 200}@example.org")
            url = base + "/proposals/new"
        else:
            url = base + "/account/register"
        form = page_form(session, url)
        submission.fields = fill(form, key, number)
        response = session.post(url, data=submission.fields, timeout=60, allow_redirects=False)
        submission.status = response.status_code
        submission.confirmed = response.status_code in (302, 303)
    except requests.RequestException as error:
        submission.error = type(error).__name__
    submission.seconds = time.perf_counter() - started
    return submission


def deadline_rush(base: str, *, stakeholders: int, window: float, mode: str, run: str, threads: int = 40) -> list[Submission]:
    """`stakeholders` submissions arriving at random moments within `window` seconds."""
    random.seed(run)
    arrivals = sorted(random.uniform(0, window) for _ in range(stakeholders))
    start = time.monotonic()

    def at(number):
        time.sleep(max(0.0, start + arrivals[number] - time.monotonic()))
        return submit_one(base, mode, number, run)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(at, range(stakeholders)))


def summarise(submissions: list[Submission], elapsed: float) -> dict:
    times = sorted(s.seconds * 1000 for s in submissions if s.status)
    return {"submissions": len(submissions), "confirmed": sum(s.confirmed for s in submissions),
            "errors": sum(1 for s in submissions if not s.confirmed), "rps": len(submissions) / elapsed,
            "p50": statistics.median(times) if times else float("nan"),
            "p99": times[min(len(times) - 1, int(len(times) * 0.99))] if times else float("nan")}
