"""The proposal form never loses work: every problem at once, after the deadline, two tabs, history, deleting a draft."""
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalKind, ProposalStatus
from consult.proposals.services import ProposalContent, update_proposal
from tests.factories import make_consultation, make_proposal, make_user


def _format_form(**overrides) -> dict:
    data = {"kind": "format", "forum_part": "themes_and_structure", "title": "Community networks", "summary": "",
            "format_code": "other", "format_other": "", "save": "1"}
    data.update(overrides)
    return data


def test_saving_an_incomplete_format_draft_marks_everything_submission_needs(app, client, login):
    make_consultation()
    db.session.commit()
    login(make_user())

    saved = client.post("/proposals/new", data=_format_form())
    page = client.get(saved.headers["Location"]).get_data(as_text=True)

    assert saved.status_code == 303 and saved.headers["Location"].endswith("/edit?checked=1")
    for field, message in (("summary", "Write a summary before submitting."),
                           ("action_lines", "Choose at least one action line before submitting."),
                           ("format_other", "Describe the format you propose."),
                           ("duration_minutes", "Choose a duration before submitting.")):
        assert f'id="{field}-error">Needed to submit: {message}</p>' in page
    assert "There are 4 problems to fix" in page
    assert '<a href="#format_other">Other format: Needed to submit: Describe the format you propose.</a>' in page


def test_preview_lists_what_is_missing_and_offers_no_submit(app, client, login):
    consultation = make_consultation()
    owner = make_user()
    draft = make_proposal(consultation, owner, kind=ProposalKind.FORMAT, status=ProposalStatus.DRAFT, summary="",
                          format_code="other")
    db.session.commit()
    login(owner)

    page = client.get(f"/proposals/{draft.id}/preview").get_data(as_text=True)

    assert "2 things to complete before you can submit" in page
    assert "Summary: Write a summary before submitting." in page and "Other format: Describe the format you propose." in page
    assert "Submit the proposal" not in page


def test_submit_of_an_incomplete_draft_shows_every_problem_beside_its_field(app, client, login):
    consultation = make_consultation()
    owner = make_user()
    draft = make_proposal(consultation, owner, status=ProposalStatus.DRAFT, summary="", action_lines=())
    db.session.commit()
    login(owner)

    response = client.post(f"/proposals/{draft.id}/submit")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<p class="error" id="summary-error">Write a summary before submitting.</p>' in page
    assert '<p class="error" id="action_lines-error">Choose at least one action line before submitting.</p>' in page


def test_after_the_deadline_the_edit_page_says_since_when_and_offers_no_save(app, client, login):
    consultation = make_consultation(current=PhaseKind.REVIEW)
    owner = make_user()
    draft = make_proposal(consultation, owner, status=ProposalStatus.DRAFT)
    db.session.commit()
    login(owner)

    edit_page = client.get(f"/proposals/{draft.id}/edit").get_data(as_text=True)
    show_page = client.get(f"/proposals/{draft.id}").get_data(as_text=True)

    assert "The call for proposals closed on" in edit_page and 'name="save"' not in edit_page
    assert 'name="preview"' not in edit_page
    assert "Preview and submit" not in show_page and "can no longer be: you can still read it" in show_page


def test_a_stale_save_offers_to_keep_mine_or_take_the_saved_version(app, client, login):
    consultation = make_consultation()
    owner = make_user()
    proposal = make_proposal(consultation, owner, status=ProposalStatus.DRAFT, title="First title")
    db.session.commit()
    old_version = proposal.version_id
    content = ProposalContent.of(proposal)
    content.title = "Saved in the other tab"
    update_proposal(proposal, actor=owner, content=content)
    db.session.commit()
    login(owner)

    stale = client.post(f"/proposals/{proposal.id}/edit", data={
        "kind": "thematic", "forum_part": "themes_and_structure", "title": "Typed in this tab", "summary": "S",
        "version_id": str(old_version), "save": "1"})
    page = stale.get_data(as_text=True)
    again = client.post(f"/proposals/{proposal.id}/edit", data={
        "kind": "thematic", "forum_part": "themes_and_structure", "title": "Typed in this tab", "summary": "S",
        "version_id": str(proposal.version_id), "save": "1"})

    assert stale.status_code == 409
    assert '<td data-testid="saved-value">Saved in the other tab</td>' in page
    assert '<td data-testid="submitted-value">Typed in this tab</td>' in page
    assert f'href="/proposals/{proposal.id}/edit">reload the saved version</a>' in page
    assert again.status_code == 303
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).title == "Typed in this tab"


def test_owner_sees_the_revision_history_of_their_proposal(app, client, login):
    consultation = make_consultation()
    owner = make_user()
    proposal = make_proposal(consultation, owner, title="Before")
    db.session.commit()
    for title in ("Middle", "After"):
        content = ProposalContent.of(proposal)
        content.title = title
        update_proposal(proposal, actor=owner, content=content)
        db.session.commit()
    login(owner)

    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)

    assert "<h2 id=\"revisions-heading\">Revisions</h2>" in page
    assert "<del>Middle</del>" in page and "<ins>After</ins>" in page


def test_owner_deletes_a_never_submitted_draft_but_not_a_submitted_proposal(app, client, login):
    consultation = make_consultation()
    owner = make_user()
    draft = make_proposal(consultation, owner, status=ProposalStatus.DRAFT)
    submitted = make_proposal(consultation, owner)
    other = make_user(role=Role.STAKEHOLDER)
    db.session.commit()
    draft_id, submitted_id = draft.id, submitted.id
    login(other)
    assert client.post(f"/proposals/{draft_id}/delete").status_code == 404
    login(owner)

    deleted = client.post(f"/proposals/{draft_id}/delete")
    refused = client.post(f"/proposals/{submitted_id}/delete")

    assert deleted.status_code == 303
    assert refused.status_code == 422
    assert "Only a draft that was never submitted can be deleted" in refused.get_data(as_text=True)
    assert db.session.execute(sa.select(Proposal.id).order_by(Proposal.id)).scalars().all() == [submitted_id]
