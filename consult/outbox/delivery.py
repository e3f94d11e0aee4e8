"""Deliver stored messages: over SMTP (Flask-Mailman) when MAIL_SERVER is set, else write them to the log.

Messages are queued inside the request's transaction; when it commits, one queue job delivers them (consult.jobs),
so a rolled-back request never sends an e-mail about something that did not happen, and a slow SMTP server never
delays a page. Each message is claimed before it is sent, so two deliveries of the same message send it once.
"""
import sqlalchemy as sa
from flask import current_app
from flask_mailman import EmailMessage
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from consult.db import utcnow
from consult.extensions import db, mail
from consult.jobs import enqueue
from consult.outbox.models import MessageState, OutboxMessage

PENDING_KEY = "outbox_pending"
MAX_ATTEMPTS = 5
DELIVERY_TIMEOUT = 600
DELIVERY_JOB = "consult.outbox.delivery.deliver_job"


def note_queued(message_id: int) -> None:
    """Remember a message queued in the current transaction, to deliver it once the transaction commits."""
    db.session.info.setdefault(PENDING_KEY, []).append(message_id)


@event.listens_for(Session, "before_commit")
def _enqueue_delivery(session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    if pending:
        # consult.jobs hands the job over after this commit (and forgets it if the commit fails).
        enqueue(DELIVERY_JOB, pending, timeout=DELIVERY_TIMEOUT, session=session)


@event.listens_for(Session, "after_rollback")
def _forget_pending(session) -> None:
    session.info.pop(PENDING_KEY, None)


def _smtp_connection():
    config = current_app.config
    return mail.get_connection(
        backend="smtp", host=config["MAIL_SERVER"], port=config["MAIL_PORT"],
        username=config.get("MAIL_USERNAME") or None, password=config.get("MAIL_PASSWORD") or None,
        use_tls=bool(config.get("MAIL_USE_TLS")) and not config.get("MAIL_USE_SSL"),
        use_ssl=bool(config.get("MAIL_USE_SSL")), timeout=config.get("MAIL_TIMEOUT", 15),
    )


def _claim(message: OutboxMessage) -> bool:
    """Count this attempt in one statement; a second delivery of the same message finds it counted and skips it."""
    seen = message.attempts
    claimed = db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id == message.id, OutboxMessage.attempts == seen,
                                       OutboxMessage.state.in_((MessageState.QUEUED, MessageState.FAILED)))
        .values(attempts=seen + 1).execution_options(synchronize_session=False)
    ).rowcount == 1
    if claimed:
        set_committed_value(message, "attempts", seen + 1)
    return claimed


def deliver_messages(messages: list[OutboxMessage]) -> dict[MessageState, int]:
    """Claim, then send (or log) each message and record the outcome on it; the caller commits."""
    outcome = {state: 0 for state in MessageState}
    messages = [message for message in messages if _claim(message)]
    if not messages:
        return outcome
    connection = _smtp_connection() if current_app.config.get("MAIL_SERVER") else None
    try:
        for message in messages:
            if connection is None:
                current_app.logger.info("E-mail (no MAIL_SERVER, logged only) to %s: %s\n%s",
                                        message.recipient, message.subject, message.body)
                message.state, message.error, message.sent_at = MessageState.LOGGED, "", utcnow()
            else:
                try:
                    EmailMessage(message.subject, message.body, current_app.config["MAIL_DEFAULT_SENDER"],
                                 [message.recipient], connection=connection).send()
                except Exception as error:  # any SMTP or network failure leaves the message to retry
                    current_app.logger.warning("E-mail %s to %s failed: %s", message.id, message.recipient, error)
                    message.state, message.error = MessageState.FAILED, str(error)[:2000]
                else:
                    message.state, message.error, message.sent_at = MessageState.SENT, "", utcnow()
            outcome[message.state] += 1
    finally:
        if connection is not None:
            connection.close()
    db.session.flush()
    return outcome


def deliver_job(message_ids: list[int]) -> dict[MessageState, int]:
    """Queue job: deliver the messages a committed transaction queued (those still queued)."""
    messages = list(db.session.execute(
        sa.select(OutboxMessage).where(OutboxMessage.id.in_(message_ids), OutboxMessage.state == MessageState.QUEUED)
        .order_by(OutboxMessage.id)
    ).scalars())
    return deliver_messages(messages)


def deliver_outstanding(*, limit: int = 500) -> dict[MessageState, int]:
    """Deliver queued messages and retry failed ones (up to MAX_ATTEMPTS each); the caller commits."""
    messages = list(db.session.execute(
        sa.select(OutboxMessage)
        .where(sa.or_(OutboxMessage.state == MessageState.QUEUED,
                      sa.and_(OutboxMessage.state == MessageState.FAILED, OutboxMessage.attempts < MAX_ATTEMPTS)))
        .order_by(OutboxMessage.id).limit(limit)
    ).scalars())
    return deliver_messages(messages)


def deliver_outstanding_job() -> None:
    """Periodic queue job: what the delivery jobs did not manage (a dead worker, a failed SMTP server)."""
    deliver_outstanding()
