"""A stored outgoing e-mail."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import TimestampMixin, enum_type
from consult.extensions import db
from consult.reference import LabelledEnum, set_labels


class MessageState(LabelledEnum):
    """Where an outgoing message stands."""

    QUEUED = "queued"
    SENT = "sent"
    LOGGED = "logged"
    FAILED = "failed"


MESSAGE_STATE_LABELS = set_labels(MessageState, {
    MessageState.QUEUED: _l("Queued"), MessageState.SENT: _l("Sent"),
    MessageState.LOGGED: _l("Logged (no mail server)"), MessageState.FAILED: _l("Failed"),
})


class OutboxMessage(TimestampMixin, db.Model):
    """An e-mail to one recipient, kept whatever happens to its delivery."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consultations.id", ondelete="SET NULL"), index=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    # The language the message was written in (the recipient's, see consult/accounts/language.py).
    locale: Mapped[str] = mapped_column(sa.String(8), default="")
    state: Mapped[MessageState] = mapped_column(enum_type(MessageState, "message_state"), default=MessageState.QUEUED, index=True)
    category: Mapped[str] = mapped_column(sa.String(64), default="", index=True)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    # A message that must leave once whatever retries its sender (a batch released twice, two chairs at once).
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
