"""Every e-mail is written in its recipient's language: the language saved on their account (the site's default for
an address without one), whatever the language of the page that caused it; dates in that language and the
consultation's time zone."""
import ast
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, get_locale

from consult.accounts.language import language_of, languages_of, writing_to
from consult.accounts.models import Role
from consult.agenda.models import PersonRole, SessionPerson
from consult.agenda.notifications import send_draft_reminders
from consult.agenda.services import publish_agenda
from consult.consultations.models import Phase, PhaseKind
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.proposals.models import ProposalStatus
from tests.agenda.factories import make_days, make_room, make_session
from tests.factories import make_consultation, make_proposal, make_user

CLOSES = datetime(2026, 12, 11, 16, 30, tzinfo=UTC)  # a Friday; 17:30 in Geneva (CET, Europe/Zurich)


def messages(category):
    return list(db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.category == category)
                                   .order_by(OutboxMessage.id)).scalars())


def _consultation_whose_call_closes(closes_at):
    consultation = make_consultation(current=PhaseKind.CALL_OPEN)
    consultation.timezone = "Europe/Zurich"
    call = db.session.execute(sa.select(Phase).where(Phase.consultation_id == consultation.id,
                                                     Phase.kind == PhaseKind.CALL_OPEN)).scalar_one()
    call.opens_at, call.closes_at = closes_at - timedelta(days=30), closes_at
    db.session.flush()
    return consultation


REMINDERS = {
    "ar": ("الأيام المتبقية: 7؛ مسودتان لم تُقدَّما بعد",
           "يُغلق باب تقديم المقترحات في WSIS Forum Test Consultation يوم الجمعة، 11 ديسمبر 2026 الساعة 17:30 "
           "(Europe/Zurich)."),
    "zh": ("还剩7天：2份草稿尚未提交",
           "WSIS Forum Test Consultation的提案征集将于2026年12月11日星期五 17:30（Europe/Zurich）截止。"),
    "ru": ("Осталось дней: 7; 2 черновика еще не представлены",
           "Срок приема предложений в рамках консультаций «WSIS Forum Test Consultation»: пятница, "
           "11 декабря 2026\u202fг., 17:30 (Europe/Zurich)."),
}


@pytest.mark.parametrize("code", sorted(REMINDERS))
def test_draft_reminder_is_written_in_the_recipients_language(app, code):
    consultation = _consultation_whose_call_closes(CLOSES)
    person = make_user(name="Layla Haddad")
    person.locale = code
    for title in ("Community networks", "Digital skills"):
        make_proposal(consultation, person, status=ProposalStatus.DRAFT, title=title)
    db.session.commit()

    # The job runs while a French page is being served: the e-mail is not French for that.
    with force_locale("fr"):
        send_draft_reminders(consultation, now=CLOSES - timedelta(days=6))
        page_language = str(get_locale())

    [message] = messages("draft_reminder_7d")
    subject, first_line = REMINDERS[code]
    assert (message.locale, message.subject, message.body.split("\n")[0]) == (code, subject, first_line)
    assert page_language == "fr"


def test_review_assignment_in_russian_has_the_deadline_in_russian_and_the_forum_time_zone(app):
    from consult.review.assignment import assign_reviewer

    consultation = make_consultation(current=PhaseKind.REVIEW)
    consultation.timezone = "Europe/Zurich"
    review = consultation.phase(PhaseKind.REVIEW)
    review.closes_at = datetime(2027, 1, 15, 11, 0, tzinfo=UTC)
    chair = make_user(role=Role.CHAIR, name="Amina Diallo")
    reviewer = make_user(role=Role.REVIEWER, name="Ivan Petrov")
    reviewer.locale = "ru"
    proposal = make_proposal(consultation, make_user(name="Ana Lopez"), title="Community networks")
    db.session.commit()

    with force_locale("en"):
        assign_reviewer(proposal, reviewer, actor=chair)

    [message] = messages("review_assignment")
    assert (message.locale, message.subject) == ("ru", "1 предложение для рецензирования")
    assert message.body.startswith("Уважаемый(-ая) Ivan Petrov!\n\n")
    assert "15 янв. 2027\u202fг., 12:00 CET (Europe/Zurich)" in message.body


def test_publication_writes_to_each_person_in_their_own_language(app):
    commenting = make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    chair = make_user(role=Role.CHAIR)
    arabic = make_user(name="Layla Haddad", email="layla@example.org")
    arabic.locale = "ar"
    chinese = make_user(name="Li Wei", email="li.wei@example.org")
    chinese.locale = "zh"
    day = make_days(commenting, 1)[0]
    session = make_session(commenting, title="Broadband", day=day, room=make_room(commenting, name="Popov Room"),
                           start=time(9))
    for position, (name, key) in enumerate([("Layla Haddad", "Layla@Example.org"), ("Li Wei", "li.wei@example.org"),
                                            ("Guest", "guest@example.net")], start=1):
        session.people.append(SessionPerson(role=PersonRole.SPEAKER, position=position, name=name, person_key=key))
    db.session.flush()

    publish_agenda(commenting, actor=chair)

    sent = {m.recipient: (m.locale, m.subject) for m in messages("agenda_publication")}
    assert sent == {
        "Layla@Example.org": ("ar", "أُدرجت جلستكم “Broadband” في جدول الأعمال"),
        "li.wei@example.org": ("zh", "您的会议“Broadband”已列入议程"),
        "guest@example.net": ("en", "Your session “Broadband” is on the agenda"),
    }


def test_language_of_an_address_without_account_or_choice_is_the_sites_default(app):
    chosen = make_user(email="chosen@example.org")
    chosen.locale = "es"
    unset = make_user(email="unset@example.org")
    db.session.flush()

    assert languages_of(["Chosen@example.org", "unset@example.org", "nobody@example.org"]) == {
        "chosen@example.org": "es", "unset@example.org": "en", "nobody@example.org": "en"}
    assert (language_of(chosen), language_of(unset), language_of(None)) == ("es", "en", "en")


def test_a_language_no_longer_offered_falls_back_to_the_default(app):
    person = make_user()
    person.locale = "de"

    with writing_to(person) as code:
        assert (code, str(get_locale())) == ("en", "en")


def _is_language_block(node: ast.With) -> bool:
    return any(isinstance(item.context_expr, ast.Call)
               and getattr(item.context_expr.func, "id", None) in {"writing_to", "composing_in"}
               for item in node.items)


def _calls_outside_language_blocks(tree: ast.AST) -> list[int]:
    """Line numbers of queue_email calls not inside a `with writing_to(...)` or `with composing_in(...)` block."""
    found = []

    def visit(node, inside):
        inside = inside or (isinstance(node, ast.With) and _is_language_block(node))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "queue_email" and not inside:
            found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(tree, False)
    return found


def test_every_email_is_composed_in_its_recipients_language():
    """A new e-mail must be written inside `writing_to(recipient)` (consult/accounts/language.py), or it reaches an
    Arabic-speaking stakeholder in whatever language the person who caused it was reading."""
    root = Path(__file__).resolve().parents[2] / "consult"
    outside = {str(path.relative_to(root.parent)): lines for path in sorted(root.rglob("*.py"))
               if path.parent.name != "outbox"
               and (lines := _calls_outside_language_blocks(ast.parse(path.read_text(encoding="utf-8"))))}

    assert outside == {}



def test_the_chair_reads_a_message_in_its_language_and_direction(client, login, chair):
    from consult.outbox.language import composing_in
    from consult.outbox.services import queue_email

    with composing_in("ar"):
        message = queue_email("layla@example.org", "تأكيد عنوان بريدك الإلكتروني", "نص الرسالة")
    db.session.commit()
    login(chair)

    page = client.get(f"/outbox/{message.id}").get_data(as_text=True)

    assert '<h1 lang="ar" dir="rtl">تأكيد عنوان بريدك الإلكتروني</h1>' in page
    assert '<dd data-testid="message-language" lang="ar">العربية</dd>' in page
    assert '<pre class="mail-body" lang="ar" dir="rtl">نص الرسالة</pre>' in page
