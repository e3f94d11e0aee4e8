"""Decisions held until the chair releases them in one batch: which are held, the e-mail each submitter gets, the release.

A decision the chair takes (one at a time or in bulk) is not e-mailed at once: the proposal keeps what its submitter
was last told (`announced_*`) and the submitter's pages and exports show that. The chair previews the e-mails and
releases them in one POST; only then are they queued and the announced decision set. A decision changed twice before
the release announces only the last one; one changed back to what was announced announces nothing. Every e-mail has an
idempotency key made of the proposal and its version, so a release sent twice, even by two chairs at once, queues each
e-mail once.
"""
import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from consult.accounts.language import languages_of
from consult.accounts.services import normalise_email
from consult.audit.services import record_audit
from consult.consultations.models import Consultation
from consult.consultations.times import format_local
from consult.db import utcnow
from consult.errors import EditConflictError
from consult.extensions import db
from consult.outbox.language import composing_in
from consult.outbox.services import queue_email
from consult.proposals.models import DECISION_LABELS, Decision, Proposal, ProposalStatus
from consult.reference import in_reader_language
from consult.review.models import DecisionReason, Review, ReviewState
from consult.urls import absolute_url

CATEGORY = "review.decision"


@dataclass(frozen=True)
class DecisionEmail:
    """The e-mail that tells one submitter the decision on one proposal, exactly as the release will queue it."""

    proposal_id: int
    reference: str
    announced: Decision
    decision: Decision
    recipient: str
    subject: str
    body: str
    idempotency_key: str
    language: str


def is_held():
    """The SQL condition of a submitted proposal whose decision differs from what its submitter was told."""
    return sa.and_(
        Proposal.status == ProposalStatus.SUBMITTED,
        sa.or_(Proposal.decision != Proposal.announced_decision,
               sa.func.coalesce(Proposal.decision_reason_id, 0) != sa.func.coalesce(Proposal.announced_reason_id, 0),
               Proposal.decision_note != Proposal.announced_note))


def held_select(consultation_id: int):
    """The held proposals of a consultation in reference order, with their submitters loaded."""
    return (sa.select(Proposal).where(Proposal.consultation_id == consultation_id, is_held())
            .options(joinedload(Proposal.submitter)).order_by(Proposal.number, Proposal.id))


def count_held(consultation_id: int) -> int:
    """How many decisions are taken and not yet announced."""
    return db.session.execute(sa.select(sa.func.count(Proposal.id)).where(
        Proposal.consultation_id == consultation_id, is_held())).scalar_one()


def held_fingerprint(consultation_id: int) -> str:
    """A digest of the held proposals and their versions: the release applies only to the set the chair previewed."""
    rows = db.session.execute(sa.select(Proposal.id, Proposal.version_id).where(
        Proposal.consultation_id == consultation_id, is_held()).order_by(Proposal.id)).all()
    return hashlib.sha256(";".join(f"{pid}:{version}" for pid, version in rows).encode()).hexdigest()[:32]


def _recipient(proposal: Proposal) -> str:
    return proposal.submitter_email or (proposal.submitter.email if proposal.submitter else "")


def decision_emails(proposals: list[Proposal], consultation: Consultation) -> list[DecisionEmail]:
    """The e-mail of each proposal's held decision (those without an address are left out), in three queries."""
    ids = [p.id for p in proposals]
    reason_ids = {p.decision_reason_id for p in proposals if p.decision_reason_id}
    reasons = dict(db.session.execute(sa.select(DecisionReason.id, DecisionReason.label)
                                      .where(DecisionReason.id.in_(reason_ids))).all()) if reason_ids else {}
    comments: dict[int, list[str]] = {}
    # Reviewers' comments to the submitter go out only once the chair has released the feedback (as on their pages).
    if consultation.is_feedback_released and ids:
        for proposal_id, text in db.session.execute(
                sa.select(Review.proposal_id, Review.comment_to_submitter)
                .where(Review.proposal_id.in_(ids), Review.state == ReviewState.SUBMITTED,
                       Review.comment_to_submitter != "").order_by(Review.submitted_at, Review.id)):
            comments.setdefault(proposal_id, []).append(text)
    emails = []
    # Each e-mail in its recipient's language, looked up for the whole batch in one query.
    languages = languages_of(_recipient(proposal) for proposal in proposals)
    for proposal in proposals:
        recipient = _recipient(proposal)
        if not recipient:
            continue
        with composing_in(languages.get(normalise_email(recipient))) as language:
            subject, body = _compose(proposal, consultation, reasons.get(proposal.decision_reason_id, ""),
                                     comments.get(proposal.id, []))
        emails.append(DecisionEmail(proposal.id, proposal.reference, proposal.announced_decision, proposal.decision,
                                    recipient, subject, body, f"{CATEGORY}:{proposal.id}:v{proposal.version_id}",
                                    language))
    return emails


def _compose(proposal: Proposal, consultation: Consultation, reason: str, comments: list[str]) -> tuple[str, str]:
    """Subject and body of one decision e-mail; times in the consultation's time zone, a link to the proposal."""
    lines = [_("Dear %(name)s,", name=proposal.submitter_name or _("submitter")), ""]
    if proposal.decision is Decision.PENDING:
        subject = _("Your proposal %(ref)s is under review again", ref=proposal.reference)
        lines.append(_("The review committee has reopened its decision on your proposal %(ref)s “%(title)s”: "
                       "it is being reviewed again, and you will be told the new decision.",
                       ref=proposal.reference, title=proposal.title))
    else:
        subject = _("Decision on your proposal %(ref)s", ref=proposal.reference)
        lines.append(_("The review committee has decided on your proposal %(ref)s “%(title)s”: %(decision)s.",
                       ref=proposal.reference, title=proposal.title, decision=DECISION_LABELS[proposal.decision]))
        if proposal.decided_at is not None:
            lines.append(_("Decided on %(when)s.", when=format_local(proposal.decided_at, consultation.timezone)))
        if reason:
            lines += ["", _("Reason: %(reason)s", reason=in_reader_language(reason))]
        if proposal.decision_note:
            lines += ["", _("Note from the chair:"), proposal.decision_note]
        if comments:
            lines += ["", _("Comments from the reviewers:")] + [f"- {comment}" for comment in comments]
    lines += ["", _("Your proposal: %(url)s", url=absolute_url("proposals.show", proposal_id=proposal.id)),
              "", consultation.title]
    return subject, "\n".join(lines)


def release_decisions(consultation: Consultation, *, actor, expected_fingerprint: str | None = None) -> int:
    """Announce every held decision in one batch: queue its e-mail once and record it as told; the count announced.

    With expected_fingerprint (the preview's), the release is refused whole when the held set changed meanwhile.
    """
    if expected_fingerprint is not None and expected_fingerprint != held_fingerprint(consultation.id):
        raise EditConflictError(_("Decisions changed since you opened the preview; nothing was sent. "
                                  "Check the e-mails below and release them again."))
    proposals = list(db.session.execute(held_select(consultation.id)).scalars().unique())
    if not proposals:
        return 0
    emails = {email.proposal_id: email for email in decision_emails(proposals, consultation)}
    now = utcnow()
    for proposal in proposals:
        email = emails.get(proposal.id)
        if email is not None:
            with composing_in(email.language):
                queue_email(email.recipient, email.subject, email.body, category=CATEGORY,
                            consultation_id=consultation.id, idempotency_key=email.idempotency_key)
        proposal.announced_decision, proposal.announced_reason_id = proposal.decision, proposal.decision_reason_id
        proposal.announced_note, proposal.announced_at = proposal.decision_note, now
    db.session.flush()
    record_audit("proposal.release_decisions", consultation, actor=actor, consultation_id=consultation.id,
                 summary=ngettext("%(num)d decision announced", "%(num)d decisions announced", len(proposals)),
                 details={"references": [p.reference for p in proposals],
                          "without_address": [p.reference for p in proposals if p.id not in emails]})
    return len(proposals)
