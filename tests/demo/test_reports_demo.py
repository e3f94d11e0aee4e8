"""The reports demo step: logos and draft settings, nothing heavy; the demo chair can build both PDFs at once."""
from consult.demo.foundation import Demo
from consult.demo.reports import seed_reports
from consult.extensions import db
from consult.reports.models import DocumentStatus, JobState, ReportJob
from consult.reports.queries import report_logos, report_settings
from tests import factories
from tests.reports.factories import build_report_dataset


def test_seed_reports_builds_nothing_and_the_chair_builds_both(app, client, login, chair, stakeholder, reviewer):
    app.config.update(REPORT_WORKERS=1)
    consultation = factories.make_consultation()
    build_report_dataset(consultation, proposals=8, sessions=4)
    demo = Demo(consultation=consultation, chair=chair, reviewers=[reviewer], stakeholder=stakeholder,
                phase=consultation.phases[0].kind)

    seed_reports(demo)
    db.session.commit()

    assert db.session.execute(db.select(db.func.count(ReportJob.id))).scalar_one() == 0
    assert demo.extra["reports_page"] == "/reports/"
    assert [(logo.organiser, logo.mime_type) for logo in report_logos(consultation.id)] == [
        ("ITU", "image/svg+xml"), ("UNESCO", "image/svg+xml"), ("UNDP", "image/svg+xml"), ("UNCTAD", "image/svg+xml")]
    settings = report_settings(consultation.id)
    assert (settings.status, settings.document_symbol) == (DocumentStatus.DRAFT, f"WSIS/OCP/{consultation.year}/OUT")
    login(chair)
    client.post("/reports/build/both")
    states = db.session.execute(db.select(ReportJob.state)).scalars().all()
    assert states == [JobState.DONE, JobState.DONE]
