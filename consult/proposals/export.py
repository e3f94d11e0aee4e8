"""CSV export of a proposal list for the chair: UTF-8 with a BOM for Excel, formulas neutralised."""
import csv
import io

from consult import reference
from consult.proposals.models import DECISION_LABELS, PROPOSAL_KIND_LABELS, PROPOSAL_STATUS_LABELS, Proposal

EXPORT_COLUMNS = (
    "reference", "kind", "status", "decision", "title", "summary", "keywords", "action_lines", "sdgs",
    "organization", "stakeholder_type", "country", "region", "submitter_name", "submitter_email", "source",
    "format", "duration_minutes", "submitted_at",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value) -> str:
    """A cell's text, with a leading quote when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _row(proposal: Proposal) -> list:
    return [
        proposal.reference, PROPOSAL_KIND_LABELS[proposal.kind], PROPOSAL_STATUS_LABELS[proposal.status],
        DECISION_LABELS[proposal.decision], proposal.title, proposal.summary, proposal.keywords,
        " ".join(proposal.action_line_codes), " ".join(str(n) for n in proposal.sdg_numbers), proposal.organization,
        reference.STAKEHOLDER_TYPE_LABELS.get(proposal.stakeholder_type, ""), proposal.country or "",
        reference.REGION_LABELS.get(proposal.region, ""), proposal.submitter_name, proposal.submitter_email,
        proposal.source, proposal.format_code or "", proposal.duration_minutes or "",
        proposal.submitted_at.strftime("%Y-%m-%d %H:%M") if proposal.submitted_at else "",
    ]


def proposals_csv(proposals) -> str:
    """The proposals as CSV text, starting with a byte-order mark so that Excel reads UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for proposal in proposals:
        writer.writerow([neutralise_cell(value) for value in _row(proposal)])
    return buffer.getvalue()
