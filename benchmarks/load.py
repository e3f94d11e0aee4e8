"""Load: gunicorn with several workers on SQLite (WAL) and PostgreSQL, pages driven by wrk, a deadline rush of
signed-in (or, before the proposals area, registration) POSTs from a threaded client.

    python benchmarks/load.py                               # both databases, 5,000 proposals, default pages
    python benchmarks/load.py --db sqlite --paths /,/agenda/,/proposals/ --duration 10 --workers 4

Prints requests/s, p50 and p99 latency and errors per page, next to a hello-world route served by the same
gunicorn set-up in the same run (the ratio), then the deadline rush. Pages that answer 404 are skipped (the area
is not merged yet). Not run in CI.
"""
import argparse
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Server, database_url, deadline_rush, run_wrk, seed, submission_mode, summarise

DEFAULT_PATHS = "/,/consultation/,/account/login,/agenda/,/proposals/"


def measure(kind: str, args) -> list[tuple]:
    url = database_url(kind, "load")
    started = time.perf_counter()
    seed(url, proposals=args.proposals, stakeholders=args.stakeholders)
    print(f"[{kind}] seeded {args.proposals} proposals, {args.stakeholders} stakeholders in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    server = Server(url, workers=args.workers).start()
    rows = []
    try:
        hello = run_wrk(server.base + "/_bench/hello", duration=args.duration, connections=args.connections)
        rows.append((kind, "/_bench/hello", hello, 1.0))
        for path in args.paths.split(","):
            status = requests.get(server.base + path, timeout=30).status_code
            if status != 200:
                print(f"[{kind}] {path}: {status}, skipped (area not merged?)", flush=True)
                continue
            figures = run_wrk(server.base + path, duration=args.duration, connections=args.connections)
            rows.append((kind, path, figures, figures["rps"] / hello["rps"]))
        mode = submission_mode(server.base)
        started = time.perf_counter()
        submissions = deadline_rush(server.base, stakeholders=args.rush, window=args.window, mode=mode,
                                    run=f"load{int(time.time())}")
        rows.append((kind, f"deadline rush ({mode}, {args.rush} in {args.window:.0f} s)",
                     summarise(submissions, time.perf_counter() - started), None))
    finally:
        server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--paths", default=DEFAULT_PATHS, help="comma-separated pages to measure with wrk")
    parser.add_argument("--proposals", type=int, default=5000)
    parser.add_argument("--stakeholders", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--rush", type=int, default=200, help="stakeholders submitting before the deadline")
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which they arrive")
    args = parser.parse_args()
    rows = []
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        rows += measure(kind, args)
    print(f"\ncommand: python benchmarks/{Path(__file__).name} {' '.join(sys.argv[1:])}")
    print(f"gunicorn -w {args.workers}, wrk -t2 -c{args.connections} -d{args.duration}s; {args.proposals} proposals\n")
    print("| database | page | requests/s | p50 ms | p99 ms | errors | ratio to hello |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for kind, page, figures, ratio in rows:
        errors = figures["errors"]
        shown_ratio = f"{ratio:.2f}" if ratio is not None else f"{figures['confirmed']}/{figures['submissions']} confirmed"
        print(
            f"| {kind} | {page} | {figures['rps']:.0f} | {figures['p50']:.1f} | {figures['p99']:.1f} | {errors} | {shown_ratio} |"
        )


if __name__ == "__main__":
    main()
