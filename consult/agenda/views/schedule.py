"""Routes of scheduling and publication (chair): the grid, the scheduler, moves, publishing."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.agenda import jobs as scheduling_jobs
from consult.agenda import planning, queries, services
from consult.agenda.display import long_day
from consult.agenda.merge_consents import published_warnings
from consult.agenda.versions import diff_versions, read_snapshot
from consult.agenda.views import _session_or_404, bp
from consult.agenda.views.committee import _render_edit
from consult.boundary import ensure_valid, form_page
from consult.consultations.queries import consultation_or_404
from consult.forms import as_choices
from consult.forms.agenda import MoveForm, PublishForm, ScheduleForm, VersionOnlyForm
from consult.i18n import joined
from consult.jobs.models import WorkKind
from consult.jobs.pages import add_work_routes, work_page_context

# --- scheduling (chair) ----------------------------------------------------------------------------------

add_work_routes(bp, kind=WorkKind.AGENDA_SCHEDULE, guard=role_required(Role.CHAIR),
                consultation_id=lambda: consultation_or_404().id, job_function=scheduling_jobs.SCHEDULE_JOB,
                page_endpoint="agenda.schedule", url_prefix="/schedule/jobs")


@bp.route("/schedule")
@role_required(Role.CHAIR)
def schedule():
    """The schedule of one day, every conflict of the agenda, the unplaced sessions and the scheduler."""
    consultation = consultation_or_404()
    return _render_schedule(consultation, ScheduleForm(formdata=None))


def _render_schedule(consultation, form):
    page = planning.schedule_page(consultation, request.args.get("day", type=int))
    work = work_page_context(WorkKind.AGENDA_SCHEDULE, consultation.id, "agenda")
    run = work["work_job"]
    moved_titles = queries.session_titles(consultation, run.outcome["moved"]) if run and run.outcome else {}
    return render_template("agenda/schedule.html", form=form, page=page, tz=consultation.timezone,
                           frozen=queries.is_frozen(consultation), moved_titles=moved_titles,
                           session_url=lambda sid: url_for("agenda.edit_session", session_id=sid), **work)


@bp.route("/schedule/run", methods=["POST"])
@role_required(Role.CHAIR)
def run_scheduler():
    """Run the automatic scheduler on the unpinned sessions."""
    consultation = consultation_or_404()
    form = form_page(ScheduleForm(), lambda: _render_schedule(consultation, form))
    ensure_valid(form)
    if scheduling_jobs.runs_as_job(consultation):
        scheduling_jobs.request_scheduling(consultation, actor=current_user, time_limit=float(form.time_limit.data),
                                           keep=form.keep.data)
        flash(_("The scheduler runs in the background; this page shows its progress."), "info")
        return redirect(url_for("agenda.schedule"))
    result = services.run_scheduler(consultation, actor=current_user, time_limit=float(form.time_limit.data),
                                    keep=form.keep.data)
    flash(_("%(placed)s, %(unplaced)d unplaced, %(moved)d moved, %(soft)s (%(seconds).1f s).",
            placed=ngettext("%(num)d session placed", "%(num)d sessions placed", len(result.placements)),
            unplaced=len(result.unplaced), moved=len(result.moved),
            soft=ngettext("%(num)d soft goal missed", "%(num)d soft goals missed", result.soft_goal_misses),
            seconds=result.wall_seconds), "success")
    if result.moved:
        titles = queries.session_titles(consultation, result.moved)
        flash(_("Moved from where they were, to make room: %(titles)s.",
                titles=joined([f"“{titles[sid]}”" for sid in result.moved if sid in titles])), "info")
    return redirect(url_for("agenda.schedule"))


@bp.route("/sessions/<int:session_id>/move", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def move_session(session_id: int):
    """Move a session by hand to a day, room and start; the schedule then lists every conflict."""
    consultation = consultation_or_404()
    session = _session_or_404(session_id)
    form = MoveForm()
    days, rooms = queries.list_days(consultation), queries.list_rooms(consultation)
    form.day_id.choices = as_choices((d.id, long_day(d.day)) for d in days)
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
        flash(ngettext("The session is moved and pinned. The agenda now has %(num)d conflict: see the list.",
                         "The session is moved and pinned. The agenda now has %(num)d conflicts: see the list.",
                         len(conflicts)), "error")
    else:
        flash(_("The session is moved and pinned; the agenda has no conflict."), "success")
    return redirect(url_for("agenda.schedule", day=day.id) + f"#block-{session.id}")


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
    version = services.publish_agenda(consultation, actor=current_user, kind=form.kind.data, note=form.note.data or "",
                                      publish_anyway=form.publish_anyway.data)
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
                           titles=titles, unscheduled=unscheduled, frozen=queries.is_frozen(consultation),
                           consent_warnings=published_warnings(sessions, snapshot))


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
    if back_to_schedule:
        return redirect(url_for("agenda.schedule"))
    return redirect(url_for("agenda.edit_session", session_id=session_id))
