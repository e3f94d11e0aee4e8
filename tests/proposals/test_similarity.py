"""Tests of the text-similarity service: similar proposals and the feature matrix."""
import numpy as np
import pytest

from consult.extensions import db
from consult.proposals.models import ProposalStatus
from consult.proposals.similarity import (
    SIMILARITY_THRESHOLD,
    build_feature_matrix,
    find_similar_proposals,
    proposal_text,
)
from tests.factories import make_proposal

BROADBAND = dict(
    title="Rural broadband for farming villages",
    summary="Extending fibre backhaul and community wireless networks to remote villages without internet.",
    description="Last-mile connectivity, spectrum for rural operators and shared towers bring broadband "
                "to farming villages far from the fibre backbone.",
    action_lines=("C2",), sdgs=(9,),
)
CYBER = dict(
    title="Cybersecurity skills for national CERTs",
    summary="Training incident responders of computer emergency response teams to handle ransomware.",
    description="Hands-on exercises in incident response, threat intelligence sharing and malware analysis "
                "for national CERT staff.",
    action_lines=("C5",), sdgs=(16,),
)
HEALTH = dict(
    title="Interoperable electronic health records",
    summary="Patient records shared safely between clinics and hospitals with open standards.",
    description="Electronic health records, HL7 FHIR interoperability and patient consent let clinics "
                "exchange medical histories.",
    action_lines=("C7-EHEALTH",), sdgs=(3,),
)


@pytest.fixture
def three_topics(consultation):
    proposals = {name: make_proposal(consultation, **fields) for name, fields in
                 (("broadband", BROADBAND), ("cyber", CYBER), ("health", HEALTH))}
    db.session.commit()
    return proposals


def test_proposal_text_weights_title_and_includes_keywords(consultation):
    proposal = make_proposal(consultation, title="Open data", summary="Summary.", description="Description.",
                             keywords="statistics, census")

    text = proposal_text(proposal)

    assert text.count("Open data") == 2
    assert "Summary." in text and "Description." in text and "statistics  census" in text


def test_find_similar_proposals_ranks_the_same_topic_first(three_topics):
    text = "Community wireless networks and fibre to connect remote farming villages to broadband"

    results = find_similar_proposals(three_topics["broadband"].consultation_id, text)

    assert [proposal.id for proposal, _score in results] == [three_topics["broadband"].id]
    assert SIMILARITY_THRESHOLD <= results[0][1] <= 1.0


def test_find_similar_proposals_shared_tags_raise_the_score(three_topics):
    consultation_id = three_topics["health"].consultation_id
    text = "Sharing patient records between hospitals"

    plain = find_similar_proposals(consultation_id, text)
    tagged = find_similar_proposals(consultation_id, text, action_lines=["C7-EHEALTH"], sdgs=[3])

    assert [proposal.id for proposal, _ in plain] == [three_topics["health"].id]
    assert tagged[0][0].id == three_topics["health"].id
    assert tagged[0][1] > plain[0][1]


def test_find_similar_proposals_excludes_the_proposal_itself_and_unrelated_ones(three_topics):
    cyber = three_topics["cyber"]

    results = find_similar_proposals(cyber.consultation_id, proposal_text(cyber), exclude_id=cyber.id)

    assert results == []


def test_find_similar_proposals_ignores_drafts_withdrawn_and_other_consultations(consultation, make):
    other = make.make_consultation(title="Another consultation")
    make_proposal(consultation, status=ProposalStatus.DRAFT, **BROADBAND)
    make_proposal(consultation, status=ProposalStatus.WITHDRAWN, **BROADBAND)
    make_proposal(other, **BROADBAND)
    db.session.commit()

    results = find_similar_proposals(consultation.id, BROADBAND["title"] + " " + BROADBAND["summary"])

    assert results == []


def test_find_similar_proposals_respects_limit_and_order(consultation):
    variants = [make_proposal(consultation, **{**BROADBAND, "title": f"Rural broadband {word}"})
                for word in ("towers", "spectrum", "fibre")]
    make_proposal(consultation, **CYBER)
    db.session.commit()

    results = find_similar_proposals(consultation.id, proposal_text(variants[0]), limit=2)

    assert len(results) == 2
    assert results[0][0].id == variants[0].id
    assert results[0][1] >= results[1][1]
    assert {proposal.id for proposal, _ in results} <= {variant.id for variant in variants}


def test_find_similar_proposals_blank_text_gives_nothing(three_topics):
    assert find_similar_proposals(three_topics["cyber"].consultation_id, "   ") == []


def test_find_similar_proposals_costs_a_fixed_number_of_queries(consultation, count_queries):
    consultation_id = consultation.id
    for _ in range(3):
        make_proposal(consultation, **BROADBAND)
    db.session.commit()
    db.session.expunge_all()
    with count_queries() as few:
        find_similar_proposals(consultation_id, "rural broadband")
    for _ in range(20):
        make_proposal(db.session.get(type(consultation), consultation_id), **BROADBAND)
    db.session.commit()
    db.session.expunge_all()

    with count_queries() as many:
        find_similar_proposals(consultation_id, "rural broadband")
    with count_queries() as again:  # the fitted model is reused: only the fingerprint and the matches are read
        find_similar_proposals(consultation_id, "rural broadband")

    assert few.count == many.count == again.count == 4


def test_build_feature_matrix_rows_are_unit_length_and_tags_count(consultation):
    same_tags = [make_proposal(consultation, title=f"Topic {index}", summary="alpha beta", description="gamma",
                               action_lines=("C2",), sdgs=(9,)) for index in range(2)]
    other_tags = make_proposal(consultation, title="Topic 3", summary="alpha beta", description="gamma",
                               action_lines=("C5",), sdgs=(16,))

    features = build_feature_matrix(same_tags + [other_tags])

    norms = np.sqrt(features.matrix.multiply(features.matrix).sum(axis=1)).A.ravel()
    assert features.proposal_ids == [same_tags[0].id, same_tags[1].id, other_tags.id]
    assert norms == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)
    similarity = (features.matrix @ features.matrix.T).toarray()
    assert similarity[0, 1] > similarity[0, 2]
    assert "alpha beta" in set(features.terms)


def test_build_feature_matrix_empty_input():
    features = build_feature_matrix([])

    assert features.proposal_ids == []
    assert features.matrix.shape[0] == 0


def test_fitted_model_is_rechecked_only_after_the_recheck_window(app, three_topics, monkeypatch):
    import consult.proposals.similarity as similarity

    consultation_id = three_topics["broadband"].consultation_id
    text = "Electronic health records exchanged between hospitals and rural clinics"
    clock = [1000.0]
    monkeypatch.setattr(similarity.time, "monotonic", lambda: clock[0])
    monkeypatch.setitem(app.config, "TEXT_MODEL_RECHECK_SECONDS", 2.0)
    similarity._INDEXES.clear()
    assert [p.id for p, _score in find_similar_proposals(consultation_id, text)] == [three_topics["health"].id]
    newer = make_proposal(three_topics["health"].consultation, title="Hospital records shared with rural clinics",
                          summary="Electronic health records exchanged between hospitals and rural clinics.")
    db.session.commit()

    clock[0] += 1.0
    within = [p.id for p, _score in find_similar_proposals(consultation_id, text)]
    clock[0] += 1.5
    after = [p.id for p, _score in find_similar_proposals(consultation_id, text)]

    assert within == [three_topics["health"].id]
    assert after == [newer.id, three_topics["health"].id]
