"""The chair builds both PDFs from the reports page in Chromium, watches them finish and finds the downloads."""
import pytest

from consult.accounts.models import Role
from consult.extensions import db
from tests.factories import PASSWORD, make_consultation, make_user
from tests.reports.factories import build_report_dataset

pytestmark = pytest.mark.e2e


def test_chair_builds_both_reports_and_sees_them_finish(app, page, assert_accessible):
    app.config.update(JOBS_BACKEND="thread", REPORT_WORKERS=1)
    consultation = make_consultation()
    build_report_dataset(consultation, proposals=6, sessions=3)
    make_user(role=Role.CHAIR, name="Amina Diallo", email="chair@example.org")
    db.session.commit()

    page.goto("/account/login")
    page.get_by_label("E-mail address").fill("chair@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Chair", exact=True).click()
    page.get_by_role("link", name="Reports and exports").click()
    assert page.get_by_role("heading", name="Reports and exports", level=1).is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Build the agenda and the outcomes report").click()

    page.get_by_role("link", name="Download PDF").nth(1).wait_for(timeout=120000)
    assert page.get_by_role("link", name="Download PDF").count() == 2
    assert page.locator("[data-role=state]").all_inner_texts() == ["DONE", "DONE"]
    assert_accessible(page)
