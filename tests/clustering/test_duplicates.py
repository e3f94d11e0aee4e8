"""Tests of the near-duplicate pairs shown on a cluster's page."""
import pytest

from consult.clustering.duplicates import near_duplicate_pairs
from consult.extensions import db
from tests.factories import make_proposal
from tests.proposals.test_similarity import BROADBAND, CYBER, HEALTH


def test_near_duplicate_pairs_finds_exact_pairs(consultation):
    original = make_proposal(consultation, **CYBER)
    reworded = make_proposal(consultation, **{**CYBER, "summary": CYBER["summary"] + " Regional centres too."})
    copy = make_proposal(consultation, **HEALTH)
    copy_again = make_proposal(consultation, **HEALTH)
    unrelated = make_proposal(consultation, **BROADBAND)
    db.session.commit()

    pairs = near_duplicate_pairs([original, reworded, copy, copy_again, unrelated])

    assert [(low, high) for low, high, _ in pairs] == [(copy.id, copy_again.id), (original.id, reworded.id)]
    assert pairs[0][2] == pytest.approx(1.0)
    assert 0.8 <= pairs[1][2] < 1.0


def test_near_duplicate_pairs_threshold_and_small_input(consultation):
    first = make_proposal(consultation, **CYBER)
    second = make_proposal(consultation, **HEALTH)

    assert near_duplicate_pairs([first]) == []
    assert near_duplicate_pairs([first, second]) == []
    assert near_duplicate_pairs([first, second], threshold=0.0)[0][:2] == (first.id, second.id)
