"""HTTP tests of the cluster workspace and the merge requests: pages, conflicts, phase gate, authorization."""
import pytest
import sqlalchemy as sa

from consult.clustering.models import Cluster, ClusterMember, ClusterSuggestion, ConsentState, MergeConsent
from consult.clustering.queries import latest_suggestions
from consult.clustering.suggestions import suggest_clusters
from consult.clustering.workspace import add_proposals_to_new_cluster, create_cluster
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from tests.factories import make_consultation, make_proposal, make_user


def test_workspace_lists_clusters_with_their_proposals(client, login, reviewer, topic_proposals, drafting):
    proposals = topic_proposals["health"][:2]
    add_proposals_to_new_cluster(drafting, actor=reviewer, title="Health records", proposal_ids=[p.id for p in proposals])
    db.session.commit()
    login(reviewer)

    response = client.get("/clusters/")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Health records" in page and proposals[0].title in page and proposals[1].title in page
    assert "31 submitted proposals are in no cluster yet." in page


def test_suggest_then_accept_a_suggestion_in_part(client, login, reviewer, topic_proposals, drafting):
    login(reviewer)

    suggested = client.post("/clusters/suggest", data={"scope": "submitted", "k": "3"})
    page = client.get("/clusters/suggestions").get_data(as_text=True)
    suggestion = latest_suggestions(drafting.id)[0]
    ids = suggestion.proposal_ids
    accepted = client.post(f"/clusters/suggestions/{suggestion.id}/accept",
                           data={f"s{suggestion.id}-title": "Session on records", f"s{suggestion.id}-proposal_ids": ids[:2]})

    assert suggested.status_code == 302 and suggested.location.endswith("/clusters/suggestions")
    assert "Suggestion 1: " in page and "Common terms: " in page
    assert accepted.status_code == 302
    cluster = db.session.execute(sa.select(Cluster)).scalar_one()
    assert cluster.title == "Session on records"
    assert [m.proposal_id for m in cluster.members] == sorted(ids[:2])


def test_two_people_saving_the_same_cluster_second_gets_a_conflict(app, reviewer, chair, login, drafting):
    cluster = create_cluster(drafting, actor=reviewer, title="Connectivity")
    db.session.commit()
    first, second = login(reviewer, app.test_client()), login(chair, app.test_client())
    version = str(cluster.version_id)
    assert f'name="version_id" type="hidden" value="{version}"' in first.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    second.get(f"/clusters/{cluster.id}")

    saved = first.post(f"/clusters/{cluster.id}", data={"title": "Rural connectivity", "description": "", "version_id": version})
    conflict = second.post(f"/clusters/{cluster.id}", data={"title": "Meaningful connectivity", "description": "Mine",
                                                             "version_id": version})

    assert saved.status_code == 302
    assert conflict.status_code == 409
    page = conflict.get_data(as_text=True)
    assert "Someone else saved this in the meantime." in page
    assert 'value="Meaningful connectivity"' in page  # their input kept
    db.session.expire_all()
    assert db.session.get(Cluster, cluster.id).title == "Rural connectivity"


def test_move_proposal_between_clusters_through_the_form(client, login, reviewer, drafting):
    proposal, other = make_proposal(drafting, title="Fibre"), make_proposal(drafting, title="Towers")
    source = add_proposals_to_new_cluster(drafting, actor=reviewer, title="Source", proposal_ids=[proposal.id, other.id])
    target = create_cluster(drafting, actor=reviewer, title="Target")
    db.session.commit()
    login(reviewer)

    response = client.post(f"/clusters/{source.id}/members", data={
        "proposal_ids": [proposal.id], "operation": "move", "target": target.id, "version_id": source.version_id})
    missing_target = client.post(f"/clusters/{source.id}/members", data={
        "proposal_ids": [other.id], "operation": "move", "target": "", "version_id": ""})

    assert response.status_code == 302
    assert (
        db.session.execute(sa.select(ClusterMember.cluster_id).where(ClusterMember.proposal_id == proposal.id)).scalar_one()
        == target.id
    )
    assert missing_target.status_code == 422
    assert "Choose the cluster to move them to." in missing_target.get_data(as_text=True)


def test_workspace_changes_refused_outside_agenda_drafting(client, login, reviewer, app):
    consultation = make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    db.session.commit()
    login(reviewer)

    page = client.get("/clusters/").get_data(as_text=True)
    response = client.post("/clusters/new", data={"new-title": "Late cluster"})

    assert "read-only view" in page
    assert response.status_code == 403
    assert "This is only possible during the phase" in response.get_data(as_text=True)
    assert 'Closed in this phase <span class="status-code">(403)</span>' in response.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count(Cluster.id))).scalar_one() == 0
    assert consultation.id


def test_workspace_query_count_does_not_grow_with_clusters(client, login, reviewer, drafting, count_queries):
    def add_clusters(count):
        for index in range(count):
            proposals = [make_proposal(drafting, title=f"P{index}-{n}") for n in range(2)]
            add_proposals_to_new_cluster(drafting, actor=reviewer, title=f"Cluster {index:03d}",
                                         proposal_ids=[p.id for p in proposals])
        db.session.commit()

    login(reviewer)
    add_clusters(3)
    client.get("/clusters/?per_page=5")
    client.get("/clusters/?per_page=5")
    with count_queries() as few:
        assert client.get("/clusters/?per_page=5").status_code == 200
    add_clusters(17)
    client.get("/clusters/?per_page=100")
    with count_queries() as many:
        page = client.get("/clusters/?per_page=100").get_data(as_text=True)

    assert page.count("Cluster 016") == 1
    assert few.count == many.count


def test_submitter_answers_merge_request_on_consents_page(client, login, reviewer, drafting):
    drafting.is_blind_review = False  # the organizations are named once review is not blind
    ana = make_user(name="Ana Ruiz", organization="Red Rural")
    ben = make_user(name="Ben Osei", organization="Ghana Connect")
    mine, theirs = make_proposal(drafting, ana, title="Rural fibre"), make_proposal(drafting, ben, title="Village wifi")
    add_proposals_to_new_cluster(drafting, actor=reviewer, title="Rural access", proposal_ids=[mine.id, theirs.id])
    db.session.commit()
    consent_id = db.session.execute(sa.select(MergeConsent.id).where(MergeConsent.proposal_id == mine.id)).scalar_one()
    other_id = db.session.execute(sa.select(MergeConsent.id).where(MergeConsent.proposal_id == theirs.id)).scalar_one()
    login(ana)

    home = client.get("/").get_data(as_text=True)
    page = client.get("/review/consents/").get_data(as_text=True)
    no_comment = client.post(f"/review/consents/{consent_id}", data={f"c{consent_id}-answer": "decline"})
    declined = client.post(f"/review/consents/{consent_id}", data={f"c{consent_id}-answer": "decline",
                                                                    f"c{consent_id}-comment": "Different angle."})
    not_mine = client.post(f"/review/consents/{other_id}", data={f"c{other_id}-answer": "accept"})

    assert "Merge requests (1)" in home
    assert "Rural access" in page and "Red Rural and Ghana Connect" in page and "Village wifi" in page
    assert no_comment.status_code == 422
    assert "Say why you decline" in no_comment.get_data(as_text=True)
    assert declined.status_code == 302
    assert not_mine.status_code == 403
    consent = db.session.get(MergeConsent, consent_id)
    assert (consent.state, consent.comment) == (ConsentState.DECLINED, "Different angle.")
    assert db.session.get(MergeConsent, other_id).state is ConsentState.PENDING


def test_under_blind_review_a_merge_request_names_no_other_organization(client, login, reviewer, drafting):
    drafting.is_blind_review = True
    ana = make_user(name="Ana Ruiz", email="ana@example.org", organization="Red Rural")
    ben = make_user(name="Ben Osei", email="ben@example.org", organization="Ghana Connect")
    mine, theirs = make_proposal(drafting, ana, title="Rural fibre"), make_proposal(drafting, ben, title="Village wifi")
    mine.organization, theirs.organization = "Red Rural", "Ghana Connect"
    add_proposals_to_new_cluster(drafting, actor=reviewer, title="Rural access", proposal_ids=[mine.id, theirs.id])
    db.session.commit()
    login(ana)

    page = client.get("/review/consents/").get_data(as_text=True)
    to_ana = db.session.execute(sa.select(OutboxMessage.body).where(OutboxMessage.recipient == "ana@example.org",
                                                                    OutboxMessage.category == "merge_consent")).scalar_one()

    assert "Village wifi" in page and "Review is blind: the other organizations in this session are shown" in page
    assert "Ghana Connect" not in page and "Ben Osei" not in page
    assert "with proposals of other submitters into one session, “Rural access”" in to_ana
    assert "Ghana Connect" not in to_ana


def _routes(cluster_id, suggestion_id, consent_id):
    return [
        ("GET", "/clusters/"), ("GET", "/clusters/suggestions"), ("POST", "/clusters/suggest"),
        ("POST", f"/clusters/suggestions/{suggestion_id}/accept"), ("POST", "/clusters/new"),
        ("GET", f"/clusters/{cluster_id}"), ("POST", f"/clusters/{cluster_id}"),
        ("POST", f"/clusters/{cluster_id}/members"), ("POST", f"/clusters/{cluster_id}/merge"),
        ("POST", f"/clusters/{cluster_id}/duplicate"), ("POST", f"/clusters/{cluster_id}/delete"),
    ]


@pytest.mark.parametrize("role", ["anonymous", "stakeholder", "reviewer", "chair"])
def test_authorization_matrix_of_clustering_routes(app, role, drafting, reviewer, chair, login):
    submitter = make_user(name="Ana Ruiz")
    proposals = [make_proposal(drafting, submitter), make_proposal(drafting, make_user())]
    cluster = add_proposals_to_new_cluster(drafting, actor=reviewer, title="C", proposal_ids=[p.id for p in proposals])
    suggestion = suggest_clusters(drafting, actor=reviewer, scope="submitted")
    db.session.commit()
    consent_id = db.session.execute(sa.select(MergeConsent.id).where(MergeConsent.proposal_id == proposals[0].id)).scalar_one()
    users = {"stakeholder": submitter, "reviewer": reviewer, "chair": chair}
    client = app.test_client()
    if role in users:
        login(users[role], client)
    expected_workspace = {"anonymous": 302, "stakeholder": 403}.get(role)
    consents = client.get("/review/consents/")
    answer = client.post(f"/review/consents/{consent_id}", data={f"c{consent_id}-answer": "accept"})

    for method, url in _routes(cluster.id, suggestion[0].id if suggestion else 0, consent_id):
        response = client.open(url, method=method, data={})
        if expected_workspace:
            assert response.status_code == expected_workspace, (method, url)
            if role == "anonymous":
                assert "/login" in response.location
        else:
            assert response.status_code in {200, 302, 303, 404, 422}, (method, url, response.status_code)
            assert response.status_code != 403

    assert consents.status_code == (302 if role == "anonymous" else 200)
    assert answer.status_code == {"anonymous": 302, "stakeholder": 302}.get(role, 403)


def test_other_consultations_cluster_is_not_found(client, login, reviewer, drafting):
    older = make_consultation(current=PhaseKind.AGENDA_DRAFTING, title="Old", year=2000)
    foreign = create_cluster(older, actor=reviewer, title="Old cluster")
    db.session.commit()
    login(reviewer)

    assert client.get(f"/clusters/{foreign.id}").status_code == 404


def test_cluster_page_names_a_duplicate_original_outside_the_cluster(client, login, reviewer, drafting):
    # The model lets duplicate_of_id point at any proposal: the page names it rather than failing on the lookup.
    inside = make_proposal(drafting, make_user(), title="Community mesh networks")
    outside = make_proposal(drafting, make_user(), title="Mesh networks in villages")
    cluster = add_proposals_to_new_cluster(drafting, actor=reviewer, title="Mesh", proposal_ids=[inside.id])
    db.session.execute(sa.update(ClusterMember).where(ClusterMember.cluster_id == cluster.id)
                       .values(duplicate_of_id=outside.id))
    db.session.commit()
    login(reviewer)

    response = client.get(f"/clusters/{cluster.id}")

    assert response.status_code == 200
    assert f"<td>{outside.reference}</td>" in response.get_data(as_text=True)


def test_create_cluster_without_title_is_422_on_the_workspace(client, login, reviewer, drafting):
    login(reviewer)

    response = client.post("/clusters/new", data={"new-title": ""})

    assert response.status_code == 422
    assert "Give the cluster a title." in response.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count(Cluster.id))).scalar_one() == 0


def test_leftover_is_offered_to_its_nearest_suggestion_and_joins_it(client, login, reviewer, topic_proposals, drafting):
    suggest_clusters(drafting, actor=reviewer, scope="submitted")
    db.session.commit()
    stored = latest_suggestions(drafting.id)
    leftover = stored[-1]
    nearest = next(s for s in stored if s.position == leftover.nearest["position"])
    login(reviewer)

    page = client.get("/clusters/suggestions").get_data(as_text=True)
    offer = (f"Add to suggestion {nearest.position} “{nearest.title}” "
             f"(similarity {leftover.nearest['similarity']:.2f})")
    assert offer.replace("“", "&#8220;").replace("”", "&#8221;") in page or offer in page
    assert "— Shares C2 and the terms " in page  # member reasons beside each proposal

    response = client.post(f"/clusters/suggestions/{leftover.id}/join", data={})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ClusterSuggestion, leftover.id) is None
    joined = db.session.get(ClusterSuggestion, nearest.id)
    assert leftover.proposal_ids[0] in joined.proposal_ids
    assert str(leftover.proposal_ids[0]) in joined.member_reasons
