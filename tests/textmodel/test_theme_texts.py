"""The text model's vocabulary of the themes covers each action line and SDG of the reference data, once."""
from consult.reference import ACTION_LINES, SDGS
from consult.textmodel.theme_texts import ACTION_LINE_TEXTS, SDG_TEXTS


def test_every_action_line_and_sdg_has_one_theme_text():
    assert list(ACTION_LINE_TEXTS) == [line.code for line in ACTION_LINES]
    assert list(SDG_TEXTS) == list(SDGS)
    assert all(len(text.split()) >= 20 for text in [*ACTION_LINE_TEXTS.values(), *SDG_TEXTS.values()])
