"""Writes of public comments on the draft agenda: comments, moderation and the secretariat's replies."""

from flask_babel import gettext as _

from consult.accounts.permissions import is_chair
from consult.agenda import queries
from consult.agenda.models import AgendaSession, AgendaVersionKind, SessionComment
from consult.agenda.versions import read_snapshot
from consult.audit.services import record_audit
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import Consultation, PhaseKind
from consult.db import utcnow
from consult.errors import DomainError, NotAllowedError
from consult.extensions import db


def add_comment(session: AgendaSession, *, author, body: str) -> SessionComment:
    """A signed-in user's comment on a session of the published draft, during public comment."""
    if author is None or not author.is_authenticated:
        raise NotAllowedError(_("Sign in to comment."))
    consultation = db.session.get(Consultation, session.consultation_id)
    ensure_phase_open(consultation, PhaseKind.PUBLIC_COMMENT)
    version = queries.latest_version(consultation)
    if (version is None or version.kind is not AgendaVersionKind.DRAFT
            or all(i["id"] != session.id for i in read_snapshot(version.snapshot))):
        raise DomainError(_("Only sessions of the published draft agenda take comments."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a comment first."), field="body")
    if len(body) > 5000:
        raise DomainError(_("A comment has at most 5000 characters."), field="body")
    comment = SessionComment(session_id=session.id, author_id=author.id, body=body)
    db.session.add(comment)
    db.session.flush()
    record_audit("comment.create", comment, actor=author, consultation_id=consultation.id, summary=session.title)
    return comment


def hide_comment(comment: SessionComment, *, actor, reason: str) -> SessionComment:
    """The chair hides a comment from the public page, with a reason kept for the record."""
    if not is_chair(actor):
        raise NotAllowedError(_("Only the chair moderates comments."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for hiding the comment."), field="reason")
    comment.is_hidden, comment.hidden_reason, comment.hidden_by_id = True, reason, actor.id
    db.session.flush()
    record_audit("comment.hide", comment, actor=actor, consultation_id=comment.session.consultation_id,
                 summary=reason[:200])
    return comment


def show_comment(comment: SessionComment, *, actor) -> SessionComment:
    """The chair shows a hidden comment again."""
    if not is_chair(actor):
        raise NotAllowedError(_("Only the chair moderates comments."))
    comment.is_hidden, comment.hidden_reason, comment.hidden_by_id = False, "", None
    db.session.flush()
    record_audit("comment.show", comment, actor=actor, consultation_id=comment.session.consultation_id)
    return comment


def reply_to_comment(comment: SessionComment, *, actor, body: str) -> SessionComment:
    """The secretariat answers a comment in public; a second reply replaces the first."""
    if not is_chair(actor):
        raise NotAllowedError(_("Only the secretariat replies to comments."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a reply first."), field="reply")
    if len(body) > 5000:
        raise DomainError(_("A reply has at most 5000 characters."), field="reply")
    before = comment.reply
    comment.reply, comment.replied_at, comment.replied_by_id = body, utcnow(), actor.id
    db.session.flush()
    record_audit("comment.reply", comment, actor=actor, consultation_id=comment.session.consultation_id,
                 summary=body[:200], details={"old": before, "new": body})
    return comment
