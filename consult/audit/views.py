"""The chair browses the audit log."""
from flask import Blueprint, current_app, render_template, request

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.audit.queries import search_audit
from consult.forms.audit import AuditFilterForm
from consult.views_helpers import page_number

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@role_required(Role.CHAIR)
def log():
    """Every state change, newest first, filterable by action and object."""
    form = AuditFilterForm(request.args)
    form.validate()
    raw_id = form.object_id.data or ""
    # Only plain ASCII digits within the field's length: "²" passes isdigit() and 10**20 overflows SQLite.
    object_id = int(raw_id) if raw_id.isascii() and raw_id.isdigit() and not form.object_id.errors else None
    pagination = search_audit(action=form.action.data or "", object_type=form.object_type.data or "",
                              object_id=object_id, page=page_number(), per_page=current_app.config["PAGE_SIZE"])
    return render_template("audit/log.html", form=form, pagination=pagination)
