"""Keys and focus on the proposal form in a real browser: Enter saves the draft, a new speaker row takes the focus,
a form sent back with problems puts its summary in view."""
import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.proposals.models import Proposal, ProposalStatus
from tests.e2e.test_forms_journeys import sign_in
from tests.factories import make_consultation, make_user

pytestmark = pytest.mark.e2e


def test_enter_in_the_title_saves_the_draft_instead_of_adding_a_speaker(app, page, assert_accessible):
    make_consultation()
    owner = make_user()
    db.session.commit()
    sign_in(page, owner)

    page.goto("/proposals/new")
    assert_accessible(page)
    page.get_by_label("Title").fill("Community networks in rural schools")
    page.get_by_label("Title").press("Enter")
    page.wait_for_url("**/edit?checked=1")

    db.session.expire_all()
    saved = db.session.scalars(sa.select(Proposal)).all()
    assert [(proposal.title, proposal.status) for proposal in saved] == [
        ("Community networks in rural schools", ProposalStatus.DRAFT)]


def test_adding_a_speaker_leaves_the_focus_in_the_new_row(app, page):
    make_consultation()
    owner = make_user()
    db.session.commit()
    sign_in(page, owner)

    page.goto("/proposals/new?kind=format")
    page.get_by_label("Title").fill("Community networks in rural schools")
    page.get_by_role("button", name="Add another speaker").click()
    page.wait_for_load_state("load")

    assert page.get_by_test_id("speaker-row").count() == 3
    page.wait_for_function("document.activeElement && document.activeElement.id === 'speakers-2-name'")
    assert page.evaluate("document.activeElement.getBoundingClientRect().top < window.innerHeight")


def test_a_form_back_with_only_a_speaker_problem_shows_its_summary_on_a_phone(app, page):
    make_consultation()
    owner = make_user()
    db.session.commit()
    sign_in(page, owner)
    page.set_viewport_size({"width": 375, "height": 700})

    page.goto("/proposals/new?kind=format")
    page.get_by_label("Title").fill("Community networks in rural schools")
    page.locator("#speakers-0-name").fill("Ana Souza")
    page.locator("#speakers-0-email").fill("ana.example.org")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state("load")

    page.wait_for_function("document.activeElement && document.activeElement.matches('[data-error-summary]')")
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_role("heading").inner_text() == "There is 1 problem to fix"
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "speakers-0-email"


def test_text_typed_when_the_session_ended_elsewhere_is_back_after_signing_in(app, page):
    from consult.accounts.services import end_sessions
    from tests.factories import PASSWORD

    make_consultation()
    owner = make_user()
    db.session.commit()
    sign_in(page, owner)
    page.goto("/proposals/new")
    page.get_by_label("Title").fill("Typed before the session ended")
    page.get_by_label("Summary").fill("How community networks connect rural schools.")
    page.get_by_label("C2 Information and communication infrastructure").check()
    end_sessions(owner)  # signed out on another device meanwhile
    db.session.commit()

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/account/login?next=*")
    assert page.get_by_test_id("typed-waiting").is_visible()
    assert page.get_by_role("status").filter(has_text="You are no longer signed in").count() == 1
    page.get_by_label("E-mail address").fill(owner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/proposals/new")

    assert page.get_by_test_id("typed-restored").inner_text() == (
        "What you typed before you were signed out is back in the form. Check it, then send it again.")
    assert page.get_by_label("Title").input_value() == "Typed before the session ended"
    assert page.get_by_label("Summary").input_value() == "How community networks connect rural schools."
    assert page.get_by_label("C2 Information and communication infrastructure").is_checked()
    assert db.session.scalar(sa.select(sa.func.count(Proposal.id))) == 0
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/proposals/*/edit")
    db.session.expire_all()
    assert db.session.scalars(sa.select(Proposal.title)).all() == ["Typed before the session ended"]
    # Saved: nothing is put back any more.
    page.goto("/proposals/new")
    assert page.get_by_test_id("typed-restored").count() == 0
