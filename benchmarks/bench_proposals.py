"""Benchmark of the proposal lists and the import (method: ../shared/BENCHMARKS.md).

    python benchmarks/bench_proposals.py [--sizes 50 5000] [--database-url URL]

Builds each data set in a fresh SQLite file (or the given database, emptied first), then measures the public
list, the chair's list and "my proposals" (a stakeholder with about 20 proposals) with Flask's test client,
debug off, page cache off: 2 warm-ups, 20 timed requests, median/min/max ms, response size and SQL queries of one more request.
Then imports 5,000 CSV rows: one warm-up and 3 timed runs (median/min/max s).
"""
import argparse
import csv
import io
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

from consult import create_app
from consult.accounts.models import Role, User
from consult.consultations.models import PhaseKind
from consult.db import utcnow
from consult.extensions import db
from consult.proposals.models import ImportBatch, Proposal, ProposalKind, ProposalStatus
from consult.reference import ACTION_LINES, StakeholderType, region_for_country

WORDS = ("digital inclusion community networks rural schools capacity building cybersecurity trust open data "
         "e-government health telemedicine agriculture climate information gender youth skills media literacy "
         "infrastructure broadband spectrum policy regulation innovation partnership sustainable development local "
         "content language accessibility persons disabilities financing entrepreneurship platform privacy").split()
COUNTRIES = ("KE", "SN", "BR", "IN", "JP", "DE", "FR", "US", "AR", "ZA", "EG", "AU", "CH", "GH", "VN")


def text(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def build(app, size: int):
    """A consultation with `size` submitted proposals and a stakeholder with 20 of them."""
    from tests.factories import make_consultation

    rng = random.Random(size)
    with app.app_context():
        db.drop_all()
        db.create_all()
        consultation = make_consultation(current=PhaseKind.CALL_OPEN)
        consultation.submissions_published = True
        chair = User(name="Chair", email="chair@example.org", organization="Secretariat", role=Role.CHAIR,
                     stakeholder_type=StakeholderType.INTERNATIONAL_ORGANIZATION, country="CH", password_hash="x")
        owner = User(name="Owner", email="owner@example.org", organization="Org", role=Role.STAKEHOLDER,
                     stakeholder_type=StakeholderType.CIVIL_SOCIETY, country="KE", password_hash="x")
        db.session.add_all([chair, owner])
        db.session.flush()
        now, types, codes = utcnow(), list(StakeholderType), [line.code for line in ACTION_LINES]
        rows = []
        for number in range(1, size + 1):
            country = rng.choice(COUNTRIES)
            rows.append(dict(consultation_id=consultation.id, number=number, kind=rng.choice(list(ProposalKind)),
                             status=ProposalStatus.SUBMITTED, title=text(rng, 5), summary=text(rng, 40),
                             description=text(rng, 150), keywords=", ".join(rng.sample(WORDS, 3)),
                             organization=f"Organization {rng.randint(1, 800)}", stakeholder_type=rng.choice(types),
                             country=country, region=region_for_country(country), submitted_at=now, created_at=now,
                             updated_at=now, version_id=1, submitter_id=owner.id if number <= 20 else None))
        ids = db.session.execute(sa.insert(Proposal).returning(Proposal.id, sort_by_parameter_order=True), rows).scalars().all()
        from consult.proposals.models import ProposalActionLine, ProposalSdg

        db.session.execute(
            sa.insert(ProposalActionLine), [{"proposal_id": i, "code": c} for i in ids for c in rng.sample(codes, 2)]
        )
        db.session.execute(
            sa.insert(ProposalSdg), [{"proposal_id": i, "sdg": s} for i in ids for s in rng.sample(range(1, 18), 2)]
        )
        db.session.commit()
        _refresh_statistics()
        return chair.get_id(), owner.get_id()


def _refresh_statistics() -> None:
    """What a live PostgreSQL table has and a bulk load lacks: planner statistics and the visibility map.

    Autovacuum gives every busy table both within minutes; measured straight after the load, index-only scans read
    every row of the heap instead. SQLite keeps no statistics unless ANALYZE is run, which consult does not do (with
    them, its planner chose rowid lookups of the wide rows over the covering listing index: 2 s for the tag counts).
    """
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def measure(app, user_id, url):
    client = app.test_client()
    if user_id:
        with client.session_transaction() as session:
            session["_user_id"] = user_id
    for _ in range(2):
        client.get(url)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    counter = {"n": 0}

    def count(*args):
        counter["n"] += 1

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    size = len(client.get(url).data)
    sa.event.remove(engine, "before_cursor_execute", count)
    return statistics.median(times), min(times), max(times), size, counter["n"]


def import_csv(rows: int) -> bytes:
    rng = random.Random(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "summary", "description", "kind", "action_lines", "sdgs", "organization",
                     "stakeholder_type", "country", "submitter_name", "submitter_email", "source"])
    codes = [line.code for line in ACTION_LINES]
    for index in range(rows):
        writer.writerow([text(rng, 5), text(rng, 40), text(rng, 150), "thematic", ";".join(rng.sample(codes, 2)),
                         ";".join(str(s) for s in rng.sample(range(1, 18), 2)), f"Organization {index}",
                         rng.choice([t.value for t in StakeholderType]), rng.choice(COUNTRIES), f"Person {index}",
                         f"person{index}@example.org", "Regional event"])
    return buffer.getvalue().encode()


def bench_import(app, rows: int = 5000):
    from consult.consultations.queries import get_current_consultation
    from consult.proposals.importing import import_proposals

    data = import_csv(rows)
    timings = []
    with app.app_context():
        consultation = get_current_consultation()
        for run in range(4):
            start = time.perf_counter()
            result = import_proposals(consultation, filename="bench.csv", data=data, source="Benchmark")
            db.session.commit()
            elapsed = time.perf_counter() - start
            assert result.is_valid and len(result.rows) == rows
            if run:
                timings.append(elapsed)
            db.session.execute(sa.delete(Proposal).where(Proposal.import_batch_id.is_not(None)))
            db.session.execute(sa.delete(ImportBatch))
            db.session.commit()
    return statistics.median(timings), min(timings), max(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 5000])
    parser.add_argument("--database-url", help="e.g. postgresql+psycopg://postgres@127.0.0.1:5433/consult_bench")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-proposals-"))
    print(f"command: python benchmarks/bench_proposals.py --sizes {' '.join(map(str, args.sizes))}"
          + (f" --database-url {args.database_url}" if args.database_url else ""))
    print("page size: 50 rows; times in ms over 20 requests after 2 warm-ups; queries of one more request\n")
    print(f"{'page':<34}{'proposals':>10}{'median':>9}{'min':>8}{'max':>8}{'KiB':>8}{'queries':>9}")
    app = None
    for size in args.sizes:
        url = args.database_url or f"sqlite:///{workdir / f'bench-{size}.sqlite3'}"
        # The page cache serves repeat visitors without the page's queries; off here, so that every request pays
        # the queries and templates being measured.
        app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": url, "DEBUG": False, "TESTING": False,
                                            "PAGE_CACHE": False})
        app.instance_path = str(workdir / "instance")
        chair_id, owner_id = build(app, size)
        for label, user_id, page in (("public list", None, "/proposals/"),
                                     ("public list, search + 2 filters", None, "/proposals/?q=digital&sdg=4&region=africa"),
                                     ("chair list + counts", chair_id, "/proposals/chair"),
                                     ("chair list, search + 2 filters", chair_id,
                                      "/proposals/chair?q=digital&sdg=4&region=africa"),
                                     ("my proposals (20)", owner_id, "/proposals/mine")):
            median, low, high, size_bytes, queries = measure(app, user_id, page)
            print(f"{label:<34}{size:>10}{median:>9.1f}{low:>8.1f}{high:>8.1f}{size_bytes / 1024:>8.1f}{queries:>9}")
    median, low, high = bench_import(app)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nimport of 5,000 CSV rows (check + bulk insert + commit): median {median:.2f} s, min {low:.2f} s, "
          f"max {high:.2f} s (3 runs after a warm-up); peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
