"""Suggested clusters of proposals: themes found by the text model, named by what their members share, per run.

The number of clusters is not guessed (see consult/textmodel/grouping.py): proposals stay together while they
are related; one that resembles no group is a leftover offered to the group nearest to it. The committee may
set k instead. Runs are deterministic: the same proposals and k give the same suggestions.
"""
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext, npgettext
from sqlalchemy.orm import selectinload
from threadpoolctl import threadpool_limits

from consult.audit.services import record_audit
from consult.clustering.descriptions import describe_proposals, member_labels
from consult.clustering.models import Cluster, ClusterMember, ClusterSuggestion
from consult.clustering.services import ensure_can_edit_clusters
from consult.clustering.workspace import add_proposals, add_proposals_to_new_cluster
from consult.consultations.models import Consultation
from consult.errors import DomainError
from consult.extensions import db
from consult.proposals.models import Decision, Proposal, ProposalActionLine, ProposalSdg, ProposalStatus
from consult.proposals.similarity import TAG_WEIGHT, build_feature_matrix
from consult.textmodel.themes import find_themes

SCOPES = ("accepted", "submitted")
# A group's members must be more alike than identical action lines and SDGs alone make them: the text decides.
RELATED_FLOOR = 1.25 * TAG_WEIGHT


@dataclass
class SuggestedCluster:
    """A suggested group of proposals with its working title and reasons."""

    proposal_ids: list[int]
    title: str
    reasons: list[str]
    top_terms: list[str] = field(default_factory=list)
    member_reasons: dict[int, str] = field(default_factory=dict)
    # A leftover (one proposal) names the suggestion nearest to it: its position in the run and the similarity.
    nearest_position: int | None = None
    nearest_similarity: float = 0.0


@dataclass
class SuggestionRun:
    """The outcome of one clustering: the number of groups of two or more, the suggestions (leftovers last)."""

    k: int
    suggestions: list[SuggestedCluster]
    labels: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ProposalText:
    """What the text model reads of a proposal: its texts and labels, without an ORM object per row."""

    id: int
    title: str
    summary: str | None
    description: str | None
    keywords: str | None
    suggested_labels: dict | None
    is_to_classify: bool
    language: str = "en"
    action_line_codes: tuple[str, ...] = ()
    sdg_numbers: tuple[int, ...] = ()


def _in_scope(consultation_id: int, scope: str, *, unclustered_only: bool) -> list:
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    where = [Proposal.consultation_id == consultation_id, Proposal.status == ProposalStatus.SUBMITTED]
    if scope == "accepted":
        where.append(Proposal.decision.in_([Decision.ACCEPTED, Decision.MERGE]))
    if unclustered_only:
        where.append(~sa.exists().where(ClusterMember.proposal_id == Proposal.id))
    return where


def scope_proposals(consultation_id: int, scope: str, *, unclustered_only: bool = False) -> list[Proposal]:
    """Submitted proposals of the consultation (accepted or to be merged only for 'accepted'), tags loaded."""
    query = (sa.select(Proposal).where(*_in_scope(consultation_id, scope, unclustered_only=unclustered_only))
             .options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs))
             .order_by(Proposal.id))
    return list(db.session.execute(query).scalars())


def scope_texts(consultation_id: int, scope: str, *, unclustered_only: bool = False) -> list[ProposalText]:
    """The proposals of scope_proposals as plain rows, in three queries: at 5,000 proposals, building ORM objects
    and their tag collections cost more than the text model itself."""
    where = _in_scope(consultation_id, scope, unclustered_only=unclustered_only)
    rows = db.session.execute(
        sa.select(Proposal.id, Proposal.title, Proposal.summary, Proposal.description, Proposal.keywords,
                  Proposal.suggested_labels, Proposal.is_to_classify, Proposal.language)
        .where(*where).order_by(Proposal.id)).all()
    chosen = sa.select(Proposal.id).where(*where)
    lines: dict[int, list[str]] = {}
    for proposal_id, code in db.session.execute(
            sa.select(ProposalActionLine.proposal_id, ProposalActionLine.code)
            .where(ProposalActionLine.proposal_id.in_(chosen)).order_by(ProposalActionLine.code)):
        lines.setdefault(proposal_id, []).append(code)
    sdgs: dict[int, list[int]] = {}
    for proposal_id, number in db.session.execute(
            sa.select(ProposalSdg.proposal_id, ProposalSdg.sdg)
            .where(ProposalSdg.proposal_id.in_(chosen)).order_by(ProposalSdg.sdg)):
        sdgs.setdefault(proposal_id, []).append(number)
    return [ProposalText(*row, action_line_codes=tuple(lines.get(row.id, ())),
                         sdg_numbers=tuple(sdgs.get(row.id, ()))) for row in rows]


def compute_suggestions(proposals: list, *, k: int | None = None) -> SuggestionRun:
    """Group the proposals (ProposalText rows, or proposals with tags loaded) into themes, or k groups; no writes."""
    if not proposals:
        return SuggestionRun(0, [])
    # One thread for BLAS and OpenMP: web workers share the cores, and oversubscribed BLAS threads made the
    # SVD eighteen times slower on a busy 2-core machine (12.7 s against 0.7 s for 500 proposals).
    with threadpool_limits(limits=1):
        return _compute_suggestions(proposals, k)


def _compute_suggestions(proposals: list[Proposal], k: int | None) -> SuggestionRun:
    features = build_feature_matrix(proposals)
    labels, themes = find_themes(features.matrix, text_matrix=features.text_matrix, terms=features.terms,
                                 readable=features.readable, members=[member_labels(p) for p in proposals],
                                 titles=[proposal.title for proposal in proposals], k=k,
                                 floor=RELATED_FLOOR, languages=[proposal.language for proposal in proposals],
                                 wording=features.wording)
    suggestions = []
    for theme in themes:
        ids = [proposals[row].id for row in theme.rows]
        suggestions.append(SuggestedCluster(
            sorted(ids), theme.description.title, theme.description.reasons, theme.description.terms,
            member_reasons={proposals[row].id: reason for row, reason in theme.description.member_reasons.items()},
            nearest_position=None if theme.nearest is None else theme.nearest + 1,
            nearest_similarity=theme.nearest_similarity))
    grouped = sum(1 for theme in themes if not theme.is_leftover)
    return SuggestionRun(grouped, suggestions,
                         labels={proposal.id: int(label) for proposal, label in zip(proposals, labels, strict=True)})


def suggest_clusters(consultation: Consultation, *, actor, scope: str = "accepted", k: int | None = None,
                     now=None) -> list[ClusterSuggestion]:
    """Compute and store suggested clusters of the proposals not yet in a cluster, replacing the previous run."""
    ensure_can_edit_clusters(consultation, actor, now=now)
    if scope not in SCOPES:
        raise DomainError(_("Choose accepted or all submitted proposals."), field="scope")
    proposals = scope_texts(consultation.id, scope, unclustered_only=True)
    run = compute_suggestions(proposals, k=k)
    db.session.execute(sa.delete(ClusterSuggestion).where(ClusterSuggestion.consultation_id == consultation.id))
    run_id = uuid.uuid4().hex
    stored = [ClusterSuggestion(consultation_id=consultation.id, run_id=run_id, position=position, scope=scope,
                                title=suggestion.title[:200], reasons=suggestion.reasons,
                                proposal_ids=suggestion.proposal_ids, created_by_id=getattr(actor, "id", None),
                                member_reasons={str(key): value for key, value in suggestion.member_reasons.items()},
                                nearest=None if suggestion.nearest_position is None else {
                                    "position": suggestion.nearest_position,
                                    "similarity": suggestion.nearest_similarity})
              for position, suggestion in enumerate(run.suggestions, start=1)]
    db.session.add_all(stored)
    db.session.flush()
    record_audit("clusters.suggest", consultation, actor=actor, consultation_id=consultation.id,
                 summary=ngettext("%(num)d cluster suggested from %(proposals)s", "%(num)d clusters suggested from %(proposals)s",
                                  len(stored), proposals=npgettext("clusters suggested from …", "%(num)d proposal",
                                                                      "%(num)d proposals", len(proposals))),
                 details={"run_id": run_id, "scope": scope, "k": run.k, "requested_k": k,
                          "leftovers": sum(1 for suggestion in run.suggestions if suggestion.nearest_position)})
    return stored


def accept_suggestion(suggestion: ClusterSuggestion, *, actor, proposal_ids: list[int] | None = None,
                      title: str | None = None, now=None):
    """Make a cluster of the suggestion, in whole or of the proposals chosen; those already clustered are skipped."""
    chosen = list(suggestion.proposal_ids) if proposal_ids is None else [
        proposal_id for proposal_id in suggestion.proposal_ids if proposal_id in set(proposal_ids)]
    if not chosen:
        raise DomainError(_("Choose at least one proposal of the suggestion."), field="proposal_ids")
    consultation = db.session.get(Consultation, suggestion.consultation_id)
    cluster = add_proposals_to_new_cluster(
        consultation, actor=actor, title=(title or suggestion.title).strip()[:200], proposal_ids=chosen,
        reasons="\n".join(suggestion.reasons), now=now, audit_action="cluster.accept_suggestion",
    )
    suggestion.accepted_cluster_id = cluster.id
    db.session.flush()
    return cluster


def join_nearest(suggestion: ClusterSuggestion, *, actor, now=None) -> ClusterSuggestion:
    """Add a leftover (a one-proposal suggestion) to the suggestion it is nearest to, or to the cluster made of it.

    The leftover's row goes; the suggestion it joins is described again from its new members.
    """
    consultation = db.session.get(Consultation, suggestion.consultation_id)
    ensure_can_edit_clusters(consultation, actor, now=now)
    target = None
    if suggestion.nearest and len(suggestion.proposal_ids) == 1:
        target = db.session.execute(sa.select(ClusterSuggestion).where(
            ClusterSuggestion.run_id == suggestion.run_id,
            ClusterSuggestion.position == suggestion.nearest["position"])).scalar_one_or_none()
    if target is None:
        raise DomainError(_("This suggestion has no nearest cluster any more: ask for suggestions again."))
    proposal_id = suggestion.proposal_ids[0]
    if target.accepted_cluster_id is not None:
        add_proposals(db.session.get(Cluster, target.accepted_cluster_id), actor=actor, proposal_ids=[proposal_id],
                      now=now)
    else:
        members = list(db.session.execute(
            sa.select(Proposal).where(Proposal.id.in_(list(target.proposal_ids) + [proposal_id]))
            .options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs)).order_by(Proposal.id)
        ).scalars())
        described = describe_proposals(members)
        target.proposal_ids = [proposal.id for proposal in members]
        target.title, target.reasons = described.title[:200], described.reasons
        target.member_reasons = {str(key): value for key, value in described.member_reasons.items()}
    record_audit("clusters.join_nearest", target, actor=actor, consultation_id=consultation.id,
                 summary=_("A proposal like no group added to “%(title)s”", title=target.title),
                 details={"proposal_id": proposal_id, "similarity": suggestion.nearest.get("similarity"),
                          "cluster_id": target.accepted_cluster_id})
    db.session.delete(suggestion)
    db.session.flush()
    return target
