"""Sentences for conflicts and soft-goal misses that name sessions and people, never internal keys."""
from flask_babel import gettext as _

from consult.agenda.conflicts import Finding
from consult.i18n import joined


def people_names(sessions) -> dict[str, str]:
    """Person key -> the name as written on a session (the first one met)."""
    names: dict[str, str] = {}
    for session in sessions:
        for person in session.people:
            names.setdefault(person.person_key, person.name)
    return names


def _listed(detail: str) -> list[str]:
    """The items a finding's detail lists (the scheduler stores them joined by ", ")."""
    return [item for item in detail.split(", ") if item]


def describe(finding: Finding, titles: dict[int, str], names: dict[str, str]) -> str:
    """One finding as a sentence: the sessions by title, the people by name."""
    quoted = [f"“{titles.get(sid, sid)}”" for sid in finding.session_ids]
    first = quoted[0]
    others = joined(quoted[1:])
    kind = finding.kind
    if kind == "person_clash":
        people = joined([names.get(key, key) for key in _listed(finding.detail)])
        return _("%(people)s would be in %(first)s and %(other)s at the same time.", people=people, first=first,
                 other=others)
    if kind == "room_double_booked":
        return _("%(first)s and %(other)s are in the same room at the same time.", first=first, other=others)
    if kind == "parallel_to_plenary":
        return _("%(first)s and %(other)s run in parallel, but one of them is a plenary.", first=first, other=others)
    if kind == "capacity":
        return _("%(first)s expects more people than its room seats (%(detail)s).", first=first, detail=finding.detail)
    if kind == "outside_hours":
        return _("%(first)s runs outside its day's hours.", first=first)
    if kind == "unknown_place":
        return _("%(first)s is placed on a day or in a room that no longer exists.", first=first)
    if kind == "in_plenary_slot":
        return _("%(first)s is placed in the plenary slot “%(slot)s”, when nothing else may run.", first=first,
                 slot=finding.detail)
    if kind == "plenary_outside_slot":
        return _("%(first)s is a plenary session outside every plenary slot.", first=first)
    if kind == "opening_not_first":
        return _("%(first)s is the Opening segment: it opens the first day.", first=first)
    if kind == "high_level_room":
        return _("%(first)s is on the High-Level Track, which keeps its room (%(room)s).", first=first,
                 room=joined(_listed(finding.detail), style="or"))
    if kind == "moved":
        return _("%(first)s moved from where it was, to make room.", first=first)
    if kind == "same_action_line":
        return _("%(first)s and %(other)s share %(lines)s and run at the same time.", first=first, other=others,
                 lines=joined(_listed(finding.detail)))
    if kind == "no_interpretation":
        return _("%(first)s is on the High-Level Track, but %(room)s has no interpretation.", first=first,
                 room=finding.detail)
    if kind == "room_too_large":
        return _("%(first)s fills few seats of its room (expected / seats: %(detail)s).", first=first,
                 detail=finding.detail)
    return f"{finding.kind}: {first} {others}".strip()


def messages_by_session(findings, titles: dict[int, str], names: dict[str, str]) -> dict[int, list[str]]:
    """Session id -> the sentences of the findings it is part of, for its block on the grid."""
    result: dict[int, list[str]] = {}
    for finding in findings:
        sentence = describe(finding, titles, names)
        for sid in finding.session_ids:
            result.setdefault(sid, []).append(sentence)
    return result
