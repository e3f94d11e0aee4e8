"""CSV export of a proposal list for the chair, written by consult/tabular.py."""
from flask_babel import lazy_gettext as _l

from consult import reference
from consult.proposals.models import DECISION_LABELS, PROPOSAL_KIND_LABELS, PROPOSAL_STATUS_LABELS, Proposal
from consult.tabular import csv_bytes

# The chair's list for reading in a spreadsheet, in the chair's language: labels, not codes (the data exports of
# the reports area keep the codes that an import reads back).
EXPORT_COLUMNS = (
    _l("Reference"), _l("Kind"), _l("Status"), _l("Decision"), _l("Title"), _l("Language"), _l("Summary"),
    _l("Keywords"), _l("Action lines"), _l("SDGs"), _l("Organization"), _l("Stakeholder type"), _l("Country"),
    _l("Region"), _l("Submitter"), _l("E-mail address"), _l("Source"), _l("Format"), _l("Duration (minutes)"),
    _l("Submitted (UTC)"),
)


def _row(proposal: Proposal) -> list:
    return [
        proposal.reference, PROPOSAL_KIND_LABELS[proposal.kind], PROPOSAL_STATUS_LABELS[proposal.status],
        DECISION_LABELS[proposal.decision], proposal.title,
        reference.LANGUAGE_LABELS.get(proposal.language, proposal.language or ""), proposal.summary,
        proposal.keywords, "; ".join(reference.action_line_label(code) for code in proposal.action_line_codes),
        "; ".join(f"{number} {reference.SDGS[number]}" for number in proposal.sdg_numbers), proposal.organization,
        reference.STAKEHOLDER_TYPE_LABELS.get(proposal.stakeholder_type, ""), reference.country_name(proposal.country),
        reference.REGION_LABELS.get(proposal.region, ""), proposal.submitter_name, proposal.submitter_email,
        proposal.source, reference.format_label(proposal.format_code, proposal.format_other or "")
        if proposal.format_code else "", proposal.duration_minutes or "",
        proposal.submitted_at.strftime("%Y-%m-%d %H:%M") if proposal.submitted_at else "",
    ]


def proposals_csv(proposals) -> bytes:
    """The proposals as CSV for spreadsheets (consult/tabular.py: UTF-8 with a byte-order mark, formulas neutralised)."""
    return csv_bytes([str(column) for column in EXPORT_COLUMNS], (_row(proposal) for proposal in proposals))
