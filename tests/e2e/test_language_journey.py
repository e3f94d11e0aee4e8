"""A stakeholder writes in French: the language field follows the text, and a different choice gets a note."""
import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.proposals.models import Proposal
from tests.e2e.test_forms_journeys import sign_in
from tests.factories import make_consultation, make_user

pytestmark = pytest.mark.e2e


def test_language_follows_the_text_until_chosen_and_a_different_choice_is_noted(app, page, assert_accessible):
    make_consultation()
    owner = make_user()
    db.session.commit()
    sign_in(page, owner)

    page.goto("/proposals/new")
    page.get_by_label("Title", exact=True).fill("Réseaux communautaires et haut débit rural")
    page.get_by_label("Summary").fill("Des coopératives villageoises installent leur propre réseau pour réduire la "
                                      "fracture numérique.")
    language = page.get_by_label("Language of the proposal")
    page.wait_for_function("document.getElementById('language').value === 'fr'")
    note = page.locator("#language-note")
    assert note.is_hidden()

    language.select_option("en")
    page.wait_for_function("!document.getElementById('language-note').hidden")
    assert note.inner_text() == "Your text reads as French: check the language of the proposal above."
    assert_accessible(page)
    page.get_by_role("button", name="Save draft").click()

    db.session.expire_all()
    assert db.session.execute(sa.select(Proposal.language)).scalar_one() == "en"
    assert page.locator("#language-note").inner_text() == (
        "Your text reads as French: check the language of the proposal above.")
