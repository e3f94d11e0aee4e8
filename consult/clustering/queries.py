"""Reads of the clustering area: clusters with their members, merge consents, the latest suggestions."""
import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import selectinload

from consult.clustering.models import Cluster, ClusterMember, ClusterSuggestion, ConsentState, MergeConsent
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalStatus


def clusters_select(consultation_id: int) -> sa.Select:
    """Clusters of a consultation by title, each with its members and their proposals loaded in one go."""
    return (sa.select(Cluster).where(Cluster.consultation_id == consultation_id)
            .options(selectinload(Cluster.members).selectinload(ClusterMember.proposal))
            .order_by(Cluster.title, Cluster.id))


def consent_counts(cluster_ids: list[int]) -> dict[int, dict[str, int]]:
    """{cluster id: {state: count}} of the merge consents of these clusters, in one query."""
    counts: dict[int, dict[str, int]] = {cluster_id: {} for cluster_id in cluster_ids}
    if not cluster_ids:
        return counts
    rows = db.session.execute(
        sa.select(MergeConsent.cluster_id, MergeConsent.state, sa.func.count())
        .where(MergeConsent.cluster_id.in_(cluster_ids)).group_by(MergeConsent.cluster_id, MergeConsent.state))
    for cluster_id, state, count in rows:
        counts[cluster_id][state.value] = count
    return counts


def unsettled_consents(cluster_ids) -> dict[int, list[MergeConsent]]:
    """{cluster id: its declined and unanswered merge consents, declined first} with their proposals, in one query."""
    ids = sorted({cluster_id for cluster_id in cluster_ids if cluster_id is not None})
    found: dict[int, list[MergeConsent]] = {}
    if not ids:
        return found
    consents = db.session.execute(
        sa.select(MergeConsent).where(MergeConsent.cluster_id.in_(ids),
                                      MergeConsent.state.in_((ConsentState.DECLINED, ConsentState.PENDING)))
        .options(selectinload(MergeConsent.proposal))
        .order_by(MergeConsent.cluster_id, MergeConsent.state != ConsentState.DECLINED, MergeConsent.proposal_id)
    ).scalars()
    for consent in consents:
        found.setdefault(consent.cluster_id, []).append(consent)
    return found


def unclustered_count(consultation_id: int) -> int:
    """Submitted proposals of the consultation in no cluster."""
    return db.session.execute(
        sa.select(sa.func.count(Proposal.id)).where(
            Proposal.consultation_id == consultation_id, Proposal.status == ProposalStatus.SUBMITTED,
            ~sa.exists().where(ClusterMember.proposal_id == Proposal.id))
    ).scalar_one()


def load_cluster(cluster_id: int) -> Cluster | None:
    """A cluster with its members, their proposals and tags."""
    return db.session.execute(
        sa.select(Cluster).where(Cluster.id == cluster_id).options(
            selectinload(Cluster.members).selectinload(ClusterMember.proposal).selectinload(Proposal.action_lines),
            selectinload(Cluster.members).selectinload(ClusterMember.proposal).selectinload(Proposal.sdgs))
    ).scalar_one_or_none()


def other_clusters(cluster: Cluster) -> list[tuple[int, str]]:
    """(id, title) of the consultation's other clusters, for move and merge choices."""
    return [(row.id, row.title) for row in db.session.execute(
        sa.select(Cluster.id, Cluster.title).where(Cluster.consultation_id == cluster.consultation_id,
                                                   Cluster.id != cluster.id).order_by(Cluster.title, Cluster.id))]


def consents_of_user(user) -> list[MergeConsent]:
    """The merge requests about the user's proposals, pending first, with their clusters' members loaded."""
    return list(db.session.execute(
        sa.select(MergeConsent).join(MergeConsent.proposal).where(Proposal.submitter_id == user.id)
        .options(selectinload(MergeConsent.proposal),
                 selectinload(MergeConsent.cluster).selectinload(Cluster.members).selectinload(ClusterMember.proposal))
        .order_by((MergeConsent.state != ConsentState.PENDING), MergeConsent.created_at.desc(), MergeConsent.id)
    ).scalars())


def consents_of_cluster(cluster_id: int) -> list[MergeConsent]:
    """Every consent of a cluster with its proposal, for the chair."""
    return list(db.session.execute(
        sa.select(MergeConsent).where(MergeConsent.cluster_id == cluster_id)
        .options(selectinload(MergeConsent.proposal)).order_by(MergeConsent.proposal_id)
    ).scalars())


def pending_consent_count(user) -> int:
    """How many merge requests wait for this user's answer (once per request, for the navigation)."""
    if user is None or not user.is_authenticated:
        return 0
    if has_request_context() and "pending_consent_count" in g:
        return g.pending_consent_count
    count = db.session.execute(
        sa.select(sa.func.count(MergeConsent.id)).join(MergeConsent.proposal)
        .where(Proposal.submitter_id == user.id, MergeConsent.state == ConsentState.PENDING)
    ).scalar_one()
    if has_request_context():
        g.pending_consent_count = count
    return count


def latest_suggestions(consultation_id: int) -> list[ClusterSuggestion]:
    """The suggestions of the consultation's latest run, in their order."""
    return list(db.session.execute(
        sa.select(ClusterSuggestion).where(ClusterSuggestion.consultation_id == consultation_id)
        .order_by(ClusterSuggestion.position)
    ).scalars())


def suggestion_proposals(suggestions) -> dict[int, Proposal]:
    """{id: proposal} of the proposals of these suggestions that are still in no cluster."""
    ids = {pid for suggestion in suggestions for pid in suggestion.proposal_ids}
    if not ids:
        return {}
    # Proposals clustered since the run are left out: they cannot be taken twice.
    rows = db.session.execute(sa.select(Proposal).where(
        Proposal.id.in_(ids), ~sa.exists().where(ClusterMember.proposal_id == Proposal.id))).scalars()
    return {proposal.id: proposal for proposal in rows}


def proposals_by_id(proposal_ids) -> dict[int, Proposal]:
    """{id: proposal} of these proposals, in one query."""
    if not proposal_ids:
        return {}
    return {proposal.id: proposal for proposal in db.session.execute(
        sa.select(Proposal).where(Proposal.id.in_(proposal_ids))).scalars()}
