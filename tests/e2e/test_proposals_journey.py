"""A stakeholder registers, drafts, submits a format proposal with two speakers, edits it, withdraws another."""
import re

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.proposals.models import Proposal
from tests.factories import make_consultation, make_proposal, make_user

pytestmark = pytest.mark.e2e


def test_stakeholder_files_edits_and_withdraws_proposals(app, page, assert_accessible):
    consultation = make_consultation()
    consultation.submissions_published = True
    make_proposal(consultation, make_user(organization="Pacific Cloud Services"), title="Community networks for islands",
                  summary="Community networks connecting island schools.", action_lines=("C2",))
    db.session.commit()

    page.goto("/account/register")
    page.get_by_label("Full name").fill("Nadia Haddad")
    page.get_by_label("E-mail address").fill("nadia@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough pass")
    page.get_by_label("Repeat the password").fill("a long enough pass")
    page.get_by_label("Organization").fill("Arab ICT Org")
    page.get_by_label("Stakeholder type").select_option("civil_society")
    page.get_by_label("Country").select_option("JO")
    page.get_by_role("button", name="Create account").click()
    assert_accessible(page)
    # The address is confirmed through the link e-mailed at registration, as before any first submission.
    db.session.expire_all()
    body = db.session.execute(sa.select(OutboxMessage.body).where(OutboxMessage.recipient == "nadia@example.org")
                              .order_by(OutboxMessage.id)).scalars().first()
    page.goto(re.search(r"https?://[^/\s]+(/\S*verify\S*)", body).group(1))
    page.goto("/")

    # A thematic draft, to be withdrawn later.
    page.get_by_role("link", name="Submit a proposal").click()
    page.get_by_label("Title").fill("Arabic content online")
    page.get_by_label("Summary").fill("More Arabic content for young readers.")
    page.get_by_role("button", name="Save draft").click()
    # A draft without an action line saves; the page marks what submission still needs.
    assert page.locator(".flash").inner_text() == (
        "Your draft is saved. What it still needs before you can submit it is marked below.")
    assert_accessible(page)

    # The format proposal with two speakers.
    page.get_by_role("link", name="My proposals").click()
    assert_accessible(page)
    page.get_by_role("link", name="New format proposal").click()
    assert page.get_by_label("Format proposal (including session requests)").is_checked()
    assert_accessible(page)
    page.get_by_label("Title").fill("Community networks in rural schools")
    page.get_by_label("Summary").fill("How community networks connect rural schools.")
    page.get_by_label("Description").fill("We share *practical* lessons.")
    page.get_by_label("C2 Information and communication infrastructure").check()
    page.get_by_label("4 Quality education").check()
    page.get_by_label("Proposed format").select_option("thematic_workshop")
    page.get_by_label("Duration").select_option("60")
    page.locator("#speakers-0-name").fill("Amara Diop")
    page.locator("#speakers-0-country").select_option("SN")
    page.get_by_role("button", name="Add another speaker").click()
    # The button posts the form and the page comes back with one more row: wait for it, then for the row.
    page.wait_for_load_state("load")
    page.locator("#speakers-2-name").wait_for(state="visible")
    assert page.locator("#speakers-2-name").is_visible()
    assert page.locator("#speakers-0-name").input_value() == "Amara Diop"
    page.locator("#speakers-1-name").fill("Lars Nielsen")
    page.locator("#speakers-1-is_confirmed").check()
    page.get_by_role("button", name="Save and preview").click()

    assert page.get_by_role("heading", name="Community networks in rural schools").is_visible()
    assert page.get_by_role("link", name="Community networks for islands").count() == 1
    assert_accessible(page)
    page.get_by_role("button", name="Submit the proposal").click()
    assert page.get_by_role("heading", name="Thank you: your proposal is received").is_visible()
    reference = page.locator(".lead").inner_text().rsplit(" ", 1)[1].rstrip(".")
    assert reference.startswith("P-") and page.locator(".lead").inner_text().endswith(f"has the reference {reference}.")
    assert_accessible(page)

    # Edit the submitted proposal.
    page.get_by_role("link", name="See the proposal").click()
    assert page.get_by_role("cell", name="Lars Nielsen").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Edit", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Summary").fill("How community networks connect rural and remote schools.")
    page.get_by_role("button", name="Save changes").click()
    assert page.locator(".flash").inner_text() == "Your changes are saved. The committee sees the new version."
    assert page.locator(".proposal-summary").inner_text() == "How community networks connect rural and remote schools."

    # Find both in "my proposals": the draft, which nobody else saw, is deleted; the submitted one is withdrawn.
    page.get_by_role("link", name="My proposals").click()
    rows = page.get_by_test_id("my-proposal")
    assert rows.count() == 2
    page.get_by_role("link", name="Arabic content online").click()
    assert page.get_by_role("link", name="Withdraw").count() == 0
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete this draft").click()
    assert page.locator(".flash").inner_text() == "The draft “Arabic content online” is deleted."
    page.get_by_role("link", name="Community networks in rural schools", exact=True).click()
    page.get_by_role("link", name="Withdraw").click()
    assert_accessible(page)
    page.get_by_label("Reason (optional)").fill("Merged with a partner's proposal.")
    page.get_by_role("button", name="Withdraw the proposal").click()
    assert page.locator(".flash").inner_text() == "The proposal “Community networks in rural schools” is withdrawn."
    assert "Withdrawn; it will not be reviewed." in page.locator("table").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Proposals", exact=True).click()
    assert page.get_by_test_id("public-proposal").count() == 1
    assert_accessible(page)
    db.session.expire_all()
    statuses = sorted(p.status.value for p in db.session.execute(sa.select(Proposal)).scalars())
    assert statuses == ["submitted", "withdrawn"]
