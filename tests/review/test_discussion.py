"""The committee's discussion of a proposal: who takes part, who is told, and that it never names the submitter."""
import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.consultations.models import PhaseKind
from consult.errors import DomainError, NotAllowedError, PhaseClosedError
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.review.discussion import add_discussion_comment, discussion_members, discussion_of
from consult.review.models import Conflict
from tests import factories


@pytest.fixture
def panel(review_setup):
    """The first proposal with two assigned reviewers and one conflicted reviewer."""
    proposal = review_setup["proposals"][0]
    first, second, third = review_setup["reviewers"]
    factories.make_assignment(proposal, first)
    factories.make_assignment(proposal, second)
    factories.make_assignment(proposal, third)
    db.session.add(Conflict(reviewer_id=third.id, proposal_id=proposal.id, reason="Former employer"))
    db.session.commit()
    return {**review_setup, "proposal": proposal}


def test_discussion_members_are_assigned_reviewers_and_chairs_without_conflicted(panel):
    members = discussion_members(panel["proposal"])

    assert [member.name for member in members] == ["Amina Diallo", "Lukas Berger", "Mei Tanaka"]


def test_comment_notifies_the_other_members_without_naming_the_submitter(panel):
    author = panel["reviewers"][0]

    add_discussion_comment(panel["proposal"], author=author, body="Strong on C2, weak on speakers.")
    db.session.commit()

    messages = db.session.execute(sa.select(OutboxMessage).order_by(OutboxMessage.recipient)).scalars().all()
    assert [message.recipient for message in messages] == sorted([panel["chair"].email, panel["reviewers"][1].email])
    assert messages[0].subject == f"New comment on {panel['proposal'].reference}: Community networks 0"
    assert "Lukas Berger wrote" in messages[0].body and "Strong on C2, weak on speakers." in messages[0].body
    assert all("Zebulon" not in m.body and "Hyperborean" not in m.body for m in messages)
    thread = [(c.author.name, c.body) for c in discussion_of(panel["proposal"])]
    assert thread == [("Lukas Berger", "Strong on C2, weak on speakers.")]


def test_conflicted_reviewer_and_submitter_may_not_comment(panel):
    with pytest.raises(NotAllowedError):
        add_discussion_comment(panel["proposal"], author=panel["reviewers"][2], body="I know them well.")
    with pytest.raises(NotAllowedError):
        add_discussion_comment(panel["proposal"], author=panel["submitters"][0], body="Please accept.")


def test_empty_comment_is_refused_at_its_field(panel):
    with pytest.raises(DomainError) as refused:
        add_discussion_comment(panel["proposal"], author=panel["chair"], body="   ")

    assert (refused.value.field, refused.value.message) == ("body", "Write a comment first.")


def test_discussion_is_closed_outside_review_and_drafting(app):
    consultation = factories.make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    chair = factories.make_user(role=Role.CHAIR)
    proposal = factories.make_proposal(consultation, factories.make_user())
    db.session.commit()

    with pytest.raises(PhaseClosedError):
        add_discussion_comment(proposal, author=chair, body="Too late.")


def test_discussion_page_shows_comments_and_hides_it_from_the_conflicted(panel, client, as_user):
    add_discussion_comment(panel["proposal"], author=panel["chair"], body="Let us *merge* it with P-0002.")
    db.session.commit()
    url = f"/review/proposals/{panel['proposal'].id}/discussion"

    as_user(panel["reviewers"][1])
    page = client.get(url).get_data(as_text=True)
    as_user(panel["reviewers"][2])
    refused = client.get(url)

    assert "<strong><bdi>Amina Diallo</bdi></strong>" in page and "Let us <em>merge</em> it with P-0002." in page
    assert "Zebulon" not in page and "Hyperborean" not in page
    assert refused.status_code == 403


def test_posting_to_the_discussion_redirects_to_its_end(panel, client, as_user):
    as_user(panel["reviewers"][0])

    response = client.post(f"/review/proposals/{panel['proposal'].id}/discussion", data={"body": "Agree with merging."})

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/review/proposals/{panel['proposal'].id}/discussion#discussion-end")
    assert [c.body for c in discussion_of(panel["proposal"])] == ["Agree with merging."]
