"""A stakeholder writes to the authors of a similar published proposal through the platform.

The recipient's e-mail address is never shown: the message leaves through the outbox. The sender's own name,
organization and address are in it, so that the authors can answer if they wish (the form says so).
"""
import sqlalchemy as sa
from flask_babel import gettext as _

from consult.accounts.language import writing_to
from consult.audit.models import AuditEntry
from consult.audit.services import record_audit
from consult.errors import DomainError, NotAllowedError
from consult.extensions import db
from consult.outbox.services import queue_email
from consult.proposals.models import Proposal, ProposalStatus

MESSAGE_MIN, MESSAGE_MAX = 20, 2000


def can_contact(sender, about: Proposal, other: Proposal) -> bool:
    """Whether sender, author of about, may write to the authors of other (published, with an address, not theirs)."""
    return bool(
        sender is not None and getattr(sender, "is_authenticated", False) and about.submitter_id == sender.id
        and other.id != about.id and other.consultation_id == about.consultation_id
        and other.status is ProposalStatus.SUBMITTED and other.consultation.submissions_published
        and other.submitter_email and other.submitter_id != sender.id)


def contact_authors(other: Proposal, *, sender, about: Proposal, message: str) -> None:
    """Queue the sender's message to the authors of other, once per pair of proposals."""
    if not can_contact(sender, about, other):
        raise NotAllowedError(_("You can write only to the authors of a published proposal similar to yours."))
    text = (message or "").strip()
    if not MESSAGE_MIN <= len(text) <= MESSAGE_MAX:
        raise DomainError(_("Write between %(min)d and %(max)d characters.", min=MESSAGE_MIN, max=MESSAGE_MAX),
                          field="message")
    already = db.session.execute(sa.select(AuditEntry.id).where(
        AuditEntry.action == "proposal.contact", AuditEntry.actor_id == sender.id,
        AuditEntry.object_type == "Proposal", AuditEntry.object_id == other.id)).first()
    if already is not None:
        raise DomainError(_("You have written to these authors already; they have your address to answer."),
                          field="message")
    with writing_to(other.submitter_email):
        body = _("%(name)s (%(organization)s), author of the proposal “%(own)s”, writes about your proposal "
                 "%(reference)s “%(title)s”, which the consultation found similar:\n\n%(message)s\n\n"
                 "To answer, write to %(email)s. Your own address was not shown to them.",
                 name=sender.name, organization=sender.organization or "-", own=about.title,
                 reference=other.reference, title=other.title, message=text, email=sender.email)
        queue_email(other.submitter_email, _("A proposal similar to %(reference)s: an author would like to talk",
                                             reference=other.reference),
                    body, category="proposal_contact", consultation_id=other.consultation_id)
    record_audit("proposal.contact", other, actor=sender, consultation_id=other.consultation_id,
                 summary=_("Message from the author of %(own)s", own=about.reference), details={"from": about.id})
