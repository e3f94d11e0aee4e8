"""Reads of the chair's schedule page: the day's grid with every conflict on its block, soft goals, unplaced sessions."""
from dataclasses import dataclass, field

from consult.agenda import queries
from consult.agenda.conflicts import SOFT_GOALS, Conflict, SoftMiss, explain_soft_misses
from consult.agenda.display import short_day
from consult.agenda.grid import GridDay, grid_days
from consult.agenda.merge_consents import SessionConsents, consent_warnings
from consult.agenda.messages import describe, messages_by_session, people_names
from consult.agenda.models import AgendaSession, ForumDay
from consult.agenda.scheduling import UNPLACED_REASONS, explain_unplaced
from consult.consultations.models import Consultation


@dataclass
class SchedulePage:
    """What the schedule page shows."""

    days: list[ForumDay]
    day: ForumDay | None
    grid: GridDay | None
    conflicts: list[tuple[Conflict, str]]
    misses: list[tuple[SoftMiss, str]]
    unplaced: list[tuple[AgendaSession, str]]
    chair: dict = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)
    soft_goals: list[tuple[str, int]] = field(default_factory=list)
    consents: dict[int, SessionConsents] = field(default_factory=dict)


def schedule_page(consultation: Consultation, day_id: int | None) -> SchedulePage:
    """The chosen day's grid (the first day by default), the week's conflicts and misses, sentences naming sessions."""
    sessions = queries.list_sessions(consultation)
    inputs = queries.schedule_inputs(consultation, sessions)
    conflicts = inputs.conflicts()
    titles = {session.id: session.title for session in sessions}
    names = people_names(sessions)
    placed = [spec for spec in inputs.sessions if spec.placement is not None]
    misses = explain_soft_misses(placed, inputs.rooms)
    unplaced = [(session, str(UNPLACED_REASONS[explain_unplaced(spec, placed, days=inputs.days, rooms=inputs.rooms,
                                                                 plenaries=inputs.plenaries, after_solve=False)]))
                for session, spec in zip(sessions, inputs.sessions, strict=True) if spec.placement is None]
    days = queries.list_days(consultation)
    day = next((d for d in days if d.id == day_id), days[0] if days else None)
    rooms = queries.list_rooms(consultation)
    grid = None
    chair = {}
    if day is not None:
        iso = day.day.isoformat()
        entries = [item for item in queries.build_snapshot(consultation, sessions) if item["day"] == iso]
        slots = [(queries.minute_of(s.starts_at), queries.minute_of(s.ends_at), s.title)
                 for s in queries.list_plenary_slots(consultation) if s.day_id == day.id]
        grid = grid_days(entries, rooms=[room.name for room in rooms],
                         hours={iso: (queries.minute_of(day.starts_at), queries.minute_of(day.ends_at))},
                         conflicts=messages_by_session(conflicts, titles, names), slots={iso: slots})[0]
        by_id = {session.id: session for session in sessions}
        chair = {
            "days": [(d.id, short_day(d.day)) for d in days],
            "rooms": [(room.id, f"{room.name} ({room.capacity})") for room in rooms],
            "room_ids": {room.name: room.id for room in rooms},
            "versions": {item["id"]: by_id[item["id"]].version_id for item in entries},
            "day_of": {item["id"]: by_id[item["id"]].day_id for item in entries},
            "room_of": {item["id"]: by_id[item["id"]].room_id for item in entries},
            "step": day.granularity_minutes,
        }
    return SchedulePage(
        days=days, day=day, grid=grid,
        conflicts=[(c, describe(c, titles, names)) for c in conflicts],
        misses=[(m, describe(m, titles, names)) for m in misses],
        unplaced=unplaced, chair=chair, titles=titles,
        soft_goals=[(str(label), weight) for label, weight in SOFT_GOALS.values()],
        consents=consent_warnings(sessions),
    )
