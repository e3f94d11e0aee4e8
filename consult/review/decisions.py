"""The chair's decisions on proposals, one at a time or in bulk, and the submitters told through the outbox."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.accounts.permissions import is_chair
from consult.audit.services import record_audit
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import PhaseKind
from consult.db import utcnow
from consult.errors import DomainError, EditConflictError, NotAllowedError
from consult.extensions import db
from consult.outbox.services import queue_email
from consult.proposals.models import DECISION_LABELS, Decision, Proposal, ProposalStatus
from consult.reference import in_reader_language
from consult.review.models import DecisionReason, Review, ReviewState


@dataclass(frozen=True)
class DecisionChange:
    """One line of a bulk decision: what a proposal goes from and to."""

    proposal_id: int
    reference: str
    title: str
    version_id: int
    current: Decision
    new: Decision


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
                    expected_version=None, notify: bool = True) -> Proposal:
    """Accept, decline with a reason, mark for merging or reset a proposal; the submitter is told by e-mail."""
    decision = Decision(decision)
    _check_can_decide(proposal, actor)
    if expected_version not in (None, "") and str(proposal.version_id) != str(expected_version):
        raise EditConflictError(_("%(ref)s changed since you loaded the page; nothing was applied.", ref=proposal.reference))
    reason = _reason_for(proposal.consultation_id, decision, reason_id)
    previous = proposal.decision
    proposal.decision, proposal.decision_reason_id = decision, reason.id if reason else None
    proposal.decision_note = (note or "").strip()
    proposal.decided_at, proposal.decided_by_id = (None, None) if decision is Decision.PENDING else (utcnow(), actor.id)
    db.session.flush()
    record_audit("proposal.decide", proposal, actor=actor, summary=f"{proposal.reference}: {previous.value} → {decision.value}",
                 details={"from": previous.value, "to": decision.value, "reason": reason.code if reason else None})
    if notify and decision is not Decision.PENDING:
        notify_submitter(proposal, reason)
    return proposal


def notify_submitter(proposal: Proposal, reason: DecisionReason | None) -> None:
    """Queue the decision e-mail with the reason, the chair's note and the reviewers' comments meant for the submitter."""
    recipient = proposal.submitter_email or (proposal.submitter.email if proposal.submitter else "")
    if not recipient:
        return
    comments = db.session.execute(
        sa.select(Review.comment_to_submitter).where(Review.proposal_id == proposal.id, Review.state == ReviewState.SUBMITTED,
                                                     Review.comment_to_submitter != "").order_by(Review.id)).scalars().all()
    lines = [_("Dear %(name)s,", name=proposal.submitter_name or _("submitter")), "",
             _("The review committee has decided on your proposal %(ref)s “%(title)s”: %(decision)s.",
               ref=proposal.reference, title=proposal.title, decision=DECISION_LABELS[proposal.decision])]
    if reason is not None:
        lines += ["", _("Reason: %(reason)s", reason=in_reader_language(reason.label))]
    if proposal.decision_note:
        lines += ["", _("Note from the chair:"), proposal.decision_note]
    if comments:
        lines += ["", _("Comments from the reviewers:")] + [f"- {comment}" for comment in comments]
    queue_email(recipient, _("Decision on your proposal %(ref)s", ref=proposal.reference), "\n".join(lines),
                category="review.decision", consultation_id=proposal.consultation_id)


def plan_bulk_decision(proposals: list[Proposal], *, decision: str | Decision) -> list[DecisionChange]:
    """What a bulk decision would change: only proposals whose decision differs, in reference order."""
    decision = Decision(decision)
    return [DecisionChange(p.id, p.reference, p.title, p.version_id, p.decision, decision)
            for p in sorted(proposals, key=lambda p: (p.number or 0, p.id)) if p.decision is not decision]


def apply_bulk_decision(proposals: list[Proposal], *, actor, decision: str | Decision, versions: dict[int, str],
                        reason_id: int | None = None, note: str = "") -> list[DecisionChange]:
    """Apply the confirmed bulk decision; every proposal must still be at the version the chair confirmed."""
    changes = plan_bulk_decision(proposals, decision=decision)
    by_id = {proposal.id: proposal for proposal in proposals}
    for change in changes:
        proposal = by_id[change.proposal_id]
        decide_proposal(proposal, actor=actor, decision=decision, reason_id=reason_id, note=note,
                        expected_version=versions.get(proposal.id, ""))
    return changes
