"""Reads of the agenda: the week, sessions with what they show, the scheduler's inputs, published versions."""
import threading
from collections import OrderedDict
from datetime import date, datetime, time, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from consult.agenda.conflicts import DaySpec, Placement, PlenarySpec, RoomSpec, SessionSpec, find_conflicts
from consult.agenda.models import (
    AgendaSession,
    AgendaVersion,
    AgendaVersionKind,
    ForumDay,
    PlenarySlot,
    Room,
    SessionComment,
)
from consult.agenda.versions import number_sequences, read_snapshot, session_sort_key, without_people
from consult.clustering.models import Cluster
from consult.consultations.models import Consultation
from consult.consultations.times import format_day
from consult.extensions import db
from consult.proposals.permissions import can_see_identity
from consult.reference import Track


def list_days(consultation: Consultation) -> list[ForumDay]:
    """The Forum days in date order."""
    return list(db.session.execute(
        sa.select(ForumDay).where(ForumDay.consultation_id == consultation.id).order_by(ForumDay.day)).scalars())


def list_rooms(consultation: Consultation) -> list[Room]:
    """The rooms in their display order."""
    return list(db.session.execute(
        sa.select(Room).where(Room.consultation_id == consultation.id).order_by(Room.position, Room.name)).scalars())


def sessions_select(consultation: Consultation) -> sa.Select:
    """Sessions of a consultation with their placement, people and tags loaded eagerly."""
    return (sa.select(AgendaSession)
            .where(AgendaSession.consultation_id == consultation.id)
            .options(selectinload(AgendaSession.people), selectinload(AgendaSession.action_lines),
                     selectinload(AgendaSession.sdgs), selectinload(AgendaSession.day), selectinload(AgendaSession.room))
            .order_by(AgendaSession.starts_at.is_(None), AgendaSession.starts_at, AgendaSession.title, AgendaSession.id))


def list_sessions(consultation: Consultation) -> list[AgendaSession]:
    """Every session of the consultation, placed ones in time order first."""
    return list(db.session.execute(sessions_select(consultation)).scalars())


def session_titles(consultation: Consultation, session_ids) -> dict[int, str]:
    """Session id -> title, for the given sessions of the consultation."""
    rows = db.session.execute(sa.select(AgendaSession.id, AgendaSession.title).where(
        AgendaSession.consultation_id == consultation.id, AgendaSession.id.in_(list(session_ids))))
    return dict(rows.all())


def clusters_without_session(consultation: Consultation) -> list[Cluster]:
    """Clusters not yet turned into a session."""
    taken = sa.select(AgendaSession.cluster_id).where(AgendaSession.cluster_id.is_not(None))
    return list(db.session.execute(
        sa.select(Cluster).where(Cluster.consultation_id == consultation.id, Cluster.id.not_in(taken))
        .order_by(Cluster.title)).scalars())


def local_start(consultation: Consultation, session: AgendaSession) -> datetime | None:
    """The session's start in the Forum's time zone."""
    if session.starts_at is None:
        return None
    return session.starts_at.astimezone(ZoneInfo(consultation.timezone))


def to_utc(consultation: Consultation, day: date, minute: int) -> datetime:
    """A local day and minute since midnight as an aware UTC datetime."""
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ZoneInfo(consultation.timezone))
    return local.astimezone(timezone.utc)


def minute_of(t: time) -> int:
    """Minutes since midnight of a clock time."""
    return t.hour * 60 + t.minute


def list_plenary_slots(consultation: Consultation) -> list[PlenarySlot]:
    """The plenary slots of the week in time order."""
    return list(db.session.execute(
        sa.select(PlenarySlot).join(ForumDay, PlenarySlot.day_id == ForumDay.id)
        .where(PlenarySlot.consultation_id == consultation.id)
        .order_by(ForumDay.day, PlenarySlot.starts_at, PlenarySlot.id)).scalars())


def day_spec(day: ForumDay, index: int) -> DaySpec:
    return DaySpec(day.id, index, minute_of(day.starts_at), minute_of(day.ends_at), day.granularity_minutes)


def room_spec(room: Room) -> RoomSpec:
    return RoomSpec(room.id, room.capacity, room.has_interpretation, room.name, room.is_high_level_track)


def plenary_spec(slot: PlenarySlot) -> PlenarySpec:
    return PlenarySpec(slot.day_id, minute_of(slot.starts_at), minute_of(slot.ends_at), slot.title)


def session_spec(consultation: Consultation, session: AgendaSession) -> SessionSpec:
    """The scheduler's view of a session, with its placement in local minutes."""
    placement = None
    start = local_start(consultation, session)
    if start is not None and session.day_id is not None and session.room_id is not None:
        placement = Placement(session.day_id, session.room_id, start.hour * 60 + start.minute)
    return SessionSpec(
        id=session.id, duration=session.duration_minutes, audience=session.expected_audience,
        is_high_level=session.track is Track.HIGH_LEVEL,
        person_keys=frozenset(person.person_key for person in session.people),
        action_lines=frozenset(tag.code for tag in session.action_lines),
        pinned=session.is_pinned, placement=placement, title=session.title,
        is_plenary=session.is_plenary, is_opening=session.is_opening,
    )


class ScheduleInputs(NamedTuple):
    """What the scheduler and the checker read: session, day and room specs and the plenary slots."""

    sessions: list[SessionSpec]
    days: list[DaySpec]
    rooms: list[RoomSpec]
    plenaries: list[PlenarySpec]

    def conflicts(self):
        """The hard conflicts of the sessions as placed."""
        return find_conflicts(self.sessions, days=self.days, rooms=self.rooms, plenaries=self.plenaries)


def schedule_inputs(consultation: Consultation, sessions: list[AgendaSession] | None = None) -> ScheduleInputs:
    """The scheduler's and the checker's inputs for the consultation."""
    sessions = list_sessions(consultation) if sessions is None else sessions
    days = [day_spec(day, index) for index, day in enumerate(list_days(consultation))]
    rooms = [room_spec(room) for room in list_rooms(consultation)]
    plenaries = [plenary_spec(slot) for slot in list_plenary_slots(consultation)]
    return ScheduleInputs([session_spec(consultation, session) for session in sessions], days, rooms, plenaries)


def current_conflicts(consultation: Consultation, sessions: list[AgendaSession] | None = None):
    """The hard conflicts of the agenda as it stands."""
    return schedule_inputs(consultation, sessions).conflicts()


def latest_version(consultation: Consultation, *, with_snapshot: bool = True) -> AgendaVersion | None:
    """The newest published version, or None."""
    query = (sa.select(AgendaVersion).where(AgendaVersion.consultation_id == consultation.id)
             .order_by(AgendaVersion.number.desc()).limit(1))
    if not with_snapshot:
        query = query.options(sa.orm.defer(AgendaVersion.snapshot))
    return db.session.execute(query).scalar_one_or_none()


# Published versions never change, so their parsed snapshots can be kept in memory by version: a worker
# never serves a stale one. The key carries the database and publication time so that ids reused by
# another database (or a test that emptied the tables) do not collide.
_SNAPSHOT_CACHE: "OrderedDict[tuple, list[dict]]" = OrderedDict()
_SNAPSHOT_CACHE_SIZE = 8
_snapshot_lock = threading.Lock()


def visible_snapshot(consultation: Consultation, viewer) -> tuple[AgendaVersion | None, list[dict]]:
    """The newest published version and its sessions as viewer may see them (people left out in blind review)."""
    version, snapshot = latest_snapshot(consultation)
    return version, snapshot if can_see_identity(viewer, consultation) else without_people(snapshot)


def latest_snapshot(consultation: Consultation) -> tuple[AgendaVersion | None, list[dict]]:
    """The newest published version (without its snapshot column) and its sessions, cached by version."""
    version = latest_version(consultation, with_snapshot=False)
    if version is None:
        return None, []
    key = (str(db.engine.url), version.id, version.published_at.isoformat())
    with _snapshot_lock:
        snapshot = _SNAPSHOT_CACHE.get(key)
        if snapshot is not None:
            _SNAPSHOT_CACHE.move_to_end(key)
            return version, snapshot
    snapshot = read_snapshot(
        db.session.execute(sa.select(AgendaVersion.snapshot).where(AgendaVersion.id == version.id)).scalar_one())
    with _snapshot_lock:
        _SNAPSHOT_CACHE[key] = snapshot
        while len(_SNAPSHOT_CACHE) > _SNAPSHOT_CACHE_SIZE:
            _SNAPSHOT_CACHE.popitem(last=False)
    return version, snapshot


def get_version(consultation: Consultation, number: int) -> AgendaVersion | None:
    """A published version by its number."""
    return db.session.execute(sa.select(AgendaVersion).where(
        AgendaVersion.consultation_id == consultation.id, AgendaVersion.number == number)).scalar_one_or_none()


def list_versions(consultation: Consultation) -> list[AgendaVersion]:
    """Every published version, newest first, without their snapshots."""
    return list(db.session.execute(
        sa.select(AgendaVersion).where(AgendaVersion.consultation_id == consultation.id)
        .options(sa.orm.defer(AgendaVersion.snapshot)).order_by(AgendaVersion.number.desc())).scalars())


def is_frozen(consultation: Consultation) -> bool:
    """Whether a final version has been published, which freezes the agenda."""
    final = sa.select(AgendaVersion.id).where(
        AgendaVersion.consultation_id == consultation.id, AgendaVersion.kind == AgendaVersionKind.FINAL).limit(1)
    return db.session.execute(final).first() is not None


COMMENT_STATES = ("new", "answered", "hidden")


def moderation_select(consultation: Consultation, state: str) -> sa.Select:
    """Comments of the consultation in one state of the moderation queue, oldest first, with author and session.

    new: visible and not answered; answered: visible with a reply; hidden: hidden from the public.
    """
    query = (sa.select(SessionComment).join(AgendaSession, SessionComment.session_id == AgendaSession.id)
             .where(AgendaSession.consultation_id == consultation.id)
             .options(selectinload(SessionComment.author), selectinload(SessionComment.session))
             .order_by(SessionComment.created_at, SessionComment.id))
    if state == "hidden":
        return query.where(SessionComment.is_hidden.is_(True))
    query = query.where(SessionComment.is_hidden.is_(False))
    return query.where(SessionComment.reply != "") if state == "answered" else query.where(SessionComment.reply == "")


def count_comments_by_state(consultation: Consultation) -> dict[str, int]:
    """How many comments each state of the moderation queue holds."""
    return {state: db.session.execute(sa.select(sa.func.count()).select_from(
        moderation_select(consultation, state).order_by(None).subquery())).scalar_one() for state in COMMENT_STATES}


def comments_select(session_id: int, *, include_hidden: bool) -> sa.Select:
    """Comments on a session, oldest first, with their authors."""
    query = (sa.select(SessionComment).where(SessionComment.session_id == session_id)
             .options(selectinload(SessionComment.author)).order_by(SessionComment.created_at, SessionComment.id))
    if not include_hidden:
        query = query.where(SessionComment.is_hidden.is_(False))
    return query


def build_snapshot(consultation: Consultation, sessions: list[AgendaSession] | None = None) -> list[dict]:
    """The scheduled sessions as plain dicts: what the public agenda, its grid, the exports and the diff read."""
    sessions = list_sessions(consultation) if sessions is None else sessions
    # Looked up by id: a placement changed in this transaction leaves the relationship attributes stale.
    days = {day.id: day for day in list_days(consultation)}
    rooms = {room.id: room for room in list_rooms(consultation)}
    snapshot = []
    for session in sessions:
        start = local_start(consultation, session)
        day, room = days.get(session.day_id), rooms.get(session.room_id)
        if start is None or room is None or day is None:
            continue
        end = start + timedelta(minutes=session.duration_minutes)
        snapshot.append({
            "id": session.id, "title": session.title, "description": session.description,
            "format": session.format_code, "track": session.track.value,
            "day": day.day.isoformat(), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}",
            "starts_at": session.starts_at.isoformat(), "duration": session.duration_minutes,
            "room": room.name, "room_position": room.position, "has_interpretation": room.has_interpretation,
            "is_plenary": session.is_plenary or session.is_opening, "updated_at": session.updated_at.isoformat(),
            "action_lines": [tag.code for tag in session.action_lines], "sdgs": [tag.sdg for tag in session.sdgs],
            "people": [{"role": p.role.value, "name": p.name, "organization": p.organization, "country": p.country or "",
                        "is_remote": p.is_remote} for p in session.people],
        })
    snapshot.sort(key=session_sort_key)
    return snapshot


def working_snapshot(consultation: Consultation) -> list[dict]:
    """The working sessions in the shape of a published version, each with the SEQUENCE publishing would give it."""
    snapshot = build_snapshot(consultation)
    number_sequences(snapshot, latest_snapshot(consultation)[1])
    return snapshot


def days_outside_forum_week(consultation: Consultation) -> list[str]:
    """A warning when agenda days fall outside the consultation's Forum dates (registered as a forum date check)."""
    outside = [day.day for day in list_days(consultation)
               if not consultation.forum_start <= day.day <= consultation.forum_end]
    if not outside:
        return []
    return [ngettext("%(num)d day of the agenda falls outside the Forum dates: %(days)s. Its sessions stay on it until "
                     "you move them; remove or change the day on the Forum week page.",
                     "%(num)d days of the agenda fall outside the Forum dates: %(days)s. Their sessions stay on them "
                     "until you move them; remove or change the days on the Forum week page.", len(outside),
                     days=", ".join(format_day(day, "long") for day in outside))]
