"""Registration, sign-in and sign-out through HTTP."""
import sqlalchemy as sa

from consult.accounts.models import Role, User
from consult.extensions import db
from tests.factories import PASSWORD


def registration_data(**overrides):
    data = {
        "name": "Nadia Haddad", "email": "Nadia@Example.org", "password": "a long enough pass",
        "confirm_password": "a long enough pass", "organization": "Arab ICT Org",
        "stakeholder_type": "civil_society", "country": "JO",
    }
    data.update(overrides)
    return data


def test_register_creates_stakeholder_with_region_and_signs_in(client):
    response = client.post("/account/register", data=registration_data())

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = db.session.execute(sa.select(User)).scalar_one()
    assert (user.email, user.role, user.country, user.region) == ("nadia@example.org", Role.STAKEHOLDER, "JO", "asia_pacific")
    home = client.get("/")
    assert "Nadia Haddad" in home.get_data(as_text=True)


def test_register_duplicate_email_other_case_keeps_input(client, stakeholder):
    response = client.post("/account/register", data=registration_data(email=stakeholder.email.upper()))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "An account with this e-mail address exists already" in page
    assert 'value="Arab ICT Org"' in page
    assert db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 1


def test_login_with_wrong_password_is_refused(client, stakeholder):
    response = client.post("/account/login", data={"email": stakeholder.email, "password": "not the password"})

    assert response.status_code == 422
    assert "Wrong e-mail address or password." in response.get_data(as_text=True)


def test_login_then_logout_ends_session(client, stakeholder):
    client.post("/account/login", data={"email": stakeholder.email.upper(), "password": PASSWORD})
    assert client.get("/account/profile").status_code == 200

    client.post("/account/logout")

    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
