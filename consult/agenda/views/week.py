"""Routes of the Forum week (chair): days, rooms, plenary slots."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.agenda import queries
from consult.agenda import week as week_services
from consult.agenda.display import long_day
from consult.agenda.models import ForumDay, PlenarySlot, Room
from consult.agenda.views import bp
from consult.boundary import ensure_valid, form_page
from consult.consultations.queries import consultation_or_404
from consult.extensions import db
from consult.forms import as_choices
from consult.forms.agenda import DayForm, PlenarySlotForm, RoomForm

# --- the week (chair) ------------------------------------------------------------------------------------

@bp.route("/week")
@role_required(Role.CHAIR)
def week():
    """The Forum's days and rooms."""
    return _render_week(consultation_or_404())


def _render_week(consultation, *, day_form=None, day_id=None, room_form=None, slot_form=None):
    days = queries.list_days(consultation)
    day_forms = {day.id: DayForm(formdata=None, obj=day, prefix=f"day{day.id}") for day in days}
    if day_form is not None:
        day_forms[day_id] = day_form
    slot_form = slot_form or PlenarySlotForm(formdata=None, prefix="slot")
    _slot_choices(slot_form, days)
    return render_template("agenda/week.html", days=days, day_forms=day_forms, rooms=queries.list_rooms(consultation),
                           room_form=room_form or RoomForm(formdata=None), slot_form=slot_form,
                           slots=queries.list_plenary_slots(consultation),
                           outside_warnings=queries.days_outside_forum_week(consultation))


def _slot_choices(form: PlenarySlotForm, days) -> None:
    form.day_id.choices = as_choices((day.id, long_day(day.day)) for day in days)


@bp.route("/week/generate", methods=["POST"])
@role_required(Role.CHAIR)
def generate_days():
    """Create the days of the Forum dates with default hours."""
    created = week_services.generate_days(consultation_or_404(), actor=current_user)
    flash(ngettext("%(num)d day added.", "%(num)d days added.", len(created)), "success")
    return redirect(url_for("agenda.week"))


@bp.route("/days/<int:day_id>", methods=["POST"])
@role_required(Role.CHAIR)
def update_day(day_id: int):
    """Change one day's hours and granularity."""
    day = db.get_or_404(ForumDay, day_id)
    form = form_page(DayForm(prefix=f"day{day.id}"), lambda: _render_week(consultation_or_404(), day_form=form, day_id=day.id))
    ensure_valid(form)
    week_services.update_day(day, actor=current_user, starts_at=form.starts_at.data, ends_at=form.ends_at.data,
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
    week_services.create_room(consultation, actor=current_user, name=form.name.data, capacity=form.capacity.data,
                         has_interpretation=form.has_interpretation.data,
                         is_high_level_track=form.is_high_level_track.data)
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
    week_services.update_room(room, actor=current_user, name=form.name.data, capacity=form.capacity.data,
                              has_interpretation=form.has_interpretation.data,
                              is_high_level_track=form.is_high_level_track.data)
    flash(_("The room is saved."), "success")
    return redirect(url_for("agenda.week"))


@bp.route("/rooms/<int:room_id>/delete", methods=["POST"])
@role_required(Role.CHAIR)
def delete_room(room_id: int):
    """Remove a room; its sessions become unscheduled."""
    room = db.get_or_404(Room, room_id)
    week_services.delete_room(room, actor=current_user)
    flash(_("The room is removed; its sessions are unscheduled."), "success")
    return redirect(url_for("agenda.week"))


@bp.route("/plenary-slots", methods=["POST"])
@role_required(Role.CHAIR)
def create_plenary_slot():
    """Mark a time of a day as plenary: nothing runs in parallel then."""
    consultation = consultation_or_404()
    days = queries.list_days(consultation)
    form = PlenarySlotForm(prefix="slot")
    _slot_choices(form, days)
    form_page(form, lambda: _render_week(consultation, slot_form=form))
    ensure_valid(form)
    day = next(d for d in days if d.id == form.day_id.data)
    week_services.create_plenary_slot(consultation, actor=current_user, day=day, starts_at=form.starts_at.data,
                                      ends_at=form.ends_at.data, title=form.title.data or "")
    flash(_("The plenary slot is marked."), "success")
    return redirect(url_for("agenda.week") + "#plenaries-heading")


@bp.route("/plenary-slots/<int:slot_id>/delete", methods=["POST"])
@role_required(Role.CHAIR)
def delete_plenary_slot(slot_id: int):
    """Give a plenary slot back to the parallel sessions."""
    slot = db.get_or_404(PlenarySlot, slot_id)
    if slot.consultation_id != consultation_or_404().id:
        abort(404)
    form_page(None, lambda: _render_week(consultation_or_404()))
    week_services.delete_plenary_slot(slot, actor=current_user)
    flash(_("The plenary slot is removed."), "success")
    return redirect(url_for("agenda.week") + "#plenaries-heading")
