"""A held decision's e-mail is written, previewed and queued in its submitter's language, not the chair's."""
import re

import sqlalchemy as sa

from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.proposals.models import Decision


def test_held_decision_is_previewed_and_announced_in_the_submitters_language(client, as_user, review_setup):
    setup = review_setup
    proposal, submitter = setup["proposals"][0], setup["submitters"][0]
    submitter.locale = "ar"
    proposal.decision = Decision.ACCEPTED
    db.session.commit()
    as_user(setup["chair"])

    page = client.get("/review/decisions/held", headers={"Accept-Language": "en"}).get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page).group(1)
    client.post("/review/decisions/release", data={"fingerprint": fingerprint})

    subject = f"القرار بشأن مقترحكم {proposal.reference}"
    assert f'<dd lang="ar" dir="rtl" data-testid="email-subject">{subject}</dd>' in page
    assert '<html lang="en" dir="ltr">' in page
    [message] = db.session.execute(sa.select(OutboxMessage)).scalars().all()
    assert (message.recipient, message.locale, message.subject) == (proposal.submitter_email, "ar", subject)
