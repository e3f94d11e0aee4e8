"""Demo data of the agenda area: the venue, the Forum week, sessions, a schedule, published versions, comments.

What is seeded follows the demo's phase: rooms and days always; sessions and a schedule from agenda drafting on;
two published draft versions and comments during public comment; a final version in the final phase.
"""
from collections import defaultdict
from dataclasses import replace
from datetime import time

import sqlalchemy as sa

from consult.agenda import comments as agenda_comments
from consult.agenda import services, week
from consult.agenda.models import AgendaVersionKind
from consult.agenda.queries import list_days, list_rooms, list_sessions, schedule_inputs
from consult.agenda.scheduling import Placement
from consult.clustering.models import Cluster
from consult.consultations.models import PhaseKind
from consult.demo.foundation import Demo
from consult.extensions import db
from consult.proposals.models import Decision, Proposal, ProposalStatus
from consult.reference import ACTION_LINES, ACTION_LINES_BY_CODE

# Rooms of the ITU and CICG venues the Forum uses: name, seats, interpretation, the High-Level Track's room.
DEMO_ROOMS = (
    ("CICG Room 1", 800, True, True),
    ("CICG Room 2", 350, True, False),
    ("Popov Room", 300, True, False),
    ("Room K2", 120, True, False),
    ("CICG Room 3", 150, False, False),
    ("CICG Room 4", 100, False, False),
    ("Room A", 80, False, False),
    ("Room H", 60, False, False),
)
# The WSIS Prizes ceremony has the second day's early afternoon to itself: a plenary slot, nothing in parallel.
PRIZES_SLOT = (1, time(13, 0), time(14, 30), "WSIS Prizes 2027 ceremony")
PLENARY_FORMATS = ("prizes_ceremony",)

# High-Level Track sessions the secretariat sets up itself: title, format, minutes, audience.
HIGH_LEVEL_SESSIONS = (
    ("Opening segment of the Forum", "opening_segment", 90, 700),
    ("Policy statements: ministers and heads of delegation", "policy_statements", 90, 300),
    ("High-level policy session: bridging the digital divide", "high_level_policy_session", 45, 250),
    ("High-level policy session: cybersecurity and trust", "high_level_policy_session", 45, 250),
    ("Ministerial round table on digital transformation", "ministerial_round_table", 90, 200),
    ("WSIS Prizes 2027 ceremony", "prizes_ceremony", 90, 600),
)

# Forum Track sessions used when the earlier demo steps made neither clusters nor proposals.
FALLBACK_SESSIONS = (
    ("Community networks for rural connectivity", ("C2",), ("Ana Lopez", "Kwame Mensah")),
    ("Open data portals that people actually use", ("C3",), ("Lea Fischer", "Ravi Iyer")),
    ("Teaching coding in secondary schools", ("C4", "C7-ELEARN"), ("Mariam Haddad", "Tom Becker")),
    ("Digital skills for older people", ("C4",), ("Mariam Haddad", "Sofia Rossi")),
    ("Protecting children online", ("C5",), ("Jonas Berg", "Aisha Bello")),
    ("National cybersecurity strategies in Africa", ("C5", "C11"), ("Aisha Bello", "Pierre Dubois")),
    ("Spectrum policy for affordable broadband", ("C6", "C2"), ("Kwame Mensah", "Yuki Sato")),
    ("E-government services that work offline", ("C7-EGOV",), ("Ravi Iyer", "Elena Popescu")),
    ("Telemedicine after the pandemic", ("C7-EHEALTH",), ("Sofia Rossi", "Daniel Kim")),
    ("Mobile money for small farmers", ("C7-EAGRI", "C7-EBUS"), ("Grace Wanjiru", "Tom Becker")),
    ("Earth observation for climate adaptation", ("C7-EENV",), ("Yuki Sato", "Lea Fischer")),
    ("Local content in indigenous languages", ("C8",), ("Elena Popescu", "Juan Quispe")),
    ("Public service media in the digital age", ("C9",), ("Pierre Dubois", "Daniel Kim")),
    ("Ethics of artificial intelligence in public services", ("C10",), ("Juan Quispe", "Ana Lopez")),
    ("Regional cooperation on internet exchange points", ("C11", "C2"), ("Jonas Berg", "Grace Wanjiru")),
    ("Gender and ICT careers", ("C4", "C1"), ("Aisha Bello", "Lea Fischer")),
)

DEMO_COMMENTS = (
    "Could this session include a speaker from a small island developing state?",
    "Please make remote participation possible: many of us cannot travel to Geneva.",
    "This overlaps with the session on capacity building the same morning; could one of them move?",
)


def seed_agenda(demo: Demo) -> None:
    """Add the agenda part of the demo, as far as the demo's phase allows."""
    consultation, chair = demo.consultation, demo.chair
    order = list(PhaseKind)
    for name, capacity, interpretation, high_level in DEMO_ROOMS:
        week.create_room(consultation, actor=chair, name=name, capacity=capacity, has_interpretation=interpretation,
                         is_high_level_track=high_level)
    days = week.generate_days(consultation, actor=chair)
    index, starts_at, ends_at, title = PRIZES_SLOT
    if len(days) > index:
        week.create_plenary_slot(consultation, actor=chair, day=days[index], starts_at=starts_at, ends_at=ends_at,
                                 title=title)
    if order.index(demo.phase) < order.index(PhaseKind.AGENDA_DRAFTING):
        return
    # In the final phase the drafting gates are closed: the system (actor None) builds the finished agenda.
    actor = None if demo.phase is PhaseKind.FINAL else chair
    _seed_sessions(demo, actor)
    services.run_scheduler(consultation, actor=actor, time_limit=3)
    # The Opening segment opens the week where the scheduler put it, and stays there whatever is re-run.
    for session in list_sessions(consultation):
        if session.is_opening and session.starts_at is not None and actor is not None:
            services.set_session_pinned(session, actor=actor, is_pinned=True)
    if demo.phase is PhaseKind.PUBLIC_COMMENT:
        _publish_two_drafts_with_comments(demo)
    elif demo.phase is PhaseKind.FINAL:
        # The demo's merge answers include a decline and silences: published past them, as a chair who had the
        # consents by e-mail would, so that the sessions' pages and the audit record show what was published past.
        services.publish_agenda(consultation, actor=chair, kind=AgendaVersionKind.FINAL,
                                note="The final agenda of the Forum week.", publish_anyway=True)


def _seed_sessions(demo: Demo, chair) -> None:
    consultation = demo.consultation
    for title, format_code, minutes, audience in HIGH_LEVEL_SESSIONS:
        services.create_session(consultation, actor=chair, title=title, format_code=format_code, track="high_level",
                                duration_minutes=minutes, expected_audience=audience, action_lines=["C1"], sdgs=[17],
                                description="Part of the High-Level Track, with interpretation in the six UN languages.",
                                is_plenary=format_code in PLENARY_FORMATS)
    clusters = list(db.session.execute(
        sa.select(Cluster).where(Cluster.consultation_id == consultation.id).order_by(Cluster.id)).scalars())
    if clusters:
        for cluster in clusters:
            if cluster.members:
                services.create_session_from_cluster(cluster, actor=chair)
        return
    groups = _proposals_by_first_action_line(consultation.id)
    if groups:
        for code, proposals in groups.items():
            line = ACTION_LINES_BY_CODE.get(code)
            services.create_session_from_proposals(consultation, proposals, actor=chair,
                                                   title=f"Thematic workshop: {line.title if line else code}")
        return
    for title, lines, speakers in FALLBACK_SESSIONS:
        session = services.create_session(consultation, actor=chair, title=title, action_lines=list(lines),
                                          description=f"A thematic workshop on {title.lower()}.", expected_audience=60)
        for name in speakers:
            services.add_session_person(session, actor=chair, role="speaker", name=name, organization="")


def _proposals_by_first_action_line(consultation_id: int) -> dict[str, list[Proposal]]:
    proposals = list(db.session.execute(
        sa.select(Proposal).where(Proposal.consultation_id == consultation_id, Proposal.status == ProposalStatus.SUBMITTED,
                                  Proposal.decision != Decision.DECLINED)
        .order_by(Proposal.id)).scalars())
    accepted = [p for p in proposals if p.decision is Decision.ACCEPTED]
    groups: dict[str, list[Proposal]] = defaultdict(list)
    order = [line.code for line in ACTION_LINES]
    for proposal in accepted or proposals:
        # The first in the Geneva Plan's order, so that the grouping does not depend on how tags were loaded.
        codes = sorted(proposal.action_line_codes, key=lambda code: order.index(code) if code in order else len(order))
        groups[codes[0] if codes else "C1"].append(proposal)
    return dict(groups)


def _publish_two_drafts_with_comments(demo: Demo) -> None:
    consultation, chair = demo.consultation, demo.chair
    services.publish_agenda(consultation, actor=chair, note="First draft agenda, presented for public comment.",
                            publish_anyway=True)
    sessions = [s for s in list_sessions(consultation) if s.starts_at is not None and s.track.value == "forum"]
    days, rooms = list_days(consultation), list_rooms(consultation)
    if len(sessions) >= 2:
        retitled = sessions[0]
        services.update_session(retitled, actor=chair, title=retitled.title + " (with youth speakers)",
                                description=retitled.description, format_code=retitled.format_code,
                                track=retitled.track, duration_minutes=retitled.duration_minutes,
                                expected_audience=retitled.expected_audience,
                                action_lines=[t.code for t in retitled.action_lines], sdgs=[t.sdg for t in retitled.sdgs])
        moved = sessions[1]
        _move_to_free_slot(consultation, chair, moved, days, rooms)
    services.publish_agenda(consultation, actor=chair, note="Second draft: one session retitled, one moved after comments.",
                            publish_anyway=True)
    published = [s for s in list_sessions(consultation) if s.starts_at is not None]
    commenters = [demo.stakeholder] + list(demo.reviewers[:2])
    comments = []
    for session, author, body in zip(published[6:], commenters, DEMO_COMMENTS, strict=False):
        comments.append(agenda_comments.add_comment(session, author=author, body=body))
    off_topic = agenda_comments.add_comment(published[-1], author=demo.stakeholder,
                                            body="Buy cheap followers at my website!")
    agenda_comments.hide_comment(off_topic, actor=chair, reason="Advertising, not a comment on the session.")
    demo.extra["agenda_comments"] = comments + [off_topic]


def _move_to_free_slot(consultation, chair, session, days, rooms) -> None:
    """Move a session to the latest start of the last days that leaves the agenda without conflict."""
    inputs = schedule_inputs(consultation)
    others = [spec for spec in inputs.sessions if spec.id != session.id]
    me = next(spec for spec in inputs.sessions if spec.id == session.id)
    for day in reversed(days):
        for room in sorted(rooms, key=lambda r: r.capacity):
            for hour in (16, 15, 14):
                candidate = replace(me, placement=Placement(day.id, room.id, hour * 60))
                if not inputs._replace(sessions=others + [candidate]).conflicts():
                    services.move_session(session, actor=chair, day=day, room=room, start=time(hour, 0), pin=False)
                    return
