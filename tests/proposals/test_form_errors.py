"""Every problem of the proposal form reaches the summary at its top, lazily translated messages included."""
from consult.extensions import db
from consult.forms import error_items
from consult.forms.proposals import ProposalForm
from tests.factories import make_consultation, make_user
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
    assert ('<a href="#speakers-0-email">Speakers 1: Speaker&#39;s e-mail (optional): Enter an e-mail address such as '
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
