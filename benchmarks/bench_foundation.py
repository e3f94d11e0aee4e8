"""Benchmark of the foundation's pages: home, the chair's users page and the audit log, at two data sizes.

Method (BENCHMARKS.md): a fresh SQLite file migrated with `flask db upgrade`, rows generated with bulk inserts,
Flask's test client with debug off, 2 warm-up requests then 20 timed ones; median, min and max milliseconds,
response size, and the SQL queries of one extra request. Page size: PAGE_SIZE (50 rows).

    python benchmarks/bench_foundation.py            # 300 / 30,000 accounts; 1,000 / 200,000 audit entries
    python benchmarks/bench_foundation.py --quick    # 100 / 3,000 accounts; 300 / 20,000 audit entries
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from consult import create_app
from consult.accounts.models import Role, User
from consult.audit.models import AuditEntry
from consult.db import utcnow
from consult.extensions import db
from consult.reference import StakeholderType, region_for_country
from tests.factories import make_consultation

FIRST = ["Amina", "Lukas", "Mei", "Carlos", "Grace", "Nadia", "Paolo", "Zeynep", "Ivan", "Aroha", "Kofi", "Lena"]
LAST = ["Diallo", "Berger", "Tanaka", "Mendes", "Otieno", "Haddad", "Rossi", "Kaya", "Petrov", "Ngata", "Mensah", "Berg"]
ORGS = ["Ministry of ICT", "Digital Rights Network", "University of", "Telecom Operator", "Internet Society Chapter",
        "Regional Development Bank", "Open Data Institute", "Community Network"]
COUNTRIES = ["KE", "CH", "BR", "JP", "IN", "FR", "US", "GH", "EG", "DE", "AR", "ID", "NZ", "JO", "ZA", "CA"]
ACTIONS = ["user.register", "user.change_role", "proposal.submit", "proposal.update", "review.submit", "phase.update"]
BATCH = 5000


def build(app, accounts: int, audit_entries: int) -> User:
    """The schema, a consultation, `accounts` users and `audit_entries` audit entries; returns the chair."""
    rng = random.Random(2017)
    with app.app_context():
        upgrade()
        make_consultation()
        password_hash = generate_password_hash("benchmark password", method="pbkdf2:sha256:1000")
        now = utcnow()
        types = list(StakeholderType)
        for start in range(0, accounts, BATCH):
            rows = []
            for number in range(start, min(start + BATCH, accounts)):
                country = rng.choice(COUNTRIES)
                rows.append({
                    "email": f"person{number}@example.org", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {number}",
                    "password_hash": password_hash, "organization": f"{rng.choice(ORGS)} {rng.choice(COUNTRIES)}",
                    "stakeholder_type": rng.choice(types), "country": country, "region": region_for_country(country),
                    "role": Role.CHAIR if number == 0 else (Role.REVIEWER if number % 100 == 1 else Role.STAKEHOLDER),
                    "is_active": True, "session_version": 1, "created_at": now, "updated_at": now,
                })
            db.session.execute(sa.insert(User), rows)
        for start in range(0, audit_entries, BATCH):
            rows = [{"action": rng.choice(ACTIONS), "object_type": "Proposal", "object_id": number,
                     "actor_id": rng.randint(1, accounts), "summary": f"Change number {number} of a proposal",
                     "details": {"field": "title"}, "created_at": now - timedelta(seconds=audit_entries - number)}
                    for number in range(start, min(start + audit_entries, start + BATCH, audit_entries))]
            db.session.execute(sa.insert(AuditEntry), rows)
        db.session.commit()
        return db.session.execute(sa.select(User).where(User.role == Role.CHAIR)).scalars().first().get_id()


@contextmanager
def counted(engine):
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def measure(app, client, url: str) -> dict:
    """2 warm-ups, 20 timed requests, then one counted request."""
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    timings = []
    size = 0
    for _ in range(20):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        size = len(response.data)
    with app.app_context():
        engine = db.engine
    with counted(engine) as statements:
        client.get(url)
    return {"median": statistics.median(timings), "min": min(timings), "max": max(timings), "size": size,
            "queries": len(statements)}


def run(accounts: int, audit_entries: int) -> list[tuple]:
    folder = tempfile.mkdtemp(prefix="bench-foundation-")
    os.environ["SECRET_KEY"] = "benchmark"
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    app = create_app("development", instance_path=folder)
    app.config.update(DEBUG=False, RATELIMIT_ENABLED=False)
    chair_id = build(app, accounts, audit_entries)
    anonymous = app.test_client()
    chair = app.test_client()
    with chair.session_transaction() as session:
        session["_user_id"] = chair_id
    pages = [("home, anonymous", anonymous, "/"), ("home, chair", chair, "/"),
             ("users page 1", chair, "/account/users"), ("users, search 'berg'", chair, "/account/users?q=berg"),
             ("users, last page", chair, f"/account/users?page={max(1, (accounts + 49) // 50)}"),
             ("audit log page 1", chair, "/audit/"), ("audit log, filtered", chair, "/audit/?action=review.")]
    return [(name, accounts, audit_entries, measure(app, client, url)) for name, client, url in pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = [(100, 300), (3000, 20000)] if args.quick else [(300, 1000), (30000, 200000)]
    rows = [row for accounts, entries in sizes for row in run(accounts, entries)]
    print(f"command: python benchmarks/bench_foundation.py{' --quick' if args.quick else ''}  (SQLite, test client, "
          "debug off, 2 warm-ups, 20 timed requests, page size 50)")
    print(f"{'page':24} {'accounts':>8} {'audit':>8} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'KiB':>6} {'queries':>7}")
    for name, accounts, entries, figures in rows:
        print(f"{name:24} {accounts:>8} {entries:>8} {figures['median']:>10.1f} {figures['min']:>8.1f} "
              f"{figures['max']:>8.1f} {figures['size'] / 1024:>6.1f} {figures['queries']:>7}")


if __name__ == "__main__":
    main()
