"""A reviewer accepts suggested clusters, renames one and moves a proposal, in Chromium; every page passes axe-core."""
import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.clustering.models import Cluster, ClusterMember
from consult.consultations.models import PhaseKind
from consult.extensions import db
from tests.clustering.topics import make_topic_proposals
from tests.factories import PASSWORD, make_consultation, make_user

pytestmark = pytest.mark.e2e


def test_reviewer_accepts_suggestions_renames_and_moves(app, page, assert_accessible):
    consultation = make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    made = make_topic_proposals(consultation)
    make_user(role=Role.REVIEWER, name="Lukas Berger", email="lukas@example.org")
    db.session.commit()
    moved = made["broadband"][0]

    page.goto("/account/login")
    page.get_by_label("E-mail address").fill("lukas@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Clusters").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Clusters"
    assert_accessible(page)

    page.get_by_label("Cluster", exact=True).select_option("submitted")
    page.get_by_label("Number of clusters").fill("3")
    page.get_by_role("button", name="Suggest clusters").click()
    assert page.locator(".flash").inner_text() == "3 clusters suggested."
    assert page.locator("section.suggestion h2").count() == 3
    assert_accessible(page)

    page.get_by_role("button", name="Accept as a cluster").first.click()
    page.get_by_role("button", name="Accept as a cluster").first.click()
    assert page.get_by_role("link", name="Accepted as a cluster").count() == 2
    assert_accessible(page)

    page.get_by_role("link", name="Back to the clusters").click()
    assert page.locator(".clusters-table tbody tr").count() == 2
    moved_title = db.session.execute(sa.select(Cluster.title).join(ClusterMember).where(
        ClusterMember.proposal_id == moved.id)).scalar_one()
    page.get_by_role("link", name=moved_title).click()
    assert_accessible(page)

    page.get_by_label("Title", exact=True).fill("Rural connectivity")
    page.get_by_role("button", name="Save cluster").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rural connectivity"

    page.get_by_label(f"{moved.reference} {moved.title}").check()
    page.get_by_label("Move to the cluster chosen below").check()
    page.get_by_label("Cluster to move them to").select_option(index=1)
    page.get_by_role("button", name="Apply to the ticked proposals").click()
    assert page.locator(".flash").inner_text() == "Done: 1 proposal."
    assert page.get_by_role("table").first.inner_text().count(moved.title) == 0
    assert_accessible(page)

    db.session.expire_all()
    target = db.session.execute(sa.select(ClusterMember.cluster_id).where(ClusterMember.proposal_id == moved.id)).scalar_one()
    assert db.session.get(Cluster, target).title != "Rural connectivity"
