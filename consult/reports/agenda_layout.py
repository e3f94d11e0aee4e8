"""The agenda as printed: per day a room x time grid, then the day's sessions in time order with their summaries.

The grid is the web's (consult/agenda/grid.py): the same rows, blocks sized by duration and plenaries across the
rooms, printed as a table since the PDF has no CSS grid.

Built from the published snapshot (or the working sessions of a preview) as plain data, so the PDF shows what
was published, not later edits.
"""
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from consult.agenda.grid import grid_days, grid_table
from consult.agenda.models import PersonRole
from consult.consultations.times import format_day
from consult.reference import SDGS, SESSION_FORMATS_BY_CODE, TRACK_LABELS, Track
from consult.reports.queries import action_line_label

# Rooms per grid table: more columns than this do not fit an A4 page at a readable size.
GRID_ROOMS = 5


def _local(moment_iso: str | None, zone: ZoneInfo) -> datetime | None:
    if not moment_iso:
        return None
    return datetime.fromisoformat(moment_iso).astimezone(zone)


def session_views(sessions: list[dict], timezone_name: str) -> list[dict]:
    """Each session with its labels, local times and sort key, in programme order."""
    zone = ZoneInfo(timezone_name or "UTC")
    views = []
    for entry in sessions:
        start, end = _local(entry["starts_at"], zone), _local(entry["ends_at"], zone)
        view = dict(entry, **session_labels(entry))
        view["start"] = f"{start:%H:%M}" if start else ""
        view["end"] = f"{end:%H:%M}" if end else ""
        view["time"] = f"{start:%H:%M}–{end:%H:%M}" if start and end else ""
        view["sort"] = start.isoformat() if start else ""
        view["day"] = entry.get("day") or (start.date().isoformat() if start else "")
        placed = start and entry.get("room")
        view["when"] = f"{start:%a %d %b}, {view['time']}, {entry['room']}" if placed else _("Not yet scheduled")
        views.append(view)
    views.sort(key=lambda v: (v["sort"] or "9999", v.get("room_position") or 0, v["title"]))
    return views


def agenda_days(views: list[dict]) -> list[dict]:
    """Days in order, each with its grid (rows: start times, columns: rooms, in chunks) and its sessions in time order."""
    days: dict[str, list[dict]] = defaultdict(list)
    unscheduled = []
    room_order: dict[str, tuple] = {}
    for view in views:
        if not view["sort"] or not view.get("room"):
            unscheduled.append(view)
            continue
        days[view["day"]].append(view)
        room_order.setdefault(view["room"], (view.get("room_position") or 0, view["room"]))
    result = []
    for day in sorted(days):
        members = days[day]
        rooms = sorted({view["room"] for view in members}, key=lambda name: room_order[name])
        grids = day_grids(day, members, rooms)
        result.append({"date": day, "label": format_day(datetime.fromisoformat(day), "full"),
                       "grids": grids, "sessions": members, "count": len(members)})
    if unscheduled:
        result.append({"date": "", "label": _("Not yet scheduled"), "grids": [], "sessions": unscheduled,
                       "count": len(unscheduled)})
    return result


def day_grids(day: str, members: list[dict], rooms: list[str]) -> list[dict]:
    """The day's room x time grid as printed tables of at most GRID_ROOMS rooms, drawn by consult/agenda/grid.py.

    Every table of the day covers the same hours; a plenary is in each, across all its rooms.
    """
    [whole] = grid_days(members, rooms=rooms)
    hours = {day: (whole.start_minute, whole.end_minute)}
    grids = []
    for first in range(0, len(rooms), GRID_ROOMS):
        chunk = rooms[first:first + GRID_ROOMS]
        entries = [view for view in members if view["room"] in chunk or view.get("is_plenary")]
        [grid] = grid_days(entries, rooms=chunk, hours=hours)
        grids.append({"rooms": chunk, "rows": grid_table(grid)})
    return grids


def session_labels(entry: dict) -> dict:
    """How a session's codes read to people: format, track, action lines, SDGs, people by role."""
    fmt = SESSION_FORMATS_BY_CODE.get(entry.get("format") or "")
    try:
        track = TRACK_LABELS[Track(entry.get("track") or "forum")]
    except ValueError:
        track = TRACK_LABELS[Track.FORUM]
    people = entry.get("people") or []

    def named(role):
        return [person for person in people if person.get("role") == role]

    return {
        "format_label": str(fmt.label) if fmt else "",
        "track_label": str(track),
        "action_line_labels": [action_line_label(code) for code in entry.get("action_lines") or []],
        "sdg_labels": [f"{number} {SDGS[number]}" for number in entry.get("sdgs") or [] if number in SDGS],
        "organizers": named(PersonRole.ORGANIZER.value),
        "moderators": named(PersonRole.MODERATOR.value),
        "speakers": named(PersonRole.SPEAKER.value),
    }
