"""The maintained tallies equal a live count after every kind of write, and the unfiltered counts read them alone."""
import dataclasses

import sqlalchemy as sa

from consult.extensions import db
from consult.proposals import services
from consult.proposals.importing import import_proposals
from consult.proposals.listing import count_in_database, count_proposals
from consult.proposals.models import Proposal, ProposalActionLine, ProposalKind, ProposalSdg, ProposalStatus
from consult.proposals.queries import SUBMITTED_OR_WITHDRAWN, ProposalFilters
from consult.proposals.tallies import recount, tallies
from consult.reference import StakeholderType
from tests.factories import make_consultation, make_proposal

HEADER = "title,summary,kind,action_lines,sdgs,organization,stakeholder_type,country,submitter_name,submitter_email,source\n"


def _same_as_live(consultation) -> dict:
    db.session.flush()
    kept = tallies(consultation.id, SUBMITTED_OR_WITHDRAWN)
    assert kept == count_in_database(consultation.id, SUBMITTED_OR_WITHDRAWN, ProposalFilters())
    return kept


def test_tallies_follow_forms_imports_tag_edits_withdrawals_and_deletes(consultation, stakeholder, chair):
    make_proposal(consultation, stakeholder, action_lines=("C4", "C7-EHEALTH"), sdgs=(3, 4))
    make_proposal(consultation, None, kind=ProposalKind.FORMAT, action_lines=("C5",), sdgs=(16,),
                  stakeholder_type=StakeholderType.GOVERNMENT, country="CH", speakers=1)
    draft = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT, action_lines=("C1",), sdgs=(5,))

    assert _same_as_live(consultation) == {
        "kind": {"thematic": 1, "format": 1},
        "stakeholder_type": {"civil_society": 1, "government": 1},
        "region": {"africa": 1, "europe": 1},
        "language": {"en": 2},
        "action_line": {"C4": 1, "C7-EHEALTH": 1, "C5": 1},
        "sdg": {"3": 1, "4": 1, "16": 1},
    }

    services.submit_proposal(draft, actor=stakeholder)
    assert _same_as_live(consultation)["action_line"] == {"C4": 1, "C7-EHEALTH": 1, "C5": 1, "C1": 1}

    content = dataclasses.replace(services.ProposalContent.of(draft), action_lines=["C5", "C9"], sdgs=[13])
    services.update_proposal(draft, actor=stakeholder, content=content)
    kept = _same_as_live(consultation)
    assert kept["action_line"] == {"C4": 1, "C7-EHEALTH": 1, "C5": 2, "C9": 1}
    assert kept["sdg"] == {"3": 1, "4": 1, "16": 1, "13": 1}

    services.withdraw_proposal(draft, actor=stakeholder, reason="Merged with a partner", accept_consequences=True)
    assert tallies(consultation.id, (ProposalStatus.WITHDRAWN,))["action_line"] == {"C5": 1, "C9": 1}
    assert _same_as_live(consultation)["kind"] == {"thematic": 2, "format": 1}

    result = import_proposals(consultation, filename="event.csv", source="Regional event", actor=chair, data=(
        HEADER + "Open data for cities,Cities publish data,thematic,C3;C7-EGOV,11,City of Accra,government,GH,Ama,"
        "ama@example.org,\n").encode())
    assert result.errors == []
    assert _same_as_live(consultation)["action_line"] == {"C4": 1, "C7-EHEALTH": 1, "C5": 2, "C9": 1, "C3": 1, "C7-EGOV": 1}

    db.session.execute(sa.delete(ProposalSdg).where(ProposalSdg.sdg == 16))
    db.session.execute(sa.update(ProposalActionLine).where(ProposalActionLine.code == "C3").values(code="C2"))
    db.session.execute(sa.delete(Proposal).where(Proposal.kind == ProposalKind.FORMAT))  # cascades to its tags
    kept = _same_as_live(consultation)
    assert (kept["kind"], kept["sdg"]) == ({"thematic": 3}, {"3": 1, "4": 1, "13": 1, "11": 1})
    assert kept["action_line"] == {"C4": 1, "C7-EHEALTH": 1, "C5": 1, "C9": 1, "C2": 1, "C7-EGOV": 1}


def test_a_rolled_back_change_takes_its_tallies_with_it(consultation, stakeholder):
    make_proposal(consultation, stakeholder, action_lines=("C4",), sdgs=(4,))
    before = _same_as_live(consultation)

    savepoint = db.session.begin_nested()
    make_proposal(consultation, stakeholder, action_lines=("C4",), sdgs=(4,))
    assert tallies(consultation.id, SUBMITTED_OR_WITHDRAWN)["action_line"] == {"C4": 2}
    savepoint.rollback()

    assert _same_as_live(consultation) == before == {
        "kind": {"thematic": 1}, "stakeholder_type": {"civil_society": 1}, "region": {"africa": 1},
        "language": {"en": 1}, "action_line": {"C4": 1}, "sdg": {"4": 1}}


def test_tallies_keep_consultations_apart_and_a_recount_rebuilds_them(consultation, stakeholder):
    other = make_consultation(title="Another year")
    make_proposal(consultation, stakeholder, action_lines=("C4",), sdgs=(4,))
    make_proposal(other, stakeholder, action_lines=("C10",), sdgs=(12,))
    kept = (tallies(consultation.id, SUBMITTED_OR_WITHDRAWN), tallies(other.id, SUBMITTED_OR_WITHDRAWN))

    recount(db.session.connection())

    assert (kept[0]["action_line"], kept[1]["action_line"]) == ({"C4": 1}, {"C10": 1})
    assert (tallies(consultation.id, SUBMITTED_OR_WITHDRAWN), tallies(other.id, SUBMITTED_OR_WITHDRAWN)) == kept


def test_unfiltered_counts_read_the_tallies_alone_and_equal_the_live_counts(consultation, stakeholder, count_queries):
    make_proposal(consultation, stakeholder, action_lines=("C4", "C7-EHEALTH"), sdgs=(3, 4))
    make_proposal(consultation, stakeholder, kind=ProposalKind.FORMAT, status=ProposalStatus.WITHDRAWN,
                  action_lines=("C4",), sdgs=(4,))
    db.session.flush()

    with count_queries() as counter:
        counts = count_proposals(consultation.id, ProposalFilters())

    assert [statement.split("FROM")[1].split()[0] for statement in counter.statements] == ["proposal_tallies"]
    assert (counts.total, dict(counts.by_kind)) == (2, {"Thematic": 1, "Format": 1})
    assert {label: count for label, count in counts.by_action_line if count} == {
        "C4 Capacity building": 2, "C7 E-health": 1}
    # The same numbers as a live count over the same proposals (a filter that every one of them passes).
    live = count_proposals(consultation.id, ProposalFilters(source="online"))
    assert dataclasses.astuple(live) == dataclasses.astuple(counts)


def test_rows_inserted_many_at_once_are_each_counted(consultation, stakeholder):
    proposals = [make_proposal(consultation, stakeholder, action_lines=(), sdgs=()) for _ in range(3)]

    db.session.execute(sa.insert(ProposalActionLine), [{"proposal_id": proposal.id, "code": code}
                                                       for proposal in proposals for code in ("C4", "C10")])
    db.session.execute(sa.insert(ProposalSdg), [{"proposal_id": proposal.id, "sdg": 9} for proposal in proposals])

    kept = _same_as_live(consultation)
    assert (kept["kind"], kept["action_line"], kept["sdg"]) == ({"thematic": 3}, {"C4": 3, "C10": 3}, {"9": 3})
