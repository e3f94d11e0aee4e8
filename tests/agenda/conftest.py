"""Fixtures of the agenda tests: consultations in the drafting and public-comment phases."""
import pytest

from consult.consultations.models import PhaseKind
from consult.extensions import db
from tests.factories import make_consultation


@pytest.fixture
def commenting(app):
    """A consultation in its public-comment phase, committed."""
    consultation = make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    db.session.commit()
    return consultation
