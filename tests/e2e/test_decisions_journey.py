"""The chair decides in bulk (confirming unfinished reviews), previews the held e-mails and announces them at once;
the submitter sees the decision only then. Every page passes axe-core."""
import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.proposals.models import Decision, Proposal
from consult.review.assignment import assign_reviewer
from consult.review.services import ensure_default_criteria
from tests.e2e.test_review_journey import sign_in
from tests.factories import make_consultation, make_proposal, make_review, make_user

pytestmark = pytest.mark.e2e


def test_chair_releases_held_decisions_after_the_preview(app, page, assert_accessible):
    consultation = make_consultation(current=PhaseKind.REVIEW)
    criteria = ensure_default_criteria(consultation)
    chair = make_user(role=Role.CHAIR, name="Amina Diallo")
    reviewers = [make_user(role=Role.REVIEWER, name=f"Reviewer {n}") for n in range(2)]
    owner = make_user(name="Grace Mensah", email="grace@ngo.example", organization="Ghana Digital Rights")
    proposals = [make_proposal(consultation, owner, title="Community networks in rural Africa"),
                 make_proposal(consultation, make_user(email="li@uni.example"), title="AI literacy for teachers")]
    for proposal in proposals:
        for reviewer in reviewers:
            assign_reviewer(proposal, reviewer, actor=None)
        make_review(proposal, reviewers[0], {c: 4 for c in criteria})
    make_review(proposals[0], reviewers[1], {c: 5 for c in criteria})
    db.session.commit()

    sign_in(page, chair)
    page.goto("/review/ranking")
    for proposal in proposals:
        page.get_by_label(f"Select {proposal.reference}").check()
    page.get_by_label("Decision", exact=True).select_option("accepted")
    page.get_by_role("button", name="Review the changes").click()
    assert_accessible(page)
    assert page.get_by_test_id("unfinished-reviews").inner_text().endswith(
        f"{proposals[1].reference} · AI literacy for teachers: 1 of 2 reviews submitted")
    page.get_by_role("button", name="Apply these 2 decisions").click()
    # Refused until the chair confirms, the reason beside the box.
    assert page.locator("#confirm_unfinished-error").inner_text() == (
        f"1 proposal has unfinished reviews ({proposals[1].reference}): tick the box to decide on it anyway.")
    assert_accessible(page)
    page.get_by_label("Decide now, although some assigned reviews are not submitted yet").check()
    page.get_by_role("button", name="Apply these 2 decisions").click()
    assert page.locator(".flash").inner_text() == "2 decisions applied. They are held until you announce them."
    assert page.get_by_test_id("held-count").inner_text() == "2 decisions not yet announced."
    assert_accessible(page)
    previews = page.get_by_test_id("email-preview")
    assert previews.count() == 2
    assert previews.nth(0).get_by_test_id("email-recipient").inner_text() == "grace@ngo.example"
    assert previews.nth(0).get_by_test_id("email-subject").inner_text() == f"Decision on your proposal {proposals[0].reference}"
    body = previews.nth(0).get_by_test_id("email-body").inner_text()
    assert "“Community networks in rural Africa”: Accepted." in body
    assert f"/proposals/{proposals[0].id}" in body
    assert db.session.execute(sa.select(sa.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.category == "review.decision")).scalar_one() == 0
    page.get_by_role("button", name="Send the e-mails and announce the 2 decisions").click()
    assert page.locator(".flash").inner_text() == "2 decisions announced: their e-mails are on their way."
    assert page.get_by_test_id("held-count").inner_text() == "0 decisions not yet announced."
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, owner)
    page.goto("/proposals/mine")
    assert "Accepted" in page.locator("table").inner_text()
    assert_accessible(page)

    db.session.expire_all()
    mails = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.category == "review.decision")
                               .order_by(OutboxMessage.id)).scalars().all()
    assert [mail.recipient for mail in mails] == ["grace@ngo.example", "li@uni.example"]
    assert [db.session.get(Proposal, p.id).announced_decision for p in proposals] == [Decision.ACCEPTED] * 2
