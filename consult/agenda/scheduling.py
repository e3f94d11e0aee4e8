"""The automatic scheduler (OR-Tools CP-SAT) and the conflict checker, on plain data.

Everything here works on small frozen dataclasses, not on models, so that it is tested without a
database and the same checker serves the solver's tests, the manual-move page and publication.

Time model: a day's local clock in minutes since midnight; the solver puts the days one after the
other on one line (day index x 1440 + minute) so that sessions of different days never overlap.
"""
import os
import time as clock
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

MINUTES_PER_DAY = 24 * 60
# Objective weights: leaving a session out costs far more than any soft goal can save.
UNPLACED_PENALTY = 100_000
OVERLAP_PENALTY = 10
NO_INTERPRETATION_PENALTY = 20


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
    """A room: capacity and whether it has interpretation booths."""

    id: int
    capacity: int
    has_interpretation: bool = False
    name: str = ""


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


@dataclass(frozen=True)
class Conflict:
    """A hard conflict of a placement: kind, the sessions involved and what it is about."""

    kind: str
    session_ids: tuple[int, ...]
    detail: str = ""

    @property
    def label(self):
        return CONFLICT_LABELS[self.kind]


CONFLICT_LABELS = {
    "room_double_booked": _l("Room double-booked"),
    "person_clash": _l("Person in two sessions at once"),
    "capacity": _l("Room too small for the expected audience"),
    "outside_hours": _l("Outside the day's hours"),
    "unknown_place": _l("Day or room no longer exists"),
}

UNPLACED_REASONS = {
    "no_days": _l("No Forum days are defined."),
    "no_rooms": _l("No rooms are defined."),
    "no_room_large_enough": _l("No room is large enough for the expected audience."),
    "longer_than_any_day": _l("The session is longer than any day's opening hours."),
    "no_room_large_and_long": _l("No day and room fit both its length and its audience."),
    "pinned_invalid": _l(
        "Its pinned placement is not valid (outside the hours, room too small, or a clash with another pinned session)."
    ),
    "person_clash_pinned": _l("Every free slot clashes with a pinned session of one of its people."),
    "person_clash": _l("Every free slot clashes with another session of one of its people."),
    "week_full": _l("No room is free long enough at a fitting time."),
    "time_limit": _l("The solver ran out of time before placing it; run the scheduler again with more time."),
    "free_slot": _l("Not scheduled yet, though a free slot exists: run the scheduler or place it by hand."),
}


@dataclass
class ScheduleResult:
    """What a scheduler run decided."""

    placements: dict[int, Placement] = field(default_factory=dict)
    unplaced: dict[int, str] = field(default_factory=dict)
    parallel_same_action_line: int = 0
    high_level_without_interpretation: int = 0
    status: str = ""
    wall_seconds: float = 0.0

    @property
    def soft_goal_misses(self) -> int:
        """Soft goals missed: same-action-line pairs in parallel plus high-level sessions without interpretation."""
        return self.parallel_same_action_line + self.high_level_without_interpretation


def _end(placement: Placement, duration: int) -> int:
    return placement.start_minute + duration


def _overlap(a: SessionSpec, b: SessionSpec) -> bool:
    pa, pb = a.placement, b.placement
    return (pa.day_id == pb.day_id and pa.start_minute < _end(pb, b.duration)
            and pb.start_minute < _end(pa, a.duration))


def find_conflicts(sessions: list[SessionSpec], *, days: list[DaySpec], rooms: list[RoomSpec]) -> list[Conflict]:
    """Every hard conflict of the placed sessions: double-booked rooms, person clashes, capacity, hours."""
    days_by_id = {day.id: day for day in days}
    rooms_by_id = {room.id: room for room in rooms}
    placed = sorted(
        (s for s in sessions if s.placement is not None), key=lambda s: (s.placement.day_id, s.placement.start_minute, s.id)
    )
    conflicts: list[Conflict] = []
    for session in placed:
        day, room = days_by_id.get(session.placement.day_id), rooms_by_id.get(session.placement.room_id)
        if day is None or room is None:
            conflicts.append(Conflict("unknown_place", (session.id,)))
            continue
        if session.placement.start_minute < day.starts_minute or _end(session.placement, session.duration) > day.ends_minute:
            conflicts.append(Conflict("outside_hours", (session.id,)))
        if session.audience > room.capacity:
            conflicts.append(Conflict("capacity", (session.id,), f"{session.audience} > {room.capacity}"))
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
                pair = (first.id, second.id)
                if first.placement.room_id == second.placement.room_id:
                    conflicts.append(Conflict("room_double_booked", pair))
                shared = sorted(first.person_keys & second.person_keys)
                if shared:
                    conflicts.append(Conflict("person_clash", pair, ", ".join(shared)))
    return conflicts


def count_soft_misses(sessions: list[SessionSpec], rooms: list[RoomSpec]) -> tuple[int, int]:
    """(pairs of same-action-line sessions in parallel, high-level sessions in rooms without interpretation)."""
    rooms_by_id = {room.id: room for room in rooms}
    placed = [s for s in sessions if s.placement is not None]
    pairs = sum(1 for i, a in enumerate(placed) for b in placed[i + 1:] if a.action_lines & b.action_lines and _overlap(a, b))
    high_level = sum(1 for s in placed if s.is_high_level and s.placement.room_id in rooms_by_id
                     and not rooms_by_id[s.placement.room_id].has_interpretation)
    return pairs, high_level


def _starts(day: DaySpec, duration: int) -> range:
    step = max(day.granularity, 1)
    return range(day.starts_minute, day.ends_minute - duration + 1, step)


def _precheck(session: SessionSpec, days: list[DaySpec], rooms: list[RoomSpec]) -> str | None:
    """Why a session cannot be placed whatever the others do, or None."""
    if not days:
        return "no_days"
    if not rooms:
        return "no_rooms"
    large_rooms = [room for room in rooms if room.capacity >= session.audience]
    long_days = [day for day in days if _starts(day, session.duration)]
    if not large_rooms:
        return "no_room_large_enough"
    if not long_days:
        return "longer_than_any_day"
    return None


def _valid_pin(session: SessionSpec, days: list[DaySpec], rooms: list[RoomSpec], accepted: list[SessionSpec]) -> bool:
    return not find_conflicts(accepted + [session], days=days, rooms=rooms)


def explain_unplaced(session: SessionSpec, placed: list[SessionSpec], *, days: list[DaySpec], rooms: list[RoomSpec],
                     after_solve: bool = True) -> str:
    """The reason code why session has no place next to the placed sessions.

    When a slot is free after all, that is 'time_limit' right after a solver run and 'free_slot' otherwise.
    """
    reason = _precheck(session, days, rooms)
    if reason:
        return reason
    by_day: dict[int, list[SessionSpec]] = defaultdict(list)
    for other in placed:
        if other.placement is not None and other.id != session.id:
            by_day[other.placement.day_id].append(other)
    any_slot = False
    room_free_somewhere = False
    clash_with_unpinned = False
    for day in days:
        for start in _starts(day, session.duration):
            end = start + session.duration
            parallel = [o for o in by_day[day.id] if o.placement.start_minute < end and start < _end(o.placement, o.duration)]
            busy_rooms = {o.placement.room_id for o in parallel}
            clashing = [o for o in parallel if o.person_keys & session.person_keys]
            for room in rooms:
                if room.capacity < session.audience:
                    continue
                any_slot = True
                if room.id in busy_rooms:
                    continue
                room_free_somewhere = True
                if not clashing:
                    return "time_limit" if after_solve else "free_slot"
                if any(not o.pinned for o in clashing):
                    clash_with_unpinned = True
    if not any_slot:
        return "no_room_large_and_long"
    if not room_free_somewhere:
        return "week_full"
    return "person_clash" if clash_with_unpinned else "person_clash_pinned"


def _greedy(
    sessions: list[SessionSpec], fixed: list[SessionSpec], days: list[DaySpec], rooms: list[RoomSpec]
) -> dict[int, Placement]:
    """A quick first placement (most constrained first, earliest free slot) used as the solver's hint."""
    placed = list(fixed)
    result: dict[int, Placement] = {}
    order = sorted(sessions, key=lambda s: (-s.audience, -s.duration, -len(s.person_keys), s.id))
    rooms_sorted = sorted(rooms, key=lambda r: (r.capacity, r.id))
    by_day: dict[int, list[SessionSpec]] = defaultdict(list)
    for other in placed:
        by_day[other.placement.day_id].append(other)
    day_load = defaultdict(int)
    for session in order:
        candidate_rooms = [r for r in rooms_sorted if r.capacity >= session.audience]
        if session.is_high_level:
            candidate_rooms.sort(key=lambda r: (not r.has_interpretation, r.capacity))
        best = None
        for day in sorted(days, key=lambda d: (day_load[d.id], d.index)):
            for start in _starts(day, session.duration):
                end = start + session.duration
                parallel = [o for o in by_day[day.id] if o.placement.start_minute < end and start < _end(o.placement, o.duration)]
                if any(o.person_keys & session.person_keys for o in parallel):
                    continue
                busy = {o.placement.room_id for o in parallel}
                room = next((r for r in candidate_rooms if r.id not in busy), None)
                if room is None:
                    continue
                overlaps = sum(1 for o in parallel if o.action_lines & session.action_lines)
                score = (overlaps, session.is_high_level and not room.has_interpretation)
                if best is None or score < best[0]:
                    best = (score, Placement(day.id, room.id, start))
                if score == (0, False):
                    break
            if best is not None and best[0] == (0, False):
                break
        if best is not None:
            placement = best[1]
            result[session.id] = placement
            spec = SessionSpec(
                session.id,
                session.duration,
                session.audience,
                session.is_high_level,
                session.person_keys,
                session.action_lines,
                False,
                placement,
            )
            by_day[placement.day_id].append(spec)
            day_load[placement.day_id] += session.duration
    return result


def schedule_sessions(sessions: list[SessionSpec], *, days: list[DaySpec], rooms: list[RoomSpec],
                      time_limit: float = 20.0, workers: int = 2, seed: int = 0) -> ScheduleResult:
    """Place every session at a day, room and start with CP-SAT: hard constraints kept, soft goals minimised.

    A greedy placement (valid by construction) is the solver's starting point and the fallback when the
    solver finds nothing better within time_limit seconds, which bounds the whole call.
    """
    from ortools.sat.python import cp_model

    started = clock.perf_counter()
    result = ScheduleResult()
    days = sorted(days, key=lambda d: d.index)
    day_offset = {day.id: day.index * MINUTES_PER_DAY for day in days}
    day_of_offset = {day.index: day for day in days}

    fixed: list[SessionSpec] = []
    free: list[SessionSpec] = []
    for session in sorted(sessions, key=lambda s: s.id):
        if session.pinned and session.placement is not None:
            if _valid_pin(session, days, rooms, fixed):
                fixed.append(session)
                result.placements[session.id] = session.placement
            else:
                result.unplaced[session.id] = "pinned_invalid"
            continue
        reason = _precheck(session, days, rooms)
        if reason:
            result.unplaced[session.id] = reason
        else:
            free.append(session)

    hint = _greedy(free, fixed, days, rooms)
    model = cp_model.CpModel()
    placed_var, start_var, room_vars, main_interval = {}, {}, {}, {}
    room_intervals: dict[int, list] = defaultdict(list)
    for session in fixed:
        start = day_offset[session.placement.day_id] + session.placement.start_minute
        interval = model.new_fixed_size_interval_var(start, session.duration, f"pin{session.id}")
        main_interval[session.id] = interval
        room_intervals[session.placement.room_id].append(interval)
    for session in free:
        values = [day_offset[day.id] + start for day in days for start in _starts(day, session.duration)]
        start = model.new_int_var_from_domain(cp_model.Domain.from_values(values), f"start{session.id}")
        placed = model.new_bool_var(f"placed{session.id}")
        start_var[session.id], placed_var[session.id] = start, placed
        main_interval[session.id] = model.new_optional_fixed_size_interval_var(start, session.duration, placed, f"iv{session.id}")
        choices = {}
        for room in rooms:
            if room.capacity < session.audience:
                continue
            in_room = model.new_bool_var(f"x{session.id}_{room.id}")
            choices[room.id] = in_room
            room_intervals[room.id].append(
                model.new_optional_fixed_size_interval_var(start, session.duration, in_room, f"iv{session.id}_{room.id}"))
        room_vars[session.id] = choices
        model.add(sum(choices.values()) == placed)
        if session.id not in hint:
            model.add_hint(placed, 0)
            for var in choices.values():
                model.add_hint(var, False)
        else:
            chosen = hint[session.id]
            model.add_hint(placed, 1)
            model.add_hint(start, day_offset[chosen.day_id] + chosen.start_minute)
            for room_id, var in choices.items():
                model.add_hint(var, room_id == chosen.room_id)
    for intervals in room_intervals.values():
        model.add_no_overlap(intervals)

    everyone = fixed + free
    sessions_of_person: dict[str, list[int]] = defaultdict(list)
    for session in everyone:
        for key in session.person_keys:
            sessions_of_person[key].append(session.id)
    for ids in sessions_of_person.values():
        if len(ids) > 1 and any(i in placed_var for i in ids):
            model.add_no_overlap([main_interval[i] for i in ids])

    objective = [UNPLACED_PENALTY * (1 - placed_var[s.id]) for s in free]
    rooms_by_id = {room.id: room for room in rooms}
    for session in free:
        if session.is_high_level:
            objective += [NO_INTERPRETATION_PENALTY * var for room_id, var in room_vars[session.id].items()
                          if not rooms_by_id[room_id].has_interpretation]
    hinted_start = {s.id: day_offset[p.day_id] + p.start_minute for s in fixed for p in [s.placement]}
    hinted_start.update({sid: day_offset[p.day_id] + p.start_minute for sid, p in hint.items()})
    overlap_vars = _add_overlap_terms(model, everyone, placed_var, start_var, day_offset, hinted_start)
    objective += [OVERLAP_PENALTY * var for var in overlap_vars]
    model.minimize(sum(objective))

    solver = cp_model.CpSolver()
    # The limit bounds the whole run: building the model and the greedy hint count against it.
    solver.parameters.max_time_in_seconds = max(float(time_limit) - (clock.perf_counter() - started), 0.5)
    solver.parameters.num_search_workers = workers
    solver.parameters.random_seed = seed
    # Probing the thousands of overlap literals takes most of the time limit on 300 sessions and finds little.
    solver.parameters.cp_model_probing_level = 0
    # Presolve spends seconds on the pair booleans before the search starts from the (complete) greedy hint.
    solver.parameters.cp_model_presolve = False
    solver.parameters.log_search_progress = bool(os.environ.get("CONSULT_CPSAT_LOG"))
    status = solver.solve(model)
    result.status = solver.status_name(status)

    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for session in free:
            if solver.value(placed_var[session.id]):
                value = solver.value(start_var[session.id])
                day = day_of_offset[value // MINUTES_PER_DAY]
                room_id = next(room_id for room_id, var in room_vars[session.id].items() if solver.value(var))
                result.placements[session.id] = Placement(day.id, room_id, value % MINUTES_PER_DAY)
    else:
        # No solution in time: the greedy placement is valid by construction, so use it.
        result.status += "+GREEDY"
        result.placements.update(hint)

    placed_specs = [_with_placement(s, result.placements.get(s.id)) for s in everyone]
    placed_only = [s for s in placed_specs if s.placement is not None]
    for session in free:
        if session.id not in result.placements:
            result.unplaced[session.id] = explain_unplaced(session, placed_only, days=days, rooms=rooms)
    result.parallel_same_action_line, result.high_level_without_interpretation = count_soft_misses(placed_only, rooms)
    result.wall_seconds = clock.perf_counter() - started
    return result


def _add_overlap_terms(model, sessions, placed_var, start_var, day_offset, hinted_start) -> list:
    """One boolean per pair of sessions sharing an action line, forced to 1 when both run at the same time.

    The booleans are hinted from the greedy placement too, so that the solver starts from a complete solution.
    """
    def start_of(session):
        if session.id in start_var:
            return start_var[session.id]
        return day_offset[session.placement.day_id] + session.placement.start_minute

    def placed_of(session):
        return placed_var.get(session.id)

    by_line: dict[str, list] = defaultdict(list)
    for session in sessions:
        for line in session.action_lines:
            by_line[line].append(session)
    pairs = set()
    for members in by_line.values():
        for index, first in enumerate(members):
            for second in members[index + 1:]:
                if first.id in start_var or second.id in start_var:
                    pairs.add((min(first.id, second.id), max(first.id, second.id)))
    by_id = {session.id: session for session in sessions}
    overlap_vars = []
    for first_id, second_id in sorted(pairs):
        first, second = by_id[first_id], by_id[second_id]
        overlap = model.new_bool_var(f"ov{first_id}_{second_id}")
        first_before = model.new_bool_var(f"b{first_id}_{second_id}")
        second_before = model.new_bool_var(f"b{second_id}_{first_id}")
        model.add(start_of(second) >= start_of(first) + first.duration).only_enforce_if(first_before)
        model.add(start_of(first) >= start_of(second) + second.duration).only_enforce_if(second_before)
        if first.id in hinted_start and second.id in hinted_start:
            a, b = hinted_start[first.id], hinted_start[second.id]
            before, after = a + first.duration <= b, b + second.duration <= a
            model.add_hint(first_before, before)
            model.add_hint(second_before, after)
            model.add_hint(overlap, not (before or after))
        else:
            for var in (first_before, second_before, overlap):
                model.add_hint(var, False)
        clause = [overlap, first_before, second_before]
        clause += [placed.Not() for placed in (placed_of(first), placed_of(second)) if placed is not None]
        model.add_bool_or(clause)
        overlap_vars.append(overlap)
    return overlap_vars


def _with_placement(session: SessionSpec, placement: Placement | None) -> SessionSpec:
    return SessionSpec(session.id, session.duration, session.audience, session.is_high_level, session.person_keys,
                       session.action_lines, session.pinned, placement, session.title)
