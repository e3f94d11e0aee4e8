"""Reviews and the ranking as tables, for consult/tabular.py to write as CSV or XLSX.

Who gets what: the chair exports the ranking and every review with the submitters' identities; a reviewer
exports only their own reviews, with identities hidden when the review is blind (the `can_see_identity` rule).
"""
from flask_babel import gettext as _

from consult.proposals.models import DECISION_LABELS, PROPOSAL_KIND_LABELS
from consult.reference import REGION_LABELS, STAKEHOLDER_TYPE_LABELS
from consult.review.models import RECOMMENDATION_LABELS
from consult.review.presenters import HIDDEN


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
                      review.reviewer.name, review.state.value]
                     + [values.get(criterion.id, "") for criterion in criteria]
                     + [_round(review.total_score),
                        str(RECOMMENDATION_LABELS[review.recommendation]) if review.recommendation else "",
                        review.comment_to_committee, review.comment_to_submitter])
    return headers, table
