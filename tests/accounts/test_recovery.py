"""Password reset, e-mail verification, change of e-mail and of password, as services (no HTTP)."""
import re

import pytest
import sqlalchemy as sa

from consult.accounts import recovery
from consult.accounts.tokens import InvalidTokenError
from consult.errors import DomainError
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from tests.factories import PASSWORD, make_user

LINK = re.compile(r"http://localhost(/account/\S+)")


@pytest.fixture
def request_context(app):
    with app.test_request_context("/"):
        yield


def mails():
    return list(db.session.execute(sa.select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def token_in(message: OutboxMessage) -> str:
    return LINK.search(message.body).group(1).rsplit("/", 1)[1]


def test_password_reset_for_unknown_address_queues_nothing(request_context):
    make_user(email="grace@example.org")

    assert recovery.request_password_reset("nobody@example.org") is None
    assert mails() == []


def test_password_reset_mails_a_link_that_sets_the_password_once(request_context):
    user = make_user(email="grace@example.org", name="Grace Otieno")
    versions_before = user.session_version

    recovery.request_password_reset("  Grace@Example.org ")
    [message] = mails()
    assert (message.recipient, message.subject, message.category) == (
        "grace@example.org", "Reset your password", "account.password_reset")
    assert "within 1 hour:" in message.body
    token = token_in(message)
    assert recovery.check_reset_token(token) is user

    recovery.reset_password(token, password="a brand new passphrase")

    assert user.check_password("a brand new passphrase") is True
    assert user.check_password(PASSWORD) is False
    assert user.session_version == versions_before + 1
    with pytest.raises(InvalidTokenError) as used:
        recovery.reset_password(token, password="another new passphrase")
    assert used.value.message == "This reset link is not valid or was used already. Ask for a new one."
    assert user.check_password("a brand new passphrase") is True


def test_password_reset_link_expires(app, request_context):
    user = make_user(email="grace@example.org")
    recovery.request_password_reset(user.email)
    token = token_in(mails()[0])
    app.config["PASSWORD_RESET_MAX_AGE"] = -1

    with pytest.raises(InvalidTokenError) as expired:
        recovery.check_reset_token(token)
    assert expired.value.message == "This reset link has expired. Ask for a new one."


def test_password_reset_refuses_tampered_token_and_short_password(request_context):
    user = make_user(email="grace@example.org")
    recovery.request_password_reset(user.email)
    token = token_in(mails()[0])

    with pytest.raises(InvalidTokenError):
        recovery.check_reset_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    with pytest.raises(DomainError) as short:
        recovery.reset_password(token, password="short")
    assert (short.value.field, short.value.message) == ("password", "The password needs at least 10 characters.")


def test_a_reset_token_is_no_verification_token(request_context):
    user = make_user(email="grace@example.org", is_verified=False)
    recovery.request_password_reset(user.email)

    with pytest.raises(InvalidTokenError):
        recovery.verify_email(token_in(mails()[0]))
    assert user.email_verified_at is None


def test_verification_link_confirms_the_address_once(request_context):
    user = make_user(email="grace@example.org", is_verified=False)

    recovery.send_verification(user)
    [message] = mails()
    assert (message.recipient, message.subject) == ("grace@example.org", "Confirm your e-mail address")
    recovery.verify_email(token_in(message))
    first = user.email_verified_at
    recovery.verify_email(token_in(message))

    assert first is not None
    assert user.email_verified_at == first


def test_email_change_waits_for_the_new_address_and_informs_the_old(request_context):
    user = make_user(email="grace@example.org", name="Grace Otieno")

    recovery.request_email_change(user, new_email="Grace@NewMail.org", password=PASSWORD)

    assert (user.email, user.pending_email) == ("grace@example.org", "grace@newmail.org")
    confirm, notice = mails()
    assert (confirm.recipient, confirm.subject) == ("grace@newmail.org", "Confirm your new e-mail address")
    assert (notice.recipient, notice.subject) == ("grace@example.org", "Your e-mail address is being changed")
    assert "grace@newmail.org" in notice.body

    recovery.confirm_email_change(token_in(confirm))

    assert (user.email, user.pending_email) == ("grace@newmail.org", None)
    assert user.email_verified_at is not None
    done = mails()[-1]
    assert (done.recipient, done.subject) == ("grace@example.org", "Your e-mail address was changed")
    with pytest.raises(InvalidTokenError):
        recovery.confirm_email_change(token_in(confirm))


def test_email_change_refuses_wrong_password_and_a_taken_address(request_context):
    user = make_user(email="grace@example.org")
    make_user(email="taken@example.org")

    with pytest.raises(DomainError) as wrong:
        recovery.request_email_change(user, new_email="new@example.org", password="not it at all")
    with pytest.raises(DomainError) as taken:
        recovery.request_email_change(user, new_email="TAKEN@example.org", password=PASSWORD)

    assert (wrong.value.field, wrong.value.message) == ("password", "The password is not right.")
    assert (taken.value.field, taken.value.message) == ("email", "Another account uses this address.")
    assert user.pending_email is None
    assert mails() == []


def test_an_older_email_change_link_dies_when_another_address_is_asked_for(request_context):
    user = make_user(email="grace@example.org")
    recovery.request_email_change(user, new_email="first@example.org", password=PASSWORD)
    first_link = token_in(mails()[0])
    recovery.request_email_change(user, new_email="second@example.org", password=PASSWORD)

    with pytest.raises(InvalidTokenError):
        recovery.confirm_email_change(first_link)
    assert user.email == "grace@example.org"


def test_change_password_checks_the_current_one_and_ends_sessions(request_context):
    user = make_user(email="grace@example.org")
    version = user.session_version

    with pytest.raises(DomainError) as wrong:
        recovery.change_password(user, current_password="wrong password", new_password="another long one")
    assert (wrong.value.field, user.session_version) == ("current_password", version)

    recovery.change_password(user, current_password=PASSWORD, new_password="another long one")

    assert user.check_password("another long one") is True
    assert user.session_version == version + 1
    assert [(m.recipient, m.subject) for m in mails()] == [("grace@example.org", "Your password was changed")]
