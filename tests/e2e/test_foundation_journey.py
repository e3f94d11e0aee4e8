"""A stakeholder registers, signs in and sees the current phase, in Chromium; every page passes axe-core."""
import pytest

from consult.extensions import db
from tests.factories import make_consultation

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
