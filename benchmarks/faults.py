"""Nothing lost: during a deadline rush that goes through the submit step, kill -9 one gunicorn worker, then the
whole server, restart, and check.

    python benchmarks/faults.py                      # SQLite (WAL) and PostgreSQL
    python benchmarks/faults.py --db postgres --rush 200 --window 30

Each stakeholder signs in, fills the proposal form, saves the draft (POST /proposals/new) and submits it (POST
/proposals/<id>/submit); the submission is confirmed when the submit answers with the confirmation page's redirect.
A stakeholder without a confirmation tries again as a browser would: the same form sent again (same creation token),
then Submit again. Printed per database: confirmed / stored (submitted, numbered) / lost (confirmed but not stored
exactly once) / duplicated (one stakeholder's proposal stored twice, or two proposals with one number) / 5xx
answers (while the server is up) and connection errors (while it is down). Not run in CI.
"""
import argparse
import random
import re
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Server, database_url, fill, page_form, seed, sign_in

SUBMITTED = re.compile(r"/proposals/(\d+)/submitted$")
DRAFT = re.compile(r"/proposals/(\d+)/edit$")


@dataclass
class Rush:
    """One stakeholder's way through the form and the submit button, and every answer on the way."""

    key: str
    number: int
    session: requests.Session = field(default_factory=requests.Session)
    fields: dict = field(default_factory=dict)
    draft_id: int | None = None
    confirmed: bool = False
    statuses: list = field(default_factory=list)
    connection_errors: int = 0

    def post(self, url: str, data: dict):
        try:
            response = self.session.post(url, data=data, timeout=60, allow_redirects=False)
        except requests.RequestException:
            self.connection_errors += 1
            return None
        self.statuses.append(response.status_code)
        return response

    def save_and_submit(self, base: str) -> None:
        """Save the draft (unless saved already), then submit it."""
        if self.draft_id is None:
            saved = self.post(base + "/proposals/new", self.fields)
            match = DRAFT.search(saved.headers.get("Location", "")) if saved is not None else None
            if match is None:
                return
            self.draft_id = int(match.group(1))
        submitted = self.post(f"{base}/proposals/{self.draft_id}/submit", {"csrf_token": self.fields["csrf_token"]})
        self.confirmed = submitted is not None and submitted.status_code == 303 \
            and SUBMITTED.search(submitted.headers.get("Location", "")) is not None


def start_one(base: str, number: int, run: str) -> Rush:
    """Sign in and load the form (retried while the server is down), then save and submit."""
    rush = Rush(key=f"{run}-{number}", number=number)
    for _attempt in range(30):
        try:
            sign_in(rush.session, base, f"stakeholder{number % 200}@example.org")
            form = page_form(rush.session, base + "/proposals/new")
            break
        except requests.RequestException:
            rush.connection_errors += 1
            time.sleep(1)
    else:
        return rush
    rush.fields = {**fill(form, rush.key, number), "kind": "thematic", "action_lines": "C1", "save": "Save draft"}
    rush.save_and_submit(base)
    return rush


def deadline_rush(base: str, *, stakeholders: int, window: float, run: str, threads: int = 40) -> list[Rush]:
    """`stakeholders` stakeholders arriving at random moments within `window` seconds."""
    random.seed(run)
    arrivals = sorted(random.uniform(0, window) for _ in range(stakeholders))
    started = time.monotonic()

    def at(number):
        time.sleep(max(0.0, started + arrivals[number] - time.monotonic()))
        return start_one(base, number, run)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(at, range(stakeholders)))


def stored_rows(url: str, run: str) -> tuple[dict[str, dict], int]:
    """Per stakeholder key: rows stored and rows submitted; and how many numbers were given twice."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT title, status, number FROM proposals WHERE title LIKE :p"),
                                  {"p": f"{run}-%"}).all()
        twice = connection.execute(sa.text(
            "SELECT COUNT(*) FROM (SELECT number FROM proposals WHERE number IS NOT NULL "
            "GROUP BY consultation_id, number HAVING COUNT(*) > 1) AS repeated")).scalar_one()
    engine.dispose()
    counts: dict[str, dict] = {}
    for title, status, number in rows:
        entry = counts.setdefault(title.split(" ", 1)[0], {"rows": 0, "submitted": 0})
        entry["rows"] += 1
        entry["submitted"] += status == "submitted" and number is not None
    return counts, twice


def run(kind: str, args) -> dict:
    url = database_url(kind, "faults")
    seed(url, proposals=50, stakeholders=200)
    server = Server(url, workers=args.workers, port=args.port).start()
    events = []
    try:
        run_id = f"faults{int(time.time())}"
        results = {}

        def rush():
            results["rush"] = deadline_rush(server.base, stakeholders=args.rush, window=args.window, run=run_id)

        started = time.perf_counter()
        rush_thread = threading.Thread(target=rush)
        rush_thread.start()
        time.sleep(args.window * 0.25)
        events.append(f"t={time.perf_counter() - started:.1f}s kill -9 worker {server.kill_one_worker()}")
        time.sleep(args.window * 0.25)
        server.kill_everything()
        down = time.perf_counter()
        events.append(f"t={down - started:.1f}s kill -9 master and all workers")
        time.sleep(2)
        server.start()
        events.append(f"t={time.perf_counter() - started:.1f}s restarted ({time.perf_counter() - down:.1f}s down)")
        rush_thread.join()
        rushes = results["rush"]
        first_confirmed = sum(r.confirmed for r in rushes)
        # Without a confirmation a person tries again: the same form again (same token), then Submit again.
        retried = [r for r in rushes if not r.confirmed and r.fields]
        for r in retried:
            r.save_and_submit(server.base)
        # And a few who got their confirmation press Submit once more.
        for r in [r for r in rushes if r.confirmed][:20]:
            r.save_and_submit(server.base)
        stored, numbers_twice = stored_rows(url, run_id)
    finally:
        server.stop()
    statuses = Counter(status for r in rushes for status in r.statuses)
    return {
        "kind": kind, "events": events, "sent": len(rushes), "first_confirmed": first_confirmed,
        "confirmed": sum(r.confirmed for r in rushes), "retried": len(retried),
        "stored": sum(1 for entry in stored.values() if entry["submitted"] == 1),
        "lost": [r.key for r in rushes if r.confirmed and stored.get(r.key, {}).get("submitted") != 1],
        "duplicated": sorted(key for key, entry in stored.items() if entry["rows"] > 1) + ["number"] * numbers_twice,
        "server_errors": sum(count for status, count in statuses.items() if status >= 500),
        "connection_errors": sum(r.connection_errors for r in rushes), "statuses": dict(sorted(statuses.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rush", type=int, default=200)
    parser.add_argument("--window", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=8765, help="loopback port of the gunicorn under test")
    args = parser.parse_args()
    failed = False
    print(f"command: python benchmarks/{Path(__file__).name} {' '.join(sys.argv[1:])}")
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        result = run(kind, args)
        print(f"\n[{kind}] save draft + submit, gunicorn -w {args.workers}, {result['sent']} stakeholders")
        for event in result["events"]:
            print(f"  {event}")
        print(f"  confirmed at first try: {result['first_confirmed']}; retried: {result['retried']}; "
              f"confirmed in the end: {result['confirmed']}")
        print(f"  confirmed {result['confirmed']} / stored {result['stored']} / lost {len(result['lost'])} / "
              f"duplicated {len(result['duplicated'])} / 5xx {result['server_errors']} "
              f"(connection errors while down: {result['connection_errors']})")
        print(f"  answers: {result['statuses']}")
        if result["lost"] or result["duplicated"]:
            print(f"  lost {result['lost'][:5]} duplicated {result['duplicated'][:5]}")
        ok = not (result["lost"] or result["duplicated"] or result["server_errors"])
        print(f"  => {'NOTHING LOST' if ok else 'FAILED'}")
        failed |= not ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
