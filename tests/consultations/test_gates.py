"""The phase gates: before, during and after a phase, as a helper and as a view decorator."""
from datetime import timedelta

import pytest

from consult.consultations.gates import ensure_phase_open, phase_required
from consult.consultations.models import PhaseKind
from consult.errors import PhaseClosedError
from consult.extensions import db
from tests.factories import make_consultation


def test_ensure_phase_open_during_phase_passes(consultation):
    call = consultation.phase(PhaseKind.CALL_OPEN)

    assert ensure_phase_open(consultation, PhaseKind.CALL_OPEN, now=call.opens_at) is None
    assert ensure_phase_open(consultation, PhaseKind.CALL_OPEN, now=call.closes_at - timedelta(seconds=1)) is None


def test_ensure_phase_open_before_phase_names_phase_and_opening(consultation):
    review = consultation.phase(PhaseKind.REVIEW)
    review.opens_at = review.opens_at.replace(hour=9, minute=30, second=0, microsecond=0)

    with pytest.raises(PhaseClosedError) as caught:
        ensure_phase_open(consultation, PhaseKind.REVIEW, now=review.opens_at - timedelta(minutes=1))

    expected_when = review.opens_at.strftime("%Y-%m-%d 09:30")
    assert caught.value.message == f"This is only possible during the phase “Review”, which opens on {expected_when} UTC."
    assert caught.value.status_code == 403


def test_ensure_phase_open_at_closing_time_names_phase_and_closing(consultation):
    call = consultation.phase(PhaseKind.CALL_OPEN)

    with pytest.raises(PhaseClosedError) as caught:
        ensure_phase_open(consultation, PhaseKind.CALL_OPEN, now=call.closes_at)

    expected_when = call.closes_at.strftime("%Y-%m-%d %H:%M")
    assert caught.value.message == (
        f"This is only possible during the phase “Call for proposals open”, which closed on {expected_when} UTC."
    )


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
        assert f"which opens on {review.opens_at.strftime('%Y-%m-%d %H:%M')} UTC." in page
    else:
        assert f"which closed on {review.closes_at.strftime('%Y-%m-%d %H:%M')} UTC." in page


def test_phase_required_without_consultation_is_404(gated_app):
    response = gated_app.test_client().get("/test-gated")

    assert response.status_code == 404
    assert "There is nothing at this address." in response.get_data(as_text=True)
