"""Account recovery and invitation in Chromium: a forgotten password reset from the e-mailed link, and a person the
chair invites taking their account; every page passes axe-core."""
import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from tests.factories import PASSWORD, make_consultation, make_user

pytestmark = pytest.mark.e2e
LINK = re.compile(r"http://[^/\s]+(/account/\S+)")


def last_link_to(recipient: str) -> str:
    """The path of the link in the latest e-mail to recipient (the server thread committed it)."""
    db.session.expire_all()
    message = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                                 .order_by(OutboxMessage.id.desc()).limit(1)).scalar_one()
    return LINK.search(message.body).group(1)


def sign_in(page, email, password=PASSWORD):
    page.goto("/account/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_forgotten_password_is_reset_from_the_emailed_link(app, page, assert_accessible):
    make_consultation()
    make_user(name="Grace Otieno", email="grace@example.org")
    db.session.commit()

    page.goto("/account/login")
    page.get_by_role("link", name="Forgot your password?").click()
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("grace@example.org")
    page.get_by_role("button", name="Send me a reset link").click()
    assert page.locator(".flash").inner_text() == (
        "If an account uses grace@example.org, a link to reset its password is on its way. It works for one hour.")
    assert_accessible(page)

    link = last_link_to("grace@example.org")
    page.goto(link)
    assert page.get_by_text("For the account grace@example.org.").is_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("my new long passphrase")
    page.get_by_label("Repeat the new password").fill("something else entirely")
    page.get_by_role("button", name="Set the new password").click()
    assert page.get_by_text("The two passwords differ.").is_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("my new long passphrase")
    page.get_by_label("Repeat the new password").fill("my new long passphrase")
    page.get_by_role("button", name="Set the new password").click()
    assert page.locator(".flash").inner_text() == (
        "Your password is changed and every other session is signed out. Sign in with the new password.")

    sign_in(page, "grace@example.org", "my new long passphrase")
    assert page.locator(".flash").inner_text() == "Signed in as Grace Otieno."
    page.get_by_role("button", name="Sign out").click()

    page.goto(link)
    assert page.get_by_test_id("link-error").inner_text() == (
        "This reset link is not valid or was used already. Ask for a new one.")
    assert_accessible(page)


def test_chair_invites_a_reviewer_who_takes_the_account(app, page, assert_accessible):
    make_consultation()
    make_user(role=Role.CHAIR, name="Amina Diallo", email="chair@example.org")
    db.session.commit()

    sign_in(page, "chair@example.org")
    page.goto("/account/users")
    page.locator("#invite-name").fill("Lukas Berger")
    page.locator("#invite-email").fill("lukas@uni.example")
    page.locator("#invite-role").select_option("reviewer")
    page.locator("#invite-organization").fill("University of Vienna")
    page.get_by_role("button", name="Send invitation").click()
    assert page.locator(".flash").inner_text() == "An invitation is on its way to lukas@uni.example."
    pending = page.get_by_test_id("pending-invitations")
    assert pending.get_by_role("row", name=re.compile("Lukas Berger")).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send again to lukas@uni.example").click()
    assert page.locator(".flash").inner_text() == (
        "The invitation is sent again to lukas@uni.example; the earlier link no longer works.")
    page.get_by_role("button", name="Sign out").click()

    page.goto(last_link_to("lukas@uni.example"))
    assert page.get_by_text(
        "You are invited as a member of the review committee with the address lukas@uni.example.").is_visible()
    assert page.get_by_label("Full name").input_value() == "Lukas Berger"
    assert_accessible(page)
    page.get_by_label("Stakeholder type").select_option("academia")
    page.get_by_label("Country").select_option("AT")
    page.get_by_label("Password", exact=True).fill("a long enough pass")
    page.get_by_label("Repeat the password").fill("a long enough pass")
    page.get_by_role("button", name="Create my account").click()

    assert page.locator(".flash").inner_text() == "Welcome, Lukas Berger. Your account is ready."
    page.goto("/account/profile")
    assert page.get_by_text("Address confirmed", exact=True).is_visible()
    assert_accessible(page)


def test_reviewer_required_to_use_two_factors_enrols_then_signs_in_with_a_code(app, page, assert_accessible):
    import pyotp

    from consult.accounts.two_factor import set_committee_two_factor

    make_consultation()
    chair = make_user(role=Role.CHAIR, name="Amina Diallo", email="chair@example.org")
    make_user(role=Role.REVIEWER, name="Lukas Berger", email="lukas@uni.example")
    set_committee_two_factor(True, actor=chair)
    db.session.commit()

    sign_in(page, "lukas@uni.example")
    assert page.url.endswith("/account/two-factor")
    assert_accessible(page)
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    assert_accessible(page)
    recovery_code = page.get_by_test_id("recovery-codes").locator("li").first.inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "lukas@uni.example")
    assert page.url.endswith("/account/login/code")
    assert_accessible(page)
    page.get_by_label("Code").fill(recovery_code)
    page.get_by_role("button", name="Verify").click()
    assert page.locator(".flash").inner_text() == "Signed in as Lukas Berger."
    page.goto("/account/two-factor")
    assert page.get_by_text("You have 9 unused recovery codes.").is_visible()
    assert_accessible(page)


def test_privacy_notice_is_accepted_at_registration_and_the_account_closed(app, page, assert_accessible):
    make_consultation()
    make_user(role=Role.CHAIR, name="Amina Diallo", email="chair@example.org")
    db.session.commit()

    sign_in(page, "chair@example.org")
    page.goto("/account/settings")
    assert_accessible(page)
    page.get_by_label("Privacy notice").fill("### Your data\n\nWe keep your **name** and e-mail address.")
    page.get_by_role("button", name="Save account settings").click()
    assert page.locator(".flash").first.inner_text() == "Privacy notice version 1 is published; new accounts accept it."
    page.get_by_role("button", name="Sign out").click()

    page.goto("/account/register")
    assert page.get_by_role("heading", name="Your data").is_visible()  # h3: the notice sits under the page's h2
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nadia Haddad")
    page.get_by_label("E-mail address").fill("nadia@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough pass")
    page.get_by_label("Repeat the password").fill("a long enough pass")
    page.get_by_label("Organization").fill("Arab ICT Org")
    page.get_by_label("Stakeholder type").select_option("civil_society")
    page.get_by_label("Country").select_option("JO")
    page.get_by_role("button", name="Create account").click()
    # Beside the field and in the summary at the top of the form.
    assert page.get_by_text("Read and accept the privacy notice to create an account.").count() == 2
    assert page.get_by_text("Read and accept the privacy notice to create an account.").first.is_visible()
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill("a long enough pass")
    page.get_by_label("Repeat the password").fill("a long enough pass")
    page.get_by_label("I have read the privacy notice and agree to it").check()
    page.get_by_role("button", name="Create account").click()
    assert page.locator(".flash").inner_text() == "Welcome, Nadia Haddad. Your account is ready."

    page.goto("/account/profile")
    assert page.get_by_test_id("verify-banner").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Close your account").click()
    assert_accessible(page)
    page.get_by_label("Your password").fill("a long enough pass")
    page.get_by_label("I understand that I can no longer sign in").check()
    page.get_by_role("button", name="Close my account").click()
    assert page.locator(".flash").inner_text() == "Your account is closed. Thank you for taking part."
    sign_in(page, "nadia@example.org", "a long enough pass")
    assert page.get_by_text("Wrong e-mail address or password.").is_visible()
