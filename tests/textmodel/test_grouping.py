"""Groups from cosine similarity: the level read from the data, k given, the sampled path, mean similarity."""
import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from consult.textmodel import grouping
from consult.textmodel.grouping import (
    group_rows,
    group_rows_into,
    mean_pairwise_similarity,
    nearest_neighbour_similarity,
    related_level,
)


def _topics(per_topic: int, topics: int, *, noise: float = 0.3, seed: int = 0) -> tuple[sparse.csr_matrix, list[int]]:
    """Rows that mix one topic's 5 columns with noise columns: the right grouping is known."""
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for topic in range(topics):
        for _ in range(per_topic):
            row = np.zeros(topics * 5 + 200)
            row[topic * 5:(topic + 1) * 5] = rng.random(5) + 0.5
            row[topics * 5 + rng.choice(200, 6, replace=False)] = noise * 4
            rows.append(row)
            truth.append(topic)
    return sparse.csr_matrix(normalize(np.array(rows))), truth


def _same_partition(labels, truth) -> bool:
    return len({(a, b) for a, b in zip(labels, truth, strict=True)}) == len(set(truth)) == len(set(labels))


def test_group_rows_finds_the_topics_without_being_told_how_many():
    matrix, truth = _topics(6, 4)

    assert _same_partition(group_rows(matrix), truth)


def test_related_level_is_half_the_nearest_neighbour_median_capped_at_the_similar_score():
    matrix = sparse.csr_matrix(normalize(np.array([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0], [0.1, 1.0]])))

    assert round(nearest_neighbour_similarity(matrix), 4) == 0.995
    assert related_level(matrix) == grouping.RELATED_SIMILARITY
    weak, _truth = _topics(5, 3, noise=1.5)
    assert related_level(weak) == round(0.5 * nearest_neighbour_similarity(weak), 7) or related_level(weak) < 0.2


def test_group_rows_into_gives_k_groups():
    matrix, truth = _topics(5, 3)

    assert _same_partition(group_rows_into(matrix, 3), truth)
    assert len(set(group_rows_into(matrix, 5))) == 5
    assert group_rows_into(matrix, 1).tolist() == [0] * 15


def test_group_rows_small_inputs():
    assert group_rows(sparse.csr_matrix((0, 3))).tolist() == []
    assert group_rows(sparse.csr_matrix(np.array([[1.0, 0.0]]))).tolist() == [0]


def test_group_rows_beyond_the_exact_size_samples_then_spreads(monkeypatch):
    monkeypatch.setattr(grouping, "EXACT_UP_TO", 20)
    monkeypatch.setattr(grouping, "SAMPLE_SIZE", 20)
    matrix, truth = _topics(10, 4)

    assert _same_partition(group_rows(matrix), truth)
    assert _same_partition(group_rows_into(matrix, 4), truth)


def test_mean_pairwise_similarity_of_identical_and_orthogonal_rows():
    matrix = sparse.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))

    assert mean_pairwise_similarity(matrix, [0, 1]) == 1.0
    assert mean_pairwise_similarity(matrix, [0, 2]) == 0.0
    assert mean_pairwise_similarity(matrix, [2]) == 1.0


def test_join_related_groups_joins_the_halves_of_one_theme_and_no_other():
    matrix, truth = _topics(6, 3)
    halves = np.array([3 if topic == 0 and index % 2 else topic for index, topic in enumerate(truth)])

    joined = grouping.join_related_groups(matrix, halves, related_level(matrix))

    assert _same_partition(joined, truth)
    assert grouping.join_related_groups(matrix, np.array(truth), 0.99).tolist() == truth


def test_view_dimensions_grow_with_the_groups_beyond_the_finest_view():
    from consult.textmodel.consensus import view_dimensions

    assert view_dimensions(60) == {20: 20, 50: 50, 100: 100}
    assert view_dimensions(224) == {20: 45, 50: 112, 100: 224}

