"""Demo accounts data: a privacy notice with consents, a pending invitation, an account awaiting verification."""
from consult.accounts.invitations import invite_user
from consult.accounts.models import Role
from consult.accounts.privacy import publish_notice, record_consent
from consult.accounts.recovery import send_verification
from consult.accounts.services import register_user
from consult.demo.foundation import Demo

PRIVACY_NOTICE = """## How the secretariat uses your data

The WSIS Forum secretariat keeps the details you give (name, e-mail address, organization, stakeholder type and
country) to run the open consultation: to receive your proposals, to write to you about them, and to publish the
draft agenda.

- Your **name and organization** appear with the proposals you submit once the submissions are published.
- Your **e-mail address** is never published.
- A speaker's **gender** is used only for aggregate balance figures; it is never shown per person.

You can download your data or close your account at any time from your profile. Proposals you submitted stay part
of the consultation's record, without your name.
"""


def seed_accounts(demo: Demo) -> None:
    """The privacy notice (accepted by the demo accounts), a pending invitation and an unverified stakeholder."""
    notice = publish_notice(PRIVACY_NOTICE, actor=demo.chair)
    for user in (demo.chair, demo.stakeholder, *demo.reviewers):
        record_consent(user, notice.version)
    from consult.demo import DEMO_PASSWORD

    newcomer = register_user(name="Nadia Haddad", email="unverified@demo.consult.example", password=DEMO_PASSWORD,
                             organization="Arab ICT Organization", stakeholder_type="civil_society", country="JO",
                             notice_version=notice.version, locale="ar")
    # She registered on the Arabic pages: the link to confirm her address goes out in Arabic (see the outbox).
    send_verification(newcomer)
    demo.extra["unverified_stakeholder"] = newcomer
    demo.extra["invitation"] = invite_user(name="Henrik Solberg", email="henrik.solberg@demo.consult.example",
                                           role=Role.REVIEWER, organization="Norwegian Digitalisation Agency", actor=demo.chair)
