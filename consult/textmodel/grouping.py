"""Groups of documents from their cosine similarity: average linkage cut where members stop being related.

The number of groups is not guessed: a group is kept together while the mean similarity of its members stays
at or above a level read from the data itself, half the median similarity of a document to its nearest
neighbour (how alike a proposal and its closest theme-mate typically are), and never above
RELATED_SIMILARITY, the score at which two proposals are always shown as similar. Scale-free, it holds on
short real session texts (nearest neighbours at 0.2-0.3) as on long texts of weak topics (0.14). Up to
EXACT_UP_TO rows the average-linkage tree is exact; beyond, it is built on a fixed sample (its level read on the
sample itself), every row then joins the nearest group found (spherical k-means from those centres), and groups
as alike as the level asks are joined again (join_related_groups), so that 50,000 rows stay within seconds and
a theme that the sample holds only ten rows of is not split in two.
"""
import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from consult.textmodel.consensus import consensus_groups, view_dimensions

RANDOM_STATE = 0
# Two proposals at or above this cosine read as related (the similar-proposals box uses the same score).
RELATED_SIMILARITY = 0.2
# A group holds while its members are on average at least this share as alike as a proposal and its nearest
# neighbour typically are.
NEIGHBOUR_SHARE = 0.5
EXACT_UP_TO = 2000
SAMPLE_SIZE = 2000
# Rounds of reassignment after seeding from the sample: the groups settle in two or three.
REFINE_ROUNDS = 3
# Rounds of reassignment after related groups were joined: the rows on the edge of a joined group settle.
JOINED_ROUNDS = 1
_CHUNK_ROWS = 4096
# Centres held dense up to this many values (float32: 256 MB), sparse beyond.
DENSE_CENTRES_UP_TO = 64_000_000
# Dimensions of the LSA used when k is given: enough for topics, few enough for Ward and k-means at 50,000 rows.
LSA_COMPONENTS = 100


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
    if sparse.issparse(centres) and centres.shape[0] * centres.shape[1] <= DENSE_CENTRES_UP_TO:
        # A centre sums hundreds of rows: nearly dense, and sparse times dense is seven times faster at 50,000
        # rows than sparse times sparse (0.9 s against 7 s a round for 220 groups).
        centres = centres.toarray()
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
    return _reassigned(matrix, _centres(matrix[sample[seeded >= 0]], seeded[seeded >= 0], kept.size), REFINE_ROUNDS)


def _reassigned(matrix, centres, rounds: int) -> np.ndarray:
    """Labels after rounds of spherical k-means from these centres (a centre that loses every row goes)."""
    labels = np.zeros(matrix.shape[0], dtype=np.int64)
    for _ in range(rounds):
        labels, _scores = _nearest(matrix, centres)
        present = np.unique(labels)
        labels = np.searchsorted(present, labels)
        centres = _centres(matrix, labels, present.size)
    return labels


def join_related_groups(matrix, labels: np.ndarray, level: float) -> np.ndarray:
    """Groups joined while the mean similarity across two of them stays at or above the level: average linkage
    (UPGMA) continued from these groups, the criterion the cut applies to single rows.

    A sample of 2,000 rows holds ten of each theme when 50,000 proposals have 200 themes: too few for its tree to
    keep every theme whole, and a theme split in the sample stays split once every row has joined its nearest
    centre. Across the whole data the halves of one theme are as alike as its members, and join again.
    """
    count = int(labels.max()) + 1 if len(labels) else 0
    if count < 2:
        return labels
    sizes = np.bincount(labels, minlength=count).astype(np.float64)
    indicator = sparse.csr_matrix((np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))),
                                  shape=(count, len(labels)))
    # The mean similarity of two groups' members is the product of their (unnormalised) mean rows.
    means = sparse.csr_matrix(indicator @ matrix).multiply(1.0 / sizes[:, None]).tocsr()
    across = (means @ means.T).toarray().astype(np.float64)
    np.fill_diagonal(across, -np.inf)
    owner = np.arange(count)
    while True:
        first, second = divmod(int(np.argmax(across)), count)
        if across[first, second] < level:
            break
        joined = (sizes[first] * across[first] + sizes[second] * across[second]) / (sizes[first] + sizes[second])
        across[first], across[:, first] = joined, joined
        across[first, first] = -np.inf
        across[second], across[:, second] = -np.inf, -np.inf
        sizes[first] += sizes[second]
        owner[owner == second] = first
    return _relabel(owner[labels])


def nearest_neighbour_similarity(matrix, rows: np.ndarray | None = None) -> float:
    """Median over these rows (default all) of the cosine with their most similar other row."""
    size = matrix.shape[0]
    rows = np.arange(size) if rows is None else rows
    best = np.zeros(len(rows), dtype=np.float32)
    transposed = matrix.T.tocsc() if sparse.issparse(matrix) else matrix.T
    for start in range(0, len(rows), _CHUNK_ROWS // 8):
        chunk = rows[start:start + _CHUNK_ROWS // 8]
        block = matrix[chunk] @ transposed
        block = block.toarray() if sparse.issparse(block) else np.array(block)
        block[np.arange(len(chunk)), chunk] = -1.0  # not itself
        best[start:start + len(chunk)] = block.max(axis=1)
    return float(np.median(best))


def related_level(matrix, rows: np.ndarray | None = None, *, floor: float = 0.0) -> float:
    """The mean similarity a group's members keep: NEIGHBOUR_SHARE of the nearest-neighbour median, capped at
    RELATED_SIMILARITY, and at least floor (what shared labels alone can add, so that they never suffice)."""
    return max(floor, min(RELATED_SIMILARITY, NEIGHBOUR_SHARE * nearest_neighbour_similarity(matrix, rows)))


def group_rows(matrix, *, min_similarity: float | None = None, floor: float = 0.0) -> np.ndarray:
    """Labels of groups whose members' mean cosine is at least min_similarity (default: read from the data)."""
    size = matrix.shape[0]
    if size < 2:
        return np.zeros(size, dtype=np.int64)
    if size <= EXACT_UP_TO:
        level = related_level(matrix, floor=floor) if min_similarity is None else min_similarity
        return _relabel(_agreed_groups(matrix, level))
    sample = _sample_rows(size)
    sampled = matrix[sample]
    # The level is read on the rows the tree is cut on: a row's nearest neighbour among 50,000 is closer than
    # among the 2,000 of the sample, and a level read on all rows cut the sample's themes apart (340 groups
    # for 200 themes).
    level = related_level(sampled, floor=floor) if min_similarity is None else min_similarity
    labels = join_related_groups(matrix, _spread(matrix, _agreed_groups(sampled, level), sample), level)
    centres = _centres(matrix, labels, int(labels.max()) + 1)
    return _relabel(_reassigned(matrix, centres, JOINED_ROUNDS))


def _agreed_groups(matrix, level: float) -> np.ndarray:
    """The average-linkage cut at this level, then the consensus of it and k-means runs (see consensus.py)."""
    cut = _relabel(fcluster(_average_tree(matrix), t=1.0 - level, criterion="distance") - 1)
    dimensions = view_dimensions(int(cut.max()) + 1)
    views = lsa_views(matrix, tuple(dimensions.values()))
    return consensus_groups(cut, {view: views[dimension] for view, dimension in dimensions.items()})


def lsa(matrix, components: int = LSA_COMPONENTS) -> np.ndarray:
    """The rows reduced by truncated SVD (latent semantic analysis), L2-normalised, dense float32."""
    rows, columns = matrix.shape
    components = min(components, rows - 1, columns - 1)
    if components < 2:
        dense = matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)
        return normalize(dense).astype(np.float32)
    svd = TruncatedSVD(n_components=components, random_state=RANDOM_STATE, algorithm="randomized", n_iter=4)
    return normalize(svd.fit_transform(matrix)).astype(np.float32)


def lsa_views(matrix, dimensions) -> dict[int, np.ndarray]:
    """The rows in LSA at each number of dimensions, unit rows, from one SVD (its leading components are the
    smaller SVDs)."""
    rows, columns = matrix.shape
    largest = min(max(dimensions), rows - 1, columns - 1)
    if largest < 2:
        dense = normalize(matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)).astype(np.float32)
        return {dimension: dense for dimension in dimensions}
    svd = TruncatedSVD(n_components=largest, random_state=RANDOM_STATE, algorithm="randomized", n_iter=4)
    reduced = svd.fit_transform(matrix)
    return {dimension: normalize(reduced[:, :min(dimension, largest)]).astype(np.float32) for dimension in dimensions}


def group_rows_into(matrix, k: int) -> np.ndarray:
    """Labels of k groups (fewer only when rows are identical): the committee chose k.

    Ward's method on the LSA of the rows, which makes groups of comparable spread rather than cutting off the
    outliers first as average linkage would; beyond EXACT_UP_TO rows, k-means started from Ward on a sample.
    """
    size = matrix.shape[0]
    k = max(1, min(k, size))
    if k == 1 or size < 2:
        return np.zeros(size, dtype=np.int64)
    # At least as many dimensions as groups: 200 themes do not stay apart in 100 (ARI 0.45 at 50,000 proposals
    # of 200 topics with k given, against 0.75 with k chosen).
    points = lsa(matrix, max(LSA_COMPONENTS, k))
    if size <= EXACT_UP_TO:
        return _relabel(fcluster(linkage(points, method="ward"), t=k, criterion="maxclust") - 1)
    sample = points[_sample_rows(size)]
    seed = fcluster(linkage(sample, method="ward"), t=k, criterion="maxclust") - 1
    start = np.vstack([sample[seed == label].mean(axis=0) for label in np.unique(seed)])
    kmeans = MiniBatchKMeans(n_clusters=start.shape[0], init=start, n_init=1, random_state=RANDOM_STATE,
                             batch_size=2048, max_iter=100)
    return _relabel(kmeans.fit_predict(points))


def mean_pairwise_similarity(matrix, rows) -> float:
    """Mean cosine similarity of the distinct pairs among these rows (1.0 for a single row)."""
    rows = list(rows)
    if len(rows) < 2:
        return 1.0
    block = matrix[rows]
    total = block @ block.T
    total = float(total.sum()) - len(rows)  # rows are L2-normalised: the diagonal sums to len(rows)
    return total / (len(rows) * (len(rows) - 1))
