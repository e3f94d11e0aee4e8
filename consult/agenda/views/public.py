"""Routes of the public agenda: the list, the grid, the feeds, versions, session pages and comments."""
from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.agenda import comments, feeds, queries
from consult.agenda.display import long_day
from consult.agenda.grid import grid_days, grid_rooms
from consult.agenda.models import AgendaVersionKind, SessionComment
from consult.agenda.permissions import can_comment, can_moderate
from consult.agenda.versions import (
    diff_versions,
    group_snapshot,
    people_once,
    read_snapshot,
    search_snapshot,
    without_people,
)
from consult.agenda.views import _session_or_404, bp
from consult.agenda.withdrawals import withdrawn_proposals_of
from consult.boundary import ensure_valid, form_page
from consult.consultations.models import PhaseKind
from consult.consultations.queries import consultation_or_404, is_phase_open
from consult.extensions import db
from consult.forms.agenda import AgendaFilterForm, CommentForm, HideCommentForm, ReplyForm
from consult.pagecache import cached_for_visitors
from consult.pagination import ListPage
from consult.proposals.permissions import can_see_identity
from consult.reference import ACTION_LINES_BY_CODE, SESSION_FORMATS
from consult.views_helpers import page_number

# --- public agenda ---------------------------------------------------------------------------------------

def group_label(view: str, key: str) -> str:
    """A group's heading: a long date, a room name or an action line label."""
    if not key:
        return _("Not tagged") if view == "action_line" else _("Not scheduled")
    if view == "day":
        return long_day(key)
    if view == "action_line":
        line = ACTION_LINES_BY_CODE.get(key)
        return line.label if line else key
    return key


def format_labels() -> dict[str, str]:
    """Format code to label, translated once per page rather than once per session."""
    labels = {fmt.code: str(fmt.label) for fmt in SESSION_FORMATS}
    labels["other"] = _("Other format")
    return labels


@bp.route("/")
@cached_for_visitors()
def public_agenda():
    """The latest published agenda by day, room or action line, with search; no JavaScript needed."""
    consultation = consultation_or_404()
    version, snapshot = queries.visible_snapshot(consultation, current_user)
    g.agenda_published = version is not None
    form = AgendaFilterForm(request.args)
    view = form.view.data if form.view.data in ("day", "room", "action_line") else "day"
    if version is None:
        return render_template("agenda/public_agenda.html", version=None, form=form, view=view)
    query = (form.q.data or "").strip()[:200]
    if query:
        matches = search_snapshot(snapshot, query)
        size = current_app.config["PAGE_SIZE"]
        page = ListPage(matches[(page_number() - 1) * size: page_number() * size], page_number(), size, len(matches))
        return render_template("agenda/public_agenda.html", version=version, form=form, view=view, query=query,
                               groups=group_snapshot(page.items, view), pagination=page, group_keys=[], group_label=group_label,
                               format_labels=format_labels)
    groups = group_snapshot(snapshot, view)
    keys = [key for key, _items in groups]
    chosen = request.args.get("group", "")
    shown = next((g for g in groups if g[0] == chosen), groups[0] if groups else None)
    return render_template("agenda/public_agenda.html", version=version, form=form, view=view, query="",
                           groups=[shown] if shown else [], group_keys=keys, chosen=shown[0] if shown else "",
                           group_label=group_label, pagination=None, format_labels=format_labels)


@bp.route("/grid")
@cached_for_visitors()
def public_grid():
    """The published agenda as a room by time grid, one day per page; plenaries across every room."""
    consultation = consultation_or_404()
    version, snapshot = queries.visible_snapshot(consultation, current_user)
    g.agenda_published = version is not None
    if version is None:
        return render_template("agenda/public_grid.html", version=None, grid=None, days=[])
    days = sorted({item["day"] for item in snapshot if item["day"]})
    chosen = request.args.get("day", "")
    chosen = chosen if chosen in days else (days[0] if days else "")
    grid = grid_days([item for item in snapshot if item["day"] == chosen], rooms=grid_rooms(snapshot))
    return render_template("agenda/public_grid.html", version=version, grid=grid[0] if grid else None, days=days,
                           chosen=chosen, session_url=lambda sid: url_for("agenda.public_session", session_id=sid))


@bp.route("/published.json")
@cached_for_visitors()
def published_json():
    """The latest published agenda as JSON, for websites: the one public JSON of the agenda."""
    consultation = consultation_or_404()
    version, snapshot = queries.visible_snapshot(consultation, current_user)
    if version is None:
        return jsonify(error="not_published", message=_("No agenda is published yet.")), 404
    return jsonify(feeds.agenda_json(
        consultation, version, snapshot, session_url=_public_session_url,
        agenda_url=url_for("agenda.public_agenda", _external=True), ical_url=url_for("agenda.calendar", _external=True)))


@bp.after_request
def open_to_other_sites(response):
    """The public JSON is for other websites: any origin may read it (set here, so a cached answer has it too)."""
    if request.endpoint == "agenda.published_json":
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _public_session_url(session_id: int) -> str:
    return url_for("agenda.public_session", session_id=session_id, _external=True)


def _calendar_response(consultation, version, entries, filename: str):
    body = feeds.agenda_ical(consultation, version, entries, session_url=_public_session_url,
                             host=request.host.split(":")[0] or "consult")
    response = current_app.response_class(body, mimetype="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.route("/agenda.ics")
def calendar():
    """The published agenda as an iCalendar feed to subscribe to."""
    consultation = consultation_or_404()
    version, snapshot = queries.visible_snapshot(consultation, current_user)
    if version is None:
        abort(404)
    return _calendar_response(consultation, version, snapshot, "agenda.ics")


@bp.route("/s/<int:session_id>.ics")
def session_calendar(session_id: int):
    """One published session as an iCalendar event."""
    consultation = consultation_or_404()
    version, snapshot = queries.visible_snapshot(consultation, current_user)
    item = next((i for i in snapshot if i["id"] == session_id), None)
    if item is None:
        abort(404)
    return _calendar_response(consultation, version, [item], f"session-{session_id}.ics")


@bp.route("/versions")
@cached_for_visitors()
def versions():
    """Every published version with its date and kind."""
    consultation = consultation_or_404()
    return render_template("agenda/versions.html", versions=queries.list_versions(consultation))


@bp.route("/versions/<int:number>")
@cached_for_visitors()
def version(number: int):
    """What changed in one version since the one before."""
    consultation = consultation_or_404()
    shown = queries.get_version(consultation, number)
    if shown is None:
        abort(404)
    previous = queries.get_version(consultation, number - 1) if number > 1 else None
    visible = (lambda snapshot: snapshot) if can_see_identity(current_user, consultation) else without_people
    changes = diff_versions(visible(read_snapshot(previous.snapshot)) if previous else [],
                            visible(read_snapshot(shown.snapshot)))
    return render_template("agenda/version.html", shown=shown, previous=previous, changes=changes)


@bp.route("/s/<int:session_id>")
@cached_for_visitors()
def public_session(session_id: int):
    """A session as published in the latest version, with its public comments."""
    consultation = consultation_or_404()
    version, snapshot = queries.visible_snapshot(consultation, current_user)
    item = next((i for i in snapshot if i["id"] == session_id), None)
    if item is None:
        abort(404)
    return _render_public_session(consultation, version, item, CommentForm())


def _render_public_session(consultation, version, item, form, hide_forms=None):
    moderator = can_moderate(current_user)
    pagination = db.paginate(queries.comments_select(item["id"], include_hidden=moderator), page=page_number(),
                             per_page=current_app.config["PAGE_SIZE"], error_out=False)
    commenting_open = version.kind is AgendaVersionKind.DRAFT and is_phase_open(consultation, PhaseKind.PUBLIC_COMMENT)
    return render_template("agenda/public_session.html", version=version, item=item, form=form, pagination=pagination,
                           commenting_open=commenting_open, moderator=moderator,
                           people=people_once(item["people"]), withdrawn=withdrawn_proposals_of(item["id"]),
                           hide_forms=hide_forms or {})


@bp.route("/s/<int:session_id>/comments", methods=["POST"])
@login_required
def add_comment(session_id: int):
    """A signed-in user comments on a session of the draft agenda."""
    session = _session_or_404(session_id)
    if not can_comment(current_user):
        abort(403)
    form = form_page(CommentForm(), lambda: _render_published_session(session_id, form))
    ensure_valid(form)
    comments.add_comment(session, author=current_user, body=form.body.data)
    flash(_("Your comment is published."), "success")
    return redirect(url_for("agenda.public_session", session_id=session_id) + "#comments")


def _render_published_session(session_id: int, form, hide_forms=None):
    consultation = consultation_or_404()
    version, snapshot = queries.visible_snapshot(consultation, current_user)
    item = next((i for i in snapshot if i["id"] == session_id), None)
    if item is None:
        abort(404)
    return _render_public_session(consultation, version, item, form, hide_forms)


def _moderated_from() -> dict:
    """Where a hide or show button was pressed, from its action's query string, checked: the queue or the session page.

    Only known values pass (a state of the queue, a page number), so the redirect never leaves these two pages.
    """
    if request.args.get("back") == "moderation":
        state = request.args.get("state", "new")
        return {"back": "moderation", "state": state if state in queries.COMMENT_STATES else "new", "page": page_number()}
    return {"back": "session", "page": page_number()}


def _moderated_page(comment: SessionComment, came_from: dict, hide_form=None):
    """The page the chair moderated comment from, again, with the hide form's errors beside its reason."""
    hide_forms = {comment.id: hide_form} if hide_form is not None else {}
    if came_from["back"] == "moderation":
        return _render_moderation(consultation_or_404(), came_from["state"], hide_forms=hide_forms)
    return _render_published_session(comment.session_id, CommentForm(formdata=None), hide_forms=hide_forms)


def _back_to(comment: SessionComment, came_from: dict):
    page = came_from["page"] if came_from["page"] > 1 else None
    if came_from["back"] == "moderation":
        return redirect(url_for("agenda.moderation", state=came_from["state"], page=page))
    return redirect(url_for("agenda.public_session", session_id=comment.session_id, page=page)
                    + f"#comment-{comment.id}")


@bp.route("/comments/<int:comment_id>/hide", methods=["POST"])
@role_required(Role.CHAIR)
def hide_comment(comment_id: int):
    """The chair hides a comment, with a reason, and returns to the page they hid it from."""
    comment = db.get_or_404(SessionComment, comment_id)
    came_from = _moderated_from()
    form = form_page(HideCommentForm(), lambda: _moderated_page(db.get_or_404(SessionComment, comment_id), came_from, form))
    ensure_valid(form)
    comments.hide_comment(comment, actor=current_user, reason=form.reason.data)
    flash(_("The comment is hidden."), "success")
    return _back_to(comment, came_from)


@bp.route("/comments/<int:comment_id>/show", methods=["POST"])
@role_required(Role.CHAIR)
def show_comment(comment_id: int):
    """The chair shows a hidden comment again, and returns to the page they did it from."""
    comment = db.get_or_404(SessionComment, comment_id)
    came_from = _moderated_from()
    form_page(None, lambda: _moderated_page(db.get_or_404(SessionComment, comment_id), came_from))
    comments.show_comment(comment, actor=current_user)
    flash(_("The comment is visible again."), "success")
    return _back_to(comment, came_from)


@bp.route("/comments")
@role_required(Role.CHAIR)
def moderation():
    """The moderation queue of public comments: new, answered and hidden, each with its reply and hide forms."""
    consultation = consultation_or_404()
    state = request.args.get("state", "new")
    state = state if state in queries.COMMENT_STATES else "new"
    return _render_moderation(consultation, state)


def _render_moderation(consultation, state, reply_form=None, comment_id=None, hide_forms=None):
    pagination = db.paginate(queries.moderation_select(consultation, state), page=page_number(),
                             per_page=current_app.config["PAGE_SIZE"], error_out=False)
    forms = {comment.id: ReplyForm(formdata=None, reply=comment.reply) for comment in pagination.items}
    if reply_form is not None:
        forms[comment_id] = reply_form
    return render_template("agenda/moderation.html", pagination=pagination, state=state, forms=forms,
                           counts=queries.count_comments_by_state(consultation), states=queries.COMMENT_STATES,
                           hide_forms=hide_forms or {})


@bp.route("/comments/<int:comment_id>/reply", methods=["POST"])
@role_required(Role.CHAIR)
def reply_comment(comment_id: int):
    """The secretariat replies to a comment in public."""
    consultation = consultation_or_404()
    comment = db.get_or_404(SessionComment, comment_id)
    if comment.session.consultation_id != consultation.id:
        abort(404)
    state = "hidden" if comment.is_hidden else ("answered" if comment.reply else "new")
    form = form_page(ReplyForm(),
                     lambda: _render_moderation(consultation, state, reply_form=form, comment_id=comment_id))
    ensure_valid(form)
    comments.reply_to_comment(comment, actor=current_user, body=form.reply.data)
    flash(_("The reply is published under the comment."), "success")
    return redirect(url_for("agenda.moderation", state=state) + f"#comment-{comment.id}")
