"""Invitations: the chair invites by e-mail, re-sends or revokes; the invited person accepts from the link."""
import re

import pytest
import sqlalchemy as sa

from consult.accounts import invitations
from consult.accounts.models import Invitation, Role, User
from consult.accounts.tokens import InvalidTokenError
from consult.audit.models import AuditEntry
from consult.errors import DomainError
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from tests.factories import make_user

LINK = re.compile(r"http://localhost(/account/invitation/\S+)")


def mails():
    return list(db.session.execute(sa.select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def actions() -> list[str]:
    return list(db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars())


ACCEPT = {"name": "Lukas Berger", "organization": "University of Vienna", "stakeholder_type": "academia",
          "country": "AT", "password": "a long enough pass", "confirm_password": "a long enough pass"}


@pytest.fixture
def request_context(app):
    with app.test_request_context("/"):
        yield


def test_invite_user_mails_a_link_and_audits(request_context, chair):
    invitation = invitations.invite_user(name="Lukas Berger", email="Lukas@Uni.example", role=Role.REVIEWER,
                                         organization="University of Vienna", actor=chair)

    [message] = mails()
    assert (message.recipient, message.subject, message.category) == (
        "lukas@uni.example", "You are invited to the open consultation", "account.invitation")
    assert "Amina Diallo invites you to take part in the open consultation as a member of the review committee." in message.body
    assert "within 14 days" in message.body
    assert (invitation.email, invitation.sent_count, invitation.is_pending) == ("lukas@uni.example", 1, True)
    assert actions()[-1] == "invitation.create"


def test_invite_user_refuses_an_existing_account_and_a_second_pending_invitation(request_context, chair, stakeholder):
    invitations.invite_user(name="Lukas", email="lukas@uni.example", role=Role.REVIEWER, actor=chair)

    with pytest.raises(DomainError) as existing:
        invitations.invite_user(name="Grace", email=stakeholder.email.upper(), role=Role.REVIEWER, actor=chair)
    with pytest.raises(DomainError) as pending:
        invitations.invite_user(name="Lukas", email="lukas@uni.example", role=Role.CHAIR, actor=chair)

    assert (existing.value.field, existing.value.message) == (
        "email", "An account with this e-mail address exists already: change its role in the list.")
    assert pending.value.message == "This address has a pending invitation: send it again from the list below."


def test_resend_replaces_the_link(request_context, chair):
    invitation = invitations.invite_user(name="Lukas", email="lukas@uni.example", role=Role.REVIEWER, actor=chair)
    first = link_in(mails()[0]).rsplit("/", 1)[1]

    invitations.resend_invitation(invitation, actor=chair)
    second = link_in(mails()[1]).rsplit("/", 1)[1]

    assert invitation.sent_count == 2
    with pytest.raises(InvalidTokenError):
        invitations.invitation_of_token(first)
    assert invitations.invitation_of_token(second) is invitation
    assert actions()[-1] == "invitation.resend"


def test_revoked_invitation_link_stops_working(request_context, chair):
    invitation = invitations.invite_user(name="Lukas", email="lukas@uni.example", role=Role.REVIEWER, actor=chair)
    token = link_in(mails()[0]).rsplit("/", 1)[1]

    invitations.revoke_invitation(invitation, actor=chair)

    with pytest.raises(InvalidTokenError) as error:
        invitations.invitation_of_token(token)
    assert error.value.message == (
        "This invitation link is not valid any more: it was used, revoked or replaced by a newer e-mail.")
    with pytest.raises(DomainError):
        invitations.resend_invitation(invitation, actor=chair)
    assert invitations.pending_invitations() == []


def test_accept_invitation_creates_a_verified_account_with_the_role(request_context, chair):
    invitations.invite_user(name="Lukas", email="lukas@uni.example", role=Role.REVIEWER, actor=chair)
    token = link_in(mails()[0]).rsplit("/", 1)[1]
    fields = {key: value for key, value in ACCEPT.items() if key != "confirm_password"}

    user = invitations.accept_invitation(token, **fields)

    assert (user.email, user.role, user.is_email_verified, user.organization) == (
        "lukas@uni.example", Role.REVIEWER, True, "University of Vienna")
    assert user.check_password("a long enough pass") is True
    with pytest.raises(InvalidTokenError):
        invitations.accept_invitation(token, **fields)
    assert actions()[-2:] == ["user.register", "invitation.accept"]


def test_users_page_lists_pending_invitations_with_their_buttons(client, login, chair):
    login(chair)
    client.post("/account/invitations", data={"name": "Lukas Berger", "email": "lukas@uni.example",
                                              "role": "reviewer", "organization": "University of Vienna"})
    invitation = db.session.execute(sa.select(Invitation)).scalar_one()

    page = client.get("/account/users").get_data(as_text=True)

    assert "Pending invitations (1)" in page
    assert "<bdi>Lukas Berger</bdi> <span class=\"muted\">(<bdi>University of Vienna</bdi>)</span>" in page
    assert f'action="/account/invitations/{invitation.id}/resend"' in page
    assert f'action="/account/invitations/{invitation.id}/revoke"' in page


def test_invite_form_error_keeps_the_typed_values(client, login, chair, stakeholder):
    login(chair)

    response = client.post("/account/invitations", data={"name": "Grace Again", "email": stakeholder.email,
                                                          "role": "reviewer", "organization": ""})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Grace Again"' in page
    assert "An account with this e-mail address exists already: change its role in the list." in page
    assert db.session.execute(sa.select(sa.func.count()).select_from(Invitation)).scalar_one() == 0


def test_only_the_chair_invites(client, login, reviewer):
    login(reviewer)

    response = client.post("/account/invitations", data={"name": "X", "email": "x@example.org", "role": "chair"})

    assert response.status_code == 403
    assert db.session.execute(sa.select(sa.func.count()).select_from(Invitation)).scalar_one() == 0


def test_resend_and_revoke_through_the_users_page(client, login, chair):
    login(chair)
    client.post("/account/invitations", data={"name": "Lukas", "email": "lukas@uni.example", "role": "reviewer"})
    invitation_id = db.session.execute(sa.select(Invitation.id)).scalar_one()

    resent = client.post(f"/account/invitations/{invitation_id}/resend")
    revoked = client.post(f"/account/invitations/{invitation_id}/revoke")

    assert (resent.status_code, revoked.status_code) == (303, 303)
    invitation = db.session.get(Invitation, invitation_id)
    db.session.refresh(invitation)
    assert (invitation.sent_count, invitation.revoked_at is not None) == (2, True)
    assert "Pending invitations (0)" in client.get("/account/users").get_data(as_text=True)


def test_accepting_through_the_link_signs_the_person_in(app, client, login, chair):
    other = app.test_client()
    login(chair, other)
    other.post("/account/invitations", data={"name": "Lukas Berger", "email": "lukas@uni.example",
                                             "role": "reviewer", "organization": "University of Vienna"})
    link = link_in(mails()[0])

    form = client.get(link).get_data(as_text=True)
    assert "You are invited as a member of the review committee with the address lukas@uni.example." in form
    assert 'value="Lukas Berger"' in form and 'value="University of Vienna"' in form
    done = client.post(link, data=ACCEPT)

    assert (done.status_code, done.headers["Location"]) == (303, "/")
    user = db.session.execute(sa.select(User).where(User.email == "lukas@uni.example")).scalar_one()
    assert user.role is Role.REVIEWER
    assert "Lukas Berger" in client.get("/").get_data(as_text=True)
    assert client.get(link).status_code == 400


def test_invited_person_who_is_also_existing_user_elsewhere_cannot_reuse_an_address(request_context, chair):
    invitation = invitations.invite_user(name="Lukas", email="lukas@uni.example", role=Role.REVIEWER, actor=chair)
    token = link_in(mails()[0]).rsplit("/", 1)[1]
    make_user(email="lukas@uni.example")

    with pytest.raises(DomainError) as error:
        invitations.accept_invitation(token, **{k: v for k, v in ACCEPT.items() if k != "confirm_password"})

    assert error.value.field == "email"
    assert invitation.accepted_at is None


def test_resending_a_revoked_invitation_is_refused_on_the_users_page(client, login, chair):
    login(chair)
    client.post("/account/invitations", data={"name": "Lukas", "email": "lukas@uni.example", "role": "reviewer"})
    invitation_id = db.session.execute(sa.select(Invitation.id)).scalar_one()
    client.post(f"/account/invitations/{invitation_id}/revoke")

    response = client.post(f"/account/invitations/{invitation_id}/resend")

    assert response.status_code == 422
    assert "This invitation was revoked." in response.get_data(as_text=True)
    assert "Pending invitations (0)" in response.get_data(as_text=True)


def test_users_page_costs_the_same_queries_with_one_or_many_invitations(app, client, login, chair, count_queries):
    def invite(count):
        for number in range(count):
            inviter = make_user(role=Role.CHAIR)
            db.session.add(Invitation(email=f"p{number}-{inviter.id}@example.org", name=f"Person {number}",
                                      role=Role.REVIEWER, nonce="n", sent_count=1, invited_by_id=inviter.id))
        db.session.commit()

    # One account a page: the inviters are not loaded with the list of accounts.
    app.config["PAGE_SIZE"] = 1
    login(chair)
    invite(1)
    db.session.expunge_all()  # as in production, the request starts with nobody loaded
    with count_queries() as few:
        client.get("/account/users")
    invite(20)
    db.session.expunge_all()
    with count_queries() as many:
        page = client.get("/account/users").get_data(as_text=True)

    assert "Pending invitations (21)" in page
    assert many.count == few.count


def test_pending_invitation_reads_its_role_as_people_do(client, login, chair):
    login(chair)
    client.post("/account/invitations", data={"name": "Lukas", "email": "lukas@uni.example", "role": "reviewer"})

    page = client.get("/account/users").get_data(as_text=True)

    assert "<td>Reviewer</td>" in page
