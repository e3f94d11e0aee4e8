"""The chair's decisions on proposals, one at a time or in bulk; the submitters are told when the chair releases them."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.accounts.permissions import is_chair
from consult.audit.services import record_audit
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import PhaseKind
from consult.db import utcnow
from consult.errors import DomainError, EditConflictError, NotAllowedError
from consult.extensions import db
from consult.i18n import joined
from consult.proposals.models import Decision, Proposal, ProposalStatus
from consult.review.models import AssignmentState, DecisionReason, Review, ReviewAssignment, ReviewState


@dataclass(frozen=True)
class DecisionChange:
    """One line of a bulk decision: what a proposal goes from and to."""

    proposal_id: int
    reference: str
    title: str
    version_id: int
    current: Decision
    new: Decision
    # Reviews submitted and reviewers assigned, when some assigned reviews are not in yet.
    unfinished: tuple[int, int] | None = None


def _reason_for(consultation_id: int, decision: Decision, reason_id: int | None) -> DecisionReason | None:
    if decision is not Decision.DECLINED:
        return None
    reason = db.session.get(DecisionReason, reason_id) if reason_id else None
    if reason is None or reason.consultation_id != consultation_id:
        raise DomainError(_("Choose the reason for declining."), field="reason_id")
    return reason


def _check_can_decide(proposal: Proposal, actor) -> None:
    if not is_chair(actor):
        raise NotAllowedError(_("Only the chair decides on proposals."))
    ensure_phase_open(proposal.consultation, PhaseKind.REVIEW, PhaseKind.AGENDA_DRAFTING)
    if proposal.status is not ProposalStatus.SUBMITTED:
        raise DomainError(_("Only submitted proposals are decided on."))


def decide_proposal(proposal: Proposal, *, actor, decision: str | Decision, reason_id: int | None = None, note: str = "",
                    expected_version=None) -> Proposal:
    """Accept, decline with a reason, mark for merging or reset a proposal; held until the chair announces it.

    The submitter is not told here: consult/review/announcements.py releases the held decisions in one batch.
    """
    decision = Decision(decision)
    _check_can_decide(proposal, actor)
    if expected_version not in (None, "") and str(proposal.version_id) != str(expected_version):
        raise EditConflictError(_("%(ref)s changed since you loaded the page; nothing was applied.", ref=proposal.reference))
    reason = _reason_for(proposal.consultation_id, decision, reason_id)
    previous, previous_reason, previous_note = proposal.decision, proposal.decision_reason_id, proposal.decision_note
    proposal.decision, proposal.decision_reason_id = decision, reason.id if reason else None
    proposal.decision_note = (note or "").strip()
    proposal.decided_at, proposal.decided_by_id = (None, None) if decision is Decision.PENDING else (utcnow(), actor.id)
    db.session.flush()
    changes = {"decision": [previous.value, decision.value]}
    if previous_reason != proposal.decision_reason_id:
        changes["reason"] = [_reason_code(previous_reason), reason.code if reason else None]
    if previous_note != proposal.decision_note:
        changes["note"] = [previous_note, proposal.decision_note]
    record_audit("proposal.decide", proposal, actor=actor, summary=f"{proposal.reference}: {previous.value} → {decision.value}",
                 changes=changes)
    return proposal


def _reason_code(reason_id: int | None) -> str | None:
    reason = db.session.get(DecisionReason, reason_id) if reason_id else None
    return reason.code if reason else None


def unfinished_reviews(proposal_ids) -> dict[int, tuple[int, int]]:
    """Proposal id -> (reviews submitted, reviewers assigned) for the proposals whose assigned reviews are not all in."""
    ids = list(proposal_ids)
    if not ids:
        return {}
    assigned = dict(db.session.execute(
        sa.select(ReviewAssignment.proposal_id, sa.func.count()).where(
            ReviewAssignment.proposal_id.in_(ids), ReviewAssignment.state == AssignmentState.ASSIGNED)
        .group_by(ReviewAssignment.proposal_id)).all())
    submitted = dict(db.session.execute(
        sa.select(ReviewAssignment.proposal_id, sa.func.count())
        .join(Review, sa.and_(Review.proposal_id == ReviewAssignment.proposal_id,
                              Review.reviewer_id == ReviewAssignment.reviewer_id))
        .where(ReviewAssignment.proposal_id.in_(ids), ReviewAssignment.state == AssignmentState.ASSIGNED,
               Review.state == ReviewState.SUBMITTED)
        .group_by(ReviewAssignment.proposal_id)).all())
    return {pid: (submitted.get(pid, 0), count) for pid, count in assigned.items() if submitted.get(pid, 0) < count}


def plan_bulk_decision(proposals: list[Proposal], *, decision: str | Decision) -> list[DecisionChange]:
    """What a bulk decision would change: only proposals whose decision differs, in reference order."""
    decision = Decision(decision)
    changing = [p for p in sorted(proposals, key=lambda p: (p.number or 0, p.id)) if p.decision is not decision]
    unfinished = unfinished_reviews(p.id for p in changing)
    return [DecisionChange(p.id, p.reference, p.title, p.version_id, p.decision, decision, unfinished.get(p.id))
            for p in changing]


def apply_bulk_decision(proposals: list[Proposal], *, actor, decision: str | Decision, versions: dict[int, str],
                        reason_id: int | None = None, note: str = "", confirm_unfinished: bool = False) -> list[DecisionChange]:
    """Apply the confirmed bulk decision; every proposal must still be at the version the chair confirmed.

    Deciding on proposals whose assigned reviews are not all in needs the chair's explicit confirmation.
    """
    changes = plan_bulk_decision(proposals, decision=decision)
    unfinished = [change.reference for change in changes if change.unfinished]
    if unfinished and not confirm_unfinished:
        raise DomainError(ngettext(
            "%(num)d proposal has unfinished reviews (%(refs)s): tick the box to decide on it anyway.",
            "%(num)d proposals have unfinished reviews (%(refs)s): tick the box to decide on them anyway.",
            len(unfinished), refs=joined(unfinished)), field="confirm_unfinished")
    by_id = {proposal.id: proposal for proposal in proposals}
    for change in changes:
        proposal = by_id[change.proposal_id]
        decide_proposal(proposal, actor=actor, decision=decision, reason_id=reason_id, note=note,
                        expected_version=versions.get(proposal.id, ""))
    return changes
