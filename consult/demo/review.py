"""Demo data of the review area: criteria, reviewers, assignments, reviews from lenient and harsh reviewers, decisions."""
import random

import sqlalchemy as sa

from consult.accounts.models import Role, User
from consult.accounts.services import register_user
from consult.audit.services import record_audit
from consult.consultations.models import PhaseKind
from consult.db import utcnow
from consult.demo.foundation import Demo
from consult.extensions import db
from consult.proposals.models import Decision, Proposal, ProposalStatus
from consult.review.assignment import load_assignment_inputs, plan_assignment
from consult.review.models import (
    Conflict,
    DecisionReason,
    Recommendation,
    Review,
    ReviewAssignment,
    ReviewState,
    Score,
)
from consult.review.queries import submitted_review_totals
from consult.review.ranking import aggregate_scores
from consult.review.services import compute_review_total, criterion_dicts, ensure_default_criteria

EXTRA_REVIEWERS = (
    ("reviewer4@demo.consult.example", "Fatima Al-Sayed", "Arab Digital Rights Forum", "civil_society", "EG"),
    ("reviewer5@demo.consult.example", "Jonas Lindqvist", "Nordic Telecom Operators Association", "private_sector", "SE"),
    ("reviewer6@demo.consult.example", "Priya Raman", "Indian Institute of Information Technology", "academia", "IN"),
    ("reviewer7@demo.consult.example", "Kwame Mensah", "African Union Commission", "international_organization", "GH"),
)
# How far each reviewer's scores sit from a proposal's merit: the calibration removes exactly this.
LENIENCY = (1.2, -1.0, 0.0, 0.7, -0.6, 0.4, -1.3)
COMMENTS_TO_SUBMITTER = (
    "Clear link to the action lines; please name the remote speakers early.",
    "The panel would gain from a speaker from another region.",
    "Consider a shorter format: the topic fits an information session.",
    "Strong proposal; the outcome document idea is welcome.",
)
COMMENTS_TO_COMMITTEE = (
    "Solid, but close to last year's session on the same topic.",
    "Speakers all from one stakeholder group.",
    "Original format, feasible in 60 minutes.",
    "Could be merged with a similar proposal on capacity building.",
)


def seed_review(demo: Demo) -> None:
    """Criteria and reasons, seven reviewers, conflicts, assignments, reviews and, after the review phase, decisions."""
    consultation = demo.consultation
    criteria = ensure_default_criteria(consultation, actor=demo.chair)
    reviewers = list(demo.reviewers)
    from consult.demo import DEMO_PASSWORD

    for email, name, organization, stakeholder_type, country in EXTRA_REVIEWERS:
        reviewers.append(register_user(name=name, email=email, password=DEMO_PASSWORD, organization=organization,
                                       stakeholder_type=stakeholder_type, country=country, role=Role.REVIEWER, is_verified=True))
    demo.extra["review_reviewers"] = reviewers
    order = list(PhaseKind)
    if order.index(demo.phase) < order.index(PhaseKind.REVIEW):
        return
    proposals = list(db.session.execute(sa.select(Proposal).where(Proposal.consultation_id == consultation.id,
                                                                  Proposal.status == ProposalStatus.SUBMITTED)
                                        .order_by(Proposal.id)).scalars())
    if not proposals:
        return
    rng = random.Random(2017)  # nosec B311 (reproducible sample data for the demo, not a secret)
    _declare_conflicts(proposals, reviewers)
    candidates, members, blocked, loads = load_assignment_inputs(consultation)
    plan = plan_assignment(candidates, members, k=consultation.reviewers_per_proposal, blocked=blocked, loads=loads)
    for proposal_id, reviewer_id in plan.pairs:
        db.session.add(ReviewAssignment(proposal_id=proposal_id, reviewer_id=reviewer_id, is_automatic=True))
    db.session.flush()

    leniency = {reviewer.id: LENIENCY[index % len(LENIENCY)] for index, reviewer in enumerate(reviewers)}
    merit = {proposal.id: rng.uniform(1.6, 4.4) for proposal in proposals}
    data = criterion_dicts(criteria)
    complete = order.index(demo.phase) > order.index(PhaseKind.REVIEW)
    for index, (proposal_id, reviewer_id) in enumerate(plan.pairs):
        if not complete and index % 3 == 0:
            continue  # during the review phase a third of the reviews are still to do
        review = Review(proposal_id=proposal_id, reviewer_id=reviewer_id)
        for criterion in data:
            value = round(merit[proposal_id] + leniency.get(reviewer_id, 0.0) + rng.uniform(-0.6, 0.6))
            review.scores.append(
                Score(criterion_id=criterion["id"], value=min(max(value, criterion["scale_min"]), criterion["scale_max"]))
            )
        is_draft = not complete and index % 7 == 1
        review.state = ReviewState.DRAFT if is_draft else ReviewState.SUBMITTED
        review.submitted_at = None if is_draft else utcnow()
        level = merit[proposal_id] + leniency.get(reviewer_id, 0.0)
        review.recommendation = (
            Recommendation.ACCEPT if level >= 3.2 else Recommendation.DECLINE if level < 2.3 else Recommendation.MERGE
        )
        review.merge_with_id = (
            proposals[(proposals.index(next(p for p in proposals if p.id == proposal_id)) + 1) % len(proposals)].id
            if review.recommendation is Recommendation.MERGE and len(proposals) > 1
            else None
        )
        if review.merge_with_id is None and review.recommendation is Recommendation.MERGE:
            review.recommendation = Recommendation.ACCEPT
        review.comment_to_committee = COMMENTS_TO_COMMITTEE[index % len(COMMENTS_TO_COMMITTEE)]
        review.comment_to_submitter = COMMENTS_TO_SUBMITTER[index % len(COMMENTS_TO_SUBMITTER)]
        compute_review_total(review, data)
        db.session.add(review)
    db.session.flush()
    if complete:
        demo.extra["accepted_proposal_ids"] = _decide(demo, proposals)
        consultation.is_feedback_released = True


def _declare_conflicts(proposals: list[Proposal], reviewers: list[User]) -> None:
    """Two reviewers declare a conflict with one proposal each (a former employer, a co-author)."""
    reasons = ("I advised the organizing team last year.", "One of the speakers is a co-author of mine.")
    for proposal, reviewer, reason in zip(proposals[1::3], reviewers[:2], reasons, strict=False):
        if proposal.submitter_id != reviewer.id:
            db.session.add(Conflict(reviewer_id=reviewer.id, proposal_id=proposal.id, reason=reason))
    db.session.flush()


def _decide(demo: Demo, proposals: list[Proposal]) -> list[int]:
    """Accept the upper half by calibrated score, mark two for merging, decline a quarter; the rest waits."""
    scores = aggregate_scores(submitted_review_totals(demo.consultation))
    ranked = sorted(proposals, key=lambda p: -(scores[p.id].calibrated_z if p.id in scores else -99))
    # The demo stakeholder's proposal is accepted, so that their pages show a decision, feedback and a session.
    ranked.sort(key=lambda p: p.submitter_id != demo.stakeholder.id)
    # The proposals in other languages are accepted too, so that the suggested clusters show one model per language.
    ranked.sort(key=lambda p: p.submitter_id != demo.stakeholder.id and p.language == "en")
    reasons = {reason.code: reason for reason in db.session.execute(
        sa.select(DecisionReason).where(DecisionReason.consultation_id == demo.consultation.id)).scalars()}
    accept_count = max(1, len(ranked) // 2)
    merge_count = min(2, max(0, len(ranked) - accept_count - 1))
    decline_count = max(0, len(ranked) * 3 // 4 - accept_count - merge_count)
    now = utcnow()
    accepted = []
    for position, proposal in enumerate(ranked):
        if position < accept_count:
            proposal.decision = Decision.ACCEPTED
            accepted.append(proposal.id)
        elif position < accept_count + merge_count:
            proposal.decision = Decision.MERGE
            proposal.decision_note = "Close in theme to another proposal; the committee suggests one joint session."
        elif position < accept_count + merge_count + decline_count:
            proposal.decision = Decision.DECLINED
            proposal.decision_reason_id = reasons["capacity"].id
            proposal.decision_note = "A strong field this year; we encourage you to join a related session as a speaker."
        else:
            continue
        proposal.decided_at, proposal.decided_by_id = now, demo.chair.id
        # Announced already: the submitters were told these when the chair released them.
        proposal.announced_decision, proposal.announced_reason_id = proposal.decision, proposal.decision_reason_id
        proposal.announced_note, proposal.announced_at = proposal.decision_note, now
    _hold_latest_decisions(demo, ranked[:accept_count + merge_count + decline_count])
    db.session.flush()
    return accepted


def _hold_latest_decisions(demo: Demo, decided: list[Proposal]) -> None:
    """The committee's latest decisions wait for the chair's release: the last one accepted and the last declined.

    The demo stakeholder's proposal stays announced, so that their pages show a decision. Each is in the audit log
    as the decision service writes it (old -> new), and the chair's "Decisions to announce" page lists them.
    """
    candidates = [p for p in decided if p.submitter_id != demo.stakeholder.id]
    held = [p for p in reversed(candidates) if p.decision is Decision.ACCEPTED][:1]
    held += [p for p in reversed(candidates) if p.decision is Decision.DECLINED][:1]
    for proposal in held:
        proposal.announced_decision, proposal.announced_reason_id = Decision.PENDING, None
        proposal.announced_note, proposal.announced_at = "", None
        changes = {"decision": [Decision.PENDING.value, proposal.decision.value]}
        if proposal.decision_note:
            changes["note"] = ["", proposal.decision_note]
        record_audit("proposal.decide", proposal, actor=demo.chair,
                     summary=f"{proposal.reference}: pending → {proposal.decision.value}", changes=changes)
