"""What the proposals area holds about a person: in their data download, and forgotten when they close their account."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from consult.accounts.privacy import account_closing, personal_data_requested
from consult.extensions import db
from consult.proposals.models import Proposal


@personal_data_requested.connect
def proposals_of(user, **_extra):
    """The proposals user created (drafts included), with their content and outcome."""
    proposals = db.session.execute(
        sa.select(Proposal).where(Proposal.submitter_id == user.id).order_by(Proposal.id)
        .options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs), selectinload(Proposal.speakers),
                 selectinload(Proposal.revisions))
    ).scalars()
    return "proposals", [{
        "reference": proposal.reference, "kind": proposal.kind.value, "status": proposal.status.value,
        "title": proposal.title, "summary": proposal.summary, "description": proposal.description,
        "keywords": proposal.keywords, "language": proposal.language, "organization": proposal.organization,
        "submitter_name": proposal.submitter_name, "submitter_email": proposal.submitter_email,
        "country": proposal.country,
        "stakeholder_type": proposal.stakeholder_type.value if proposal.stakeholder_type else None,
        "action_lines": list(proposal.action_line_codes), "sdgs": list(proposal.sdg_numbers),
        "format": proposal.format_code, "format_other": proposal.format_other,
        "duration_minutes": proposal.duration_minutes,
        "submitted_at": _iso(proposal.submitted_at), "withdrawn_at": _iso(proposal.withdrawn_at),
        "withdraw_reason": proposal.withdraw_reason,
        # What the submitter was told: a decision still held by the chair is not theirs to read yet.
        "decision": proposal.announced_decision.value,
        "speakers": [{"name": s.name, "organization": s.organization, "email": s.email, "country": s.country,
                      "gender": s.gender} for s in proposal.speakers],
        "revisions": [{"number": revision.number, "created_at": _iso(revision.created_at), "content": revision.data}
                      for revision in proposal.revisions],
    } for proposal in proposals]


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


@account_closing.connect
def forget_submitter(user, **_extra):
    """The proposals stay; the name and address they kept of their submitter go."""
    db.session.execute(sa.update(Proposal).where(Proposal.submitter_id == user.id)
                       .values(submitter_name="", submitter_email=""))
