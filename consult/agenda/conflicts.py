"""The scheduler's plain data, the frame of the week (fixed blocks), the hard-conflict checker and the soft goals.

Everything here works on small frozen dataclasses, not on models, so that it is tested without a database and
the same checker serves the solver, the grid, the manual-move page and publication.

Time model: a day's local clock in minutes since midnight.
"""
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

MINUTES_PER_DAY = 24 * 60
# Objective weights. Leaving a session out costs far more than anything else; moving a session away from its
# reference place (the current placement or the last published version) costs more than any soft goal saves, so a
# re-run moves only what must move.
UNPLACED_PENALTY = 100_000
MOVE_PENALTY = 1_000
OVERLAP_PENALTY = 10
NO_INTERPRETATION_PENALTY = 20
ROOM_TOO_LARGE_PENALTY = 2
# A room with more than this many times the seats a session expects is wasted on it.
ROOM_TOO_LARGE_FACTOR = 4


@dataclass(frozen=True)
class DaySpec:
    """A Forum day: local opening hours in minutes since midnight, and the start-time granularity."""

    id: int
    index: int
    starts_minute: int
    ends_minute: int
    granularity: int = 15


@dataclass(frozen=True)
class RoomSpec:
    """A room: capacity, interpretation booths, and whether it is the High-Level Track's room."""

    id: int
    capacity: int
    has_interpretation: bool = False
    name: str = ""
    is_high_level_track: bool = False


@dataclass(frozen=True)
class PlenarySpec:
    """A plenary slot marked by the chair: nothing but plenary sessions runs then, in any room."""

    day_id: int
    start_minute: int
    end_minute: int
    title: str = ""


@dataclass(frozen=True)
class Placement:
    """Where a session takes place: day, room and local start in minutes since midnight."""

    day_id: int
    room_id: int
    start_minute: int


@dataclass(frozen=True)
class SessionSpec:
    """What the scheduler needs to know of a session."""

    id: int
    duration: int
    audience: int = 0
    is_high_level: bool = False
    person_keys: frozenset[str] = frozenset()
    action_lines: frozenset[str] = frozenset()
    pinned: bool = False
    placement: Placement | None = None
    title: str = ""
    is_plenary: bool = False
    is_opening: bool = False

    @property
    def is_block(self) -> bool:
        """Whether nothing may run in parallel with it (a plenary session or the Opening segment)."""
        return self.is_plenary or self.is_opening


@dataclass(frozen=True)
class Finding:
    """Something the checker finds in a placement: its kind, the sessions involved and what it is about."""

    kind: str
    session_ids: tuple[int, ...]
    detail: str = ""


@dataclass(frozen=True)
class Conflict(Finding):
    """A hard conflict of a placement."""

    @property
    def label(self):
        return CONFLICT_LABELS[self.kind]


CONFLICT_LABELS = {
    "room_double_booked": _l("Room double-booked"),
    "person_clash": _l("Person in two sessions at once"),
    "capacity": _l("Room too small for the expected audience"),
    "outside_hours": _l("Outside the day's hours"),
    "unknown_place": _l("Day or room no longer exists"),
    "parallel_to_plenary": _l("Runs in parallel with a plenary"),
    "in_plenary_slot": _l("Placed in a plenary slot"),
    "plenary_outside_slot": _l("Plenary session outside every plenary slot"),
    "opening_not_first": _l("The Opening segment does not open the first day"),
    "high_level_room": _l("High-Level Track session outside the High-Level Track's room"),
}


@dataclass(frozen=True)
class SoftMiss(Finding):
    """A soft goal the placement misses."""

    @property
    def label(self):
        return SOFT_GOALS[self.kind][0]

    @property
    def weight(self) -> int:
        return SOFT_GOALS[self.kind][1]


SOFT_GOALS = {
    "moved": (_l("Keep sessions where they were (current placement or last published version)"), MOVE_PENALTY),
    "same_action_line": (_l("Sessions on the same action line do not run in parallel"), OVERLAP_PENALTY),
    "no_interpretation": (_l("High-Level Track sessions get a room with interpretation"), NO_INTERPRETATION_PENALTY),
    "room_too_large": (_l("Rooms fit their sessions (no more than four times the seats expected)"),
                       ROOM_TOO_LARGE_PENALTY),
}


def _end(placement: Placement, duration: int) -> int:
    return placement.start_minute + duration


def overlaps(a: SessionSpec, b: SessionSpec) -> bool:
    """Whether two placed sessions run at the same time on the same day."""
    pa, pb = a.placement, b.placement
    return (pa.day_id == pb.day_id and pa.start_minute < _end(pb, b.duration)
            and pb.start_minute < _end(pa, a.duration))


class Frame:
    """The fixed frame of the week: days, rooms, plenary slots and the Opening segment's window.

    It answers where a session may start and in which rooms, so that the solver's domains, the greedy placement,
    the reasons for an unplaced session and the checker agree.
    """

    def __init__(self, sessions: list[SessionSpec], *, days: list[DaySpec], rooms: list[RoomSpec],
                 plenaries=()):
        self.days = sorted(days, key=lambda d: d.index)
        self.rooms = list(rooms)
        self.days_by_id = {day.id: day for day in self.days}
        self.rooms_by_id = {room.id: room for room in self.rooms}
        self.plenaries_by_day: dict[int, list[PlenarySpec]] = defaultdict(list)
        for slot in plenaries:
            self.plenaries_by_day[slot.day_id].append(slot)
        self.high_level_rooms = [room for room in self.rooms if room.is_high_level_track]
        openings = [s.duration for s in sessions if s.is_opening]
        first = self.days[0] if self.days else None
        # The Opening segment opens the first day: its window is reserved whoever is placed in it.
        self.opening = (first.id, first.starts_minute, first.starts_minute + max(openings)) if openings and first else None

    def rooms_for(self, session: SessionSpec) -> list[RoomSpec]:
        """The rooms large enough for the session; High-Level Track sessions only in its room when one is marked."""
        rooms = self.high_level_rooms if session.is_high_level and self.high_level_rooms else self.rooms
        return [room for room in rooms if room.capacity >= session.audience]

    def starts(self, session: SessionSpec, day: DaySpec) -> list[int]:
        """The local starts the session may take on day, within the hours and around the fixed blocks."""
        step = max(day.granularity, 1)
        hours = range(day.starts_minute, day.ends_minute - session.duration + 1, step)
        if session.is_opening:
            return [day.starts_minute] if self.opening and day.id == self.opening[0] and hours else []
        slots = self.plenaries_by_day.get(day.id, [])
        if session.is_plenary:
            return [start for start in hours
                    if any(slot.start_minute <= start and start + session.duration <= slot.end_minute for slot in slots)]
        blocked = [(slot.start_minute, slot.end_minute) for slot in slots]
        if self.opening and day.id == self.opening[0]:
            blocked.append(self.opening[1:])
        return [start for start in hours if all(start + session.duration <= a or b <= start for a, b in blocked)]


def find_conflicts(sessions: list[SessionSpec], *, days: list[DaySpec], rooms: list[RoomSpec],
                   plenaries=()) -> list[Conflict]:
    """Every hard conflict of the placed sessions: rooms, people, capacity, hours and the fixed blocks."""
    frame = Frame(sessions, days=days, rooms=rooms, plenaries=plenaries)
    placed = sorted((s for s in sessions if s.placement is not None),
                    key=lambda s: (s.placement.day_id, s.placement.start_minute, s.id))
    conflicts: list[Conflict] = []
    for session in placed:
        conflicts += _own_conflicts(session, frame)
    by_day: dict[int, list[SessionSpec]] = defaultdict(list)
    for session in placed:
        by_day[session.placement.day_id].append(session)
    for day_sessions in by_day.values():
        # Sorted by start: only sessions starting before one ends can overlap it.
        for index, first in enumerate(day_sessions):
            first_end = _end(first.placement, first.duration)
            for second in day_sessions[index + 1:]:
                if second.placement.start_minute >= first_end:
                    break
                conflicts += _pair_conflicts(first, second)
    return conflicts


def _own_conflicts(session: SessionSpec, frame: Frame) -> list[Conflict]:
    """The conflicts of one placed session on its own: its place, hours, room and the fixed blocks."""
    placement = session.placement
    day, room = frame.days_by_id.get(placement.day_id), frame.rooms_by_id.get(placement.room_id)
    if day is None or room is None:
        return [Conflict("unknown_place", (session.id,))]
    found = []
    start, end = placement.start_minute, _end(placement, session.duration)
    if start < day.starts_minute or end > day.ends_minute:
        found.append(Conflict("outside_hours", (session.id,)))
    if session.audience > room.capacity:
        found.append(Conflict("capacity", (session.id,), f"{session.audience} > {room.capacity}"))
    slots = frame.plenaries_by_day.get(day.id, [])
    if session.is_opening:
        if (day.id, start) != (frame.days[0].id, frame.days[0].starts_minute):
            found.append(Conflict("opening_not_first", (session.id,)))
    elif session.is_plenary:
        if not any(slot.start_minute <= start and end <= slot.end_minute for slot in slots):
            found.append(Conflict("plenary_outside_slot", (session.id,)))
    else:
        hit = next((slot for slot in slots if start < slot.end_minute and slot.start_minute < end), None)
        if hit is not None:
            found.append(Conflict("in_plenary_slot", (session.id,), hit.title))
    if session.is_high_level and frame.high_level_rooms and room not in frame.high_level_rooms:
        found.append(Conflict("high_level_room", (session.id,), ", ".join(r.name for r in frame.high_level_rooms)))
    return found


def _pair_conflicts(first: SessionSpec, second: SessionSpec) -> list[Conflict]:
    pair = (first.id, second.id)
    found = []
    if first.placement.room_id == second.placement.room_id:
        found.append(Conflict("room_double_booked", pair))
    elif first.is_block or second.is_block:
        found.append(Conflict("parallel_to_plenary", pair))
    shared = sorted(first.person_keys & second.person_keys)
    if shared:
        found.append(Conflict("person_clash", pair, ", ".join(shared)))
    return found


def fits(session: SessionSpec, placement: Placement, frame: Frame, by_day: dict[int, list[SessionSpec]]) -> bool:
    """Whether session can take placement next to the sessions already placed (by day) without a hard conflict."""
    day = frame.days_by_id.get(placement.day_id)
    room = frame.rooms_by_id.get(placement.room_id)
    if day is None or room is None or room not in frame.rooms_for(session):
        return False
    if placement.start_minute not in frame.starts(session, day):
        return False
    end = placement.start_minute + session.duration
    for other in by_day.get(day.id, []):
        if other.placement.start_minute < end and placement.start_minute < _end(other.placement, other.duration):
            if (other.placement.room_id == room.id or other.person_keys & session.person_keys
                    or other.is_block or session.is_block):
                return False
    return True


def explain_soft_misses(sessions: list[SessionSpec], rooms: list[RoomSpec],
                        reference: dict[int, Placement] | None = None) -> list[SoftMiss]:
    """Every soft goal the placed sessions miss, each with the sessions involved and why."""
    rooms_by_id = {room.id: room for room in rooms}
    placed = sorted((s for s in sessions if s.placement is not None), key=lambda s: s.id)
    misses = []
    for session in placed:
        before = (reference or {}).get(session.id)
        if before is not None and before != session.placement:
            misses.append(SoftMiss("moved", (session.id,)))
    for index, first in enumerate(placed):
        for second in placed[index + 1:]:
            shared = first.action_lines & second.action_lines
            if shared and overlaps(first, second):
                misses.append(SoftMiss("same_action_line", (first.id, second.id), ", ".join(sorted(shared))))
    for session in placed:
        room = rooms_by_id.get(session.placement.room_id)
        if room is None:
            continue
        if session.is_high_level and not room.has_interpretation:
            misses.append(SoftMiss("no_interpretation", (session.id,), room.name))
        if room.capacity > ROOM_TOO_LARGE_FACTOR * max(session.audience, 1):
            misses.append(SoftMiss("room_too_large", (session.id,), f"{session.audience} / {room.capacity}"))
    return misses


def count_soft_misses(sessions: list[SessionSpec], rooms: list[RoomSpec]) -> tuple[int, int]:
    """(pairs of same-action-line sessions in parallel, high-level sessions in rooms without interpretation)."""
    misses = explain_soft_misses(sessions, rooms)
    return (sum(1 for m in misses if m.kind == "same_action_line"), sum(1 for m in misses if m.kind == "no_interpretation"))
