"""E-mails of the agenda: a published version tells the people of sessions it places, moves or drops; draft reminders."""
from datetime import time, timedelta

import sqlalchemy as sa

from consult.agenda.models import PersonRole, SessionPerson
from consult.agenda.notifications import send_draft_reminders
from consult.agenda.queries import to_utc
from consult.agenda.services import publish_agenda
from consult.consultations.models import Phase, PhaseKind
from consult.db import utcnow
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.proposals.models import ProposalStatus
from tests.agenda.factories import make_days, make_room, make_session
from tests.factories import make_consultation, make_proposal, make_user


def messages(category):
    return list(db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.category == category)
                                   .order_by(OutboxMessage.id)).scalars())


def test_publication_tells_the_people_of_placed_moved_and_dropped_sessions(app, commenting, chair):
    day = make_days(commenting, 1)[0]
    room = make_room(commenting, name="Popov Room")
    moved = make_session(commenting, title="Broadband", day=day, room=room, start=time(9))
    moved.people.append(SessionPerson(role=PersonRole.ORGANIZER, position=1, name="Grace Otieno",
                                      person_key="grace@example.org", organization="DIK"))
    dropped = make_session(commenting, title="Skills", day=day, room=room, start=time(11))
    dropped.people.append(SessionPerson(role=PersonRole.SPEAKER, position=1, name="Kim", person_key="kim@example.org"))
    make_session(commenting, title="Nobody to tell", day=day, room=room, start=time(14), people=("No Mail",))
    publish_agenda(commenting, actor=chair)

    first = messages("agenda_publication")
    moved.starts_at = to_utc(commenting, day.day, 15 * 60)
    dropped.day_id = dropped.room_id = dropped.starts_at = None
    db.session.flush()
    publish_agenda(commenting, actor=chair)
    second = messages("agenda_publication")[len(first):]

    assert [(m.recipient, m.subject) for m in first] == [
        ("grace@example.org", "Your session “Broadband” is on the agenda"),
        ("kim@example.org", "Your session “Skills” is on the agenda")]
    assert [(m.recipient, m.subject) for m in second] == [
        ("grace@example.org", "Your session “Broadband” has moved"),
        ("kim@example.org", "Your session “Skills” is no longer on the agenda")]
    zone = commenting.timezone
    assert f"09:00–10:00 ({zone}), Popov Room to " in second[0].body
    assert f"15:00–16:00 ({zone}), Popov Room." in second[0].body
    assert f"http://localhost/agenda/s/{moved.id}" in second[0].body
    assert "http://localhost/agenda/\n" in second[1].body


def _call_closing_in(delta):
    consultation = make_consultation(current=PhaseKind.CALL_OPEN)
    call = db.session.execute(sa.select(Phase).where(Phase.consultation_id == consultation.id,
                                                     Phase.kind == PhaseKind.CALL_OPEN)).scalar_one()
    return consultation, call.closes_at - delta


def test_draft_reminders_go_7_days_and_1_day_before_the_close_once_each(app):
    consultation, six_days_before = _call_closing_in(timedelta(days=6))
    owner, other = make_user(name="Ana Lopez"), make_user(name="Tom Becker")
    draft = make_proposal(consultation, owner, status=ProposalStatus.DRAFT, title="Community networks")
    make_proposal(consultation, other, title="Already submitted")
    db.session.commit()

    at_six = send_draft_reminders(consultation, now=six_days_before)
    again = send_draft_reminders(consultation, now=six_days_before + timedelta(hours=3))
    too_early = send_draft_reminders(consultation, now=six_days_before - timedelta(days=3))
    at_half_day = send_draft_reminders(consultation, now=six_days_before + timedelta(days=5, hours=12))

    assert (at_six, again, too_early, at_half_day) == (1, 0, 0, 1)
    week, day = messages("draft_reminder_7d"), messages("draft_reminder_1d")
    assert [(m.recipient, m.subject) for m in week] == [(owner.email, "7 days left: 1 draft not submitted")]
    assert [(m.recipient, m.subject) for m in day] == [(owner.email, "Tomorrow the call closes: 1 draft not submitted")]
    assert f"- Community networks: http://localhost/proposals/{draft.id}/edit" in week[0].body
    assert f"({consultation.timezone})" in week[0].body


def test_send_reminders_command_is_idempotent(app, runner):
    consultation = make_consultation(current=PhaseKind.CALL_OPEN, now=utcnow() - timedelta(days=4))
    owner = make_user(name="Ana Lopez")
    make_proposal(consultation, owner, status=ProposalStatus.DRAFT)
    db.session.commit()

    first = runner.invoke(args=["send-reminders"])
    second = runner.invoke(args=["send-reminders"])

    assert (first.output, second.output) == ("reminders queued: 1\n", "reminders queued: 0\n")
    assert [m.recipient for m in messages("draft_reminder_7d")] == [owner.email]


def test_reviewer_is_told_of_an_assignment_with_links_and_the_review_deadline(app):
    from consult.accounts.models import Role
    from consult.review.assignment import assign_reviewer

    consultation = make_consultation(current=PhaseKind.REVIEW)
    chair = make_user(role=Role.CHAIR, name="Amina Diallo")
    reviewer = make_user(role=Role.REVIEWER, name="Rev Iewer", organization="Elsewhere")
    proposal = make_proposal(consultation, make_user(name="Ana Lopez"), title="Community networks")
    db.session.commit()

    assign_reviewer(proposal, reviewer, actor=chair)

    [message] = messages("review_assignment")
    assert (message.recipient, message.subject) == (reviewer.email, "1 proposal to review")
    assert f"- {proposal.reference} “Community networks”: http://localhost/review/proposals/{proposal.id}" in message.body
    assert f"({consultation.timezone})" in message.body and "http://localhost/review/queue" in message.body
