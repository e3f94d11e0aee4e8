"""The ranking computed in SQL agrees with the pure maths of `consult.review.ranking` (the spec)."""
import random

import pytest

from consult.accounts.models import Role
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.proposals.models import ProposalStatus
from consult.review.models import ReviewState
from consult.review.queries import ranking_page, ranking_rows, submitted_review_totals
from consult.review.ranking import aggregate_scores
from consult.review.services import ensure_default_criteria
from tests import factories


@pytest.fixture
def reviewed(app):
    """12 proposals reviewed by lenient, harsh, single-review and constant reviewers; drafts and a withdrawn one."""
    rng = random.Random(3)
    consultation = factories.make_consultation(current=PhaseKind.REVIEW)
    criteria = ensure_default_criteria(consultation)
    reviewers = [factories.make_user(role=Role.REVIEWER) for _ in range(5)]
    proposals = [factories.make_proposal(consultation, factories.make_user()) for _ in range(12)]
    withdrawn = factories.make_proposal(consultation, factories.make_user(), status=ProposalStatus.WITHDRAWN)
    bias = [2, -2, 0, 0, 1]
    for index, proposal in enumerate(proposals[:10]):
        for reviewer_index, reviewer in enumerate(reviewers[:4]):
            if (index + reviewer_index) % 4 == 3:
                continue
            if reviewer_index == 3:
                values = {criterion: 3 for criterion in criteria}  # the same totals every time: no spread
            else:
                values = {criterion: min(5, max(1, rng.randint(1, 5) + bias[reviewer_index])) for criterion in criteria}
            factories.make_review(proposal, reviewer, values,
                                  state=ReviewState.DRAFT if (index, reviewer_index) == (0, 0) else ReviewState.SUBMITTED)
            factories.make_assignment(proposal, reviewer)
    factories.make_review(proposals[10], reviewers[4], {criterion: 5 for criterion in criteria})
    factories.make_review(withdrawn, reviewers[0], {criterion: 1 for criterion in criteria})
    db.session.commit()
    return consultation, proposals


def test_ranking_rows_match_the_pure_calibration(reviewed):
    consultation, proposals = reviewed
    expected = aggregate_scores(submitted_review_totals(consultation))

    rows = ranking_rows(consultation)

    assert len(rows) == 12
    for row in rows:
        spec = expected.get(row.proposal_id)
        if spec is None:
            assert (row.score.review_count, row.score.raw_mean, row.score.calibrated_z) == (0, None, None)
            continue
        actual = row.score
        assert actual.review_count == spec.review_count
        assert (actual.raw_mean, actual.calibrated_z, actual.calibrated, actual.sd, actual.spread) == pytest.approx(
            (spec.raw_mean, spec.calibrated_z, spec.calibrated, spec.sd, spec.spread), abs=1e-9)
        assert actual.is_disputed == spec.is_disputed


@pytest.mark.parametrize("sort,key", [
    ("calibrated", lambda score, row: (score is None, -(score.calibrated_z if score else 0), row.number)),
    ("raw", lambda score, row: (score is None, -(score.raw_mean if score else 0), row.number)),
    ("disagreement", lambda score, row: (score is None, -(score.spread if score else 0), row.number)),
    ("reviews", lambda score, row: ((score.review_count if score else 0) - row.assigned, row.number)),
    ("reference", lambda score, row: (row.number,)),
])
def test_ranking_rows_sorted_as_the_pure_scores_say(reviewed, sort, key):
    consultation, _proposals = reviewed
    expected = aggregate_scores(submitted_review_totals(consultation))

    rows = ranking_rows(consultation, sort=sort)

    assert [row.proposal_id for row in rows] == [row.proposal_id for row in
                                                 sorted(rows, key=lambda row: key(expected.get(row.proposal_id), row))]


def test_ranking_page_is_the_slice_of_the_whole_ranking(reviewed):
    consultation, _proposals = reviewed
    whole = [row.proposal_id for row in ranking_rows(consultation)]

    second = ranking_page(consultation, page=2, per_page=5)
    beyond = ranking_page(consultation, page=9, per_page=5)

    assert ([row.proposal_id for row in second.items], second.total, second.pages) == (whole[5:10], 12, 3)
    assert (beyond.page, [row.proposal_id for row in beyond.items]) == (3, whole[10:])
