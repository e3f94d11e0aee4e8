"""Personal data: gender only in aggregate (small counts suppressed), the privacy notice and consent, the data
download, and closing an account."""
import json

import pytest
import sqlalchemy as sa

from consult.accounts import privacy
from consult.accounts.closing import close_account
from consult.accounts.models import Consent, Role
from consult.agenda.models import AgendaSession, SessionComment
from consult.consultations.models import PhaseKind
from consult.errors import DomainError
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalKind, ProposalStatus
from consult.review.assignment import assign_reviewer
from tests import factories
from tests.factories import PASSWORD

# Gender values as stored, and how the form labels them: neither may appear per person.
GENDER_MARKS = ("female", "Female", ">male<", ">Male<", "Gender")


def published_proposal_with_speakers(consultation, submitter, *, speakers=2):
    consultation.submissions_published = True
    consultation.is_blind_review = False  # names shown, so that the page has speakers whose gender could leak
    return factories.make_proposal(consultation, submitter, kind=ProposalKind.FORMAT, speakers=speakers,
                                   title="Community networks")


def test_public_proposal_page_shows_no_gender(client, consultation, stakeholder):
    proposal = published_proposal_with_speakers(consultation, stakeholder)
    db.session.commit()

    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)

    assert all(speaker.name in page for speaker in proposal.speakers)
    for mark in GENDER_MARKS:
        assert mark not in page, mark


def test_reviewer_proposal_page_shows_no_gender(client, login, reviewer, chair, stakeholder):
    consultation = factories.make_consultation(current=PhaseKind.REVIEW)
    consultation.is_blind_review = False  # names shown, so that the page has speakers whose gender could leak
    proposal = factories.make_proposal(consultation, stakeholder, kind=ProposalKind.FORMAT, speakers=2)
    assign_reviewer(proposal, reviewer, actor=chair)
    db.session.commit()
    login(reviewer)

    page = client.get(f"/review/proposals/{proposal.id}").get_data(as_text=True)

    assert proposal.speakers[0].name in page
    for mark in GENDER_MARKS:
        assert mark not in page, mark


def test_balance_shows_gender_counts_under_five_as_less_than_five(client, login, chair, stakeholder):
    consultation = factories.make_consultation(current=PhaseKind.REVIEW)
    # make_proposal alternates male, female: 3 proposals of 4 speakers give 6 male and 6 female; one more of 1 male.
    for _index in range(3):
        factories.make_proposal(consultation, stakeholder, speakers=4)
    lone = factories.make_proposal(consultation, stakeholder, speakers=2)
    lone.speakers[1].gender = "other"
    db.session.commit()
    login(chair)

    page = client.get("/review/ranking").get_data(as_text=True)
    gender = page[page.index("<caption>Speakers' gender"):]
    gender = gender[:gender.index("</table>")]

    assert '<th scope="row">Female</th>' in gender
    assert "(6)</td>" in gender
    other_row = gender[gender.index('<th scope="row">Other</th>'):]
    other_row = other_row[:other_row.index("</tr>")]
    assert other_row.count('<span class="small-count">&lt;5</span>') == 1
    assert "(1)" not in other_row


# --- privacy notice and consent ---------------------------------------------------------------------------------

def registration(**overrides):
    data = {"name": "Nadia Haddad", "email": "nadia@example.org", "password": "a long enough pass",
            "confirm_password": "a long enough pass", "organization": "Arab ICT Org",
            "stakeholder_type": "civil_society", "country": "JO"}
    data.update(overrides)
    return data


def test_publish_notice_makes_a_new_version_only_when_the_text_changes(app, chair):
    first = privacy.publish_notice("We keep your **name**.", actor=chair)
    same = privacy.publish_notice("We keep your **name**.  ", actor=chair)
    second = privacy.publish_notice("We keep your name and e-mail.", actor=chair)

    assert (first.version, same, second.version) == (1, None, 2)
    assert privacy.current_notice() is second


def test_registration_without_a_notice_asks_no_consent(client):
    response = client.post("/account/register", data=registration())

    assert response.status_code == 302
    assert db.session.execute(sa.select(sa.func.count()).select_from(Consent)).scalar_one() == 0


def test_registration_shows_the_notice_sanitised_and_requires_consent(client, chair):
    privacy.publish_notice("We keep your **name**. <script>alert(1)</script>", actor=chair)
    db.session.commit()

    form = client.get("/account/register").get_data(as_text=True)
    refused = client.post("/account/register", data=registration(notice_version="1"))

    assert "<strong>name</strong>" in form and "<script>" not in form
    assert 'name="notice_version" type="hidden" value="1"' in form
    assert refused.status_code == 422
    assert "Read and accept the privacy notice to create an account." in refused.get_data(as_text=True)
    assert 'value="Nadia Haddad"' in refused.get_data(as_text=True)


def test_registration_records_consent_with_version_and_time(client, chair):
    privacy.publish_notice("Version one.", actor=chair)
    privacy.publish_notice("Version two.", actor=chair)
    db.session.commit()

    response = client.post("/account/register", data=registration(notice_version="2", accept_privacy="y"))

    assert response.status_code == 302
    consent = db.session.execute(sa.select(Consent)).scalar_one()
    assert consent.notice_version == 2
    assert consent.given_at is not None


def test_registration_against_an_outdated_notice_is_refused(client, chair):
    privacy.publish_notice("Version one.", actor=chair)
    privacy.publish_notice("Version two.", actor=chair)
    db.session.commit()

    response = client.post("/account/register", data=registration(notice_version="1", accept_privacy="y"))

    assert response.status_code == 422
    assert "The privacy notice changed while you were reading it" in response.get_data(as_text=True)


def test_chair_sets_the_notice_on_the_account_settings(client, login, chair, reviewer):
    login(reviewer)
    assert client.get("/account/settings").status_code == 403
    login(chair)

    response = client.post("/account/settings", data={"privacy_notice": "# Privacy\nWe keep little."})

    assert response.status_code == 303
    assert privacy.current_notice().body == "# Privacy\nWe keep little."
    assert "We keep little." in client.get("/account/privacy").get_data(as_text=True)


# --- data download and closing ----------------------------------------------------------------------------------

@pytest.fixture
def active_person(app, chair):
    """A stakeholder who consented, submitted, reviewed and commented."""
    consultation = factories.make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    person = factories.make_user(role=Role.REVIEWER, name="Grace Otieno", email="grace@example.org",
                                 organization="Digital Inclusion Kenya")
    privacy.record_consent(person, 1)
    proposal = factories.make_proposal(consultation, person, speakers=1, title="Community networks")
    proposal.submitter_name, proposal.submitter_email = person.name, person.email
    other = factories.make_proposal(consultation, chair, title="Someone else's")
    criterion = factories.make_criterion(consultation, name="Relevance")
    factories.make_review(other, person, {criterion: 4})
    session = AgendaSession(consultation_id=consultation.id, title="Opening of the draft agenda", format_code="thematic_workshop")
    db.session.add(session)
    db.session.flush()
    db.session.add(SessionComment(session_id=session.id, author_id=person.id, body="Please add remote captions."))
    db.session.commit()
    return person


def test_data_download_holds_account_proposals_reviews_comments_and_consents(client, login, active_person):
    login(active_person)

    response = client.get("/account/data.json")

    assert response.headers["Content-Disposition"] == f'attachment; filename="consult-my-data-{active_person.id}.json"'
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "grace@example.org"
    assert [c["privacy_notice_version"] for c in data["consents"]] == [1]
    assert [(p["title"], p["speakers"][0]["gender"]) for p in data["proposals"]] == [("Community networks", "male")]
    filed = data["proposals"][0]
    assert (filed["action_lines"], filed["sdgs"], filed["submitter_email"]) == (["C4"], [4], "grace@example.org")
    assert (filed["withdraw_reason"], filed["withdrawn_at"]) == ("", None)
    reviewed = db.session.execute(sa.select(Proposal).where(Proposal.title == "Someone else's")).scalar_one()
    assert [(r["proposal"], r["scores"]) for r in data["reviews"]["reviews"]] == [(reviewed.reference, {"Relevance": 4})]
    assert [(c["session"], c["body"]) for c in data["comments"]] == [
        ("Opening of the draft agenda", "Please add remote captions.")]


def test_data_download_needs_sign_in(client):
    assert client.get("/account/data.json").status_code == 302


def test_close_account_anonymises_the_person_and_keeps_the_record(app, active_person):
    proposal = db.session.execute(sa.select(Proposal).where(Proposal.submitter_id == active_person.id)).scalar_one()

    close_account(active_person, password=PASSWORD)

    assert active_person.name == f"Former participant {active_person.id}"
    assert active_person.email == f"closed-{active_person.id}@closed.invalid"
    assert (active_person.organization, active_person.is_active) == ("", False)
    assert active_person.closed_at is not None
    db.session.refresh(proposal)
    assert (proposal.status, proposal.title, proposal.submitter_name, proposal.submitter_email) == (
        ProposalStatus.SUBMITTED, "Community networks", "", "")
    assert db.session.execute(sa.select(sa.func.count()).select_from(SessionComment)).scalar_one() == 1


def test_the_closing_page_says_what_goes_and_what_the_record_keeps(client, login, active_person):
    proposal = db.session.execute(sa.select(Proposal).where(Proposal.submitter_id == active_person.id)).scalar_one()
    proposal.organization = "Digital Inclusion Kenya"
    db.session.commit()
    login(active_person)

    page = client.get("/account/close").get_data(as_text=True)
    client.post("/account/close", data={"password": PASSWORD, "confirm": "y"})

    assert ("Your name and e-mail address are removed from your account and from your submissions, which keep the "
            "organization they were filed for; your account's organization is removed") in page
    db.session.refresh(proposal)
    assert (proposal.submitter_name, proposal.organization) == ("", "Digital Inclusion Kenya")


def test_closed_account_can_no_longer_sign_in(client, login, active_person):
    login(active_person)

    closed = client.post("/account/close", data={"password": PASSWORD, "confirm": "y"})

    assert (closed.status_code, closed.headers["Location"]) == (303, "/")
    with client.application.app_context():
        assert client.get("/account/profile").status_code == 302
    again = client.post("/account/login", data={"email": "grace@example.org", "password": PASSWORD})
    assert again.status_code == 422


def test_close_account_form_keeps_the_person_on_a_wrong_password(client, login, active_person):
    login(active_person)

    response = client.post("/account/close", data={"password": "not my password", "confirm": "y"})

    assert response.status_code == 422
    assert "The password is not right." in response.get_data(as_text=True)
    db.session.refresh(active_person)
    assert active_person.is_active is True


def test_the_last_chair_cannot_close_their_account(app, chair):
    with pytest.raises(DomainError) as error:
        close_account(chair, password=PASSWORD)

    assert error.value.message == "You are the last chair: make someone else chair before you close your account."
    assert chair.is_active is True
    second = factories.make_user(role=Role.CHAIR)
    close_account(chair, password=PASSWORD)
    assert (chair.is_active, second.is_active) == (False, True)


def test_close_account_replaces_the_name_and_address_in_the_audit_log_and_outbox(app, active_person):
    from consult.audit.models import AuditEntry
    from consult.audit.services import record_audit
    from consult.outbox.models import OutboxMessage
    from consult.outbox.services import queue_email

    record_audit("user.register", active_person, actor=active_person, summary="Grace Otieno <grace@example.org>")
    queue_email("grace@example.org", "Received", "Dear Grace Otieno,\n\nThank you.")

    close_account(active_person, password=PASSWORD)

    summaries = list(db.session.execute(sa.select(AuditEntry.summary)).scalars())
    message = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    anonymous = f"Former participant {active_person.id} <closed-{active_person.id}@closed.invalid>"
    assert anonymous in summaries
    assert not [s for s in summaries if "Grace" in s or "grace@" in s]
    assert (message.recipient, message.body) == (
        f"closed-{active_person.id}@closed.invalid", f"Dear Former participant {active_person.id},\n\nThank you.")
