"""Factories of the agenda area: days, rooms, clusters and sessions, added and flushed."""
import itertools
from datetime import time

from consult.agenda.models import AgendaSession, ForumDay, PersonRole, Room, SessionActionLine, SessionPerson, SessionSdg
from consult.agenda.queries import to_utc
from consult.clustering.models import Cluster, ClusterMember
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.reference import Track

_sequence = itertools.count(1)


def make_days(consultation: Consultation, count: int = 2, *, starts_at: time = time(9, 0), ends_at: time = time(18, 0),
              granularity: int = 15) -> list[ForumDay]:
    """The first `count` days of the Forum with the same hours."""
    from datetime import timedelta

    days = [ForumDay(consultation_id=consultation.id, day=consultation.forum_start + timedelta(days=i), starts_at=starts_at,
                     ends_at=ends_at, granularity_minutes=granularity) for i in range(count)]
    db.session.add_all(days)
    db.session.flush()
    return days


def make_room(consultation: Consultation, *, name: str | None = None, capacity: int = 100,
              has_interpretation: bool = False, position: int = 0) -> Room:
    """A room."""
    room = Room(consultation_id=consultation.id, name=name or f"Room {next(_sequence)}", capacity=capacity,
                has_interpretation=has_interpretation, position=position)
    db.session.add(room)
    db.session.flush()
    return room


def make_cluster(consultation: Consultation, proposals=(), *, title: str | None = None, description: str = "") -> Cluster:
    """A cluster of proposals."""
    cluster = Cluster(consultation_id=consultation.id, title=title or f"Cluster {next(_sequence)}", description=description)
    cluster.members = [ClusterMember(proposal_id=proposal.id) for proposal in proposals]
    db.session.add(cluster)
    db.session.flush()
    return cluster


def make_session(consultation: Consultation, *, title: str | None = None, duration: int = 60, audience: int = 30,
                 people: tuple[str, ...] = (), action_lines: tuple[str, ...] = ("C4",), sdgs: tuple[int, ...] = (),
                 track: Track = Track.FORUM, format_code: str = "thematic_workshop", day: ForumDay | None = None,
                 room: Room | None = None, start: time | None = None, pinned: bool = False,
                 description: str = "") -> AgendaSession:
    """A session, placed when day, room and start are given; people are speakers keyed by their names."""
    session = AgendaSession(consultation_id=consultation.id, title=title or f"Session {next(_sequence)}",
                            description=description, format_code=format_code, track=track,
                            duration_minutes=duration, expected_audience=audience, is_pinned=pinned)
    session.people = [SessionPerson(role=PersonRole.SPEAKER, position=i, name=name, person_key=name.casefold(),
                                    organization=f"{name} Org") for i, name in enumerate(people)]
    session.action_lines = [SessionActionLine(code=code) for code in action_lines]
    session.sdgs = [SessionSdg(sdg=sdg) for sdg in sdgs]
    if day is not None and room is not None and start is not None:
        session.day_id, session.room_id = day.id, room.id
        session.starts_at = to_utc(consultation, day.day, start.hour * 60 + start.minute)
    db.session.add(session)
    db.session.flush()
    return session
