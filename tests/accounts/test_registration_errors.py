"""Registration shows every problem at once: a taken address beside a too short password and the notice unticked."""
import re

import sqlalchemy as sa
from flask import current_app

from consult.extensions import db
from consult.outbox.models import OutboxMessage
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


def _publish_notice(chair_name="Chair"):
    from consult.accounts.models import Role
    from consult.accounts.privacy import publish_notice

    chair = make_user(name=chair_name, role=Role.CHAIR)
    with current_app.test_request_context("/"):
        publish_notice("We keep your name and organization to run the consultation.", actor=chair)
    return chair


def test_taken_email_short_password_and_unticked_notice_are_shown_in_one_round(app, client):
    make_user(email="nadia@example.org")
    _publish_notice()
    db.session.commit()

    response = client.post("/account/register", data={
        "name": "Nadia Haddad", "email": "nadia@example.org", "password": "short", "confirm_password": "short",
        "organization": "Arab ICT Org", "stakeholder_type": "civil_society", "country": "JO", "notice_version": "1"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There are 3 problems to fix" in page
    assert '<p class="error" id="email-error">An account with this e-mail address exists already. Sign in instead.</p>' in page
    assert '<p class="error" id="password-error">Field must be between 10 and 200 characters long.</p>' in page
    assert ('<p class="error" id="accept_privacy-error">Read and accept the privacy notice to create an account.</p>'
            in page)


def test_a_valid_form_with_a_taken_email_and_unticked_notice_shows_both(app, client):
    make_user(email="nadia@example.org")
    _publish_notice()
    db.session.commit()

    response = client.post("/account/register", data={
        "name": "Nadia Haddad", "email": "nadia@example.org", "password": "long enough pass",
        "confirm_password": "long enough pass", "organization": "Arab ICT Org", "stakeholder_type": "civil_society",
        "country": "JO", "notice_version": "1"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There are 2 problems to fix" in page
    assert 'id="email-error">An account with this e-mail address exists already. Sign in instead.</p>' in page
    assert 'id="accept_privacy-error">Read and accept the privacy notice to create an account.</p>' in page


def test_accepting_an_invitation_shows_a_short_password_and_the_unticked_notice_together(app, client):
    from consult.accounts import invitations
    from consult.accounts.models import Role

    chair = _publish_notice()
    with current_app.test_request_context("/"):
        invitations.invite_user(name="Lukas Berger", email="lukas@uni.example", role=Role.REVIEWER, actor=chair)
    db.session.commit()
    body = db.session.scalars(sa.select(OutboxMessage.body)).one()
    link = re.search(r"http://localhost(/account/invitation/\S+)", body).group(1)

    response = client.post(link, data={"name": "Lukas Berger", "organization": "University of Vienna",
                                       "stakeholder_type": "academia", "country": "AT", "password": "short",
                                       "confirm_password": "short", "notice_version": "1"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="password-error">' in page
    assert 'id="accept_privacy-error">Read and accept the privacy notice to create an account.</p>' in page
