"""Cluster titles as the members write their terms: phrases with their inner words, the text's language, acronyms.

The English texts are rows of shared/data/real_sessions_dev.tsv (title, then description); the French ones are
written as the French pages of such sessions read.
"""
import pytest

from consult.textmodel.multilingual import fit_corpora
from consult.textmodel.naming import MemberLabels, describe_group
from consult.textmodel.wording import Wording

DISABILITIES = [
    "IFM Action Line C3: Access (ICT and persons with disabilities)\nIFM Action Line C3: Access (ICT and persons "
    "with disabilities)",
    "Action Line: C3 Access – ICT and Persons with Disabilities\nThis interactive debate will explore existing and "
    "potential usage of Information and Communication Technologies (ICTs) to improve access by persons with "
    "disabilities to information and knowledge and encourage their participation in social, economic and "
    "political life.",
    "Digital inclusion policies for the forgotten billion\nThere are one billion persons with disabilities "
    "globally of which 80% live in developing countries according to the World Health Organisation. In many "
    "cases, they are the forgotten billion in terms of digital inclusion policies.",
]
CHILDREN = [
    "An industry lead approach for making internet a better place for kids (No: 116)\nIt is generally agreed that "
    "making the internet safer for children and young people is a shared responsibility between policy makers, "
    "industry, parents and educators, governments, researchers and NGOs.",
    "Innovative application of ICTs to facilitate child protection online (No: 125)\nProtection of children and "
    "young people from exploitation has been already established as a key issue that needs to be adddressed at "
    "this forum and various workshops and discussions have taken place in the last 6 IGF sessions.",
    "Rights of the child in the digital environment\nThe rights of the child apply online as offline: children "
    "and young people need protection from exploitation and a voice in how platforms treat them.",
]
FRENCH_DISABILITIES = [
    "Grande orientation C3 : accès – les TIC et les personnes handicapées\nCe débat interactif examinera "
    "l'utilisation des technologies de l'information et de la communication (TIC) pour améliorer l'accès des "
    "personnes handicapées à l'information et au savoir.",
    "Inclusion numérique des personnes handicapées\nUn milliard de personnes handicapées vivent dans le monde, "
    "dont 80 % dans les pays en développement ; les politiques d'inclusion numérique les oublient souvent.",
    "Accessibilité des TIC pour les personnes handicapées\nLes normes d'accessibilité rendent les services "
    "numériques utilisables par les personnes handicapées, en particulier dans les pays en développement.",
]
AI = [
    "IGF 2021 WS #68 AI Ethics & Internet Governance: Global Lessons & Practices\nAI systems raise questions of "
    "ethics that Internet governance has to answer.",
    "Data governance and policy: Developing a curriculum (WS186)\nData is at the core of modern society, from our "
    "digital footprint via e-mail and social media, through to big data analytics. AI further increases the "
    "power and relevance of data, and its ethics are debated.",
    "Ethics of AI in public services\nGovernments deploy AI to decide on benefits; the ethics of such systems "
    "and the data they learn from are at stake.",
]


def _describe(texts, languages=None, members=None):
    corpus = fit_corpora(texts, languages)
    members = members or [MemberLabels() for _ in texts]
    return describe_group(list(range(len(texts))), text_matrix=corpus.documents, terms=corpus.terms,
                          readable=corpus.readable, members=members, wording=Wording(texts, languages))


@pytest.mark.usefixtures("app")
def test_title_keeps_the_inner_word_of_a_phrase_and_the_acronym():
    described = _describe(DISABILITIES, members=[MemberLabels(["C3"]), MemberLabels(["C3"]), MemberLabels()])

    assert described.title == "Persons with disabilities and access (C3)"
    assert described.terms == ['persons with disabilities', 'access']  # ICT is said by every call: no theme alone


@pytest.mark.usefixtures("app")
def test_no_phrase_across_a_conjunction():
    described = _describe(CHILDREN)

    assert described.title == "Child"  # the word two of the three titles name
    assert described.terms == ['child', 'young people', 'protection', 'place', 'online', 'need']
    assert "children young" not in " ".join(described.terms)


@pytest.mark.usefixtures("app")
def test_french_cluster_reads_in_french_as_written():
    described = _describe(FRENCH_DISABILITIES, ["fr"] * 3)

    assert described.title == "Personnes handicapées, numérique et pays en développement"
    assert described.terms == ['personnes handicapées', 'numérique', 'pays en développement', 'utilisables']
    assert described.terms[0] == "personnes handicapées"


@pytest.mark.usefixtures("app")
def test_acronym_keeps_its_capitals_and_title_case_says_nothing():
    described = _describe(AI)

    assert described.title == "AI, ethics and governance"
    assert described.terms == ['AI', 'ethics', 'governance', 'data', 'systems']


def test_written_refuses_a_clause_break_and_a_conjunction():
    wording = Wording(["Human rights. Children online", "Rights and children", "The rights of the child"])

    assert wording.written("right child", [0, 1]) is None
    assert wording.written("right child", [0, 1, 2]) == "rights of the child"


def test_written_prints_capitals_only_where_they_tell():
    wording = Wording([
        "Internet Governance In Africa\nInternet governance in Africa needs local voices.",
        "Governance Forum\nGovernance of the internet in Africa. Africa hosts the forum.",
        "IoT security\nSecuring IoT devices at home.",
    ])

    assert wording.written("africa", [0, 1]) == "Africa"
    assert wording.written("govern", [0, 1]) == "governance"
    assert wording.written("iot", [2]) == "IoT"


@pytest.mark.usefixtures("app")
def test_title_is_what_the_members_titles_name_not_any_shared_word_of_their_summaries():
    summary = ("Panels at technology events still feature far more men than women. We suggest a speaker pledge, a "
               "public count per session and a roster of experts ready to speak.")
    described = _describe([f"Gender balance among Forum speakers\n{summary}",
                           f"Gender balance among Forum speakers (Canada)\n{summary}"])

    assert described.title == "Gender balance"
    assert described.terms[:3] == ["gender balance", "count", "experts ready"]
