"""Text similarity of proposals: similar proposals and the feature matrix that clustering and near-duplicates use.

A proposal is described by the text model (consult/textmodel: Snowball stems and stem bigrams, TF-IDF fitted
together with the reference texts of the action lines and SDGs), by the few themes its text is nearest to, and
by its confirmed action lines and SDGs. Each language has its own text model (consult/textmodel/multilingual.py):
proposals in different languages share no term, so only proposals of one language are similar. Each block is
L2-normalised on its own and weighted so that the cosine of two rows is

    (1 - TAG_WEIGHT) * [(1 - THEME_WEIGHT) * cosine(text) + THEME_WEIGHT * cosine(themes)] + TAG_WEIGHT * cosine(tags)

The themes block lets two short texts meet on the theme they both name in different words ("telemedicine",
"hospital records": E-health). TAG_WEIGHT stays below half of RELATED_SIMILARITY, so a shared action line
alone never makes two proposals related: the text must be related too. Labels suggested by the model and not
yet confirmed by the committee are not tags (they come from the text, which is already counted).
"""
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sqlalchemy as sa
from flask import current_app
from scipy import sparse
from sklearn.preprocessing import normalize
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.proposals.models import Proposal, ProposalActionLine, ProposalSdg, ProposalStatus
from consult.textmodel.grouping import RELATED_SIMILARITY
from consult.textmodel.labels import learned_centres
from consult.textmodel.languages import DEFAULT_LANGUAGE
from consult.textmodel.model import THEME_KEYS, CorpusModel, sharpen, unit_rows
from consult.textmodel.multilingual import fit_corpora
from consult.textmodel.wording import Wording

# Share of the text similarity given to the themes both texts are nearest to. Measured on
# benchmarks/bench_themes.py with k given: 0.3 gave the best NMI of 0, 0.15, 0.3, 0.45 and 0.5 on the dev set.
THEME_WEIGHT = 0.3
# The strongest themes kept per proposal: a text names a few themes, not all 36 (3 was best of 2, 3 and 6).
THEMES_KEPT = 3
# The cosine with a reference text at which a theme counts fully: a proposal using two or three of its key
# terms reaches it (real sessions: median 0.07, tenth decile 0.18); generic words shared with every theme stay
# far below (0.02 on the synthetic topics of benchmarks/bench_clustering.py, where themes are only noise).
THEME_FULL_AT = 0.1
# Share of the cosine given to confirmed action lines and SDGs: below RELATED_SIMILARITY / 2 by design, so that
# proposals sharing only an action line are never grouped on it (35 unrelated sessions once were).
TAG_WEIGHT = 0.08
# Below this score two proposals are not shown as similar: unrelated texts of one domain score 0.02-0.12.
SIMILARITY_THRESHOLD = RELATED_SIMILARITY

# The tag columns are the text model's theme keys, so that labelled proposals teach the label suggestions.
_TAG_COLUMNS = list(THEME_KEYS)
_TAG_INDEX = {name: index for index, name in enumerate(_TAG_COLUMNS)}


@dataclass
class FeatureMatrix:
    """Rows of L2-normalised features, one per proposal id, with the fitted text model for term names."""

    proposal_ids: list[int]
    matrix: sparse.csr_matrix
    text_matrix: sparse.csr_matrix
    corpus: CorpusModel | None
    texts: Sequence[str] = ()
    languages: Sequence[str] | None = None

    @cached_property
    def wording(self) -> Wording:
        """The proposals' texts, read for how they write the terms of the model (cluster titles and reasons)."""
        return Wording(self.texts, self.languages)

    @property
    def vectorizer(self):
        """The fitted TF-IDF vectorizer, or None when no text had a content word."""
        return self.corpus.vectorizer if self.corpus is not None else None

    @cached_property
    def terms(self) -> np.ndarray:
        """The vocabulary of the text block (stems and stem bigrams), in column order."""
        if self.corpus is None:
            return np.array([], dtype=object)
        return self.corpus.terms

    def readable(self, term: str) -> str:
        """A term as written: 'cybersecur trust' -> 'cybersecurity trust'."""
        return self.corpus.readable(term) if self.corpus is not None else term


def proposal_text(proposal) -> str:
    """The text a proposal is compared on: title twice (it says most), summary, description, keywords."""
    parts = [proposal.title or "", proposal.title or "", proposal.summary or "", proposal.description or "",
             (proposal.keywords or "").replace(",", " ")]
    return "\n".join(part for part in parts if part)


def proposal_language(proposal) -> str:
    """The language a proposal's text is read in (English for content that does not say)."""
    return getattr(proposal, "language", None) or DEFAULT_LANGUAGE


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
    return unit_rows(matrix)


def proposal_tags(proposal) -> list[str]:
    """A proposal's action lines and SDGs as tag column names."""
    return _tags_of(proposal.action_line_codes, proposal.sdg_numbers)


def _tags_of(action_lines: Iterable[str], sdgs: Iterable[int]) -> list[str]:
    return [f"al:{code}" for code in action_lines] + [f"sdg:{int(number)}" for number in sdgs]


def combine_blocks(text: sparse.csr_matrix, tags: sparse.csr_matrix, *, tag_weight: float = TAG_WEIGHT) -> sparse.csr_matrix:
    """Join the text and tag blocks so that a dot product weighs them (1 - tag_weight) and tag_weight."""
    combined = sparse.hstack([text * np.sqrt(1.0 - tag_weight), tags * np.sqrt(tag_weight)], format="csr")
    # A row without tags (or without text) is rescaled to unit length so that it is not penalised for the gap.
    return normalize(combined).astype(np.float32)


def text_block(corpus: CorpusModel, documents: sparse.csr_matrix | None = None,
               concepts: np.ndarray | None = None) -> sparse.csr_matrix:
    """Text TF-IDF joined with the strongest themes of each text, weighted by THEME_WEIGHT, rows L2-normalised."""
    documents = corpus.documents if documents is None else documents
    concepts = corpus.concepts if concepts is None else concepts
    themes = sparse.csr_matrix(sharpen(concepts, keep=THEMES_KEPT, full_at=THEME_FULL_AT))
    joined = sparse.hstack([documents * np.sqrt(1.0 - THEME_WEIGHT), themes * np.sqrt(THEME_WEIGHT)], format="csr")
    return unit_rows(joined).astype(np.float32)


def build_feature_matrix(proposals: Sequence, *, tag_weight: float = TAG_WEIGHT) -> FeatureMatrix:
    """The text model of the proposals joined with their confirmed action lines and SDGs, rows L2-normalised.

    The proposals must have action_lines and sdgs loaded (selectinload) to avoid a query per proposal.
    """
    ids = [proposal.id for proposal in proposals]
    if not ids:
        empty = sparse.csr_matrix((0, len(_TAG_COLUMNS)), dtype=np.float32)
        return FeatureMatrix([], empty, empty, None)
    texts = [proposal_text(proposal) for proposal in proposals]
    languages = [proposal_language(proposal) for proposal in proposals]
    tags = tag_matrix([proposal_tags(proposal) for proposal in proposals])
    corpus = fit_corpora(texts, languages)
    return FeatureMatrix(ids, combine_blocks(text_block(corpus), tags, tag_weight=tag_weight), corpus.documents,
                         corpus if corpus.vectorizer is not None else None, texts, languages)


def fit_text(texts: Sequence[str], languages: Sequence[str] | None = None) -> tuple[sparse.csr_matrix, object | None]:
    """TF-IDF rows of these texts in the text model (L2-normalised) and its vectorizer (None without text)."""
    corpus = fit_corpora(texts, languages)
    return corpus.documents, corpus.vectorizer


def submitted_proposals_select(consultation_id: int) -> sa.Select:
    """The submitted proposals of a consultation with their tags loaded, in id order."""
    return (sa.select(Proposal)
            .where(Proposal.consultation_id == consultation_id, Proposal.status == ProposalStatus.SUBMITTED)
            .options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs))
            .order_by(Proposal.id))


@dataclass
class CorpusIndex:
    """The text model of a consultation's submitted proposals, as of a fingerprint of their rows."""

    fingerprint: tuple
    checked_at: float  # time.monotonic() of the last comparison of the fingerprint
    proposal_ids: np.ndarray
    languages: np.ndarray
    corpus: CorpusModel
    # Column-compressed: a text being written scores the proposals through the columns of its own terms only
    # (an inverted index), 2 ms at 50,000 proposals where the product with every row took 25 ms.
    features: sparse.csc_matrix
    tags: sparse.csr_matrix

    @cached_property
    def centres(self) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Centre of the proposals confirmed with each action line and SDG, and their counts (label suggestions)."""
        return learned_centres(self.corpus.documents, self.tags)


# One fitted model per consultation and process. It is a cache, not state: a use compares the fingerprint of
# the proposal rows (one aggregate query) and refits when anything was submitted, edited, retagged or
# withdrawn, so several workers on several hosts answer alike (within TEXT_MODEL_RECHECK_SECONDS of a change).
_INDEXES: dict[int, CorpusIndex] = {}
_INDEXES_KEPT = 8


def _fingerprint(consultation_id: int) -> tuple:
    submitted = sa.and_(Proposal.consultation_id == consultation_id, Proposal.status == ProposalStatus.SUBMITTED)
    tag_count = (sa.select(sa.func.count()).select_from(ProposalActionLine).join(Proposal)
                 .where(submitted).scalar_subquery())
    sdg_count = sa.select(sa.func.count()).select_from(ProposalSdg).join(Proposal).where(submitted).scalar_subquery()
    row = db.session.execute(sa.select(sa.func.count(Proposal.id), sa.func.max(Proposal.updated_at),
                                       sa.func.sum(Proposal.version_id), sa.func.max(Proposal.id),
                                       tag_count, sdg_count).where(submitted)).one()
    return tuple(row)


def corpus_index(consultation_id: int) -> tuple[CorpusIndex, list[Proposal] | None]:
    """The consultation's fitted index, refitted when its proposals changed (then with the proposals loaded)."""
    index = _INDEXES.get(consultation_id)
    now = time.monotonic()
    # Checked a moment ago: on deadline day hundreds of drafts ask within seconds, and each check reads every
    # submitted row (see TEXT_MODEL_RECHECK_SECONDS).
    if index is not None and now - index.checked_at < current_app.config.get("TEXT_MODEL_RECHECK_SECONDS", 0.0):
        return index, None
    fingerprint = _fingerprint(consultation_id)
    if index is not None and index.fingerprint == fingerprint:
        index.checked_at = now
        return index, None
    proposals = list(db.session.execute(submitted_proposals_select(consultation_id)).scalars())
    languages = [proposal_language(proposal) for proposal in proposals]
    corpus = fit_corpora([proposal_text(proposal) for proposal in proposals], languages)
    index = CorpusIndex(fingerprint, now, np.array([proposal.id for proposal in proposals], dtype=np.int64),
                        np.array(languages, dtype=object), corpus, text_block(corpus).tocsc(),
                        tag_matrix([proposal_tags(proposal) for proposal in proposals]))
    if len(_INDEXES) >= _INDEXES_KEPT:
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[consultation_id] = index
    return index, proposals


def query_block(corpus: CorpusModel, text: str, language: str = DEFAULT_LANGUAGE) -> sparse.csr_matrix:
    """The features of a text being written, in the corpus's model of its language (the same block as a proposal's)."""
    documents = corpus.transform([text], language)
    concepts = (documents @ corpus.themes.T).toarray() if documents.shape[1] else np.zeros((1, corpus.themes.shape[0]))
    return text_block(corpus, unit_rows(documents), concepts.astype(np.float32))


def find_similar_proposals(consultation_id: int, text: str, *, action_lines: Iterable[str] = (),
                           sdgs: Iterable[int] = (), exclude_id: int | None = None, limit: int = 5,
                           language: str = DEFAULT_LANGUAGE) -> list[tuple[Proposal, float]]:
    """Submitted proposals of the consultation most like this text (and tags), best first, with scores in [0, 1].

    The score is the cosine that the clustering uses, so the proposals shown are those the committee's
    suggestions would put beside this one; only proposals in the text's language are compared.
    """
    if not (text or "").strip() or limit <= 0:
        return []
    index, loaded = corpus_index(consultation_id)
    if index.corpus.vectorizer is None or not index.proposal_ids.size:
        return []
    query = query_block(index.corpus, text, language)
    text_scores = np.asarray(index.features[:, query.indices] @ query.data).ravel()
    query_tags = _tags_of(action_lines, sdgs)
    if query_tags:
        tag_scores = (index.tags @ tag_matrix([query_tags]).T).toarray().ravel()
        # Shared tags only lift a proposal whose text is already related: tags alone do not make it similar.
        scores = np.where(text_scores > 0, (1 - TAG_WEIGHT) * text_scores + TAG_WEIGHT * tag_scores, 0.0)
    else:
        scores = text_scores
    scores = np.clip(scores, 0.0, 1.0)
    # Tags alone never cross a language: a proposal in another language is not compared.
    scores[index.languages != language] = 0.0
    if exclude_id is not None:
        scores[index.proposal_ids == exclude_id] = 0.0
    # The best `limit` rows without sorting 50,000 scores: those at or above the limit-th score (ties kept, so
    # that the first rows of equal score win as in a stable sort), then those few in order.
    kth = -np.partition(-scores, limit - 1)[limit - 1] if limit < len(scores) else -np.inf
    best = np.flatnonzero(scores >= kth)
    best = best[np.lexsort((best, -scores[best]))][:limit]
    order = [int(row) for row in best if scores[row] >= SIMILARITY_THRESHOLD]
    wanted = [int(index.proposal_ids[row]) for row in order]
    if loaded is None:
        loaded = list(db.session.execute(submitted_proposals_select(consultation_id)
                                          .where(Proposal.id.in_(wanted))).scalars()) if wanted else []
    by_id = {proposal.id: proposal for proposal in loaded}
    return [(by_id[proposal_id], round(float(scores[row]), 4)) for proposal_id, row in zip(wanted, order, strict=True)
            if proposal_id in by_id]


def is_alone_in_language(consultation_id: int, language: str, *, exclude_id: int | None = None) -> bool:
    """Whether the consultation's submitted proposals (besides exclude_id) are all in other languages: then none
    is compared with a proposal in this one, and the page says so."""
    index, _loaded = corpus_index(consultation_id)
    others = index.proposal_ids != exclude_id if exclude_id is not None else np.ones(len(index.proposal_ids), bool)
    same = others & (index.languages == language)
    return bool(others.any()) and not same.any()
