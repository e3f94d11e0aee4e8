"""The user account and its role."""
import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
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
    def is_chair(self) -> bool:
        return self.role is Role.CHAIR

    @property
    def is_reviewer(self) -> bool:
        return self.has_role(Role.REVIEWER)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
