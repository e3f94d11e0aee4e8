"""The review demo step on factory-made proposals: criteria, reviewers, assignments, reviews and decisions."""
import sqlalchemy as sa

from consult.audit.models import AuditEntry
from consult.consultations.models import PhaseKind
from consult.demo.foundation import seed_foundation
from consult.demo.review import seed_review
from consult.extensions import db
from consult.proposals.models import Decision, Proposal
from consult.reference import StakeholderType
from consult.review import announcements
from consult.review.models import Conflict, Criterion, ReviewAssignment
from consult.review.queries import ranking_rows
from tests import factories


def _proposals(demo, count=12):
    types = list(StakeholderType)
    countries = ["KE", "FR", "BR", "JP", "EG", "US"]
    for index in range(count):
        submitter = factories.make_user(organization=f"Demo org {index}", stakeholder_type=types[index % len(types)],
                                        country=countries[index % len(countries)])
        factories.make_proposal(demo.consultation, submitter, speakers=2)


def test_review_demo_after_review_phase_decides_most_proposals(app):
    demo = seed_foundation(PhaseKind.AGENDA_DRAFTING)
    _proposals(demo)

    seed_review(demo)
    db.session.flush()

    assert db.session.execute(sa.select(sa.func.count()).select_from(Criterion)).scalar_one() == 4
    assert len(demo.extra["review_reviewers"]) == 7
    assert db.session.execute(sa.select(sa.func.count()).select_from(Conflict)).scalar_one() == 2
    assert db.session.execute(sa.select(sa.func.count()).select_from(ReviewAssignment)).scalar_one() == 36
    rows = ranking_rows(demo.consultation)
    assert all(row.score.review_count == 3 for row in rows)
    by_raw = [row.proposal_id for row in sorted(rows, key=lambda r: -r.score.raw_mean)]
    by_calibrated = [row.proposal_id for row in rows]
    assert by_raw != by_calibrated
    decisions = [p.decision for p in db.session.execute(sa.select(Proposal)).scalars()]
    assert decisions.count(Decision.ACCEPTED) == 6 and decisions.count(Decision.MERGE) == 2
    assert decisions.count(Decision.PENDING) == 3
    assert sorted(demo.extra["accepted_proposal_ids"]) == sorted(p.id for p in db.session.execute(
        sa.select(Proposal).where(Proposal.decision == Decision.ACCEPTED)).scalars())
    # The latest accepted and declined decisions wait for the chair's release, audited old -> new.
    held = db.session.execute(announcements.held_select(demo.consultation.id)).scalars().all()
    assert sorted(p.decision.value for p in held) == ["accepted", "declined"]
    assert all(p.announced_decision is Decision.PENDING and p.submitter_id != demo.stakeholder.id for p in held)
    entries = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "proposal.decide")).scalars().all()
    assert sorted(entry.changes[0] for entry in entries) == [("decision", "pending", "accepted"),
                                                              ("decision", "pending", "declined")]


def test_review_demo_during_review_leaves_work_to_do(app):
    demo = seed_foundation(PhaseKind.REVIEW)
    _proposals(demo, 6)

    seed_review(demo)

    rows = ranking_rows(demo.consultation)
    assert sum(row.score.review_count for row in rows) < 18
    assert all(row.decision is Decision.PENDING for row in rows)


def test_review_demo_without_proposals_still_makes_criteria_and_reviewers(app):
    demo = seed_foundation(PhaseKind.PUBLIC_COMMENT)

    seed_review(demo)

    assert db.session.execute(sa.select(sa.func.count()).select_from(Criterion)).scalar_one() == 4
    assert db.session.execute(sa.select(sa.func.count()).select_from(ReviewAssignment)).scalar_one() == 0
