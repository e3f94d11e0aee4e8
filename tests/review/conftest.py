"""Fixtures of the clustering tests: a consultation in agenda drafting and the three-topic proposals."""
import pytest

from consult.consultations.models import PhaseKind
from consult.extensions import db
from tests.factories import make_consultation
from tests.review.topics import make_topic_proposals


@pytest.fixture
def drafting(app):
    """A consultation whose agenda-drafting phase is open now."""
    consultation = make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    db.session.commit()
    return consultation


@pytest.fixture
def topic_proposals(drafting):
    """33 submitted proposals on three topics, {topic: [proposal, ...]}."""
    made = make_topic_proposals(drafting)
    db.session.commit()
    return made
