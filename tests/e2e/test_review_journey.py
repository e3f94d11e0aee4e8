"""A reviewer scores two proposals and declares a conflict on a third; the chair sees the ranking and decides."""
import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.proposals.models import Decision, Proposal
from consult.reference import StakeholderType
from consult.review.assignment import assign_reviewer
from consult.review.models import Conflict, Review, ReviewState
from consult.review.services import ensure_default_criteria
from tests.factories import PASSWORD, make_consultation, make_proposal, make_review, make_user

pytestmark = pytest.mark.e2e


def sign_in(page, user):
    page.goto("/account/login")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_reviewer_scores_and_declares_conflict_then_chair_decides(app, page, assert_accessible):
    consultation = make_consultation(current=PhaseKind.REVIEW)
    criteria = ensure_default_criteria(consultation)
    chair = make_user(role=Role.CHAIR, name="Amina Diallo", organization="WSIS Secretariat")
    reviewer = make_user(role=Role.REVIEWER, name="Lukas Berger", organization="University of Vienna",
                         stakeholder_type=StakeholderType.ACADEMIA)
    colleague = make_user(role=Role.REVIEWER, name="Mei Tanaka", organization="APNIC")
    proposals = [make_proposal(consultation, make_user(organization=f"Submitter org {i}"), title=title, speakers=2)
                 for i, title in enumerate(["Community networks in rural Africa", "AI literacy for teachers",
                                            "Cybersecurity for small islands"])]
    for proposal in proposals:
        assign_reviewer(proposal, reviewer, actor=None)
        make_review(proposal, colleague, {c: 3 for c in criteria})
    db.session.commit()

    sign_in(page, reviewer)
    page.get_by_role("link", name="Review queue").first.click()
    assert_accessible(page)
    for title, score in (("Community networks in rural Africa", "5"), ("AI literacy for teachers", "2")):
        page.get_by_role("link", name=title).click()
        assert_accessible(page)
        for criterion in criteria:
            page.get_by_label(criterion.name, exact=False).select_option(score)
        page.get_by_label("Accept").check()
        page.get_by_label("Comment to the submitter").fill(f"Thank you for {title}.")
        page.get_by_role("button", name="Submit review").click()
        assert page.locator(".flash").inner_text() == "Your review is submitted."
    page.get_by_role("link", name="Declare a conflict P-").click()
    assert_accessible(page)
    page.get_by_label("Reason").fill("I sit on the board of the submitting organization.")
    page.get_by_role("button", name="Declare a conflict of interest").click()
    assert page.locator(".flash").inner_text().startswith("Done: ")
    assert page.get_by_text("Nothing here.").is_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, chair)
    page.goto("/review/ranking")
    assert_accessible(page)
    rows = page.locator("table.ranking tbody tr")
    assert rows.nth(0).inner_text().split("\t")[1] == proposals[0].reference
    page.get_by_role("link", name=f"Awaiting decision {proposals[0].reference}").click()
    assert_accessible(page)
    page.get_by_label("Decision", exact=True).select_option("accepted")
    page.get_by_label("Note for the submitter").fill("Welcome to the Forum programme.")
    page.get_by_role("button", name="Save decision").click()
    assert page.locator(".flash").inner_text() == (
        f"The decision on {proposals[0].reference} is saved. It is held until you announce the decisions.")
    assert_accessible(page)

    db.session.expire_all()
    assert db.session.get(Proposal, proposals[0].id).decision is Decision.ACCEPTED
    assert db.session.execute(sa.select(sa.func.count()).select_from(Review).where(
        Review.reviewer_id == reviewer.id, Review.state == ReviewState.SUBMITTED)).scalar_one() == 2
    assert (
        db.session.execute(sa.select(Conflict.proposal_id).where(Conflict.reviewer_id == reviewer.id)).scalar_one()
        == proposals[2].id
    )
