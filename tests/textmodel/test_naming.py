"""Titles and reasons of a group from what its members share."""
import pytest

from consult.reference import in_reader_language
from consult.textmodel.analysis import readable_forms
from consult.textmodel.model import fit_corpus
from consult.textmodel.naming import MemberLabels, describe_group, line_name, phrase

TEXTS = [
    "Cybersecurity and trust for small businesses",
    "National cybersecurity strategies build trust",
    "Cybersecurity incident response and trust between CERTs",
]


@pytest.fixture
def described(app):
    corpus = fit_corpus(TEXTS)
    forms = readable_forms(TEXTS)
    members = [MemberLabels(["C5"], [16]), MemberLabels(["C5", "C4"], [16]), MemberLabels([], [9])]

    def readable(term):
        return " ".join(forms.get(part, part) for part in term.split())

    return describe_group([0, 1, 2], text_matrix=corpus.documents, terms=corpus.terms, readable=readable,
                          members=members)


def test_title_joins_shared_terms_and_the_shared_action_line(described):
    assert described.title == "Cybersecurity and trust (C5)"
    assert described.action_line == "C5"


def test_reasons_name_shared_labels_and_terms_in_a_chairs_words(described):
    assert [in_reader_language(reason) for reason in described.reasons] == [
        "Action line C5 Building confidence and security in the use of ICTs: 2 of 3 proposals",
        "SDG 16 Peace, justice and strong institutions: 2 of 3 proposals",
        "Common terms: cybersecurity and trust",
    ]
    assert {row: in_reader_language(reason) for row, reason in described.member_reasons.items()} == {
        0: "Shares C5 and the terms cybersecurity and trust",
        1: "Shares C5 and the terms cybersecurity and trust",
        2: "Shares the terms cybersecurity and trust",
    }


def test_unconfirmed_suggested_line_is_named_as_such(app):
    corpus = fit_corpus(TEXTS)
    members = [MemberLabels([], [], ["C5", "C4"]), MemberLabels([], [], ["C5"]), MemberLabels([], [], ["C4"])]

    described = describe_group([0, 1, 2], text_matrix=corpus.documents, terms=corpus.terms, readable=str,
                               members=members)

    assert "Looks like C5 Building confidence and security in the use of ICTs (suggested, not confirmed)" in [
        in_reader_language(reason) for reason in described.reasons]
    assert described.title.endswith("(C5)")


def test_line_name_and_phrase(app):
    assert line_name("C7-EHEALTH") == "C7 E-health"
    assert line_name("C5") == "C5"
    assert phrase(["rural broadband", "fibre", "villages"]) == "Rural broadband, fibre and villages"
    assert phrase([]) == ""


def _describe(texts, members=None):
    corpus = fit_corpus(texts)
    forms = readable_forms(texts)

    def readable(term):
        return " ".join(forms.get(part, part) for part in term.split())

    members = members or [MemberLabels() for _ in texts]
    return describe_group(list(range(len(texts))), text_matrix=corpus.documents, terms=corpus.terms,
                          readable=readable, members=members)


def test_title_leaves_out_label_citations_and_prefers_the_phrase_to_its_words(app):
    described = _describe([
        "WSIS Action Line C10: human rights online and ethics",
        "Human rights and ethics of the information society, Action Line C10",
        "Human rights defenders online",
    ], [MemberLabels(["C10"]), MemberLabels(["C10"]), MemberLabels(["C10"])])

    assert described.title == "Human rights, online and ethics (C10)"
    assert described.terms == ["human rights", "online", "ethics"]


def test_title_spells_acronyms_and_e_lines_and_never_a_generic_word_alone(app):
    described = _describe([
        "Internet: e-health records and ICT skills",
        "Internet: eHealth clinics need ICT skills",
    ])

    assert described.title == "Internet e-health and ICT skills"
    assert "internet" not in described.terms


def test_group_with_only_an_action_line_in_common_is_named_after_the_line(app):
    described = _describe(["Broadband towers", "Satellite links"], [MemberLabels(["C2"]), MemberLabels(["C2"])])

    assert described.title == "C2 Information and communication infrastructure"


def test_reasons_are_stored_as_messages_and_read_in_each_readers_language(described):
    from flask_babel import force_locale

    with force_locale("fr"):
        french = [in_reader_language(reason) for reason in described.reasons]
        french_member = in_reader_language(described.member_reasons[0])
    with force_locale("ar"):
        arabic = in_reader_language(described.reasons[2])

    assert described.reasons[2] == 'msg:{"m": "Common terms: %(terms)s", "p": {"terms": {"words": ["cybersecurity", "trust"]}}}'
    assert french == [
        "Grande orientation C5 Établir la confiance et la sécurité dans l’utilisation des TIC : 2 propositions sur 3",
        "ODD 16 Paix, justice et institutions efficaces : 2 propositions sur 3",
        "Termes communs : cybersecurity et trust",
    ]
    assert french_member == "En commun : C5 et les termes cybersecurity et trust"
    assert arabic == "المصطلحات المشتركة: cybersecurity وtrust"


def test_lines_carried_by_as_many_members_read_in_the_reference_order(app):
    members = [MemberLabels(["C7-EBUS", "C5"], [16, 8]), MemberLabels(["C5", "C7-EBUS"], [8, 16])]

    described = _describe(["Trust in mobile money and fraud alerts", "Trust in mobile money for households"],
                          members)

    assert described.action_line == "C5"
    assert [in_reader_language(reason).split(":")[0] for reason in described.reasons[:4]] == [
        "Action line C5 Building confidence and security in the use of ICTs", "Action line C7 E-business",
        "SDG 8 Decent work and economic growth", "SDG 16 Peace, justice and strong institutions"]
