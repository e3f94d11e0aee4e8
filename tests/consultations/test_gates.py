"""The phase gates: before, during and after a phase, as a helper and as a view decorator."""
from datetime import datetime, timedelta, timezone

import pytest
from flask_babel import force_locale

from consult.consultations.gates import ensure_phase_open, phase_required
from consult.consultations.models import PhaseKind
from consult.consultations.times import format_local
from consult.errors import PhaseClosedError
from consult.extensions import db
from tests.factories import make_consultation


def test_ensure_phase_open_during_phase_passes(consultation):
    call = consultation.phase(PhaseKind.CALL_OPEN)

    assert ensure_phase_open(consultation, PhaseKind.CALL_OPEN, now=call.opens_at) is None
    assert ensure_phase_open(consultation, PhaseKind.CALL_OPEN, now=call.closes_at - timedelta(seconds=1)) is None


def test_ensure_phase_open_before_phase_names_phase_and_opening(consultation):
    consultation.timezone = "Europe/Zurich"
    review = consultation.phase(PhaseKind.REVIEW)
    review.opens_at, review.closes_at = (datetime(2026, 10, 9, 7, 30, tzinfo=timezone.utc),
                                         datetime(2026, 11, 9, 7, 30, tzinfo=timezone.utc))

    with pytest.raises(PhaseClosedError) as caught:
        ensure_phase_open(consultation, PhaseKind.REVIEW, now=review.opens_at - timedelta(minutes=1))

    assert caught.value.message == "This is only possible during the phase “Review”, which opens on 9 Oct 2026, 09:30 CEST."
    assert caught.value.status_code == 403


def test_ensure_phase_open_at_closing_time_names_phase_and_closing(consultation):
    consultation.timezone = "Europe/Zurich"
    call = consultation.phase(PhaseKind.CALL_OPEN)
    call.opens_at, call.closes_at = (datetime(2026, 9, 1, tzinfo=timezone.utc),
                                     datetime(2026, 10, 9, 18, 0, tzinfo=timezone.utc))

    with pytest.raises(PhaseClosedError) as caught:
        ensure_phase_open(consultation, PhaseKind.CALL_OPEN, now=call.closes_at)

    assert caught.value.message == (
        "This is only possible during the phase “Call for proposals open”, which closed on 9 Oct 2026, 20:00 CEST.")


def test_ensure_phase_open_writes_the_closing_in_the_readers_language(consultation):
    consultation.timezone = "Europe/Zurich"
    call = consultation.phase(PhaseKind.CALL_OPEN)
    call.opens_at, call.closes_at = (datetime(2026, 9, 1, tzinfo=timezone.utc),
                                     datetime(2026, 10, 9, 18, 0, tzinfo=timezone.utc))

    with force_locale("fr"), pytest.raises(PhaseClosedError) as caught:
        ensure_phase_open(consultation, PhaseKind.CALL_OPEN, PhaseKind.REVIEW, now=call.closes_at + timedelta(days=400))

    assert "9 oct. 2026, 20:00 CEST" in caught.value.message
    assert " ou " in caught.value.message and "2026-10-09" not in caught.value.message


def test_ensure_phase_open_accepts_any_of_several_phases(consultation):
    drafting = consultation.phase(PhaseKind.AGENDA_DRAFTING)

    assert ensure_phase_open(consultation, PhaseKind.REVIEW, PhaseKind.AGENDA_DRAFTING, now=drafting.opens_at) is None


def test_ensure_phase_open_without_such_phase_names_it(consultation):
    consultation.phases.remove(consultation.phase(PhaseKind.FINAL))
    db.session.flush()

    with pytest.raises(PhaseClosedError) as caught:
        ensure_phase_open(consultation, PhaseKind.FINAL)

    assert caught.value.message == "This is only possible during the phase “Final agenda and brief”."


@pytest.fixture
def gated_app(app):
    """The app with one extra route gated on the review phase."""

    @phase_required(PhaseKind.REVIEW)
    def gated():
        return "inside the review phase"

    app.add_url_rule("/test-gated", "test_gated", gated)
    return app


@pytest.mark.parametrize(("current", "status"),
                         [(PhaseKind.CALL_OPEN, 403), (PhaseKind.REVIEW, 200), (PhaseKind.AGENDA_DRAFTING, 403)])
def test_phase_required_before_during_after(gated_app, current, status):
    consultation = make_consultation(current=current)
    db.session.commit()
    review = consultation.phase(PhaseKind.REVIEW)

    response = gated_app.test_client().get("/test-gated")

    page = response.get_data(as_text=True)
    assert response.status_code == status
    if status == 200:
        assert page == "inside the review phase"
    elif current is PhaseKind.CALL_OPEN:
        assert f"which opens on {format_local(review.opens_at, consultation.timezone)}." in page
    else:
        assert f"which closed on {format_local(review.closes_at, consultation.timezone)}." in page


def test_phase_required_without_consultation_is_404(gated_app):
    response = gated_app.test_client().get("/test-gated")

    assert response.status_code == 404
    assert "There is nothing at this address." in response.get_data(as_text=True)
