"""Action lines and SDGs suggested from text: reference themes, named codes, learnt from labelled proposals."""
import numpy as np
from scipy import sparse

from consult.textmodel.labels import best_labels, learned_centres, named_codes, score_themes
from consult.textmodel.model import THEME_KEYS, fit_corpus, unit_rows


def test_named_codes_read_action_lines_and_c7_sub_lines_from_titles():
    assert named_codes("IFM Action Line C3: Access / C7: e-Science") == ["C3", "C7-ESCI"]
    assert named_codes("WSIS Action Line C5: Building Trust in Cyberspace") == ["C5"]
    assert named_codes("AL C9 Media") == ["C9"]
    assert named_codes("Room C5 of the conference centre") == []
    assert named_codes("Action line C12") == []


def _suggest(texts, corpus_texts=(), labels=None):
    corpus = fit_corpus(list(corpus_texts))
    documents = unit_rows(corpus.transform(texts))
    centres = counts = None
    if labels is not None:
        centres, counts = learned_centres(corpus.documents, labels)
    return best_labels(score_themes(documents, corpus, centres=centres, counts=counts, texts=texts))


def test_reference_themes_place_short_texts_near_their_action_line_and_sdg():
    cyber, health, farming = _suggest([
        "Incident response teams and cybercrime: protecting critical infrastructure from attacks",
        "Telemedicine for rural hospitals: patients' medical records and health care",
        "Market prices by text message for smallholder farmers and food security",
    ])

    assert cyber.codes[0] == "C5"
    assert health.codes[0] == "C7-EHEALTH" and health.numbers[0] == 3
    assert farming.codes[0] == "C7-EAGRI" and farming.numbers[0] == 2


def test_a_named_code_outweighs_the_wording():
    (suggestion,) = _suggest(["Action Line C9: telemedicine for hospitals"])

    assert suggestion.codes[0] == "C9"
    assert suggestion.codes[1] == "C7-EHEALTH"


def test_labelled_proposals_teach_a_theme_the_reference_text_lacks():
    corpus_texts = [f"Quantum widgets and sprockets number {index}" for index in range(4)]
    labels = sparse.csr_matrix(np.tile(np.array(THEME_KEYS) == "al:C8", (4, 1)).astype(np.float32))

    (taught,) = _suggest(["A session on quantum sprockets"], corpus_texts, labels)
    (untaught,) = _suggest(["A session on quantum sprockets"], corpus_texts)

    assert taught.codes == ["C8"]
    assert untaught.codes == []


def test_suggestions_round_scores_and_serialise():
    (suggestion,) = _suggest(["Cybersecurity and cybercrime"])

    stored = suggestion.as_json()
    assert stored["action_lines"][0][0] == "C5"
    assert all(isinstance(score, float) and score == round(score, 3) for _code, score in stored["action_lines"])
