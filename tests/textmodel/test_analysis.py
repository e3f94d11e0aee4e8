"""Words to terms: folding, compounds, boilerplate, stems and bigrams; readable forms of stems."""
from consult.textmodel.analysis import analyse, fold, readable_forms, terms


def test_fold_lowers_strips_accents_and_joins_known_prefixes():
    assert fold("E-Health in Côte d'Ivoire and cyber security") == "ehealth in cote d'ivoire and cybersecurity"


def test_terms_drop_stop_words_boilerplate_and_numbers_and_stem_the_rest():
    assert terms("The workshop will discuss Governments' governance of networks in 2019 (No. 108)") == [
        "govern", "govern", "network"]


def test_analyse_adds_bigrams_of_adjacent_content_words():
    assert analyse("rural broadband networks") == ["rural", "broadband", "network", "rural broadband", "broadband network"]


def test_readable_forms_give_the_most_frequent_word_of_each_stem():
    forms = readable_forms(["Cybersecurity for all", "cybersecurity and networks", "a network"])

    assert forms["cybersecur"] == "cybersecurity"
    assert forms["network"] == "network"  # one 'networks', one 'network': the shorter wins the tie
