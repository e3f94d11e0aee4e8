"""Suggested clusters: recovery of a known grouping, titles and reasons, stored runs, accepting a suggestion."""
import pytest
import sqlalchemy as sa
from sklearn.metrics import adjusted_rand_score

from consult.audit.models import AuditEntry
from consult.clustering.models import ClusterSuggestion
from consult.clustering.queries import latest_suggestions
from consult.clustering.suggestions import accept_suggestion, compute_suggestions, scope_proposals, suggest_clusters
from consult.consultations.models import PhaseKind
from consult.errors import DomainError, NotAllowedError, PhaseClosedError
from consult.extensions import db
from consult.proposals.models import Decision
from consult.reference import in_reader_language
from tests.clustering.topics import TOPICS, topic_description
from tests.factories import make_consultation, make_proposal


def _truth(topic_proposals):
    return {proposal.id: topic for topic, proposals in topic_proposals.items() for proposal in proposals}


def test_compute_suggestions_without_k_finds_the_topics_and_never_mixes_them(topic_proposals, drafting):
    proposals = scope_proposals(drafting.id, "submitted")
    truth = _truth(topic_proposals)

    run = compute_suggestions(proposals)

    groups = [sorted(s.proposal_ids) for s in run.suggestions]
    assert sorted(p.id for p in topic_proposals["broadband"]) in groups
    assert sorted(p.id for p in topic_proposals["health"]) in groups
    assert all(len({truth[pid] for pid in group}) == 1 for group in groups)  # no group mixes topics
    assert sorted(pid for group in groups for pid in group) == sorted(truth)
    assert run.k == sum(1 for group in groups if len(group) > 1)
    # The loosely worded cyber topic: its leftovers are offered to a cyber group, with the similarity.
    for suggestion in run.suggestions:
        if len(suggestion.proposal_ids) == 1:
            nearest = run.suggestions[suggestion.nearest_position - 1]
            assert {truth[pid] for pid in nearest.proposal_ids} == {truth[suggestion.proposal_ids[0]]}
            assert 0 < suggestion.nearest_similarity < 1
            assert [in_reader_language(reason) for reason in suggestion.reasons] == [f"Like no group; nearest: “{nearest.title}” "
                                          f"(similarity {suggestion.nearest_similarity:.2f})"]


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
    run = compute_suggestions(scope_proposals(drafting.id, "submitted"))

    by_first = {suggestion.proposal_ids[0]: suggestion for suggestion in run.suggestions}
    health = by_first[topic_proposals["health"][0].id]
    assert health.title == "Health records, data and patient (C7 E-health)"
    assert [in_reader_language(reason) for reason in health.reasons] == [
        "Action line C7 E-health: 11 of 11 proposals",
        "SDG 3 Good health and well-being: 11 of 11 proposals",
        "Common terms: health records, data, patient, clinics, medical and stay",
    ]  # C4, carried by 4 of 11, is not shared enough to be a reason
    first = topic_proposals["health"][0]
    assert in_reader_language(health.member_reasons[first.id]) == (
        "Shares C7 E-health and the terms health records, patient and clinics")


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

    assert run.k == 0 and run.suggestions[0].proposal_ids == [one.id]
    assert run.suggestions[0].title == "Alone" and run.suggestions[0].nearest_position is None


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
    assert len(stored) == 7 and len(first) == 2
    assert len({s.run_id for s in stored}) == 1
    assert sorted(pid for s in stored for pid in s.proposal_ids) == sorted(_truth(topic_proposals))
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "clusters.suggest")
                               .order_by(AuditEntry.id.desc())).scalars().first()
    assert entry.details == {"run_id": stored[0].run_id, "scope": "submitted", "k": 5, "requested_k": None,
                             "leftovers": 2}
    leftover = stored[-1]
    assert len(leftover.proposal_ids) == 1 and leftover.nearest["position"] in {s.position for s in stored[:5]}
    assert in_reader_language(stored[0].member_reasons[str(stored[0].proposal_ids[0])]).startswith("Shares C2 and the terms ")


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
    assert in_reader_language(cluster.reasons.splitlines()[0]).startswith(
        "Action line C2 Information and communication infrastructure: 4 of ")
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



def test_suggestion_title_is_no_member_title_and_no_country(topic_proposals):
    proposals = [proposal for group in topic_proposals.values() for proposal in group]
    titles = {proposal.title for proposal in proposals}

    run = compute_suggestions(proposals, k=3)

    assert [s.title for s in run.suggestions] == [
        "Rural connectivity, villages and broadband (C2)", "Security, incident response and trained (C5)",
        "Health records, data and patient (C7 E-health)"]
    assert not titles & {s.title for s in run.suggestions}


def test_shared_action_line_alone_does_not_make_a_group(drafting):
    """Unrelated texts that all carry C4 stay apart: the tag weight cannot reach the related level alone."""
    texts = ["Beekeeping cooperatives in the highlands", "Orbital debris tracking by radar",
             "Medieval manuscripts of the abbey library", "Jazz festivals and street music",
             "Glacier retreat measured by drones", "Chess clubs for retired miners"]
    proposals = [make_proposal(drafting, title=text, summary=text, description="", action_lines=("C4",), sdgs=(4,))
                 for text in texts]
    db.session.commit()

    run = compute_suggestions(scope_proposals(drafting.id, "submitted"))

    assert run.k == 0
    assert sorted(s.proposal_ids for s in run.suggestions) == sorted([p.id] for p in proposals)
