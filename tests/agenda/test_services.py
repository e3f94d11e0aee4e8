"""Agenda services without HTTP: sessions from clusters, phase gates, scheduling runs, publication and freeze."""
from datetime import datetime, time, timezone

import pytest
import sqlalchemy as sa

from consult.agenda import comments, services, week
from consult.agenda.models import AgendaSession, AgendaVersionKind, PersonRole
from consult.agenda.queries import current_conflicts, local_start, to_utc
from consult.audit.models import AuditEntry
from consult.consultations.models import PhaseKind
from consult.errors import DomainError, NotAllowedError, PhaseClosedError
from consult.extensions import db
from consult.proposals.models import ProposalKind
from consult.reference import Track
from tests.agenda.factories import make_cluster, make_days, make_room, make_session
from tests.factories import make_consultation, make_proposal, make_user


def test_create_session_from_cluster_merges_people_tags_and_format(drafting, reviewer, stakeholder):
    other = make_user(name="Tomás Ruiz", organization="Red Digital", country="AR")
    thematic = make_proposal(drafting, stakeholder, action_lines=("C4",), sdgs=(4,), summary="Skills first.")
    workshop = make_proposal(drafting, other, kind=ProposalKind.FORMAT, action_lines=("C7-ELEARN", "C4"), sdgs=(4, 10),
                             speakers=2, format_code="interactive_session", duration_minutes=90, expected_audience=120)
    cluster = make_cluster(drafting, [thematic, workshop], title="Digital skills", description="")

    session = services.create_session_from_cluster(cluster, actor=reviewer)

    assert (session.title, session.format_code, session.track, session.duration_minutes, session.expected_audience) == (
        "Digital skills", "interactive_session", Track.FORUM, 90, 120)
    assert [(p.role, p.name, p.organization) for p in session.people] == [
        (PersonRole.ORGANIZER, "Grace Otieno", "Digital Inclusion Kenya"),
        (PersonRole.ORGANIZER, "Tomás Ruiz", "Red Digital"),
        (PersonRole.SPEAKER, workshop.speakers[0].name, "Speaker org 0"),
        (PersonRole.SPEAKER, workshop.speakers[1].name, "Speaker org 1"),
    ]
    assert session.people[0].person_key == stakeholder.email
    assert [t.code for t in session.action_lines] == ["C4", "C7-ELEARN"]
    assert [t.sdg for t in session.sdgs] == [4, 10]
    assert session.description == f"Skills first.\n\nAlso drawn from: “{workshop.title}”."
    with pytest.raises(DomainError, match="already a session"):
        services.create_session_from_cluster(cluster, actor=reviewer)


def test_create_session_from_cluster_without_format_uses_defaults(drafting, reviewer):
    cluster = make_cluster(drafting, [make_proposal(drafting, sdgs=())], title="Ideas")

    session = services.create_session_from_cluster(cluster, actor=reviewer)

    assert (session.format_code, session.duration_minutes, session.expected_audience) == ("thematic_workshop", 60, 50)


@pytest.mark.parametrize("phase, role, allowed", [
    (PhaseKind.REVIEW, "chair", False),
    (PhaseKind.AGENDA_DRAFTING, "reviewer", True),
    (PhaseKind.AGENDA_DRAFTING, "chair", True),
    (PhaseKind.PUBLIC_COMMENT, "reviewer", False),
    (PhaseKind.PUBLIC_COMMENT, "chair", True),
    (PhaseKind.FINAL, "chair", False),
])
def test_session_edit_phase_gates(app, reviewer, chair, phase, role, allowed):
    consultation = make_consultation(current=phase)
    session = make_session(consultation, title="Before")
    actor = {"reviewer": reviewer, "chair": chair}[role]
    fields = dict(title="After", description="", format_code="thematic_workshop", track="forum", duration_minutes=60,
                  expected_audience=30, action_lines=["C4"], sdgs=[])

    if allowed:
        services.update_session(session, actor=actor, expected_version=session.version_id, **fields)
        assert session.title == "After"
    else:
        with pytest.raises(PhaseClosedError):
            services.update_session(session, actor=actor, **fields)


def test_stakeholder_cannot_create_session(drafting, stakeholder):
    with pytest.raises(NotAllowedError):
        services.create_session(drafting, actor=stakeholder, title="Mine")


def test_update_session_rejects_unknown_action_line(drafting, reviewer):
    session = make_session(drafting)

    with pytest.raises(DomainError) as raised:
        services.update_session(session, actor=reviewer, title="T", description="", format_code="thematic_workshop",
                                track="forum", duration_minutes=60, expected_audience=10, action_lines=["C99"], sdgs=[])

    assert (raised.value.field, raised.value.message) == ("action_lines", "Unknown action line: C99.")


def test_to_utc_and_local_start_follow_summer_time(app):
    consultation = make_consultation()
    starts_at = to_utc(consultation, datetime(2026, 7, 1).date(), 9 * 60)
    session = AgendaSession(starts_at=starts_at)

    assert starts_at == datetime(2026, 7, 1, 7, 0, tzinfo=timezone.utc)
    assert to_utc(consultation, datetime(2026, 1, 5).date(), 9 * 60) == datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
    assert local_start(consultation, session).strftime("%H:%M") == "09:00"


def test_run_scheduler_keeps_pinned_and_places_others(drafting, chair):
    day = make_days(drafting, 1)[0]
    room = make_room(drafting, capacity=100)
    pinned = make_session(drafting, title="Pinned", people=("ana",), day=day, room=room, start=time(9), pinned=True)
    others = [make_session(drafting, title=f"S{i}", people=("ana",)) for i in range(3)]
    too_big = make_session(drafting, title="Huge", audience=500)

    result = services.run_scheduler(drafting, actor=chair, time_limit=3)

    assert result.unplaced == {too_big.id: "no_room_large_enough"}
    assert local_start(drafting, pinned).strftime("%H:%M") == "09:00"
    assert all(session.starts_at is not None for session in others)
    assert current_conflicts(drafting) == []
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "agenda.schedule")).scalar_one()
    assert entry.details["unplaced"] == {str(too_big.id): "no_room_large_enough"}


def test_publish_numbers_versions_and_final_freezes(app, chair, reviewer):
    consultation = make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    day = make_days(consultation, 1)[0]
    room = make_room(consultation)
    session = make_session(consultation, title="Opening", day=day, room=room, start=time(9))

    first = services.publish_agenda(consultation, actor=chair)
    services.move_session(session, actor=chair, day=day, room=room, start=time(10))
    second = services.publish_agenda(consultation, actor=chair, kind=AgendaVersionKind.FINAL)

    assert (first.number, first.kind, second.number, second.kind) == (1, AgendaVersionKind.DRAFT, 2, AgendaVersionKind.FINAL)
    assert (first.snapshot[0]["start"], second.snapshot[0]["start"]) == ("09:00", "10:00")
    with pytest.raises(DomainError, match="frozen"):
        services.publish_agenda(consultation, actor=chair)
    with pytest.raises(DomainError, match="frozen"):
        services.move_session(session, actor=chair, day=day, room=room, start=time(11))
    with pytest.raises(DomainError, match="frozen"):
        week.create_room(consultation, actor=chair, name="Late room", capacity=10)


def test_publish_by_reviewer_is_refused(drafting, reviewer):
    with pytest.raises(NotAllowedError):
        services.publish_agenda(drafting, actor=reviewer)


def test_publish_without_scheduled_sessions_is_refused(drafting, chair):
    make_session(drafting)

    with pytest.raises(DomainError, match="nothing to publish"):
        services.publish_agenda(drafting, actor=chair)


def test_comment_on_session_not_in_published_draft_is_refused(commenting, chair, stakeholder):
    day = make_days(commenting, 1)[0]
    room = make_room(commenting)
    make_session(commenting, day=day, room=room, start=time(9))
    services.publish_agenda(commenting, actor=chair)
    later = make_session(commenting, title="Added after publication")

    with pytest.raises(DomainError, match="published draft"):
        comments.add_comment(later, author=stakeholder, body="Hello")


def test_hide_comment_needs_a_reason(commenting, chair, stakeholder):
    day = make_days(commenting, 1)[0]
    session = make_session(commenting, day=day, room=make_room(commenting), start=time(9))
    services.publish_agenda(commenting, actor=chair)
    comment = comments.add_comment(session, author=stakeholder, body="Fine")

    with pytest.raises(DomainError) as raised:
        comments.hide_comment(comment, actor=chair, reason="  ")

    assert raised.value.field == "reason"
    assert comment.is_hidden is False


def test_person_key_folds_case_and_spaces():
    assert services.person_key("  Ana   LOPEZ ") == "ana lopez"
    assert services.person_key("Ana", "Ana@Example.org") == "ana@example.org"


def test_rooms_are_numbered_from_1(drafting, chair):
    first = week.create_room(drafting, actor=chair, name="Room A", capacity=40)
    second = week.create_room(drafting, actor=chair, name="Room B", capacity=40)

    assert (first.position, second.position) == (1, 2)
