"""Closing one's own account: the person is removed, what they contributed stays as the consultation's record."""
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.accounts.models import RecoveryCode, Role, User
from consult.accounts.privacy import account_closing
from consult.accounts.services import count_active_chairs, end_sessions
from consult.audit.models import AuditEntry
from consult.audit.services import record_audit
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.outbox.models import OutboxMessage


def anonymous_name(user: User) -> str:
    """How a closed account reads wherever its contributions are shown."""
    return _("Former participant %(number)d", number=user.id)


def _scrub_ground_floor(original: dict, anonymous: dict) -> None:
    """The audit log and the outbox keep what happened and what was sent, with the person's name and address replaced."""
    for old, new in ((original["email"], anonymous["email"]), (original["name"], anonymous["name"])):
        if not old:
            continue
        db.session.execute(sa.update(AuditEntry).where(AuditEntry.summary.contains(old, autoescape=True))
                           .values(summary=sa.func.replace(AuditEntry.summary, old, new)))
        db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.body.contains(old, autoescape=True))
                           .values(body=sa.func.replace(OutboxMessage.body, old, new)))
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.recipient == original["email"])
                       .values(recipient=anonymous["email"]))


def close_account(user: User, *, password: str) -> User:
    """Close user's own account after a password check; the last chair cannot close theirs."""
    if not user.check_password(password or ""):
        raise DomainError(_("The password is not right."), field="password")
    if user.role is Role.CHAIR and count_active_chairs() <= 1:
        raise DomainError(_("You are the last chair: make someone else chair before you close your account."),
                          field="password")
    original = {"name": user.name, "email": user.email}
    # Each area first forgets the person in its own records (the submitter's name and address kept on proposals).
    account_closing.send(user, **original)
    user.name = anonymous_name(user)
    user.email = f"closed-{user.id}@closed.invalid"
    _scrub_ground_floor(original, {"name": user.name, "email": user.email})
    user.pending_email = None
    user.organization = ""
    # A random secret nobody knows: no password can match it, and is_active refuses sign-in in any case.
    user.set_password(secrets.token_urlsafe(32))
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.is_active = False
    user.closed_at = utcnow()
    end_sessions(user)
    record_audit("user.close_account", user, actor=None, summary=f"account {user.id} closed by its holder")
    return user
