"""The automatic scheduler (OR-Tools CP-SAT): places sessions around the fixed blocks, changing as little as it can.

It works on the plain data of `consult.agenda.conflicts`. The solver puts the days one after the other on one line
(day index x 1440 + minute) so that sessions of different days never overlap.

Stability: every unpinned session with a reference place (its current placement, or the last published version's)
that still fits is kept there, and a first, small model places only the others around them. Only when that
leaves a session out does a second model let kept sessions move, each move costing MOVE_PENALTY.
"""
import os
import time as clock
from collections import defaultdict
from dataclasses import dataclass, field, replace

from flask_babel import lazy_gettext as _l

from consult.agenda.conflicts import (  # noqa: F401 (the scheduler's vocabulary, imported from here by callers)
    CONFLICT_LABELS,
    MINUTES_PER_DAY,
    MOVE_PENALTY,
    NO_INTERPRETATION_PENALTY,
    OVERLAP_PENALTY,
    ROOM_TOO_LARGE_FACTOR,
    ROOM_TOO_LARGE_PENALTY,
    SOFT_GOALS,
    UNPLACED_PENALTY,
    Conflict,
    DaySpec,
    Frame,
    Placement,
    PlenarySpec,
    RoomSpec,
    SessionSpec,
    SoftMiss,
    count_soft_misses,
    explain_soft_misses,
    find_conflicts,
    fits,
)

UNPLACED_REASONS = {
    "no_days": _l("No Forum days are defined."),
    "no_rooms": _l("No rooms are defined."),
    "no_room_large_enough": _l("No room is large enough for the expected audience."),
    "longer_than_any_day": _l("The session is longer than any day's opening hours."),
    "no_plenary_slot": _l("It is a plenary session and no plenary slot is long enough: mark one on the week page."),
    "no_room_large_and_long": _l("No day and room fit both its length and its audience."),
    "pinned_invalid": _l(
        "Its pinned placement is not valid (outside the hours, room too small, a fixed block, or a clash with another "
        "pinned session)."),
    "person_clash_pinned": _l("Every free slot clashes with a pinned session of one of its people."),
    "person_clash": _l("Every free slot clashes with another session of one of its people."),
    "week_full": _l("No room is free long enough at a fitting time."),
    "time_limit": _l("The solver ran out of time before placing it; run the scheduler again with more time."),
    "free_slot": _l("Not scheduled yet, though a free slot exists: run the scheduler or place it by hand."),
}
# Reasons that hold whatever the other sessions do: moving kept sessions would not help.
_STANDALONE_REASONS = {"no_days", "no_rooms", "no_room_large_enough", "longer_than_any_day", "no_plenary_slot",
                       "no_room_large_and_long"}


@dataclass
class ScheduleResult:
    """What a scheduler run decided, and how far it moved sessions from their reference places."""

    placements: dict[int, Placement] = field(default_factory=dict)
    unplaced: dict[int, str] = field(default_factory=dict)
    parallel_same_action_line: int = 0
    high_level_without_interpretation: int = 0
    room_too_large: int = 0
    # Sessions that had a reference place and now have another one (or none); displaced: those whose reference
    # place no longer fitted (removed room, new conflict) and so had to move.
    moved: list[int] = field(default_factory=list)
    displaced: list[int] = field(default_factory=list)
    misses: list[SoftMiss] = field(default_factory=list)
    status: str = ""
    wall_seconds: float = 0.0

    @property
    def soft_goal_misses(self) -> int:
        """Soft goals missed: same-action-line pairs in parallel, high-level sessions without interpretation, oversized rooms."""
        return self.parallel_same_action_line + self.high_level_without_interpretation + self.room_too_large


def _end(placement: Placement, duration: int) -> int:
    return placement.start_minute + duration


def _precheck(session: SessionSpec, frame: Frame) -> str | None:
    """Why a session cannot be placed whatever the others do, or None."""
    if not frame.days:
        return "no_days"
    if not frame.rooms:
        return "no_rooms"
    if not frame.rooms_for(session):
        return "no_room_large_enough"
    if not any(frame.starts(session, day) for day in frame.days):
        if session.is_plenary and not session.is_opening and any(
                day.ends_minute - day.starts_minute >= session.duration for day in frame.days):
            return "no_plenary_slot"
        return "longer_than_any_day"
    return None


def _index_by_day(sessions) -> dict[int, list[SessionSpec]]:
    by_day: dict[int, list[SessionSpec]] = defaultdict(list)
    for other in sessions:
        if other.placement is not None:
            by_day[other.placement.day_id].append(other)
    return by_day


def explain_unplaced(session: SessionSpec, placed: list[SessionSpec], *, days: list[DaySpec], rooms: list[RoomSpec],
                     plenaries=(), after_solve: bool = True, frame: Frame | None = None) -> str:
    """The reason code why session has no place next to the placed sessions.

    When a slot is free after all, that is 'time_limit' right after a solver run and 'free_slot' otherwise.
    """
    frame = frame or Frame(placed + [session], days=days, rooms=rooms, plenaries=plenaries)
    reason = _precheck(session, frame)
    if reason:
        return reason
    by_day = _index_by_day(o for o in placed if o.id != session.id)
    room_free_somewhere = False
    clash_with_unpinned = False
    candidate_rooms = frame.rooms_for(session)
    for day in frame.days:
        for start in frame.starts(session, day):
            end = start + session.duration
            parallel = [o for o in by_day[day.id] if o.placement.start_minute < end and start < _end(o.placement, o.duration)]
            if session.is_block and parallel or any(o.is_block for o in parallel):
                continue
            busy_rooms = {o.placement.room_id for o in parallel}
            clashing = [o for o in parallel if o.person_keys & session.person_keys]
            for room in candidate_rooms:
                if room.id in busy_rooms:
                    continue
                room_free_somewhere = True
                if not clashing:
                    return "time_limit" if after_solve else "free_slot"
                if any(not o.pinned for o in clashing):
                    clash_with_unpinned = True
    if not room_free_somewhere:
        return "week_full"
    return "person_clash" if clash_with_unpinned else "person_clash_pinned"


def _greedy(sessions: list[SessionSpec], fixed: list[SessionSpec], frame: Frame) -> dict[int, Placement]:
    """A quick placement around the fixed sessions (most constrained first, earliest free slot): the solver's hint."""
    result: dict[int, Placement] = {}
    order = sorted(sessions, key=lambda s: (not s.is_block, -s.audience, -s.duration, -len(s.person_keys), s.id))
    by_day = _index_by_day(fixed)
    day_load = defaultdict(int)
    for other in fixed:
        day_load[other.placement.day_id] += other.duration
    for session in order:
        candidate_rooms = sorted(frame.rooms_for(session), key=lambda r: (r.capacity, r.id))
        if session.is_high_level:
            candidate_rooms.sort(key=lambda r: (not r.has_interpretation, r.capacity))
        best = None
        for day in sorted(frame.days, key=lambda d: (day_load[d.id], d.index)):
            for start in frame.starts(session, day):
                end = start + session.duration
                parallel = [o for o in by_day[day.id] if o.placement.start_minute < end and start < _end(o.placement, o.duration)]
                if any(o.person_keys & session.person_keys or o.is_block for o in parallel) or (session.is_block and parallel):
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
            by_day[placement.day_id].append(replace(session, pinned=False, placement=placement))
            day_load[placement.day_id] += session.duration
    return result


def _keep_reference(free: list[SessionSpec], fixed: list[SessionSpec], frame: Frame,
                    reference: dict[int, Placement]) -> tuple[list[SessionSpec], list[SessionSpec]]:
    """(sessions kept at their reference place, sessions to place): a reference place is kept when it still fits.

    Fixed blocks are tried first, then sessions in id order, so that of two sessions in conflict the older stays.
    """
    by_day = _index_by_day(fixed)
    kept, others = [], []
    for session in sorted(free, key=lambda s: (not s.is_block, s.id)):
        place = reference.get(session.id)
        if place is not None and fits(session, place, frame, by_day):
            spec = replace(session, placement=place)
            kept.append(spec)
            by_day[place.day_id].append(spec)
        else:
            others.append(session)
    return kept, others


def schedule_sessions(sessions: list[SessionSpec], *, days: list[DaySpec], rooms: list[RoomSpec], plenaries=(),
                      reference: dict[int, Placement] | None = None, time_limit: float = 20.0, workers: int = 2,
                      seed: int = 0) -> ScheduleResult:
    """Place every session at a day, room and start: hard constraints kept, moves and soft goals minimised.

    reference is where each session was (the last published version, say); None takes the sessions' current
    placements, {} schedules from scratch. Pinned sessions never move. time_limit bounds the whole call; when the
    solver finds nothing in time the greedy placement (valid by construction) is used.
    """
    started = clock.perf_counter()
    result = ScheduleResult()
    frame = Frame(sessions, days=days, rooms=rooms, plenaries=plenaries)
    if reference is None:
        reference = {s.id: s.placement for s in sessions if s.placement is not None and not s.pinned}
    fixed: list[SessionSpec] = []
    free: list[SessionSpec] = []
    for session in sorted(sessions, key=lambda s: s.id):
        if session.pinned and session.placement is not None:
            if not find_conflicts(fixed + [session], days=days, rooms=rooms, plenaries=plenaries):
                fixed.append(session)
                result.placements[session.id] = session.placement
            else:
                result.unplaced[session.id] = "pinned_invalid"
            continue
        reason = _precheck(session, frame)
        if reason:
            result.unplaced[session.id] = reason
        else:
            free.append(session)

    kept, others = _keep_reference(free, fixed, frame, reference)
    result.displaced = sorted(s.id for s in others if s.id in reference)
    if not others:
        result.status = "KEPT"
        placements = {s.id: s.placement for s in kept}
    else:
        # Around kept sessions the model is small and the greedy hint near its best: a short search suffices, and a
        # re-run after one change answers in seconds.
        budget = time_limit if not kept else min(time_limit / 2, 1.0 + 0.1 * len(others))
        placements, result.status = _solve(others, fixed + kept, frame, None, started + budget, workers, seed)
        placements.update({s.id: s.placement for s in kept})
        left_out = [s for s in others if s.id not in placements]
        if kept and left_out:
            # Placing the rest needs room that only moving kept sessions can make: solve again, moves costing.
            hint = {s.id: placements[s.id] for s in free if s.id in placements}
            again, status = _solve(free, fixed, frame, reference, started + time_limit, workers, seed, hint=hint)
            if len(again) > len(placements):
                placements, result.status = again, f"{result.status}/{status}"
    result.placements.update(placements)

    everyone = fixed + free
    placed_only = [replace(s, placement=result.placements[s.id]) for s in everyone if s.id in result.placements]
    for session in free:
        if session.id not in result.placements:
            result.unplaced[session.id] = explain_unplaced(session, placed_only, days=days, rooms=rooms, frame=frame)
    result.moved = sorted(sid for sid, place in reference.items()
                          if sid in {s.id for s in free} and result.placements.get(sid) != place)
    result.misses = explain_soft_misses(placed_only, rooms, reference)
    result.parallel_same_action_line = sum(1 for m in result.misses if m.kind == "same_action_line")
    result.high_level_without_interpretation = sum(1 for m in result.misses if m.kind == "no_interpretation")
    result.room_too_large = sum(1 for m in result.misses if m.kind == "room_too_large")
    result.wall_seconds = clock.perf_counter() - started
    return result


def _solve(free: list[SessionSpec], fixed: list[SessionSpec], frame: Frame, reference: dict[int, Placement] | None,
           deadline: float, workers: int, seed: int, hint: dict[int, Placement] | None = None):
    """(placements of the free sessions, solver status): one CP-SAT model around the fixed sessions.

    With a reference, leaving a session's reference place costs MOVE_PENALTY. deadline (perf_counter) bounds the
    whole call: building the model and the greedy hint count against it.
    """
    from ortools.sat.python import cp_model

    day_offset = {day.id: day.index * MINUTES_PER_DAY for day in frame.days}
    day_of_offset = {day.index: day for day in frame.days}
    greedy = _greedy([s for s in free if s.id not in (hint or {})],
                     fixed + [replace(s, placement=p) for s in free for p in [(hint or {}).get(s.id)] if p], frame)
    hint = {**(hint or {}), **greedy}
    model = cp_model.CpModel()
    placed_var, start_var, room_vars, main_interval = {}, {}, {}, {}
    room_intervals: dict[int, list] = defaultdict(list)
    block_intervals = []
    for session in fixed:
        start = day_offset[session.placement.day_id] + session.placement.start_minute
        interval = model.new_fixed_size_interval_var(start, session.duration, f"fix{session.id}")
        main_interval[session.id] = interval
        room_intervals[session.placement.room_id].append(interval)
        if session.is_block:
            block_intervals.append(interval)
    objective = []
    for session in free:
        values = [day_offset[day.id] + start for day in frame.days for start in frame.starts(session, day)]
        start = model.new_int_var_from_domain(cp_model.Domain.from_values(values), f"start{session.id}")
        placed = model.new_bool_var(f"placed{session.id}")
        start_var[session.id], placed_var[session.id] = start, placed
        main_interval[session.id] = model.new_optional_fixed_size_interval_var(start, session.duration, placed, f"iv{session.id}")
        if session.is_block:
            block_intervals.append(main_interval[session.id])
        choices = {}
        for room in frame.rooms_for(session):
            in_room = model.new_bool_var(f"x{session.id}_{room.id}")
            choices[room.id] = in_room
            room_intervals[room.id].append(
                model.new_optional_fixed_size_interval_var(start, session.duration, in_room, f"iv{session.id}_{room.id}"))
            if session.is_high_level and not room.has_interpretation:
                objective.append(NO_INTERPRETATION_PENALTY * in_room)
            if room.capacity > ROOM_TOO_LARGE_FACTOR * max(session.audience, 1):
                objective.append(ROOM_TOO_LARGE_PENALTY * in_room)
        room_vars[session.id] = choices
        model.add(sum(choices.values()) == placed)
        objective.append(UNPLACED_PENALTY * (1 - placed))
        before = (reference or {}).get(session.id)
        if before is not None:
            objective.append(MOVE_PENALTY * (1 - _stays(model, session, before, start, choices, day_offset)))
        chosen = hint.get(session.id)
        model.add_hint(placed, chosen is not None)
        if chosen is not None:
            model.add_hint(start, day_offset[chosen.day_id] + chosen.start_minute)
        for room_id, var in choices.items():
            model.add_hint(var, chosen is not None and room_id == chosen.room_id)
    for intervals in room_intervals.values():
        model.add_no_overlap(intervals)
    if len(block_intervals) > 1:
        model.add_no_overlap(block_intervals)

    sessions_of_person: dict[str, list[int]] = defaultdict(list)
    for session in fixed + free:
        for key in session.person_keys:
            sessions_of_person[key].append(session.id)
    for ids in sessions_of_person.values():
        if len(ids) > 1 and any(i in placed_var for i in ids):
            model.add_no_overlap([main_interval[i] for i in ids])

    hinted_start = {s.id: day_offset[s.placement.day_id] + s.placement.start_minute for s in fixed}
    hinted_start.update({sid: day_offset[p.day_id] + p.start_minute for sid, p in hint.items()})
    overlap_vars = _add_overlap_terms(model, fixed + free, placed_var, start_var, day_offset, hinted_start)
    objective += [OVERLAP_PENALTY * var for var in overlap_vars]
    model.minimize(sum(objective))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(deadline - clock.perf_counter(), 0.5)
    solver.parameters.num_search_workers = workers
    solver.parameters.random_seed = seed
    # Probing the thousands of overlap literals takes most of the time limit on 300 sessions and finds little.
    solver.parameters.cp_model_probing_level = 0
    # Presolve spends seconds on the pair booleans before the search starts from the (complete) greedy hint.
    solver.parameters.cp_model_presolve = False
    solver.parameters.log_search_progress = bool(os.environ.get("CONSULT_CPSAT_LOG"))
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # No solution in time: the greedy placement is valid by construction, so use it.
        return dict(hint), solver.status_name(status) + "+GREEDY"
    placements = {}
    for session in free:
        if solver.value(placed_var[session.id]):
            value = solver.value(start_var[session.id])
            day = day_of_offset[value // MINUTES_PER_DAY]
            room_id = next(room_id for room_id, var in room_vars[session.id].items() if solver.value(var))
            placements[session.id] = Placement(day.id, room_id, value % MINUTES_PER_DAY)
    return placements, solver.status_name(status)


def _stays(model, session: SessionSpec, before: Placement, start, choices: dict, day_offset: dict):
    """A boolean that is true only if the session keeps its reference day, start and room."""
    stays = model.new_bool_var(f"stay{session.id}")
    if before.room_id not in choices or before.day_id not in day_offset:
        model.add(stays == 0)
        return stays
    model.add(start == day_offset[before.day_id] + before.start_minute).only_enforce_if(stays)
    model.add_implication(stays, choices[before.room_id])
    return stays


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
