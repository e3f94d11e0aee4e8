"""Registration shows every problem at once: a taken address beside a too short password."""
from consult.extensions import db
from tests.factories import make_user


def test_taken_email_and_short_password_are_both_shown(app, client):
    make_user(email="nadia@example.org")
    db.session.commit()

    response = client.post("/account/register", data={
        "name": "Nadia Haddad", "email": "nadia@example.org", "password": "short", "confirm_password": "short",
        "organization": "Arab ICT Org", "stakeholder_type": "civil_society", "country": "JO"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<p class="error" id="email-error">An account with this e-mail address exists already. Sign in instead.</p>' in page
    assert '<p class="error" id="password-error">Field must be between 10 and 200 characters long.</p>' in page
    assert '<a href="#email">E-mail address: An account with this e-mail address exists already. Sign in instead.</a>' in page
    assert 'value="Arab ICT Org"' in page
