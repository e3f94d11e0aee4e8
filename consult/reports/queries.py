"""Reads of every area for the reports: plain dicts and lists, loaded in a fixed number of queries.

The reports area reads proposals, reviews, clusters and the agenda straight from their models and writes none
of their tables; figures another area defines (the calibrated score) come from that area's pure functions.
"""
import statistics
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from consult import reference
from consult.agenda.models import AgendaSession, AgendaVersion, PersonRole
from consult.clustering.models import Cluster, ClusterMember
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.proposals.models import (
    DECISION_LABELS,
    PROPOSAL_KIND_LABELS,
    Decision,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from consult.reference import (
    ACTION_LINES_BY_CODE,
    REGION_LABELS,
    SDGS,
    SESSION_FORMATS_BY_CODE,
    STAKEHOLDER_TYPE_LABELS,
    TRACK_LABELS,
    ForumPart,
    Track,
)
from consult.review.models import Criterion, DecisionReason, Review, ReviewState
from consult.review.ranking import aggregate_scores
from consult.text import render_markdown

TOP_ACTION_LINES = [line.code for line in reference.ACTION_LINES if line.parent is None]
ONLINE_SOURCE = "online"


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
        "timezone": consultation.timezone,
        "phases": [
            {"label": str(phase.label), "description": phase.description,
             "opens": phase.opens_at.astimezone(zone).strftime("%d %B %Y"),
             "closes": phase.closes_at.astimezone(zone).strftime("%d %B %Y"),
             "extended": phase.was_extended}
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


def _local(moment_iso: str | None, zone: ZoneInfo) -> datetime | None:
    if not moment_iso:
        return None
    return datetime.fromisoformat(moment_iso).astimezone(zone)


def agenda_days(sessions: list[dict], timezone_name: str) -> list[dict]:
    """Sessions grouped day by day, then room by room, in start order, with times as local text."""
    zone = ZoneInfo(timezone_name or "UTC")
    days: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    room_order: dict[str, tuple] = {}
    unscheduled = []
    for entry in sessions:
        start, end = _local(entry["starts_at"], zone), _local(entry["ends_at"], zone)
        view = dict(entry, **_session_labels(entry))
        view["time"] = f"{start:%H:%M}–{end:%H:%M}" if start and end else ""
        view["sort"] = start.isoformat() if start else ""
        if not start or not entry.get("room"):
            unscheduled.append(view)
            continue
        day = entry.get("day") or start.date().isoformat()
        days[day][entry["room"]].append(view)
        room_order.setdefault(entry["room"], (entry.get("room_position") or 0, entry["room"]))
    result = []
    for day in sorted(days):
        rooms = [{"name": room, "sessions": sorted(days[day][room], key=lambda s: (s["sort"], s["title"]))}
                 for room in sorted(days[day], key=lambda name: room_order[name])]
        label = datetime.fromisoformat(day).strftime("%A %d %B %Y")
        result.append({"date": day, "label": label, "rooms": rooms,
                       "count": sum(len(room["sessions"]) for room in rooms)})
    if unscheduled:
        result.append({"date": "", "label": _("Not yet scheduled"), "count": len(unscheduled),
                       "rooms": [{"name": "—", "sessions": sorted(unscheduled, key=lambda s: s["title"])}]})
    return result


def _session_labels(entry: dict) -> dict:
    fmt = SESSION_FORMATS_BY_CODE.get(entry.get("format") or "")
    try:
        track = TRACK_LABELS[Track(entry.get("track") or "forum")]
    except ValueError:
        track = entry.get("track")
    people = entry.get("people") or []

    def named(role):
        return [person for person in people if person.get("role") == role]

    return {
        "format_label": str(fmt.label) if fmt else (entry.get("format") or ""),
        "track_label": str(track),
        "action_line_labels": [action_line_label(code) for code in entry.get("action_lines") or []],
        "sdg_labels": [f"{number} {SDGS[number]}" for number in entry.get("sdgs") or [] if number in SDGS],
        "organizers": named(PersonRole.ORGANIZER.value),
        "moderators": named(PersonRole.MODERATOR.value),
        "speakers": named(PersonRole.SPEAKER.value),
    }


def action_line_label(code: str) -> str:
    """'C7 E-learning' for a code, or the code itself when unknown."""
    line = ACTION_LINES_BY_CODE.get(code)
    return str(line.label) if line else code


def top_action_line(code: str) -> str:
    """The main action line of a code: C7 for its sub-lines."""
    line = ACTION_LINES_BY_CODE.get(code)
    return line.parent if line and line.parent else code


def load_submissions(consultation_id: int) -> list[Proposal]:
    """Every submitted or withdrawn proposal with its tags, in reference order."""
    return list(db.session.execute(
        sa.select(Proposal)
        .where(Proposal.consultation_id == consultation_id, Proposal.status != ProposalStatus.DRAFT)
        .options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs), selectinload(Proposal.speakers))
        .order_by(Proposal.number, Proposal.id)
    ).scalars())


def submission_outcomes(consultation_id: int, proposals: list[Proposal]) -> dict[int, str]:
    """What became of each proposal, in words: accepted into session X, merged into X, declined with the reason."""
    members = db.session.execute(
        sa.select(ClusterMember.proposal_id, ClusterMember.duplicate_of_id, Cluster.id, Cluster.title)
        .join(Cluster, Cluster.id == ClusterMember.cluster_id).where(Cluster.consultation_id == consultation_id)
    ).all()
    session_by_cluster = dict(db.session.execute(
        sa.select(AgendaSession.cluster_id, AgendaSession.title)
        .where(AgendaSession.consultation_id == consultation_id, AgendaSession.cluster_id.is_not(None))
    ).all())
    reasons = dict(db.session.execute(
        sa.select(DecisionReason.id, DecisionReason.label).where(DecisionReason.consultation_id == consultation_id)
    ).all())
    reference_by_id = {proposal.id: proposal.reference for proposal in proposals}
    member_by_proposal = {row[0]: row for row in members}
    outcomes = {}
    for proposal in proposals:
        member = member_by_proposal.get(proposal.id)
        session_title = session_by_cluster.get(member[2]) if member else None
        if proposal.status is ProposalStatus.WITHDRAWN:
            outcomes[proposal.id] = _("Withdrawn by the submitter")
        elif member and member[1]:
            target = reference_by_id.get(member[1], _("another proposal"))
            outcomes[proposal.id] = (_("Merged into %(target)s (session “%(session)s”)", target=target, session=session_title)
                                     if session_title else _("Merged into %(target)s", target=target))
        elif proposal.decision is Decision.ACCEPTED:
            outcomes[proposal.id] = (_("Accepted into session “%(session)s”", session=session_title) if session_title
                                     else _("Accepted (theme “%(theme)s”)", theme=member[3]) if member else _("Accepted"))
        elif proposal.decision is Decision.MERGE:
            outcomes[proposal.id] = (_("Merged into session “%(session)s”", session=session_title) if session_title
                                     else _("Merged into theme “%(theme)s”", theme=member[3]) if member
                                     else _("To be merged"))
        elif proposal.decision is Decision.DECLINED:
            reason = reasons.get(proposal.decision_reason_id)
            outcomes[proposal.id] = _("Declined: %(reason)s", reason=reason) if reason else _("Declined")
        else:
            outcomes[proposal.id] = str(DECISION_LABELS[Decision.PENDING])
    return outcomes


def annex_group(proposal: Proposal) -> str:
    """Which annex prints a submission, as the OCP outcomes report grouped them."""
    if (proposal.source or ONLINE_SOURCE).strip().lower() != ONLINE_SOURCE:
        return "physical_meetings"
    return proposal.forum_part.value


ANNEX_GROUPS = (
    (ForumPart.THEMES_AND_STRUCTURE.value, _l("Submissions on themes and structure")),
    (ForumPart.ACTION_LINES.value, _l("Submissions on the WSIS action lines")),
    (ForumPart.HIGH_LEVEL_SEGMENT.value, _l("Submissions on the high-level segment")),
    ("physical_meetings", _l("Contributions made at physical meetings")),
)


def submission_record(proposal: Proposal, outcome: str) -> dict:
    """One annex entry: the submission as plain data, its text as sanitised HTML."""
    return {
        "id": proposal.id,
        "reference": proposal.reference,
        "title": proposal.title,
        "kind": str(PROPOSAL_KIND_LABELS[proposal.kind]),
        "organization": proposal.organization,
        "submitter_name": proposal.submitter_name,
        "stakeholder_type": str(STAKEHOLDER_TYPE_LABELS[proposal.stakeholder_type]) if proposal.stakeholder_type else "",
        "country": reference.country_name(proposal.country),
        "source": proposal.source,
        "action_lines": [action_line_label(code) for code in proposal.action_line_codes],
        "sdgs": [f"{number} {SDGS[number]}" for number in proposal.sdg_numbers],
        "summary_html": cached_markdown(proposal.summary),
        "description_html": cached_markdown(proposal.description),
        "format": str(SESSION_FORMATS_BY_CODE[proposal.format_code].label)
        if proposal.format_code in SESSION_FORMATS_BY_CODE else (proposal.format_other or ""),
        "speakers": [{"name": s.name, "organization": s.organization} for s in proposal.speakers],
        "outcome": outcome,
        "group": annex_group(proposal),
    }


@lru_cache(maxsize=20000)
def cached_markdown(text: str):
    """render_markdown, remembered: a rebuild after one change renders the other texts from memory."""
    return render_markdown(text)


def counted(counter: Counter, labels: dict) -> list[tuple[str, int]]:
    """(label, count) pairs in the order of labels, then any unknown keys."""
    pairs = [(str(label), counter.get(key, 0)) for key, label in labels.items()]
    pairs += [(str(key), value) for key, value in counter.items() if key not in labels]
    return pairs


def outcome_statistics(proposals: list[Proposal], sessions: list[dict]) -> dict:
    """Summary figures, breakdowns for the charts, the coverage matrix and acceptance rates."""
    active = [p for p in proposals if p.status is ProposalStatus.SUBMITTED]
    by_type = Counter(p.stakeholder_type for p in active)
    by_region = Counter(p.region for p in active)
    by_kind = Counter(p.kind for p in active)
    by_line = Counter(top_action_line(code) for p in active for code in set(p.action_line_codes))
    to_classify = sum(1 for p in active if p.is_to_classify)
    by_sdg = Counter(number for p in active for number in p.sdg_numbers)
    taken_up = {Decision.ACCEPTED, Decision.MERGE}
    decisions = Counter(p.decision for p in active)

    def rates(key, labels):
        rows = []
        for value, label in labels.items():
            group = [p for p in active if key(p) == value]
            accepted = sum(1 for p in group if p.decision in taken_up)
            rows.append({"label": str(label), "submitted": len(group), "accepted": accepted,
                         "rate": f"{100 * accepted / len(group):.0f} %" if group else "–"})
        return rows

    basis = sessions if sessions else [
        {"action_lines": p.action_line_codes, "sdgs": p.sdg_numbers} for p in active if p.decision in taken_up]
    matrix = {line: {number: 0 for number in SDGS} for line in TOP_ACTION_LINES}
    for entry in basis:
        for line in {top_action_line(code) for code in entry.get("action_lines") or []}:
            for number in entry.get("sdgs") or []:
                if line in matrix and number in matrix[line]:
                    matrix[line][number] += 1
    gaps = sum(1 for line in matrix for number in matrix[line] if matrix[line][number] == 0)
    return {
        "submitted": len(active),
        "withdrawn": sum(1 for p in proposals if p.status is ProposalStatus.WITHDRAWN),
        "organizations": len({p.organization.strip().lower() for p in active if p.organization}),
        "countries": len({p.country for p in active if p.country}),
        "accepted": decisions[Decision.ACCEPTED],
        "merged": decisions[Decision.MERGE],
        "declined": decisions[Decision.DECLINED],
        "pending": decisions[Decision.PENDING],
        "sessions": len(sessions),
        "from_meetings": sum(1 for p in active if annex_group(p) == "physical_meetings"),
        "by_type": counted(by_type, STAKEHOLDER_TYPE_LABELS),
        "by_region": counted(by_region, REGION_LABELS),
        "by_kind": counted(by_kind, PROPOSAL_KIND_LABELS),
        # Imported rows whose labels the committee has not confirmed are counted apart, never under a guess.
        "by_action_line": [(code, by_line.get(code, 0)) for code in TOP_ACTION_LINES] + (
            [(str(_("to classify")), to_classify)] if to_classify else []),
        "to_classify": to_classify,
        "by_sdg": [(str(number), by_sdg.get(number, 0)) for number in SDGS],
        "matrix": [{"line": line, "label": action_line_label(line), "cells": [matrix[line][n] for n in SDGS]}
                   for line in TOP_ACTION_LINES],
        "matrix_basis": _("sessions of the agenda") if sessions else _("accepted submissions"),
        "matrix_gaps": gaps,
        "rates_by_type": rates(lambda p: p.stakeholder_type, STAKEHOLDER_TYPE_LABELS),
        "rates_by_region": rates(lambda p: p.region, REGION_LABELS),
    }


def review_method(consultation_id: int) -> dict:
    """Criteria and weights, and the calibration figures computed from the submitted reviews.

    The calibration is the review area's: each reviewer's totals become z-scores (their own mean and spread),
    averaged per proposal.
    """
    criteria = db.session.execute(
        sa.select(Criterion).where(Criterion.consultation_id == consultation_id, Criterion.is_active.is_(True))
        .order_by(Criterion.position, Criterion.id)
    ).scalars().all()
    reviews = db.session.execute(
        sa.select(Review.reviewer_id, Review.proposal_id, Review.total_score)
        .join(Proposal, Proposal.id == Review.proposal_id)
        .where(Proposal.consultation_id == consultation_id, Review.state == ReviewState.SUBMITTED,
               Review.total_score.is_not(None))
    ).all()
    by_reviewer = defaultdict(list)
    for reviewer_id, _proposal_id, total in reviews:
        by_reviewer[reviewer_id].append(total)
    overall = statistics.fmean(total for _r, _p, total in reviews) if reviews else None
    offsets = [statistics.fmean(totals) - overall for totals in by_reviewer.values()] if overall is not None else []
    calibrated = calibrated_scores(reviews)
    return {
        "criteria": [{"name": c.name, "description": c.description, "weight": f"{c.weight:g}",
                      "scale": f"{c.scale_min}–{c.scale_max}"} for c in criteria],
        "total_weight": f"{sum(c.weight for c in criteria):g}",
        "reviews": len(reviews),
        "reviewers": len(by_reviewer),
        "proposals_reviewed": len(calibrated),
        "mean_score": f"{overall:.2f}" if overall is not None else "–",
        "most_lenient": f"{max(offsets):+.2f}" if offsets else "–",
        "most_severe": f"{min(offsets):+.2f}" if offsets else "–",
    }


def calibrated_scores(reviews: list[tuple[int, int, float]]) -> dict[int, float]:
    """Calibrated z per proposal id, by the review area's method (each reviewer's totals as z-scores, averaged)."""
    return {proposal_id: score.calibrated_z for proposal_id, score in aggregate_scores(reviews).items()}


def themes(consultation_id: int) -> list[dict]:
    """The clusters (themes) with their size, reasons and the session they became."""
    member_counts = dict(db.session.execute(
        sa.select(ClusterMember.cluster_id, sa.func.count()).join(Cluster, Cluster.id == ClusterMember.cluster_id)
        .where(Cluster.consultation_id == consultation_id).group_by(ClusterMember.cluster_id)
    ).all())
    session_by_cluster = dict(db.session.execute(
        sa.select(AgendaSession.cluster_id, AgendaSession.title)
        .where(AgendaSession.consultation_id == consultation_id, AgendaSession.cluster_id.is_not(None))
    ).all())
    clusters = db.session.execute(
        sa.select(Cluster).where(Cluster.consultation_id == consultation_id).order_by(Cluster.title, Cluster.id)
    ).scalars()
    return [{"title": cluster.title, "description_html": render_markdown(cluster.description),
             "reasons": cluster.reasons, "members": member_counts.get(cluster.id, 0),
             "session": session_by_cluster.get(cluster.id)} for cluster in clusters]


def format_innovations(proposals: list[Proposal]) -> dict:
    """Format proposals by format, and the new formats stakeholders suggested in their own words."""
    formats = [p for p in proposals if p.kind is ProposalKind.FORMAT and p.status is ProposalStatus.SUBMITTED]
    counts = Counter(p.format_code or "other" for p in formats)
    labels = {code: str(fmt.label) for code, fmt in SESSION_FORMATS_BY_CODE.items()}
    return {
        "by_format": [(labels.get(code, "Other"), count) for code, count in counts.most_common()],
        "suggested": [{"reference": p.reference, "title": p.title, "format": p.format_other}
                      for p in formats if p.format_other or (p.format_code or "other") not in SESSION_FORMATS_BY_CODE],
        "remote": sum(1 for p in formats if p.has_remote_participation),
        "binding": sum(1 for p in formats if p.is_binding_request),
    }
