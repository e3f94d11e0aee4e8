"""The error boundary: each kind of domain error answers the same way in proposals, review, clustering and agenda.

Refused in this phase: 403, the error page naming the phase and when it closed. Not allowed: 403. Stale version:
409, the form again with what was typed and the saved version beside it. Invalid: 422, the form again with what
was typed and the message next to its field. In every case nothing is written (not even an audit entry).
"""
from datetime import time

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.agenda.models import AgendaSession, Room
from consult.audit.models import AuditEntry
from consult.clustering.models import Cluster, ClusterMember
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalStatus
from consult.review.models import Review, ReviewState
from consult.review.services import ensure_default_criteria
from tests import factories
from tests.agenda.factories import make_cluster, make_days, make_room, make_session
from tests.proposals.conftest import form_data

PHASE_TITLE = '<h1>Closed in this phase <span class="status-code">(403)</span></h1>'
NOT_ALLOWED_TITLE = '<h1>Not allowed <span class="status-code">(403)</span></h1>'
# The versions sent here (99) were never saved by anyone the audit log knows of: who saved meanwhile is not said.
CONFLICT_MESSAGE = ("This was saved again in the meantime. The form holds what you typed and the table shows the saved "
                    "version beside it: check the differences, then send yours again to replace the saved version.")


def _audit_count() -> int:
    return db.session.execute(sa.select(sa.func.count(AuditEntry.id))).scalar_one()


def _field_error(field_id: str, message: str) -> str:
    """The markup of a message shown next to its field (see templates/macros/forms.html)."""
    return f'<p class="error" id="{field_id}-error">{message}</p>'


def _saved_beside_submitted(label: str, saved: str, submitted: str) -> str:
    return (f'<tr><th scope="row">{label}</th><td data-testid="saved-value">{saved}</td>'
            f'<td data-testid="submitted-value">{submitted}</td></tr>')


@pytest.fixture
def people(app):
    """A stakeholder, two reviewers and the chair."""
    made = {"stakeholder": factories.make_user(name="Grace Otieno"),
            "reviewer": factories.make_user(role=Role.REVIEWER, name="Lukas Berger"),
            "other_reviewer": factories.make_user(role=Role.REVIEWER, name="Mei Tanaka"),
            "chair": factories.make_user(role=Role.CHAIR, name="Amina Diallo")}
    db.session.commit()
    return made


def _reviewable(phase: PhaseKind, people):
    """A consultation in phase, with a submitted proposal assigned to the reviewer, who holds a draft review."""
    consultation = factories.make_consultation(current=phase)
    criteria = ensure_default_criteria(consultation)
    proposal = factories.make_proposal(consultation, people["stakeholder"], title="Rural broadband")
    factories.make_assignment(proposal, people["reviewer"])
    review = factories.make_review(proposal, people["reviewer"], {criterion: 3 for criterion in criteria},
                                   state=ReviewState.DRAFT, comment_to_committee="Saved comment")
    db.session.commit()
    return proposal, criteria, review


def _review_post(criteria, **extra) -> dict:
    data = {f"score_{criterion.id}": "4" for criterion in criteria}
    data.update(extra)
    return data


# --- refused in this phase: 403 with the phase and since when -------------------------------------------

def test_phase_closed_answers_403_with_the_form_kept_in_proposals(client, login, people):
    consultation = factories.make_consultation(current=PhaseKind.REVIEW)
    proposal = factories.make_proposal(consultation, people["stakeholder"], title="Before the deadline")
    db.session.commit()
    before = _audit_count()
    login(people["stakeholder"])

    response = client.post(f"/proposals/{proposal.id}/edit", data=form_data(title="After the deadline",
                                                                           version_id=str(proposal.version_id)))

    page = response.get_data(as_text=True)
    assert response.status_code == 403
    # A proposal's form is kept: the page shows the form again with what was typed and the reason on top.
    assert PHASE_TITLE not in page and 'value="After the deadline"' in page
    assert "This is only possible during the phase “Call for proposals open”, which closed on" in page
    assert 'data-testid="call-closed"' in page and 'name="save"' not in page
    db.session.expire_all()
    assert (db.session.get(Proposal, proposal.id).title, _audit_count()) == ("Before the deadline", before)


def test_phase_closed_answers_403_naming_the_phase_in_review(client, login, people):
    proposal, criteria, review = _reviewable(PhaseKind.AGENDA_DRAFTING, people)
    before = _audit_count()
    login(people["reviewer"])

    response = client.post(f"/review/proposals/{proposal.id}",
                           data=_review_post(criteria, comment_to_committee="Too late", save="1"))

    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert PHASE_TITLE in page
    assert "This is only possible during the phase “Review”, which closed on" in page
    db.session.expire_all()
    assert (db.session.get(Review, review.id).comment_to_committee, _audit_count()) == ("Saved comment", before)


def test_phase_closed_answers_403_naming_the_phase_in_clustering(client, login, people):
    factories.make_consultation(current=PhaseKind.REVIEW)
    db.session.commit()
    login(people["reviewer"])

    response = client.post("/clusters/new", data={"new-title": "Too early"})

    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert PHASE_TITLE in page
    assert "This is only possible during the phase “Agenda drafting”, which opens on" in page
    assert db.session.execute(sa.select(sa.func.count(Cluster.id))).scalar_one() == 0


def test_phase_closed_answers_403_naming_the_phase_in_agenda(client, login, people):
    factories.make_consultation(current=PhaseKind.REVIEW)
    db.session.commit()
    login(people["reviewer"])

    response = client.post("/agenda/sessions/new", data={"title": "Too early", "format_code": "thematic_workshop",
                                                         "track": "forum", "duration_minutes": "60",
                                                         "expected_audience": "40"})

    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert PHASE_TITLE in page
    assert "This is only possible during the phase “Agenda drafting”, which opens on" in page
    assert db.session.execute(sa.select(sa.func.count(AgendaSession.id))).scalar_one() == 0


# --- not allowed: 403 --------------------------------------------------------------------------------------

def test_not_allowed_answers_403_with_the_reason_in_proposals(client, login, people, make):
    consultation = factories.make_consultation()
    db.session.commit()
    other = make.make_user(name="Pierre Martin")
    db.session.commit()
    login(other)
    client.post("/proposals/new", data=form_data(creation_token="shared-token", title="Pierre's draft"))
    login(people["stakeholder"])
    before = _audit_count()

    response = client.post("/proposals/new", data=form_data(creation_token="shared-token", title="Grace's draft"))

    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert NOT_ALLOWED_TITLE in page
    assert "This form was already used by another account. Reload the page." in page
    titles = db.session.execute(sa.select(Proposal.title).where(Proposal.consultation_id == consultation.id)).scalars()
    assert (list(titles), _audit_count()) == (["Pierre's draft"], before)


@pytest.mark.parametrize("url", ["/review/queue", "/clusters/", "/agenda/sessions"])
def test_not_allowed_answers_403_the_same_in_review_clustering_and_agenda(client, login, people, url):
    factories.make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    db.session.commit()
    login(people["stakeholder"])

    response = client.get(url)

    assert response.status_code == 403
    assert NOT_ALLOWED_TITLE in response.get_data(as_text=True)


# --- stale version: 409 with both versions -----------------------------------------------------------------

def test_edit_conflict_answers_409_with_both_versions_in_proposals(client, login, people):
    consultation = factories.make_consultation()
    proposal = factories.make_proposal(consultation, people["stakeholder"], title="Saved title",
                                       status=ProposalStatus.DRAFT)
    db.session.commit()
    before = _audit_count()
    login(people["stakeholder"])

    response = client.post(f"/proposals/{proposal.id}/edit", data=form_data(title="Typed title", version_id="99"))

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert CONFLICT_MESSAGE in page
    assert _saved_beside_submitted("Title", "Saved title", "Typed title") in page
    assert 'value="Typed title"' in page
    assert f'<input id="version_id" name="version_id" type="hidden" value="{proposal.version_id}">' in page
    db.session.expire_all()
    assert (db.session.get(Proposal, proposal.id).title, _audit_count()) == ("Saved title", before)


def test_edit_conflict_answers_409_with_both_versions_in_review(client, login, people):
    proposal, criteria, review = _reviewable(PhaseKind.REVIEW, people)
    before = _audit_count()
    login(people["reviewer"])

    response = client.post(f"/review/proposals/{proposal.id}", data=_review_post(
        criteria, comment_to_committee="Typed comment", version_id="99", save="1"))

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert CONFLICT_MESSAGE in page
    assert _saved_beside_submitted("Comment to the committee", "Saved comment", "Typed comment") in page
    assert 'name="comment_to_committee">\r\nTyped comment</textarea>' in page
    db.session.expire_all()
    assert (db.session.get(Review, review.id).comment_to_committee, _audit_count()) == ("Saved comment", before)


def test_edit_conflict_answers_409_with_both_versions_in_clustering(client, login, people):
    drafting = factories.make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    cluster = make_cluster(drafting, [factories.make_proposal(drafting)], title="Saved cluster title")
    db.session.commit()
    before = _audit_count()
    login(people["reviewer"])

    response = client.post(f"/clusters/{cluster.id}", data={"title": "Typed cluster title", "description": "",
                                                            "version_id": "99"})

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert CONFLICT_MESSAGE in page
    assert _saved_beside_submitted("Title", "Saved cluster title", "Typed cluster title") in page
    assert 'value="Typed cluster title"' in page
    db.session.expire_all()
    assert (db.session.get(Cluster, cluster.id).title, _audit_count()) == ("Saved cluster title", before)


def test_edit_conflict_answers_409_with_both_versions_in_agenda(client, login, people):
    drafting = factories.make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    session = make_session(drafting, title="Saved session title", audience=40)
    db.session.commit()
    before = _audit_count()
    login(people["reviewer"])

    response = client.post(f"/agenda/sessions/{session.id}", data={
        "title": "Typed session title", "format_code": "thematic_workshop", "track": "forum",
        "duration_minutes": "60", "expected_audience": "40", "action_lines": ["C4"], "version_id": "99"})

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert CONFLICT_MESSAGE in page
    assert _saved_beside_submitted("Title", "Saved session title", "Typed session title") in page
    assert 'value="Typed session title"' in page
    db.session.expire_all()
    assert (db.session.get(AgendaSession, session.id).title, _audit_count()) == ("Saved session title", before)


# --- invalid: 422 with the message next to the field and the typed values ----------------------------------

def test_invalid_answers_422_next_to_the_field_in_proposals(client, login, people):
    consultation = factories.make_consultation()
    db.session.commit()
    login(people["stakeholder"])

    response = client.post("/proposals/new", data=form_data(title="Typed title", description="word " * 2001))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _field_error("description", "The description has 2001 words; at most 2000 are allowed.") in page
    assert 'value="Typed title"' in page
    assert db.session.execute(sa.select(sa.func.count(Proposal.id))
                              .where(Proposal.consultation_id == consultation.id)).scalar_one() == 0


def test_invalid_answers_422_next_to_the_field_in_review(client, login, people):
    proposal, criteria, review = _reviewable(PhaseKind.REVIEW, people)
    before = _audit_count()
    login(people["reviewer"])

    response = client.post(f"/review/proposals/{proposal.id}", data=_review_post(
        criteria, comment_to_committee="Typed comment", version_id=str(review.version_id), submit="1"))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _field_error("recommendation", "Choose a recommendation before submitting.") in page
    assert 'name="comment_to_committee">\r\nTyped comment</textarea>' in page
    db.session.expire_all()
    saved = db.session.get(Review, review.id)
    assert (saved.state, saved.comment_to_committee, _audit_count()) == (ReviewState.DRAFT, "Saved comment", before)


def test_invalid_answers_422_next_to_the_field_in_clustering(client, login, people):
    drafting = factories.make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    first, second = factories.make_proposal(drafting), factories.make_proposal(drafting)
    cluster = make_cluster(drafting, [first, second], title="Broadband")
    db.session.commit()
    before = _audit_count()
    login(people["reviewer"])

    response = client.post(f"/clusters/{cluster.id}/duplicate", data={
        "proposal_id": str(first.id), "duplicate_of_id": str(first.id), "version_id": str(cluster.version_id)})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _field_error("duplicate_of_id", "Choose another proposal of this cluster as the original.") in page
    assert f'<option selected value="{first.id}">' in page
    duplicates = db.session.execute(sa.select(ClusterMember.duplicate_of_id)).scalars().all()
    assert (duplicates, _audit_count()) == ([None, None], before)


def test_invalid_answers_422_next_to_the_field_in_agenda(client, login, people):
    drafting = factories.make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    make_days(drafting, 1, starts_at=time(9), ends_at=time(18))
    make_room(drafting, name="Room A", capacity=100)
    db.session.commit()
    before = _audit_count()
    login(people["chair"])

    response = client.post("/agenda/rooms", data={"name": "Room A", "capacity": "321"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _field_error("name", "A room with this name exists already.") in page
    assert 'value="321"' in page
    rooms = db.session.execute(sa.select(Room.name, Room.capacity)).all()
    assert ([tuple(row) for row in rooms], _audit_count()) == ([("Room A", 100)], before)
