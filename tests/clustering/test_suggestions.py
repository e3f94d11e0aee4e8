"""Suggested clusters: recovery of a known grouping, titles and reasons, stored runs, accepting a suggestion."""
import pytest
import sqlalchemy as sa
from sklearn.metrics import adjusted_rand_score

from consult.audit.models import AuditEntry
from consult.clustering.models import ClusterSuggestion
from consult.clustering.queries import latest_suggestions
from consult.clustering.suggestions import (
    accept_suggestion,
    candidate_ks,
    compute_suggestions,
    scope_proposals,
    suggest_clusters,
    working_title,
)
from consult.consultations.models import PhaseKind
from consult.errors import DomainError, NotAllowedError, PhaseClosedError
from consult.extensions import db
from consult.proposals.models import Decision
from tests.clustering.topics import TOPICS, topic_description
from tests.factories import make_consultation, make_proposal


def _truth(topic_proposals):
    return {proposal.id: topic for topic, proposals in topic_proposals.items() for proposal in proposals}


def test_compute_suggestions_recovers_three_topics_with_chosen_k(topic_proposals, drafting):
    proposals = scope_proposals(drafting.id, "submitted")
    truth = _truth(topic_proposals)

    run = compute_suggestions(proposals)

    assert run.k == 3
    groups = sorted(sorted(suggestion.proposal_ids) for suggestion in run.suggestions)
    expected = sorted(sorted(proposal.id for proposal in proposals) for proposals in topic_proposals.values())
    assert groups == expected
    assert adjusted_rand_score([truth[p.id] for p in proposals], [run.labels[p.id] for p in proposals]) == 1.0
    assert max(run.silhouettes, key=run.silhouettes.get) == 3


def test_compute_suggestions_recovers_topics_from_text_alone(drafting):
    made = {topic: [make_proposal(drafting, title=title, summary=summary,
                                  description=topic_description(topic, index, summary),
                                  action_lines=("C4",), sdgs=(17,)) for index, (title, summary) in enumerate(items)]
            for topic, items in TOPICS.items()}
    db.session.commit()
    proposals = scope_proposals(drafting.id, "submitted")

    run = compute_suggestions(proposals, k=3)

    truth = _truth(made)
    assert adjusted_rand_score([truth[p.id] for p in proposals], [run.labels[p.id] for p in proposals]) == 1.0


def test_compute_suggestions_titles_and_reasons_name_the_topic(topic_proposals, drafting):
    run = compute_suggestions(scope_proposals(drafting.id, "submitted"), k=3)

    by_first = {suggestion.proposal_ids[0]: suggestion for suggestion in run.suggestions}
    health = by_first[topic_proposals["health"][0].id]
    assert "health" in health.title.lower() or "records" in health.title.lower()
    assert "Action line C7 E-health: 11 of 11 proposals" in health.reasons
    assert "SDG 3 Good health and well-being: 11 of 11 proposals" in health.reasons
    assert health.reasons[-1].startswith("Top terms: ")
    assert all("C4" not in reason for reason in health.reasons)  # 4 of 11: not shared enough


def test_compute_suggestions_is_deterministic_and_honours_k(topic_proposals, drafting):
    proposals = scope_proposals(drafting.id, "submitted")

    first = compute_suggestions(proposals, k=5)
    second = compute_suggestions(proposals, k=5)

    assert [s.proposal_ids for s in first.suggestions] == [s.proposal_ids for s in second.suggestions]
    assert len(first.suggestions) == 5
    assert sorted(pid for s in first.suggestions for pid in s.proposal_ids) == sorted(p.id for p in proposals)


def test_compute_suggestions_small_inputs(drafting):
    assert compute_suggestions([]).suggestions == []
    one = make_proposal(drafting, title="Alone")

    run = compute_suggestions([one])

    assert run.k == 1 and run.suggestions[0].proposal_ids == [one.id]


def test_candidate_ks_grow_with_size():
    assert candidate_ks(10) == [2, 3, 4, 5, 6, 7]
    assert candidate_ks(5000)[0] == 2 and candidate_ks(5000)[-1] == 108
    assert len(candidate_ks(5000)) <= 12


def test_working_title_reads_as_a_phrase(app):
    assert working_title(["rural broadband", "fibre", "villages"]) == "Rural broadband, fibre and villages"
    assert working_title([]) == "Untitled cluster"


def test_scope_accepted_takes_accepted_and_merge_decisions(drafting):
    accepted = make_proposal(drafting, decision=Decision.ACCEPTED)
    merge = make_proposal(drafting, decision=Decision.MERGE)
    make_proposal(drafting, decision=Decision.DECLINED)
    make_proposal(drafting, decision=Decision.PENDING)

    assert [p.id for p in scope_proposals(drafting.id, "accepted")] == [accepted.id, merge.id]
    assert len(scope_proposals(drafting.id, "submitted")) == 4


def test_suggest_clusters_stores_one_run_and_replaces_the_previous(topic_proposals, drafting, reviewer):
    first = suggest_clusters(drafting, actor=reviewer, scope="submitted", k=2)
    db.session.commit()

    second = suggest_clusters(drafting, actor=reviewer, scope="submitted")
    db.session.commit()

    stored = latest_suggestions(drafting.id)
    assert [s.id for s in stored] == [s.id for s in second]
    assert len(stored) == 3 and len(first) == 2
    assert len({s.run_id for s in stored}) == 1
    assert sorted(pid for s in stored for pid in s.proposal_ids) == sorted(_truth(topic_proposals))
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "clusters.suggest")
                               .order_by(AuditEntry.id.desc())).scalars().first()
    assert entry.details["k"] == 3 and entry.details["scope"] == "submitted"


def test_suggest_clusters_refused_outside_agenda_drafting_and_to_stakeholders(app, reviewer, stakeholder):
    review_phase = make_consultation(current=PhaseKind.REVIEW)
    with pytest.raises(PhaseClosedError):
        suggest_clusters(review_phase, actor=reviewer, scope="submitted")
    drafting = make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    with pytest.raises(NotAllowedError):
        suggest_clusters(drafting, actor=stakeholder, scope="submitted")
    with pytest.raises(DomainError):
        suggest_clusters(drafting, actor=reviewer, scope="everything")


def test_accept_suggestion_in_part_creates_a_cluster_and_skips_clustered(topic_proposals, drafting, reviewer):
    suggestions = suggest_clusters(drafting, actor=reviewer, scope="submitted", k=3)
    suggestion = suggestions[0]
    part = suggestion.proposal_ids[:4]

    cluster = accept_suggestion(suggestion, actor=reviewer, proposal_ids=part, title="  Session one ")
    again = accept_suggestion(suggestion, actor=reviewer)

    assert cluster.title == "Session one"
    assert [member.proposal_id for member in cluster.members] == part
    assert cluster.reasons.startswith("Action line")
    assert sorted(m.proposal_id for m in again.members) == suggestion.proposal_ids[4:]
    assert db.session.get(ClusterSuggestion, suggestion.id).accepted_cluster_id == again.id
    with pytest.raises(DomainError) as error:
        accept_suggestion(suggestion, actor=reviewer)
    assert error.value.message == "These proposals are all in clusters already."
    assert error.value.field == "proposal_ids"


def test_suggest_clusters_leaves_out_clustered_proposals(topic_proposals, drafting, reviewer):
    suggestions = suggest_clusters(drafting, actor=reviewer, scope="submitted", k=3)
    accept_suggestion(suggestions[0], actor=reviewer)

    fresh = suggest_clusters(drafting, actor=reviewer, scope="submitted", k=2)

    clustered = set(suggestions[0].proposal_ids)
    assert not clustered & {pid for s in fresh for pid in s.proposal_ids}
    assert sum(len(s.proposal_ids) for s in fresh) == 33 - len(clustered)



def test_suggestion_title_is_a_member_title_of_its_topic(topic_proposals):
    proposals = [proposal for group in topic_proposals.values() for proposal in group]
    topic_of = {proposal.id: topic for topic, group in topic_proposals.items() for proposal in group}
    title_of = {proposal.id: proposal.title for proposal in proposals}

    run = compute_suggestions(proposals, k=3)

    for suggestion in run.suggestions:
        members_topics = {topic_of[proposal_id] for proposal_id in suggestion.proposal_ids}
        member_titles = {title_of[proposal_id] for proposal_id in suggestion.proposal_ids}
        assert len(members_topics) == 1
        assert suggestion.title in member_titles


def test_unrelated_leftovers_are_suggested_one_by_one(topic_proposals):
    from consult.clustering.suggestions import mean_pairwise_similarity, split_incoherent
    from consult.proposals.similarity import build_feature_matrix

    proposals = [proposal for group in topic_proposals.values() for proposal in group]
    features = build_feature_matrix(proposals)
    first_of_each = [0, 11, 22]  # one proposal of each topic: a group with nothing in common
    broadband = list(range(11))

    assert mean_pairwise_similarity(first_of_each, features) < 0.12
    assert mean_pairwise_similarity(broadband, features) > 0.12
    assert split_incoherent([first_of_each, broadband], features) == [[0], [11], [22], broadband]
