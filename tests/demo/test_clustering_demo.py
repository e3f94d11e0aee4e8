"""The clustering step of the demo, on factories-made proposals."""
import sqlalchemy as sa

from consult.clustering.models import Cluster, ClusterSuggestion, ConsentState, MergeConsent
from consult.consultations.models import PhaseKind
from consult.demo.clustering import seed_clustering
from consult.demo.foundation import seed_foundation
from consult.extensions import db
from consult.proposals.models import Decision
from tests.clustering.topics import TOPICS, topic_description
from tests.factories import make_proposal, make_user


def _seed(phase):
    demo = seed_foundation(phase)
    submitters = [demo.stakeholder] + [make_user(organization=f"Org {n}") for n in range(3)]
    for topic, items in TOPICS.items():
        for index, (title, summary) in enumerate(items[:6]):
            make_proposal(demo.consultation, submitters[index % len(submitters)], title=title, summary=summary,
                          description=topic_description(topic, index, summary), decision=Decision.ACCEPTED)
    return demo


def test_seed_clustering_makes_clusters_and_answers_some_consents(app):
    demo = _seed(PhaseKind.PUBLIC_COMMENT)

    seed_clustering(demo)
    db.session.commit()

    clusters = db.session.execute(sa.select(Cluster)).scalars().all()
    assert len(clusters) == len(demo.extra["cluster_ids"]) >= 2
    leftovers = db.session.execute(sa.select(ClusterSuggestion).where(
        ClusterSuggestion.accepted_cluster_id.is_(None))).scalars().all()
    # Every proposal is in a cluster or offered, alone, to the cluster nearest to it.
    assert sum(len(cluster.members) for cluster in clusters) + len(leftovers) == 18
    assert all(len(s.proposal_ids) == 1 and s.nearest["position"] >= 1 for s in leftovers)
    states = [consent.state for consent in db.session.execute(sa.select(MergeConsent)).scalars()]
    assert states.count(ConsentState.ACCEPTED) >= 1 and states.count(ConsentState.DECLINED) == 1
    pending_of_stakeholder = db.session.execute(
        sa.select(MergeConsent).join(MergeConsent.proposal)
        .where(MergeConsent.state == ConsentState.PENDING)).scalars().all()
    assert any(c.proposal.submitter_id == demo.stakeholder.id for c in pending_of_stakeholder)


def test_seed_clustering_does_nothing_before_agenda_drafting_or_without_proposals(app):
    demo = _seed(PhaseKind.REVIEW)
    seed_clustering(demo)
    assert db.session.execute(sa.select(sa.func.count(Cluster.id))).scalar_one() == 0


def test_seed_clustering_without_proposals(app):
    demo = seed_foundation(PhaseKind.AGENDA_DRAFTING)
    seed_clustering(demo)
    assert db.session.execute(sa.select(sa.func.count(Cluster.id))).scalar_one() == 0
