"""Consensus of clusterings: the co-association of weighted runs, the majority cut, the agreed groups."""
import numpy as np

from consult.textmodel.consensus import co_association, consensus_groups, majority_groups


def test_co_association_is_the_weighted_share_of_runs_that_put_a_pair_together():
    runs = [(np.array([0, 0, 1]), 0.5), (np.array([0, 1, 1]), 0.25), (np.array([0, 0, 0]), 0.25)]

    together = co_association(runs, 3)

    assert together.round(2).tolist() == [[1.0, 0.75, 0.25], [0.75, 1.0, 0.5], [0.25, 0.5, 1.0]]


def test_majority_groups_join_pairs_held_by_more_than_half_and_leave_a_tie_apart():
    together = np.array([[1.0, 0.75, 0.25], [0.75, 1.0, 0.5], [0.25, 0.5, 1.0]])

    labels = majority_groups(together)

    assert labels[0] == labels[1] != labels[2]


def test_consensus_keeps_clear_groups_and_is_the_same_on_every_run():
    rng = np.random.default_rng(0)
    centres = np.eye(3)
    points = np.vstack([centres[index] + 0.05 * rng.random(3) for index in (0, 0, 0, 1, 1, 1, 2, 2, 2)])
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    views = {20: points, 50: points, 100: points}
    cut = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])

    first, second = consensus_groups(cut, views), consensus_groups(cut, views)

    assert len(set(first.tolist())) == 3
    assert [len({first[row] for row in range(start, start + 3)}) for start in (0, 3, 6)] == [1, 1, 1]
    assert first.tolist() == second.tolist()
