"""Days, rooms, sessions and their people and tags, published agenda versions and comments."""
import enum
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.clustering.models import Cluster
from consult.db import TimestampMixin, enum_type, utcnow
from consult.extensions import db
from consult.reference import StakeholderType, Track

OPENING_FORMAT = "opening_segment"


class ForumDay(db.Model):
    """A day of the Forum week with the hours sessions may use (local time of the consultation)."""

    __tablename__ = "forum_days"
    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "day"),
        sa.CheckConstraint("ends_at > starts_at", name="hours_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    starts_at: Mapped[time] = mapped_column(default=time(9, 0))
    ends_at: Mapped[time] = mapped_column(default=time(18, 0))
    # Sessions start on multiples of this many minutes after starts_at.
    granularity_minutes: Mapped[int] = mapped_column(default=15)


class Room(db.Model):
    """A room of the venue."""

    __tablename__ = "rooms"
    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "name"),
        sa.CheckConstraint("capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    capacity: Mapped[int]
    has_interpretation: Mapped[bool] = mapped_column(default=False)
    # The High-Level Track keeps this room: its sessions are placed nowhere else.
    is_high_level_track: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)


class PlenarySlot(db.Model):
    """A time of a Forum day the chair keeps for plenary sessions: nothing else runs then, in any room."""

    __tablename__ = "plenary_slots"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="slot_hours_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    day_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_days.id", ondelete="CASCADE"), index=True)
    # Local clock times of the consultation, like the day's hours.
    starts_at: Mapped[time]
    ends_at: Mapped[time]
    title: Mapped[str] = mapped_column(sa.String(200), default="")

    day: Mapped[ForumDay] = relationship()


class AgendaSession(TimestampMixin, db.Model):
    """A session of the Forum agenda, usually built from a cluster of proposals."""

    __tablename__ = "agenda_sessions"
    __table_args__ = (
        sa.CheckConstraint("duration_minutes BETWEEN 15 AND 480", name="duration_range"),
        sa.Index("ix_agenda_sessions_placement", "day_id", "room_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clusters.id", ondelete="SET NULL"), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    format_code: Mapped[str] = mapped_column(sa.String(64))
    track: Mapped[Track] = mapped_column(enum_type(Track, "track"), default=Track.FORUM)
    duration_minutes: Mapped[int] = mapped_column(default=60)
    expected_audience: Mapped[int] = mapped_column(default=50)
    # Placement: empty until scheduled. starts_at is the UTC start.
    day_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum_days.id", ondelete="SET NULL"))
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rooms.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime | None]
    is_pinned: Mapped[bool] = mapped_column(default=False)
    # A plenary session runs in a plenary slot with nothing in parallel (the Prizes ceremony, say).
    is_plenary: Mapped[bool] = mapped_column(default=False)
    version_id: Mapped[int] = mapped_column(default=1)

    cluster: Mapped[Cluster | None] = relationship()
    day: Mapped[ForumDay | None] = relationship()
    room: Mapped[Room | None] = relationship()
    people: Mapped[list["SessionPerson"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionPerson.position"
    )
    action_lines: Mapped[list["SessionActionLine"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionActionLine.code"
    )
    sdgs: Mapped[list["SessionSdg"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionSdg.sdg"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def is_opening(self) -> bool:
        """Whether it is the Opening segment, which opens the first day with nothing in parallel."""
        return self.format_code == OPENING_FORMAT


class PersonRole(enum.Enum):
    """The part a person plays in a session."""

    ORGANIZER = "organizer"
    MODERATOR = "moderator"
    SPEAKER = "speaker"


PERSON_ROLE_LABELS = {
    PersonRole.ORGANIZER: _l("Organizer"),
    PersonRole.MODERATOR: _l("Moderator"),
    PersonRole.SPEAKER: _l("Speaker"),
}


class SessionPerson(db.Model):
    """An organizer, moderator or speaker of a session."""

    __tablename__ = "session_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_sessions.id", ondelete="CASCADE"), index=True)
    role: Mapped[PersonRole] = mapped_column(enum_type(PersonRole, "person_role"))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(120))
    # Lower-cased name (or e-mail) that identifies one person across sessions, for clash checks.
    person_key: Mapped[str] = mapped_column(sa.String(254), index=True)
    organization: Mapped[str] = mapped_column(sa.String(200), default="")
    stakeholder_type: Mapped[StakeholderType | None] = mapped_column(enum_type(StakeholderType, "stakeholder_type"))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    gender: Mapped[str] = mapped_column(sa.String(32), default="")
    is_remote: Mapped[bool] = mapped_column(default=False)

    session: Mapped[AgendaSession] = relationship(back_populates="people")


class SessionActionLine(db.Model):
    """An action line a session is tagged with."""

    __tablename__ = "session_action_lines"

    session_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_sessions.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)

    session: Mapped[AgendaSession] = relationship(back_populates="action_lines")


class SessionSdg(db.Model):
    """An SDG a session is tagged with."""

    __tablename__ = "session_sdgs"
    __table_args__ = (sa.CheckConstraint("sdg BETWEEN 1 AND 17", name="sdg_range"),)

    session_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_sessions.id", ondelete="CASCADE"), primary_key=True)
    sdg: Mapped[int] = mapped_column(primary_key=True)

    session: Mapped[AgendaSession] = relationship(back_populates="sdgs")


class AgendaVersionKind(enum.Enum):
    """A published agenda is a draft for comment, or the final one that freezes the agenda."""

    DRAFT = "draft"
    FINAL = "final"


class AgendaVersion(db.Model):
    """A numbered, immutable snapshot of the agenda as published."""

    __tablename__ = "agenda_versions"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    kind: Mapped[AgendaVersionKind] = mapped_column(enum_type(AgendaVersionKind, "agenda_version_kind"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The sessions as published: a list of plain dicts (id, title, day, room, start, end, tags, people).
    snapshot: Mapped[list] = mapped_column(sa.JSON)


class SessionComment(TimestampMixin, db.Model):
    """A signed-in stakeholder's public comment on a session of the draft agenda."""

    __tablename__ = "session_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_sessions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    is_hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str] = mapped_column(sa.Text, default="")
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The secretariat's public answer, shown under the comment.
    reply: Mapped[str] = mapped_column(sa.Text, default="")
    replied_at: Mapped[datetime | None]
    replied_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    session: Mapped[AgendaSession] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
