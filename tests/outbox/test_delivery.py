"""Outbox delivery: after commit, over a real local SMTP server (aiosmtpd), or logged without a server."""
import socket

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.outbox.delivery import deliver_job
from consult.outbox.models import MessageState, OutboxMessage
from consult.outbox.services import queue_email


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free loopback port, collecting what it receives."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def _state(message_id):
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_delivery_sends_over_smtp_after_commit(app, smtp_server):
    port, received = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USE_SSL=False,
                      MAIL_DEFAULT_SENDER="consult@example.org")
    message = queue_email("grace@example.org", "Proposal P-0001 received", "Thank you, Grace. Ünïcode too.",
                          category="proposal.submitted")

    db.session.commit()

    stored = _state(message.id)
    assert (stored.state, stored.attempts, stored.error) == (MessageState.SENT, 1, "")
    assert len(received) == 1
    assert received[0]["To"] == "grace@example.org" and received[0]["Subject"] == "Proposal P-0001 received"
    assert "Ünïcode" in received[0].get_payload(decode=True).decode("utf-8")


def test_delivery_after_rollback_sends_nothing(app, smtp_server):
    port, received = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    queue_email("grace@example.org", "Never", "Rolled back")
    db.session.rollback()
    db.session.commit()

    assert received == []
    assert db.session.execute(sa.select(OutboxMessage)).first() is None


def test_delivery_without_server_logs_message(app, caplog):
    app.config["MAIL_SERVER"] = ""
    message = queue_email("grace@example.org", "Logged only", "Body text")

    with caplog.at_level("INFO"):
        db.session.commit()

    assert _state(message.id).state is MessageState.LOGGED
    assert "Logged only" in caplog.text


def test_send_outbox_command_retries_failed_messages(app, runner, smtp_server):
    port, received = smtp_server
    failed = OutboxMessage(recipient="a@example.org", subject="Retry me", body="b", state=MessageState.FAILED,
                           attempts=1, error="connection refused")
    queued = OutboxMessage(recipient="b@example.org", subject="Queued", body="b")
    db.session.add_all([failed, queued])
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)

    result = runner.invoke(args=["send-outbox"])

    assert "2 sent" in result.output
    assert sorted(m["Subject"] for m in received) == ["Queued", "Retry me"]
    assert _state(failed.id).state is MessageState.SENT and _state(failed.id).attempts == 2


def test_delivery_to_unreachable_server_marks_failed(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    message = queue_email("grace@example.org", "Unreachable", "Body")

    db.session.commit()

    stored = _state(message.id)
    assert stored.state is MessageState.FAILED and stored.attempts == 1 and stored.error != ""


def test_delivery_job_run_twice_sends_once(app, smtp_server):
    port, received = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    message = OutboxMessage(recipient="grace@example.org", subject="Once only", body="b")
    db.session.add(message)
    db.session.commit()

    first, second = deliver_job([message.id]), deliver_job([message.id])
    db.session.commit()

    assert (first[MessageState.SENT], second[MessageState.SENT]) == (1, 0)
    assert [m["Subject"] for m in received] == ["Once only"]
    assert (_state(message.id).state, _state(message.id).attempts) == (MessageState.SENT, 1)


def test_commit_stands_when_the_queue_is_unreachable_and_message_waits(app, smtp_server, caplog):
    port, received = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, JOBS_BACKEND="rq",
                      REDIS_URL="redis://127.0.0.1:1/0")
    message = queue_email("grace@example.org", "Queued for a worker", "Body")

    db.session.commit()

    assert received == []
    assert (_state(message.id).state, _state(message.id).attempts) == (MessageState.QUEUED, 0)
    assert "Could not hand job consult.outbox.delivery.deliver_job" in caplog.text


def test_outbox_page_filters_by_state(client, login, chair):
    db.session.add_all([OutboxMessage(recipient="a@example.org", subject="Sent one", body="b", state=MessageState.SENT),
                        OutboxMessage(recipient="b@example.org", subject="Failed one", body="b", state=MessageState.FAILED)])
    db.session.commit()
    login(chair)

    page = client.get("/outbox/?state=failed").get_data(as_text=True)

    assert "Failed one" in page and "Sent one" not in page
