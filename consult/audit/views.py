"""The chair browses and exports the audit log."""
from flask import Blueprint, Response, current_app, render_template, request

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.audit.queries import AuditFilters, audit_rows, search_audit
from consult.forms.audit import AuditFilterForm
from consult.tabular import CSV_MIMETYPE, csv_bytes
from consult.views_helpers import page_number

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _filters(form: AuditFilterForm) -> AuditFilters:
    """The filters of a validated form (a field that did not validate filters nothing)."""
    def valid(field):
        return None if field.errors else field.data

    object_id = valid(form.object_id)
    return AuditFilters(action=valid(form.action) or "", object_type=valid(form.object_type) or "",
                        object_id=int(object_id) if object_id else None, person=valid(form.person) or "",
                        date_from=valid(form.date_from), date_to=valid(form.date_to))


@bp.route("/")
@role_required(Role.CHAIR)
def log():
    """Every state change, newest first, with old -> new values; filtered by person, dates, action and object."""
    form = AuditFilterForm(request.args)
    is_valid = form.validate()
    pagination = search_audit(_filters(form), page=page_number(), per_page=current_app.config["PAGE_SIZE"])
    export_args = {key: value for key, value in request.args.items() if key != "page"}
    page = render_template("audit/log.html", form=form, pagination=pagination, export_args=export_args)
    return page, (200 if is_valid else 422)


@bp.route("/export.csv")
@role_required(Role.CHAIR)
def export_csv():
    """The filtered log as CSV, one row per changed field (formulas neutralised by consult/tabular.py)."""
    form = AuditFilterForm(request.args)
    form.validate()
    header, rows = audit_rows(_filters(form))
    return Response(csv_bytes(header, rows), mimetype=CSV_MIMETYPE,
                    headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'})
