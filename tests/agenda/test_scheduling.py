"""The scheduler never produces a hard conflict, and says why a session cannot be placed."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.agenda.scheduling import (
    Conflict,
    DaySpec,
    Placement,
    RoomSpec,
    SessionSpec,
    count_soft_misses,
    find_conflicts,
    schedule_sessions,
)

DAYS = [DaySpec(1, 0, 9 * 60, 13 * 60, 15), DaySpec(2, 1, 9 * 60, 12 * 60, 30)]
PEOPLE = ["ana", "bo", "chen", "dee", "eli"]
LINES = ["C1", "C4", "C7-EHEALTH"]


def placed(sessions, result):
    return [SessionSpec(s.id, s.duration, s.audience, s.is_high_level, s.person_keys, s.action_lines, s.pinned,
                        result.placements.get(s.id)) for s in sessions]


@st.composite
def instances(draw):
    rooms = [RoomSpec(i + 1, draw(st.sampled_from([20, 50, 150])), draw(st.booleans())) for i in range(draw(st.integers(1, 3)))]
    sessions = []
    for index in range(draw(st.integers(1, 9))):
        pinned = None
        if draw(st.integers(0, 4)) == 0:
            day = draw(st.sampled_from(DAYS))
            pinned = Placement(
                day.id, draw(st.sampled_from(rooms)).id, draw(st.sampled_from(range(day.starts_minute, day.ends_minute, 30)))
            )
        sessions.append(SessionSpec(
            id=index + 1, duration=draw(st.sampled_from([30, 45, 60, 90, 120, 300])),
            audience=draw(st.sampled_from([10, 40, 100, 200])), is_high_level=draw(st.booleans()),
            person_keys=frozenset(draw(st.lists(st.sampled_from(PEOPLE), max_size=3))),
            action_lines=frozenset(draw(st.lists(st.sampled_from(LINES), min_size=1, max_size=2))),
            pinned=pinned is not None, placement=pinned))
    return sessions, rooms


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_schedule_random_instances_has_no_hard_conflict(instance):
    sessions, rooms = instance

    result = schedule_sessions(sessions, days=DAYS, rooms=rooms, time_limit=2)

    assert find_conflicts(placed(sessions, result), days=DAYS, rooms=rooms) == []
    assert set(result.placements) | set(result.unplaced) == {s.id for s in sessions}
    assert set(result.placements).isdisjoint(result.unplaced)
    for session in sessions:
        if session.pinned and session.id in result.placements:
            assert result.placements[session.id] == session.placement
    assert (result.parallel_same_action_line, result.high_level_without_interpretation) == count_soft_misses(
        [s for s in placed(sessions, result) if s.placement], rooms)


def test_schedule_reports_room_too_small_and_too_long():
    rooms = [RoomSpec(1, 50)]
    sessions = [SessionSpec(1, 60, audience=80), SessionSpec(2, 300, audience=10), SessionSpec(3, 60, audience=10)]

    result = schedule_sessions(sessions, days=DAYS, rooms=rooms, time_limit=2)

    assert result.unplaced == {1: "no_room_large_enough", 2: "longer_than_any_day"}
    assert list(result.placements) == [3]


def test_schedule_reports_clash_with_pinned_sessions():
    rooms = [RoomSpec(1, 50), RoomSpec(2, 50)]
    days = [DaySpec(1, 0, 540, 660, 60)]
    pinned = [SessionSpec(1, 60, person_keys=frozenset({"ana"}), pinned=True, placement=Placement(1, 1, 540)),
              SessionSpec(2, 60, person_keys=frozenset({"ana"}), pinned=True, placement=Placement(1, 1, 600))]
    sessions = pinned + [SessionSpec(3, 60, person_keys=frozenset({"ana"}))]

    result = schedule_sessions(sessions, days=days, rooms=rooms, time_limit=2)

    assert result.unplaced == {3: "person_clash_pinned"}
    assert result.placements == {1: Placement(1, 1, 540), 2: Placement(1, 1, 600)}


def test_schedule_reports_full_week_and_invalid_pin():
    days = [DaySpec(1, 0, 540, 600, 60)]
    rooms = [RoomSpec(1, 50)]
    sessions = [SessionSpec(1, 60, pinned=True, placement=Placement(1, 1, 540)),
                SessionSpec(2, 60, pinned=True, placement=Placement(1, 1, 540)),
                SessionSpec(3, 60)]

    result = schedule_sessions(sessions, days=days, rooms=rooms, time_limit=2)

    assert result.unplaced == {2: "pinned_invalid", 3: "week_full"}


def test_schedule_avoids_same_action_line_in_parallel_and_uses_interpretation():
    days = [DaySpec(1, 0, 540, 660, 60)]
    rooms = [RoomSpec(1, 100, has_interpretation=False), RoomSpec(2, 100, has_interpretation=True)]
    sessions = [SessionSpec(1, 60, action_lines=frozenset({"C4"}), is_high_level=True),
                SessionSpec(2, 60, action_lines=frozenset({"C4"})),
                SessionSpec(3, 60, action_lines=frozenset({"C9"})),
                SessionSpec(4, 60, action_lines=frozenset({"C9"}))]

    result = schedule_sessions(sessions, days=days, rooms=rooms, time_limit=5)

    assert (result.parallel_same_action_line, result.high_level_without_interpretation, result.unplaced) == (0, 0, {})
    assert result.placements[1].room_id == 2
    assert result.status == "OPTIMAL"


def test_find_conflicts_lists_every_kind():
    days = [DaySpec(1, 0, 540, 720, 15)]
    rooms = [RoomSpec(1, 20), RoomSpec(2, 100)]
    sessions = [SessionSpec(1, 60, audience=30, person_keys=frozenset({"kim"}), placement=Placement(1, 1, 540)),
                SessionSpec(2, 60, person_keys=frozenset({"kim"}), placement=Placement(1, 1, 570)),
                SessionSpec(3, 60, placement=Placement(1, 2, 690)),
                SessionSpec(4, 60, placement=Placement(9, 2, 600)),
                SessionSpec(5, 60, person_keys=frozenset({"kim"}), placement=Placement(1, 2, 600))]

    conflicts = find_conflicts(sessions, days=days, rooms=rooms)

    assert conflicts == [
        Conflict("capacity", (1,), "30 > 20"), Conflict("outside_hours", (3,)), Conflict("unknown_place", (4,)),
        Conflict("room_double_booked", (1, 2)), Conflict("person_clash", (1, 2), "kim"),
        Conflict("person_clash", (2, 5), "kim"),
    ]
