"""The room x time grid: rows, spans, columns, lanes and plenaries from snapshot entries; its stylesheet; its pages."""
from datetime import time
from pathlib import Path

from consult.agenda.grid import GridBlock, grid_css, grid_days
from consult.agenda.models import PlenarySlot
from consult.agenda.services import publish_agenda
from consult.extensions import db
from tests.agenda.factories import make_days, make_room, make_session

ROOT = Path(__file__).resolve().parents[2]


def entry(sid, start, end, room, position=0, day="2026-07-06", **extra):
    return {"id": sid, "title": f"S{sid}", "day": day, "start": start, "end": end, "room": room,
            "room_position": position, **extra}


def test_grid_days_place_blocks_by_time_and_room():
    entries = [entry(2, "10:00", "11:30", "B", 1), entry(1, "09:00", "10:00", "A"),
               entry(3, "09:00", "10:00", "A", is_plenary=False, day="2026-07-07"),
               entry(4, "12:00", "13:00", "A", is_plenary=True)]

    days = grid_days(entries, conflicts={2: ["clash"]})

    assert [(d.day, d.rooms, d.start_minute, d.end_minute) for d in days] == [
        ("2026-07-06", ["A", "B"], 540, 780), ("2026-07-07", ["A", "B"], 540, 600)]
    first = days[0]
    assert [(b.item["id"], b.row, b.span, b.column, b.is_plenary, b.conflicts) for b in first.blocks] == [
        (1, 2, 12, 2, False, ()), (2, 14, 18, 3, False, ("clash",)), (4, 38, 12, 2, True, ())]
    assert first.times[:3] == [(2, "09:00"), (8, "09:30"), (14, "10:00")]
    assert first.rows == 48


def test_grid_days_put_overlapping_sessions_of_one_room_side_by_side():
    entries = [entry(1, "09:00", "10:00", "A"), entry(2, "09:30", "10:30", "A"), entry(3, "11:00", "12:00", "A")]

    blocks = grid_days(entries)[0].blocks

    assert [(b.item["id"], b.lane, b.lanes) for b in blocks] == [(1, 0, 2), (2, 1, 2), (3, 0, 1)]


def test_grid_days_keep_the_days_hours_and_draw_plenary_slots():
    days = grid_days([entry(1, "08:30", "09:30", "A")], rooms=["A", "B", "C"], hours={"2026-07-06": (540, 1080)},
                     slots={"2026-07-06": [(720, 780, "Prizes")]})

    day = days[0]
    assert (day.start_minute, day.end_minute, day.rooms) == (480, 1080, ["A", "B", "C"])
    assert day.slots == [GridBlock({"title": "Prizes", "start": "12:00", "end": "13:00"}, 50, 12, 2, is_plenary=True)]


def test_grid_stylesheet_is_the_generated_one():
    assert (ROOT / "consult/static/css/grid.css").read_text() == grid_css()


def _week(consultation, chair):
    day = make_days(consultation, 1)[0]
    hall = make_room(consultation, name="Main hall", capacity=500, position=0)
    small = make_room(consultation, name="Room K", capacity=40, position=1)
    db.session.add(PlenarySlot(consultation_id=consultation.id, day_id=day.id, starts_at=time(12), ends_at=time(13),
                               title="Prizes ceremony"))
    opening = make_session(consultation, title="Opening segment", format_code="opening_segment", day=day, room=hall,
                           start=time(9), people=("Doreen",), pinned=True)
    workshop = make_session(consultation, title="Broadband workshop", day=day, room=small, start=time(10, 30),
                            duration=90, people=("Kim",))
    clash = make_session(consultation, title="Skills workshop", day=day, room=hall, start=time(11), people=("Kim",))
    return day, hall, small, opening, workshop, clash


def test_schedule_grid_shows_blocks_with_their_conflicts_and_move_forms(client, login, drafting, chair):
    day, hall, small, opening, workshop, clash = _week(drafting, chair)
    db.session.commit()
    login(chair)

    page = client.get(f"/agenda/schedule?day={day.id}").get_data(as_text=True)

    assert 'class="grid grid-rooms-2"' in page
    assert (f'class="grid-block grid-row-2 grid-span-12 grid-plenary" id="block-{opening.id}"') in page
    assert (f'class="grid-block grid-row-20 grid-span-18 grid-col-3 has-conflict" id="block-{workshop.id}"') in page
    assert "Kim would be in “Broadband workshop” and “Skills workshop” at the same time." in page
    assert 'class="grid-slot grid-row-38 grid-span-12">Plenary slot 12:00–13:00: <bdi>Prizes ceremony</bdi>' in page
    assert f'action="/agenda/sessions/{workshop.id}/move" class="grid-move" data-move-form' in page
    assert 'src="/static/js/agenda-grid.js"' in page
    assert "Sessions on the same action line do not run in parallel</td><td>10</td>" in page


def test_move_from_the_grid_returns_to_the_block(client, login, drafting, chair):
    day, hall, small, opening, workshop, clash = _week(drafting, chair)
    db.session.commit()
    login(chair)

    response = client.post(f"/agenda/sessions/{clash.id}/move", data={
        "day_id": day.id, "room_id": small.id, "start": "14:00", "version_id": clash.version_id, "back": "grid"})
    page = client.get(f"/agenda/schedule?day={day.id}").get_data(as_text=True)

    assert response.headers["Location"] == f"/agenda/schedule?day={day.id}#block-{clash.id}"
    assert 'data-testid="no-conflicts"' in page


def test_public_grid_reads_the_published_version(client, commenting, chair):
    day, hall, small, opening, workshop, clash = _week(commenting, chair)
    clash.starts_at = None
    clash.day_id = clash.room_id = None
    publish_agenda(commenting, actor=chair)
    workshop.title = "Not yet published title"
    db.session.commit()

    page = client.get("/agenda/grid").get_data(as_text=True)

    assert "Broadband workshop" in page and "Not yet published title" not in page
    assert f'href="/agenda/s/{opening.id}" dir="auto">Opening segment</a>' in page
    assert "grid-plenary" in page and "data-move-form" not in page
    assert client.get("/agenda/grid?day=1999-01-01").status_code == 200


def _shape(rows):
    """Each row as (time label or "", [(session ids, rowspan, colspan) or None for an empty cell])."""
    shaped = []
    for cells in rows:
        label = cells[0].time if cells and cells[0].time else ""
        rest = cells[1:] if label else cells
        shaped.append((label, [([i["id"] for i in c.items], c.rowspan, c.colspan) if c.items else None for c in rest]))
    return shaped


def test_grid_table_prints_the_grid_rows_and_spans_for_the_pdf():
    from consult.agenda.grid import grid_table

    entries = [entry(1, "09:00", "09:30", "A"), entry(2, "09:10", "10:00", "B", 1),
               entry(3, "10:00", "10:30", "A", is_plenary=True), entry(4, "09:15", "09:30", "A")]
    [day] = grid_days(entries)

    rows = _shape(grid_table(day))

    assert len(rows) == day.rows == 24  # 09:00 to 11:00, on whole hours
    assert rows[0] == ("09:00", [([1, 4], 6, 1), None])  # session 4 overlaps 1 in room A: listed in its cell
    assert rows[1] == ("", [None])
    assert rows[2] == ("", [([2], 10, 1)])  # 09:10 in room B, 50 minutes: ten 5-minute rows
    assert rows[6] == ("09:30", [None])
    assert rows[12] == ("10:00", [([3], 6, 2)])  # the plenary across both rooms
    assert all(cells == [] for _label, cells in rows[13:18])
    assert rows[18] == ("10:30", [None, None])


def test_pdf_day_grids_are_the_web_grid_in_tables_of_five_rooms():
    from consult.reports.agenda_layout import day_grids

    rooms = [f"R{n}" for n in range(1, 8)]
    members = [entry(n, "09:00", "10:00", room, n) for n, room in enumerate(rooms, start=1)]
    members.append(entry(99, "11:00", "12:00", "R1", 1, is_plenary=True))

    grids = day_grids("2026-07-06", members, rooms)

    assert [grid["rooms"] for grid in grids] == [rooms[:5], rooms[5:]]
    assert [len(grid["rows"]) for grid in grids] == [36, 36]  # same hours, 09:00-12:00, in every table
    assert [(c.items[0]["id"], c.rowspan, c.colspan) for c in grids[1]["rows"][0] if c.items] == [(6, 12, 1), (7, 12, 1)]
    assert [(c.items[0]["id"], c.colspan) for c in grids[1]["rows"][24] if c.items] == [(99, 2)]
