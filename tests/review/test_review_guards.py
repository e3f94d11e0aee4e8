"""Guards of the review area: a scale narrowed under given scores, a review saved from two tabs, GET forms, assignment."""
from consult.accounts.models import Role
from consult.consultations.models import PhaseKind
from consult.consultations.times import format_local
from consult.extensions import db
from consult.review.assignment import assign_reviewer
from consult.review.models import Review
from tests import factories


def _criterion_data(criterion, **changes):
    data = {"name": criterion.name, "description": criterion.description, "weight": str(criterion.weight),
            "scale_min": str(criterion.scale_min), "scale_max": str(criterion.scale_max), "position": str(criterion.position),
            "is_required": "y", "is_active": "y"}
    data.update(changes)
    return data


def test_criterion_scale_narrowed_below_given_scores_is_refused_beside_the_field(client, as_user, review_setup):
    setup = review_setup
    criterion = setup["criteria"][0]
    for proposal, value in zip(setup["proposals"], (5, 5, 3), strict=True):
        factories.make_review(proposal, setup["reviewers"][0], {c: value for c in setup["criteria"]})
    db.session.commit()
    as_user(setup["chair"])

    response = client.post(f"/review/criteria/{criterion.id}", data=_criterion_data(criterion, scale_max="3"))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ('<p class="error" id="scale_max-error">2 reviews hold scores above 3 on this criterion. Choose a highest '
            'score that keeps every score given, or have those scores changed first.</p>') in page
    db.session.expire_all()
    assert (criterion.scale_min, criterion.scale_max) == (1, 5)


def test_criterion_lowest_score_raised_above_given_scores_is_refused(client, as_user, review_setup):
    setup = review_setup
    criterion = setup["criteria"][0]
    factories.make_review(setup["proposals"][0], setup["reviewers"][0], {c: 2 for c in setup["criteria"]})
    db.session.commit()
    as_user(setup["chair"])

    response = client.post(f"/review/criteria/{criterion.id}", data=_criterion_data(criterion, scale_min="3"))

    assert response.status_code == 422
    assert ('<p class="error" id="scale_min-error">1 review holds a score below 3 on this criterion. Choose a lowest '
            'score that keeps every score given, or have that score changed first.</p>') in response.get_data(as_text=True)


def test_criterion_scale_narrowed_above_every_given_score_is_saved(client, as_user, review_setup):
    setup = review_setup
    criterion = setup["criteria"][0]
    factories.make_review(setup["proposals"][0], setup["reviewers"][0], {c: 3 for c in setup["criteria"]})
    db.session.commit()
    as_user(setup["chair"])

    response = client.post(f"/review/criteria/{criterion.id}", data=_criterion_data(criterion, scale_max="4"))

    assert response.status_code == 302
    db.session.expire_all()
    assert criterion.scale_max == 4


def _review_form(criteria, value, **extra):
    data = {f"score_{criterion.id}": str(value) for criterion in criteria}
    data.update(recommendation="accept", comment_to_committee="", comment_to_submitter="", version_id="", submit="1")
    data.update(extra)
    return data


def test_second_tab_of_a_new_review_gets_a_conflict_with_both_versions(client, as_user, review_setup):
    setup = review_setup
    proposal, reviewer = setup["proposals"][0], setup["reviewers"][0]
    assign_reviewer(proposal, reviewer, actor=None)
    db.session.commit()
    as_user(reviewer)
    first = client.post(f"/review/proposals/{proposal.id}", data=_review_form(setup["criteria"], 5))

    second = client.post(f"/review/proposals/{proposal.id}",
                         data=_review_form(setup["criteria"], 2, comment_to_submitter="From the second tab"))

    page = second.get_data(as_text=True)
    assert (first.status_code, second.status_code) == (302, 409)
    assert "Your review of this proposal was saved in another window meanwhile" in page
    assert "From the second tab" in page
    review = db.session.execute(db.select(Review).where(Review.proposal_id == proposal.id)).scalar_one()
    assert [score.value for score in review.scores] == [5, 5, 5, 5]
    assert review.comment_to_submitter == ""


def test_comments_of_only_spaces_are_stored_empty(client, as_user, review_setup):
    setup = review_setup
    proposal, reviewer = setup["proposals"][0], setup["reviewers"][0]
    assign_reviewer(proposal, reviewer, actor=None)
    db.session.commit()
    as_user(reviewer)

    client.post(f"/review/proposals/{proposal.id}",
                data=_review_form(setup["criteria"], 4, comment_to_submitter="   \n  ", comment_to_committee="  Fine  "))

    review = db.session.execute(db.select(Review).where(Review.proposal_id == proposal.id)).scalar_one()
    assert (review.comment_to_submitter, review.comment_to_committee) == ("", "Fine")


def test_selection_with_only_a_language_shows_the_empty_form(client, as_user, review_setup):
    as_user(review_setup["chair"])

    response = client.get("/review/selection?lang=fr")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="slots"' in page and 'value="20"' in page
    assert "Ce champ est obligatoire." not in page and "This field is required." not in page


def test_get_filter_pages_accept_a_language_alone(client, as_user, review_setup):
    as_user(review_setup["chair"])

    statuses = {path: client.get(f"{path}?lang=fr").status_code
                for path in ("/review/ranking", "/audit/", "/outbox/", "/proposals/chair", "/account/users")}

    assert statuses == dict.fromkeys(statuses, 200)


def test_assignment_forms_are_hidden_after_the_review_with_the_date(client, as_user, app):
    consultation = factories.make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    chair = factories.make_user(role=Role.CHAIR)
    db.session.commit()
    as_user(chair)
    closed = consultation.phase(PhaseKind.REVIEW).closes_at

    page = client.get("/review/assignments").get_data(as_text=True)

    assert 'id="auto-submit"' not in page and 'id="manual-submit"' not in page
    assert (f"The review closed on {format_local(closed, consultation.timezone)}: reviewers can no longer be "
            "assigned, and the panels stay as they are.") in page
    refused = client.post("/review/assignments/auto", data={"include_chairs": ""})
    assert refused.status_code == 403


def test_assignment_forms_are_shown_during_the_review(client, as_user, review_setup):
    as_user(review_setup["chair"])

    page = client.get("/review/assignments").get_data(as_text=True)

    assert 'id="auto-submit"' in page and 'id="manual-submit"' in page
    assert 'data-testid="assignment-closed"' not in page
