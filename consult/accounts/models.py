"""The user account and its role."""
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from consult.db import TimestampMixin, enum_type
from consult.extensions import db
from consult.reference import LabelledEnum, StakeholderType, set_labels


class Role(LabelledEnum):
    """What a user may do: each role includes the ones before it."""

    STAKEHOLDER = "stakeholder"
    REVIEWER = "reviewer"
    CHAIR = "chair"

    @property
    def rank(self) -> int:
        """Position in the order stakeholder < reviewer < chair."""
        return list(Role).index(self)


ROLE_LABELS = set_labels(Role, {Role.STAKEHOLDER: _l("Stakeholder"), Role.REVIEWER: _l("Reviewer"), Role.CHAIR: _l("Chair")})


class User(UserMixin, TimestampMixin, db.Model):
    """A person with an account: stakeholder, reviewer or chair."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased by the services, so the unique constraint is case-insensitive on every database.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), index=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    organization: Mapped[str] = mapped_column(sa.String(200))
    stakeholder_type: Mapped[StakeholderType] = mapped_column(enum_type(StakeholderType, "stakeholder_type"))
    country: Mapped[str] = mapped_column(sa.String(2))
    region: Mapped[str | None] = mapped_column(sa.String(32))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"), default=Role.STAKEHOLDER, index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped at logout and password change so that an old session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    # None until the address is confirmed through the link e-mailed to it; a first submission needs it.
    email_verified_at: Mapped[datetime | None]
    # A new address asked for and not yet confirmed: the current one stays in use until then.
    pending_email: Mapped[str | None] = mapped_column(sa.String(254))
    # Two-factor sign-in: the TOTP secret (base32, sealed by consult.sealing so that a copy of the database or of
    # a backup does not give out the seed), when it was switched on, and the last time step used, so that one code
    # cannot be replayed within its 30 seconds.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(255))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]
    closed_at: Mapped[datetime | None]
    # The language pages and e-mails are written in for this person (a code of consult/i18n.py's LANGUAGES);
    # None: none chosen yet, so the browser's Accept-Language decides.
    locale: Mapped[str | None] = mapped_column(sa.String(8))

    def set_password(self, password: str) -> None:
        """Store a salted hash of password."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Whether password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """Session identifier: id and session version, so that bumping the version ends old sessions."""
        return f"{self.id}:{self.session_version}"

    def has_role(self, role: Role) -> bool:
        """Whether this user holds role or a higher one."""
        return self.role.rank >= role.rank

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_chair(self) -> bool:
        return self.role is Role.CHAIR

    @property
    def is_reviewer(self) -> bool:
        return self.has_role(Role.REVIEWER)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Invitation(TimestampMixin, db.Model):
    """The chair's invitation of a person, by e-mail, to take an account with a given role."""

    __tablename__ = "invitations"
    __table_args__ = (sa.Index("ix_invitations_email_pending", "email", "accepted_at", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(120))
    organization: Mapped[str] = mapped_column(sa.String(200), default="")
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Part of the signed link: a new one at each re-send, so that only the latest e-mail's link works.
    nonce: Mapped[str] = mapped_column(sa.String(32))
    sent_count: Mapped[int] = mapped_column(default=0)
    last_sent_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    # The language the invitation is written in, chosen by the chair (None: the site's default).
    locale: Mapped[str | None] = mapped_column(sa.String(8))

    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class RecoveryCode(db.Model):
    """A one-time code that signs in when the authenticator is lost; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(256))
    used_at: Mapped[datetime | None]


class PrivacyNotice(TimestampMixin, db.Model):
    """One version of the privacy notice shown at registration; a change makes a new version."""

    __tablename__ = "privacy_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class Consent(db.Model):
    """That a user accepted a version of the privacy notice, and when."""

    __tablename__ = "consents"
    __table_args__ = (sa.UniqueConstraint("user_id", "notice_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    notice_version: Mapped[int]
    given_at: Mapped[datetime]


class AccountPolicy(db.Model):
    """Site-wide account rules set by the chair (one row)."""

    __tablename__ = "account_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Reviewers and chairs must sign in with a second factor: they are sent to enrol before anything else.
    is_two_factor_required_for_committee: Mapped[bool] = mapped_column(default=False)
