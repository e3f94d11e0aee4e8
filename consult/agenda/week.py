"""Writes of the Forum week: days and their hours, rooms, plenary slots and the High-Level Track's room."""
from datetime import date, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.agenda import queries
from consult.agenda.display import clock_text
from consult.agenda.models import AgendaSession, ForumDay, PlenarySlot, Room
from consult.agenda.services import ensure_chair_week
from consult.audit.services import record_audit
from consult.consultations.models import Consultation
from consult.errors import DomainError
from consult.extensions import db


def generate_days(consultation: Consultation, *, actor, starts_at: time = time(9, 0), ends_at: time = time(18, 0),
                  granularity_minutes: int = 15) -> list[ForumDay]:
    """One day for each date of the Forum that has none yet, with default hours."""
    ensure_chair_week(consultation, actor)
    existing = {day.day for day in queries.list_days(consultation)}
    created = []
    current: date = consultation.forum_start
    while current <= consultation.forum_end:
        if current not in existing:
            day = ForumDay(consultation_id=consultation.id, day=current, starts_at=starts_at, ends_at=ends_at,
                           granularity_minutes=granularity_minutes)
            db.session.add(day)
            created.append(day)
        current += timedelta(days=1)
    db.session.flush()
    record_audit("agenda.generate_days", consultation, actor=actor, summary=str(len(created)),
                 details={"days": [day.day.isoformat() for day in created]})
    return created


def _check_hours(starts_at: time, ends_at: time, granularity_minutes: int) -> None:
    if ends_at <= starts_at:
        raise DomainError(_("A day must end after it starts."), field="ends_at")
    if granularity_minutes not in (5, 10, 15, 20, 30, 60):
        raise DomainError(_("Choose a granularity of 5, 10, 15, 20, 30 or 60 minutes."), field="granularity_minutes")


def update_day(day: ForumDay, *, actor, starts_at: time, ends_at: time, granularity_minutes: int) -> ForumDay:
    """Change a day's hours and start-time granularity."""
    consultation = db.session.get(Consultation, day.consultation_id)
    ensure_chair_week(consultation, actor)
    _check_hours(starts_at, ends_at, granularity_minutes)
    before = f"{day.starts_at:%H:%M}-{day.ends_at:%H:%M}/{day.granularity_minutes}"
    day.starts_at, day.ends_at, day.granularity_minutes = starts_at, ends_at, granularity_minutes
    db.session.flush()
    record_audit("agenda.update_day", day, actor=actor, consultation_id=consultation.id, summary=day.day.isoformat(),
                 details={"before": before, "after": f"{starts_at:%H:%M}-{ends_at:%H:%M}/{granularity_minutes}"})
    return day


def create_room(consultation: Consultation, *, actor, name: str, capacity: int, has_interpretation: bool = False,
                is_high_level_track: bool = False) -> Room:
    """A room of the venue."""
    ensure_chair_week(consultation, actor)
    name = " ".join((name or "").split())
    _check_room(consultation, name, capacity, None)
    # Rooms are numbered from 1, as people count them.
    position = max((room.position for room in queries.list_rooms(consultation)), default=0) + 1
    room = Room(consultation_id=consultation.id, name=name, capacity=capacity, has_interpretation=has_interpretation,
                is_high_level_track=bool(is_high_level_track), position=position)
    db.session.add(room)
    db.session.flush()
    record_audit("agenda.create_room", room, actor=actor, summary=name)
    return room


def update_room(room: Room, *, actor, name: str, capacity: int, has_interpretation: bool,
                is_high_level_track: bool | None = None) -> Room:
    """Rename a room or change its capacity and interpretation."""
    consultation = db.session.get(Consultation, room.consultation_id)
    ensure_chair_week(consultation, actor)
    name = " ".join((name or "").split())
    _check_room(consultation, name, capacity, room.id)
    room.name, room.capacity, room.has_interpretation = name, capacity, has_interpretation
    if is_high_level_track is not None:
        room.is_high_level_track = bool(is_high_level_track)
    db.session.flush()
    record_audit("agenda.update_room", room, actor=actor, summary=name,
                 details={"capacity": capacity, "has_interpretation": has_interpretation,
                          "is_high_level_track": room.is_high_level_track})
    return room


def _check_room(consultation: Consultation, name: str, capacity: int, room_id: int | None) -> None:
    if not name:
        raise DomainError(_("A room needs a name."), field="name")
    if capacity is None or capacity < 1:
        raise DomainError(_("The capacity is at least one seat."), field="capacity")
    if any(room.name.casefold() == name.casefold() and room.id != room_id for room in queries.list_rooms(consultation)):
        raise DomainError(_("A room with this name exists already."), field="name")


def delete_room(room: Room, *, actor) -> None:
    """Remove a room; its sessions become unscheduled."""
    consultation = db.session.get(Consultation, room.consultation_id)
    ensure_chair_week(consultation, actor)
    db.session.execute(sa.update(AgendaSession).where(AgendaSession.room_id == room.id)
                       .values(room_id=None, day_id=None, starts_at=None, is_pinned=False,
                               version_id=AgendaSession.version_id + 1))
    record_audit("agenda.delete_room", room, actor=actor, summary=room.name)
    db.session.delete(room)
    db.session.flush()


def create_plenary_slot(consultation: Consultation, *, actor, day: ForumDay, starts_at: time, ends_at: time,
                        title: str = "") -> PlenarySlot:
    """Keep a time of a day for plenary sessions: nothing else is scheduled then, in any room."""
    ensure_chair_week(consultation, actor)
    if day.consultation_id != consultation.id:
        raise DomainError(_("Choose a day of this Forum."), field="day_id")
    if ends_at <= starts_at:
        raise DomainError(_("A slot must end after it starts."), field="ends_at")
    if starts_at < day.starts_at or ends_at > day.ends_at:
        raise DomainError(_("The slot must lie within the day's hours (%(start)s-%(end)s).",
                            start=clock_text(day.starts_at), end=clock_text(day.ends_at)), field="starts_at")
    overlapping = [slot for slot in queries.list_plenary_slots(consultation)
                   if slot.day_id == day.id and slot.starts_at < ends_at and starts_at < slot.ends_at]
    if overlapping:
        raise DomainError(_("This time overlaps the plenary slot %(start)s-%(end)s.",
                            start=clock_text(overlapping[0].starts_at), end=clock_text(overlapping[0].ends_at)),
                          field="starts_at")
    slot = PlenarySlot(consultation_id=consultation.id, day_id=day.id, starts_at=starts_at, ends_at=ends_at,
                       title=" ".join((title or "").split())[:200])
    db.session.add(slot)
    db.session.flush()
    record_audit("agenda.create_plenary_slot", slot, actor=actor, consultation_id=consultation.id,
                 summary=f"{day.day.isoformat()} {starts_at:%H:%M}-{ends_at:%H:%M} {slot.title}".strip())
    return slot


def delete_plenary_slot(slot: PlenarySlot, *, actor) -> None:
    """Give a plenary slot back to the parallel sessions."""
    consultation = db.session.get(Consultation, slot.consultation_id)
    ensure_chair_week(consultation, actor)
    record_audit("agenda.delete_plenary_slot", slot, actor=actor, consultation_id=consultation.id,
                 summary=f"{slot.starts_at:%H:%M}-{slot.ends_at:%H:%M} {slot.title}".strip())
    db.session.delete(slot)
    db.session.flush()
