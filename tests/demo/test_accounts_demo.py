"""The accounts demo step: a privacy notice the demo accounts accepted, a pending invitation, an unverified account."""
import sqlalchemy as sa

from consult.accounts.invitations import pending_invitations
from consult.accounts.models import Consent, Role, User
from consult.accounts.privacy import current_notice
from consult.consultations.models import PhaseKind
from consult.demo.accounts import seed_accounts
from consult.demo.foundation import Demo
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from tests.factories import make_consultation, make_user


def test_seed_accounts_publishes_a_notice_invites_a_reviewer_and_leaves_one_account_unverified(app):
    consultation = make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    chair = make_user(role=Role.CHAIR, name="Amina Diallo")
    stakeholder = make_user(name="Grace Otieno")
    reviewer = make_user(role=Role.REVIEWER)
    demo = Demo(consultation=consultation, chair=chair, reviewers=[reviewer], stakeholder=stakeholder,
                phase=PhaseKind.PUBLIC_COMMENT)

    seed_accounts(demo)
    db.session.commit()

    assert current_notice().version == 1
    consenting = set(db.session.execute(sa.select(Consent.user_id)).scalars())
    newcomer = db.session.execute(sa.select(User).where(User.email == "unverified@demo.consult.example")).scalar_one()
    assert consenting == {chair.id, stakeholder.id, reviewer.id, newcomer.id}
    assert newcomer.is_email_verified is False
    [invitation] = pending_invitations()
    assert (invitation.name, invitation.role, invitation.invited_by_id) == ("Henrik Solberg", Role.REVIEWER, chair.id)
    newcomer_mail, invited = db.session.execute(sa.select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
    assert invited.recipient == "henrik.solberg@demo.consult.example"
    assert "http://localhost/account/invitation/" in invited.body
    assert (newcomer.locale, newcomer_mail.recipient, newcomer_mail.locale, newcomer_mail.subject) == (
        "ar", "unverified@demo.consult.example", "ar", "تأكيد عنوان بريدك الإلكتروني")
