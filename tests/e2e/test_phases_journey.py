"""The chair extends the review so that it would overlap agenda drafting, is warned beside the field, and shifts the
following phases instead; the audit log shows every move old -> new."""
from datetime import timedelta

import pytest

from consult.accounts.models import Role
from consult.consultations.models import PhaseKind
from consult.extensions import db
from tests.e2e.test_review_journey import sign_in
from tests.factories import make_consultation, make_user

pytestmark = pytest.mark.e2e


def test_chair_is_warned_of_an_overlap_and_shifts_the_following_phases(app, page, assert_accessible):
    consultation = make_consultation(current=PhaseKind.REVIEW)
    chair = make_user(role=Role.CHAIR, name="Amina Diallo")
    db.session.commit()
    review, drafting = consultation.phase(PhaseKind.REVIEW), consultation.phase(PhaseKind.AGENDA_DRAFTING)
    new_close = (review.closes_at + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    drafting_opens = (drafting.opens_at + timedelta(days=3)).replace(second=0, microsecond=0)

    sign_in(page, chair)
    page.goto(f"/consultation/phases/{review.id}")
    assert_accessible(page)
    page.locator("#phase-closes_at").fill(new_close)
    page.get_by_role("button", name="Save phase").click()
    assert page.locator("#phase-closes_at-error").inner_text().startswith(
        "This would close after the phase “Agenda drafting” opens")
    assert page.locator("#phase-closes_at").input_value() == new_close
    assert_accessible(page)
    page.get_by_label("Shift the following phases by as much as the close time moves").check()
    page.get_by_role("button", name="Save phase").click()
    assert page.locator(".flash").inner_text() == "The phase “Review” is saved."

    page.goto("/audit/?action=phase.")
    assert_accessible(page)
    shifts = page.locator("tr", has_text="phase.shift")
    assert shifts.count() == 3
    db.session.expire_all()
    assert consultation.phase(PhaseKind.AGENDA_DRAFTING).opens_at.replace(second=0, microsecond=0) == drafting_opens
    update = page.locator("tr", has_text="phase.update").locator("li", has_text="closes_at")
    assert update.locator("ins").inner_text().startswith(new_close)
