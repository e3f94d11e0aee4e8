"""Benchmark of the agenda: scheduling 300 sessions (5 days, 12 rooms), a re-run after removing a room, the public pages.

Run from the repository root:  python benchmarks/bench_agenda.py [--time-limit 20] [--runs 3] [--rerun-only]
Method: ../shared/BENCHMARKS.md (jobs: 3 runs after a warm-up; pages: test client, debug off, 2 warm-ups,
20 timed requests, one more request for the query count).
"""
import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from consult import create_app
from consult.extensions import db

ACTION_LINE_CODES = ["C1", "C2", "C3", "C4", "C5", "C6", "C7-EGOV", "C7-EBUS", "C7-ELEARN", "C7-EHEALTH", "C7-EENV",
                     "C7-EAGRI", "C8", "C9", "C10", "C11"]
WORDS = ("digital inclusion broadband policy skills data trust security health learning government rural women youth "
         "innovation cooperation media ethics climate agriculture open access capacity networks platforms").split()


def make_app(path: Path):
    app = create_app("development", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": False,
                                              "DEBUG": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    return app


def prepare(app):
    from flask_migrate import upgrade

    from consult.accounts.models import Role
    from consult.consultations.models import PhaseKind
    from tests.factories import make_consultation, make_user

    upgrade()
    consultation = make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    chair = make_user(role=Role.CHAIR, name="Bench Chair")
    return consultation, chair


def text(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words))


def add_week(consultation, rooms=12, days=5, rng=None):
    from consult.agenda.models import ForumDay, Room

    rng = rng or random.Random(1)
    day_rows = [ForumDay(consultation_id=consultation.id, day=consultation.forum_start + timedelta(days=i),
                         starts_at=clock_time(9), ends_at=clock_time(18), granularity_minutes=15) for i in range(days)]
    capacities = [700, 350, 300, 200, 150, 150, 120, 100, 80, 80, 60, 40]
    room_rows = [Room(consultation_id=consultation.id, name=f"Room {i + 1}", capacity=capacities[i % len(capacities)],
                      has_interpretation=i < 4, position=i) for i in range(rooms)]
    db.session.add_all(day_rows + room_rows)
    db.session.flush()
    return day_rows, room_rows


def add_sessions(consultation, count, rng, *, people_pool=500, placed=None):
    """count sessions with 2-5 people from a pool, 1-3 action lines; placed=(days, rooms) lays them out without conflict."""
    from consult.agenda.models import AgendaSession, PersonRole, SessionActionLine, SessionPerson, SessionSdg
    from consult.agenda.queries import to_utc
    from consult.reference import Track

    sessions = []
    for index in range(count):
        high_level = rng.random() < 0.05
        session = AgendaSession(
            consultation_id=consultation.id, title=f"{text(rng, 5).capitalize()} {index}", description=text(rng, 60),
            format_code="high_level_policy_session" if high_level else "thematic_workshop",
            track=Track.HIGH_LEVEL if high_level else Track.FORUM,
            duration_minutes=60 if placed else rng.choice([30, 45, 60, 60, 90, 105]),
            expected_audience=rng.choice([20, 40, 60, 100]) if not high_level else 150)
        names = rng.sample(range(people_pool), rng.randint(2, 5)) if not placed else [f"{index}-{j}" for j in range(3)]
        session.people = [SessionPerson(role=PersonRole.SPEAKER, position=j, name=f"Person {name}", person_key=f"person {name}",
                                        organization=f"Organization {rng.randint(1, 200)}", country="CH")
                          for j, name in enumerate(names)]
        session.action_lines = [SessionActionLine(code=code) for code in rng.sample(ACTION_LINE_CODES, rng.randint(1, 3))]
        session.sdgs = [SessionSdg(sdg=sdg) for sdg in rng.sample(range(1, 18), 2)]
        if placed:
            days, rooms = placed
            slot, room_index = divmod(index, len(rooms))
            day_index, hour = divmod(slot, 9)
            day, room = days[day_index % len(days)], rooms[room_index]
            session.expected_audience = min(session.expected_audience, room.capacity)
            session.day_id, session.room_id = day.id, room.id
            session.starts_at = to_utc(consultation, day.day, (9 + hour) * 60)
        sessions.append(session)
    db.session.add_all(sessions)
    db.session.flush()
    return sessions


def peak_memory_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_scheduling(time_limit: float, runs: int) -> list[str]:
    from consult.agenda.queries import find_conflicts, schedule_inputs
    from consult.agenda.scheduling import schedule_sessions
    from consult.agenda.services import run_scheduler

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp) / "schedule.sqlite3")
        with app.app_context():
            consultation, _chair = prepare(app)
            add_week(consultation)
            add_sessions(consultation, 300, random.Random(7))
            db.session.commit()
            specs, days, rooms, _plenaries = schedule_inputs(consultation)
            timings, results = [], []
            for run in range(runs + 1):
                started = time.perf_counter()
                result = run_scheduler(consultation, actor=None, time_limit=time_limit)
                elapsed = time.perf_counter() - started
                db.session.rollback()
                if run:
                    timings.append(elapsed)
                    results.append(result)
            bare_started = time.perf_counter()
            bare = schedule_sessions(specs, days=days, rooms=rooms, time_limit=time_limit)
            bare_elapsed = time.perf_counter() - bare_started
            placed_specs = [s.__class__(**{**s.__dict__, "placement": results[-1].placements.get(s.id)}) for s in specs]
            hard = len(find_conflicts(placed_specs, days=days, rooms=rooms))
    soft = [r.soft_goal_misses for r in results]
    lines = [
        "## Scheduling: 300 sessions, 5 days x 09:00-18:00 (15-min starts), 12 rooms",
        f"solver time limit {time_limit:g} s, 2 workers; run_scheduler (loads, solves, saves), {runs} runs after a warm-up",
        "",
        "| measure | median | min | max |",
        "| --- | --- | --- | --- |",
        f"| wall time (s) | {statistics.median(timings):.2f} | {min(timings):.2f} | {max(timings):.2f} |",
        "| soft goals missed (same-line pairs in parallel + high-level without interpretation + oversized rooms) | "
        f"{statistics.median(soft):g} | {min(soft)} | {max(soft)} |",
        "",
        f"placed {len(results[-1].placements)}, unplaced {len(results[-1].unplaced)}, hard conflicts {hard}, "
        f"solver status {results[-1].status}; bare schedule_sessions on the same input: {bare_elapsed:.2f} s, "
        f"{bare.soft_goal_misses} soft misses; peak memory {peak_memory_mib():.0f} MiB",
    ]
    return lines


def bench_rerun(time_limit: float) -> list[str]:
    """Schedule 300 sessions, remove the room of one session, re-run: what moved, conflicts left, time taken."""
    from consult.agenda.models import AgendaSession
    from consult.agenda.queries import current_conflicts, list_sessions
    from consult.agenda.services import run_scheduler
    from consult.agenda.week import delete_room

    def placements(consultation):
        return {s.id: (s.day_id, s.room_id, s.starts_at) for s in list_sessions(consultation)}

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp) / "rerun.sqlite3")
        with app.app_context():
            consultation, chair = prepare(app)
            _days, rooms = add_week(consultation)
            add_sessions(consultation, 300, random.Random(7))
            first_started = time.perf_counter()
            first = run_scheduler(consultation, actor=None, time_limit=time_limit)
            first_elapsed = time.perf_counter() - first_started
            db.session.commit()
            before = placements(consultation)
            unchanged_started = time.perf_counter()
            unchanged = run_scheduler(consultation, actor=None, time_limit=time_limit)
            unchanged_elapsed = time.perf_counter() - unchanged_started
            db.session.commit()
            unchanged_moved = sum(1 for sid, place in placements(consultation).items() if place != before[sid])
            # The room of the first placed session goes away (a room closed for works, say).
            victim = db.session.execute(sa.select(AgendaSession).where(AgendaSession.room_id.is_not(None))
                                        .order_by(AgendaSession.id).limit(1)).scalar_one()
            room = next(r for r in rooms if r.id == victim.room_id)
            in_room = {sid for sid, place in before.items() if place[1] == room.id}
            delete_room(room, actor=chair)
            db.session.commit()
            started = time.perf_counter()
            result = run_scheduler(consultation, actor=None, time_limit=time_limit)
            elapsed = time.perf_counter() - started
            db.session.commit()
            after = placements(consultation)
            moved_others = sorted(sid for sid, place in after.items() if sid not in in_room and place != before[sid])
            replaced = sum(1 for sid in in_room if after[sid][0] is not None)
            hard = len(current_conflicts(consultation))
    return [
        "## Re-run after a change: 300 sessions, 5 days, 12 rooms; the room of one session removed",
        f"first run (from scratch): {len(first.placements)} placed, {len(first.unplaced)} unplaced, "
        f"{first_elapsed:.2f} s, status {first.status}",
        f"re-run on the unchanged agenda: {unchanged_moved} sessions moved, {unchanged_elapsed:.2f} s, status {unchanged.status}",
        f"room removed: {room.name} with {len(in_room)} sessions; re-run: {replaced} of them placed again, "
        f"{len(moved_others)} other sessions moved {moved_others}, {len(result.unplaced)} unplaced, "
        f"{hard} hard conflicts, {elapsed:.2f} s, status {result.status}",
    ]


def bench_public_page(sizes=(5, 500)) -> list[str]:
    from consult.agenda.services import publish_agenda

    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            app = make_app(Path(tmp) / f"page{size}.sqlite3")
            with app.app_context():
                consultation, chair = prepare(app)
                days, rooms = add_week(consultation)
                add_sessions(consultation, size, random.Random(3), placed=(days, rooms))
                publish_agenda(consultation, actor=chair)
                db.session.commit()
                db.session.remove()
            client = app.test_client()
            for label, url in (("agenda by day (first day)", "/agenda/"), ("agenda by room", "/agenda/?view=room"),
                               ("search", "/agenda/?q=digital"), ("published.json", "/agenda/published.json")):
                for _ in range(2):
                    client.get(url)
                timings = []
                for _ in range(20):
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (url, response.status_code)
                with app.app_context():
                    counter = {"n": 0}

                    def count(*_args, counter=counter):
                        counter["n"] += 1

                    sa.event.listen(db.engine, "before_cursor_execute", count)
                    size_bytes = len(client.get(url).data)
                    sa.event.remove(db.engine, "before_cursor_execute", count)
                rows.append(f"| {label} | {size} | {statistics.median(timings):.1f} | {min(timings):.1f} | "
                            f"{max(timings):.1f} | {size_bytes / 1024:.0f} | {counter['n']} |")
    return ["## Public agenda (anonymous, SQLite, test client, debug off; 2 warm-ups, 20 timed requests)",
            "The by-day and by-room views show one group per page; search pages 50 results (PAGE_SIZE).", "",
            "| page | sessions | median ms | min ms | max ms | KiB | queries |", "| --- | --- | --- | --- | --- | --- | --- |",
            *rows, "",
            "pretalx peer (public schedule without JavaScript): 58 ms at 5 sessions, 2,162 ms at 500; JSON 19 / 696 ms."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-scheduling", action="store_true")
    parser.add_argument("--rerun-only", action="store_true", help="only the re-run after one change")
    args = parser.parse_args()
    if args.rerun_only:
        print("\n".join(bench_rerun(args.time_limit)))
        print(f"\ncommand: python benchmarks/bench_agenda.py --rerun-only --time-limit {args.time_limit:g}")
        return
    lines = [] if args.skip_scheduling else (
        bench_scheduling(args.time_limit, args.runs) + [""] + bench_rerun(args.time_limit) + [""])
    lines += bench_public_page()
    print("\n".join(lines))
    print(f"\ncommand: python benchmarks/bench_agenda.py --time-limit {args.time_limit:g} --runs {args.runs}")


if __name__ == "__main__":
    main()
