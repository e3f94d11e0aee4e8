"""Text people wrote keeps its own direction in any page; localized parts are joined as each language joins them."""
from datetime import time

from consult.agenda.models import PersonRole, SessionComment, SessionPerson
from consult.agenda.services import publish_agenda
from consult.extensions import db
from tests.agenda.factories import make_days, make_room, make_session


def _session_with_comment(consultation, chair, stakeholder):
    consultation.is_blind_review = False
    day = make_days(consultation, 1)[0]
    session = make_session(consultation, title="Open data for all", day=day, room=make_room(consultation), start=time(9),
                           people=("Grace Otieno",), action_lines=("C3", "C7-ESCI"), sdgs=(4, 10),
                           description="Others can adopt it in the coming year.")
    session.people.append(SessionPerson(role=PersonRole.MODERATOR, position=5, name="Grace Otieno",
                                        person_key="grace otieno", organization="Grace Otieno Org"))
    publish_agenda(consultation, actor=chair)
    db.session.add(SessionComment(session_id=session.id, author_id=stakeholder.id,
                                  body="Could this session include youth?"))
    db.session.commit()
    return session


def test_session_page_in_arabic_keeps_english_text_in_its_direction_and_joins_parts_the_arabic_way(
        client, commenting, chair, stakeholder):
    session = _session_with_comment(commenting, chair, stakeholder)

    page = client.get(f"/agenda/s/{session.id}?lang=ar").get_data(as_text=True)

    assert '<h1 dir="auto">Open data for all</h1>' in page
    assert '<p dir="auto">Others can adopt it in the coming year.</p>' in page
    assert '<div class="prose" dir="auto"><p dir="auto">Could this session include youth?</p>' in page
    assert (f'<p class="comment-meta"><strong><bdi>{stakeholder.name}</bdi></strong> '
            f'(<bdi>{stakeholder.organization}</bdi>) · <bdi>') in page
    when = page[page.index('<dd data-testid="when">'):page.index("</dd>", page.index('<dd data-testid="when">'))]
    assert "</time>، " in when and "</time>, " not in when
    action_lines = page[page.index("<dt>خطوط العمل</dt>"):][:400]
    assert " و" in action_lines and "; " not in action_lines and "C7-ESCI" not in action_lines
    assert "; " not in page[page.index('data-testid="people"'):][:300]


def test_session_page_in_chinese_names_sdgs_and_joins_them_with_the_chinese_list_pattern(client, commenting, chair,
                                                                                         stakeholder):
    session = _session_with_comment(commenting, chair, stakeholder)

    page = client.get(f"/agenda/s/{session.id}?lang=zh").get_data(as_text=True)

    assert "可持续发展目标4（" in page and "）和可持续发展目标10（" in page
