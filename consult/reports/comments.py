"""What the public comments said about the draft agenda, and what changed between published versions."""
from collections import Counter
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.agenda.models import AgendaSession, AgendaVersion, SessionComment
from consult.agenda.versions import diff_versions, read_snapshot
from consult.consultations.times import format_day
from consult.extensions import db
from consult.i18n import joined
from consult.reports.queries import action_line_label, top_action_line


def _when(day: str | None, start: str | None, room: str | None) -> str:
    parts = []
    if day:
        parts.append(format_day(datetime.fromisoformat(day), "short"))
    if start:
        parts.append(start)
    if room:
        parts.append(room)
    return " ".join(parts) or _("unscheduled")


def public_comments(consultation_id: int) -> dict:
    """Visible comments per session, the action lines they concerned, and a "you said, we did" table.

    The table compares the first published version with the latest: for every commented session, what changed
    (moved, retitled, removed) or that it stayed as it was. Authors are never named.
    """
    counts = dict(db.session.execute(
        sa.select(SessionComment.session_id, sa.func.count())
        .join(AgendaSession, AgendaSession.id == SessionComment.session_id)
        .where(AgendaSession.consultation_id == consultation_id, SessionComment.is_hidden.is_(False))
        .group_by(SessionComment.session_id)
    ).all())
    versions = db.session.execute(
        sa.select(AgendaVersion).where(AgendaVersion.consultation_id == consultation_id).order_by(AgendaVersion.number)
    ).scalars().all()
    first = read_snapshot(versions[0].snapshot) if versions else []
    latest = read_snapshot(versions[-1].snapshot) if versions else []
    titles = {entry["id"]: entry["title"] for entry in first + latest}
    titles.update(dict(db.session.execute(
        sa.select(AgendaSession.id, AgendaSession.title).where(AgendaSession.id.in_(list(counts)))).all()) if counts else {})
    lines = Counter()
    for entry in latest or first:
        for code in {top_action_line(code) for code in entry["action_lines"]}:
            lines[code] += counts.get(entry["id"], 0)
    changes = diff_versions(first, latest) if len(versions) > 1 else {"added": [], "removed": [], "moved": [], "retitled": []}
    what = {}
    for item in changes["moved"]:
        before, after = item["from"], item["to"]
        what.setdefault(item["id"], []).append(_("moved from %(before)s to %(after)s",
                                                 before=_when(before.get("day"), before.get("start"), before.get("room")),
                                                 after=_when(after.get("day"), after.get("start"), after.get("room"))))
    for item in changes["retitled"]:
        what.setdefault(item["id"], []).append(_("retitled (formerly “%(title)s”)", title=item["old_title"]))
    for item in changes["removed"]:
        what.setdefault(item["id"], []).append(_("taken off the agenda"))
    rows = [{"title": titles.get(session_id, ""), "comments": count,
             "did": joined(what.get(session_id, [])) or _("kept as published")}
            for session_id, count in sorted(counts.items(), key=lambda pair: (-pair[1], titles.get(pair[0], "")))]
    return {
        "total": sum(counts.values()),
        "sessions_commented": len(counts),
        "versions": len(versions),
        "by_action_line": [(action_line_label(code), count) for code, count in lines.most_common() if count],
        "rows": rows,
        "changed": sum(1 for row in rows if row["did"] != _("kept as published")),
        "added": len(changes["added"]),
    }
