"""A stored outgoing e-mail."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import TimestampMixin, enum_type
from consult.extensions import db


class MessageState(enum.Enum):
    """Where an outgoing message stands."""

    QUEUED = "queued"
    SENT = "sent"
    LOGGED = "logged"
    FAILED = "failed"


class OutboxMessage(TimestampMixin, db.Model):
    """An e-mail to one recipient, kept whatever happens to its delivery."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consultations.id", ondelete="SET NULL"), index=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[MessageState] = mapped_column(enum_type(MessageState, "message_state"), default=MessageState.QUEUED, index=True)
    category: Mapped[str] = mapped_column(sa.String(64), default="", index=True)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
