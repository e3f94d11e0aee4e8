"""Two tabs or two people on one object: the stale side is refused, and the message says who saved meanwhile (you in
another tab or window, or someone else) and what the page holds (the typed form, the saved version beside it)."""
import re

import sqlalchemy as sa

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalStatus
from tests.agenda.factories import make_session
from tests.agenda.test_views import session_data
from tests.factories import make_consultation, make_proposal, make_user
from tests.proposals.conftest import form_data

SUBMIT_VERSION = re.compile(r'action="/proposals/\d+/submit".*?name="version_id" value="(\d+)"', re.S)


def _draft(title="Community networks"):
    consultation = make_consultation()
    owner = make_user()
    draft = make_proposal(consultation, owner, status=ProposalStatus.DRAFT, title=title)
    db.session.commit()
    return owner, draft


def test_the_preview_submit_button_carries_the_previewed_version(app, client, login):
    owner, draft = _draft()
    login(owner)

    page = client.get(f"/proposals/{draft.id}/preview").get_data(as_text=True)

    assert SUBMIT_VERSION.search(page).group(1) == str(draft.version_id)


def test_submit_from_a_preview_older_than_the_saved_draft_is_refused_with_the_current_preview(app, client, login):
    owner, draft = _draft()
    login(owner)
    previewed = SUBMIT_VERSION.search(client.get(f"/proposals/{draft.id}/preview").get_data(as_text=True)).group(1)
    edit = client.get(f"/proposals/{draft.id}/edit").get_data(as_text=True)
    version = re.search(r'name="version_id" type="hidden" value="(\d+)"', edit).group(1)
    client.post(f"/proposals/{draft.id}/edit", data=form_data(title="Changed in tab B", version_id=version))

    refused = client.post(f"/proposals/{draft.id}/submit", data={"version_id": previewed})

    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert ('You saved this in another tab or window in the meantime. Nothing was submitted: the preview now shows the '
            'saved version. Read it, then submit it if it is right.') in page
    assert re.search(r"<h1[^>]*>Changed in tab B</h1>", page)
    assert SUBMIT_VERSION.search(page).group(1) != previewed
    db.session.expire_all()
    assert db.session.get(Proposal, draft.id).status is ProposalStatus.DRAFT


def test_submit_of_the_previewed_version_goes_through(app, client, login):
    owner, draft = _draft()
    login(owner)
    previewed = SUBMIT_VERSION.search(client.get(f"/proposals/{draft.id}/preview").get_data(as_text=True)).group(1)

    done = client.post(f"/proposals/{draft.id}/submit", data={"version_id": previewed})

    assert done.headers["Location"] == f"/proposals/{draft.id}/submitted"
    db.session.expire_all()
    assert db.session.get(Proposal, draft.id).status is ProposalStatus.SUBMITTED


def test_editing_in_two_tabs_says_it_was_you_in_another_tab_and_keeps_what_you_typed(app, client, login):
    owner, draft = _draft()
    login(owner)
    edit = client.get(f"/proposals/{draft.id}/edit").get_data(as_text=True)
    version = re.search(r'name="version_id" type="hidden" value="(\d+)"', edit).group(1)
    client.post(f"/proposals/{draft.id}/edit", data=form_data(title="Saved in tab B", version_id=version))

    refused = client.post(f"/proposals/{draft.id}/edit", data=form_data(title="Typed in tab A", version_id=version))

    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert '<h2 id="edit-conflict-heading">Saved meanwhile in another tab or window</h2>' in page
    assert ("You saved this in another tab or window in the meantime. The form holds what you typed and the table "
            "shows the saved version beside it: check the differences, then send yours again to replace the saved "
            "version.") in page
    assert "someone else" not in page.lower()
    assert ('<td data-testid="saved-value">Saved in tab B</td><td data-testid="submitted-value">Typed in tab A</td>'
            in page)
    assert 'value="Typed in tab A"' in page


def test_a_stale_button_of_another_person_says_someone_else_and_that_nothing_changed(app, client, login):
    drafting = make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    first, second = make_user(role=Role.CHAIR, name="Amina Diallo"), make_user(role=Role.CHAIR, name="Lukas Berger")
    session = make_session(drafting, title="Digital skills")
    db.session.commit()
    loaded = session.version_id
    other = login(first, app.test_client())
    saved = other.post(f"/agenda/sessions/{session.id}", data=session_data(title="Renamed", version_id=loaded))
    login(second)

    refused = client.post(f"/agenda/sessions/{session.id}/pin", data={"version_id": loaded, "pinned": "0"})

    assert refused.status_code == 409
    assert ("Someone else saved this in the meantime. Nothing was changed: the page shows the saved version now. Do it "
            "again if it is still needed.") in refused.get_data(as_text=True)
    assert saved.status_code == 302
    db.session.expire_all()
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_type == "AgendaSession")).all()
    assert actions == ["session.update"]
