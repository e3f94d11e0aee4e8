"""Sessions whose cluster's submitters declined the merge or never answered: flagged to the chair, publishing confirmed."""
from datetime import time

import pytest
import sqlalchemy as sa

from consult.agenda.models import AgendaVersion, AgendaVersionKind
from consult.agenda.services import publish_agenda
from consult.audit.models import AuditEntry
from consult.clustering.models import Cluster, ClusterMember, ConsentState, MergeConsent
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from tests import factories
from tests.agenda.factories import make_days, make_room, make_session


@pytest.fixture
def merged(commenting):
    """A scheduled session made from a cluster of three submitters' proposals: one declined, one silent, one agreed."""
    submitters = [factories.make_user(name=f"Submitter {i}", organization=f"Organization {i}") for i in range(3)]
    proposals = [factories.make_proposal(commenting, submitter, title=f"Older people {i}")
                 for i, submitter in enumerate(submitters)]
    cluster = Cluster(consultation_id=commenting.id, title="Skills for older people")
    cluster.members = [ClusterMember(proposal_id=proposal.id) for proposal in proposals]
    db.session.add(cluster)
    db.session.flush()
    states = (ConsentState.DECLINED, ConsentState.PENDING, ConsentState.ACCEPTED)
    for proposal, state in zip(proposals, states, strict=True):
        db.session.add(MergeConsent(cluster_id=cluster.id, proposal_id=proposal.id, state=state,
                                    comment="We run our own session" if state is ConsentState.DECLINED else "",
                                    answered_at=None if state is ConsentState.PENDING else utcnow()))
    days = make_days(commenting, 1)
    room = make_room(commenting, name="Room A", capacity=200)
    session = make_session(commenting, title="Skills for older people (C4)", day=days[0], room=room, start=time(10))
    session.cluster_id = cluster.id
    plain = make_session(commenting, title="Plain session", day=days[0], room=room, start=time(14))
    db.session.commit()
    return {"session": session, "plain": plain, "proposals": proposals, "cluster": cluster}


def test_publishing_a_session_with_a_declined_consent_needs_publish_anyway(commenting, chair, merged):
    with pytest.raises(DomainError) as refused:
        publish_agenda(commenting, actor=chair)

    assert refused.value.field == "publish_anyway"
    assert str(refused.value.message) == (
        "1 session names as organizer a submitter who declined the merge. Change it first, or tick “Publish anyway” "
        "if the submitter agreed in another way.")
    version = publish_agenda(commenting, actor=chair, publish_anyway=True)
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "agenda.publish")).scalar_one()
    assert version.number == 1
    assert entry.details["unsettled_consents"] == {
        str(merged["session"].id): [f"{merged['proposals'][0].reference}: declined",
                                    f"{merged['proposals'][1].reference}: pending"]}


def test_a_draft_may_go_out_while_answers_are_awaited_but_not_the_final_agenda(commenting, chair, merged):
    declined = db.session.execute(sa.select(MergeConsent).where(MergeConsent.state == ConsentState.DECLINED)).scalar_one()
    declined.state = ConsentState.ACCEPTED
    db.session.flush()

    draft = publish_agenda(commenting, actor=chair)
    with pytest.raises(DomainError) as refused:
        publish_agenda(commenting, actor=chair, kind=AgendaVersionKind.FINAL)

    assert draft.kind is AgendaVersionKind.DRAFT
    assert str(refused.value.message).startswith("1 session of the final agenda names as organizer a submitter who "
                                                 "never answered the merge request.")


def test_publish_page_lists_the_consents_and_refuses_without_the_tick(client, login, commenting, chair, merged):
    login(chair)
    first, second = merged["proposals"][:2]

    page = client.get("/agenda/publish").get_data(as_text=True)
    refused = client.post("/agenda/publish", data={"kind": "draft", "note": "For comment"})
    published = client.post("/agenda/publish", data={"kind": "draft", "note": "For comment", "publish_anyway": "y"})

    assert 'data-testid="merge-consents"' in page
    assert f"<strong>{first.reference}</strong>, <bdi>Organization 0</bdi>:" in page
    assert "“<bdi>We run our own session</bdi>”" in page
    assert f"<strong>{second.reference}</strong>, <bdi>Organization 1</bdi>:" in page and "no answer yet (asked on" in page
    assert 'name="publish_anyway"' in page
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'id="publish_anyway-error"' in text and "For comment" in text
    assert published.status_code == 302
    assert db.session.execute(sa.select(sa.func.count(AgendaVersion.id))).scalar_one() == 1


def test_publish_page_without_unsettled_consents_asks_nothing(client, login, commenting, chair, merged):
    db.session.execute(sa.delete(MergeConsent))
    db.session.commit()
    login(chair)

    page = client.get("/agenda/publish").get_data(as_text=True)

    assert 'data-testid="merge-consents"' not in page and 'name="publish_anyway"' not in page


def test_session_page_list_and_schedule_flag_the_session(client, login, commenting, chair, merged):
    login(chair)
    session, plain = merged["session"], merged["plain"]

    edit = client.get(f"/agenda/sessions/{session.id}").get_data(as_text=True)
    plain_edit = client.get(f"/agenda/sessions/{plain.id}").get_data(as_text=True)
    listing = client.get("/agenda/sessions").get_data(as_text=True)
    schedule = client.get("/agenda/schedule").get_data(as_text=True)

    assert "Not every submitter agreed to this merge" in edit
    assert f"<strong>{merged['proposals'][0].reference}</strong>, <bdi>Organization 0</bdi>:" in edit
    assert f"<strong>{merged['proposals'][2].reference}</strong>" not in edit
    assert "Not every submitter agreed to this merge" not in plain_edit
    assert '<span class="badge badge-error">1 submitter declined the merge</span>' in listing
    assert '<span class="badge badge-warn">1 merge answer awaited</span>' in listing
    assert "Merges not agreed by every submitter" in schedule and "Skills for older people (C4)" in schedule


def test_blind_review_hides_the_organizations_from_a_reviewer(client, login, commenting, reviewer, merged):
    commenting.is_blind_review = True
    db.session.commit()
    login(reviewer)

    edit = client.get(f"/agenda/sessions/{merged['session'].id}").get_data(as_text=True)

    assert f"<strong>{merged['proposals'][0].reference}</strong>:" in edit
    assert "Organization 0" not in edit and "Submitter 0" not in edit
