"""Fixtures of the review tests: a consultation in review, its people and proposals."""
import pytest
from flask import g

from consult.accounts.models import Role
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.reference import StakeholderType
from consult.review.services import ensure_default_criteria
from tests import factories


@pytest.fixture
def as_user(client, login):
    """Sign user in on the client, forgetting what the shared app context remembered from an earlier request."""

    def switch(user):
        # The test app context outlives requests: forget every per-request cache (user, consultation, nav counts).
        for name in list(g):
            g.pop(name, None)
        return login(user)

    return switch


@pytest.fixture
def review_setup(app):
    """A consultation in review with default criteria, a chair, three reviewers, and proposals from people who could leak."""
    consultation = factories.make_consultation(current=PhaseKind.REVIEW)
    criteria = ensure_default_criteria(consultation)
    chair = factories.make_user(role=Role.CHAIR, name="Amina Diallo", organization="WSIS Secretariat",
                                stakeholder_type=StakeholderType.INTERNATIONAL_ORGANIZATION, country="CH")
    reviewers = [
        factories.make_user(role=Role.REVIEWER, name="Lukas Berger", organization="University of Vienna",
                            stakeholder_type=StakeholderType.ACADEMIA, country="AT"),
        factories.make_user(role=Role.REVIEWER, name="Mei Tanaka", organization="APNIC",
                            stakeholder_type=StakeholderType.TECHNICAL_COMMUNITY, country="JP"),
        factories.make_user(role=Role.REVIEWER, name="Carlos Mendes", organization="Ministry of Communications",
                            stakeholder_type=StakeholderType.GOVERNMENT, country="BR"),
    ]
    submitters = [factories.make_user(name=f"Zebulon Quartermaine {index}", email=f"zebulon{index}@secret-org.example",
                                      organization=f"Hyperborean Leakage Institute {index}", country="KE")
                  for index in range(3)]
    proposals = [factories.make_proposal(consultation, submitter, speakers=2, title=f"Community networks {index}")
                 for index, submitter in enumerate(submitters)]
    db.session.commit()
    return {"consultation": consultation, "criteria": criteria, "chair": chair, "reviewers": reviewers,
            "submitters": submitters, "proposals": proposals}
