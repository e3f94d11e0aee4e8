"""The proposals demo step on factory-made foundation data."""
import sqlalchemy as sa

from consult.accounts.models import Role, User
from consult.consultations.models import PhaseKind
from consult.demo.foundation import Demo
from consult.demo.proposals import seed_proposals
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalKind, ProposalRevision, ProposalStatus
from tests.factories import make_consultation, make_user


def test_seed_proposals_spreads_kinds_statuses_types_and_sources(app):
    consultation = make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    stakeholder = make_user(name="Grace Otieno")
    chair = make_user(role=Role.CHAIR)
    demo = Demo(consultation=consultation, chair=chair, reviewers=[], stakeholder=stakeholder, phase=PhaseKind.PUBLIC_COMMENT)

    seed_proposals(demo)
    db.session.commit()

    proposals = db.session.execute(sa.select(Proposal)).scalars().all()
    assert len(proposals) == 71
    languages = [p.language for p in proposals]
    assert {code: languages.count(code) for code in set(languages)} == {"en": 60, "fr": 3, "es": 3, "ar": 2,
                                                                      "ru": 1, "zh": 2}
    assert {p.kind for p in proposals} == set(ProposalKind)
    assert {p.status for p in proposals} == set(ProposalStatus)
    assert len({p.stakeholder_type for p in proposals}) == 6
    assert len({p.region for p in proposals}) >= 4
    assert sum(p.source.startswith("Regional event") for p in proposals) == 3
    assert sum(p.source.startswith("Physical meeting") for p in proposals) == 3
    own = [p.status for p in proposals if p.submitter_id == stakeholder.id]
    assert sorted(s.value for s in own) == ["draft", "submitted", "withdrawn"]
    numbers = [p.number for p in proposals if p.number is not None]
    assert len(numbers) == len(set(numbers))
    assert all(p.number is None for p in proposals if p.status is ProposalStatus.DRAFT)
    assert db.session.execute(sa.select(sa.func.count(User.id)).where(User.email.like("stakeholder%@demo%"))).scalar_one() == 30
    assert db.session.execute(sa.select(sa.func.count(ProposalRevision.id))).scalar_one() > 20
    words = len(proposals[5].description.split())
    assert 80 <= words <= 200
