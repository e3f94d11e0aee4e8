"""Two people at once: edit conflicts answer 409 and keep the first save; races make one row and no 500;
a save after the deadline is refused with the reason."""
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Blueprint

from consult.accounts import services as account_services
from consult.accounts.models import Role, User
from consult.consultations.gates import ensure_phase_open, phase_required
from consult.consultations.models import Phase, PhaseKind
from consult.db import utcnow
from consult.errors import PhaseClosedError
from consult.extensions import db
from tests import factories
from tests.concurrency import load_form, pass_deadline, post_form, run_together

# Threads open their own sessions and connections: they see only what the test really committed.
pytestmark = pytest.mark.committing


@pytest.fixture
def two_chairs(app, login):
    first = factories.make_user(role=Role.CHAIR, name="Amina Diallo")
    second = factories.make_user(role=Role.CHAIR, name="Jonas Weber")
    db.session.commit()
    return login(first, app.test_client()), login(second, app.test_client())


def test_second_chair_saving_same_phase_gets_409_and_first_save_stays(app, consultation, two_chairs):
    first, second = two_chairs
    phase = consultation.phase(PhaseKind.REVIEW)
    url = f"/consultation/phases/{phase.id}"
    first_form, second_form = load_form(first, url, action=url), load_form(second, url, action=url)

    saved = post_form(first, url, {**first_form, "name": "Committee review"})
    refused = post_form(second, url, {**second_form, "name": "Scoring", "description": "Overwrite attempt"})

    db.session.expire_all()
    stored = db.session.get(Phase, phase.id)
    page = refused.get_data(as_text=True)
    assert saved.status_code == 302
    assert refused.status_code == 409
    assert "Someone else saved this in the meantime." in page
    # The saved version beside the typed one; the form keeps what was typed, with the saved version's number,
    # so that a second save applies knowingly.
    assert '<td data-testid="saved-value">Committee review</td><td data-testid="submitted-value">Scoring</td>' in page
    assert 'value="Scoring"' in page
    assert '<input id="phase-version_id" name="version_id" type="hidden" value="2">' in page
    assert (stored.name, stored.description, stored.version_id) == ("Committee review", "", 2)


def test_second_chair_extending_deadline_with_stale_form_gets_clear_message(app, consultation, two_chairs):
    first, second = two_chairs
    phase = consultation.phase(PhaseKind.CALL_OPEN)
    url, extend_url = f"/consultation/phases/{phase.id}", f"/consultation/phases/{phase.id}/extend"
    first_form, second_form = load_form(first, url, action=extend_url), load_form(second, url, action=extend_url)
    later = (phase.closes_at + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    much_later = (phase.closes_at + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")

    # Both shift the following phases along, so that the later extension is refused for being stale, not overlapping.
    post_form(first, extend_url, {**first_form, "closes_at": later, "shift_following": "y"})
    refused = post_form(second, extend_url, {**second_form, "closes_at": much_later, "shift_following": "y"})

    db.session.expire_all()
    assert refused.status_code == 409
    assert "Someone else saved this in the meantime." in refused.get_data(as_text=True)
    assert db.session.get(Phase, phase.id).closes_at.strftime("%Y-%m-%dT%H:%M") == later


def registration(email: str, name: str) -> dict[str, str]:
    return {"name": name, "email": email, "password": "a long enough pass", "confirm_password": "a long enough pass",
            "organization": "Same time org", "stakeholder_type": "civil_society", "country": "KE"}


def test_registration_race_on_same_email_makes_one_account(app, monkeypatch):
    # Both requests pass the "e-mail free?" check before either inserts: the race the unique constraint settles.
    both_checked = threading.Barrier(2, timeout=10)
    checked_by = set()
    original = account_services.find_user_by_email

    def find_then_wait(email):
        found = original(email)
        if threading.get_ident() not in checked_by:
            checked_by.add(threading.get_ident())
            both_checked.wait()
        return found

    monkeypatch.setattr(account_services, "find_user_by_email", find_then_wait)
    clients = [app.test_client(), app.test_client()]

    responses = run_together(*(lambda client=client, name=name: post_form(client, "/account/register",
                                                                          registration("same@example.org", name))
                               for client, name in zip(clients, ["First Person", "Second Person"], strict=True)))

    statuses = sorted(response.status_code for response in responses)
    refused = next(response for response in responses if response.status_code == 422)
    users = db.session.execute(sa.select(User.email)).scalars().all()
    assert statuses == [302, 422]
    assert "An account with this e-mail address exists already. Sign in instead." in refused.get_data(as_text=True)
    assert users == ["same@example.org"]


def test_many_parallel_registrations_all_land(app):
    clients = [app.test_client() for _ in range(8)]

    responses = run_together(*(lambda client=client, number=number: post_form(
        client, "/account/register", registration(f"person{number}@example.org", f"Person {number}"))
        for number, client in enumerate(clients)))

    assert [response.status_code for response in responses] == [302] * 8
    assert db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 8


# --- A save while the deadline passes: the pattern for every phase-gated form (proposals, reviews, comments). ---

gated = Blueprint("gated_for_test", __name__)


@gated.route("/test-only/call-open-action", methods=["GET", "POST"])
@phase_required(PhaseKind.CALL_OPEN)
def call_open_action():
    return "saved"


@pytest.fixture
def app_with_gated_route(app):
    app.register_blueprint(gated)
    return app


def test_save_after_deadline_passed_since_form_was_loaded_is_refused_with_reason(app_with_gated_route, consultation,
                                                                               stakeholder, login):
    client = login(stakeholder, app_with_gated_route.test_client())
    with app_with_gated_route.app_context():
        assert client.get("/test-only/call-open-action").status_code == 200

    pass_deadline(consultation, PhaseKind.CALL_OPEN)
    response = post_form(client, "/test-only/call-open-action", {"title": "Late"})

    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "This is only possible during the phase “Call for proposals open”, which closed on" in page


def test_deadline_extended_while_form_open_lets_the_save_through(app_with_gated_route, consultation, stakeholder,
                                                                  chair, login):
    client = login(stakeholder, app_with_gated_route.test_client())
    pass_deadline(consultation, PhaseKind.CALL_OPEN)
    phase = consultation.phase(PhaseKind.CALL_OPEN)
    review = consultation.phase(PhaseKind.REVIEW)
    review.opens_at = phase.closes_at = utcnow() + timedelta(hours=1)
    db.session.commit()

    response = post_form(client, "/test-only/call-open-action", {"title": "On time after all"})

    assert (response.status_code, response.get_data(as_text=True)) == (200, "saved")


def test_phase_gate_closes_exactly_at_the_deadline(app, consultation):
    phase = consultation.phase(PhaseKind.CALL_OPEN)

    ensure_phase_open(consultation, PhaseKind.CALL_OPEN, now=phase.closes_at - timedelta(microseconds=1))
    with pytest.raises(PhaseClosedError) as refused:
        ensure_phase_open(consultation, PhaseKind.CALL_OPEN, now=phase.closes_at)

    assert "which closed on" in refused.value.message
