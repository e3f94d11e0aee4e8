"""The scheduler changes little: pins never move, a re-run moves nothing, one change moves little; fixed blocks hold."""
from dataclasses import replace

from hypothesis import HealthCheck, given, settings

from consult.agenda.scheduling import (
    Conflict,
    DaySpec,
    Placement,
    PlenarySpec,
    RoomSpec,
    SessionSpec,
    SoftMiss,
    explain_soft_misses,
    find_conflicts,
    schedule_sessions,
)
from tests.agenda.test_scheduling import instances

DAYS = [DaySpec(1, 0, 9 * 60, 13 * 60, 15), DaySpec(2, 1, 9 * 60, 13 * 60, 30)]
LINES = ["C1", "C4", "C7-EHEALTH"]


def with_result(sessions, result):
    """The sessions as run_scheduler saves them: placed where the result says, pins without a place dropped."""
    return [replace(s, placement=result.placements.get(s.id), pinned=s.pinned and s.id in result.placements)
            for s in sessions]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_rerun_on_unchanged_agenda_moves_nothing_and_pins_stay(instance):
    sessions, rooms = instance
    first = schedule_sessions(sessions, days=DAYS, rooms=rooms, time_limit=2)
    placed = with_result(sessions, first)

    second = schedule_sessions(placed, days=DAYS, rooms=rooms, time_limit=2)

    if not first.unplaced:
        assert second.moved == []
        assert second.placements == first.placements
        assert second.status == "KEPT"
    else:
        # A session the first run left out (an invalid pin, say) may now take a place that a move makes.
        assert len(second.placements) >= len(first.placements)
        assert len(second.moved) <= len(second.placements) - len(first.placements)
    for session in placed:
        if session.pinned:
            assert second.placements[session.id] == session.placement
    assert find_conflicts(with_result(placed, second), days=DAYS, rooms=rooms) == []


def grid_week(sessions_per_room=4, rooms=4):
    """rooms x sessions_per_room one-hour sessions filling the first day, each with its own speaker."""
    room_specs = [RoomSpec(r + 1, 100, name=f"Room {r + 1}") for r in range(rooms)]
    sessions = []
    for r in range(rooms):
        for h in range(sessions_per_room):
            sid = r * sessions_per_room + h + 1
            sessions.append(SessionSpec(sid, 60, audience=30, person_keys=frozenset({f"p{sid}"}),
                                        action_lines=frozenset({LINES[sid % 3]}), placement=Placement(1, r + 1, 540 + 60 * h)))
    return sessions, room_specs


def test_removing_a_room_moves_only_its_sessions():
    sessions, rooms = grid_week()
    in_room_two = [s.id for s in sessions if s.placement.room_id == 2]
    # The room goes: its sessions lose their places, as delete_room leaves them.
    sessions = [replace(s, placement=None) if s.placement.room_id == 2 else s for s in sessions]

    result = schedule_sessions(sessions, days=DAYS, rooms=[r for r in rooms if r.id != 2], time_limit=5)

    assert result.unplaced == {}
    assert result.displaced == []
    assert result.moved == []
    assert sorted(sid for sid, place in result.placements.items()
                  if place != next(s.placement for s in sessions if s.id == sid)) == in_room_two
    assert find_conflicts(with_result(sessions, result), days=DAYS, rooms=rooms) == []


def test_fixing_one_conflict_moves_only_the_session_in_conflict():
    sessions, rooms = grid_week()
    # A chair's manual move put session 6 on top of session 2 (room 1 at 10:00) and pinned it there.
    sessions = [replace(s, placement=Placement(1, 1, 600), pinned=True) if s.id == 6 else s for s in sessions]

    result = schedule_sessions(sessions, days=DAYS, rooms=rooms, time_limit=5)

    assert result.moved == [2]
    assert result.displaced == [2]
    assert result.placements[6] == Placement(1, 1, 600)
    assert find_conflicts(with_result(sessions, result), days=DAYS, rooms=rooms) == []


def test_reference_of_published_version_brings_sessions_back():
    sessions, rooms = grid_week(2, 2)
    published = {s.id: s.placement for s in sessions}
    # Since publication, session 1 went to the afternoon by hand (not pinned).
    sessions = [replace(s, placement=Placement(2, 1, 600)) if s.id == 1 else s for s in sessions]

    result = schedule_sessions(sessions, days=DAYS, rooms=rooms, reference=published, time_limit=5)

    assert result.placements == published
    assert result.moved == []


def test_kept_session_moves_when_a_session_cannot_be_placed_otherwise():
    days = [DaySpec(1, 0, 540, 660, 30)]
    rooms = [RoomSpec(1, 100)]
    # Session 1 sits at 09:30-10:30 in the only room: no hour is left for session 2 unless session 1 moves.
    sessions = [SessionSpec(1, 60, placement=Placement(1, 1, 570)), SessionSpec(2, 60)]

    result = schedule_sessions(sessions, days=days, rooms=rooms, time_limit=5)

    assert result.unplaced == {}
    assert result.moved == [1]
    assert result.displaced == []
    assert {result.placements[1].start_minute, result.placements[2].start_minute} == {540, 600}


def test_opening_segment_opens_the_first_day_with_nothing_in_parallel():
    rooms = [RoomSpec(1, 500, True, "Main hall", is_high_level_track=True), RoomSpec(2, 100, name="Room B")]
    sessions = [SessionSpec(1, 60, audience=400, is_high_level=True, is_opening=True),
                *[SessionSpec(i, 60, audience=50, person_keys=frozenset({f"p{i}"})) for i in range(2, 8)]]

    result = schedule_sessions(sessions, days=DAYS, rooms=rooms, time_limit=5)

    assert result.placements[1] == Placement(1, 1, 540)
    assert all(not (p.day_id == 1 and p.start_minute < 600) for sid, p in result.placements.items() if sid != 1)
    assert result.unplaced == {}


def test_plenary_slot_keeps_parallel_sessions_out_and_takes_the_plenary():
    rooms = [RoomSpec(1, 500, True, "Main hall"), RoomSpec(2, 100, name="Room B")]
    slot = PlenarySpec(2, 660, 750, "Prizes ceremony")
    sessions = [SessionSpec(1, 90, audience=300, is_plenary=True),
                *[SessionSpec(i, 60, audience=50, person_keys=frozenset({f"p{i}"})) for i in range(2, 12)]]

    result = schedule_sessions(sessions, days=DAYS, rooms=rooms, plenaries=[slot], time_limit=5)

    assert result.placements[1] == Placement(2, 1, 660)
    assert all(not (p.day_id == 2 and p.start_minute < 750 and p.start_minute + 60 > 660)
               for sid, p in result.placements.items() if sid != 1)
    assert find_conflicts(with_result(sessions, result), days=DAYS, rooms=rooms, plenaries=[slot]) == []


def test_plenary_without_a_slot_is_explained():
    result = schedule_sessions([SessionSpec(1, 60, is_plenary=True)], days=DAYS, rooms=[RoomSpec(1, 100)], time_limit=2)

    assert result.unplaced == {1: "no_plenary_slot"}


def test_high_level_track_keeps_its_room():
    rooms = [RoomSpec(1, 300, True, "Room A"), RoomSpec(2, 300, True, "Popov", is_high_level_track=True)]
    sessions = [SessionSpec(i, 45, audience=100, is_high_level=True) for i in range(1, 6)]

    result = schedule_sessions(sessions, days=DAYS, rooms=rooms, time_limit=5)

    assert {p.room_id for p in result.placements.values()} == {2}
    assert result.unplaced == {}


def test_find_conflicts_names_the_fixed_block_kinds():
    days = [DaySpec(1, 0, 540, 720, 15), DaySpec(2, 1, 540, 720, 15)]
    rooms = [RoomSpec(1, 500, name="Main", is_high_level_track=True), RoomSpec(2, 100, name="B")]
    slot = PlenarySpec(2, 600, 660, "Plenary")
    sessions = [SessionSpec(1, 60, is_opening=True, placement=Placement(1, 1, 600)),
                SessionSpec(2, 60, placement=Placement(1, 2, 630)),
                SessionSpec(3, 60, is_plenary=True, placement=Placement(2, 1, 540)),
                SessionSpec(4, 30, placement=Placement(2, 2, 615)),
                SessionSpec(5, 30, is_high_level=True, placement=Placement(2, 2, 690))]

    conflicts = find_conflicts(sessions, days=days, rooms=rooms, plenaries=[slot])

    assert conflicts == [
        Conflict("opening_not_first", (1,)), Conflict("plenary_outside_slot", (3,)),
        Conflict("in_plenary_slot", (4,), "Plenary"), Conflict("high_level_room", (5,), "Main"),
        Conflict("parallel_to_plenary", (1, 2)),
    ]


def test_soft_misses_are_explained_one_by_one():
    rooms = [RoomSpec(1, 400, False, "Big"), RoomSpec(2, 50, True, "Small")]
    sessions = [SessionSpec(1, 60, audience=20, is_high_level=True, action_lines=frozenset({"C4", "C1"}),
                            placement=Placement(1, 1, 540)),
                SessionSpec(2, 60, audience=40, action_lines=frozenset({"C4"}), placement=Placement(1, 2, 570))]

    misses = explain_soft_misses(sessions, rooms, {2: Placement(1, 2, 540)})

    assert misses == [SoftMiss("moved", (2,)), SoftMiss("same_action_line", (1, 2), "C4"),
                      SoftMiss("no_interpretation", (1,), "Big"), SoftMiss("room_too_large", (1,), "20 / 400")]
    assert [m.weight for m in misses] == [1000, 10, 20, 2]
