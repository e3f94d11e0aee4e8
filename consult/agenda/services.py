"""Writes of the agenda: sessions, the week, scheduling runs, manual moves, publication and comments."""
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import time

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.accounts.permissions import is_chair, is_reviewer
from consult.agenda import queries
from consult.agenda.merge_consents import ensure_consents_settled, published_warnings
from consult.agenda.models import (
    AgendaSession,
    AgendaVersion,
    AgendaVersionKind,
    ForumDay,
    PersonRole,
    Room,
    SessionActionLine,
    SessionPerson,
    SessionSdg,
)
from consult.agenda.notifications import notify_publication
from consult.agenda.queries import build_snapshot
from consult.agenda.scheduling import Conflict, Placement, ScheduleResult, schedule_sessions
from consult.agenda.versions import number_sequences, read_snapshot
from consult.audit.services import record_audit
from consult.clustering.models import Cluster
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import Consultation, PhaseKind
from consult.consultations.services import check_version
from consult.db import utcnow
from consult.errors import DomainError, NotAllowedError
from consult.extensions import db
from consult.i18n import joined
from consult.proposals.models import ProposalKind
from consult.reference import ACTION_LINES_BY_CODE, OTHER_FORMAT, SDGS, SESSION_FORMATS_BY_CODE, Track

DEFAULT_DURATION = 60
DEFAULT_AUDIENCE = 50


class AgendaConflictError(DomainError):
    """The agenda has hard conflicts, so it cannot be published; conflicts lists them."""

    status_code = 409

    def __init__(self, message: str, conflicts: list[Conflict]):
        super().__init__(message)
        self.conflicts = conflicts


def person_key(name: str, email: str | None = None) -> str:
    """The key that identifies one person across sessions: the e-mail, else the name, case- and space-folded."""
    return (email or " ".join(name.split())).casefold()[:254]


# --- gates -----------------------------------------------------------------------------------------------

def ensure_not_frozen(consultation: Consultation) -> None:
    """Refuse any change once a final agenda is published."""
    if queries.is_frozen(consultation):
        raise DomainError(_("The final agenda is published: the agenda is frozen."))


def ensure_can_edit_sessions(consultation: Consultation, actor) -> None:
    """Reviewers and the chair edit sessions while drafting; the chair also during public comment.

    actor None is the system (a command or the demo seeding a finished agenda): only the freeze applies.
    """
    if actor is None:
        ensure_not_frozen(consultation)
        return
    if not is_reviewer(actor):
        raise NotAllowedError(_("Only the committee and the chair edit sessions."))
    ensure_not_frozen(consultation)
    if is_chair(actor):
        ensure_phase_open(consultation, PhaseKind.AGENDA_DRAFTING, PhaseKind.PUBLIC_COMMENT)
    else:
        ensure_phase_open(consultation, PhaseKind.AGENDA_DRAFTING)


def ensure_chair_week(consultation: Consultation, actor) -> None:
    """Days and rooms: the chair, at any phase until the agenda is frozen (the venue is known early)."""
    if not is_chair(actor):
        raise NotAllowedError(_("Only the chair plans the week."))
    ensure_not_frozen(consultation)


def ensure_chair_planning(consultation: Consultation, actor) -> None:
    """The week, the scheduler and moves: the chair, while drafting or during public comment, before the freeze."""
    if not is_chair(actor):
        raise NotAllowedError(_("Only the chair plans the week."))
    ensure_not_frozen(consultation)
    ensure_phase_open(consultation, PhaseKind.AGENDA_DRAFTING, PhaseKind.PUBLIC_COMMENT)


def _touch(session: AgendaSession) -> None:
    # Changing only child rows does not update the session row; touching it bumps its version.
    session.updated_at = utcnow()


# --- sessions --------------------------------------------------------------------------------------------

def create_session_from_cluster(cluster: Cluster, *, actor) -> AgendaSession:
    """A session made from a cluster: speakers, organizers, tags, format and duration from its proposals."""
    consultation = db.session.get(Consultation, cluster.consultation_id)
    ensure_can_edit_sessions(consultation, actor)
    exists = db.session.execute(sa.select(AgendaSession.id).where(AgendaSession.cluster_id == cluster.id)).first()
    if exists is not None:
        raise DomainError(_("This cluster is already a session."), field="cluster_id")
    proposals = [member.proposal for member in cluster.members if member.duplicate_of_id is None]
    if not proposals:
        raise DomainError(_("This cluster has no proposals yet."), field="cluster_id")
    session = create_session_from_proposals(consultation, proposals, actor=actor, title=cluster.title,
                                            description=cluster.description, cluster_id=cluster.id)
    return session


def starting_summary(proposals: list) -> str:
    """A first summary for the committee to rewrite: the first proposal's summary and the titles of the others.

    Not every proposal's paragraphs one after the other: a session of five similar proposals would repeat itself.
    """
    first = next((p for p in proposals if (p.summary or "").strip()), None)
    others = [p.title for p in proposals if p is not first and p.title]
    parts = [first.summary.strip()] if first else []
    if others:
        parts.append(_("Also drawn from: %(titles)s.", titles=joined([f"“{title}”" for title in others])))
    return "\n\n".join(parts)


def create_session_from_proposals(consultation: Consultation, proposals: list, *, actor, title: str,
                                  description: str = "", cluster_id: int | None = None) -> AgendaSession:
    """A session from proposals: submitters organize, speakers speak, tags are their union, format from a format proposal."""
    ensure_can_edit_sessions(consultation, actor)
    format_proposals = [p for p in proposals if p.kind is ProposalKind.FORMAT and p.format_code]
    format_code = next((p.format_code for p in format_proposals if p.format_code in SESSION_FORMATS_BY_CODE),
                       "thematic_workshop")
    session_format = SESSION_FORMATS_BY_CODE[format_code]
    durations = [p.duration_minutes for p in format_proposals if p.duration_minutes]
    audiences = [p.expected_audience for p in format_proposals if p.expected_audience]
    session = AgendaSession(
        consultation_id=consultation.id, cluster_id=cluster_id, title=title[:200],
        description=description or starting_summary(proposals),
        format_code=format_code, track=session_format.track,
        duration_minutes=max(durations) if durations else session_format.default_minutes,
        expected_audience=max(audiences) if audiences else DEFAULT_AUDIENCE,
    )
    people: list[SessionPerson] = []
    keys: set[tuple[PersonRole, str]] = set()

    def add(role: PersonRole, name: str, key: str, **fields):
        if not name or (role, key) in keys:
            return
        keys.add((role, key))
        people.append(SessionPerson(role=role, position=len(people), name=name[:120], person_key=key, **fields))

    for proposal in proposals:
        add(PersonRole.ORGANIZER, proposal.submitter_name or proposal.organization,
            person_key(proposal.submitter_name or proposal.organization, proposal.submitter_email),
            organization=proposal.organization, stakeholder_type=proposal.stakeholder_type, country=proposal.country)
    for proposal in proposals:
        for speaker in proposal.speakers:
            add(PersonRole.SPEAKER, speaker.name, person_key(speaker.name), organization=speaker.organization,
                stakeholder_type=speaker.stakeholder_type, country=speaker.country, gender=speaker.gender,
                is_remote=speaker.is_remote)
    session.people = people
    session.action_lines = [SessionActionLine(code=code) for code in sorted({c for p in proposals for c in p.action_line_codes})]
    session.sdgs = [SessionSdg(sdg=sdg) for sdg in sorted({s for p in proposals for s in p.sdg_numbers})]
    db.session.add(session)
    db.session.flush()
    record_audit("session.create_from_proposals", session, actor=actor, summary=session.title,
                 details={"cluster_id": cluster_id, "proposals": [p.id for p in proposals]})
    return session


def _validated_fields(*, title: str, format_code: str, track: str | Track, duration_minutes: int,
                      expected_audience: int, action_lines, sdgs) -> dict:
    if not (title or "").strip():
        raise DomainError(_("A session needs a title."), field="title")
    if format_code not in SESSION_FORMATS_BY_CODE and format_code != OTHER_FORMAT:
        raise DomainError(_("Choose a format from the list."), field="format_code")
    if not 15 <= int(duration_minutes) <= 480:
        raise DomainError(_("A session lasts between 15 and 480 minutes."), field="duration_minutes")
    if int(expected_audience) < 1:
        raise DomainError(_("The expected audience is at least one person."), field="expected_audience")
    unknown = [code for code in action_lines if code not in ACTION_LINES_BY_CODE]
    if unknown:
        raise DomainError(_("Unknown action line: %(codes)s.", codes=joined(unknown)), field="action_lines")
    if any(int(sdg) not in SDGS for sdg in sdgs):
        raise DomainError(_("Unknown SDG."), field="sdgs")
    return {"title": title.strip()[:200], "format_code": format_code, "track": Track(track),
            "duration_minutes": int(duration_minutes), "expected_audience": int(expected_audience)}


def create_session(consultation: Consultation, *, actor, title: str, description: str = "",
                   format_code: str = "thematic_workshop", track: str | Track = Track.FORUM,
                   duration_minutes: int = DEFAULT_DURATION, expected_audience: int = DEFAULT_AUDIENCE,
                   action_lines=(), sdgs=(), is_plenary: bool = False) -> AgendaSession:
    """A session made from scratch (an opening segment, a prizes ceremony, ...)."""
    ensure_can_edit_sessions(consultation, actor)
    fields = _validated_fields(title=title, format_code=format_code, track=track, duration_minutes=duration_minutes,
                               expected_audience=expected_audience, action_lines=action_lines, sdgs=sdgs)
    session = AgendaSession(consultation_id=consultation.id, description=description or "", is_plenary=bool(is_plenary),
                            **fields)
    session.action_lines = [SessionActionLine(code=code) for code in sorted(set(action_lines))]
    session.sdgs = [SessionSdg(sdg=int(sdg)) for sdg in sorted({int(s) for s in sdgs})]
    db.session.add(session)
    db.session.flush()
    record_audit("session.create", session, actor=actor, summary=session.title)
    return session


def update_session(session: AgendaSession, *, actor, expected_version=None, title: str, description: str,
                   format_code: str, track: str | Track, duration_minutes: int, expected_audience: int,
                   action_lines, sdgs, is_plenary: bool | None = None) -> AgendaSession:
    """Change a session's text, format, track, length, audience and tags after a version check."""
    consultation = db.session.get(Consultation, session.consultation_id)
    ensure_can_edit_sessions(consultation, actor)
    check_version(session, expected_version, actor=actor)
    fields = _validated_fields(title=title, format_code=format_code, track=track, duration_minutes=duration_minutes,
                               expected_audience=expected_audience, action_lines=action_lines, sdgs=sdgs)
    fields["description"] = description or ""
    if is_plenary is not None:
        fields["is_plenary"] = bool(is_plenary)
    changed = {name: str(value) for name, value in fields.items() if getattr(session, name) != value}
    for name, value in fields.items():
        setattr(session, name, value)
    new_lines, new_sdgs = sorted(set(action_lines)), sorted({int(s) for s in sdgs})
    if [tag.code for tag in session.action_lines] != new_lines:
        session.action_lines = [SessionActionLine(code=code) for code in new_lines]
        changed["action_lines"] = ", ".join(new_lines)
    if [tag.sdg for tag in session.sdgs] != new_sdgs:
        session.sdgs = [SessionSdg(sdg=sdg) for sdg in new_sdgs]
        changed["sdgs"] = ", ".join(map(str, new_sdgs))
    _touch(session)
    db.session.flush()
    record_audit("session.update", session, actor=actor, summary=", ".join(sorted(changed)), details=changed)
    return session


def add_session_person(session: AgendaSession, *, actor, expected_version=None, role: str | PersonRole, name: str,
                       organization: str = "", email: str = "", stakeholder_type=None, country: str | None = None,
                       gender: str = "", is_remote: bool = False) -> SessionPerson:
    """Add an organizer, moderator or speaker to a session."""
    consultation = db.session.get(Consultation, session.consultation_id)
    ensure_can_edit_sessions(consultation, actor)
    check_version(session, expected_version, actor=actor)
    if not (name or "").strip():
        raise DomainError(_("A person needs a name."), field="name")
    role = PersonRole(role)
    key = person_key(name, email or None)
    if any(p.person_key == key and p.role is role for p in session.people):
        raise DomainError(_("This person already has this role in the session."), field="name")
    person = SessionPerson(role=role, name=" ".join(name.split())[:120], person_key=key, organization=organization or "",
                           stakeholder_type=stakeholder_type or None, country=(country or None), gender=gender or "",
                           is_remote=bool(is_remote), position=max((p.position for p in session.people), default=-1) + 1)
    session.people.append(person)
    _touch(session)
    db.session.flush()
    record_audit("session.add_person", session, actor=actor, summary=f"{role.value}: {person.name}")
    return person


def remove_session_person(person: SessionPerson, *, actor, expected_version=None) -> None:
    """Remove a person from a session."""
    session = person.session
    consultation = db.session.get(Consultation, session.consultation_id)
    ensure_can_edit_sessions(consultation, actor)
    check_version(session, expected_version, actor=actor)
    session.people.remove(person)
    _touch(session)
    db.session.flush()
    record_audit("session.remove_person", session, actor=actor, summary=f"{person.role.value}: {person.name}")


def set_session_pinned(session: AgendaSession, *, actor, is_pinned: bool, expected_version=None) -> AgendaSession:
    """Pin a placed session (the scheduler leaves it where it is) or unpin it."""
    consultation = db.session.get(Consultation, session.consultation_id)
    ensure_chair_planning(consultation, actor)
    check_version(session, expected_version, actor=actor)
    if is_pinned and session.starts_at is None:
        raise DomainError(_("Only a scheduled session can be pinned."))
    session.is_pinned = bool(is_pinned)
    db.session.flush()
    record_audit("session.pin" if is_pinned else "session.unpin", session, actor=actor, summary=session.title)
    return session


def move_session(session: AgendaSession, *, actor, day: ForumDay | None, room: Room | None,
                 start: time | None, expected_version=None, pin: bool = True) -> list[Conflict]:
    """Place a session by hand (pinned by default) and return every hard conflict of the agenda after the move."""
    consultation = db.session.get(Consultation, session.consultation_id)
    ensure_chair_planning(consultation, actor)
    check_version(session, expected_version, actor=actor)
    before = _placement_text(consultation, session)
    if day is None or room is None or start is None:
        session.day_id = session.room_id = session.starts_at = None
        session.is_pinned = False
    else:
        if day.consultation_id != consultation.id:
            raise DomainError(_("Choose a day of this Forum."), field="day_id")
        if room.consultation_id != consultation.id:
            raise DomainError(_("Choose a room of this Forum."), field="room_id")
        session.day_id, session.room_id = day.id, room.id
        session.starts_at = queries.to_utc(consultation, day.day, start.hour * 60 + start.minute)
        session.is_pinned = pin
    db.session.flush()
    record_audit("session.move", session, actor=actor, summary=session.title,
                 details={"from": before, "to": _placement_text(consultation, session)})
    return queries.current_conflicts(consultation)


def _placement_text(consultation: Consultation, session: AgendaSession) -> str:
    start = queries.local_start(consultation, session)
    if start is None:
        return ""
    return f"{start:%Y-%m-%d %H:%M} room {session.room_id}"


# --- scheduling ------------------------------------------------------------------------------------------

KEEP_CHOICES = ("current", "published", "none")


def reference_placements(consultation: Consultation, keep: str, inputs) -> dict[int, Placement] | None:
    """Where the scheduler should keep sessions: None for their current places, the last published version's, or {}."""
    if keep == "none":
        return {}
    if keep != "published":
        return None
    version, snapshot = queries.latest_snapshot(consultation)
    if version is None:
        return None
    days = {day.day.isoformat(): day.id for day in queries.list_days(consultation)}
    rooms = {room.name: room.id for room in queries.list_rooms(consultation)}
    reference = {}
    for item in snapshot:
        day_id, room_id = days.get(item["day"]), rooms.get(item["room"])
        if day_id is not None and room_id is not None and item["start"]:
            hours, minutes = item["start"].split(":")
            reference[item["id"]] = Placement(day_id, room_id, int(hours) * 60 + int(minutes))
    return reference


def run_scheduler(consultation: Consultation, *, actor, time_limit: float = 20.0, dry_run: bool = False,
                  workers: int = 2, keep: str = "current", solving: Callable[[], AbstractContextManager] = nullcontext,
                  ) -> ScheduleResult:
    """Place the unpinned sessions with the solver, keeping them where they were, and save (unless dry_run).

    keep: "current" keeps the current placement, "published" the last published version's, "none" starts afresh.
    solving() is entered around the solver alone (a queue job shows its progress meanwhile).
    """
    if actor is not None:
        ensure_chair_planning(consultation, actor)
    else:
        ensure_not_frozen(consultation)
    if keep not in KEEP_CHOICES:
        raise DomainError(_("Choose what the scheduler keeps."), field="keep")
    sessions = queries.list_sessions(consultation)
    inputs = queries.schedule_inputs(consultation, sessions)
    reference = reference_placements(consultation, keep, inputs)
    with solving():
        result = schedule_sessions(inputs.sessions, days=inputs.days, rooms=inputs.rooms, plenaries=inputs.plenaries,
                                   reference=reference, time_limit=time_limit, workers=workers)
    if dry_run:
        return result
    days_by_id = {day.id: day for day in queries.list_days(consultation)}
    for session in sessions:
        placement = result.placements.get(session.id)
        if session.is_pinned and session.id not in result.unplaced:
            continue
        if placement is None:
            session.day_id = session.room_id = session.starts_at = None
            session.is_pinned = False
        else:
            starts_at = queries.to_utc(consultation, days_by_id[placement.day_id].day, placement.start_minute)
            if (session.day_id, session.room_id, session.starts_at) != (placement.day_id, placement.room_id, starts_at):
                session.day_id, session.room_id, session.starts_at = placement.day_id, placement.room_id, starts_at
    db.session.flush()
    record_audit("agenda.schedule", consultation, actor=actor, summary=_(
        "%(placed)d placed, %(unplaced)d unplaced, %(moved)d moved", placed=len(result.placements),
        unplaced=len(result.unplaced), moved=len(result.moved)),
        details={"status": result.status, "seconds": round(result.wall_seconds, 2), "keep": keep,
                 "moved": result.moved, "unplaced": {str(k): v for k, v in result.unplaced.items()},
                 "parallel_same_action_line": result.parallel_same_action_line,
                 "high_level_without_interpretation": result.high_level_without_interpretation,
                 "room_too_large": result.room_too_large})
    return result


# --- publication -----------------------------------------------------------------------------------------

def publish_agenda(consultation: Consultation, *, actor, kind: str | AgendaVersionKind = AgendaVersionKind.DRAFT,
                   note: str = "", publish_anyway: bool = False) -> AgendaVersion:
    """Publish the agenda as the next numbered version; refused while hard conflicts exist. FINAL freezes it.

    Sessions naming submitters who declined the merge (or, for FINAL, never answered) need publish_anyway
    (consult/agenda/merge_consents.py).
    """
    if not is_chair(actor):
        raise NotAllowedError(_("Only the chair publishes the agenda."))
    ensure_not_frozen(consultation)
    kind = AgendaVersionKind(kind)
    if kind is AgendaVersionKind.FINAL:
        ensure_phase_open(consultation, PhaseKind.PUBLIC_COMMENT, PhaseKind.FINAL)
    else:
        ensure_phase_open(consultation, PhaseKind.AGENDA_DRAFTING, PhaseKind.PUBLIC_COMMENT)
    sessions = queries.list_sessions(consultation)
    conflicts = queries.current_conflicts(consultation, sessions)
    if conflicts:
        raise AgendaConflictError(ngettext("The agenda has %(num)d conflict; resolve it before publishing.",
                                           "The agenda has %(num)d conflicts; resolve them before publishing.",
                                           len(conflicts)), conflicts)
    snapshot = build_snapshot(consultation, sessions)
    if not snapshot:
        raise DomainError(_("No session is scheduled yet: there is nothing to publish."))
    warnings = published_warnings(sessions, snapshot)
    ensure_consents_settled(warnings, kind=kind, publish_anyway=publish_anyway)
    previous = queries.latest_version(consultation)
    previous_snapshot = read_snapshot(previous.snapshot) if previous else []
    number_sequences(snapshot, previous_snapshot)
    version = AgendaVersion(consultation_id=consultation.id, number=(previous.number + 1) if previous else 1, kind=kind,
                            note=note or "", published_by_id=actor.id, snapshot=snapshot)
    db.session.add(version)
    db.session.flush()
    # Kept on record: which consents the chair published past, vouching that they were given outside the tool.
    overridden = {str(session_id): [f"{consent.proposal.reference}: {consent.state.value}" for consent in item.consents]
                  for session_id, item in warnings.items()}
    record_audit("agenda.publish", version, actor=actor, summary=f"{kind.value} {version.number}",
                 details={"sessions": len(snapshot), **({"unsettled_consents": overridden} if overridden else {})})
    notify_publication(consultation, version, previous_snapshot)
    return version


