"""Routes of the agenda area: the public agenda and comments, sessions, the week, scheduling and publication."""
from datetime import date

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.boundary import ensure_valid, form_page
from consult.agenda import queries, services
from consult.agenda.models import AgendaSession, AgendaVersionKind, ForumDay, Room, SessionComment, SessionPerson
from consult.agenda.permissions import can_comment, can_moderate
from consult.agenda.scheduling import UNPLACED_REASONS, explain_unplaced
from consult.agenda.versions import diff_versions, group_snapshot, read_snapshot, search_snapshot
from consult.consultations.models import PhaseKind
from consult.consultations.queries import consultation_or_404, current_consultation, is_phase_open
from consult.errors import ValidationError
from consult.extensions import db
from consult.pagecache import cached_for_visitors
from consult.forms import as_choices
from consult.forms.agenda import (
    AgendaFilterForm, CommentForm, DayForm, FromClusterForm, HideCommentForm, MoveForm, PersonForm, PublishForm, RoomForm,
    ScheduleForm, SessionForm, VersionOnlyForm,
)
from consult.reference import ACTION_LINES_BY_CODE, SESSION_FORMATS
from consult.clustering.models import Cluster
from consult.views_helpers import page_number
from consult.pagination import ListPage

bp = Blueprint("agenda", __name__, url_prefix="/agenda")



def _session_or_404(session_id: int) -> AgendaSession:
    session = db.get_or_404(AgendaSession, session_id)
    if session.consultation_id != consultation_or_404().id:
        abort(404)
    return session


# --- public agenda ---------------------------------------------------------------------------------------

def group_label(view: str, key: str) -> str:
    """A group's heading: a long date, a room name or an action line label."""
    if not key:
        return _("Not tagged") if view == "action_line" else _("Not scheduled")
    if view == "day":
        return date.fromisoformat(key).strftime("%A %d %B %Y")
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
    version, snapshot = queries.latest_snapshot(consultation)
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


@bp.route("/published.json")
@cached_for_visitors()
def published_json():
    """The latest published agenda as JSON, for websites."""
    consultation = consultation_or_404()
    version, snapshot = queries.latest_snapshot(consultation)
    if version is None:
        return jsonify(error="not_published", message=_("No agenda is published yet.")), 404
    return jsonify(consultation=consultation.title, timezone=consultation.timezone, version=version.number,
                   kind=version.kind.value, published_at=version.published_at.isoformat(), sessions=snapshot)


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
    changes = diff_versions(read_snapshot(previous.snapshot) if previous else [], read_snapshot(shown.snapshot))
    return render_template("agenda/version.html", shown=shown, previous=previous, changes=changes)


@bp.route("/s/<int:session_id>")
@cached_for_visitors()
def public_session(session_id: int):
    """A session as published in the latest version, with its public comments."""
    consultation = consultation_or_404()
    version, snapshot = queries.latest_snapshot(consultation)
    item = next((i for i in snapshot if i["id"] == session_id), None)
    if item is None:
        abort(404)
    return _render_public_session(consultation, version, item, CommentForm())


def _render_public_session(consultation, version, item, form):
    moderator = can_moderate(current_user)
    pagination = db.paginate(queries.comments_select(item["id"], include_hidden=moderator), page=page_number(),
                             per_page=current_app.config["PAGE_SIZE"], error_out=False)
    commenting_open = version.kind is AgendaVersionKind.DRAFT and is_phase_open(consultation, PhaseKind.PUBLIC_COMMENT)
    return render_template("agenda/public_session.html", version=version, item=item, form=form, pagination=pagination,
                           commenting_open=commenting_open, moderator=moderator)


@bp.route("/s/<int:session_id>/comments", methods=["POST"])
@login_required
def add_comment(session_id: int):
    """A signed-in user comments on a session of the draft agenda."""
    session = _session_or_404(session_id)
    if not can_comment(current_user):
        abort(403)
    form = form_page(CommentForm(), lambda: _render_published_session(session_id, form))
    ensure_valid(form)
    services.add_comment(session, author=current_user, body=form.body.data)
    flash(_("Your comment is published."), "success")
    return redirect(url_for("agenda.public_session", session_id=session_id) + "#comments")


def _render_published_session(session_id: int, form):
    consultation = consultation_or_404()
    version, snapshot = queries.latest_snapshot(consultation)
    item = next((i for i in snapshot if i["id"] == session_id), None)
    if item is None:
        abort(404)
    return _render_public_session(consultation, version, item, form)


@bp.route("/comments/<int:comment_id>/hide", methods=["POST"])
@role_required(Role.CHAIR)
def hide_comment(comment_id: int):
    """The chair hides a comment, with a reason."""
    comment = db.get_or_404(SessionComment, comment_id)
    form = HideCommentForm()
    form_page(None, lambda: public_session(comment.session_id))
    if not form.validate_on_submit():
        raise ValidationError(_("Give a reason for hiding the comment."))
    services.hide_comment(comment, actor=current_user, reason=form.reason.data)
    flash(_("The comment is hidden."), "success")
    return redirect(url_for("agenda.public_session", session_id=comment.session_id) + "#comments")


@bp.route("/comments/<int:comment_id>/show", methods=["POST"])
@role_required(Role.CHAIR)
def show_comment(comment_id: int):
    """The chair shows a hidden comment again."""
    comment = db.get_or_404(SessionComment, comment_id)
    services.show_comment(comment, actor=current_user)
    flash(_("The comment is visible again."), "success")
    return redirect(url_for("agenda.public_session", session_id=comment.session_id) + "#comments")


# --- sessions (committee) --------------------------------------------------------------------------------

@bp.route("/sessions")
@role_required(Role.REVIEWER)
def sessions():
    """The sessions of the draft agenda, with clusters still to turn into sessions."""
    consultation = consultation_or_404()
    pagination = db.paginate(queries.sessions_select(consultation), page=page_number(),
                             per_page=current_app.config["PAGE_SIZE"], error_out=False)
    cluster_form = FromClusterForm()
    cluster_form.cluster_id.choices = as_choices((c.id, c.title) for c in queries.clusters_without_session(consultation))
    return render_template("agenda/sessions.html", pagination=pagination, cluster_form=cluster_form,
                           frozen=queries.is_frozen(consultation))


@bp.route("/sessions/from-cluster", methods=["POST"])
@role_required(Role.REVIEWER)
def session_from_cluster():
    """Turn a cluster into a session."""
    consultation = consultation_or_404()
    form = FromClusterForm()
    form.cluster_id.choices = as_choices((c.id, c.title) for c in queries.clusters_without_session(consultation))
    form_page(None, sessions)
    if not form.validate_on_submit():
        raise ValidationError(_("Choose a cluster that has no session yet."))
    cluster = db.get_or_404(Cluster, form.cluster_id.data)
    session = services.create_session_from_cluster(cluster, actor=current_user)
    flash(_("The session “%(title)s” is created from its cluster.", title=session.title), "success")
    return redirect(url_for("agenda.edit_session", session_id=session.id))


def _session_fields(form: SessionForm) -> dict:
    return {"title": form.title.data, "description": form.description.data or "", "format_code": form.format_code.data,
            "track": form.track.data, "duration_minutes": form.duration_minutes.data,
            "expected_audience": form.expected_audience.data, "action_lines": form.action_lines.data or [],
            "sdgs": form.sdgs.data or []}


@bp.route("/sessions/new", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def new_session():
    """A session made from scratch."""
    consultation = consultation_or_404()
    form = form_page(SessionForm(), lambda: render_template("agenda/new_session.html", form=form))
    if request.method == "GET":
        return render_template("agenda/new_session.html", form=form)
    ensure_valid(form)
    session = services.create_session(consultation, actor=current_user, **_session_fields(form))
    flash(_("The session is created."), "success")
    return redirect(url_for("agenda.edit_session", session_id=session.id))


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def edit_session(session_id: int):
    """Edit a session; its people are added and removed below the form."""
    session = _session_or_404(session_id)
    if request.method == "GET":
        return _render_edit(session)
    form = form_page(SessionForm(), lambda: _render_edit(_session_or_404(session_id), form),
                     saved=lambda: _session_data(_session_or_404(session_id)))
    ensure_valid(form)
    services.update_session(session, actor=current_user, expected_version=form.version_id.data, **_session_fields(form))
    flash(_("The session is saved."), "success")
    return redirect(url_for("agenda.edit_session", session_id=session.id))


def _session_data(session: AgendaSession) -> dict:
    """The session form's data as saved."""
    return {"title": session.title, "description": session.description, "format_code": session.format_code,
            "track": session.track.value, "duration_minutes": session.duration_minutes,
            "expected_audience": session.expected_audience, "action_lines": [tag.code for tag in session.action_lines],
            "sdgs": [tag.sdg for tag in session.sdgs], "version_id": session.version_id}


def _render_edit(session, form=None, person_form=None):
    form = form or SessionForm(formdata=None, data=_session_data(session))
    person_form = person_form or PersonForm(formdata=None, version_id=session.version_id)
    return render_template("agenda/edit_session.html", session=session, form=form, person_form=person_form,
                           button_form=VersionOnlyForm(formdata=None, version_id=session.version_id))


@bp.route("/sessions/<int:session_id>/people", methods=["POST"])
@role_required(Role.REVIEWER)
def add_person(session_id: int):
    """Add an organizer, moderator or speaker."""
    session = _session_or_404(session_id)
    form = form_page(PersonForm(), lambda: _render_edit(_session_or_404(session_id), person_form=form),
                     saved=lambda: _session_or_404(session_id))
    ensure_valid(form)
    services.add_session_person(
        session, actor=current_user, expected_version=form.version_id.data, role=form.role.data,
        name=form.name.data, email=form.email.data or "", organization=form.organization.data or "",
        stakeholder_type=form.stakeholder_type.data or None, country=form.country.data or None,
        gender=form.gender.data or "", is_remote=form.is_remote.data)
    flash(_("%(name)s is added.", name=form.name.data), "success")
    return redirect(url_for("agenda.edit_session", session_id=session.id) + "#people")


@bp.route("/people/<int:person_id>/remove", methods=["POST"])
@role_required(Role.REVIEWER)
def remove_person(person_id: int):
    """Remove a person from a session."""
    person = db.get_or_404(SessionPerson, person_id)
    session = _session_or_404(person.session_id)
    form = VersionOnlyForm()
    form_page(None, lambda: _render_edit(_session_or_404(session.id)))
    services.remove_session_person(person, actor=current_user, expected_version=form.version_id.data)
    flash(_("%(name)s is removed.", name=person.name), "success")
    return redirect(url_for("agenda.edit_session", session_id=session.id) + "#people")


@bp.route("/sessions/<int:session_id>/pin", methods=["POST"])
@role_required(Role.CHAIR)
def pin_session(session_id: int):
    """Pin or unpin a session (the scheduler leaves pinned sessions where they are)."""
    session = _session_or_404(session_id)
    form = VersionOnlyForm()
    pinned = request.form.get("pinned") == "1"
    back_to_schedule = request.form.get("back") == "schedule"
    form_page(None, lambda: schedule() if back_to_schedule else _render_edit(_session_or_404(session_id)))
    services.set_session_pinned(session, actor=current_user, is_pinned=pinned, expected_version=form.version_id.data)
    flash(_("The session is pinned.") if pinned else _("The session is unpinned."), "success")
    return redirect(request.form.get("back") == "schedule" and url_for("agenda.schedule") or url_for("agenda.edit_session", session_id=session_id))


# --- the week (chair) ------------------------------------------------------------------------------------

@bp.route("/week")
@role_required(Role.CHAIR)
def week():
    """The Forum's days and rooms."""
    return _render_week(consultation_or_404())


def _render_week(consultation, *, day_form=None, day_id=None, room_form=None):
    days = queries.list_days(consultation)
    day_forms = {day.id: DayForm(formdata=None, obj=day, prefix=f"day{day.id}") for day in days}
    if day_form is not None:
        day_forms[day_id] = day_form
    return render_template("agenda/week.html", days=days, day_forms=day_forms, rooms=queries.list_rooms(consultation),
                           room_form=room_form or RoomForm(formdata=None))


@bp.route("/week/generate", methods=["POST"])
@role_required(Role.CHAIR)
def generate_days():
    """Create the days of the Forum dates with default hours."""
    created = services.generate_days(consultation_or_404(), actor=current_user)
    flash(_("%(count)d days added.", count=len(created)), "success")
    return redirect(url_for("agenda.week"))


@bp.route("/days/<int:day_id>", methods=["POST"])
@role_required(Role.CHAIR)
def update_day(day_id: int):
    """Change one day's hours and granularity."""
    day = db.get_or_404(ForumDay, day_id)
    form = form_page(DayForm(prefix=f"day{day.id}"), lambda: _render_week(consultation_or_404(), day_form=form, day_id=day.id))
    ensure_valid(form)
    services.update_day(day, actor=current_user, starts_at=form.starts_at.data, ends_at=form.ends_at.data,
                        granularity_minutes=form.granularity_minutes.data)
    flash(_("The day is saved."), "success")
    return redirect(url_for("agenda.week"))


@bp.route("/rooms", methods=["POST"])
@role_required(Role.CHAIR)
def create_room():
    """Add a room."""
    consultation = consultation_or_404()
    form = form_page(RoomForm(), lambda: _render_week(consultation, room_form=form))
    ensure_valid(form)
    services.create_room(consultation, actor=current_user, name=form.name.data, capacity=form.capacity.data,
                         has_interpretation=form.has_interpretation.data)
    flash(_("The room is added."), "success")
    return redirect(url_for("agenda.week"))


@bp.route("/rooms/<int:room_id>", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def edit_room(room_id: int):
    """Rename a room or change its capacity and interpretation."""
    room = db.get_or_404(Room, room_id)
    form = form_page(RoomForm(obj=room), lambda: render_template("agenda/edit_room.html", room=room, form=form))
    if request.method == "GET":
        return render_template("agenda/edit_room.html", room=room, form=form)
    ensure_valid(form)
    services.update_room(room, actor=current_user, name=form.name.data, capacity=form.capacity.data,
                         has_interpretation=form.has_interpretation.data)
    flash(_("The room is saved."), "success")
    return redirect(url_for("agenda.week"))


@bp.route("/rooms/<int:room_id>/delete", methods=["POST"])
@role_required(Role.CHAIR)
def delete_room(room_id: int):
    """Remove a room; its sessions become unscheduled."""
    room = db.get_or_404(Room, room_id)
    services.delete_room(room, actor=current_user)
    flash(_("The room is removed; its sessions are unscheduled."), "success")
    return redirect(url_for("agenda.week"))


# --- scheduling (chair) ----------------------------------------------------------------------------------

@bp.route("/schedule")
@role_required(Role.CHAIR)
def schedule():
    """The schedule of one day, every conflict of the agenda, the unplaced sessions and the scheduler."""
    consultation = consultation_or_404()
    return _render_schedule(consultation, ScheduleForm(formdata=None))


def _render_schedule(consultation, form):
    sessions = queries.list_sessions(consultation)
    specs, day_specs, room_specs = queries.schedule_inputs(consultation, sessions)
    conflicts = queries.find_conflicts(specs, days=day_specs, rooms=room_specs)
    placed = [spec for spec in specs if spec.placement is not None]
    unplaced = [(session, UNPLACED_REASONS[explain_unplaced(spec, placed, days=day_specs, rooms=room_specs, after_solve=False)])
                for session, spec in zip(sessions, specs, strict=True) if spec.placement is None]
    days = queries.list_days(consultation)
    chosen = request.args.get("day", type=int)
    day = next((d for d in days if d.id == chosen), days[0] if days else None)
    day_sessions = [s for s in sessions if day is not None and s.day_id == day.id and s.starts_at is not None]
    titles = {session.id: session.title for session in sessions}
    conflicted = {session_id for conflict in conflicts for session_id in conflict.session_ids}
    return render_template("agenda/schedule.html", form=form, conflicts=conflicts, unplaced=unplaced, days=days,
                           day=day, day_sessions=day_sessions, titles=titles, conflicted=conflicted,
                           tz=consultation.timezone, frozen=queries.is_frozen(consultation),
                           button_forms={s.id: VersionOnlyForm(formdata=None, version_id=s.version_id) for s in day_sessions})


@bp.route("/schedule/run", methods=["POST"])
@role_required(Role.CHAIR)
def run_scheduler():
    """Run the automatic scheduler on the unpinned sessions."""
    consultation = consultation_or_404()
    form = form_page(ScheduleForm(), lambda: _render_schedule(consultation, form))
    ensure_valid(form)
    result = services.run_scheduler(consultation, actor=current_user, time_limit=float(form.time_limit.data))
    flash(_("%(placed)d sessions placed, %(unplaced)d unplaced, %(soft)d soft goals missed (%(seconds).1f s).",
            placed=len(result.placements), unplaced=len(result.unplaced), soft=result.soft_goal_misses,
            seconds=result.wall_seconds), "success")
    return redirect(url_for("agenda.schedule"))


@bp.route("/sessions/<int:session_id>/move", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def move_session(session_id: int):
    """Move a session by hand to a day, room and start; the schedule then lists every conflict."""
    consultation = consultation_or_404()
    session = _session_or_404(session_id)
    form = MoveForm()
    days, rooms = queries.list_days(consultation), queries.list_rooms(consultation)
    form.day_id.choices = as_choices((d.id, d.day.strftime("%A %d %B %Y")) for d in days)
    form.room_id.choices = as_choices((r.id, f"{r.name} ({r.capacity})") for r in rooms)
    if request.method == "GET":
        form.version_id.data = session.version_id
        start = queries.local_start(consultation, session)
        if start is not None:
            form.day_id.data, form.room_id.data, form.start.data = session.day_id, session.room_id, start.time()
    form_page(form, lambda: render_template("agenda/move_session.html", session=_session_or_404(session_id), form=form),
              saved=lambda: _session_or_404(session_id))
    if request.method == "GET":
        return render_template("agenda/move_session.html", session=session, form=form)
    ensure_valid(form)
    day = next((d for d in days if d.id == form.day_id.data), None)
    room = next((r for r in rooms if r.id == form.room_id.data), None)
    conflicts = services.move_session(session, actor=current_user, day=day, room=room, start=form.start.data,
                                      expected_version=form.version_id.data)
    if conflicts:
        flash(_("The session is moved and pinned. The agenda now has %(count)d conflicts: see the list.",
                count=len(conflicts)), "error")
    else:
        flash(_("The session is moved and pinned; the agenda has no conflict."), "success")
    return redirect(url_for("agenda.schedule", day=day.id))


# --- publication (chair) ---------------------------------------------------------------------------------

@bp.route("/publish", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def publish():
    """Publish the agenda as a new version, after seeing what changed and any conflict."""
    consultation = consultation_or_404()
    form = form_page(PublishForm(), lambda: _render_publish(consultation, form))
    if request.method == "GET":
        return _render_publish(consultation, form)
    ensure_valid(form)
    version = services.publish_agenda(consultation, actor=current_user, kind=form.kind.data, note=form.note.data or "")
    flash(_("Version %(number)d of the agenda is published.", number=version.number), "success")
    return redirect(url_for("agenda.version", number=version.number))


def _render_publish(consultation, form: PublishForm):
    # A refusal for conflicts (409) lands here: they are the conflicts of the agenda as it is now.
    sessions = queries.list_sessions(consultation)
    conflicts = queries.current_conflicts(consultation, sessions)
    latest = queries.latest_version(consultation)
    snapshot = services.build_snapshot(consultation, sessions)
    changes = diff_versions(read_snapshot(latest.snapshot) if latest else [], snapshot)
    titles = {session.id: session.title for session in sessions}
    unscheduled = sum(1 for session in sessions if session.starts_at is None)
    return render_template("agenda/publish.html", form=form, conflicts=conflicts, latest=latest, changes=changes,
                           titles=titles, unscheduled=unscheduled, frozen=queries.is_frozen(consultation))


@bp.app_context_processor
def agenda_navigation():
    """`agenda_published()` for the navigation: whether a version is published (asked once per request)."""

    def agenda_published() -> bool:
        if "agenda_published" not in g:
            consultation = current_consultation()
            g.agenda_published = consultation is not None and queries.latest_version(consultation, with_snapshot=False) is not None
        return g.agenda_published

    return {"agenda_published": agenda_published}
