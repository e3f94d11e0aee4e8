"""Browser journeys of issue 12: errors fixed from the summary, the deadline passing with a form open, two tabs,
a speaker confirming by link, a reviewer discussing and scoring with the guide; axe-core on every page seen."""
import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.proposals.models import Proposal, ProposalKind, ProposalStatus, SpeakerAnswer
from consult.review.assignment import assign_reviewer
from consult.review.services import ensure_default_criteria
from tests.concurrency import pass_deadline
from tests.factories import PASSWORD, make_consultation, make_proposal, make_user

pytestmark = pytest.mark.e2e


def sign_in(page, user):
    page.goto("/account/login")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/account/login" not in url)


def test_stakeholder_fixes_three_errors_of_a_format_proposal_from_the_summary(app, page, assert_accessible):
    make_consultation()
    owner = make_user(name="Nadia Haddad")
    db.session.commit()
    sign_in(page, owner)

    page.goto("/proposals/new?kind=format")
    page.get_by_label("Title").fill("Community networks in rural schools")
    page.get_by_label("Proposed format").select_option("other")
    page.get_by_role("button", name="Save and preview").click()

    # Saved as a draft; the preview lists what submission still needs and offers no submit button.
    missing = page.get_by_test_id("missing-for-submission")
    assert missing.get_by_role("link").count() == 4
    assert page.get_by_role("button", name="Submit the proposal").count() == 0
    assert_accessible(page)
    missing.get_by_role("link", name=re.compile("^Other format")).click()
    page.wait_for_load_state("load")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'format_other'")
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_role("link").count() == 4
    assert_accessible(page)
    summary.get_by_role("link", name=re.compile("^Summary")).click()
    assert page.evaluate("document.activeElement.id") == "summary"
    page.get_by_label("Summary").fill("How community networks connect rural schools.")
    page.get_by_label("C2 Information and communication infrastructure").check()
    page.get_by_label("Other format").fill("A walking tour of a community network")
    page.get_by_label("Duration").select_option("60")
    page.get_by_role("button", name="Save and preview").click()

    assert page.get_by_test_id("missing-for-submission").count() == 0
    page.get_by_role("button", name="Submit the proposal").click()
    proposal = db.session.execute(sa.select(Proposal)).scalar_one()
    page.wait_for_url(f"**/proposals/{proposal.id}/submitted")
    db.session.refresh(proposal)
    assert (proposal.status, proposal.format_other) == (ProposalStatus.SUBMITTED, "A walking tour of a community network")
    assert_accessible(page)


def test_the_deadline_passes_while_the_form_is_open_and_the_text_is_kept(app, page, assert_accessible):
    consultation = make_consultation()
    owner = make_user()
    proposal = make_proposal(consultation, owner, status=ProposalStatus.DRAFT, title="Draft title")
    db.session.commit()
    sign_in(page, owner)
    page.goto(f"/proposals/{proposal.id}/edit")
    page.get_by_label("Description").fill("Three paragraphs written over an hour.")

    pass_deadline(consultation, PhaseKind.CALL_OPEN)
    page.get_by_role("button", name="Save draft").click()

    assert page.get_by_label("Description").input_value() == "Three paragraphs written over an hour."
    assert "which closed on" in page.locator("[data-error-summary]").inner_text()
    assert page.get_by_test_id("call-closed").is_visible()
    assert page.get_by_role("button", name="Save draft").count() == 0
    assert_accessible(page)


def test_two_tabs_on_one_proposal_keep_mine_on_top_of_the_saved_one(app, browser, live_server, assert_accessible):
    consultation = make_consultation()
    owner = make_user()
    proposal = make_proposal(consultation, owner, status=ProposalStatus.DRAFT, title="First title")
    db.session.commit()
    context = browser.new_context(base_url=live_server, locale="en-GB", bypass_csp=True)
    first, second = context.new_page(), context.new_page()
    sign_in(first, owner)
    first.goto(f"/proposals/{proposal.id}/edit")
    second.goto(f"/proposals/{proposal.id}/edit")

    first.get_by_label("Title").fill("Saved in the first tab")
    first.get_by_role("button", name="Save draft").click()
    second.get_by_label("Title").fill("Typed in the second tab")
    second.get_by_role("button", name="Save draft").click()

    assert second.get_by_test_id("saved-value").first.inner_text() == "Saved in the first tab"
    assert second.get_by_test_id("submitted-value").first.inner_text() == "Typed in the second tab"
    assert second.get_by_test_id("conflict-choice").is_visible()
    assert_accessible(second)
    second.get_by_role("button", name="Save draft").click()
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).title == "Typed in the second tab"
    context.close()


def test_a_speaker_confirms_by_the_link_in_their_email(app, page, assert_accessible):
    consultation = make_consultation()
    owner = make_user(organization="Arab ICT Org")
    draft = make_proposal(consultation, owner, kind=ProposalKind.FORMAT, status=ProposalStatus.DRAFT, title="Rural networks")
    db.session.commit()
    sign_in(page, owner)
    page.goto(f"/proposals/{draft.id}/edit")
    page.locator("#speakers-0-name").fill("Amara Diop")
    page.locator("#speakers-0-email").fill("amara@example.org")
    page.get_by_role("button", name="Save and preview").click()
    page.get_by_role("button", name="Submit the proposal").click()

    mail = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.category == "speaker.invite")).scalar_one()
    link = re.search(r"http://\S+/speakers/\S+", mail.body).group(0)
    speaker_page = page.context.browser.new_context(locale="en-GB", bypass_csp=True).new_page()
    speaker_page.goto(link)
    assert "Arab ICT Org named you, Amara Diop" in speaker_page.content()
    assert_accessible(speaker_page)
    speaker_page.get_by_role("button", name="Yes, I will speak").click()
    assert speaker_page.get_by_test_id("speaker-answer").inner_text().startswith("Confirmed by the speaker")

    page.goto(f"/proposals/{draft.id}")
    assert page.get_by_test_id("speaker-answer").inner_text().startswith("Confirmed by the speaker")
    db.session.expire_all()
    assert db.session.get(Proposal, draft.id).speakers[0].answer is SpeakerAnswer.CONFIRMED


def test_a_reviewer_discusses_and_scores_with_the_guide(app, page, assert_accessible):
    consultation = make_consultation(current=PhaseKind.REVIEW)
    criteria = ensure_default_criteria(consultation)
    reviewer = make_user(role=Role.REVIEWER, name="Lukas Berger")
    colleague = make_user(role=Role.REVIEWER, name="Mei Tanaka")
    proposal = make_proposal(consultation, make_user(name="Zebulon Secret"), title="AI literacy for teachers")
    assign_reviewer(proposal, reviewer, actor=None)
    assign_reviewer(proposal, colleague, actor=None)
    db.session.commit()
    sign_in(page, reviewer)

    page.goto(f"/review/proposals/{proposal.id}")
    assert page.get_by_text("Scoring guide: what each score means").count() == len(criteria)
    page.get_by_role("button", name="Submit review").click()
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_role("link").count() == len(criteria) + 1
    assert_accessible(page)
    for criterion in criteria:
        page.locator(f"#score_{criterion.id}").select_option("4")
    page.get_by_label("Accept", exact=True).check()
    page.get_by_role("link", name=re.compile("^Discussion of")).click()
    page.get_by_label("Your comment").fill("Strong on teachers, thin on evaluation.")
    page.get_by_role("button", name="Post the comment").click()
    assert page.locator(".discussion-comment").inner_text().count("Strong on teachers") == 1
    assert "Zebulon" not in page.content()
    assert_accessible(page)

    told = db.session.execute(sa.select(OutboxMessage.recipient)
                              .where(OutboxMessage.category == "review.discussion")).scalars().all()
    assert told == [colleague.email]
