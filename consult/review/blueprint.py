"""The review area's blueprint and what its view modules share: the proposal under review, table downloads."""
from flask import Blueprint, Response, abort
from flask_babel import gettext as _

from consult import tabular
from consult.consultations.queries import consultation_or_404
from consult.forms import as_choices
from consult.proposals.models import Proposal
from consult.reference import in_reader_language
from consult.review import queries

bp = Blueprint("review", __name__, url_prefix="/review")


def proposal_or_404(proposal_id: int) -> Proposal:
    """A submitted proposal of the current consultation, with its speakers and tags, or 404."""
    proposal = queries.submitted_proposal_for_review(consultation_or_404().id, proposal_id)
    if proposal is None:
        abort(404)
    return proposal


def reason_choices(consultation):
    """The decision reasons of the consultation as choices, after "No reason"."""
    reasons = queries.decision_reasons(consultation.id)
    return as_choices([("", _("No reason"))] + [(reason.id, in_reader_language(reason.label)) for reason in reasons])


def table_file(headers, rows, fmt: str, name: str, title: str) -> Response:
    """A table as a CSV or XLSX download named name.fmt."""
    if fmt == "csv":
        data, mimetype = tabular.csv_bytes(headers, rows), tabular.CSV_MIMETYPE
    else:
        data, mimetype = tabular.xlsx_bytes(headers, rows, sheet_title=title), tabular.XLSX_MIMETYPE
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
