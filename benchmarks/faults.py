"""Nothing lost: during a deadline rush, kill -9 one gunicorn worker, then the whole server, restart, and check.

    python benchmarks/faults.py                      # SQLite (WAL) and PostgreSQL
    python benchmarks/faults.py --db postgres --rush 200 --window 30

Checks, on each database: every submission whose confirmation came back is stored exactly once; no submission is
stored twice; none is half-written (each stored row has the audit entry written in the same transaction); and a
repeated POST of a confirmed submission (a user pressing the button again) creates nothing new. The submission is
the proposal form once /proposals/new exists, the registration form before that. Not run in CI.
"""
import argparse
import sys
import threading
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import (
    Server,
    database_url,
    deadline_rush,
    seed,
    submission_mode,
    submit_one,
    summarise,
)


def stored_rows(url: str, mode: str, keys: list[str]) -> dict[str, dict]:
    """For each submission key: how many rows carry it and how many of those have their audit entry."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    table, column, action = (("users", "email", "user.register") if mode == "registration"
                             else ("proposals", "title", "proposal.%"))
    counts = {}
    with engine.connect() as connection:
        for key in keys:
            pattern = f"{key}@example.org" if mode == "registration" else f"{key} %"
            ids = connection.execute(sa.text(f"SELECT id FROM {table} WHERE {column} LIKE :p"), {"p": pattern}).scalars().all()  # noqa: S608 - names are constants
            audited = connection.execute(
                sa.text("SELECT COUNT(DISTINCT object_id) FROM audit_entries WHERE action LIKE :a AND object_id IN :ids")
                .bindparams(sa.bindparam("ids", expanding=True)), {"a": action, "ids": list(ids) or [-1]}).scalar_one()
            counts[key] = {"rows": len(ids), "audited": audited}
    engine.dispose()
    return counts


def run(kind: str, args) -> dict:
    url = database_url(kind, "faults")
    seed(url, proposals=50, stakeholders=200)
    server = Server(url, workers=args.workers).start()
    events = []
    try:
        mode = submission_mode(server.base)
        run_id = f"faults{int(time.time())}"
        results = {}

        def rush():
            results["submissions"] = deadline_rush(server.base, stakeholders=args.rush, window=args.window, mode=mode,
                                                   run=run_id)

        started = time.perf_counter()
        rush_thread = threading.Thread(target=rush)
        rush_thread.start()
        time.sleep(args.window * 0.25)
        events.append(f"t={time.perf_counter() - started:.1f}s kill -9 worker {server.kill_one_worker()}")
        time.sleep(args.window * 0.25)
        server.kill_everything()
        events.append(f"t={time.perf_counter() - started:.1f}s kill -9 master and all workers")
        time.sleep(2)
        server.start()
        events.append(f"t={time.perf_counter() - started:.1f}s restarted")
        rush_thread.join()
        elapsed = time.perf_counter() - started
        submissions = results["submissions"]
        before_retries = stored_rows(url, mode, [submission.key for submission in submissions])
        # Every stakeholder without a confirmation tries again, as a person would: a repeated POST of the same form.
        retried = [submit_again(server.base, mode, submission) for submission in submissions if not submission.confirmed]
        confirmed = [submission for submission in submissions if submission.confirmed]
        repeats = [submit_again(server.base, mode, submission) for submission in confirmed[:20]]
        stored = stored_rows(url, mode, [submission.key for submission in submissions])
    finally:
        server.stop()
    return {
        "kind": kind, "mode": mode, "events": events, "summary": summarise(submissions, elapsed),
        "lost": [s.key for s in confirmed if before_retries[s.key]["rows"] != 1 or stored[s.key]["rows"] != 1],
        "duplicated": [key for key, row in stored.items() if row["rows"] > 1],
        "half_written": [key for key, row in stored.items() if row["rows"] != row["audited"]],
        "retried": len(retried), "retried_ok": sum(status in (302, 303, 422) for status in retried),
        "repeats": len(repeats), "repeat_statuses": sorted(set(repeats)),
        "stored_without_confirmation": sum(1 for s in submissions if not s.confirmed and before_retries[s.key]["rows"] == 1),
        "errors": sorted({s.error or str(s.status) for s in submissions if not s.confirmed}),
    }


def submit_again(base: str, mode: str, submission) -> int | None:
    """POST the same values again (a fresh form page, same content): must not create a second row."""
    number = int(submission.key.rsplit("-", 1)[1])
    again = submit_one(base, mode, number, submission.key.rsplit("-", 1)[0])
    return again.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rush", type=int, default=200)
    parser.add_argument("--window", type=float, default=30.0)
    args = parser.parse_args()
    failed = False
    print(f"command: python benchmarks/{Path(__file__).name} {' '.join(sys.argv[1:])}")
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        result = run(kind, args)
        summary = result["summary"]
        print(f"\n[{kind}] submissions: {result['mode']} form, gunicorn -w {args.workers}")
        for event in result["events"]:
            print(f"  {event}")
        print(f"  {summary['submissions']} sent, {summary['confirmed']} confirmed, {summary['errors']} without "
              f"confirmation ({', '.join(result['errors']) or 'none'}); p50 {summary['p50']:.0f} ms, p99 {summary['p99']:.0f} ms")
        print(f"  stored although no confirmation came back: {result['stored_without_confirmation']}")
        print(f"  retried by their stakeholder: {result['retried']}, answered 302/303/422: {result['retried_ok']}")
        print(f"  repeated POSTs of confirmed submissions: {result['repeats']}, statuses {result['repeat_statuses']}")
        print(f"  confirmed but not stored exactly once: {len(result['lost'])} {result['lost'][:5]}")
        print(f"  stored more than once: {len(result['duplicated'])} {result['duplicated'][:5]}")
        print(f"  half-written (row without its audit entry): {len(result['half_written'])} {result['half_written'][:5]}")
        ok = not (result["lost"] or result["duplicated"] or result["half_written"])
        print(f"  => {'NOTHING LOST' if ok else 'FAILED'}")
        failed |= not ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
