"""Published agenda snapshots as plain data, and what changed between two of them (pure functions)."""
from collections import defaultdict

MOVE_KEYS = ("day", "room", "start")


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
