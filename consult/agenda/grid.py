"""The room x time grid of the agenda, one day at a time, as plain rows and blocks (pure functions).

It reads snapshot entries (the dicts `build_snapshot` writes and `read_snapshot` completes), so that the public
grid, the chair's grid and the PDF agenda draw the same programme. Positions are CSS grid lines: row 1 is the
room header and column 1 the time axis; every ROW_MINUTES is one row. The PDF, without CSS grid, prints the same
rows and spans as a table (`grid_table`).
"""
from dataclasses import dataclass, field

ROW_MINUTES = 5
LABEL_EVERY = 30
# The stylesheet has classes for this many rows, spans, room columns and lanes (consult/static/css/grid.css).
MAX_ROWS = 24 * 60 // ROW_MINUTES + 1
MAX_SPAN = 480 // ROW_MINUTES
MAX_ROOMS = 24
MAX_LANES = 3


@dataclass(frozen=True)
class GridBlock:
    """A session (or a plenary slot) on the grid: where it starts and how far it reaches."""

    item: dict
    row: int
    span: int
    column: int
    lane: int = 0
    lanes: int = 1
    is_plenary: bool = False
    conflicts: tuple[str, ...] = ()


@dataclass
class GridDay:
    """One day of the grid: its rooms as columns, the time labels down the side and the blocks in time order."""

    day: str
    rooms: list[str]
    start_minute: int
    end_minute: int
    times: list[tuple[int, str]] = field(default_factory=list)
    blocks: list[GridBlock] = field(default_factory=list)
    slots: list[GridBlock] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows below the header."""
        return (self.end_minute - self.start_minute) // ROW_MINUTES


def minutes(clock: str) -> int:
    """"HH:MM" as minutes since midnight."""
    hours, _sep, mins = clock.partition(":")
    return int(hours) * 60 + int(mins or 0)


def clock(minute: int) -> str:
    """Minutes since midnight as "HH:MM"."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def grid_rooms(entries: list[dict]) -> list[str]:
    """The rooms used by the entries, in their display order."""
    positions: dict[str, int] = {}
    for item in entries:
        if item.get("room"):
            positions.setdefault(item["room"], item.get("room_position", 0))
    return sorted(positions, key=lambda name: (positions[name], name))


def grid_days(entries: list[dict], *, rooms: list[str] | None = None, hours: dict[str, tuple[int, int]] | None = None,
              conflicts: dict[int, list[str]] | None = None,
              slots: dict[str, list[tuple[int, int, str]]] | None = None) -> list[GridDay]:
    """The grid of every day with a session (or with hours given), days in date order.

    rooms: the columns (default: the rooms the entries use); hours: day -> (first, last minute) (default: the
    whole hours around the day's sessions); conflicts: session id -> messages shown on its block; slots: day ->
    plenary slots (start, end, title) drawn behind the sessions across every room.
    """
    rooms = rooms if rooms is not None else grid_rooms(entries)
    column_of = {name: index + 2 for index, name in enumerate(rooms[:MAX_ROOMS])}
    by_day: dict[str, list[dict]] = {}
    for item in entries:
        if item.get("day") and item.get("start") and item.get("end"):
            by_day.setdefault(item["day"], []).append(item)
    days = sorted(set(by_day) | set(hours or {}))
    grid = []
    for day in days:
        items = sorted(by_day.get(day, []), key=lambda i: (i["start"], i.get("room_position", 0), i["title"]))
        first, last = _hours(items, (hours or {}).get(day), (slots or {}).get(day, []))
        result = GridDay(day, list(rooms[:MAX_ROOMS]), first, last)
        result.times = [(_row(first, minute), clock(minute)) for minute in range(first, last, LABEL_EVERY)]
        result.slots = [GridBlock({"title": title, "start": clock(start), "end": clock(end)}, _row(first, start),
                                  _span(start, end), 2, is_plenary=True) for start, end, title in (slots or {}).get(day, [])]
        result.blocks = _blocks(items, first, column_of, conflicts or {})
        grid.append(result)
    return grid


def _hours(items: list[dict], given: tuple[int, int] | None, slots) -> tuple[int, int]:
    starts = [minutes(i["start"]) for i in items] + [s[0] for s in slots]
    ends = [_end_minute(i) for i in items] + [s[1] for s in slots]
    first, last = given or (9 * 60, 18 * 60)
    if starts:
        # Sessions outside the day's hours (a conflict) still show: the grid widens to them, on whole hours.
        first = min(first, min(starts) // 60 * 60) if given else min(starts) // 60 * 60
        last = max(last, -(-max(ends) // 60) * 60) if given else -(-max(ends) // 60) * 60
    return first, min(max(last, first + 60), 24 * 60)


def _end_minute(item: dict) -> int:
    end = minutes(item["end"])
    return end if end > minutes(item["start"]) else 24 * 60


def _row(first: int, minute: int) -> int:
    return min(2 + max(minute - first, 0) // ROW_MINUTES, MAX_ROWS)


def _span(start: int, end: int) -> int:
    return max(1, min(-(-(end - start) // ROW_MINUTES), MAX_SPAN))


def _blocks(items: list[dict], first: int, column_of: dict[str, int], conflicts: dict[int, list[str]]) -> list[GridBlock]:
    """Blocks in time order; sessions that overlap in one room share its column side by side (lanes)."""
    lanes: dict[int, int] = {}
    busy: dict[str, list[tuple[int, int, int]]] = {}
    for item in items:
        start, end = minutes(item["start"]), _end_minute(item)
        taken = {lane for s, e, lane in busy.get(item.get("room", ""), []) if s < end and start < e}
        lane = next(n for n in range(len(taken) + 1) if n not in taken)
        lanes[item["id"]] = lane
        busy.setdefault(item.get("room", ""), []).append((start, end, lane))
    blocks = []
    for item in items:
        start, end = minutes(item["start"]), _end_minute(item)
        overlapping = [lane for s, e, lane in busy.get(item.get("room", ""), []) if s < end and start < e]
        blocks.append(GridBlock(
            item, _row(first, start), _span(start, end), column_of.get(item.get("room", ""), 2),
            lane=min(lanes[item["id"]], MAX_LANES - 1), lanes=min(max(overlapping) + 1, MAX_LANES),
            is_plenary=bool(item.get("is_plenary")), conflicts=tuple(conflicts.get(item["id"], ()))))
    return blocks


@dataclass
class TableCell:
    """A cell of the printed grid: the sessions in it and how many rows (time) and columns (rooms) it spans."""

    items: list[dict] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1
    is_plenary: bool = False
    time: str = ""


def grid_table(day: GridDay) -> list[list[TableCell]]:
    """The day's grid as table rows, for a page without CSS grid (the PDF): the same rows, spans and columns.

    Each row is one ROW_MINUTES slice; its first cell is the time label (every LABEL_EVERY minutes, spanning the
    rows up to the next label), then one cell per room that no block above still covers. A block is one cell
    spanning its duration; a plenary spans every room. Sessions overlapping where a block already is (a conflict)
    are listed in that block's cell, so nothing placed is left out.
    """
    total, width = day.rows, len(day.rooms)
    owner: dict[tuple[int, int], TableCell] = {}
    starts: dict[tuple[int, int], TableCell] = {}
    for block in day.blocks:
        row = block.row - 2
        if row >= total or width == 0:
            continue
        span = min(block.span, total - row)
        columns = list(range(width)) if block.is_plenary else [min(block.column - 2, width - 1)]
        area = [(r, c) for r in range(row, row + span) for c in columns]
        taken = [owner[place] for place in area if place in owner]
        if taken:
            taken[0].items.append(block.item)
            continue
        cell = TableCell([block.item], rowspan=span, colspan=len(columns), is_plenary=block.is_plenary)
        starts[(row, columns[0])] = cell
        for place in area:
            owner[place] = cell
    rows_per_label = LABEL_EVERY // ROW_MINUTES
    table = []
    for row in range(total):
        cells = []
        if row % rows_per_label == 0:
            cells.append(TableCell(rowspan=min(rows_per_label, total - row),
                                   time=clock(day.start_minute + row * ROW_MINUTES)))
        for column in range(width):
            if (row, column) in starts:
                cells.append(starts[(row, column)])
            elif (row, column) not in owner:
                cells.append(TableCell())
        table.append(cells)
    return table


GRID_STYLE = """/* The agenda's room x time grid (templates/agenda/_grid.html). Generated by `python -m consult.agenda.grid`:
   the position classes stand in for style attributes, which the Content-Security-Policy forbids. */
.grid { display: grid; grid-template-rows: auto; grid-auto-rows: .6rem; gap: 0 .25rem; margin: 1rem 0; position: relative; }
.grid-head { grid-row: 1; background: var(--soft); font-weight: bold; padding: .3rem; border-bottom: 2px solid var(--line); }
.grid-time { grid-column: 1; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line);
  padding-inline-end: .3rem; }
.grid-block { border: 1px solid var(--accent); border-inline-start-width: 4px; background: #f2f7fc;
  padding: .25rem .4rem; margin: 1px 0; overflow: auto; font-size: .88rem; z-index: 1; min-width: 0; }
.grid-block h3 { font-size: .95rem; margin: 0 0 .15rem; }
.grid-block p { margin: 0; }
.grid-block details { margin-top: .2rem; }
.grid-block:focus-within, .grid-block.has-open-form { overflow: visible; z-index: 3; }
.grid-block details[open] form { position: relative; background: #fff; border: 1px solid var(--line); padding: .4rem;
  box-shadow: 0 2px 6px rgba(0, 0, 0, .2); min-width: 12rem; }
.grid-block .field { margin: 0 0 .3rem; }
.grid-block select, .grid-block input { max-width: 100%; }
.grid-plenary { grid-column: 2 / -1; background: #fdf3e1; border-color: var(--warn); }
.grid-slot { grid-column: 2 / -1; background: repeating-linear-gradient(135deg, #fff, #fff 6px, #f6efe2 6px, #f6efe2 12px);
  border: 1px dashed var(--warn); color: var(--warn); font-size: .85rem; padding: .2rem .4rem; z-index: 0; }
.grid-block.has-conflict { border-color: var(--error); background: #fbeaea; }
.grid-conflicts { color: var(--error); font-weight: bold; list-style: none; padding: 0; margin: .2rem 0; }
.grid-block.is-dragging { opacity: .5; }
.grid.is-drop-target { outline: 2px dashed var(--accent); }
.grid-when-room { color: var(--muted); }
@media (max-width: 40rem) {
  /* Phone width: the blocks stack in time order, each saying its time and room; no sideways scroll. */
  .grid { display: block; }
  .grid-head, .grid-time, .grid-slot { display: none; }
  .grid-block { display: block; margin: .4rem 0; overflow: visible; }
}
"""


def grid_css() -> str:
    """The grid's stylesheet: the fixed rules and one class per row, span, room count, column and lane."""
    lines = [GRID_STYLE]
    lines += [f".grid-rooms-{n} {{ grid-template-columns: 4rem repeat({n}, minmax(7rem, 1fr)); }}"
              for n in range(1, MAX_ROOMS + 1)]
    lines += [f".grid-col-{n} {{ grid-column: {n}; }}" for n in range(2, MAX_ROOMS + 2)]
    lines += [f".grid-row-{n} {{ grid-row-start: {n}; }}" for n in range(1, MAX_ROWS + 1)]
    lines += [f".grid-span-{n} {{ grid-row-end: span {n}; }}" for n in range(1, MAX_SPAN + 1)]
    # Sessions overlapping in one room (a conflict) share its column: each lane takes its part of the width.
    for lanes in range(2, MAX_LANES + 1):
        for lane in range(lanes):
            place = "start" if lane == 0 else "end" if lane == lanes - 1 else "center"
            lines.append(f".grid-lane-{lane}-of-{lanes} {{ justify-self: {place}; width: {100 / lanes:.2f}%; }}")
    lines.append("@media (max-width: 40rem) { [class*=grid-lane-] { width: auto; } }")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(grid_css(), end="")
