"""Published agenda snapshots as plain data, and what changed between two of them (pure functions)."""
from collections import defaultdict

from consult.reference import SDGS, Track

MOVE_KEYS = ("day", "room", "start")
PERSON_ROLES = ("organizer", "moderator", "speaker")
# What a calendar reader sees of a session: a change to any of these raises its SEQUENCE.
SEQUENCE_KEYS = ("title", "description", "day", "start", "end", "room", "people")


def number_sequences(snapshot: list[dict], previous: list[dict]) -> None:
    """Give each entry its iCal SEQUENCE: the previous version's, plus one when the session changed since."""
    before = {item["id"]: item for item in previous}
    for item in snapshot:
        old = before.get(item["id"])
        if old is None:
            item["sequence"] = 0
        else:
            changed = any(old.get(key) != item.get(key) for key in SEQUENCE_KEYS)
            item["sequence"] = old.get("sequence", 0) + (1 if changed else 0)


def read_snapshot(raw) -> list[dict]:
    """A stored snapshot as complete entries (the shape `build_snapshot` writes), whatever it lacks.

    Published versions outlive the code that wrote them (an entry from an older release lacks later keys), and
    the column is free JSON: entries without an integer id are dropped, missing or odd values get defaults.
    """
    if not isinstance(raw, list):
        return []
    return [_complete_entry(entry) for entry in raw
            if isinstance(entry, dict) and isinstance(entry.get("id"), int) and not isinstance(entry.get("id"), bool)]


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _complete_entry(entry: dict) -> dict:
    track = entry.get("track")
    people = [person for person in _list(entry.get("people")) if isinstance(person, dict)]
    return {
        **entry,
        "title": _text(entry.get("title")), "description": _text(entry.get("description")),
        "format": _text(entry.get("format")),
        "track": track if track in {item.value for item in Track} else Track.FORUM.value,
        "day": _text(entry.get("day")), "start": _text(entry.get("start")), "end": _text(entry.get("end")),
        "room": _text(entry.get("room")),
        "room_position": entry["room_position"] if isinstance(entry.get("room_position"), int) else 0,
        "has_interpretation": entry.get("has_interpretation") is True,
        "is_plenary": entry.get("is_plenary") is True, "updated_at": _text(entry.get("updated_at")),
        "sequence": entry["sequence"] if isinstance(entry.get("sequence"), int) else 0,
        "action_lines": [code for code in _list(entry.get("action_lines")) if isinstance(code, str)],
        "sdgs": [number for number in _list(entry.get("sdgs")) if isinstance(number, int) and number in SDGS],
        "people": [{"role": person.get("role") if person.get("role") in PERSON_ROLES else "speaker",
                    "name": _text(person.get("name")), "organization": _text(person.get("organization")),
                    "country": _text(person.get("country")), "is_remote": person.get("is_remote") is True}
                   for person in people],
    }


def _list(value) -> list:
    return value if isinstance(value, list) else []


def diff_versions(old: list[dict], new: list[dict]) -> dict[str, list[dict]]:
    """Sessions added, removed, moved (day, room or start changed) and retitled between two snapshots.

    Each list is sorted by session id; entries carry what a reader needs to see the change.
    """
    old_by_id = {item["id"]: item for item in old}
    new_by_id = {item["id"]: item for item in new}
    added = [{"id": i, "title": new_by_id[i]["title"]} for i in sorted(new_by_id.keys() - old_by_id.keys())]
    removed = [{"id": i, "title": old_by_id[i]["title"]} for i in sorted(old_by_id.keys() - new_by_id.keys())]
    moved, retitled = [], []
    for session_id in sorted(old_by_id.keys() & new_by_id.keys()):
        before, after = old_by_id[session_id], new_by_id[session_id]
        if any(before.get(key) != after.get(key) for key in MOVE_KEYS):
            moved.append({"id": session_id, "title": after["title"],
                          "from": {key: before.get(key) for key in MOVE_KEYS},
                          "to": {key: after.get(key) for key in MOVE_KEYS}})
        if before["title"] != after["title"]:
            retitled.append({"id": session_id, "old_title": before["title"], "new_title": after["title"]})
    return {"added": added, "removed": removed, "moved": moved, "retitled": retitled}


def group_snapshot(snapshot: list[dict], by: str) -> list[tuple[str, list[dict]]]:
    """Sessions grouped by 'day', 'room' or 'action_line', groups and sessions in time order."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for item in snapshot:
        if by == "action_line":
            for code in item["action_lines"] or [""]:
                groups[code].append(item)
        else:
            groups[item.get(by) or ""].append(item)
    order = sorted(groups, key=lambda key: (key == "", _group_sort_key(by, key, snapshot)))
    return [(key, sorted(groups[key], key=session_sort_key)) for key in order]


def session_sort_key(item: dict):
    """Order of sessions in a programme: day, start, room position, title."""
    return (item.get("day") or "9999", item.get("start") or "99:99", item.get("room_position", 0), item["title"])


def _group_sort_key(by: str, key: str, snapshot: list[dict]):
    if by == "room":
        positions = {item["room"]: item.get("room_position", 0) for item in snapshot if item.get("room")}
        return (positions.get(key, 0), key)
    if by == "action_line":
        from consult.reference import ACTION_LINES

        codes = [line.code for line in ACTION_LINES]
        return (codes.index(key) if key in codes else len(codes), key)
    return (key,)


def search_snapshot(snapshot: list[dict], query: str) -> list[dict]:
    """Sessions whose title, description, people or organizations contain every word of query."""
    words = [word for word in query.casefold().split() if word]
    if not words:
        return list(snapshot)
    return [item for item in snapshot if all(word in _search_text(item) for word in words)]


def _search_text(item: dict) -> str:
    people = " ".join(f"{person['name']} {person['organization']}" for person in item["people"])
    return f"{item['title']} {item['description']} {people}".casefold()


def without_people(snapshot: list[dict]) -> list[dict]:
    """The snapshot with each session's people left out but counted: what blind review shows to all but the chair."""
    return [{**item, "people": [], "people_hidden": len(item.get("people") or ())} for item in snapshot]


ROLE_ORDER = {"moderator": 0, "speaker": 1, "organizer": 2}


def people_once(people: list[dict]) -> list[dict]:
    """Each person of a session once, with every role they have, moderators first, then speakers, then organizers."""
    merged: dict[str, dict] = {}
    for person in people:
        key = " ".join(person["name"].split()).casefold()
        if not key:
            continue
        entry = merged.setdefault(key, {"name": person["name"], "organization": person["organization"],
                                        "country": person.get("country", ""), "roles": [], "is_remote": False})
        if person["role"] not in entry["roles"]:
            entry["roles"].append(person["role"])
        entry["organization"] = entry["organization"] or person["organization"]
        entry["is_remote"] = entry["is_remote"] or person.get("is_remote", False)
    for entry in merged.values():
        entry["roles"].sort(key=ROLE_ORDER.get)
    return sorted(merged.values(), key=lambda entry: ROLE_ORDER.get(entry["roles"][0], 3))
