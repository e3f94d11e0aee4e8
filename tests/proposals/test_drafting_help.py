"""Help while drafting: suggested labels (preview and live), writing to the authors of similar proposals."""
from pathlib import Path

import sqlalchemy as sa

from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.proposals.models import ProposalStatus
from tests.factories import make_proposal, make_user

CYBER = dict(title="Incident response teams against cybercrime",
             summary="National CERTs share threat intelligence to stop attacks and cybercrime.",
             description="", action_lines=("C4",), sdgs=(4,))


def test_suggest_labels_answers_json_for_the_text_being_written(client, login, consultation, stakeholder):
    login(stakeholder)

    response = client.post("/proposals/suggest-labels", data={"title": CYBER["title"], "summary": CYBER["summary"]})

    data = response.get_json()
    assert response.status_code == 200
    assert data["action_lines"][0] == {"code": "C5", "label": "C5 Building confidence and security in the use of ICTs"}
    assert all(set(line) == {"code", "label"} for line in data["action_lines"])  # no model score for the writer
    assert data["language"] == {"code": "en", "label": "English"}
    assert client.post("/proposals/suggest-labels", data={}).get_json() == {"action_lines": [], "sdgs": [],
                                                                           "language": None}
    assert client.post("/proposals/suggest-labels", data={"title": "x" * 201}).status_code == 422


def test_preview_says_what_the_text_looks_like_and_warns_when_no_chosen_line_matches(client, login, consultation,
                                                                                     stakeholder):
    draft = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT, **CYBER)
    db.session.commit()
    login(stakeholder)

    page = client.get(f"/proposals/{draft.id}/preview").get_data(as_text=True)

    assert "This looks like C5 Building confidence and security in the use of ICTs" in page
    assert "None of these is among the action lines you chose" in page


def test_form_page_carries_the_live_suggestion_box_and_its_script(client, login, consultation, stakeholder):
    login(stakeholder)

    page = client.get("/proposals/new").get_data(as_text=True)

    assert 'id="label-suggestions"' in page and 'data-url="/proposals/suggest-labels"' in page
    assert "/static/js/label-suggestions.js" in page and "<script>" not in page


def _similar_pair(consultation, stakeholder):
    author = make_user(name="Other Author", email="hidden.author@example.org", organization="CERT Africa")
    theirs = make_proposal(consultation, author, **CYBER)
    mine = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT, **CYBER)
    return mine, theirs


def test_authors_of_a_published_similar_proposal_can_be_written_to_without_their_address(
        client, login, consultation, stakeholder):
    consultation.submissions_published = True
    consultation.is_blind_review = False  # organizations are shown once review is not blind
    mine, theirs = _similar_pair(consultation, stakeholder)
    db.session.commit()
    login(stakeholder)

    preview = client.get(f"/proposals/{mine.id}/preview").get_data(as_text=True)
    form = client.get(f"/proposals/{mine.id}/contact/{theirs.id}").get_data(as_text=True)
    sent = client.post(f"/proposals/{mine.id}/contact/{theirs.id}",
                       data={"message": "We work on the same topic; shall we propose one session together?"})
    again = client.post(f"/proposals/{mine.id}/contact/{theirs.id}",
                        data={"message": "Another message to the same authors, a second time."})

    assert f"/proposals/{mine.id}/contact/{theirs.id}" in preview and "CERT Africa" in preview
    assert "hidden.author@example.org" not in preview + form
    assert sent.status_code == 303
    message = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    assert message.recipient == "hidden.author@example.org"
    assert stakeholder.email in message.body and "shall we propose one session together?" in message.body
    assert again.status_code == 422
    assert "You have written to these authors already" in again.get_data(as_text=True)


def test_the_writing_page_hides_the_other_organization_while_review_is_blind(client, login, consultation, stakeholder):
    consultation.submissions_published = True
    consultation.is_blind_review = True
    mine, theirs = _similar_pair(consultation, stakeholder)
    db.session.commit()
    login(stakeholder)

    preview = client.get(f"/proposals/{mine.id}/preview").get_data(as_text=True)
    form = client.get(f"/proposals/{mine.id}/contact/{theirs.id}")
    refused = client.post(f"/proposals/{mine.id}/contact/{theirs.id}", data={"message": "short"})

    assert f"/proposals/{mine.id}/contact/{theirs.id}" in preview
    heading = f'<strong><bdi lang="{theirs.language}">{theirs.title}</bdi></strong></p>'
    assert form.status_code == 200 and heading in form.get_data(as_text=True)
    assert refused.status_code == 422
    for page in (preview, form.get_data(as_text=True), refused.get_data(as_text=True)):
        assert "CERT Africa" not in page and "Other Author" not in page and "hidden.author@example.org" not in page


def test_unpublished_proposals_offer_no_contact(client, login, consultation, stakeholder):
    mine, theirs = _similar_pair(consultation, stakeholder)
    db.session.commit()
    login(stakeholder)

    preview = client.get(f"/proposals/{mine.id}/preview").get_data(as_text=True)

    assert "/contact/" not in preview
    assert client.get(f"/proposals/{mine.id}/contact/{theirs.id}").status_code == 403
    assert client.post(f"/proposals/{mine.id}/contact/{theirs.id}", data={"message": "x" * 30}).status_code == 403
    assert db.session.execute(sa.select(sa.func.count(OutboxMessage.id))).scalar_one() == 0


def test_suggested_labels_read_in_the_readers_language_without_scores(client, login, consultation, stakeholder):
    login(stakeholder)
    text = {"title": "Reducing inequalities through affordable broadband for women and rural communities",
            "summary": "Gender equality and reduced inequalities: affordable internet access for poor rural women."}

    data = client.post("/proposals/suggest-labels?lang=fr", data=text).get_json()

    assert data["sdgs"], "the text names goals the model knows"
    assert all(sdg["label"].startswith(f"ODD {sdg['number']} ") and set(sdg) == {"number", "label"}
               for sdg in data["sdgs"])
    assert all(set(line) == {"code", "label"} for line in data["action_lines"])


def test_live_suggestions_script_prints_labels_only():
    script = (Path(__file__).resolve().parents[2] / "consult/static/js/label-suggestions.js").read_text(encoding="utf-8")

    assert "score" not in script.replace("scores are not shown", "")


def test_preview_names_the_suggested_goals_in_the_readers_language(client, login, consultation, stakeholder):
    draft = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT, **CYBER)
    db.session.commit()
    login(stakeholder)

    page = client.get(f"/proposals/{draft.id}/preview?lang=zh").get_data(as_text=True)

    box = page[page.index('id="labels-heading"'):page.index("</section>", page.index('id="labels-heading"'))]
    assert "可持续发展目标" in box and "SDG " not in box and "; " not in box
