"""What the proposals area holds about a person: in their data download, and forgotten when they close their account."""
import sqlalchemy as sa

from consult.accounts.privacy import account_closing, personal_data_requested
from consult.extensions import db
from consult.proposals.models import Proposal


@personal_data_requested.connect
def proposals_of(user, **_extra):
    """The proposals user created (drafts included), with their content and outcome."""
    proposals = db.session.execute(
        sa.select(Proposal).where(Proposal.submitter_id == user.id).order_by(Proposal.id)
    ).scalars()
    return "proposals", [{
        "reference": proposal.reference, "kind": proposal.kind.value, "status": proposal.status.value,
        "title": proposal.title, "summary": proposal.summary, "description": proposal.description,
        "keywords": proposal.keywords, "organization": proposal.organization,
        "submitted_at": proposal.submitted_at.isoformat() if proposal.submitted_at else None,
        # What the submitter was told: a decision still held by the chair is not theirs to read yet.
        "decision": proposal.announced_decision.value,
        "speakers": [{"name": s.name, "organization": s.organization, "country": s.country, "gender": s.gender}
                     for s in proposal.speakers],
    } for proposal in proposals]


@account_closing.connect
def forget_submitter(user, **_extra):
    """The proposals stay; the name and address they kept of their submitter go."""
    db.session.execute(sa.update(Proposal).where(Proposal.submitter_id == user.id)
                       .values(submitter_name="", submitter_email=""))
