"""The privacy notice (versioned, set by the chair), consent to it, and each person's data as JSON."""
import sqlalchemy as sa
from blinker import Namespace
from flask_babel import gettext as _

from consult.accounts.models import Consent, PrivacyNotice, User
from consult.audit.services import record_audit
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db

NOTICE_MAX_LENGTH = 50_000

_signals = Namespace()
# Areas above accounts (proposals, review, agenda) connect here: accounts may not import them.
# A receiver of `personal_data_requested` returns (section name, JSON-ready value) for the user sent;
# a receiver of `account_closing` removes the person from that area's records (the records stay).
personal_data_requested = _signals.signal("personal-data-requested")
account_closing = _signals.signal("account-closing")


def current_notice() -> PrivacyNotice | None:
    """The latest version of the privacy notice, or None while the chair has written none."""
    return db.session.execute(
        sa.select(PrivacyNotice).order_by(PrivacyNotice.version.desc()).limit(1)
    ).scalar_one_or_none()


def publish_notice(body: str, *, actor: User) -> PrivacyNotice | None:
    """Save the notice text as a new version (None and no change when the text is the same)."""
    body = (body or "").strip()
    if len(body) > NOTICE_MAX_LENGTH:
        raise DomainError(_("The notice has %(count)d characters; at most %(max)d are allowed.",
                            count=len(body), max=NOTICE_MAX_LENGTH), field="privacy_notice")
    latest = current_notice()
    if latest is not None and latest.body == body:
        return None
    if latest is None and not body:
        return None
    notice = PrivacyNotice(version=(latest.version if latest else 0) + 1, body=body, created_by_id=actor.id)
    db.session.add(notice)
    db.session.flush()
    record_audit("privacy_notice.publish", notice, actor=actor, summary=f"version {notice.version}")
    return notice


def save_account_settings(*, privacy_notice: str, require_committee_two_factor: bool, actor: User) -> PrivacyNotice | None:
    """The chair's account settings: the notice (a new version when its text changed) and the committee's 2FA rule."""
    from consult.accounts.two_factor import set_committee_two_factor

    published = publish_notice(privacy_notice, actor=actor)
    set_committee_two_factor(require_committee_two_factor, actor=actor)
    return published


def consent_check(notice_version: int | None) -> tuple[int | None, str | None]:
    """(the notice version a registration consents to, why its consent is refused), each None when it does not apply.

    No notice (or an empty one) asks for no consent: (None, None).
    """
    notice = current_notice()
    if notice is None or not notice.body:
        return None, None
    if notice_version is None:
        return None, _("Read and accept the privacy notice to create an account.")
    if notice_version != notice.version:
        return None, _("The privacy notice changed while you were reading it: read the new version and accept it.")
    return notice.version, None


def record_consent(user: User, notice_version: int) -> Consent:
    """Record that user accepted this version of the notice now (once per version)."""
    existing = db.session.execute(sa.select(Consent).where(
        Consent.user_id == user.id, Consent.notice_version == notice_version)).scalar_one_or_none()
    if existing is not None:
        return existing
    consent = Consent(user_id=user.id, notice_version=notice_version, given_at=utcnow())
    db.session.add(consent)
    db.session.flush()
    return consent


def consents_of(user: User) -> list[Consent]:
    """The consents user gave, oldest first."""
    return list(db.session.execute(
        sa.select(Consent).where(Consent.user_id == user.id).order_by(Consent.given_at, Consent.id)).scalars())


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_personal_data(user: User) -> dict:
    """Everything the consultation holds about user, as JSON-ready data: account, consents and each area's section."""
    data = {
        "account": {
            "id": user.id, "name": user.name, "email": user.email, "pending_email": user.pending_email,
            "organization": user.organization, "stakeholder_type": user.stakeholder_type.value,
            "country": user.country, "region": user.region, "role": user.role.value, "language": user.locale,
            "created_at": _iso(user.created_at), "email_verified_at": _iso(user.email_verified_at),
            "two_factor_enabled_at": _iso(user.totp_enabled_at), "closed_at": _iso(user.closed_at),
        },
        "consents": [{"privacy_notice_version": consent.notice_version, "given_at": _iso(consent.given_at)}
                     for consent in consents_of(user)],
    }
    for _receiver, section in personal_data_requested.send(user):
        if section:
            name, value = section
            data[name] = value
    return data
