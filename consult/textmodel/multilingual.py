"""The text model of proposals written in several languages: one corpus per language, side by side.

Each language is fitted on its own texts with its own analyzer (consult/textmodel/languages.py), and its
columns are its own, so the cosine of two texts in different languages is zero: a French proposal is compared
with French proposals only, never through the few stems it happens to share with English ("digital"). A corpus
of one language is exactly the model that language alone gives (English results stay as they were measured).
Terms of a language other than English are named with its code ("fr:numer"), so that a term names one column.
"""
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import sparse

from consult.reference import UN_LANGUAGES
from consult.textmodel.languages import DEFAULT_LANGUAGE
from consult.textmodel.model import THEME_KEYS, CorpusModel, fit_corpus


def _order(language: str) -> tuple[int, str]:
    return (UN_LANGUAGES.index(language) if language in UN_LANGUAGES else len(UN_LANGUAGES), language)


def _prefixed(term: str, language: str) -> str:
    if language == DEFAULT_LANGUAGE:
        return term
    return " ".join(f"{language}:{part}" for part in term.split())


def _shifted(rows: sparse.csr_matrix, offset: int, width: int) -> sparse.csr_matrix:
    """rows placed at columns offset.. of a matrix width columns wide."""
    rows = rows.tocsr()
    return sparse.csr_matrix((rows.data, rows.indices + offset, rows.indptr), shape=(rows.shape[0], width),
                             dtype=np.float32)


@dataclass
class MultilingualCorpus(CorpusModel):
    """Corpora of several languages in one column space; rows in the order of the texts given."""

    parts: dict[str, CorpusModel] = field(default_factory=dict)
    offsets: dict[str, int] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return self.documents.shape[1]

    @cached_property
    def terms(self) -> np.ndarray:
        """The vocabulary in column order, each language's terms named with its code (English as it is)."""
        names = [_prefixed(str(term), language) for language, part in self.parts.items() for term in part.terms]
        return np.array(names, dtype=object)

    def readable(self, term: str) -> str:
        """A term as written, in its language: 'fr:numer fr:societ' -> 'numérique société'."""
        words = []
        for part in term.split():
            language, _colon, stem = part.rpartition(":")
            corpus = self.parts.get(language or DEFAULT_LANGUAGE)
            words.append(corpus.forms.get(stem, stem) if corpus is not None else stem)
        return " ".join(words)

    def transform(self, texts: Sequence[str], language: str | None = None) -> sparse.csr_matrix:
        """TF-IDF rows of new texts of one language (default English); a language with no corpus gives empty rows."""
        part = self.parts.get(language or DEFAULT_LANGUAGE)
        if part is None or part.vectorizer is None:
            return sparse.csr_matrix((len(texts), self.width), dtype=np.float32)
        return _shifted(part.transform(texts), self.offsets[part.language], self.width)


def fit_corpora(texts: Sequence[str], languages: Sequence[str] | None = None) -> CorpusModel:
    """The text model of texts each in its language (default all English): one corpus per language, joined."""
    if languages is None:
        return fit_corpus(texts)
    if len(languages) != len(texts):
        raise ValueError("one language per text")
    rows_of: dict[str, list[int]] = {}
    for row, language in enumerate(languages):
        rows_of.setdefault(language or DEFAULT_LANGUAGE, []).append(row)
    if len(rows_of) <= 1:
        return fit_corpus(texts, language=next(iter(rows_of), DEFAULT_LANGUAGE))
    parts, offsets, width = {}, {}, 0
    for language in sorted(rows_of, key=_order):
        part = fit_corpus([texts[row] for row in rows_of[language]], language=language)
        parts[language], offsets[language] = part, width
        width += part.documents.shape[1]
    if width == 0:
        return fit_corpus(texts)
    stacked = sparse.vstack([_shifted(part.documents, offsets[language], width) for language, part in parts.items()],
                            format="csr")
    order = np.array([row for language in parts for row in rows_of[language]], dtype=np.int64)
    documents = stacked[np.argsort(order)].astype(np.float32)
    themes = sparse.csr_matrix((len(THEME_KEYS), width), dtype=np.float32)
    for language, part in parts.items():
        if part.themes.shape[1]:
            themes = themes + _shifted(part.themes, offsets[language], width)
    flag = next((part.vectorizer for part in parts.values() if part.vectorizer is not None), None)
    return MultilingualCorpus(flag, documents.tocsr(), themes.tocsr(), language="mul", parts=parts, offsets=offsets)
