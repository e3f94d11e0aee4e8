"""A stakeholder registers, signs in and sees the current phase, in Chromium; every page passes axe-core."""
import pytest

from consult.accounts.models import Role
from consult.extensions import db
from consult.outbox.services import queue_email
from tests.factories import PASSWORD, make_consultation, make_user

pytestmark = pytest.mark.e2e


def test_register_login_and_see_current_phase(app, page, assert_accessible):
    make_consultation()
    db.session.commit()

    page.goto("/")
    assert page.get_by_test_id("current-phase").inner_text() == "Call for proposals open"
    assert_accessible(page)

    page.get_by_role("link", name="Register").first.click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nadia Haddad")
    page.get_by_label("E-mail address").fill("nadia@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough pass")
    page.get_by_label("Repeat the password").fill("a long enough pass")
    page.get_by_label("Organization").fill("Arab ICT Org")
    page.get_by_label("Stakeholder type").select_option("civil_society")
    page.get_by_label("Country").select_option("JO")
    page.get_by_role("button", name="Create account").click()

    assert page.locator(".flash").inner_text() == "Welcome, Nadia Haddad. Your account is ready."
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.click()
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("nadia@example.org")
    page.get_by_label("Password").fill("a long enough pass")
    page.get_by_role("button", name="Sign in").click()

    assert page.get_by_test_id("current-phase").inner_text() == "Call for proposals open"
    assert page.get_by_role("link", name="Nadia Haddad").is_visible()
    assert_accessible(page)


def sign_in(page, email):
    page.goto("/account/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_chair_pages_are_accessible_and_work(app, page, assert_accessible):
    consultation = make_consultation()
    chair = make_user(role=Role.CHAIR, name="Amina Diallo", email="chair@example.org")
    make_user(name="Grace Otieno", email="grace@example.org")
    queue_email("grace@example.org", "Your proposal was received", "Thank you for your proposal.")
    db.session.commit()
    review_phase_id = consultation.phases[1].id

    sign_in(page, chair.email)
    assert page.locator(".flash").inner_text() == "Signed in as Amina Diallo."

    page.goto("/account/users")
    assert_accessible(page)
    page.get_by_label("Search name, e-mail or organization").fill("grace")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_test_id("accounts-table").locator("tbody tr").count() == 1
    page.get_by_label("Role of Grace Otieno").select_option("reviewer")
    page.get_by_role("button", name="Save role of Grace Otieno").click()
    assert page.locator(".flash").inner_text() == "Grace Otieno is now reviewer."
    assert_accessible(page)

    page.goto(f"/consultation/phases/{review_phase_id}")
    assert_accessible(page)
    page.get_by_label("Name").fill("Committee review")
    page.get_by_role("button", name="Save phase").click()
    assert page.locator(".flash").inner_text() == "The phase “Committee review” is saved."
    assert page.get_by_role("row", name="Committee review").is_visible()
    assert_accessible(page)

    page.goto("/consultation/settings")
    assert_accessible(page)
    page.get_by_label("Theme").fill("ICTs for the SDGs")
    page.get_by_role("button", name="Save consultation").click()
    assert page.locator(".flash").inner_text() == "The consultation's settings are saved."

    page.goto("/audit/")
    assert_accessible(page)
    assert page.get_by_text("consultation.update").is_visible()
    assert page.get_by_text("user.change_role").is_visible()

    page.goto("/outbox/")
    assert_accessible(page)
    page.get_by_role("link", name="Your proposal was received").click()
    assert page.get_by_text("Thank you for your proposal.").is_visible()
    assert_accessible(page)

    page.goto("/consultation/new")
    assert_accessible(page)


def test_error_pages_and_bad_form_are_accessible(app, page, assert_accessible):
    make_consultation()
    db.session.commit()

    page.goto("/no-such-page")
    assert page.get_by_test_id("error-message").inner_text() == "There is nothing at this address."
    assert_accessible(page)

    page.goto("/account/register")
    page.get_by_label("Full name").fill("Nadia Haddad")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_label("Full name").input_value() == "Nadia Haddad"
    assert page.get_by_label("E-mail address").get_attribute("aria-invalid") == "true"
    assert_accessible(page)


def test_layout_fits_a_phone_screen(app, page, assert_accessible):
    make_consultation()
    db.session.commit()
    page.set_viewport_size({"width": 375, "height": 740})

    page.goto("/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.get_by_test_id("current-phase").is_visible()
    assert_accessible(page)
