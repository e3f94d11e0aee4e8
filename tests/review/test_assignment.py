"""Assignment: the rules are never broken (property test), loads are balanced, panels mixed, the chair refused clearly."""
from collections import Counter

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.accounts.models import Role
from consult.consultations.models import PhaseKind
from consult.errors import DomainError
from consult.extensions import db
from consult.reference import StakeholderType
from consult.review.assignment import (
    Candidate,
    Member,
    assign_automatically,
    assign_reviewer,
    normalise_organization,
    plan_assignment,
)
from consult.review.models import AssignmentState, ReviewAssignment
from consult.review.services import declare_conflict, decline_assignment
from tests import factories

ORGS = ["Org A", "org a.", "Org B", "ÖRG C", "Org D", ""]


@st.composite
def instances(draw):
    reviewer_count = draw(st.integers(1, 8))
    reviewers = [Member(id=index + 1, organization=normalise_organization(draw(st.sampled_from(ORGS))),
                        stakeholder_type=draw(st.sampled_from(["gov", "cs", "acad"])))
                 for index in range(reviewer_count)]
    proposals = []
    for index in range(draw(st.integers(1, 12))):
        submitter = draw(st.one_of(st.none(), st.integers(1, reviewer_count + 3)))
        proposals.append(
            Candidate(id=100 + index, submitter_id=submitter, organization=normalise_organization(draw(st.sampled_from(ORGS))))
        )
    pairs = st.tuples(st.sampled_from([p.id for p in proposals]), st.sampled_from([r.id for r in reviewers]))
    blocked = draw(st.sets(pairs, max_size=10))
    return proposals, reviewers, blocked, draw(st.integers(1, 4))


@settings(max_examples=60, deadline=None)
@given(instances())
def test_automatic_plan_never_breaks_a_rule(instance):
    proposals, reviewers, blocked, k = instance
    by_id = {r.id: r for r in reviewers}

    plan = plan_assignment(proposals, reviewers, k=k, blocked=blocked)

    assert len(plan.pairs) == len(set(plan.pairs))
    panels = Counter(proposal_id for proposal_id, _ in plan.pairs)
    for proposal in proposals:
        eligible = [r for r in reviewers if r.id != proposal.submitter_id and (proposal.id, r.id) not in blocked
                    and not (proposal.organization and proposal.organization == r.organization)]
        assert panels[proposal.id] == min(k, len(eligible))  # k whenever k eligible reviewers exist
        assert (proposal.id in plan.short) == (len(eligible) < k)
    for proposal_id, reviewer_id in plan.pairs:
        proposal = next(p for p in proposals if p.id == proposal_id)
        assert reviewer_id != proposal.submitter_id
        assert (proposal_id, reviewer_id) not in blocked
        assert not (proposal.organization and proposal.organization == by_id[reviewer_id].organization)


def test_plan_balances_load_and_mixes_types():
    reviewers = [Member(id=i, organization=f"r{i}", stakeholder_type=["gov", "cs", "acad"][i % 3]) for i in range(1, 10)]
    proposals = [Candidate(id=100 + i, submitter_id=None, organization=f"p{i}") for i in range(30)]
    type_of = {r.id: r.stakeholder_type for r in reviewers}

    plan = plan_assignment(proposals, reviewers, k=3, blocked=set())

    loads = Counter(reviewer_id for _, reviewer_id in plan.pairs)
    assert set(loads.values()) == {10}
    panels = {}
    for proposal_id, reviewer_id in plan.pairs:
        panels.setdefault(proposal_id, []).append(type_of[reviewer_id])
    assert all(sorted(types) == ["acad", "cs", "gov"] for types in panels.values())


def test_normalise_organization_ignores_case_accents_and_punctuation():
    assert normalise_organization("  Örg  A. ") == normalise_organization("org a") == "org a"


@pytest.fixture
def review_world(app):
    consultation = factories.make_consultation(current=PhaseKind.REVIEW)
    consultation.reviewers_per_proposal = 2
    reviewers = [factories.make_user(role=Role.REVIEWER, organization=f"Committee org {i}",
                                     stakeholder_type=list(StakeholderType)[i]) for i in range(3)]
    proposal = factories.make_proposal(consultation, factories.make_user(organization="Committee Org 0!"))
    db.session.commit()
    return consultation, reviewers, proposal


def _assigned(proposal):
    return sorted(db.session.execute(sa.select(ReviewAssignment.reviewer_id).where(
        ReviewAssignment.proposal_id == proposal.id, ReviewAssignment.state == AssignmentState.ASSIGNED)).scalars())


def test_assign_automatically_skips_same_organization(review_world):
    consultation, reviewers, proposal = review_world

    plan = assign_automatically(consultation)

    assert _assigned(proposal) == sorted([reviewers[1].id, reviewers[2].id])
    assert plan.short == {}


def test_declined_slot_is_refilled_by_a_rerun_but_not_by_the_same_reviewer(review_world):
    consultation, reviewers, proposal = review_world
    extra = factories.make_user(role=Role.REVIEWER, organization="Fresh eyes")
    assign_automatically(consultation)
    leaving = reviewers[1]

    decline_assignment(proposal, reviewer=leaving, reason="Travelling all month")
    plan = assign_automatically(consultation)

    assert plan.pairs == [(proposal.id, extra.id)]
    assert _assigned(proposal) == sorted([reviewers[2].id, extra.id])


def test_conflict_frees_the_slot_and_blocks_the_reviewer(review_world):
    consultation, reviewers, proposal = review_world
    assign_automatically(consultation)

    declare_conflict(proposal, reviewer=reviewers[2], reason="My former employer")
    plan = assign_automatically(consultation)

    assert _assigned(proposal) == [reviewers[1].id]
    assert plan.short == {
        proposal.id: "only 0 eligible reviewers left (submitter, same organization, conflicts and declines excluded)"
    }


def test_manual_assignment_refuses_same_organization_with_message(review_world):
    _consultation, reviewers, proposal = review_world

    with pytest.raises(DomainError) as error:
        assign_reviewer(proposal, reviewers[0], actor=None)

    assert error.value.message == f"{reviewers[0].name} belongs to the organization that submitted this proposal."


def test_manual_assignment_refuses_conflicted_reviewer(review_world):
    _consultation, reviewers, proposal = review_world
    declare_conflict(proposal, reviewer=reviewers[1], reason="Co-author")

    with pytest.raises(DomainError) as error:
        assign_reviewer(proposal, reviewers[1], actor=None)

    assert error.value.message == f"{reviewers[1].name} declared a conflict with this proposal."


def test_manual_assignment_refuses_the_submitter(review_world):
    consultation, _reviewers, _proposal = review_world
    reviewer_submitter = factories.make_user(role=Role.REVIEWER, organization="Own shop")
    own = factories.make_proposal(consultation, reviewer_submitter)

    with pytest.raises(DomainError) as error:
        assign_reviewer(own, reviewer_submitter, actor=None)

    assert error.value.message == f"{reviewer_submitter.name} submitted this proposal."
