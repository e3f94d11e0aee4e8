"""Text similarity of proposals: similar proposals and the feature matrix that clustering and near-duplicates use.

A proposal is described by TF-IDF on its text (title counted twice, summary, description, keywords: word
uni- and bigrams, sublinear tf, English stop words) joined with a one-hot block of its action lines and SDGs.
Each block is L2-normalised on its own and weighted so that the cosine of two rows is

    (1 - TAG_WEIGHT) * cosine(text) + TAG_WEIGHT * cosine(tags)

when both have tags: the text decides, the shared action lines and SDGs break near ties. Everything stays in
sparse matrices, so 5,000 proposals fit in a few tens of megabytes.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sqlalchemy as sa
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.proposals.models import Proposal, ProposalStatus
from consult.reference import ACTION_LINES, SDGS

# Share of the cosine given to shared action lines and SDGs (the rest is the text). Measured with the
# adjusted Rand index on benchmarks/bench_clustering.py: 0.2 keeps topics apart when tags are noisy.
TAG_WEIGHT = 0.2
# Below this score two proposals are not shown as similar: unrelated texts of one domain score 0.02-0.12.
SIMILARITY_THRESHOLD = 0.2
# The most frequent terms kept: bounds the LSA's cost at 5,000 proposals (52,000 terms otherwise) at no loss of ARI.
MAX_TERMS = 20000

_TAG_COLUMNS = [f"al:{line.code}" for line in ACTION_LINES] + [f"sdg:{number}" for number in SDGS]
_TAG_INDEX = {name: index for index, name in enumerate(_TAG_COLUMNS)}


@dataclass
class FeatureMatrix:
    """Rows of L2-normalised features, one per proposal id, with the fitted vectorizer for term names."""

    proposal_ids: list[int]
    matrix: sparse.csr_matrix
    text_matrix: sparse.csr_matrix
    vectorizer: TfidfVectorizer | None

    @cached_property
    def terms(self) -> np.ndarray:
        """The vocabulary of the text block, in column order."""
        if self.vectorizer is None:
            return np.array([], dtype=object)
        return self.vectorizer.get_feature_names_out()


def proposal_text(proposal) -> str:
    """The text a proposal is compared on: title twice (it says most), summary, description, keywords."""
    parts = [proposal.title or "", proposal.title or "", proposal.summary or "", proposal.description or "",
             (proposal.keywords or "").replace(",", " ")]
    return "\n".join(part for part in parts if part)


def _min_df_for(size: int) -> int:
    # A term seen once cannot make two proposals alike; dropping it in large sets keeps the vocabulary small.
    return 1 if size < 200 else 2


def _make_vectorizer(size: int) -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=_min_df_for(size),
                           max_df=0.9 if size >= 50 else 1.0, max_features=MAX_TERMS, strip_accents="unicode",
                           dtype=np.float32)


def tag_matrix(tag_lists: Sequence[Iterable[str]]) -> sparse.csr_matrix:
    """One-hot rows of action lines ('al:C4') and SDGs ('sdg:4'), L2-normalised; unknown tags are ignored."""
    rows, columns = [], []
    for row, tags in enumerate(tag_lists):
        for tag in set(tags):
            column = _TAG_INDEX.get(tag)
            if column is not None:
                rows.append(row)
                columns.append(column)
    data = np.ones(len(rows), dtype=np.float32)
    matrix = sparse.csr_matrix((data, (rows, columns)), shape=(len(tag_lists), len(_TAG_COLUMNS)), dtype=np.float32)
    return normalize(matrix)


def proposal_tags(proposal) -> list[str]:
    """A proposal's action lines and SDGs as tag column names."""
    return [f"al:{tag.code}" for tag in proposal.action_lines] + [f"sdg:{tag.sdg}" for tag in proposal.sdgs]


def _tags_of(action_lines: Iterable[str], sdgs: Iterable[int]) -> list[str]:
    return [f"al:{code}" for code in action_lines] + [f"sdg:{int(number)}" for number in sdgs]


def combine_blocks(text: sparse.csr_matrix, tags: sparse.csr_matrix, *, tag_weight: float = TAG_WEIGHT) -> sparse.csr_matrix:
    """Join the text and tag blocks so that a dot product weighs them (1 - tag_weight) and tag_weight."""
    combined = sparse.hstack([text * np.sqrt(1.0 - tag_weight), tags * np.sqrt(tag_weight)], format="csr")
    # A row without tags (or without text) is rescaled to unit length so that it is not penalised for the gap.
    return normalize(combined).astype(np.float32)


def build_feature_matrix(proposals: Sequence, *, tag_weight: float = TAG_WEIGHT) -> FeatureMatrix:
    """TF-IDF of the proposals' text joined with their action lines and SDGs, rows L2-normalised.

    The proposals must have action_lines and sdgs loaded (selectinload) to avoid a query per proposal.
    """
    ids = [proposal.id for proposal in proposals]
    if not ids:
        empty = sparse.csr_matrix((0, len(_TAG_COLUMNS)), dtype=np.float32)
        return FeatureMatrix([], empty, empty, None)
    texts = [proposal_text(proposal) for proposal in proposals]
    tags = tag_matrix([proposal_tags(proposal) for proposal in proposals])
    text_matrix, vectorizer = fit_text(texts)
    return FeatureMatrix(ids, combine_blocks(text_matrix, tags, tag_weight=tag_weight), text_matrix, vectorizer)


def fit_text(texts: Sequence[str]) -> tuple[sparse.csr_matrix, TfidfVectorizer | None]:
    """TF-IDF rows of these texts (L2-normalised) and the fitted vectorizer (None when there is no text)."""
    if not texts:
        return sparse.csr_matrix((0, 0), dtype=np.float32), None
    vectorizer = _make_vectorizer(len(texts))
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:
        # Only stop words (or nothing) in every text: no vocabulary, so no text similarity.
        return sparse.csr_matrix((len(texts), 0), dtype=np.float32), None
    return matrix.tocsr(), vectorizer


def submitted_proposals_select(consultation_id: int) -> sa.Select:
    """The submitted proposals of a consultation with their tags loaded, in id order."""
    return (sa.select(Proposal)
            .where(Proposal.consultation_id == consultation_id, Proposal.status == ProposalStatus.SUBMITTED)
            .options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs))
            .order_by(Proposal.id))


def find_similar_proposals(consultation_id: int, text: str, *, action_lines: Iterable[str] = (),
                           sdgs: Iterable[int] = (), exclude_id: int | None = None,
                           limit: int = 5) -> list[tuple[Proposal, float]]:
    """Submitted proposals of the consultation most like this text (and tags), best first, with scores in [0, 1]."""
    query = submitted_proposals_select(consultation_id)
    if exclude_id is not None:
        query = query.where(Proposal.id != exclude_id)
    candidates = list(db.session.execute(query).scalars())
    if not candidates or not (text or "").strip() or limit <= 0:
        return []
    texts = [proposal_text(proposal) for proposal in candidates]
    matrix, vectorizer = fit_text(texts + [text])
    if vectorizer is None:
        return []
    text_scores = (matrix[:-1] @ matrix[-1].T).toarray().ravel()
    query_tags = _tags_of(action_lines, sdgs)
    if query_tags:
        tags = tag_matrix([proposal_tags(proposal) for proposal in candidates] + [query_tags])
        tag_scores = (tags[:-1] @ tags[-1].T).toarray().ravel()
        # Shared tags only lift a proposal whose text is already related: tags alone do not make it similar.
        scores = np.where(text_scores > 0, (1 - TAG_WEIGHT) * text_scores + TAG_WEIGHT * tag_scores, 0.0)
    else:
        scores = text_scores
    scores = np.clip(scores, 0.0, 1.0)
    order = np.argsort(-scores, kind="stable")
    return [(candidates[index], round(float(scores[index]), 4)) for index in order[:limit]
            if scores[index] >= SIMILARITY_THRESHOLD]
