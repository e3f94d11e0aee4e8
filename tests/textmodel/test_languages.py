"""Each language read its own way: detection, analyzers, and one corpus per language side by side."""
import numpy as np
import pytest

from consult.textmodel.analysis import analyse
from consult.textmodel.languages import detect_language, detect_languages
from consult.textmodel.model import fit_corpus
from consult.textmodel.multilingual import MultilingualCorpus, fit_corpora

SAMPLES = {
    "en": "Closing the digital divide in rural areas with community networks",
    "fr": "Réduire la fracture numérique dans les zones rurales grâce aux réseaux communautaires",
    "es": "Ciberseguridad para pequeñas empresas y comunidades rurales de América Latina",
    "ru": "Кибербезопасность критической инфраструктуры и группы реагирования на инциденты",
    "ar": "الشمول الرقمي للشباب في المناطق الريفية العربية",
    "zh": "人工智能赋能智慧农业与农村数字技能培训",
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_detect_language_names_each_un_language(language):
    assert detect_language(SAMPLES[language]) == language


def test_detect_language_reads_an_unsure_short_title_as_english_and_a_sure_one_as_written():
    # Trigrams alone score these real WSIS titles 0.75-0.90 French.
    assert [detect_language("IFM Action Line C2 Infrastructure"), detect_language("Action Line: C8 Culture")] == [
        "en", "en"]
    assert detect_language("Fracture numérique") == "fr"


def test_detect_language_says_none_when_the_text_is_too_short():
    assert [detect_language(""), detect_language("ICT 4D"), detect_language("数字")] == [None, None, None]
    assert detect_languages(["", SAMPLES["fr"], SAMPLES["zh"]]) == [None, "fr", "zh"]


def test_each_language_has_its_own_stems_and_stop_words():
    assert analyse(SAMPLES["fr"], language="fr")[:6] == ["reduir", "fractur", "numer", "zon", "rural", "grac"]
    assert analyse("Ciberseguridad para pequeñas empresas", language="es") == [
        "cibersegur", "pequen", "empres", "cibersegur pequen", "pequen empres"]
    assert analyse("Цифровая экономика", language="ru") == ["цифров", "экономик", "цифров экономик"]
    assert analyse("弥合农村地区的数字鸿沟", language="zh") == [
        "弥合", "农村", "地区", "数字", "鸿沟", "弥合 农村", "农村 地区", "地区 数字", "数字 鸿沟"]
    # An accent left out stems as the word written with it.
    assert analyse("numerique", language="fr") == analyse("numérique", language="fr") == ["numer"]


def test_texts_in_different_languages_are_never_similar_and_alike_texts_of_one_language_are():
    texts = [SAMPLES["fr"], "La fracture numérique des femmes dans les zones rurales", SAMPLES["en"],
             "Community networks bring broadband to rural areas", "弥合农村数字鸿沟", "农村数字鸿沟与宽带"]
    languages = ["fr", "fr", "en", "en", "zh", "zh"]

    corpus = fit_corpora(texts, languages)

    similarity = (corpus.documents @ corpus.documents.T).toarray()
    same = np.equal.outer(np.array(languages), np.array(languages))
    assert isinstance(corpus, MultilingualCorpus)
    assert np.all(similarity[~same] == 0.0)
    assert similarity[0, 1] > 0.2 and similarity[2, 3] > 0.2 and similarity[4, 5] > 0.2
    assert corpus.readable("fr:numer fr:rural") == "numérique rurales"
    # Only the English rows meet the (English) reference themes.
    assert np.all(corpus.concepts[[0, 1, 4, 5]] == 0.0) and corpus.concepts[[2, 3]].max() > 0.0


def test_a_corpus_of_english_only_is_the_english_model_unchanged():
    texts = [SAMPLES["en"], "Community networks bring broadband to rural areas", "Cybersecurity for small firms"]

    joined, alone = fit_corpora(texts, ["en"] * 3), fit_corpus(texts)

    assert (joined.documents != alone.documents).nnz == 0 and list(joined.terms) == list(alone.terms)
    assert (joined.themes != alone.themes).nnz == 0


def test_a_new_text_is_placed_in_the_model_of_its_language_only():
    corpus = fit_corpora([SAMPLES["fr"], SAMPLES["en"]], ["fr", "en"])

    french = corpus.transform(["fracture numérique rurale"], "fr")
    russian = corpus.transform([SAMPLES["ru"]], "ru")

    scores = (french @ corpus.documents.T).toarray().ravel()
    assert scores[0] > 0 and scores[1] == 0.0
    assert russian.nnz == 0 and russian.shape == (1, corpus.documents.shape[1])
