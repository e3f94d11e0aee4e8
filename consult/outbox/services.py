"""Queue e-mails in the outbox; delivery happens after the request commits."""
from consult.extensions import db
from consult.outbox.delivery import note_queued
from consult.outbox.models import OutboxMessage


def queue_email(recipient: str, subject: str, body: str, *, category: str = "",
                consultation_id: int | None = None) -> OutboxMessage:
    """Store a message for recipient; it is delivered (or logged) once the transaction commits."""
    message = OutboxMessage(recipient=recipient, subject=subject[:300], body=body, category=category,
                            consultation_id=consultation_id)
    db.session.add(message)
    db.session.flush()
    note_queued(message.id)
    return message
