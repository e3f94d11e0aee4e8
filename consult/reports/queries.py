"""Reads of the reports: the consultation, the agenda to print, the chair's report settings and logos.

The reports area reads proposals, reviews, clusters and the agenda straight from their models and writes none
of their tables; figures another area defines (the calibrated score) come from that area's pure functions.
The other reads live beside what they read: `submissions`, `statistics`, `chapters`, `comments`.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consult import reference
from consult.agenda.models import AgendaSession, AgendaVersion
from consult.consultations.models import Consultation
from consult.consultations.times import format_day
from consult.extensions import db
from consult.reference import ACTION_LINES_BY_CODE, Track
from consult.reports.models import DeclinedInAnnex, DocumentStatus, ReportLogo, ReportSettings

TOP_ACTION_LINES = [line.code for line in reference.ACTION_LINES if line.parent is None]


def consultation_info(consultation: Consultation) -> dict:
    """Title, theme, Forum dates and the phases with their dates, as text."""
    zone = ZoneInfo(consultation.timezone or "UTC")
    return {
        "id": consultation.id,
        "title": consultation.title,
        "theme": consultation.theme,
        "year": consultation.year,
        "forum_start": consultation.forum_start.isoformat(),
        "forum_end": consultation.forum_end.isoformat(),
        "forum_start_label": format_day(consultation.forum_start, "long"),
        "forum_end_label": format_day(consultation.forum_end, "long"),
        "timezone": consultation.timezone,
        "phases": [
            {"label": str(phase.label), "description": phase.description,
             "opens": format_day(phase.opens_at.astimezone(zone), "long"),
             "closes": format_day(phase.closes_at.astimezone(zone), "long"),
             "extended": phase.was_extended, "brought_forward": phase.was_brought_forward}
            for phase in consultation.phases
        ],
    }


def latest_published_version(consultation_id: int) -> AgendaVersion | None:
    """The newest published agenda version of a consultation."""
    return db.session.execute(
        sa.select(AgendaVersion).where(AgendaVersion.consultation_id == consultation_id)
        .order_by(AgendaVersion.number.desc()).limit(1)
    ).scalar_one_or_none()


def session_record(session: AgendaSession) -> dict:
    """A session as plain data: the same shape as a published snapshot entry."""
    ends_at = session.starts_at + timedelta(minutes=session.duration_minutes) if session.starts_at else None
    people = [{"name": person.name, "role": person.role.value, "organization": person.organization,
               "is_remote": person.is_remote} for person in session.people]
    return {
        "id": session.id,
        "title": session.title,
        "description": session.description,
        "format": session.format_code,
        "track": session.track.value,
        "duration_minutes": session.duration_minutes,
        "day": session.day.day.isoformat() if session.day else None,
        "room": session.room.name if session.room else None,
        "room_position": session.room.position if session.room else None,
        "starts_at": session.starts_at.isoformat() if session.starts_at else None,
        "ends_at": ends_at.isoformat() if ends_at else None,
        "action_lines": [tag.code for tag in session.action_lines],
        "sdgs": [tag.sdg for tag in session.sdgs],
        "people": people,
        "cluster_id": session.cluster_id,
    }


def working_sessions(consultation_id: int) -> list[dict]:
    """The current (unpublished) sessions, for a draft preview."""
    rows = db.session.execute(
        sa.select(AgendaSession).where(AgendaSession.consultation_id == consultation_id)
        .options(selectinload(AgendaSession.people), selectinload(AgendaSession.action_lines),
                 selectinload(AgendaSession.sdgs), selectinload(AgendaSession.day), selectinload(AgendaSession.room))
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).scalars()
    return [session_record(session) for session in rows]


def normalise_snapshot_entry(entry: dict) -> dict:
    """A published snapshot entry in the shape of session_record, whatever optional keys it lacks."""
    tags = entry.get("tags") or {}
    duration = entry.get("duration_minutes") or entry.get("duration")
    starts_at = entry.get("starts_at")
    ends_at = entry.get("ends_at")
    if ends_at is None and starts_at and duration:
        # The agenda publishes the UTC start and the duration; the end is derived the same way as session_record.
        ends_at = (datetime.fromisoformat(starts_at) + timedelta(minutes=int(duration))).isoformat()
    return {
        "id": entry.get("id"),
        "title": entry.get("title", ""),
        "description": entry.get("description", ""),
        "format": entry.get("format") or entry.get("format_code") or "",
        "track": entry.get("track") or Track.FORUM.value,
        "duration_minutes": duration,
        "day": entry.get("day"),
        "room": entry.get("room") or entry.get("room_name"),
        "room_position": entry.get("room_position"),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "action_lines": list(entry.get("action_lines") or tags.get("action_lines") or []),
        "sdgs": [int(number) for number in (entry.get("sdgs") or tags.get("sdgs") or [])],
        "people": list(entry.get("people") or []),
        "cluster_id": entry.get("cluster_id"),
    }


def agenda_source(consultation: Consultation, *, draft_preview: bool = False) -> dict:
    """The sessions to print: the latest published version, or the working sessions for a preview."""
    version = None if draft_preview else latest_published_version(consultation.id)
    if version is not None:
        sessions = [normalise_snapshot_entry(entry) for entry in version.snapshot or []]
        label = (_("final agenda, version %(number)d", number=version.number) if version.kind.value == "final"
                 else _("draft agenda, version %(number)d", number=version.number))
        published = version.published_at.isoformat()
    else:
        sessions = working_sessions(consultation.id)
        label = _("working draft (not published)")
        published = None
    return {"sessions": sessions, "label": label, "published_at": published,
            "version_number": version.number if version else None}


def action_line_label(code: str) -> str:
    """'C7 E-learning' for a code, or the code itself when unknown."""
    line = ACTION_LINES_BY_CODE.get(code)
    return str(line.label) if line else code


def top_action_line(code: str) -> str:
    """The main action line of a code: C7 for its sub-lines."""
    line = ACTION_LINES_BY_CODE.get(code)
    return line.parent if line and line.parent else code




def report_settings(consultation_id: int) -> ReportSettings:
    """The chair's settings, or the defaults (draft, declined without names) when none were saved; not added."""
    settings = db.session.execute(
        sa.select(ReportSettings).where(ReportSettings.consultation_id == consultation_id)
    ).scalar_one_or_none()
    return settings or ReportSettings(consultation_id=consultation_id, document_symbol="",
                                      status=DocumentStatus.DRAFT, declined_in_annex=DeclinedInAnnex.WITHOUT_NAMES,
                                      is_naming_submitters=False, is_listing_withdrawn=False)


def report_logos(consultation_id: int) -> list[ReportLogo]:
    """The organisers' logos in their order."""
    return list(db.session.execute(
        sa.select(ReportLogo).where(ReportLogo.consultation_id == consultation_id)
        .order_by(ReportLogo.position, ReportLogo.id)
    ).scalars())
