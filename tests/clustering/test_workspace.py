"""Cluster workspace services: every change, its audit entry, version checks, duplicates and merge consent."""
import pytest
import sqlalchemy as sa

from consult.audit.models import AuditEntry
from consult.clustering.consent import answer_merge_consent, contributing_organizations
from consult.clustering.models import Cluster, ClusterMember, ConsentState, MergeConsent
from consult.clustering.queries import consents_of_user, pending_consent_count
from consult.clustering.workspace import (
    add_proposals_to_new_cluster,
    create_cluster,
    delete_cluster,
    mark_duplicate,
    merge_clusters,
    move_proposals,
    remove_proposals,
    split_cluster,
    update_cluster,
)
from consult.consultations.models import PhaseKind
from consult.errors import DomainError, EditConflictError, NotAllowedError, PhaseClosedError
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.reference import in_reader_language
from tests.factories import make_consultation, make_proposal, make_user


def _actions():
    return [entry.action for entry in db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.id)).scalars()]


@pytest.fixture
def two_submitters(drafting):
    first = make_user(name="Ana Ruiz", organization="Red Rural", email="ana@example.org")
    second = make_user(name="Ben Osei", organization="Ghana Connect", email="ben@example.org")
    proposals = [make_proposal(drafting, first, title="Rural fibre"), make_proposal(drafting, first, title="Rural towers"),
                 make_proposal(drafting, second, title="Village wifi")]
    db.session.commit()
    return first, second, proposals


def test_create_and_update_cluster_audited_and_versioned(drafting, reviewer):
    cluster = create_cluster(drafting, actor=reviewer, title=" Connectivity ", description="About access.")
    db.session.commit()
    version = cluster.version_id

    update_cluster(cluster, actor=reviewer, expected_version=version, title="Rural connectivity", description="New.")
    db.session.commit()

    assert (cluster.title, cluster.description, cluster.version_id) == ("Rural connectivity", "New.", version + 1)
    assert _actions()[-2:] == ["cluster.create", "cluster.update"]
    with pytest.raises(EditConflictError):
        update_cluster(cluster, actor=reviewer, expected_version=version, title="Stale", description="")
    assert db.session.get(Cluster, cluster.id).title == "Rural connectivity"


def test_member_change_moves_the_version_on(drafting, reviewer, two_submitters):
    _, _, proposals = two_submitters
    cluster = add_proposals_to_new_cluster(drafting, actor=reviewer, title="A", proposal_ids=[p.id for p in proposals])
    db.session.commit()
    version = cluster.version_id

    remove_proposals(cluster, actor=reviewer, expected_version=version, proposal_ids=[proposals[2].id])
    db.session.commit()

    assert cluster.version_id == version + 1
    assert [m.proposal_id for m in cluster.members] == [proposals[0].id, proposals[1].id]
    with pytest.raises(EditConflictError):
        remove_proposals(cluster, actor=reviewer, expected_version=version, proposal_ids=[proposals[0].id])


def test_move_split_merge_delete(drafting, reviewer, two_submitters):
    _, _, proposals = two_submitters
    first = add_proposals_to_new_cluster(drafting, actor=reviewer, title="First", proposal_ids=[p.id for p in proposals])
    second = create_cluster(drafting, actor=reviewer, title="Second")

    move_proposals(first, actor=reviewer, expected_version=first.version_id, proposal_ids=[proposals[0].id], target=second)
    third = split_cluster(first, actor=reviewer, expected_version=first.version_id, proposal_ids=[proposals[1].id],
                          title="Third")
    db.session.commit()
    assert [m.proposal_id for m in second.members] == [proposals[0].id]
    assert [m.proposal_id for m in third.members] == [proposals[1].id]
    assert [m.proposal_id for m in first.members] == [proposals[2].id]

    merge_clusters(second, actor=reviewer, expected_version=second.version_id, other=third)
    delete_cluster(first, actor=reviewer, expected_version=first.version_id)
    db.session.commit()

    assert db.session.execute(sa.select(Cluster.title)).scalars().all() == ["Second"]
    assert sorted(db.session.execute(sa.select(ClusterMember.proposal_id)).scalars()) == [proposals[0].id, proposals[1].id]
    assert {"cluster.move_proposals", "cluster.split", "cluster.merge", "cluster.delete"} <= set(_actions())


def test_split_and_move_refuse_bad_choices(drafting, reviewer, two_submitters):
    _, _, proposals = two_submitters
    cluster = add_proposals_to_new_cluster(drafting, actor=reviewer, title="A", proposal_ids=[proposals[0].id])
    outside = make_proposal(drafting)

    with pytest.raises(DomainError) as whole:
        split_cluster(cluster, actor=reviewer, expected_version=None, proposal_ids=[proposals[0].id], title="B")
    with pytest.raises(DomainError) as foreign:
        remove_proposals(cluster, actor=reviewer, expected_version=None, proposal_ids=[outside.id])
    with pytest.raises(DomainError) as itself:
        move_proposals(cluster, actor=reviewer, expected_version=None, proposal_ids=[proposals[0].id], target=cluster)

    assert whole.value.message == "Leave at least one proposal in the cluster: rename it instead."
    assert foreign.value.field == "proposal_ids"
    assert itself.value.field == "target"


def test_mark_duplicate_within_the_cluster(drafting, reviewer, two_submitters):
    _, _, proposals = two_submitters
    cluster = add_proposals_to_new_cluster(drafting, actor=reviewer, title="A", proposal_ids=[p.id for p in proposals])
    outside = make_proposal(drafting)

    member = mark_duplicate(cluster, actor=reviewer, expected_version=cluster.version_id,
                            proposal_id=proposals[1].id, duplicate_of_id=proposals[0].id)

    assert member.duplicate_of_id == proposals[0].id
    with pytest.raises(DomainError):
        mark_duplicate(cluster, actor=reviewer, expected_version=None, proposal_id=proposals[2].id,
                       duplicate_of_id=outside.id)
    with pytest.raises(DomainError):
        mark_duplicate(cluster, actor=reviewer, expected_version=None, proposal_id=proposals[2].id,
                       duplicate_of_id=proposals[1].id)
    remove_proposals(cluster, actor=reviewer, expected_version=None, proposal_ids=[proposals[0].id])
    assert member.duplicate_of_id is None


def test_workspace_refused_outside_phase_and_to_stakeholders(app, reviewer, stakeholder):
    public_comment = make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    with pytest.raises(PhaseClosedError):
        create_cluster(public_comment, actor=reviewer, title="Late")
    drafting = make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    with pytest.raises(NotAllowedError):
        create_cluster(drafting, actor=stakeholder, title="Not mine")
    with pytest.raises(DomainError) as blank:
        create_cluster(drafting, actor=reviewer, title="  ")
    assert blank.value.field == "title"


def test_consent_asked_of_each_submitter_with_an_email(drafting, reviewer, two_submitters):
    first, second, proposals = two_submitters
    drafting.is_blind_review = False  # the organizations are named once review is not blind

    cluster = add_proposals_to_new_cluster(drafting, actor=reviewer, title="Rural access",
                                           proposal_ids=[p.id for p in proposals])
    db.session.commit()

    consents = db.session.execute(sa.select(MergeConsent).order_by(MergeConsent.proposal_id)).scalars().all()
    assert [(c.proposal_id, c.state) for c in consents] == [(p.id, ConsentState.PENDING) for p in proposals]
    mails = db.session.execute(sa.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
    assert [m.recipient for m in mails] == ["ana@example.org", "ana@example.org", "ben@example.org"]
    assert "Ghana Connect" in mails[0].body and "“Rural access”" in mails[0].body
    assert pending_consent_count(first) == 2 and pending_consent_count(second) == 1
    assert contributing_organizations([m.proposal for m in cluster.members]) == ["Red Rural", "Ghana Connect"]


def test_no_consent_for_one_submitter_and_stale_consents_dropped(drafting, reviewer, two_submitters):
    first, _, proposals = two_submitters
    single = add_proposals_to_new_cluster(drafting, actor=reviewer, title="One",
                                          proposal_ids=[proposals[0].id, proposals[1].id])
    assert db.session.execute(sa.select(sa.func.count(MergeConsent.id))).scalar_one() == 0
    other = add_proposals_to_new_cluster(drafting, actor=reviewer, title="Two", proposal_ids=[proposals[2].id])

    merge_clusters(single, actor=reviewer, expected_version=None, other=other)
    assert db.session.execute(sa.select(sa.func.count(MergeConsent.id))).scalar_one() == 3
    remove_proposals(single, actor=reviewer, expected_version=None, proposal_ids=[proposals[2].id])

    assert db.session.execute(sa.select(sa.func.count(MergeConsent.id))).scalar_one() == 0
    assert pending_consent_count(first) == 0


def test_submitter_accepts_or_declines_with_a_comment(drafting, reviewer, two_submitters):
    first, second, proposals = two_submitters
    add_proposals_to_new_cluster(drafting, actor=reviewer, title="Rural access", proposal_ids=[p.id for p in proposals])
    ana_consents = consents_of_user(first)
    ben_consent = consents_of_user(second)[0]

    answer_merge_consent(ana_consents[0], actor=first, accept=True)
    with pytest.raises(DomainError) as no_comment:
        answer_merge_consent(ben_consent, actor=second, accept=False, comment=" ")
    answer_merge_consent(ben_consent, actor=second, accept=False, comment="Our workshop is on a different angle.")
    with pytest.raises(NotAllowedError):
        answer_merge_consent(ana_consents[1], actor=second, accept=True)

    assert no_comment.value.field == "comment"
    assert (ana_consents[0].state, ben_consent.state) == (ConsentState.ACCEPTED, ConsentState.DECLINED)
    assert ben_consent.comment == "Our workshop is on a different angle." and ben_consent.answered_at is not None
    assert ana_consents[1].state is ConsentState.PENDING
    assert _actions().count("merge_consent.answer") == 2


def test_reasons_are_recomputed_from_the_members_after_each_change(drafting, reviewer, topic_proposals):
    broadband, health = topic_proposals["broadband"], topic_proposals["health"]
    cluster = add_proposals_to_new_cluster(drafting, actor=reviewer, title="Mixed",
                                           proposal_ids=[p.id for p in broadband[:3] + health[:3]])
    other = add_proposals_to_new_cluster(drafting, actor=reviewer, title="Health",
                                         proposal_ids=[p.id for p in health[3:6]])
    db.session.commit()
    assert "Action line C2 Information and communication infrastructure: 3 of 6 proposals" in read_lines(cluster.reasons)

    move_proposals(cluster, actor=reviewer, expected_version=cluster.version_id,
                   proposal_ids=[p.id for p in health[:3]], target=other)
    db.session.commit()

    assert read_lines(cluster.reasons)[:2] == [
        "Action line C2 Information and communication infrastructure: 3 of 3 proposals",
        "SDG 9 Industry, innovation and infrastructure: 3 of 3 proposals"]
    assert read_lines(other.reasons)[0] == "Action line C7 E-health: 6 of 6 proposals"
    remove_proposals(other, actor=reviewer, expected_version=other.version_id,
                     proposal_ids=[p.id for p in health[1:6]])
    db.session.commit()
    assert other.reasons == ""  # one proposal shares nothing with itself


def read_lines(reasons: str) -> list[str]:
    """A cluster's stored reasons as the reader reads them, one per line."""
    return [in_reader_language(line) for line in reasons.splitlines()]
