"""Blind review decided by one predicate: the proposal pages, the public list, session people, the agenda's JSON,
the reviewer's page and the chair's settings page all follow `can_see_identity`."""
from datetime import time, timedelta

import pytest

from consult.agenda.models import AgendaVersion, AgendaVersionKind
from consult.agenda.services import build_snapshot
from consult.consultations.models import PhaseKind, ReviewVisibility
from consult.consultations.services import create_consultation
from consult.db import utcnow
from consult.extensions import db
from consult.proposals.models import ProposalKind
from consult.proposals.permissions import can_see_identity
from tests import factories
from tests.agenda.factories import make_days, make_room, make_session

SUBMITTER, ORGANIZATION, SPEAKER = "Grace Otieno", "Digital Inclusion Kenya", "Speaker"


@pytest.fixture
def blind_world(app, consultation, stakeholder, reviewer, chair):
    consultation.is_blind_review = True
    consultation.submissions_published = True
    proposal = factories.make_proposal(consultation, stakeholder, kind=ProposalKind.FORMAT, speakers=2,
                                       title="Community networks for rural schools")
    factories.make_assignment(proposal, reviewer)
    db.session.commit()
    return proposal


def _page(client, url) -> str:
    with client.application.app_context():
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_rule_chair_and_own_submitter_see_identity_others_not_while_blind(blind_world, stakeholder, reviewer, chair,
                                                                          other_stakeholder):
    from flask_login import AnonymousUserMixin

    anonymous = AnonymousUserMixin()
    outcomes = {name: can_see_identity(user, blind_world) for name, user in
                (("chair", chair), ("submitter", stakeholder), ("reviewer", reviewer), ("other", other_stakeholder),
                 ("anonymous", anonymous))}
    blind_world.consultation.is_blind_review = False
    open_outcomes = {name: can_see_identity(user, blind_world) for name, user in
                     (("reviewer", reviewer), ("anonymous", anonymous))}

    assert outcomes == {"chair": True, "submitter": True, "reviewer": False, "other": False, "anonymous": False}
    assert open_outcomes == {"reviewer": True, "anonymous": True}


@pytest.fixture
def other_stakeholder(app):
    user = factories.make_user(name="Pierre Martin", organization="Paris Digital Lab", country="FR")
    db.session.commit()
    return user


@pytest.mark.parametrize("url", ["/proposals/", "/proposals/{id}"])
def test_public_pages_hide_the_submitter_while_blind(app, blind_world, url):
    page = _page(app.test_client(), url.format(id=blind_world.id))

    assert "Community networks for rural schools" in page
    assert ORGANIZATION not in page and SUBMITTER not in page and f"{SPEAKER} " not in page


def test_public_list_says_identities_are_hidden_while_blind(app, blind_world):
    page = _page(app.test_client(), "/proposals/")

    assert "Review is blind: who submitted each proposal is not shown." in page
    # The stakeholder type stands as its own fact, not in brackets after the language as if it qualified it.
    assert ('data-testid="proposal-language">English</span> · Civil society · Africa</p>') in page


def test_proposal_page_counts_speakers_instead_of_naming_them_for_a_reviewer(app, blind_world, reviewer, login):
    page = _page(login(reviewer, app.test_client()), f"/proposals/{blind_world.id}")

    assert "2 proposed speakers; names and organizations are hidden while review is blind." in page
    assert ORGANIZATION not in page and "Speaker org" not in page


def test_reviewer_scoring_page_hides_speakers_names(app, blind_world, reviewer, login):
    page = _page(login(reviewer, app.test_client()), f"/review/proposals/{blind_world.id}")

    assert not any(speaker.name in page for speaker in blind_world.speakers)


def test_public_pages_show_the_submitter_outside_blind_review(app, blind_world):
    blind_world.consultation.is_blind_review = False
    db.session.commit()

    page = _page(app.test_client(), f"/proposals/{blind_world.id}")

    assert ORGANIZATION in page and blind_world.speakers[0].name in page


def test_owner_sees_own_identity_while_blind(app, blind_world, stakeholder, login):
    page = _page(login(stakeholder, app.test_client()), f"/proposals/{blind_world.id}")

    assert ORGANIZATION in page and blind_world.speakers[0].name in page


def _published_agenda(consultation, chair):
    day = make_days(consultation, 1)[0]
    room = make_room(consultation, name="Popov Room")
    session = make_session(consultation, title="Networks session", people=("Ada Lovelace",), day=day, room=room,
                           start=time(10, 0))
    db.session.add(AgendaVersion(consultation_id=consultation.id, number=1, kind=AgendaVersionKind.DRAFT,
                                 published_by_id=chair.id, snapshot=build_snapshot(consultation)))
    db.session.commit()
    return session


@pytest.mark.parametrize("url", ["/agenda/published.json", "/agenda/s/{id}", "/agenda/", "/agenda/agenda.ics",
                                 "/agenda/grid", "/agenda/s/{id}.ics", "/agenda/?q=Ada", "/agenda/versions/1"])
def test_published_agenda_leaves_session_people_out_while_blind(app, blind_world, chair, url):
    session = _published_agenda(blind_world.consultation, chair)

    page = _page(app.test_client(), url.format(id=session.id))

    assert "Ada Lovelace" not in page


def test_published_agenda_counts_the_hidden_people(app, blind_world, chair):
    session = _published_agenda(blind_world.consultation, chair)

    page = _page(app.test_client(), f"/agenda/s/{session.id}")

    assert "1 person; names and organizations are hidden while review is blind." in page


def test_chair_sees_session_people_while_blind(app, blind_world, chair, login):
    session = _published_agenda(blind_world.consultation, chair)

    page = _page(login(chair, app.test_client()), f"/agenda/s/{session.id}")

    assert "Ada Lovelace" in page


def test_new_consultation_starts_blind(app):
    now, day = utcnow(), timedelta(days=1)
    consultation = create_consultation(title="WSIS 2030", year=2030, forum_start=(now + 100 * day).date(),
                                       forum_end=(now + 104 * day).date())
    db.session.flush()

    assert consultation.is_blind_review is True


def test_settings_page_says_who_sees_what_and_warns_about_contradictions(app, blind_world, chair, login):
    blind_world.consultation.review_visibility = ReviewVisibility.ALWAYS
    db.session.commit()
    client = login(chair, app.test_client())

    settings = _page(client, "/consultation/settings")
    review_settings = _page(client, "/review/settings")

    for page in (settings, review_settings):
        assert "Who sees what with these settings" in page
        assert "Blind review is on and the submissions are published: the public list hides who submitted" in page
        assert "Blind review is on but reviewers read each other&#39;s reviews at once" in page


def test_settings_page_warns_when_blind_review_outlasts_the_review(app, chair, login):
    consultation = factories.make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    consultation.is_blind_review = True
    db.session.commit()

    page = _page(login(chair, app.test_client()), "/consultation/settings")

    assert "Blind review is still on in this phase: the published agenda shows no organizers or speakers" in page


def test_settings_page_without_contradictions_shows_no_warning(app, chair, login):
    factories.make_consultation()
    db.session.commit()

    page = _page(login(chair, app.test_client()), "/consultation/settings")

    assert "Who sees what with these settings" in page and 'role="alert"' not in page
