"""The session changes at sign-in and ends at sign-out: captured cookies stop granting access."""
from consult.extensions import db
from tests.factories import PASSWORD


def sign_in(client, user, **extra):
    with client.application.app_context():
        response = client.post("/account/login", data={"email": user.email, "password": PASSWORD, **extra})
    assert response.status_code == 302
    return response


def client_with_cookies(app, cookies: dict[str, str]):
    """A new browser holding only the given cookies (as an attacker who copied them would)."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def is_signed_in(client) -> bool:
    # A fresh app context per request, as in production: the fixture's context would keep Flask-Login's
    # cached user in `g` from the previous request and hide what the cookie alone grants.
    with client.application.app_context():
        response = client.get("/account/profile")
    return response.status_code == 200 and 'name="organization"' in response.get_data(as_text=True)


def test_login_issues_new_session_and_drops_what_was_planted(app, client, stakeholder):
    with client.session_transaction() as session:
        session["planted"] = "fixation attempt"
    before = client.get_cookie("session").value

    sign_in(client, stakeholder)

    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{stakeholder.id}:{stakeholder.session_version}"
    assert is_signed_in(client) is True


def test_cookie_captured_before_login_grants_nothing(app, client, stakeholder):
    client.get("/account/login")
    with client.session_transaction() as session:
        session["planted"] = "fixation attempt"
    captured = client.get_cookie("session").value

    sign_in(client, stakeholder)

    attacker = client_with_cookies(app, {"session": captured})
    assert is_signed_in(attacker) is False
    assert is_signed_in(client) is True


def test_logout_ends_session_for_every_copy_of_the_cookie(app, client, stakeholder):
    sign_in(client, stakeholder, remember="y")
    captured = {name: client.get_cookie(name).value for name in ("session", "remember_token")}
    assert is_signed_in(client_with_cookies(app, captured)) is True

    with app.app_context():
        client.post("/account/logout")

    db.session.refresh(stakeholder)
    assert stakeholder.session_version == 2
    assert is_signed_in(client) is False
    assert is_signed_in(client_with_cookies(app, captured)) is False
    assert is_signed_in(client_with_cookies(app, {"remember_token": captured["remember_token"]})) is False


def test_logout_needs_post(client, stakeholder):
    sign_in(client, stakeholder)

    response = client.get("/account/logout")

    assert response.status_code == 405
    assert is_signed_in(client) is True
