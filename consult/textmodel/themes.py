"""Themes of a set of proposals: groups of related rows, described, with leftovers offered to the nearest group."""
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from consult.reference import N_, stored_message
from consult.textmodel.grouping import group_rows, group_rows_into
from consult.textmodel.naming import GroupDescription, MemberLabels, describe_group
from consult.textmodel.wording import Wording


@dataclass
class Theme:
    """A group of rows and its description; a leftover (one row) names the group nearest to it."""

    rows: list[int]
    description: GroupDescription
    nearest: int | None = None  # index of the nearest group in the returned list (leftovers only)
    nearest_similarity: float = 0.0

    @property
    def is_leftover(self) -> bool:
        return len(self.rows) == 1


def find_themes(matrix: sparse.csr_matrix, *, text_matrix: sparse.csr_matrix, terms: np.ndarray,
                readable: Callable[[str], str], members: Sequence[MemberLabels], titles: Sequence[str],
                k: int | None = None, floor: float = 0.0, languages: Sequence[str] | None = None,
                wording: Wording | None = None) -> tuple[np.ndarray, list[Theme]]:
    """(label of each row, themes largest first then leftovers); k None: groups of related rows (see grouping),
    whose members' mean similarity is at least floor. With the rows' languages, a leftover is offered only to a
    group of its language, and one alone in its language says so."""
    size = matrix.shape[0]
    if size == 0:
        return np.zeros(0, dtype=np.int64), []
    labels = group_rows(matrix, floor=floor) if k is None else group_rows_into(matrix, k)
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        groups.setdefault(int(label), []).append(row)
    ordered = sorted(groups.values(), key=lambda rows: (len(rows) == 1, -len(rows), rows[0]))
    themes = [Theme(rows, describe_group(rows, text_matrix=text_matrix, terms=terms, readable=readable,
                                         members=[members[row] for row in rows], wording=wording)
                    if len(rows) > 1 else
                    GroupDescription(titles[rows[0]][:200], []))
              for rows in ordered]
    _offer_leftovers(matrix, themes, languages)
    return labels, themes


def _offer_leftovers(matrix: sparse.csr_matrix, themes: list[Theme], languages: Sequence[str] | None = None) -> None:
    """Each one-proposal group learns the group of two or more (of its language) whose centre it is most similar to."""
    if languages is not None and len(set(languages)) > 1:
        _offer_within_languages(matrix, themes, languages)
        return
    grouped = [index for index, theme in enumerate(themes) if not theme.is_leftover]
    leftovers = [index for index, theme in enumerate(themes) if theme.is_leftover]
    if not grouped or not leftovers:
        return
    rows = [row for index in grouped for row in themes[index].rows]
    owner = np.repeat(np.arange(len(grouped)), [len(themes[index].rows) for index in grouped])
    indicator = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (owner, np.arange(len(rows)))),
                                  shape=(len(grouped), len(rows)))
    # The mean similarity to a group's members is the cosine with its (unnormalised) centroid.
    centroids = sparse.csr_matrix(indicator @ matrix[rows]).multiply(
        1.0 / np.array([len(themes[index].rows) for index in grouped], dtype=np.float32)[:, None]).tocsr()
    scores = (matrix[[themes[index].rows[0] for index in leftovers]] @ centroids.T).toarray()
    for position, index in enumerate(leftovers):
        best = int(np.argmax(scores[position]))
        leftover, nearest = themes[index], themes[grouped[best]]
        leftover.nearest = grouped[best]
        leftover.nearest_similarity = round(float(scores[position, best]), 2)
        leftover.description.reasons = [stored_message(N_("Like no group; nearest: “%(title)s” (similarity %(score).2f)"),
                                                       title=nearest.description.title,
                                                       score=leftover.nearest_similarity)]


def _offer_within_languages(matrix: sparse.csr_matrix, themes: list[Theme], languages: Sequence[str]) -> None:
    """_offer_leftovers language by language; a proposal alone in its language is told why it has no nearest."""
    counts = Counter(languages)
    by_language: dict[str, list[int]] = {}
    for index, theme in enumerate(themes):
        by_language.setdefault(languages[theme.rows[0]], []).append(index)
    for language, indexes in by_language.items():
        if counts[language] == 1:
            (index,) = indexes
            themes[index].description.reasons = [stored_message(N_(
                "No other proposal in %(language)s yet; the nearest in other languages are not compared."),
                language={"language": language})]
            continue
        subset = [themes[index] for index in indexes]
        _offer_leftovers(matrix, subset)
        for theme in subset:
            if theme.nearest is not None:
                theme.nearest = indexes[theme.nearest]
