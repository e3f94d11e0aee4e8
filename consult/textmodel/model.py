"""TF-IDF of a corpus fitted together with the reference texts of the action lines and SDGs.

The reference texts are documents of the corpus (they shape the vocabulary and the IDF), so that a short
proposal is placed near the themes it names even when no other proposal uses its words: "telemedicine" and
"hospitals" meet in E-health. `concepts` is each document's cosine with each reference theme.

A corpus is of one language. The reference texts are English, so a corpus in another language is fitted on its
own texts only and its themes are empty: its proposals meet on their words and on the labels the committee
confirms, not on English key terms that no stemmer of theirs reads (consult/textmodel/multilingual.py joins
the corpora of several languages).
"""
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from consult.textmodel.analysis import analyse, forms_of
from consult.textmodel.languages import DEFAULT_LANGUAGE
from consult.textmodel.theme_texts import ACTION_LINE_TEXTS, SDG_TEXTS

THEME_KEYS: tuple[str, ...] = tuple(f"al:{code}" for code in ACTION_LINE_TEXTS) + tuple(f"sdg:{n}" for n in SDG_TEXTS)
THEME_TEXTS: tuple[str, ...] = tuple(ACTION_LINE_TEXTS.values()) + tuple(SDG_TEXTS.values())
ACTION_LINE_COLUMNS = slice(0, len(ACTION_LINE_TEXTS))
SDG_COLUMNS = slice(len(ACTION_LINE_TEXTS), len(THEME_KEYS))
# The most frequent terms kept: a bound on memory, high enough not to cut into the terms that tell themes
# apart. At 50,000 proposals 30,000 kept mostly the frequent bigrams of one topic word and one common word and
# dropped most pairs of topic words: 60 topics came back as 71 groups of 0.77 ARI (1.00 at 5,000 proposals),
# and as 61 groups of 1.00 ARI with 100,000 (benchmarks/bench_clustering.py's generator; the dev set's
# vocabulary is far below either).
MAX_TERMS = 100_000


@dataclass
class CorpusModel:
    """The fitted vectorizer, the documents' TF-IDF rows and the reference themes' rows (all L2-normalised)."""

    vectorizer: TfidfVectorizer | None
    documents: sparse.csr_matrix
    themes: sparse.csr_matrix
    seen: Counter = field(default_factory=Counter, repr=False)
    language: str = DEFAULT_LANGUAGE

    @cached_property
    def forms(self) -> dict[str, str]:
        """The word most often behind each stem in the corpus, to print terms as people wrote them."""
        return forms_of(self.seen, self.language)

    def readable(self, term: str) -> str:
        """A term as written: 'cybersecur trust' -> 'cybersecurity trust'."""
        return " ".join(self.forms.get(part, part) for part in term.split())

    @cached_property
    def terms(self) -> np.ndarray:
        """The vocabulary in column order (stems and stem bigrams)."""
        if self.vectorizer is None:
            return np.array([], dtype=object)
        return self.vectorizer.get_feature_names_out()

    @cached_property
    def concepts(self) -> np.ndarray:
        """Cosine of each document with each reference theme (rows: documents, columns: THEME_KEYS)."""
        return (self.documents @ self.themes.T).toarray().astype(np.float32)

    def transform(self, texts: Sequence[str], language: str | None = None) -> sparse.csr_matrix:
        """TF-IDF rows of new texts in this model's vocabulary; a text of another language is an empty row."""
        if self.vectorizer is None:
            return sparse.csr_matrix((len(texts), 0), dtype=np.float32)
        if language is not None and language != self.language:
            return sparse.csr_matrix((len(texts), self.documents.shape[1]), dtype=np.float32)
        return self.vectorizer.transform(texts).tocsr()


def _min_df_for(size: int) -> int:
    # A term seen once cannot make two proposals alike; dropping it in large sets keeps the vocabulary small.
    return 1 if size < 200 else 2


def fit_corpus(texts: Sequence[str], *, language: str = DEFAULT_LANGUAGE) -> CorpusModel:
    """Fit TF-IDF (stems, bigrams, sublinear tf) on the texts of one language (and, in English, the themes)."""
    size = len(texts)
    seen: Counter = Counter()
    vectorizer = TfidfVectorizer(analyzer=partial(analyse, seen=seen, language=language), sublinear_tf=True,
                                 min_df=_min_df_for(size), max_df=0.5 if size >= 50 else 1.0, max_features=MAX_TERMS,
                                 dtype=np.float32)
    themes = list(THEME_TEXTS) if language == DEFAULT_LANGUAGE else []
    try:
        matrix = vectorizer.fit_transform(list(texts) + themes).tocsr()
    except ValueError:
        # Only stop words (or nothing) in every text: no vocabulary, so no text similarity.
        empty = sparse.csr_matrix((size, 0), dtype=np.float32)
        return CorpusModel(None, empty, sparse.csr_matrix((len(THEME_KEYS), 0), dtype=np.float32), language=language)
    # The analyzer keeps counting on later transforms: the counts are of the fitted corpus only.
    vectorizer.set_params(analyzer=partial(analyse, language=language))
    theme_rows = matrix[size:] if themes else sparse.csr_matrix((len(THEME_KEYS), matrix.shape[1]), dtype=np.float32)
    return CorpusModel(vectorizer, matrix[:size], theme_rows, seen, language)


def unit_rows(matrix):
    """Rows scaled to unit length (zero rows stay zero); an empty matrix is returned as it is."""
    if matrix.shape[0] == 0 or matrix.shape[1] == 0:
        return matrix
    return normalize(matrix)


def sharpen(concepts: np.ndarray, *, keep: int, full_at: float) -> np.ndarray:
    """Each row's `keep` strongest theme affinities (the rest zeroed), scaled so that a cosine of full_at counts
    fully and rows are at most of unit length: a text that names its themes gets their full weight, a text that
    merely brushes against them (generic words) gets little, instead of a unit vector pointing at noise."""
    if concepts.shape[0] == 0 or concepts.shape[1] == 0 or keep <= 0:
        return np.zeros_like(concepts)
    keep = min(keep, concepts.shape[1])
    threshold = -np.partition(-concepts, keep - 1, axis=1)[:, keep - 1:keep]
    kept = np.where(concepts >= threshold, concepts, 0.0) / full_at
    lengths = np.linalg.norm(kept, axis=1, keepdims=True)
    return np.where(lengths > 1.0, kept / np.maximum(lengths, 1e-12), kept).astype(np.float32)
