"""Benchmark of the review area: automatic assignment at 5,000 proposals x 100 reviewers x 3, ranking and queue pages.

Run: python benchmarks/bench_review.py  (SQLite files in a temporary directory; debug off; test client)
Method (../shared/BENCHMARKS.md): assignment timed from its service entry point, 3 runs after one warm-up,
median/min/max seconds and peak memory, beside OR-Tools' bare min-cost flow on the same graph; pages measured with 2
warm-up requests then 20 timed, median/min/max ms, response size and the query count of one extra request,
at 50 and 5,000 proposals (15,000 submitted reviews at 5,000), default page size.
"""
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa
from flask import g

from consult import create_app
from consult.accounts.models import Role, User
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalActionLine, ProposalKind, ProposalSdg, ProposalStatus
from consult.reference import ACTION_LINES, StakeholderType, region_for_country
from consult.review.assignment import assign_automatically, load_assignment_inputs, plan_assignment
from consult.review.models import Review, ReviewAssignment, ReviewState, Score
from consult.review.ranking import weighted_total
from consult.review.services import criterion_dicts, ensure_default_criteria
from tests.factories import make_consultation

WORDS = ("digital inclusion capacity building broadband access rural communities women youth cybersecurity trust "
         "e-government open data artificial intelligence ethics local content languages sustainable development").split()
COUNTRIES = ["KE", "FR", "BR", "JP", "EG", "US", "IN", "DE", "ZA", "AR", "CN", "AU", "NG", "CH", "MX"]


def text(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words))


def build(app, proposal_count: int, reviewer_count: int = 100):
    """A consultation in review with proposal_count proposals and reviewer_count reviewers (no assignments yet)."""
    rng = random.Random(proposal_count)
    consultation = make_consultation(current=PhaseKind.REVIEW)
    ensure_default_criteria(consultation)
    types = list(StakeholderType)
    password_hash = None
    users = []
    for index in range(reviewer_count + proposal_count // 2):
        country = rng.choice(COUNTRIES)
        user = User(name=f"Person {index}", email=f"person{index}@bench.example", organization=f"Organization {index % 700}",
                    stakeholder_type=types[index % len(types)], country=country, region=region_for_country(country),
                    role=Role.REVIEWER if index < reviewer_count else Role.STAKEHOLDER)
        if password_hash is None:
            user.set_password("benchmark-password")
            password_hash = user.password_hash
        user.password_hash = password_hash
        users.append(user)
    db.session.add_all(users)
    db.session.flush()
    submitters = users[reviewer_count:]
    for number in range(1, proposal_count + 1):
        submitter = rng.choice(submitters)
        proposal = Proposal(consultation_id=consultation.id, number=number, submitter_id=submitter.id,
                            kind=rng.choice(list(ProposalKind)), status=ProposalStatus.SUBMITTED,
                            title=text(rng, 6).capitalize(), summary=text(rng, 40), description=text(rng, 150),
                            submitter_name=submitter.name, submitter_email=submitter.email, organization=submitter.organization,
                            stakeholder_type=submitter.stakeholder_type, country=submitter.country, region=submitter.region)
        proposal.action_lines = [ProposalActionLine(code=code) for code in {rng.choice(ACTION_LINES).code for _ in range(2)}]
        proposal.sdgs = [ProposalSdg(sdg=sdg) for sdg in {rng.randint(1, 17) for _ in range(2)}]
        db.session.add(proposal)
    db.session.commit()
    return consultation, users[:reviewer_count]


def add_reviews(consultation):
    """A submitted review for every assignment, with lenient and harsh reviewers."""
    rng = random.Random(7)
    criteria = criterion_dicts(ensure_default_criteria(consultation))
    leniency = {}
    reviews, scores = [], []
    pairs = db.session.execute(sa.select(ReviewAssignment.proposal_id, ReviewAssignment.reviewer_id)).all()
    for review_id, (proposal_id, reviewer_id) in enumerate(pairs, start=1):
        bias = leniency.setdefault(reviewer_id, rng.uniform(-1, 1))
        values = {c["id"]: min(5, max(1, round(rng.uniform(1, 5) + bias))) for c in criteria}
        reviews.append({"id": review_id, "proposal_id": proposal_id, "reviewer_id": reviewer_id, "state": ReviewState.SUBMITTED,
                        "total_score": weighted_total(values, criteria), "comment_to_committee": "", "comment_to_submitter": "",
                        "version_id": 1})
        scores += [{"review_id": review_id, "criterion_id": cid, "value": value} for cid, value in values.items()]
    db.session.execute(sa.insert(Review), reviews)
    db.session.execute(sa.insert(Score), scores)
    db.session.commit()


def time_assignment(app, consultation):
    """Median/min/max seconds of the automatic assignment over 3 runs after a warm-up (each on a clean slate)."""
    timings, bare = [], []
    for run in range(4):
        db.session.execute(sa.delete(ReviewAssignment))
        db.session.commit()
        started = time.perf_counter()
        plan = assign_automatically(consultation)
        db.session.flush()
        elapsed = time.perf_counter() - started
        if run:
            timings.append(elapsed)
        if run < 3:
            db.session.rollback()
        else:
            db.session.rollback()
            proposals, reviewers, blocked, loads = load_assignment_inputs(consultation)
            started = time.perf_counter()
            plan_assignment(proposals, reviewers, k=consultation.reviewers_per_proposal, blocked=blocked, loads=loads)
            bare.append(time.perf_counter() - started)
            assign_automatically(consultation)
            db.session.commit()
    return timings, bare[0], len(plan.pairs), len(plan.short)


def measure_page(app, client, url, user):
    """2 warm-ups, 20 timed requests; the query count of one extra request."""
    def login():
        g.pop("_login_user", None)
        g.pop("current_consultation", None)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True

    login()
    for _ in range(2):
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(20):
        g.pop("current_consultation", None)
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    count = [0]

    def counter(*args):
        count[0] += 1

    sa.event.listen(db.engine, "before_cursor_execute", counter)
    g.pop("current_consultation", None)
    client.get(url)
    sa.event.remove(db.engine, "before_cursor_execute", counter)
    return statistics.median(timings), min(timings), max(timings), len(response.data), count[0]


def main():
    rows, assignment_line = [], None
    for size in (50, 5000):
        workdir = tempfile.mkdtemp(prefix="bench-review-")
        app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{os.path.join(workdir, 'bench.sqlite3')}",
                                            "DEBUG": False, "TESTING": False})
        with app.app_context():
            db.create_all()
            consultation, reviewers = build(app, size)
            if size == 5000:
                timings, bare, pairs, short = time_assignment(app, consultation)
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                assignment_line = (timings, bare, pairs, short, peak)
            else:
                assign_automatically(consultation)
                db.session.commit()
            add_reviews(consultation)
            chair = User(name="Chair", email="chair@bench.example", organization="Secretariat",
                         stakeholder_type=StakeholderType.INTERNATIONAL_ORGANIZATION, country="CH", role=Role.CHAIR)
            chair.set_password("benchmark-password")
            db.session.add(chair)
            db.session.commit()
            client = app.test_client()
            # The done tab lists every submitted review of the reviewer (about 150 at 5,000 proposals).
            for label, url, user in (("ranking (chair)", "/review/ranking", chair),
                                     ("ranking sorted by disagreement, Africa",
                                      "/review/ranking?sort=disagreement&region=africa", chair),
                                     ("queue, done tab (reviewer)", "/review/queue?tab=done", reviewers[0]),
                                     ("queue, to-do tab (reviewer)", "/review/queue", reviewers[0])):
                rows.append((label, size) + measure_page(app, client, url, user))
            db.session.remove()
            db.engine.dispose()
    timings, bare, pairs, short, peak = assignment_line
    print("Automatic assignment, 5,000 proposals x 100 reviewers x k=3 (SQLite, service entry point, 3 runs after a warm-up)")
    print(f"  median {statistics.median(timings):.2f} s, min {min(timings):.2f} s, max {max(timings):.2f} s; "
          f"{pairs} assignments, {short} proposals short; peak RSS {peak:.0f} MiB")
    print(f"  pure plan_assignment (graph build + OR-Tools min-cost flow, no database) on the same input: {bare:.2f} s")
    print(f"  load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print()
    print(f"{'page':42} {'proposals':>9} {'median ms':>10} {'min':>8} {'max':>8} {'KiB':>7} {'queries':>8}")
    for label, size, median, low, high, length, queries in rows:
        print(f"{label:42} {size:>9} {median:>10.1f} {low:>8.1f} {high:>8.1f} {length / 1024:>7.1f} {queries:>8}")
    print("\nPage size 50 (default). Command: python benchmarks/bench_review.py")


if __name__ == "__main__":
    main()
