"""Near-duplicates: pairs of proposals whose text is nearly the same, shown in a cluster's page."""
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from consult.proposals.similarity import fit_text, proposal_language, proposal_text

NEAR_DUPLICATE_THRESHOLD = 0.8
# Rows of the similarity product computed at once: bounds memory at 5,000 proposals.
_CHUNK_ROWS = 512


def near_duplicate_pairs(proposals: Sequence, *, threshold: float = NEAR_DUPLICATE_THRESHOLD) -> list[tuple[int, int, float]]:
    """Pairs of proposals whose text is nearly the same: (smaller id, larger id, score), best first.

    Only the text counts (tags are too coarse to make a duplicate); proposals need not have tags loaded.
    """
    if len(proposals) < 2:
        return []
    text_matrix, vectorizer = fit_text([proposal_text(proposal) for proposal in proposals],
                                       [proposal_language(proposal) for proposal in proposals])
    if vectorizer is None:
        return []
    return _pairs_above(text_matrix, [proposal.id for proposal in proposals], threshold)


def _pairs_above(matrix: sparse.csr_matrix, ids: Sequence[int], threshold: float) -> list[tuple[int, int, float]]:
    pairs = []
    transposed = matrix.T.tocsc()
    for start in range(0, matrix.shape[0], _CHUNK_ROWS):
        block = (matrix[start:start + _CHUNK_ROWS] @ transposed).toarray()
        rows, columns = np.nonzero(block >= threshold)
        for row, column in zip(rows, columns, strict=True):
            first = start + row
            if column > first:  # upper triangle: each pair once, never a proposal with itself
                low, high = sorted((ids[first], ids[column]))
                pairs.append((low, high, round(min(float(block[row, column]), 1.0), 4)))
    pairs.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
    return pairs
