"""The maths of the ranking: weighted totals, per-reviewer calibration (z-scores), disagreement. Pure functions.

Calibration method: for each reviewer, the mean and the population standard deviation of the totals of all
their submitted reviews are computed; each of their totals becomes z = (total - mean) / sd. A reviewer with a
single review, or whose totals are all equal (sd = 0), tells nothing about their leniency: their reviews get
z = 0 (the average of the committee). A proposal's calibrated score is the mean of its reviews' z-scores; it is
also shown on the scale of the raw scores as grand mean + mean z × grand standard deviation.
"""
from dataclasses import dataclass, field
from math import sqrt
from statistics import fmean

# Reviews of one proposal disagree when their totals are this far apart (max - min), or this spread (sd).
DISAGREEMENT_RANGE = 2.0
DISAGREEMENT_SD = 1.0
# A reviewer's spread below this is rounding noise, not information (totals are means of small integers).
NO_SPREAD = 1e-9


def weighted_total(scores: dict[int, int], criteria: list[dict]) -> float | None:
    """Weighted mean of the scores given on the active criteria (criteria as dicts: id, weight, is_active)."""
    pairs = [(criterion["weight"], scores[criterion["id"]]) for criterion in criteria
             if criterion.get("is_active", True) and criterion["id"] in scores]
    weight = sum(weight for weight, _ in pairs)
    if not weight:
        return None
    return sum(weight * value for weight, value in pairs) / weight


def population_sd(values: list[float]) -> float:
    """Population standard deviation (0 for fewer than two values)."""
    if len(values) < 2:
        return 0.0
    mean = fmean(values)
    return sqrt(sum((value - mean) ** 2 for value in values) / len(values))


@dataclass(frozen=True)
class ReviewerStats:
    """A reviewer's mean and spread over their submitted reviews."""

    count: int
    mean: float
    sd: float

    def z(self, total: float) -> float:
        """The z-score of total; 0 when the reviewer's spread tells nothing (one review or sd 0)."""
        if self.count < 2 or self.sd <= NO_SPREAD:
            return 0.0
        return (total - self.mean) / self.sd


def reviewer_stats(reviews: list[tuple[int, int, float]]) -> dict[int, ReviewerStats]:
    """Per reviewer id, the stats of their totals; reviews are (reviewer_id, proposal_id, total) triples."""
    totals: dict[int, list[float]] = {}
    for reviewer_id, _, total in reviews:
        totals.setdefault(reviewer_id, []).append(total)
    return {reviewer_id: ReviewerStats(len(values), fmean(values), population_sd(values))
            for reviewer_id, values in totals.items()}


@dataclass
class ProposalScore:
    """The aggregated scores of one proposal."""

    proposal_id: int
    review_count: int = 0
    totals: list[float] = field(default_factory=list)
    z_scores: list[float] = field(default_factory=list)
    raw_mean: float | None = None
    calibrated_z: float | None = None
    calibrated: float | None = None
    sd: float | None = None
    spread: float | None = None
    is_disputed: bool = False


def is_disputed(review_count: int, sd: float, spread: float, *, disagreement_range: float = DISAGREEMENT_RANGE,
                disagreement_sd: float = DISAGREEMENT_SD) -> bool:
    """Whether a proposal's reviews disagree: two or more, far apart (max - min) or spread out (sd)."""
    return review_count > 1 and (spread >= disagreement_range or sd >= disagreement_sd)


def aggregate_scores(reviews: list[tuple[int, int, float]], *, disagreement_range: float = DISAGREEMENT_RANGE,
                     disagreement_sd: float = DISAGREEMENT_SD) -> dict[int, ProposalScore]:
    """Raw mean, calibrated score and disagreement per proposal id, in one pass over (reviewer, proposal, total)."""
    reviews = [review for review in reviews if review[2] is not None]
    stats = reviewer_stats(reviews)
    all_totals = [total for _, _, total in reviews]
    grand_mean = fmean(all_totals) if all_totals else 0.0
    grand_sd = population_sd(all_totals)
    scores: dict[int, ProposalScore] = {}
    for reviewer_id, proposal_id, total in reviews:
        score = scores.setdefault(proposal_id, ProposalScore(proposal_id))
        score.totals.append(total)
        score.z_scores.append(stats[reviewer_id].z(total))
    for score in scores.values():
        score.review_count = len(score.totals)
        score.raw_mean = fmean(score.totals)
        score.calibrated_z = fmean(score.z_scores)
        score.calibrated = grand_mean + score.calibrated_z * grand_sd
        score.sd = population_sd(score.totals)
        score.spread = max(score.totals) - min(score.totals)
        score.is_disputed = is_disputed(score.review_count, score.sd, score.spread, disagreement_range=disagreement_range,
                                        disagreement_sd=disagreement_sd)
    return scores
