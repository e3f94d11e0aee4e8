"""Queue e-mails in the outbox; delivery happens after the request commits."""
import sqlalchemy as sa

from consult.extensions import db
from consult.outbox.delivery import note_queued
from consult.outbox.language import language_now
from consult.outbox.models import OutboxMessage


def queue_email(recipient: str, subject: str, body: str, *, category: str = "",
                consultation_id: int | None = None, idempotency_key: str | None = None) -> OutboxMessage:
    """Store a message for recipient; it is delivered (or logged) once the transaction commits.

    With an idempotency key, a message already queued under that key is returned instead of a second one; the
    unique constraint on the key refuses the same message from a concurrent transaction. Subject and body are
    composed by the caller in the recipient's language (inside consult.accounts.language.writing_to); the message
    records the language it was written in.
    """
    if idempotency_key:
        existing = db.session.execute(sa.select(OutboxMessage).where(
            OutboxMessage.idempotency_key == idempotency_key)).scalar_one_or_none()
        if existing is not None:
            return existing
    message = OutboxMessage(recipient=recipient, subject=subject[:300], body=body, category=category,
                            consultation_id=consultation_id, idempotency_key=idempotency_key or None,
                            locale=language_now())
    db.session.add(message)
    db.session.flush()
    note_queued(message.id)
    return message
