"""The published agenda for other programs: the canonical public JSON and the iCalendar feeds (pure functions)."""
from datetime import datetime, timedelta, timezone

from consult.agenda.models import PERSON_ROLE_LABELS
from consult.agenda.versions import people_once
from consult.i18n import current_language, joined
from consult.reference import ACTION_LINES_BY_CODE, SESSION_FORMATS_BY_CODE

ROLE_NAMES = {role.value: label for role, label in PERSON_ROLE_LABELS.items()}
# The kind of the chair's export of sessions not yet published.
WORKING_DRAFT = "working_draft"


def _ends_at(item: dict) -> str:
    if not item.get("starts_at"):
        return ""
    start = datetime.fromisoformat(item["starts_at"])
    return (start + timedelta(minutes=int(item.get("duration") or 0))).isoformat()


def _format_label(code: str) -> str:
    session_format = SESSION_FORMATS_BY_CODE.get(code)
    return str(session_format.label) if session_format else ""


def _line(code: str) -> dict:
    line = ACTION_LINES_BY_CODE.get(code)
    # The label already starts with the line's name ("C7 E-science"); the code is data, for programs only.
    return {"code": code, "label": str(line.label) if line else code}


def agenda_json(consultation, version, snapshot: list[dict], *, session_url, agenda_url: str, ical_url: str) -> dict:
    """The one JSON of the agenda: the consultation, the version and every session with its links.

    The public feed and the chair's export are both this; version None is the chair's working draft (not published:
    no number, kind "working_draft"). Its labels (format, action lines) are in the request's language, which
    `?lang=` chooses; "language" says which.
    """
    return {
        "language": current_language().code,
        "consultation": {"id": consultation.id, "title": consultation.title, "year": consultation.year,
                         "forum_start": consultation.forum_start.isoformat(),
                         "forum_end": consultation.forum_end.isoformat(), "timezone": consultation.timezone},
        "version": version.number if version else None, "kind": version.kind.value if version else WORKING_DRAFT,
        "published_at": version.published_at.isoformat() if version else None,
        "note": version.note if version else "", "url": agenda_url, "ical": ical_url,
        "sessions": [{
            "id": item["id"], "url": session_url(item["id"]), "title": item["title"], "summary": item["description"],
            "format": item["format"],
            "format_label": _format_label(item["format"]),
            "track": item["track"], "is_plenary": item["is_plenary"],
            "day": item["day"], "start": item["start"], "end": item["end"],
            "starts_at": item.get("starts_at", ""), "ends_at": _ends_at(item), "duration": item.get("duration"),
            "room": item["room"], "has_interpretation": item["has_interpretation"],
            "action_lines": [_line(code) for code in item["action_lines"]], "sdgs": item["sdgs"],
            "people": [{"name": p["name"], "organization": p["organization"], "country": p["country"],
                        "roles": p["roles"], "is_remote": p["is_remote"]} for p in people_once(item["people"])],
            "sequence": item["sequence"], "updated_at": item["updated_at"],
        } for item in snapshot],
    }


def people_text(item: dict) -> str:
    """The people of a session once each, with their roles and organizations, one per line."""
    lines = []
    for person in people_once(item["people"]):
        roles = joined([str(ROLE_NAMES.get(role, role)) for role in person["roles"]])
        organization = f", {person['organization']}" if person["organization"] else ""
        lines.append(f"{person['name']}{organization} ({roles})")
    return "\n".join(lines)


def agenda_ical(consultation, version, snapshot: list[dict], *, session_url, host: str) -> bytes:
    """The sessions as iCalendar: UTC times, URL, SEQUENCE and LAST-MODIFIED on each event (version None: the draft)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//consult//agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", consultation.title)
    calendar.add("x-wr-timezone", consultation.timezone)
    # The stamp is the version's publication: the same version always gives the same file.
    stamp = (version.published_at if version else datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    for item in snapshot:
        if not item.get("starts_at"):
            continue
        start = datetime.fromisoformat(item["starts_at"]).astimezone(timezone.utc)
        event = Event()
        event.add("uid", f"session-{item['id']}-consultation-{consultation.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=int(item.get("duration") or 0)))
        event.add("summary", item["title"])
        event.add("url", session_url(item["id"]))
        event.add("sequence", item["sequence"])
        modified = datetime.fromisoformat(item["updated_at"]) if item["updated_at"] else stamp
        event.add("last-modified", modified.astimezone(timezone.utc).replace(microsecond=0))
        if item["room"]:
            event.add("location", item["room"])
        parts = (item["description"], people_text(item), session_url(item["id"]))
        event.add("description", "\n\n".join(part for part in parts if part))
        if item["action_lines"]:
            event.add("categories", [_line(code)["label"] for code in item["action_lines"]])
        calendar.add_component(event)
    return calendar.to_ical()
