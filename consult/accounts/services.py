"""Writes of the accounts area: registration, authentication, roles, sessions."""
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from consult import reference
from consult.accounts.models import Role, User
from consult.accounts.privacy import consent_check, record_consent
from consult.audit.services import record_audit
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.i18n import is_offered
from consult.reference import StakeholderType


def normalise_email(email: str) -> str:
    """The form an e-mail address is stored and compared in."""
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The user with this e-mail address, whatever its case."""
    return db.session.execute(sa.select(User).where(User.email == normalise_email(email))).scalar_one_or_none()


def check_password_length(password: str, *, field: str = "password") -> None:
    """Refuse a password shorter than the configured minimum."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        raise DomainError(_("The password needs at least %(min)d characters.", min=minimum), field=field)


def registration_problems(*, email: str | None, password: str | None, country: str | None,
                          consents_to: int | None = None, is_self_registration: bool = False) -> dict[str, str]:
    """Every reason the account cannot be created with these details, all at once: {field: message}.

    is_self_registration: the person signs up on the form, so the privacy notice's consent (the version they
    ticked, consents_to) is checked too.
    """
    problems = {}
    if is_self_registration:
        _version, refused = consent_check(consents_to)
        if refused:
            problems["accept_privacy"] = refused
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        problems["password"] = _("The password needs at least %(min)d characters.", min=minimum)
    if email and find_user_by_email(email) is not None:
        problems["email"] = _("An account with this e-mail address exists already. Sign in instead.")
    if not reference.is_country_code(country):
        problems["country"] = _("Choose a country from the list.")
    return problems


def register_user(*, name: str, email: str, password: str, organization: str, stakeholder_type: str,
                  country: str, role: Role = Role.STAKEHOLDER, actor: User | None = None,
                  is_verified: bool = False, is_self_registration: bool = False,
                  notice_version: int | None = None, locale: str | None = None) -> User:
    """Create an account; the region is derived from the country.

    is_verified: the address is known good (created by the chair, the CLI, the demo or an accepted invitation).
    is_self_registration: the person signs up on the form, so must accept the current privacy notice,
    notice_version being the version they accepted (recorded with the time as their consent).
    locale: the language the person registered in (kept when the site offers it), for pages and e-mails.
    """
    problems = registration_problems(email=email, password=password, country=country, consents_to=notice_version,
                                     is_self_registration=is_self_registration)
    if problems:
        raise DomainError.of(problems)
    if is_self_registration:
        notice_version, _refused = consent_check(notice_version)
    user = User(
        name=name.strip(),
        email=normalise_email(email),
        organization=organization.strip(),
        stakeholder_type=StakeholderType(stakeholder_type),
        country=country.upper(),
        region=reference.region_for_country(country),
        role=role,
        email_verified_at=utcnow() if is_verified else None,
        locale=locale if is_offered(locale) else None,
    )
    user.set_password(password)
    try:
        # Two sign-ups with one address at once both pass the check above: the unique constraint decides.
        with db.session.begin_nested():
            db.session.add(user)
            db.session.flush()
    except sa.exc.IntegrityError:
        raise DomainError(_("An account with this e-mail address exists already. Sign in instead."),
                          field="email") from None
    if notice_version is not None:
        record_consent(user, notice_version)
    record_audit("user.register", user, actor=actor or user, summary=f"{user.name} <{user.email}> as {role.value}")
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = find_user_by_email(email)
    if user is None or not user.is_active or not user.check_password(password):
        return None
    return user


def count_active_chairs() -> int:
    """How many active chairs there are."""
    return db.session.execute(
        sa.select(sa.func.count()).select_from(User).where(User.role == Role.CHAIR, User.is_active.is_(True))
    ).scalar_one()


def update_profile(user: User, *, name: str, organization: str, stakeholder_type: str, country: str) -> User:
    """Change a user's own details."""
    if not reference.is_country_code(country):
        raise DomainError(_("Choose a country from the list."), field="country")
    user.name = name.strip()
    user.organization = organization.strip()
    user.stakeholder_type = StakeholderType(stakeholder_type)
    user.country = country.upper()
    user.region = reference.region_for_country(country)
    db.session.flush()
    record_audit("user.update_profile", user, actor=user)
    return user


def change_role(user: User, role: Role, *, actor: User) -> User:
    """Give user another role; the last chair cannot be demoted."""
    if user.role is Role.CHAIR and role is not Role.CHAIR:
        if count_active_chairs() <= 1:
            raise DomainError(_("The consultation needs at least one chair: make someone else chair first."), field="role")
    previous = user.role
    user.role = role
    end_sessions(user)
    db.session.flush()
    record_audit("user.change_role", user, actor=actor, summary=f"{previous.value} -> {role.value}",
                 details={"from": previous.value, "to": role.value})
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session cookie of user (logout, password or role change)."""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()


def load_user_from_session_id(session_id: str) -> User | None:
    """Flask-Login loader: the user of an 'id:version' session identifier, if the version still holds."""
    user_id, _sep, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user
