"""Proposals in several languages: detected and confirmed, filtered, shown, imported, compared within a language."""
import csv
import io
import re

import sqlalchemy as sa

from consult.clustering.suggestions import compute_suggestions, scope_proposals
from consult.extensions import db
from consult.proposals.importing import import_proposals
from consult.proposals.models import Proposal, ProposalStatus
from consult.proposals.revisions import diff_revisions
from consult.proposals.similarity import find_similar_proposals
from consult.reference import in_reader_language
from tests.factories import make_proposal
from tests.proposals.conftest import form_data

FRENCH = dict(title="Réseaux communautaires et haut débit rural",
              summary="Des coopératives villageoises installent leur propre réseau pour réduire la fracture numérique.",
              description="Les réseaux communautaires apportent le haut débit aux zones rurales que les opérateurs "
                          "délaissent, avec des techniciens formés dans les villages.")
FRENCH_TOO = dict(title="Fracture numérique dans les zones rurales",
                  summary="Les villages sans réseau restent à l'écart : les réseaux communautaires réduisent la fracture "
                          "numérique.",
                  description="Réseaux communautaires, haut débit et techniciens villageois dans les zones rurales.")
ENGLISH = dict(title="Community networks for rural broadband",
               summary="Village cooperatives build their own networks to close the digital divide in rural areas.",
               description="Community networks bring broadband to rural areas that operators leave out.")
RUSSIAN = dict(title="Кибербезопасность критической инфраструктуры",
               summary="Атаки на энергосети и больницы показывают, как уязвима критическая инфраструктура.",
               description="Национальные группы реагирования на компьютерные инциденты и обмен сведениями об угрозах.")


def _csv(*rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "summary", "kind", "action_lines", "language"])
    for fields, *rest in rows:
        writer.writerow([fields["title"], fields["summary"], *rest])
    return out.getvalue().encode()


def _only() -> Proposal:
    return db.session.execute(sa.select(Proposal)).scalar_one()


def test_new_proposal_without_a_language_gets_the_one_its_text_reads_as(client, login, consultation, stakeholder):
    login(stakeholder)

    client.post("/proposals/new", data=form_data(**FRENCH))

    assert _only().language == "fr"


def test_form_is_prefilled_with_the_detection_and_notes_a_different_choice(client, login, consultation, stakeholder):
    login(stakeholder)
    client.post("/proposals/new", data=form_data(**FRENCH, language="es"))
    proposal = _only()

    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)

    assert proposal.language == "es"
    assert '<option selected value="es">Spanish</option>' in page
    note = re.search(r'<p id="language-note"[^>]*>(.*?)</p>', page, re.S)
    assert note.group(1).strip() == "Your text reads as French: check the language of the proposal above."


def test_form_for_a_new_proposal_chooses_the_detected_language_when_it_is_sent_back(client, login, consultation,
                                                                                    stakeholder):
    login(stakeholder)

    page = client.post("/proposals/new", data=form_data(**{**FRENCH, "title": "x" * 201})).get_data(as_text=True)

    assert '<option selected value="fr">French</option>' in page
    assert re.search(r'<p id="language-note"[^>]*hidden', page)


def test_an_unknown_language_is_refused_beside_its_field_with_the_text_kept(client, login, consultation, stakeholder):
    login(stakeholder)

    response = client.post("/proposals/new", data=form_data(**FRENCH, language="de"))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Not a valid choice." in page and FRENCH["summary"].replace("'", "&#39;") in page
    assert db.session.execute(sa.select(sa.func.count(Proposal.id))).scalar_one() == 0


def test_public_list_filters_by_language_with_counts_kept_in_the_address(client, consultation):
    consultation.submissions_published = True
    make_proposal(consultation, **FRENCH, language="fr")
    make_proposal(consultation, **FRENCH_TOO, language="fr")
    make_proposal(consultation, **ENGLISH, language="en")
    make_proposal(consultation, **RUSSIAN, language="ru", status=ProposalStatus.WITHDRAWN)

    page = client.get("/proposals/?language=fr").get_data(as_text=True)

    titles = re.findall(r'<bdi lang="(\w+)">([^<]+)</bdi></a>', page)
    assert titles == [("fr", FRENCH["title"]), ("fr", FRENCH_TOO["title"])]
    options = re.findall(r'<option (?:selected )?value="(\w*)">([^<]+)</option>', page.split('id="language"')[1])
    assert options[:4] == [("", "Any language"), ("en", "English (1)"), ("fr", "French (2)"), ("ar", "Arabic (0)")]
    assert '<option selected value="fr">French (2)</option>' in page
    assert page.count('data-testid="proposal-language">French</span>') == 2


def test_similar_proposals_are_found_in_the_text_s_language_only(consultation):
    french = make_proposal(consultation, **FRENCH, language="fr")
    make_proposal(consultation, **ENGLISH, language="en")
    query = " ".join(FRENCH_TOO.values())

    found = find_similar_proposals(consultation.id, query, language="fr")
    english = find_similar_proposals(consultation.id, " ".join(ENGLISH.values()), language="en")

    assert [proposal.id for proposal, _score in found] == [french.id]
    assert [proposal.language for proposal, _score in english] == ["en"]


def test_preview_says_when_no_proposal_is_in_its_language(client, login, consultation, stakeholder):
    consultation.submissions_published = True
    make_proposal(consultation, **ENGLISH, language="en")
    draft = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT, **RUSSIAN, language="ru")
    login(stakeholder)

    page = client.get(f"/proposals/{draft.id}/preview").get_data(as_text=True)

    assert ('<p data-testid="alone-in-language">No other proposal in Russian yet; the nearest in other languages '
            'are not compared.</p>') in page


def test_suggested_clusters_group_within_a_language_and_say_who_is_alone_in_its_own(consultation):
    for fields, language in ((FRENCH, "fr"), (FRENCH_TOO, "fr"), (ENGLISH, "en"), (RUSSIAN, "ru")):
        make_proposal(consultation, **fields, language=language, action_lines=("C2",), sdgs=(9,))

    run = compute_suggestions(scope_proposals(consultation.id, "submitted"))

    by_title = {suggestion.title: suggestion for suggestion in run.suggestions}
    languages = [{db.session.get(Proposal, pid).language for pid in suggestion.proposal_ids}
                 for suggestion in run.suggestions]
    assert languages == [{"fr"}, {"en"}, {"ru"}]
    assert [in_reader_language(reason) for reason in by_title[RUSSIAN["title"]].reasons] == [
        "No other proposal in Russian yet; the nearest in other languages are not compared."]
    assert by_title[RUSSIAN["title"]].nearest_position is None


def test_import_reads_a_language_column_by_code_or_name_and_detects_the_rest(consultation, chair):
    data = _csv([FRENCH, "thematic", "C2", "French"], [ENGLISH, "thematic", "C2", "ES"], [RUSSIAN, "thematic", "C5", ""])

    result = import_proposals(consultation, filename="mixed.csv", data=data, source="E-mail", actor=chair)

    assert result.errors == []
    rows = db.session.execute(sa.select(Proposal.title, Proposal.language).order_by(Proposal.number)).all()
    assert [language for _title, language in rows] == ["fr", "es", "ru"]


def test_import_refuses_a_language_outside_the_six_with_its_line(consultation, chair):
    data = _csv([ENGLISH, "thematic", "C2", "de"])

    result = import_proposals(consultation, filename="bad.csv", data=data, source="E-mail", actor=chair)

    assert [(error.line, error.message) for error in result.errors] == [
        (2, "language: Choose the language of the proposal from the list (one of the six UN languages).")]


def test_a_change_of_language_is_a_revision_change_and_an_older_snapshot_without_it_is_not():
    older, before, after = {"title": "T"}, {"title": "T", "language": "en"}, {"title": "T", "language": "fr"}

    assert [(change.label, change.segments) for change in diff_revisions(before, after)] == [
        ("Language", [("delete", "en"), ("insert", "fr")])]
    assert diff_revisions(older, after) == []
