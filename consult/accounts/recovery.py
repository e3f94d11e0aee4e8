"""Password reset, e-mail verification, change of e-mail and of password: the links e-mailed and their use."""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import npgettext

from consult.accounts import tokens
from consult.accounts.language import writing_to
from consult.accounts.models import User
from consult.accounts.services import check_password_length, end_sessions, find_user_by_email, normalise_email, register_user
from consult.audit.services import record_audit
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.outbox.services import queue_email


def _hours(setting: str) -> int:
    return max(1, current_app.config[setting] // 3600)


def request_password_reset(email: str) -> User | None:
    """E-mail a reset link to the account with this address, if there is an active one; the caller says the same either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return None
    token = tokens.make_token(tokens.PASSWORD_RESET, {"u": user.id, "h": tokens.fingerprint(user.password_hash)})
    link = tokens.external_link("accounts.reset_password", token=token)
    with writing_to(user):
        queue_email(
            user.email, _("Reset your password"),
            _("Dear %(name)s,\n\nSomeone (we hope you) asked to reset the password of your account. Choose a new "
              "password here within %(hours)s:\n\n%(link)s\n\nThe link works once. If you did not ask for "
              "it, ignore this e-mail: your password stays as it is.\n",
              name=user.name, link=link,
              hours=npgettext("choose a new password within …", "%(num)d hour", "%(num)d hours",
                              _hours("PASSWORD_RESET_MAX_AGE"))),
            category="account.password_reset",
        )
    record_audit("user.request_password_reset", user, actor=None, summary=user.email)
    return user


def _user_of_reset_token(token: str) -> User:
    # The token carries a digest of the password hash it was made against: once used, the hash changes.
    return tokens.object_of_token(
        tokens.PASSWORD_RESET, token, User, key="u",
        still_valid=lambda user, payload: user.is_active and payload.get("h") == tokens.fingerprint(user.password_hash),
        invalid_message=_("This reset link is not valid or was used already. Ask for a new one."),
        expired_message=_("This reset link has expired. Ask for a new one."))


def check_reset_token(token: str) -> User:
    """The user a reset link is for, or InvalidTokenError (tampered, expired or used)."""
    return _user_of_reset_token(token)


def reset_password(token: str, *, password: str) -> User:
    """Set a new password from a reset link: the link dies, every session ends, the address counts as verified."""
    user = _user_of_reset_token(token)
    check_password_length(password)
    user.set_password(password)
    # Following a link sent to the address proves it, as the verification link would.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    end_sessions(user)
    record_audit("user.reset_password", user, actor=user)
    return user


def register_stakeholder(*, notice_version: int | None, **fields) -> User:
    """A person signs up on the form: the account, their consent to the notice, and the link that verifies the address."""
    user = register_user(**fields, is_self_registration=True, notice_version=notice_version)
    send_verification(user)
    return user


def send_verification(user: User) -> None:
    """E-mail user a link that confirms their address."""
    token = tokens.make_token(tokens.EMAIL_VERIFICATION, {"u": user.id, "e": user.email})
    link = tokens.external_link("accounts.verify_email", token=token)
    with writing_to(user):
        queue_email(
            user.email, _("Confirm your e-mail address"),
            _("Dear %(name)s,\n\nPlease confirm that this is your e-mail address by opening this link within "
              "%(days)s:\n\n%(link)s\n\nYou can send proposals once it is confirmed.\n",
              name=user.name, days=tokens.within_days(_hours("EMAIL_VERIFICATION_MAX_AGE") // 24), link=link),
            category="account.verify_email",
        )


def verify_email(token: str) -> User:
    """Mark the address in a verification link as confirmed; a second use changes nothing."""
    user = tokens.object_of_token(
        tokens.EMAIL_VERIFICATION, token, User, key="u",
        still_valid=lambda user, payload: user.is_active and payload.get("e") == user.email,
        invalid_message=_("This confirmation link is not valid. Send yourself a new one from your profile."),
        expired_message=_("This confirmation link has expired. Send yourself a new one from your profile."))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.flush()
        record_audit("user.verify_email", user, actor=user, summary=user.email)
    return user


def request_email_change(user: User, *, new_email: str, password: str) -> User:
    """Ask to move the account to new_email: a link goes to the new address, a notice to the old one."""
    if not user.check_password(password or ""):
        raise DomainError(_("The password is not right."), field="password")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise DomainError(_("This is your current address already."), field="email")
    other = find_user_by_email(new_email)
    if other is not None:
        raise DomainError(_("Another account uses this address."), field="email")
    user.pending_email = new_email
    db.session.flush()
    token = tokens.make_token(tokens.EMAIL_CHANGE, {"u": user.id, "e": new_email})
    link = tokens.external_link("accounts.confirm_email_change", token=token)
    with writing_to(user):
        queue_email(
            new_email, _("Confirm your new e-mail address"),
            _("Dear %(name)s,\n\nTo use this address for your account, open this link within %(days)s:\n\n"
              "%(link)s\n\nUntil then you sign in with your current address.\n",
              name=user.name, days=tokens.within_days(_hours("EMAIL_VERIFICATION_MAX_AGE") // 24), link=link),
            category="account.change_email",
        )
    with writing_to(user):
        queue_email(
            user.email, _("Your e-mail address is being changed"),
            _("Dear %(name)s,\n\nSomeone signed in to your account asked to change its e-mail address to %(new)s. "
              "Nothing changes until that address is confirmed.\n\nIf this was not you, sign in and change your "
              "password, or write to the secretariat.\n", name=user.name, new=new_email),
            category="account.change_email_notice",
        )
    record_audit("user.request_email_change", user, actor=user, summary=f"{user.email} -> {new_email}")
    return user


def confirm_email_change(token: str) -> User:
    """Move the account to the address the link was sent to; it counts as verified."""
    user = tokens.object_of_token(
        tokens.EMAIL_CHANGE, token, User, key="u",
        still_valid=lambda user, payload: user.is_active and bool(user.pending_email)
        and payload.get("e") == user.pending_email,
        invalid_message=_("This confirmation link is not valid or was used already."),
        expired_message=_("This confirmation link has expired. Ask for the change again."))
    if find_user_by_email(user.pending_email) is not None:
        raise DomainError(_("Another account took this address meanwhile."))
    old_email, user.email, user.pending_email = user.email, user.pending_email, None
    user.email_verified_at = utcnow()
    db.session.flush()
    with writing_to(user):
        queue_email(
            old_email, _("Your e-mail address was changed"),
            _("Dear %(name)s,\n\nYour account now uses the address %(new)s; this address (%(old)s) no longer signs in.\n\n"
              "If this was not you, write to the secretariat.\n", name=user.name, new=user.email, old=old_email),
            category="account.change_email_notice",
        )
    record_audit("user.change_email", user, actor=user, summary=f"{old_email} -> {user.email}",
                 details={"from": old_email, "to": user.email})
    return user


def change_password(user: User, *, current_password: str, new_password: str) -> User:
    """Change one's password: every other session of the account ends (the caller renews its own)."""
    if not user.check_password(current_password or ""):
        raise DomainError(_("The current password is not right."), field="current_password")
    check_password_length(new_password, field="new_password")
    user.set_password(new_password)
    end_sessions(user)
    with writing_to(user):
        queue_email(
            user.email, _("Your password was changed"),
            _("Dear %(name)s,\n\nThe password of your account was changed and every other session was signed out.\n\n"
              "If this was not you, reset your password at once from the sign-in page.\n", name=user.name),
            category="account.password_changed",
        )
    record_audit("user.change_password", user, actor=user)
    return user
