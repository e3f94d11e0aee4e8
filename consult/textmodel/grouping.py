"""Groups of documents from their cosine similarity: average linkage cut where members stop being related.

The number of groups is not guessed: a group is kept together while the mean similarity of its members stays
at or above RELATED_SIMILARITY, the score above which two proposals are shown as similar. Up to EXACT_UP_TO
rows the average-linkage tree is exact; beyond, it is built on a fixed sample and every row then joins the
nearest group found (spherical k-means from those centres), so 50,000 rows stay within seconds and memory.
"""
import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.preprocessing import normalize

RANDOM_STATE = 0
# Two proposals at or above this cosine read as related (the similar-proposals box uses the same score).
RELATED_SIMILARITY = 0.2
EXACT_UP_TO = 2500
SAMPLE_SIZE = 2500
# Rounds of reassignment after seeding from the sample: the groups settle in two or three.
REFINE_ROUNDS = 3
_CHUNK_ROWS = 4096


def _average_tree(matrix) -> np.ndarray:
    dense = matrix @ matrix.T
    similarity = dense.toarray() if sparse.issparse(dense) else np.asarray(dense)
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    return linkage(squareform(distance, checks=False), method="average")


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Labels 0..k-1 numbered by first appearance (stable across runs)."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse]


def _centres(matrix, labels: np.ndarray, count: int) -> sparse.csr_matrix:
    indicator = sparse.csr_matrix((np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))),
                                  shape=(count, len(labels)))
    return normalize(sparse.csr_matrix(indicator @ matrix))


def _nearest(matrix, centres) -> tuple[np.ndarray, np.ndarray]:
    best = np.empty(matrix.shape[0], dtype=np.int64)
    score = np.empty(matrix.shape[0], dtype=np.float32)
    transposed = centres.T.tocsc() if sparse.issparse(centres) else centres.T
    for start in range(0, matrix.shape[0], _CHUNK_ROWS):
        block = matrix[start:start + _CHUNK_ROWS] @ transposed
        block = block.toarray() if sparse.issparse(block) else np.asarray(block)
        best[start:start + len(block)] = block.argmax(axis=1)
        score[start:start + len(block)] = block.max(axis=1)
    return best, score


def _sample_rows(size: int) -> np.ndarray:
    rng = np.random.default_rng(RANDOM_STATE)
    return np.sort(rng.choice(size, SAMPLE_SIZE, replace=False))


def _spread(matrix, seed_labels: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """Every row joins the nearest centre of the sample's groups of two or more; a few rounds of reassignment."""
    counts = np.bincount(seed_labels)
    kept = np.flatnonzero(counts >= 2)
    if kept.size == 0:
        return np.arange(matrix.shape[0])
    remap = np.full(counts.size, -1)
    remap[kept] = np.arange(kept.size)
    seeded = remap[seed_labels]
    centres = _centres(matrix[sample[seeded >= 0]], seeded[seeded >= 0], kept.size)
    labels = np.zeros(matrix.shape[0], dtype=np.int64)
    for _ in range(REFINE_ROUNDS):
        labels, _scores = _nearest(matrix, centres)
        present = np.unique(labels)
        labels = np.searchsorted(present, labels)
        centres = _centres(matrix, labels, present.size)
    return labels


def group_rows(matrix, *, min_similarity: float = RELATED_SIMILARITY) -> np.ndarray:
    """Labels of groups whose members' mean cosine is at least min_similarity (rows L2-normalised)."""
    size = matrix.shape[0]
    if size == 0:
        return np.zeros(0, dtype=np.int64)
    if size == 1:
        return np.zeros(1, dtype=np.int64)
    if size <= EXACT_UP_TO:
        labels = fcluster(_average_tree(matrix), t=1.0 - min_similarity, criterion="distance") - 1
        return _relabel(labels)
    sample = _sample_rows(size)
    seed = fcluster(_average_tree(matrix[sample]), t=1.0 - min_similarity, criterion="distance") - 1
    return _relabel(_spread(matrix, seed, sample))


def group_rows_into(matrix, k: int) -> np.ndarray:
    """Labels of exactly k groups (or fewer when rows are identical): the committee chose k."""
    size = matrix.shape[0]
    k = max(1, min(k, size))
    if k == 1 or size < 2:
        return np.zeros(size, dtype=np.int64)
    if size <= EXACT_UP_TO:
        return _relabel(fcluster(_average_tree(matrix), t=k, criterion="maxclust") - 1)
    sample = _sample_rows(size)
    seed = fcluster(_average_tree(matrix[sample]), t=k, criterion="maxclust") - 1
    return _relabel(_spread(matrix, seed, sample))


def mean_pairwise_similarity(matrix, rows) -> float:
    """Mean cosine similarity of the distinct pairs among these rows (1.0 for a single row)."""
    rows = list(rows)
    if len(rows) < 2:
        return 1.0
    block = matrix[rows]
    total = block @ block.T
    total = float(total.sum()) - len(rows)  # rows are L2-normalised: the diagonal sums to len(rows)
    return total / (len(rows) * (len(rows) - 1))
