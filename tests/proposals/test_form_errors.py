"""The proposal form's problems all reach the summary at its top (lazily translated messages included), Enter saves
the draft, and a new speaker row takes the focus."""
import re

import sqlalchemy as sa

from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.forms import error_items
from consult.forms.proposals import ProposalForm
from consult.proposals.models import Proposal, ProposalStatus
from tests.factories import make_consultation, make_proposal, make_user
from tests.proposals.conftest import form_data


def _speaker_problems(**overrides) -> dict:
    data = form_data(kind="format", **{"speakers-0-name": "Ana Souza", "speakers-0-email": "ana.example.org",
                                       "speakers-0-country": "", "speakers-1-name": ""})
    data.update(overrides)
    return data


def test_summary_lists_every_lazy_message_with_a_link_to_its_field(app, client, login):
    make_consultation()
    user = make_user()
    db.session.commit()
    login(user)

    response = client.post("/proposals/new", data=_speaker_problems(description="word " * 2001))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There are 2 problems to fix" in page
    assert ('<a href="#description">Description: The description has 2001 words; at most 2000 are allowed.</a>'
            in page)
    assert ('<a href="#speakers-0-email">Speaker 1: Speaker&#39;s e-mail (optional): Enter an e-mail address such as '
            'name@example.org.</a>' in page)


def test_summary_alone_of_lazy_messages_is_shown_and_takes_the_focus(app, client, login):
    make_consultation()
    user = make_user()
    db.session.commit()
    login(user)

    response = client.post("/proposals/new", data=_speaker_problems())

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary" role="alert" tabindex="-1" data-error-summary' in page
    assert "There is 1 problem to fix" in page


def test_a_list_message_links_to_the_first_row_and_no_empty_error_is_printed(app):
    with app.test_request_context(method="POST", data=_speaker_problems(**{"speakers-0-email": "",
                                                                           "speakers-0-country": "ZZ"})):
        form = ProposalForm(meta={"csrf": False})
        form.speakers.entries[0].form.country.choices.append(("ZZ", "Nowhere"))
        form.validate()

        items = error_items(form)

    assert items == [("speakers-0-name", "Speakers", "Choose each speaker's country from the list.")]


def test_speaker_row_errors_print_no_empty_alert_above_the_rows(app, client, login):
    make_consultation()
    user = make_user()
    db.session.commit()
    login(user)

    page = client.post("/proposals/new", data=_speaker_problems()).get_data(as_text=True)

    assert '<p class="error" role="alert"></p>' not in page
    assert 'id="speakers-error"' not in page


def _submit_buttons(page: str) -> list[str]:
    form = page[page.index('class="proposal-form"'):page.index("</form>", page.index('class="proposal-form"'))]
    return re.findall(r'<(?:input|button)[^>]*type="submit"[^>]*>', form)


def test_the_first_submit_button_of_the_proposal_form_saves_the_draft(app, client, login):
    make_consultation()
    user = make_user()
    db.session.commit()
    login(user)

    page = client.get("/proposals/new").get_data(as_text=True)

    first = _submit_buttons(page)[0]
    assert 'name="save"' in first and 'value="Save draft"' in first
    assert 'class="default-action"' in first and 'tabindex="-1"' in first and 'aria-hidden="true"' in first
    assert 'id="save-default"' in first


def test_after_the_call_enter_sends_nothing(app, client, login):
    consultation = make_consultation(current=PhaseKind.REVIEW)
    owner = make_user()
    draft = make_proposal(consultation, owner, status=ProposalStatus.DRAFT)
    db.session.commit()
    login(owner)

    page = client.get(f"/proposals/{draft.id}/edit").get_data(as_text=True)

    assert _submit_buttons(page)[0] == ('<button type="submit" class="default-action" tabindex="-1" aria-hidden="true" '
                                        'disabled>')


def test_adding_a_speaker_puts_the_focus_in_the_new_row(app, client, login):
    make_consultation()
    user = make_user()
    db.session.commit()
    login(user)

    response = client.post("/proposals/new", data=form_data(kind="format", add_speaker="Add another speaker",
                                                            **{"speakers-0-name": "Ana Souza"}))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.findall(r'<input[^>]*autofocus[^>]*>', page) == [
        '<input autofocus id="speakers-2-name" maxlength="120" name="speakers-2-name" type="text" value="">']
    assert db.session.scalar(sa.select(sa.func.count(Proposal.id))) == 0


def test_summary_names_each_speaker_row_in_the_readers_language(database_url, tmp_path, app):
    from consult import create_app

    french = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": database_url, "SUPPORTED_LOCALES": ["en", "fr"]},
                        instance_path=str(tmp_path / "fr"))
    with french.test_request_context(method="POST", data=_speaker_problems(), headers={"Accept-Language": "fr"}):
        form = ProposalForm(meta={"csrf": False})
        form.validate()

        items = error_items(form)

    assert items == [("speakers-0-email", "Intervenant 1: Courriel de l’intervenant (facultatif)",
                      "Saisissez une adresse électronique telle que nom@example.org.")]
