"""Speakers answer for themselves: an e-mail with a signed link to confirm or decline, without an account.

The link carries the speaker's id and the address it was sent to, signed with the app's secret; changing the
speaker's address (or name) on the proposal asks again, so an old link stops counting for the new person.
"""
import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import selectinload

from consult.accounts.language import writing_to
from consult.audit.services import record_audit
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.outbox.services import queue_email
from consult.proposals.models import Decision, Proposal, ProposalStatus, Speaker, SpeakerAnswer

SALT = "speaker-answer"
LINK_DAYS = 365


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def speaker_token(speaker: Speaker) -> str:
    """The signed token of speaker's answer link."""
    return _serializer().dumps([speaker.id, speaker.email.lower()])


def speaker_for_token(token: str) -> Speaker | None:
    """The speaker a token was made for, while the address it was sent to is still theirs; None otherwise."""
    try:
        speaker_id, email = _serializer().loads(token, max_age=LINK_DAYS * 86400)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    speaker = db.session.get(Speaker, speaker_id) if isinstance(speaker_id, int) else None
    if speaker is None or speaker.email.lower() != email or speaker.proposal.status is not ProposalStatus.SUBMITTED:
        return None
    return speaker


def invite_speakers(proposal: Proposal) -> int:
    """E-mail each speaker of a submitted proposal who has an address and was not asked yet; how many were asked."""
    asked = 0
    for speaker in proposal.speakers:
        if not speaker.email or speaker.answer is not SpeakerAnswer.NOT_INVITED:
            continue
        with writing_to(speaker.email):
            link = url_for("speakers.answer", token=speaker_token(speaker), _external=True) if has_request_context() else ""
            queue_email(
                speaker.email,
                _("Please confirm: you are named as a speaker of “%(title)s”", title=proposal.title),
                _("Dear %(name)s,\n\n%(organization)s proposed a session for the %(consultation)s, “%(title)s” "
                  "(%(reference)s), and named you as a speaker.\n\nPlease confirm or decline your part here; no account "
                  "is needed:\n%(link)s\n\nIf you do not know this proposal, decline and the submitter is told.\n",
                  name=speaker.name, organization=proposal.organization or proposal.submitter_name,
                  consultation=proposal.consultation.title, title=proposal.title, reference=proposal.reference, link=link),
                category="speaker.invite", consultation_id=proposal.consultation_id,
            )
        speaker.answer, speaker.invited_at = SpeakerAnswer.PENDING, utcnow()
        asked += 1
    db.session.flush()
    return asked


def answer_invitation(speaker: Speaker, *, confirm: bool) -> Speaker:
    """Record the speaker's own answer and tell the submitter."""
    proposal = speaker.proposal
    if proposal.status is not ProposalStatus.SUBMITTED:
        raise DomainError(_("This proposal was withdrawn: there is nothing to confirm any more."))
    speaker.answer = SpeakerAnswer.CONFIRMED if confirm else SpeakerAnswer.DECLINED
    speaker.is_confirmed = confirm
    speaker.answered_at = utcnow()
    db.session.flush()
    if proposal.submitter_email:
        with writing_to(proposal.submitter_email):
            link = url_for("proposals.show", proposal_id=proposal.id, _external=True) if has_request_context() else ""
            queue_email(
                proposal.submitter_email,
                (_("%(name)s confirmed their part in %(reference)s", name=speaker.name, reference=proposal.reference) if confirm
                 else _("%(name)s declined their part in %(reference)s", name=speaker.name, reference=proposal.reference)),
                _("%(name)s answered %(answer)s for “%(title)s”.\n\n%(link)s\n", name=speaker.name,
                  answer=speaker.answer.label, title=proposal.title, link=link),
                category="speaker.answer", consultation_id=proposal.consultation_id,
            )
    record_audit("speaker.answer", proposal, summary=f"{speaker.name}: {speaker.answer.value}",
                 consultation_id=proposal.consultation_id)
    return speaker


def unconfirmed_speakers(consultation_id: int) -> list[Speaker]:
    """Speakers of accepted (or to-be-merged) proposals who have not confirmed, by proposal number."""
    return list(db.session.execute(
        sa.select(Speaker).join(Speaker.proposal)
        .where(Proposal.consultation_id == consultation_id, Proposal.status == ProposalStatus.SUBMITTED,
               Proposal.decision.in_((Decision.ACCEPTED, Decision.MERGE)), Speaker.is_confirmed.is_(False))
        .options(selectinload(Speaker.proposal))
        .order_by(Proposal.number, Speaker.position)
    ).scalars())
