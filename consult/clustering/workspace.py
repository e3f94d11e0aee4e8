"""The cluster workspace: create, rename, merge, split, move, remove and mark duplicates, with version checks.

Only reviewers and the chair, only in the agenda-drafting phase. Every change of a cluster's members touches
the cluster row, so its version_id moves on and a form loaded before the change gets a conflict, and
recomputes the cluster's reasons from its members (consult/clustering/descriptions.py): they are never stale.
"""
from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consult.audit.services import record_audit
from consult.clustering.consent import sync_merge_consents
from consult.clustering.descriptions import reasons_text
from consult.clustering.models import Cluster, ClusterMember, MergeConsent
from consult.clustering.services import ensure_can_edit_clusters
from consult.consultations.models import Consultation
from consult.consultations.services import check_version
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalStatus


def _consultation_of(cluster: Cluster) -> Consultation:
    return db.session.get(Consultation, cluster.consultation_id)


def _touch(cluster: Cluster) -> None:
    """After a change of members: the reasons are recomputed from the members now in the cluster."""
    ids = [member.proposal_id for member in cluster.members]
    # No flush while reading: the row is updated once, so its version_id moves on by one per change.
    with db.session.no_autoflush:
        proposals = db.session.execute(
            sa.select(Proposal).where(Proposal.id.in_(ids))
            .options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs)).order_by(Proposal.id)
        ).scalars().all() if ids else []
    # Updating the row moves version_id on, also when only the members changed.
    cluster.updated_at = utcnow()
    cluster.reasons = reasons_text(proposals)


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the cluster a title."), field="title")
    return title[:200]


def _clusterable_proposals(consultation: Consultation, proposal_ids: Iterable[int]) -> list[Proposal]:
    wanted = {int(proposal_id) for proposal_id in proposal_ids}
    proposals = list(db.session.execute(
        sa.select(Proposal).where(Proposal.id.in_(wanted), Proposal.consultation_id == consultation.id,
                                  Proposal.status == ProposalStatus.SUBMITTED).order_by(Proposal.id)
    ).scalars()) if wanted else []
    if len(proposals) != len(wanted):
        raise DomainError(_("Only submitted proposals of this consultation can be clustered."), field="proposal_ids")
    return proposals


def _chosen_members(cluster: Cluster, proposal_ids: Iterable[int]) -> list[ClusterMember]:
    wanted = {int(proposal_id) for proposal_id in proposal_ids}
    members = [member for member in cluster.members if member.proposal_id in wanted]
    if not members or len(members) != len(wanted):
        raise DomainError(_("Choose proposals of this cluster."), field="proposal_ids")
    return members


def _audit(action: str, cluster: Cluster, actor, summary: str, **details) -> None:
    record_audit(action, cluster, actor=actor, consultation_id=cluster.consultation_id, summary=summary,
                 details=details)


def create_cluster(consultation: Consultation, *, actor, title: str, description: str = "", reasons: str = "",
                   now=None, audit_action: str = "cluster.create") -> Cluster:
    """An empty cluster with a title."""
    ensure_can_edit_clusters(consultation, actor, now=now)
    cluster = Cluster(consultation_id=consultation.id, title=_clean_title(title), description=(description or "").strip(),
                      reasons=reasons, created_by_id=getattr(actor, "id", None))
    db.session.add(cluster)
    db.session.flush()
    _audit(audit_action, cluster, actor, cluster.title)
    return cluster


def add_proposals_to_new_cluster(consultation: Consultation, *, actor, title: str, proposal_ids: Iterable[int],
                                 description: str = "", reasons: str = "", now=None,
                                 audit_action: str = "cluster.create") -> Cluster:
    """A new cluster of the given proposals; proposals already in another cluster are left where they are."""
    ensure_can_edit_clusters(consultation, actor, now=now)
    proposals = _clusterable_proposals(consultation, proposal_ids)
    taken = set(db.session.execute(sa.select(ClusterMember.proposal_id).where(
        ClusterMember.proposal_id.in_([proposal.id for proposal in proposals]))).scalars())
    free = [proposal for proposal in proposals if proposal.id not in taken]
    if not free:
        raise DomainError(_("These proposals are all in clusters already."), field="proposal_ids")
    cluster = create_cluster(consultation, actor=actor, title=title, description=description, reasons=reasons,
                             now=now, audit_action=audit_action)
    cluster.members = [ClusterMember(proposal=proposal) for proposal in free]
    db.session.flush()
    _touch(cluster)
    db.session.flush()
    _audit("cluster.add_proposals", cluster, actor, cluster.title,
           proposal_ids=[proposal.id for proposal in free], skipped=sorted(taken))
    sync_merge_consents(cluster, actor=actor)
    return cluster


def add_proposals(cluster: Cluster, *, actor, proposal_ids: Iterable[int], now=None) -> Cluster:
    """Add proposals that are in no cluster to this cluster; those clustered meanwhile are refused."""
    ensure_can_edit_clusters(_consultation_of(cluster), actor, now=now)
    proposals = _clusterable_proposals(_consultation_of(cluster), proposal_ids)
    ids = [proposal.id for proposal in proposals]
    if not ids or db.session.execute(sa.select(ClusterMember.proposal_id).where(
            ClusterMember.proposal_id.in_(ids))).first() is not None:
        raise DomainError(_("This proposal is in a cluster already."), field="proposal_ids")
    _attach(ids, cluster)
    _touch(cluster)
    db.session.flush()
    _audit("cluster.add_proposals", cluster, actor, cluster.title, proposal_ids=ids, skipped=[])
    sync_merge_consents(cluster, actor=actor)
    return cluster


def update_cluster(cluster: Cluster, *, actor, expected_version, title: str, description: str = "", now=None) -> Cluster:
    """Rename and describe a cluster; refuses a stale form."""
    ensure_can_edit_clusters(_consultation_of(cluster), actor, now=now)
    check_version(cluster, expected_version, actor=actor)
    before = {"title": cluster.title, "description": cluster.description}
    cluster.title = _clean_title(title)
    cluster.description = (description or "").strip()
    db.session.flush()
    _audit("cluster.update", cluster, actor, cluster.title, before=before,
           after={"title": cluster.title, "description": cluster.description})
    return cluster


def _detach(members: list[ClusterMember], cluster: Cluster) -> list[int]:
    moved = {member.proposal_id for member in members}
    for other in cluster.members:
        # A duplicate of a proposal that leaves is no longer a duplicate of anything here.
        if other.duplicate_of_id in moved:
            other.duplicate_of_id = None
    for member in members:
        cluster.members.remove(member)
    db.session.flush()
    return sorted(moved)


def _attach(proposal_ids: list[int], target: Cluster) -> None:
    for proposal_id in proposal_ids:
        target.members.append(ClusterMember(proposal_id=proposal_id))
    db.session.flush()
    db.session.expire(target, ["members"])


def move_proposals(cluster: Cluster, *, actor, expected_version, proposal_ids: Iterable[int], target: Cluster,
                   now=None) -> Cluster:
    """Move proposals of cluster to target (another cluster of the same consultation)."""
    ensure_can_edit_clusters(_consultation_of(cluster), actor, now=now)
    check_version(cluster, expected_version, actor=actor)
    if target.id == cluster.id or target.consultation_id != cluster.consultation_id:
        raise DomainError(_("Choose another cluster of this consultation."), field="target")
    _transfer(cluster, _chosen_members(cluster, proposal_ids), target, actor=actor,
              summary=_("Moved to “%(target)s”", target=target.title))
    return target


def _transfer(cluster: Cluster, members: list[ClusterMember], target: Cluster, *, actor, summary: str) -> None:
    moved = _detach(members, cluster)
    _attach(moved, target)
    _touch(cluster)
    _touch(target)
    db.session.flush()
    _audit("cluster.move_proposals", cluster, actor, summary, proposal_ids=moved, target_id=target.id)
    sync_merge_consents(cluster, actor=actor)
    sync_merge_consents(target, actor=actor)


def split_cluster(cluster: Cluster, *, actor, expected_version, proposal_ids: Iterable[int], title: str,
                  now=None) -> Cluster:
    """Move the chosen proposals of cluster into a new cluster with this title."""
    ensure_can_edit_clusters(_consultation_of(cluster), actor, now=now)
    check_version(cluster, expected_version, actor=actor)
    members = _chosen_members(cluster, proposal_ids)
    if len(members) == len(cluster.members):
        raise DomainError(_("Leave at least one proposal in the cluster: rename it instead."), field="proposal_ids")
    new_cluster = create_cluster(_consultation_of(cluster), actor=actor, title=title, now=now,
                                 audit_action="cluster.split")
    _transfer(cluster, members, new_cluster, actor=actor,
              summary=_("Split into “%(target)s”", target=new_cluster.title))
    return new_cluster


def remove_proposals(cluster: Cluster, *, actor, expected_version, proposal_ids: Iterable[int], now=None) -> Cluster:
    """Take proposals out of the cluster (they become unclustered)."""
    ensure_can_edit_clusters(_consultation_of(cluster), actor, now=now)
    check_version(cluster, expected_version, actor=actor)
    removed = _detach(_chosen_members(cluster, proposal_ids), cluster)
    _touch(cluster)
    db.session.flush()
    _audit("cluster.remove_proposals", cluster, actor, cluster.title, proposal_ids=removed)
    sync_merge_consents(cluster, actor=actor)
    return cluster


def merge_clusters(cluster: Cluster, *, actor, expected_version, other: Cluster, now=None) -> Cluster:
    """Bring every proposal of other into cluster and delete other; the descriptions are joined."""
    ensure_can_edit_clusters(_consultation_of(cluster), actor, now=now)
    check_version(cluster, expected_version, actor=actor)
    if other.id == cluster.id or other.consultation_id != cluster.consultation_id:
        raise DomainError(_("Choose another cluster of this consultation."), field="other")
    moved = _detach(list(other.members), other)
    _attach(moved, cluster)
    if other.description:
        cluster.description = "\n\n".join(part for part in (cluster.description, other.description) if part)
    _touch(cluster)
    _audit("cluster.merge", cluster, actor, _("“%(other)s” merged in", other=other.title),
           proposal_ids=moved, merged_cluster_id=other.id, merged_title=other.title)
    db.session.execute(sa.delete(MergeConsent).where(MergeConsent.cluster_id == other.id))
    db.session.delete(other)
    db.session.flush()
    sync_merge_consents(cluster, actor=actor)
    return cluster


def delete_cluster(cluster: Cluster, *, actor, expected_version, now=None) -> None:
    """Remove a cluster; its proposals become unclustered."""
    ensure_can_edit_clusters(_consultation_of(cluster), actor, now=now)
    check_version(cluster, expected_version, actor=actor)
    _audit("cluster.delete", cluster, actor, cluster.title,
           proposal_ids=[member.proposal_id for member in cluster.members])
    db.session.execute(sa.delete(MergeConsent).where(MergeConsent.cluster_id == cluster.id))
    db.session.delete(cluster)
    db.session.flush()


def mark_duplicate(cluster: Cluster, *, actor, expected_version, proposal_id: int, duplicate_of_id: int | None,
                   now=None) -> ClusterMember:
    """Mark a member a duplicate of another member of the same cluster (None: not a duplicate)."""
    ensure_can_edit_clusters(_consultation_of(cluster), actor, now=now)
    check_version(cluster, expected_version, actor=actor)
    members = {member.proposal_id: member for member in cluster.members}
    member = members.get(int(proposal_id))
    if member is None:
        raise DomainError(_("Choose a proposal of this cluster."), field="proposal_id")
    if duplicate_of_id is not None:
        original = members.get(int(duplicate_of_id))
        if original is None or original.proposal_id == member.proposal_id:
            raise DomainError(_("Choose another proposal of this cluster as the original."), field="duplicate_of_id")
        if original.duplicate_of_id is not None:
            raise DomainError(_("That proposal is itself a duplicate: choose its original."), field="duplicate_of_id")
        if any(other.duplicate_of_id == member.proposal_id for other in cluster.members):
            raise DomainError(_("Other proposals are duplicates of this one: mark them first."), field="proposal_id")
    member.duplicate_of_id = int(duplicate_of_id) if duplicate_of_id is not None else None
    _touch(cluster)
    db.session.flush()
    _audit("cluster.mark_duplicate", cluster, actor, cluster.title, proposal_id=member.proposal_id,
           duplicate_of_id=member.duplicate_of_id)
    return member
