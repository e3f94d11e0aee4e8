"""Queue e-mails in the outbox; delivery happens after the request commits."""
from consult.extensions import db
from consult.outbox.delivery import note_queued
from consult.outbox.language import language_now
from consult.outbox.models import OutboxMessage


def queue_email(recipient: str, subject: str, body: str, *, category: str = "",
                consultation_id: int | None = None) -> OutboxMessage:
    """Store a message for recipient; it is delivered (or logged) once the transaction commits.

    Subject and body are composed by the caller in the recipient's language (inside
    consult.accounts.language.writing_to); the message records the language it was written in.
    """
    message = OutboxMessage(recipient=recipient, subject=subject[:300], body=body, category=category,
                            consultation_id=consultation_id, locale=language_now())
    db.session.add(message)
    db.session.flush()
    note_queued(message.id)
    return message
