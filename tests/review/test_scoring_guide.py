"""The scoring guide beside each score, every missing score reported at once, and the read-only review after review."""
import pytest
from werkzeug.datastructures import MultiDict

from consult.consultations.models import PhaseKind
from consult.errors import DomainError
from consult.extensions import db
from consult.forms.review import CriterionForm
from consult.review.assignment import assign_reviewer
from consult.review.services import DEFAULT_GUIDE, create_criterion, save_review
from tests import factories


def test_default_criteria_carry_the_ocp_guide(review_setup):
    assert [criterion.guide for criterion in review_setup["criteria"]] == [
        {value: str(meaning) for value, meaning in DEFAULT_GUIDE.items()}] * 4
    assert review_setup["criteria"][0].guide["5"] == "Excellent: a model for the Forum on this criterion"


def test_review_page_shows_the_guide_beside_the_score(client, as_user, review_setup):
    proposal, reviewer = review_setup["proposals"][0], review_setup["reviewers"][0]
    assign_reviewer(proposal, reviewer, actor=None)
    db.session.commit()
    as_user(reviewer)

    page = client.get(f"/review/proposals/{proposal.id}").get_data(as_text=True)

    first = review_setup["criteria"][0].id
    assert '<option value="4">4 – Good: meets it well</option>' in page
    assert page.count("<dt>1</dt><dd>Poor: does not meet the criterion</dd>") == 4
    assert page.index(f'id="score_{first}"') < page.index("Scoring guide: what each score means")


def test_submit_reports_every_missing_score_and_the_recommendation_at_once(review_setup):
    proposal, reviewer = review_setup["proposals"][0], review_setup["reviewers"][0]
    assign_reviewer(proposal, reviewer, actor=None)

    with pytest.raises(DomainError) as refused:
        save_review(proposal, reviewer=reviewer, scores={review_setup["criteria"][0].id: 4}, recommendation=None, submit=True)

    names = [criterion.name for criterion in review_setup["criteria"][1:]]
    assert refused.value.errors == {
        **{f"score_{c.id}": f"Score “{name}” before submitting."
           for c, name in zip(review_setup["criteria"][1:], names, strict=True)},
        "recommendation": "Choose a recommendation before submitting.",
    }


def test_review_page_shows_each_missing_score_beside_its_field_and_in_the_summary(client, as_user, review_setup):
    proposal, reviewer = review_setup["proposals"][0], review_setup["reviewers"][0]
    assign_reviewer(proposal, reviewer, actor=None)
    db.session.commit()
    as_user(reviewer)

    response = client.post(f"/review/proposals/{proposal.id}", data={"submit": "1", "comment_to_committee": "Kept"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There are 5 problems to fix" in page
    for criterion in review_setup["criteria"]:
        assert f'<p class="error" id="score_{criterion.id}-error">Score “{criterion.name}” before submitting.</p>' in page
        assert f'<a href="#score_{criterion.id}">' in page
    assert '<a href="#recommendation-0">Recommendation: Choose a recommendation before submitting.</a>' in page
    assert "Kept" in page


def test_after_review_closes_the_review_is_read_only(client, as_user, app):
    consultation = factories.make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    criterion = factories.make_criterion(consultation, name="Relevance")
    criterion.guide = {"4": "Good"}
    reviewer = factories.make_user(role=factories.Role.REVIEWER)
    proposal = factories.make_proposal(consultation, factories.make_user())
    factories.make_assignment(proposal, reviewer)
    factories.make_review(proposal, reviewer, {criterion: 4})
    db.session.commit()
    as_user(reviewer)

    page = client.get(f"/review/proposals/{proposal.id}").get_data(as_text=True)

    assert "The review closed on" in page and "can no longer be changed." in page
    assert "<dt>Relevance</dt><dd>4 – Good</dd>" in page
    assert 'name="submit"' not in page and 'name="save"' not in page


def test_guide_field_parses_lines_and_refuses_scores_outside_the_scale(app):
    with app.test_request_context():
        data = MultiDict({"name": "Reach", "weight": "1", "scale_min": "1", "scale_max": "3", "position": "1",
                          "guide": "1: Local\n\n3: Global\n7: Cosmic"})
        form = CriterionForm(formdata=data, meta={"csrf": False})
        assert form.validate() is False
        assert form.guide.data == {"1": "Local", "3": "Global", "7": "Cosmic"}
        assert form.errors == {"guide": ["Score 7 is outside the scale 1–3."]}
        bad = CriterionForm(formdata=MultiDict({"guide": "excellent"}), meta={"csrf": False})
        bad.validate()
        assert bad.errors["guide"] == ["Line 1: write a score, a colon and what it means, e.g. “5: Excellent”."]


def test_chair_sets_a_guide_that_the_service_checks(review_setup):
    criterion = create_criterion(review_setup["consultation"], actor=review_setup["chair"], name="Reach",
                                 guide={"1": " Local ", "5": "Global"})
    assert criterion.guide == {"1": "Local", "5": "Global"}
    with pytest.raises(DomainError) as refused:
        create_criterion(review_setup["consultation"], actor=review_setup["chair"], name="Reach 2", guide={"9": "Too high"})
    assert (refused.value.field, refused.value.message) == ("guide", "Score 9 is outside the scale 1–5.")
