"""Fixtures of the clustering tests: proposals on three known topics in a consultation in agenda drafting."""
import pytest

from consult.extensions import db
from tests.clustering.topics import make_topic_proposals


@pytest.fixture
def topic_proposals(drafting):
    """33 submitted proposals on three topics, {topic: [proposal, ...]}."""
    made = make_topic_proposals(drafting)
    db.session.commit()
    return made
