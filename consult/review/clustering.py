"""Suggested clusters of proposals: LSA of the similarity features, Ward or k-means, titles and reasons, per run.

The number of clusters is the one with the best silhouette over a range of k, measured on a sample (so that
5,000 proposals take a few seconds), unless the committee sets it. Runs are deterministic (fixed random state):
the same proposals and k give the same suggestions.
"""
import math
import uuid
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import sqlalchemy as sa
from flask_babel import gettext as _
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from sqlalchemy.orm import selectinload
from threadpoolctl import threadpool_limits

from consult.audit.services import record_audit
from consult.consultations.models import Consultation
from consult.errors import DomainError
from consult.extensions import db
from consult.proposals.models import Decision, Proposal, ProposalStatus
from consult.proposals.similarity import FeatureMatrix, build_feature_matrix
from consult.reference import ACTION_LINES_BY_CODE, SDGS
from consult.textmodel.naming import MemberLabels
from consult.textmodel.themes import find_themes
from consult.review.models import ClusterMember, ClusterSuggestion
from consult.review.workspace import add_proposals_to_new_cluster, ensure_can_edit_clusters

SCOPES = ("accepted", "submitted")
RANDOM_STATE = 0
# Dimensions kept by the LSA (TruncatedSVD): enough for topics, few enough for fast k-means at 5,000 rows.
LSA_COMPONENTS = 100
# Rows on which each candidate k is scored by silhouette.
SILHOUETTE_SAMPLE = 1200
# Candidate values of k tried when the committee does not set it.
CANDIDATE_COUNT = 12
# Up to this many proposals, Ward's agglomerative clustering (exact, O(n²) memory); beyond, MiniBatchKMeans.
WARD_UP_TO = 2000
# A tag is a reason when at least this share of the cluster's proposals (and two of them) carry it.
# Below this mean similarity a suggested group is split into single proposals (three-topic test groups score
# 0.21-0.25; a group of unrelated leftovers about 0.07).
LOOSE_GROUP_SIMILARITY = 0.12
SHARED_TAG_SHARE = 0.5
TITLE_TERMS = 3
REASON_TERMS = 6


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
    """The outcome of one clustering: the k used, the silhouette of each k tried, the suggestions."""

    k: int
    silhouettes: dict[int, float]
    suggestions: list[SuggestedCluster]
    labels: dict[int, int] = field(default_factory=dict)


def scope_proposals(consultation_id: int, scope: str, *, unclustered_only: bool = False) -> list[Proposal]:
    """Submitted proposals of the consultation (accepted or to be merged only for 'accepted'), tags loaded."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    query = (sa.select(Proposal)
             .where(Proposal.consultation_id == consultation_id, Proposal.status == ProposalStatus.SUBMITTED)
             .options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs))
             .order_by(Proposal.id))
    if scope == "accepted":
        query = query.where(Proposal.decision.in_([Decision.ACCEPTED, Decision.MERGE]))
    if unclustered_only:
        query = query.where(~sa.exists().where(ClusterMember.proposal_id == Proposal.id))
    return list(db.session.execute(query).scalars())


def reduce_features(features: FeatureMatrix) -> np.ndarray:
    """The LSA (TruncatedSVD) of the feature matrix, rows L2-normalised; dense."""
    rows, columns = features.matrix.shape
    components = min(LSA_COMPONENTS, rows - 1, columns - 1)
    if components < 2:
        return normalize(features.matrix.toarray())
    svd = TruncatedSVD(n_components=components, random_state=RANDOM_STATE, algorithm="randomized", n_iter=4)
    return normalize(svd.fit_transform(features.matrix)).astype(np.float32)


def _ward_tree(points: np.ndarray) -> np.ndarray:
    # One Ward tree serves every k: cutting it is cheap, and unlike k-means it has no unlucky starts.
    return linkage(points, method="ward")


def _cut(tree: np.ndarray, k: int) -> np.ndarray:
    return fcluster(tree, t=k, criterion="maxclust") - 1


def _centroids(points: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return np.vstack([points[labels == label].mean(axis=0) for label in np.unique(labels)])


def candidate_ks(size: int) -> list[int]:
    """Values of k worth trying for this many proposals: 2 up to about 1.5·√n (sessions of a few proposals)."""
    highest = max(2, min(size - 1, round(1.5 * math.sqrt(size)) + 2))
    if highest - 1 <= CANDIDATE_COUNT:
        return list(range(2, highest + 1))
    return sorted({int(round(value)) for value in np.geomspace(2, highest, CANDIDATE_COUNT)})


def choose_k(points: np.ndarray) -> tuple[int, dict[int, float]]:
    """The k of best silhouette among the candidates, scored on a fixed sample of the points."""
    size = points.shape[0]
    if size < 4:
        return 1, {}
    rng = np.random.default_rng(RANDOM_STATE)
    sample = points if size <= SILHOUETTE_SAMPLE else points[rng.choice(size, SILHOUETTE_SAMPLE, replace=False)]
    silhouettes = {}
    tree = _ward_tree(sample)
    for k in (k for k in candidate_ks(size) if k < sample.shape[0]):
        labels = _cut(tree, k)
        if len(set(labels)) < 2:
            continue
        silhouettes[k] = round(float(silhouette_score(sample, labels)), 4)
    if not silhouettes:
        return 1, {}
    best = max(silhouettes.values())
    # Among near-equal scores prefer the smaller k: fewer, broader sessions are easier to refine by hand.
    chosen = min(k for k, score in silhouettes.items() if score >= best - 0.005)
    return chosen, silhouettes


def cluster_points(points: np.ndarray, k: int) -> np.ndarray:
    """Labels of k groups: Ward up to WARD_UP_TO points; beyond, MiniBatchKMeans started from Ward on a sample."""
    size = points.shape[0]
    if size <= WARD_UP_TO:
        return _cut(_ward_tree(points), k)
    rng = np.random.default_rng(RANDOM_STATE)
    sample = points[rng.choice(size, min(size, max(SILHOUETTE_SAMPLE, 3 * k)), replace=False)]
    start = _centroids(sample, _cut(_ward_tree(sample), k))
    kmeans = MiniBatchKMeans(n_clusters=start.shape[0], init=start, n_init=1, random_state=RANDOM_STATE,
                             batch_size=2048, max_iter=100)
    return kmeans.fit_predict(points)


def compute_suggestions(proposals: list[Proposal], *, k: int | None = None) -> SuggestionRun:
    """Cluster the proposals (tags loaded) into k groups, or into the k of best silhouette; no database writes."""
    if not proposals:
        return SuggestionRun(0, {}, [])
    # One thread for BLAS and OpenMP: web workers share the cores, and oversubscribed BLAS threads made the
    # SVD eighteen times slower on a busy 2-core machine (12.7 s against 0.7 s for 500 proposals).
    with threadpool_limits(limits=1):
        return _compute_suggestions(proposals, k)


def member_labels(proposal: Proposal) -> MemberLabels:
    """A proposal's confirmed labels and, when it awaits classification, the action lines suggested for it."""
    suggested = [code for code, _score in (proposal.suggested_labels or {}).get("action_lines", [])]
    return MemberLabels(proposal.action_line_codes, proposal.sdg_numbers, suggested if proposal.is_to_classify else [])


def _compute_suggestions(proposals: list[Proposal], k: int | None) -> SuggestionRun:
    features = build_feature_matrix(proposals)
    labels, themes = find_themes(features.matrix, text_matrix=features.text_matrix, terms=features.terms,
                                 readable=features.readable, members=[member_labels(p) for p in proposals],
                                 titles=[proposal.title for proposal in proposals], k=k)
    suggestions = []
    for theme in themes:
        ids = [proposals[row].id for row in theme.rows]
        suggestions.append(SuggestedCluster(
            sorted(ids), theme.description.title, theme.description.reasons, theme.description.terms,
            member_reasons={proposals[row].id: reason for row, reason in theme.description.member_reasons.items()},
            nearest_position=None if theme.nearest is None else theme.nearest + 1,
            nearest_similarity=theme.nearest_similarity))
    grouped = sum(1 for theme in themes if not theme.is_leftover)
    return SuggestionRun(grouped, {}, suggestions,
                         labels={proposal.id: int(label) for proposal, label in zip(proposals, labels, strict=True)})


def mean_pairwise_similarity(rows: list[int], features: FeatureMatrix) -> float:
    """Mean cosine similarity of the distinct pairs among these rows (1.0 for a single row)."""
    if len(rows) < 2:
        return 1.0
    block = features.matrix[rows]
    total = float((block @ block.T).sum()) - len(rows)  # rows are L2-normalised: the diagonal sums to len(rows)
    return total / (len(rows) * (len(rows) - 1))


def split_incoherent(groups: list[list[int]], features: FeatureMatrix) -> list[list[int]]:
    """Break up groups whose members have little in common into one group per proposal.

    k-means and Ward must put every point somewhere, so the proposals that resemble no other end up lumped
    together; a committee is better served by seeing them alone than by a session of unrelated topics.
    """
    result = []
    for rows in groups:
        if len(rows) > 1 and mean_pairwise_similarity(rows, features) < LOOSE_GROUP_SIMILARITY:
            result.extend([row] for row in rows)
        else:
            result.append(rows)
    return result


def _top_terms(rows: list[int], features: FeatureMatrix, count: int) -> list[str]:
    if features.vectorizer is None or features.text_matrix.shape[1] == 0:
        return []
    centroid = np.asarray(features.text_matrix[rows].mean(axis=0)).ravel()
    terms = features.terms
    chosen: list[str] = []
    for index in np.argsort(-centroid):
        if centroid[index] <= 0 or len(chosen) >= count:
            break
        term = str(terms[index])
        words = set(term.split())
        # Skip a term already said by a chosen one ("broadband" after "rural broadband", or the reverse).
        if any(words <= set(other.split()) or set(other.split()) <= words for other in chosen):
            continue
        chosen.append(term)
    return chosen


def working_title(terms: list[str]) -> str:
    """A readable title from top terms: 'Rural broadband, fibre backhaul and villages'."""
    if not terms:
        return _("Untitled cluster")
    text = terms[0] if len(terms) == 1 else _("%(first)s and %(last)s", first=", ".join(terms[:-1]), last=terms[-1])
    return text[:1].upper() + text[1:]


def _describe(rows: list[int], proposals: list[Proposal], features: FeatureMatrix) -> SuggestedCluster:
    members = [proposals[row] for row in rows]
    terms = _top_terms(rows, features, REASON_TERMS)
    reasons = []
    size = len(members)
    line_counts = Counter(code for proposal in members for code in set(proposal.action_line_codes))
    for code, count in line_counts.most_common():
        if count >= 2 and count >= SHARED_TAG_SHARE * size:
            line = ACTION_LINES_BY_CODE.get(code)
            reasons.append(_("Action line %(line)s: %(count)d of %(size)d proposals",
                             line=line.label if line else code, count=count, size=size))
    sdg_counts = Counter(number for proposal in members for number in set(proposal.sdg_numbers))
    for number, count in sdg_counts.most_common():
        if count >= 2 and count >= SHARED_TAG_SHARE * size:
            reasons.append(_("SDG %(number)d %(name)s: %(count)d of %(size)d proposals",
                             number=number, name=SDGS.get(number, ""), count=count, size=size))
    if terms:
        reasons.append(_("Top terms: %(terms)s", terms=", ".join(terms)))
    # The member nearest the centroid names the group: a proposal's own title reads better than a list of
    # terms, which stay in the reasons.
    title = representative(rows, proposals, features).title if size > 1 else members[0].title
    return SuggestedCluster(sorted(proposal.id for proposal in members), title or working_title(terms[:TITLE_TERMS]),
                            reasons, terms)


def representative(rows: list[int], proposals: list[Proposal], features: FeatureMatrix) -> Proposal:
    """The proposal of these rows most similar to their centroid."""
    block = features.matrix[rows]
    centroid = np.asarray(block.mean(axis=0)).ravel()
    return proposals[rows[int(np.argmax(block @ centroid))]]


def latest_suggestions(consultation_id: int) -> list[ClusterSuggestion]:
    """The suggestions of the consultation's latest run, in their order."""
    return list(db.session.execute(
        sa.select(ClusterSuggestion).where(ClusterSuggestion.consultation_id == consultation_id)
        .order_by(ClusterSuggestion.position)
    ).scalars())


def suggest_clusters(consultation: Consultation, *, actor, scope: str = "accepted", k: int | None = None,
                     now=None) -> list[ClusterSuggestion]:
    """Compute and store suggested clusters of the proposals not yet in a cluster, replacing the previous run."""
    ensure_can_edit_clusters(consultation, actor, now=now)
    if scope not in SCOPES:
        raise DomainError(_("Choose accepted or all submitted proposals."), field="scope")
    proposals = scope_proposals(consultation.id, scope, unclustered_only=True)
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
                 summary=_("%(count)d clusters suggested from %(proposals)d proposals",
                           count=len(stored), proposals=len(proposals)),
                 details={"run_id": run_id, "scope": scope, "k": run.k, "requested_k": k,
                          "silhouettes": {str(key): value for key, value in run.silhouettes.items()}})
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
