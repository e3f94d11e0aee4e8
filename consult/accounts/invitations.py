"""The chair invites people by e-mail; the link lets them set a password and complete their profile."""
import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from consult.accounts import tokens
from consult.accounts.language import writing_to
from consult.accounts.models import Invitation, Role, User
from consult.accounts.services import find_user_by_email, normalise_email, register_user
from consult.audit.services import record_audit
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.i18n import is_offered
from consult.outbox.services import queue_email

ROLE_LABELS = {Role.STAKEHOLDER: _l("a stakeholder"), Role.REVIEWER: _l("a member of the review committee"),
               Role.CHAIR: _l("a chair of the secretariat")}


def pending_invitations() -> list[Invitation]:
    """Invitations neither accepted nor revoked, newest first."""
    return list(db.session.execute(
        sa.select(Invitation).where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .options(joinedload(Invitation.invited_by))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ).scalars())


def _pending_for(email: str) -> Invitation | None:
    return db.session.execute(sa.select(Invitation).where(
        Invitation.email == email, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))).scalars().first()


def _send(invitation: Invitation) -> None:
    invitation.nonce = secrets.token_hex(16)
    invitation.sent_count += 1
    invitation.last_sent_at = utcnow()
    db.session.flush()
    token = tokens.make_token(tokens.INVITATION, {"i": invitation.id, "n": invitation.nonce})
    link = tokens.external_link("accounts.accept_invitation", token=token)
    with writing_to(invitation.email, language=invitation.locale):
        inviter = invitation.invited_by.name if invitation.invited_by else _("The secretariat")
        queue_email(
            invitation.email, _("You are invited to the open consultation"),
            _("Dear %(name)s,\n\n%(inviter)s invites you to take part in the open consultation as %(role)s. "
              "Open this link within %(days)s to choose a password and complete your profile:\n\n%(link)s\n\n"
              "If you did not expect this invitation, ignore this e-mail.\n",
              name=invitation.name, inviter=inviter, role=ROLE_LABELS[invitation.role],
              days=tokens.within_days(max(1, current_app.config["INVITATION_MAX_AGE"] // 86400)), link=link),
            category="account.invitation",
        )


def invite_user(*, name: str, email: str, role: Role, organization: str = "", actor: User,
                locale: str | None = None) -> Invitation:
    """Invite a person with a role, in locale (the site's default when None); refused when the address has an
    account or a pending invitation."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise DomainError(_("An account with this e-mail address exists already: change its role in the list."),
                          field="email")
    if _pending_for(email) is not None:
        raise DomainError(_("This address has a pending invitation: send it again from the list below."), field="email")
    invitation = Invitation(email=email, name=name.strip(), organization=(organization or "").strip(), role=role,
                            invited_by_id=actor.id, invited_by=actor, nonce="", sent_count=0,
                            locale=locale if is_offered(locale) else None)
    db.session.add(invitation)
    _send(invitation)
    record_audit("invitation.create", invitation, actor=actor, summary=f"{invitation.name} <{email}> as {role.value}")
    return invitation


def _ensure_pending(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation was accepted already."))
    if invitation.revoked_at is not None:
        raise DomainError(_("This invitation was revoked."))


def resend_invitation(invitation: Invitation, *, actor: User) -> Invitation:
    """Send the invitation again with a fresh link; the earlier link stops working."""
    _ensure_pending(invitation)
    _send(invitation)
    record_audit("invitation.resend", invitation, actor=actor, summary=invitation.email,
                 details={"sent_count": invitation.sent_count})
    return invitation


def revoke_invitation(invitation: Invitation, *, actor: User) -> Invitation:
    """Withdraw a pending invitation: its link stops working."""
    _ensure_pending(invitation)
    invitation.revoked_at = utcnow()
    db.session.flush()
    record_audit("invitation.revoke", invitation, actor=actor, summary=invitation.email)
    return invitation


def invitation_of_token(token: str) -> Invitation:
    """The pending invitation a link is for, or InvalidTokenError (tampered, expired, re-sent, used or revoked)."""
    return tokens.object_of_token(
        tokens.INVITATION, token, Invitation, key="i",
        still_valid=lambda invitation, payload: invitation.is_pending and payload.get("n") == invitation.nonce,
        invalid_message=_("This invitation link is not valid any more: it was used, revoked or replaced by a newer e-mail."),
        expired_message=_("This invitation has expired. Ask the secretariat to send it again."))


def accept_invitation(token: str, *, name: str, password: str, organization: str, stakeholder_type: str,
                      country: str, notice_version: int | None = None, locale: str | None = None) -> User:
    """Create the invited person's account with the role given, its address verified by the link, in locale."""
    invitation = invitation_of_token(token)
    user = register_user(name=name, email=invitation.email, password=password, organization=organization,
                         stakeholder_type=stakeholder_type, country=country, role=invitation.role,
                         is_verified=True, is_self_registration=True, notice_version=notice_version,
                         locale=locale or invitation.locale)
    invitation.accepted_at = utcnow()
    invitation.user_id = user.id
    db.session.flush()
    record_audit("invitation.accept", invitation, actor=user, summary=f"{user.name} <{user.email}>")
    return user
