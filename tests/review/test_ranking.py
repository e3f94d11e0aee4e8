"""The ranking maths against values computed by hand."""
import pytest

from consult.review.ranking import ReviewerStats, aggregate_scores, population_sd, reviewer_stats, weighted_total

# Reviewer 1 is lenient (5, 4, 3), reviewer 2 harsh (3, 1), reviewer 3 gave a single review.
REVIEWS = [(1, 101, 5.0), (1, 102, 4.0), (1, 103, 3.0), (2, 101, 3.0), (2, 102, 1.0), (3, 103, 4.0)]


def test_weighted_total_uses_active_criteria_only():
    criteria = [{"id": 1, "weight": 2.0}, {"id": 2, "weight": 1.0}, {"id": 3, "weight": 5.0, "is_active": False}]

    assert weighted_total({1: 5, 2: 2, 3: 1}, criteria) == pytest.approx(4.0)  # (2*5 + 1*2) / 3


def test_weighted_total_of_a_review_without_scores_is_none():
    assert weighted_total({}, [{"id": 1, "weight": 1.0}]) is None


def test_population_sd_by_hand():
    assert population_sd([5, 4, 3]) == pytest.approx((2 / 3) ** 0.5)
    assert population_sd([4]) == 0.0


def test_reviewer_stats_by_hand():
    stats = reviewer_stats(REVIEWS)

    assert stats[1] == ReviewerStats(3, 4.0, pytest.approx(0.816497, abs=1e-6))
    assert (stats[2].mean, stats[2].sd) == (2.0, 1.0)
    assert stats[3].z(4.0) == 0.0  # one review: no information on leniency


def test_zero_spread_reviewer_gets_z_zero():
    assert ReviewerStats(3, 3.0, 0.0).z(3.0) == 0.0


def test_calibration_matches_hand_computed_values():
    scores = aggregate_scores(REVIEWS)

    assert scores[101].raw_mean == pytest.approx(4.0)
    assert scores[102].raw_mean == pytest.approx(2.5)
    assert scores[103].raw_mean == pytest.approx(3.5)
    # z: reviewer 1: (5-4)/0.8165 = 1.2247, 0, -1.2247; reviewer 2: +1, -1; reviewer 3: 0.
    assert scores[101].calibrated_z == pytest.approx((1.224745 + 1) / 2, abs=1e-6)
    assert scores[102].calibrated_z == pytest.approx(-0.5)
    assert scores[103].calibrated_z == pytest.approx(-1.224745 / 2, abs=1e-6)
    # On the scale: grand mean 20/6 + z * grand sd sqrt(9.3333/6).
    assert scores[101].calibrated == pytest.approx(20 / 6 + 1.112372 * 1.247219, abs=1e-5)


def test_calibration_reorders_lenient_and_harsh_reviews():
    scores = aggregate_scores(REVIEWS)

    by_raw = sorted(scores, key=lambda pid: -scores[pid].raw_mean)
    by_calibrated = sorted(scores, key=lambda pid: -scores[pid].calibrated_z)
    assert by_raw == [101, 103, 102]
    assert by_calibrated == [101, 102, 103]


def test_disagreement_flags_wide_spread():
    scores = aggregate_scores(REVIEWS)

    assert (scores[102].sd, scores[102].spread, scores[102].is_disputed) == (1.5, 3.0, True)
    assert (scores[103].spread, scores[103].is_disputed) == (1.0, False)
