"""Demo data: a consultation shaped like the WSIS Forum's, with data in every area of the workflow."""
import sqlalchemy as sa

from consult.consultations.models import Consultation, PhaseKind
from consult.extensions import db

DEMO_PASSWORD = "demo-password"  # noqa: S105  # nosec B105 (published demo accounts, demo data only)


def seed_demo(phase: str = PhaseKind.PUBLIC_COMMENT.value) -> bool:
    """Seed the demo once; False when the database already holds a consultation."""
    if db.session.execute(sa.select(Consultation.id).limit(1)).first() is not None:
        return False
    from consult.demo.accounts import seed_accounts
    from consult.demo.agenda import seed_agenda
    from consult.demo.clustering import seed_clustering
    from consult.demo.foundation import seed_foundation
    from consult.demo.proposals import seed_proposals
    from consult.demo.reports import seed_reports
    from consult.demo.review import seed_review

    demo = seed_foundation(PhaseKind(phase))
    for seed in (seed_accounts, seed_proposals, seed_review, seed_clustering, seed_agenda, seed_reports):
        seed(demo)
        db.session.flush()
    return True
