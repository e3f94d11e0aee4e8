"""The proposal pages: stakeholder flows, visibility, the deadline gate, lists, chair overview and export."""
import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.consultations.models import PhaseKind
from consult.db import utcnow
from consult.extensions import db
from consult.outbox.models import MessageState, OutboxMessage
from consult.proposals.models import Decision, Proposal, ProposalKind, ProposalStatus
from consult.reference import StakeholderType
from tests.factories import make_proposal, make_user
from tests.proposals.conftest import form_data


def _proposals():
    return db.session.execute(sa.select(Proposal).order_by(Proposal.id)).scalars().all()


def test_new_shows_limits_and_a_creation_token(client, login, consultation, stakeholder):
    login(stakeholder)

    page = client.get("/proposals/new?kind=format").get_data(as_text=True)

    assert "At most 200 characters." in page
    assert "At most 1500 characters." in page
    assert "At most about 2000 words." in page
    assert 'name="creation_token" type="hidden" value="' in page
    assert 'id="speakers-1-name"' in page and 'id="speakers-2-name"' not in page


def test_new_twice_with_same_token_makes_one_draft(client, login, consultation, stakeholder):
    login(stakeholder)

    first = client.post("/proposals/new", data=form_data())
    second = client.post("/proposals/new", data=form_data())

    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert [p.title for p in _proposals()] == ["Community networks for rural schools"]


def test_new_add_speaker_adds_a_row_without_saving(client, login, consultation, stakeholder):
    login(stakeholder)

    response = client.post("/proposals/new", data=form_data(kind="format", add_speaker="Add another speaker",
                                                            **{"speakers-0-name": "Ana", "speakers-1-name": ""}))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="speakers-2-name"' in page and 'value="Ana"' in page
    assert _proposals() == []


def test_new_format_proposal_ignores_empty_speaker_rows(client, login, consultation, stakeholder):
    login(stakeholder)

    client.post("/proposals/new", data=form_data(kind="format", format_code="knowledge_cafe", duration_minutes="90",
                                                 **{"speakers-0-name": "", "speakers-1-name": "Kwame Mensah",
                                                    "speakers-1-country": "GH", "speakers-1-is_confirmed": "y"}))

    proposal = _proposals()[0]
    assert [(s.name, s.country, s.is_confirmed, s.position) for s in proposal.speakers] == [("Kwame Mensah", "GH", True, 0)]


def test_new_title_too_long_rerenders_with_input_and_422(client, login, consultation, stakeholder):
    login(stakeholder)

    response = client.post("/proposals/new", data=form_data(title="x" * 201, summary="kept summary"))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Field cannot be longer than 200 characters." in page and "kept summary" in page


def test_full_flow_preview_submit_confirmation_and_email(client, login, consultation, stakeholder):
    login(stakeholder)
    created = client.post("/proposals/new", data=form_data(preview="Save and preview"))
    preview_url = created.headers["Location"]
    proposal = _proposals()[0]

    preview = client.get(preview_url).get_data(as_text=True)
    submitted = client.post(f"/proposals/{proposal.id}/submit")
    confirmation = client.get(submitted.headers["Location"]).get_data(as_text=True)

    assert preview_url == f"/proposals/{proposal.id}/preview"
    assert "Submit the proposal" in preview and "No submitted proposal looks close to yours." in preview
    assert submitted.headers["Location"] == f"/proposals/{proposal.id}/submitted"
    assert 'has the reference <bdi dir="ltr">P-0001</bdi>.' in confirmation
    message = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    assert (message.recipient, message.state) == (stakeholder.email, MessageState.LOGGED)


def _similar_pair(consultation, stakeholder, other_stakeholder, *, published: bool, blind: bool):
    consultation.submissions_published, consultation.is_blind_review = published, blind
    make_proposal(consultation, other_stakeholder, title="Community networks connecting rural schools",
                  summary="Community networks bring connectivity to rural schools.", action_lines=("C2",))
    draft = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT, title="Rural schools and community networks",
                          summary="Connecting rural schools with community networks.", action_lines=("C2",))
    db.session.commit()
    return draft


def test_preview_lists_similar_submitted_proposals_with_invitation(client, login, consultation, stakeholder, other_stakeholder):
    draft = _similar_pair(consultation, stakeholder, other_stakeholder, published=True, blind=False)
    login(stakeholder)

    page = client.get(f"/proposals/{draft.id}/preview").get_data(as_text=True)

    assert "Consider contacting their authors to join forces" in page
    assert "Community networks connecting rural schools" in page and "Paris Digital Lab" in page


def test_preview_before_publication_only_counts_other_stakeholders_similar_proposals(client, login, consultation,
                                                                                     stakeholder, other_stakeholder):
    draft = _similar_pair(consultation, stakeholder, other_stakeholder, published=False, blind=False)
    login(stakeholder)

    page = client.get(f"/proposals/{draft.id}/preview").get_data(as_text=True)

    assert "1 proposal of another stakeholder looks close to yours. The submissions are not published yet" in page
    assert "Community networks connecting rural schools" not in page and "Paris Digital Lab" not in page


def test_preview_while_review_is_blind_shows_published_titles_without_organizations(client, login, consultation,
                                                                                   stakeholder, other_stakeholder):
    draft = _similar_pair(consultation, stakeholder, other_stakeholder, published=True, blind=True)
    login(stakeholder)

    page = client.get(f"/proposals/{draft.id}/preview").get_data(as_text=True)

    assert "Community networks connecting rural schools" in page and "Paris Digital Lab" not in page


def test_submit_crafted_post_after_deadline_is_refused_with_message(client, login, consultation, stakeholder):
    draft = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT)
    consultation.phase(PhaseKind.CALL_OPEN).closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    login(stakeholder)

    response = client.post(f"/proposals/{draft.id}/submit")

    assert response.status_code == 403
    assert "only possible during the phase “Call for proposals open”, which closed on" in response.get_data(as_text=True)
    assert db.session.get(Proposal, draft.id).status is ProposalStatus.DRAFT


def test_edit_crafted_post_after_deadline_is_refused(client, login, consultation, stakeholder):
    proposal = make_proposal(consultation, stakeholder, title="Before")
    consultation.phase(PhaseKind.CALL_OPEN).closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    login(stakeholder)

    response = client.post(f"/proposals/{proposal.id}/edit", data=form_data(title="After"))

    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).title == "Before"


def test_new_crafted_post_after_deadline_is_refused(client, login, app, stakeholder):
    from tests.factories import make_consultation

    make_consultation(current=PhaseKind.REVIEW)
    db.session.commit()
    login(stakeholder)

    response = client.post("/proposals/new", data=form_data())

    assert response.status_code == 403
    assert _proposals() == []


def test_edit_submitted_proposal_keeps_revision_for_chair(client, login, consultation, stakeholder, chair):
    login(stakeholder)
    client.post("/proposals/new", data=form_data())
    proposal = _proposals()[0]
    client.post(f"/proposals/{proposal.id}/submit")

    response = client.post(f"/proposals/{proposal.id}/edit",
                           data=form_data(summary="Connecting remote schools.", version_id=str(proposal.version_id)))
    from flask import g
    g.pop("_login_user", None)
    login(chair)
    page = client.get(f"/proposals/chair/{proposal.id}").get_data(as_text=True)

    assert response.status_code == 303
    assert "Revision 2" in page and "<del>rural</del>" in page and "<ins>remote</ins>" in page


def test_edit_with_stale_version_is_a_409(client, login, consultation, stakeholder):
    proposal = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT, title="Mine")
    db.session.commit()
    login(stakeholder)

    response = client.post(f"/proposals/{proposal.id}/edit", data=form_data(title="Changed", version_id="999"))

    assert response.status_code == 409
    assert "This was saved again in the meantime. The form holds what you typed" in response.get_data(as_text=True)


def test_other_stakeholder_cannot_read_or_edit_my_draft(client, login, consultation, stakeholder, other_stakeholder):
    draft = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT, title="Secret plan for rural schools")
    consultation.submissions_published = True
    db.session.commit()
    login(other_stakeholder)

    responses = [client.get(f"/proposals/{draft.id}"), client.get(f"/proposals/{draft.id}/edit"),
                 client.post(f"/proposals/{draft.id}/edit", data=form_data(title="Hijacked")),
                 client.get(f"/proposals/{draft.id}/preview"), client.post(f"/proposals/{draft.id}/submit"),
                 client.post(f"/proposals/{draft.id}/withdraw")]
    listing = client.get("/proposals/").get_data(as_text=True) + client.get("/proposals/mine").get_data(as_text=True)

    assert [response.status_code for response in responses] == [404] * 6
    assert all("Secret plan" not in response.get_data(as_text=True) for response in responses)
    assert "Secret plan" not in listing
    db.session.expire_all()
    assert db.session.get(Proposal, draft.id).title == "Secret plan for rural schools"


def test_chair_does_not_see_drafts(client, login, consultation, stakeholder, chair):
    draft = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT, title="Unfinished idea")
    make_proposal(consultation, stakeholder, title="Finished idea")
    db.session.commit()
    login(chair)

    overview = client.get("/proposals/chair").get_data(as_text=True)

    assert client.get(f"/proposals/{draft.id}").status_code == 404
    assert "Finished idea" in overview and "Unfinished idea" not in overview


def test_reviewer_cannot_read_unpublished_proposal_outside_the_review_area(client, login, consultation, stakeholder):
    # Regression: /proposals/<id> let every reviewer read any submitted proposal, with its speakers, around blind
    # review and declared conflicts; the review area is their only way in.
    from consult.accounts.models import Role
    from consult.review.models import Conflict
    from tests.factories import make_assignment

    consultation.is_blind_review = True
    proposal = make_proposal(consultation, stakeholder, kind=ProposalKind.FORMAT, title="Blind community networks", speakers=1)
    assigned = make_user(role=Role.REVIEWER)
    conflicted = make_user(role=Role.REVIEWER)
    make_assignment(proposal, assigned)
    db.session.add(Conflict(reviewer_id=conflicted.id, proposal_id=proposal.id, reason="Same employer"))
    db.session.commit()

    answers = {}
    for name, user in (("assigned", assigned), ("conflicted", conflicted)):
        login(user)
        response = client.get(f"/proposals/{proposal.id}")
        answers[name] = (response.status_code, "Speaker org" in response.get_data(as_text=True))

    assert answers == {"assigned": (404, False), "conflicted": (404, False)}


def test_withdraw_with_reason(client, login, consultation, stakeholder):
    proposal = make_proposal(consultation, stakeholder, title="To withdraw")
    db.session.commit()
    login(stakeholder)

    response = client.post(f"/proposals/{proposal.id}/withdraw", data={"reason": "Joined another proposal"})
    page = client.get("/proposals/mine").get_data(as_text=True)

    assert response.headers["Location"] == "/proposals/mine"
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).withdraw_reason == "Joined another proposal"
    assert "Withdrawn; it will not be reviewed." in page


def test_mine_shows_status_decision_and_next_step(client, login, consultation, stakeholder):
    make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT, title="A draft")
    make_proposal(consultation, stakeholder, title="Accepted one", decision=Decision.ACCEPTED)
    make_proposal(consultation, stakeholder, title="Pending one")
    db.session.commit()
    login(stakeholder)

    page = client.get("/proposals/mine").get_data(as_text=True)

    assert "Not sent yet." in page
    assert "Accepted: the committee is building the sessions of the draft agenda." in page
    assert "Received. You can still edit it." in page
    assert "3 proposals" in page


def test_public_list_needs_publication(client, consultation, stakeholder):
    make_proposal(consultation, stakeholder, title="Visible when published")
    db.session.commit()

    before = client.get("/proposals/").get_data(as_text=True)
    consultation.submissions_published = True
    db.session.commit()
    after = client.get("/proposals/").get_data(as_text=True)

    assert "not published yet" in before and "Visible when published" not in before
    assert "Visible when published" in after


def test_public_list_search_and_filters(client, consultation, stakeholder, other_stakeholder):
    consultation.submissions_published = True
    make_proposal(consultation, stakeholder, title="Health data in Africa", action_lines=("C7-EHEALTH",), sdgs=(3,))
    make_proposal(consultation, other_stakeholder, title="Cybersecurity in Europe", action_lines=("C5",), sdgs=(16,),
                  keywords="trust, CERT", kind=ProposalKind.FORMAT)
    make_proposal(consultation, stakeholder, title="Withdrawn health idea", status=ProposalStatus.WITHDRAWN)
    make_proposal(consultation, stakeholder, title="Drafted health idea", status=ProposalStatus.DRAFT)
    db.session.commit()

    def titles(query):
        page = client.get(f"/proposals/?{query}").get_data(as_text=True)
        return [title for title in ("Health data in Africa", "Cybersecurity in Europe", "Withdrawn health idea",
                                    "Drafted health idea") if title in page]

    assert titles("") == ["Health data in Africa", "Cybersecurity in Europe"]
    assert titles("q=HEALTH") == ["Health data in Africa"]
    assert titles("q=cert") == ["Cybersecurity in Europe"]
    assert titles("q=100%25") == []
    assert titles("kind=format") == ["Cybersecurity in Europe"]
    assert titles("action_line=C7") == ["Health data in Africa"]
    assert titles("sdg=16") == ["Cybersecurity in Europe"]
    assert titles("stakeholder_type=private_sector") == ["Cybersecurity in Europe"]
    assert titles("region=africa") == ["Health data in Africa"]
    assert titles("region=mars&sdg=99") == ["Health data in Africa", "Cybersecurity in Europe"]


def test_public_detail_of_withdrawn_proposal_is_404_for_anonymous(client, consultation, stakeholder):
    consultation.submissions_published = True
    withdrawn = make_proposal(consultation, stakeholder, status=ProposalStatus.WITHDRAWN)
    shown = make_proposal(consultation, stakeholder, title="Shown")
    db.session.commit()

    assert client.get(f"/proposals/{withdrawn.id}").status_code == 404
    assert "Shown" in client.get(f"/proposals/{shown.id}").get_data(as_text=True)


def test_chair_overview_counts_by_dimension(client, login, consultation, chair):
    kenyan = make_user(country="KE", stakeholder_type=StakeholderType.GOVERNMENT)
    french = make_user(country="FR", stakeholder_type=StakeholderType.ACADEMIA)
    make_proposal(consultation, kenyan, action_lines=("C4", "C7-EGOV"), sdgs=(4, 5))
    make_proposal(consultation, kenyan, action_lines=("C4",), sdgs=(4,), kind=ProposalKind.FORMAT)
    make_proposal(consultation, french, action_lines=("C5",), sdgs=(16,), status=ProposalStatus.WITHDRAWN)
    db.session.commit()
    login(chair)
    from consult.proposals.listing import count_proposals
    from consult.proposals.queries import ProposalFilters

    counts = count_proposals(consultation.id, ProposalFilters())
    page = client.get("/proposals/chair?region=africa").get_data(as_text=True)

    assert counts.total == 3
    assert counts.by_kind == [("Thematic", 2), ("Format", 1)]
    assert dict(counts.by_region) == {"Africa": 2, "The Americas": 0, "Asia and the Pacific": 0, "Europe": 1}
    assert dict(counts.by_stakeholder_type)["Government"] == 2
    assert dict(counts.by_action_line)["C4 Capacity building"] == 2
    assert dict(counts.by_action_line)["C7 E-government"] == 1
    assert dict(counts.by_sdg)["4 Quality education"] == 2
    assert "2 proposals (submitted or withdrawn) match." in page


def test_chair_export_csv_has_bom_and_neutralised_formulas(client, login, consultation, chair, stakeholder):
    make_proposal(consultation, stakeholder, title="=HYPERLINK(\"http://evil\")", summary="+1 and more",
                  keywords="@risk")
    make_proposal(consultation, stakeholder, title="Ordinary, with comma")
    db.session.commit()
    login(chair)

    response = client.get("/proposals/chair/export.csv")

    body = response.get_data().decode("utf-8")
    assert response.mimetype == "text/csv"
    assert body.startswith("\ufeffReference,Kind,Status,Decision,Title,Language,Summary")
    assert "'=HYPERLINK(\"\"http://evil\"\")" in body
    assert "'+1 and more" in body and "'@risk" in body
    assert '"Ordinary, with comma"' in body
    assert len(body.strip().splitlines()) == 3


def test_chair_export_reads_as_labels_in_the_chair_language(client, login, consultation, chair, stakeholder):
    proposal = make_proposal(consultation, stakeholder, title="Rural schools", action_lines=["C7-ELEARN"], sdgs=[4])
    proposal.format_code, proposal.language, proposal.country = "country_workshop", "en", "KE"
    db.session.commit()
    login(chair)

    rows = list(csv.reader(io.StringIO(client.get("/proposals/chair/export.csv?lang=fr").get_data().decode("utf-8-sig"))))

    assert rows[0][:6] == ["Référence", "Nature", "Statut", "Décision", "Titre", "Langue"]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["Langue"], record["Pays"], record["ODD"]) == ("Anglais", "Kenya", "4 Éducation de qualité")
    assert record["Grandes orientations"].startswith("C7 ") and "C7-ELEARN" not in rows[1]
    assert "country_workshop" not in rows[1] and record["Format"] != ""


@pytest.mark.parametrize("endpoint", ["/proposals/chair", "/proposals/chair/export.csv", "/proposals/import"])
def test_chair_pages_refuse_stakeholders(client, login, consultation, stakeholder, endpoint):
    login(stakeholder)

    assert client.get(endpoint).status_code == 403


def test_submit_by_an_unconfirmed_account_is_refused_with_the_reason(client, login, consultation):
    from tests.factories import make_user

    unverified = make_user(email="new@example.org", is_verified=False)
    draft = make_proposal(consultation, unverified, status=ProposalStatus.DRAFT)
    db.session.commit()
    login(unverified)

    response = client.post(f"/proposals/{draft.id}/submit")

    assert response.status_code == 422
    assert ("Confirm your e-mail address before you submit: open the link we sent to new@example.org"
            in response.get_data(as_text=True))
    assert 'name="title"' in response.get_data(as_text=True)
    assert db.session.get(Proposal, draft.id).status is ProposalStatus.DRAFT
