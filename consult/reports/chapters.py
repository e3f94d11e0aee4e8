"""The chapters of the outcomes report: one per WSIS action line (C7 by sub-line) and the High-Level Track."""
from collections import defaultdict

from flask_babel import gettext as _

from consult.reference import ACTION_LINES, SESSION_FORMATS_BY_CODE, ForumPart, Track
from consult.reports.queries import action_line_label
from consult.reports.submissions import is_taken_up

HIGH_LEVEL_GROUPS = (
    ("high_level_policy_session", "policy"), ("policy_statements", "policy"), ("opening_segment", "policy"),
    ("high_level_dialogue", "dialogue"), ("ministerial_round_table", "ministerial"), ("prizes_ceremony", "other"),
)


def feeding_submissions(sessions: list[dict], proposals: list, links: dict) -> dict[int, list[dict]]:
    """For each session id, the taken-up submissions of the cluster it was built from (reference, title, organization)."""
    by_cluster = defaultdict(list)
    for proposal in proposals:
        member = links["member_by_proposal"].get(proposal.id)
        if member and is_taken_up(proposal):
            by_cluster[member[2]].append({"reference": proposal.reference, "title": proposal.title,
                                          "organization": proposal.organization})
    result = {}
    for entry in sessions:
        cluster_id = entry.get("cluster_id") or links["cluster_by_session"].get(entry.get("id"))
        result[entry.get("id")] = by_cluster.get(cluster_id, [])
    return result


def action_line_chapters(sessions: list[dict], proposals: list, feeding: dict[int, list[dict]]) -> list[dict]:
    """C1 to C11, each with its sessions in time order and the submissions that fed them; C7 by sub-line."""
    named = defaultdict(int)
    for proposal in proposals:
        if proposal.status.value == "submitted":
            for code in set(proposal.action_line_codes):
                named[code] += 1
    chapters = []
    for line in (line for line in ACTION_LINES if line.parent is None):
        subs = [sub for sub in ACTION_LINES if sub.parent == line.code]
        sections = [{"code": code, "label": action_line_label(code),
                     "sessions": _sessions_tagged(sessions, {code}, feeding), "named": named.get(code, 0)}
                    for code in ([line.code] + [sub.code for sub in subs])]
        if subs:
            sections[0]["label"] = _general_label(line.code)
        chapters.append({"code": line.code, "label": action_line_label(line.code), "sections": sections,
                         "session_count": len({s["id"] for section in sections for s in section["sessions"]}),
                         "named": sum(section["named"] for section in sections)})
    return chapters


def _general_label(code: str) -> str:
    return _("%(code)s in general", code=code)


def _sessions_tagged(sessions: list[dict], codes: set[str], feeding: dict[int, list[dict]]) -> list[dict]:
    chosen = [dict(entry, fed_by=feeding.get(entry.get("id"), [])) for entry in sessions
              if codes & set(entry.get("action_lines") or [])]
    return sorted(chosen, key=lambda s: (s.get("sort") or "9999", s.get("title") or ""))


def high_level_track(sessions: list[dict], proposals: list, feeding: dict[int, list[dict]]) -> dict:
    """The High-Level Track's sessions by kind, and what the submissions on the high-level segment asked for."""
    group_of = dict(HIGH_LEVEL_GROUPS)
    groups = {"policy": [], "dialogue": [], "ministerial": [], "other": []}
    for entry in sessions:
        fmt = SESSION_FORMATS_BY_CODE.get(entry.get("format") or "")
        if entry.get("track") == Track.HIGH_LEVEL.value or (fmt and fmt.code in group_of):
            groups[group_of.get(fmt.code if fmt else "", "other")].append(
                dict(entry, fed_by=feeding.get(entry.get("id"), [])))
    for members in groups.values():
        members.sort(key=lambda s: (s.get("sort") or "9999", s.get("title") or ""))
    asked = [p for p in proposals if p.status.value == "submitted" and p.forum_part is ForumPart.HIGH_LEVEL_SEGMENT]
    return {"groups": groups, "asked": len(asked), "asked_taken_up": sum(1 for p in asked if is_taken_up(p)),
            "session_count": sum(len(members) for members in groups.values())}
