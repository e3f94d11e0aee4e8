"""The reports demo step: seeds nothing heavy, and the demo chair can build both PDFs at once."""
from consult.demo.foundation import Demo
from consult.demo.reports import seed_reports
from consult.extensions import db
from consult.reports.models import JobState, ReportJob
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
    login(chair)
    client.post("/reports/build/both")
    states = db.session.execute(db.select(ReportJob.state)).scalars().all()
    assert states == [JobState.DONE, JobState.DONE]
