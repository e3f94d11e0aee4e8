"""CSV export of a proposal list for the chair, written by consult/tabular.py."""
from consult import reference
from consult.proposals.models import DECISION_LABELS, PROPOSAL_KIND_LABELS, PROPOSAL_STATUS_LABELS, Proposal
from consult.tabular import csv_bytes

EXPORT_COLUMNS = (
    "reference", "kind", "status", "decision", "title", "language", "summary", "keywords", "action_lines", "sdgs",
    "organization", "stakeholder_type", "country", "region", "submitter_name", "submitter_email", "source",
    "format", "duration_minutes", "submitted_at",
)
def _row(proposal: Proposal) -> list:
    return [
        proposal.reference, PROPOSAL_KIND_LABELS[proposal.kind], PROPOSAL_STATUS_LABELS[proposal.status],
        DECISION_LABELS[proposal.decision], proposal.title, proposal.language, proposal.summary, proposal.keywords,
        " ".join(proposal.action_line_codes), " ".join(str(n) for n in proposal.sdg_numbers), proposal.organization,
        reference.STAKEHOLDER_TYPE_LABELS.get(proposal.stakeholder_type, ""), proposal.country or "",
        reference.REGION_LABELS.get(proposal.region, ""), proposal.submitter_name, proposal.submitter_email,
        proposal.source, proposal.format_code or "", proposal.duration_minutes or "",
        proposal.submitted_at.strftime("%Y-%m-%d %H:%M") if proposal.submitted_at else "",
    ]


def proposals_csv(proposals) -> bytes:
    """The proposals as CSV for spreadsheets (consult/tabular.py: UTF-8 with a byte-order mark, formulas neutralised)."""
    return csv_bytes(EXPORT_COLUMNS, (_row(proposal) for proposal in proposals))
