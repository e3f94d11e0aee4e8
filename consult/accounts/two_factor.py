"""Optional two-factor sign-in with time-based codes (TOTP), one-time recovery codes, and the committee rule."""
import io
import logging
import secrets

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from consult.accounts.models import AccountPolicy, RecoveryCode, User
from consult.audit.services import record_audit
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.sealing import InvalidToken, reseal, seal, unseal

RECOVERY_CODE_COUNT = 10

logger = logging.getLogger("consult.accounts")


def new_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["TWO_FACTOR_ISSUER"])


def qr_svg(uri: str) -> str:
    """The QR code of uri as an SVG document, made here (no network)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True,
                                    title=_("QR code for your authenticator app"))
    return buffer.getvalue().decode()


def _stored_secret(user: User) -> str | None:
    """user's TOTP secret, unsealed; None when no configured key opens it (DATA_KEYS lost or changed)."""
    try:
        return unseal(user.totp_secret)
    except InvalidToken:
        # Codes cannot be checked; recovery codes still sign in, and the chair can switch the device off.
        logger.error("The two-factor secret of user %s cannot be unsealed with the configured DATA_KEYS", user.id)
        return None


def reseal_two_factor_secrets() -> int:
    """Seal every stored TOTP secret again under the first of DATA_KEYS (after a key was added); how many."""
    users = db.session.execute(sa.select(User).where(User.totp_secret.is_not(None))).scalars().all()
    for user in users:
        user.totp_secret = reseal(user.totp_secret)
    db.session.flush()
    return len(users)


def _matching_step(secret: str | None, code: str) -> int | None:
    """The time step at which code is valid (now, or one step either side for clock drift), else None."""
    code = "".join((code or "").split())
    if secret is None or not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=generate_password_hash(code, method=method))
                       for code in codes)
    db.session.flush()
    return codes


def enable_two_factor(user: User, *, secret: str, code: str) -> list[str]:
    """Switch two-factor sign-in on once a code from the app checks out; the new recovery codes, shown once."""
    if user.has_two_factor:
        raise DomainError(_("Two-factor sign-in is on already."))
    try:
        step = _matching_step(secret, code)
    except (ValueError, TypeError):  # a tampered secret field
        step = None
    if step is None:
        raise DomainError(_("This code does not match. Check your device's clock and type the current 6-digit code."),
                          field="code")
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = seal(secret), utcnow(), step
    codes = _new_recovery_codes(user)
    record_audit("user.enable_two_factor", user, actor=user)
    return codes


def disable_two_factor(user: User, *, actor: User, password: str | None = None) -> User:
    """Switch two-factor sign-in off: by its holder after a password check, or by the chair (a lost device)."""
    if not user.has_two_factor:
        raise DomainError(_("Two-factor sign-in is off."))
    if actor.id == user.id and not user.check_password(password or ""):
        raise DomainError(_("The password is not right."), field="password")
    if actor.id == user.id and is_two_factor_required(user):
        raise DomainError(_("The committee must sign in with two factors: you can set up a new device, not switch it off."),
                          field="password")
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()
    record_audit("user.disable_two_factor", user, actor=actor)
    return user


def regenerate_recovery_codes(user: User, *, password: str) -> list[str]:
    """Replace the recovery codes after a password check; the old ones stop working."""
    if not user.check_password(password or ""):
        raise DomainError(_("The password is not right."), field="password")
    if not user.has_two_factor:
        raise DomainError(_("Two-factor sign-in is off."))
    codes = _new_recovery_codes(user)
    record_audit("user.regenerate_recovery_codes", user, actor=user)
    return codes


def unused_recovery_codes(user: User) -> int:
    """How many recovery codes user has left."""
    return db.session.execute(sa.select(sa.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).scalar_one()


def verify_second_factor(user: User, code: str) -> bool:
    """Whether code is user's current TOTP code (not used before) or an unused recovery code, which it uses up."""
    if not user.has_two_factor:
        return False
    step = _matching_step(_stored_secret(user), code)
    if step is not None:
        # A code seen already (an onlooker's replay) is refused until the next one appears.
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False
        user.totp_last_step = step
        db.session.flush()
        return True
    typed = "".join((code or "").split()).lower()
    if len(typed) != 13:
        return False
    for recovery in db.session.execute(sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).scalars():
        if check_password_hash(recovery.code_hash, typed):
            recovery.used_at = utcnow()
            db.session.flush()
            record_audit("user.use_recovery_code", user, actor=user)
            return True
    return False


def account_policy() -> AccountPolicy:
    """The site's account rules (defaults until the chair saves them)."""
    policy = db.session.get(AccountPolicy, 1)
    return policy if policy is not None else AccountPolicy(id=1, is_two_factor_required_for_committee=False)


def set_committee_two_factor(required: bool, *, actor: User) -> AccountPolicy:
    """Require (or stop requiring) two-factor sign-in for reviewers and chairs."""
    policy = db.session.get(AccountPolicy, 1)
    if policy is None:
        policy = AccountPolicy(id=1)
        db.session.add(policy)
    changed = policy.is_two_factor_required_for_committee != bool(required)
    policy.is_two_factor_required_for_committee = bool(required)
    db.session.flush()
    if changed:
        record_audit("account_policy.committee_two_factor", policy, actor=actor, summary="on" if required else "off")
    return policy


def is_two_factor_required(user: User) -> bool:
    """Whether user's role obliges them to sign in with a second factor."""
    return user.is_reviewer and account_policy().is_two_factor_required_for_committee
