"""Reads of the agenda: the week, sessions with what they show, the scheduler's inputs, published versions."""
import threading
from collections import OrderedDict
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from consult.agenda.models import AgendaSession, AgendaVersion, AgendaVersionKind, ForumDay, Room, SessionComment
from consult.agenda.scheduling import DaySpec, Placement, RoomSpec, SessionSpec, find_conflicts
from consult.agenda.versions import read_snapshot
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.reference import Track
from consult.clustering.models import Cluster


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


def day_spec(day: ForumDay, index: int) -> DaySpec:
    return DaySpec(day.id, index, minute_of(day.starts_at), minute_of(day.ends_at), day.granularity_minutes)


def room_spec(room: Room) -> RoomSpec:
    return RoomSpec(room.id, room.capacity, room.has_interpretation, room.name)


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
    )


def schedule_inputs(consultation: Consultation, sessions: list[AgendaSession] | None = None):
    """(session specs, day specs, room specs) of the consultation, for the scheduler and the checker."""
    sessions = list_sessions(consultation) if sessions is None else sessions
    days = [day_spec(day, index) for index, day in enumerate(list_days(consultation))]
    rooms = [room_spec(room) for room in list_rooms(consultation)]
    return [session_spec(consultation, session) for session in sessions], days, rooms


def current_conflicts(consultation: Consultation, sessions: list[AgendaSession] | None = None):
    """The hard conflicts of the agenda as it stands."""
    specs, days, rooms = schedule_inputs(consultation, sessions)
    return find_conflicts(specs, days=days, rooms=rooms)


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
    return db.session.execute(sa.select(AgendaVersion.id).where(
        AgendaVersion.consultation_id == consultation.id, AgendaVersion.kind == AgendaVersionKind.FINAL).limit(1)).first() is not None


def comments_select(session_id: int, *, include_hidden: bool) -> sa.Select:
    """Comments on a session, oldest first, with their authors."""
    query = (sa.select(SessionComment).where(SessionComment.session_id == session_id)
             .options(selectinload(SessionComment.author)).order_by(SessionComment.created_at, SessionComment.id))
    if not include_hidden:
        query = query.where(SessionComment.is_hidden.is_(False))
    return query
