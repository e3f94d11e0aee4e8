"""Fixtures of the proposals tests."""
import pytest

from consult.proposals.services import ProposalContent


def thematic_content(**overrides) -> ProposalContent:
    """A complete thematic proposal's content."""
    values = dict(kind="thematic", title="Community networks for rural schools",
                  summary="Connecting rural schools through community-run networks.",
                  description="We propose a session on *community networks*.", keywords="connectivity, schools",
                  forum_part="action_lines", action_lines=["C2", "C7-ELEARN"], sdgs=[4, 9])
    values.update(overrides)
    return ProposalContent(**values)


def format_content(**overrides) -> ProposalContent:
    """A complete format proposal's content with two speakers."""
    values = dict(format_code="thematic_workshop", duration_minutes=60, expected_audience=80,
                  is_binding_request=True, has_remote_participation=True,
                  speakers=[{"name": "Ana Souza", "organization": "CGI.br", "stakeholder_type": "technical_community",
                             "country": "BR", "gender": "female", "is_confirmed": True, "is_remote": False},
                            {"name": "Kwame Mensah", "organization": "Ghana ICT Ministry", "stakeholder_type": "government",
                             "country": "GH", "gender": "", "is_confirmed": False, "is_remote": True}])
    values.update(overrides)
    return thematic_content(kind="format", **values)


def form_data(**overrides) -> dict:
    """POST data of the proposal form for a complete thematic proposal."""
    data = {"creation_token": "token-1", "kind": "thematic", "forum_part": "action_lines",
            "title": "Community networks for rural schools", "summary": "Connecting rural schools.",
            "description": "A description.", "keywords": "schools", "action_lines": ["C2"], "sdgs": ["4"],
            "save": "Save draft"}
    data.update(overrides)
    return data


@pytest.fixture
def other_stakeholder(make):
    from consult.extensions import db
    from consult.reference import StakeholderType

    user = make.make_user(name="Pierre Martin", organization="Paris Digital Lab", country="FR",
                          stakeholder_type=StakeholderType.PRIVATE_SECTOR)
    db.session.commit()
    return user
