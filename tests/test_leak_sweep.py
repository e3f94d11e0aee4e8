"""Blind review holds on every page: no GET page shows a reviewer or the public who submitted or who speaks.

The sweep walks `app.url_map` with the URL builders of the authorization table, in every phase, with blind review
on and the submissions published (so that the public pages show as much as they ever do), as a reviewer and as an
anonymous visitor. The world's submitters and speakers carry names, organizations and e-mail addresses found
nowhere else, so any page, export or JSON that shows one of them, raw or HTML-escaped, is a leak.
"""
import io

import pytest
from flask import url_for
from markupsafe import escape

from consult.agenda.models import PersonRole, SessionPerson
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.proposals.models import Speaker
from tests import factories
from tests.authorization_table import expectations
from tests.authorization_world import build_world

SWEEP_ROLES = ("reviewer", "anonymous")
# Pages that are the submitter's own or the chair's, and answer a reviewer or the public with a redirect or 403/404.
NOT_SHOWN = (301, 302, 303, 307, 308, 401, 403, 404, 405)


def _identities(world) -> list[str]:
    """Every name, organization and e-mail address behind the world's proposals and sessions."""
    people = [world.stakeholder, world.other_stakeholder]
    secrets = [value for person in people for value in (person.name, person.organization, person.email)]
    speakers = db.session.execute(db.select(Speaker)).scalars().all()
    session_people = db.session.execute(db.select(SessionPerson)).scalars().all()
    secrets += [value for speaker in speakers for value in (speaker.name, speaker.organization)]
    secrets += [value for person in session_people for value in (person.name, person.organization)]
    return sorted({secret for secret in secrets if secret})


def _blind_world(phase: PhaseKind, stakeholder, reviewer, chair):
    world = build_world(phase, stakeholder=stakeholder, reviewer=reviewer, chair=chair)
    consultation = world.consultation
    consultation.is_blind_review = True
    consultation.submissions_published = True
    # The other stakeholder also comments on the agenda in the shared world: here a third person does.
    world.comment.author_id = factories.make_user(name="Commenting Visitor", organization="Visitors").id
    # A session as one built from the cluster has it (the service is gated to drafting): the submitters organize.
    session = world.session
    session.cluster_id = world.cluster.id
    for position, proposal in enumerate((world.proposal, world.other_proposal)):
        session.people.append(SessionPerson(role=PersonRole.ORGANIZER, position=10 + position, name=proposal.submitter_name,
                                            person_key=proposal.submitter_email, organization=proposal.organization))
    db.session.commit()
    return world


def _text_of(response) -> str:
    """What a response shows: its text, or the cells of a spreadsheet."""
    if response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(response.get_data()), read_only=True)
        return "\n".join(str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                         for value in row if value is not None)
    return response.get_data().decode("utf-8", errors="replace")


def _get_urls(app, world) -> list[tuple[str, str]]:
    table = expectations()
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule)):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        for case in table[rule.endpoint].cases():
            if case.get is None:
                continue
            with app.test_request_context():
                urls.append((rule.endpoint, url_for(rule.endpoint, **case.args(world))))
    db.session.commit()
    return urls


@pytest.mark.parametrize("phase", list(PhaseKind), ids=lambda phase: phase.value)
def test_no_page_shows_submitters_or_speakers_while_review_is_blind(app, stakeholder, reviewer, chair, login, phase):
    world = _blind_world(phase, stakeholder, reviewer, chair)
    secrets = _identities(world)
    urls = _get_urls(app, world)
    leaks, pages = [], 0
    for role in SWEEP_ROLES:
        client = login(world.reviewer, app.test_client()) if role == "reviewer" else app.test_client()
        for endpoint, url in urls:
            with app.app_context():
                response = client.get(url)
            if response.status_code in NOT_SHOWN:
                continue
            pages += 1
            body = _text_of(response)
            shown = [secret for secret in secrets if secret in body or str(escape(secret)) in body]
            if shown:
                leaks.append(f"{role} GET {url} ({endpoint}, {response.status_code}) shows {shown}")

    assert secrets and pages > 40
    assert leaks == [], "\n".join(leaks)
