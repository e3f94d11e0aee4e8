"""Imports without action lines: to classify with suggested labels, the committee's queue, confirmation."""
import pytest
import sqlalchemy as sa

from consult.audit.models import AuditEntry
from consult.consultations.models import PhaseKind
from consult.errors import DomainError, NotAllowedError, PhaseClosedError
from consult.extensions import db
from consult.proposals.classification import (
    confirm_labels,
    count_to_classify,
    suggest_labels_for_texts,
    to_classify_select,
)
from consult.proposals.importing import import_proposals
from consult.proposals.models import Proposal
from tests.factories import make_consultation, make_proposal

HEADER = "title,summary,kind,sdgs,organization,source\n"
ROWS = ("Cybercrime and incident response teams,National CERTs share threat data against attacks,thematic,,ITU,\n"
        "Telemedicine for rural clinics,Patients see doctors and hospitals share health records,thematic,3,,\n")


def _imported(consultation, chair, rows=ROWS, header=HEADER):
    result = import_proposals(consultation, filename="meeting.csv", data=(header + rows).encode(), source="Meeting",
                              actor=chair)
    assert result.errors == []
    db.session.commit()
    return db.session.execute(sa.select(Proposal).order_by(Proposal.number)).scalars().all()


def test_rows_without_action_lines_import_to_classify_with_suggested_labels(consultation, chair):
    cyber, health = _imported(consultation, chair)

    assert (cyber.is_to_classify, cyber.action_line_codes) == (True, [])
    assert cyber.suggested_labels["action_lines"][0][0] == "C5"
    assert health.suggested_labels["action_lines"][0][0] == "C7-EHEALTH"
    assert health.sdg_numbers == [3]  # the row's own SDGs are kept as given
    assert count_to_classify(consultation.id) == 2
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "proposal.import")).scalar_one()
    assert entry.details["to_classify"] == 2


def test_a_file_mixing_labelled_and_unlabelled_rows_marks_only_the_unlabelled(consultation, chair):
    rows = "Open data for cities,Cities publish data,thematic,C3,,\nCybercrime,CERTs and attacks,thematic,,,\n"
    labelled, unlabelled = _imported(consultation, chair, rows, "title,summary,kind,action_lines,organization,source\n")

    assert (labelled.is_to_classify, labelled.action_line_codes, labelled.suggested_labels) == (False, ["C3"], None)
    assert unlabelled.is_to_classify is True


def test_wrong_rows_still_refuse_the_whole_file(consultation, chair):
    data = (HEADER + ROWS + ",No title,thematic,,,\n").encode()

    result = import_proposals(consultation, filename="meeting.csv", data=data, source="Meeting", actor=chair)

    assert [(error.line, error.message) for error in result.errors] == [(4, "title: A title is required.")]
    assert db.session.execute(sa.select(sa.func.count(Proposal.id))).scalar_one() == 0


def test_labelled_proposals_teach_the_suggestions(consultation):
    for number in range(3):
        make_proposal(consultation, title=f"Zorblat sprockets {number}", summary="Zorblat sprockets and gears",
                      action_lines=("C8",), sdgs=(11,))
    db.session.commit()

    (suggestion,) = suggest_labels_for_texts(consultation.id, ["A session about zorblat sprockets"])

    assert suggestion.codes[0] == "C8" and suggestion.numbers[0] == 11


def test_confirm_labels_sets_them_and_leaves_the_queue(consultation, chair, reviewer):
    cyber, health = _imported(consultation, chair)

    confirm_labels(cyber, actor=reviewer, action_lines=["C5", "C4"], sdgs=[16])
    db.session.commit()

    assert (cyber.is_to_classify, cyber.action_line_codes, cyber.sdg_numbers) == (False, ["C4", "C5"], [16])
    assert [p.id for p in db.session.execute(to_classify_select(consultation.id)).scalars()] == [health.id]
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "proposal.classify")).scalar_one()
    assert entry.details == {"action_lines": ["C5", "C4"], "sdgs": [16], "suggested": cyber.suggested_labels and [
        code for code, _ in cyber.suggested_labels["action_lines"]], "as_suggested": True}


def test_confirm_labels_refusals(consultation, chair, reviewer, stakeholder):
    cyber, _health = _imported(consultation, chair)

    with pytest.raises(NotAllowedError):
        confirm_labels(cyber, actor=stakeholder, action_lines=["C5"], sdgs=[])
    with pytest.raises(DomainError) as error:
        confirm_labels(cyber, actor=reviewer, action_lines=[], sdgs=[])
    assert (error.value.field, error.value.message) == ("action_lines", "Choose at least one action line.")
    with pytest.raises(DomainError) as error:
        confirm_labels(cyber, actor=reviewer, action_lines=["C42"], sdgs=[])
    assert error.value.message == "Unknown action line: C42."
    final = make_consultation(current=PhaseKind.FINAL)
    late = make_proposal(final, None, action_lines=(), is_to_classify=True)
    with pytest.raises(PhaseClosedError):
        confirm_labels(late, actor=reviewer, action_lines=["C5"], sdgs=[])


def test_queue_page_shows_suggestions_and_a_confirmation_empties_it(client, login, consultation, chair, reviewer):
    cyber, health = _imported(consultation, chair)
    login(reviewer)

    page = client.get("/classify/").get_data(as_text=True)
    assert f"P-0001 · <bdi lang=\"{cyber.language}\">Cybercrime and incident response teams</bdi>" in page
    assert "C5 Building confidence and security in the use of ICTs (" in page
    assert "To classify (2)" in page

    response = client.post(f"/classify/{cyber.id}?page=1", data={f"p{cyber.id}-action_lines": ["C5"],
                                                                f"p{cyber.id}-sdgs": ["16"]})

    assert (response.status_code, response.location) == (302, "/classify/?page=1")
    db.session.expire_all()
    assert db.session.get(Proposal, cyber.id).action_line_codes == ["C5"]
    assert "To classify (1)" in client.get("/classify/").get_data(as_text=True)


def test_queue_post_without_action_line_answers_422_next_to_the_field(client, login, consultation, chair, reviewer):
    cyber, _health = _imported(consultation, chair)
    login(reviewer)

    response = client.post(f"/classify/{cyber.id}", data={f"p{cyber.id}-sdgs": ["16"]})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose at least one action line." in page
    assert db.session.get(Proposal, cyber.id).is_to_classify is True
