"""The recovery pages through the client: forgot password, reset, verification, change of e-mail and of password."""
import re

import sqlalchemy as sa

from consult.extensions import db
from consult.outbox.models import OutboxMessage
from tests.factories import PASSWORD, make_user

LINK = re.compile(r"http://localhost(/account/\S+)")


def mails():
    return list(db.session.execute(sa.select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def link_in(message: OutboxMessage) -> str:
    return LINK.search(message.body).group(1)


def page(response) -> str:
    return response.get_data(as_text=True)


def test_sign_in_page_offers_the_reset(client):
    assert '<a href="/account/password/forgot">Forgot your password?</a>' in page(client.get("/account/login"))


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(app, client):
    make_user(email="grace@example.org")
    db.session.commit()

    known = client.post("/account/password/forgot", data={"email": "grace@example.org"})
    unknown = client.post("/account/password/forgot", data={"email": "nobody@example.org"})

    assert (known.status_code, known.headers["Location"]) == (303, "/account/login")
    assert (unknown.status_code, unknown.headers["Location"]) == (303, "/account/login")
    with client.session_transaction() as session:
        flashes = [message for _category, message in session["_flashes"]]
    assert flashes == [
        "If an account uses grace@example.org, a link to reset its password is on its way. It works for one hour.",
        "If an account uses nobody@example.org, a link to reset its password is on its way. It works for one hour.",
    ]
    assert [m.recipient for m in mails()] == ["grace@example.org"]


def test_forgot_password_is_throttled_after_five_requests_a_minute(client):
    statuses = [client.post("/account/password/forgot", data={"email": f"x{n}@example.org"}).status_code
                for n in range(6)]

    assert statuses == [303] * 5 + [429]
    assert "Too many attempts in a short time. Wait a minute and try again." in page(
        client.post("/account/password/forgot", data={"email": "y@example.org"}))


def test_forgot_password_keeps_a_malformed_address_with_its_error(client):
    response = client.post("/account/password/forgot", data={"email": "not an address"})

    assert response.status_code == 422
    assert 'value="not an address"' in page(response)
    assert "Invalid email address." in page(response)


def test_reset_link_sets_the_password_and_works_once(app, client):
    user = make_user(email="grace@example.org")
    db.session.commit()
    client.post("/account/password/forgot", data={"email": "grace@example.org"})
    link = link_in(mails()[0])

    form = client.get(link)
    assert form.status_code == 200
    assert "For the account grace@example.org." in page(form)
    mismatch = client.post(link, data={"password": "new passphrase 1", "confirm_password": "other passphrase"})
    assert (mismatch.status_code, "The two passwords differ." in page(mismatch)) == (422, True)

    done = client.post(link, data={"password": "new passphrase 1", "confirm_password": "new passphrase 1"})

    assert (done.status_code, done.headers["Location"]) == (303, "/account/login")
    db.session.refresh(user)
    assert user.check_password("new passphrase 1") is True
    again = client.get(link)
    assert again.status_code == 400
    assert "This reset link is not valid or was used already. Ask for a new one." in page(again)


def test_reset_link_with_a_garbled_token_says_so(client):
    response = client.get("/account/password/reset/not-a-token")

    assert response.status_code == 400
    assert "This reset link is not valid or was used already. Ask for a new one." in page(response)
    assert 'href="/account/password/forgot"' in page(response)


def test_registration_sends_a_verification_link_and_the_profile_shows_a_banner(client):
    response = client.post("/account/register", data={
        "name": "Nadia Haddad", "email": "nadia@example.org", "password": "a long enough pass",
        "confirm_password": "a long enough pass", "organization": "Arab ICT Org", "stakeholder_type": "civil_society",
        "country": "JO"})
    assert response.status_code == 302
    [message] = mails()
    assert (message.recipient, message.subject) == ("nadia@example.org", "Confirm your e-mail address")

    profile = page(client.get("/account/profile"))
    assert "Please confirm your e-mail address nadia@example.org" in profile
    assert 'action="/account/verify/resend"' in profile

    confirmed = client.get(link_in(message))
    assert (confirmed.status_code, confirmed.headers["Location"]) == (303, "/account/profile")
    assert "Please confirm your e-mail address" not in page(client.get("/account/profile"))


def test_resend_verification_queues_a_new_link(client, login):
    user = make_user(email="grace@example.org", is_verified=False)
    db.session.commit()
    login(user)

    response = client.post("/account/verify/resend")

    assert response.status_code == 303
    assert [(m.recipient, m.category) for m in mails()] == [("grace@example.org", "account.verify_email")]


def test_change_email_form_keeps_the_typed_address_on_error(client, login):
    user = make_user(email="grace@example.org")
    make_user(email="taken@example.org")
    db.session.commit()
    login(user)

    response = client.post("/account/email", data={"email": "taken@example.org", "password": PASSWORD})

    assert response.status_code == 422
    assert 'value="taken@example.org"' in page(response)
    assert "Another account uses this address." in page(response)


def test_change_email_through_the_link(app, client, login):
    user = make_user(email="grace@example.org")
    db.session.commit()
    login(user)

    asked = client.post("/account/email", data={"email": "grace@new.example", "password": PASSWORD})
    assert (asked.status_code, asked.headers["Location"]) == (303, "/account/profile")
    assert "Waiting for confirmation: grace@new.example" in page(client.get("/account/profile"))
    confirm = [m for m in mails() if m.recipient == "grace@new.example"][0]

    client.get(link_in(confirm))

    db.session.refresh(user)
    assert user.email == "grace@new.example"
    assert [m.recipient for m in mails()] == ["grace@new.example", "grace@example.org", "grace@example.org"]


def test_change_password_signs_out_the_other_sessions_and_keeps_this_one(app, client, login):
    user = make_user(email="grace@example.org")
    db.session.commit()
    other = app.test_client()
    login(user, other)
    login(user)

    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "a fresh passphrase", "confirm_password": "a fresh passphrase"})

    assert (response.status_code, response.headers["Location"]) == (303, "/account/profile")
    with app.app_context():
        assert client.get("/account/profile").status_code == 200
    with app.app_context():
        assert other.get("/account/profile").status_code == 302


def test_change_password_with_a_wrong_current_password_changes_nothing(app, client, login):
    user = make_user(email="grace@example.org")
    db.session.commit()
    login(user)

    response = client.post("/account/password", data={
        "current_password": "not my password", "new_password": "a fresh passphrase",
        "confirm_password": "a fresh passphrase"})

    assert response.status_code == 422
    assert "The current password is not right." in page(response)
    db.session.refresh(user)
    assert user.check_password(PASSWORD) is True
