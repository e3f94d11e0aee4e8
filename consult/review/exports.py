"""Reviews and the ranking as tables, written as CSV or XLSX; cells that a spreadsheet would run are neutralised.

Who gets what: the chair exports the ranking and every review with the submitters' identities; a reviewer
exports only their own reviews, with identities hidden when the review is blind (the `can_see_identity` rule).
"""
import csv
import io

from flask_babel import gettext as _

from consult.proposals.models import DECISION_LABELS, PROPOSAL_KIND_LABELS
from consult.reference import REGION_LABELS, STAKEHOLDER_TYPE_LABELS
from consult.review.models import RECOMMENDATION_LABELS
from consult.review.presenters import HIDDEN

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value a spreadsheet will show as text, never run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _round(value):
    return round(value, 3) if value is not None else ""


def ranking_table(rows) -> tuple[list[str], list[list]]:
    """Headers and rows of the ranking export (chair only)."""
    headers = [_("Reference"), _("Title"), _("Kind"), _("Organization"), _("Stakeholder type"), _("Region"),
               _("Reviews done"), _("Reviews assigned"), _("Raw mean"), _("Calibrated (z)"), _("Calibrated on the scale"),
               _("Standard deviation"), _("Max - min"), _("Disputed"), _("Decision")]
    table = [[row.reference, row.title, str(PROPOSAL_KIND_LABELS[row.kind]), row.organization,
              str(STAKEHOLDER_TYPE_LABELS.get(row.stakeholder_type, "")), str(REGION_LABELS.get(row.region, "")),
              row.score.review_count, row.assigned, _round(row.score.raw_mean), _round(row.score.calibrated_z),
              _round(row.score.calibrated), _round(row.score.sd), _round(row.score.spread),
              _("yes") if row.score.is_disputed else "", str(DECISION_LABELS[row.decision])] for row in rows]
    return headers, table


def reviews_table(reviews, criteria, *, identity_visible: bool) -> tuple[list[str], list[list]]:
    """Headers and rows of a reviews export; submitter identity only when identity_visible."""
    headers = [_("Reference"), _("Title"), _("Submitter"), _("Organization"), _("Reviewer"), _("State")]
    headers += [criterion.name for criterion in criteria]
    headers += [_("Total"), _("Recommendation"), _("Comment to the committee"), _("Comment to the submitter")]
    hidden = str(HIDDEN)
    table = []
    for review in reviews:
        proposal = review.proposal
        values = {score.criterion_id: score.value for score in review.scores}
        table.append([proposal.reference, proposal.title,
                      proposal.submitter_name if identity_visible else hidden,
                      proposal.organization if identity_visible else hidden,
                      review.reviewer.name, review.state.label]
                     + [values.get(criterion.id, "") for criterion in criteria]
                     + [_round(review.total_score),
                        str(RECOMMENDATION_LABELS[review.recommendation]) if review.recommendation else "",
                        review.comment_to_committee, review.comment_to_submitter])
    return headers, table


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so spreadsheets read the accents), formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(header) for header in headers])
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(headers: list[str], rows: list[list], *, title: str) -> bytes:
    """An XLSX workbook of one sheet, formulas neutralised (strings are stored as text)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(header) for header in headers])
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
