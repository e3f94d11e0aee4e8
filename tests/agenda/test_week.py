"""The chair's week: plenary slots, the High-Level Track's room, plenary sessions; and the scheduler keeps to them."""
from datetime import time

import sqlalchemy as sa

from consult.agenda import services
from consult.agenda.models import AgendaSession, PlenarySlot, Room
from consult.extensions import db
from consult.reference import Track
from tests.agenda.factories import make_days, make_room, make_session


def test_chair_marks_a_plenary_slot_and_sees_it_on_the_week(client, login, drafting, chair):
    day = make_days(drafting, 1)[0]
    db.session.commit()
    login(chair)

    response = client.post("/agenda/plenary-slots", data={
        "slot-day_id": day.id, "slot-starts_at": "12:00", "slot-ends_at": "13:30", "slot-title": "WSIS Prizes"})
    page = client.get("/agenda/week").get_data(as_text=True)

    assert response.headers["Location"] == "/agenda/week#plenaries-heading"
    slot = db.session.execute(sa.select(PlenarySlot)).scalar_one()
    assert (slot.day_id, slot.starts_at, slot.ends_at, slot.title) == (day.id, time(12), time(13, 30), "WSIS Prizes")
    assert "<td dir=\"auto\">WSIS Prizes</td>" in page


def test_plenary_slot_outside_the_days_hours_is_422_and_keeps_the_input(client, login, drafting, chair):
    day = make_days(drafting, 1)[0]
    db.session.commit()
    login(chair)

    response = client.post("/agenda/plenary-slots", data={
        "slot-day_id": day.id, "slot-starts_at": "07:00", "slot-ends_at": "08:00", "slot-title": "Too early"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The slot must lie within the day&#39;s hours (09:00-18:00)." in page
    assert 'value="Too early"' in page
    assert db.session.execute(sa.select(sa.func.count()).select_from(PlenarySlot)).scalar_one() == 0


def test_room_marked_as_the_high_level_tracks(client, login, drafting, chair):
    login(chair)

    client.post("/agenda/rooms", data={"name": "Popov Room", "capacity": 300, "has_interpretation": "y",
                                       "is_high_level_track": "y"})

    room = db.session.execute(sa.select(Room)).scalar_one()
    assert (room.name, room.is_high_level_track) == ("Popov Room", True)
    assert "<td>1</td><td><a" in client.get("/agenda/week").get_data(as_text=True)


def test_scheduler_keeps_the_fixed_blocks_of_the_week(drafting, chair):
    day, second = make_days(drafting, 2)
    hall = make_room(drafting, name="Main hall", capacity=500, has_interpretation=True)
    hall.is_high_level_track = True
    make_room(drafting, name="Room K", capacity=80)
    db.session.add(PlenarySlot(consultation_id=drafting.id, day_id=second.id, starts_at=time(12), ends_at=time(13),
                               title="Prizes"))
    opening = make_session(drafting, title="Opening segment", format_code="opening_segment", track=Track.HIGH_LEVEL,
                           audience=400)
    prizes = make_session(drafting, title="WSIS Prizes ceremony", format_code="prizes_ceremony", audience=300)
    prizes.is_plenary = True
    policy = [make_session(drafting, title=f"Policy {i}", track=Track.HIGH_LEVEL, audience=100, duration=45,
                           format_code="high_level_policy_session") for i in range(3)]
    workshops = [make_session(drafting, title=f"Workshop {i}", people=(f"p{i}",)) for i in range(6)]
    db.session.commit()

    result = services.run_scheduler(drafting, actor=None, time_limit=5)
    db.session.commit()

    db.session.expire_all()
    placed = {s.id: s for s in db.session.execute(sa.select(AgendaSession)).scalars()}
    assert result.unplaced == {}
    assert (placed[opening.id].day_id, placed[opening.id].room_id) == (day.id, hall.id)
    assert services.queries.local_start(drafting, placed[opening.id]).time() == time(9)
    assert (placed[prizes.id].day_id, services.queries.local_start(drafting, placed[prizes.id]).time()) == (second.id, time(12))
    assert {placed[s.id].room_id for s in policy} == {hall.id}
    assert services.queries.current_conflicts(drafting) == []
    assert len(workshops) == 6
