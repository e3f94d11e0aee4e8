"""Action lines and SDGs suggested from text: "this looks like C5 Building confidence and security; SDG 16".

Three kinds of evidence, added: the cosine of the text with each reference theme (the Plan of Action's and the
SDG targets' key terms), the cosine with the centre of the consultation's proposals already labelled with it
(learnt as labels come in), and an action line the text names by its code ("Action Line C3", "AL C9").
"""
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from consult.textmodel.model import ACTION_LINE_COLUMNS, SDG_COLUMNS, THEME_KEYS, CorpusModel

# How much the consultation's own labelled proposals count beside the reference texts, once an action line has
# at least LEARN_FROM proposals: their words are the words of this call.
LEARNED_WEIGHT = 0.5
LEARN_FROM = 3
# A code named in the text ("Action Line C5", "C7: e-Science") is strong evidence: the organiser said it.
NAMED_CODE_BONUS = 0.5
SUGGESTED = 3
# Scores below this are not offered: the text says nothing about the theme.
MIN_SCORE = 0.02
_ACTION_LINE_KEYS = THEME_KEYS[ACTION_LINE_COLUMNS]
_SDG_KEYS = THEME_KEYS[SDG_COLUMNS]
_NAMED_CODE = re.compile(r"(?:action\s+lines?|\bAL)\s*:?\s*((?:C\s?\d{1,2}\b[\s,;/&and]*)+)", re.IGNORECASE)
_CODE = re.compile(r"C\s?(\d{1,2})\b", re.IGNORECASE)
_SUB_LINE_WORDS = {
    "egovernment": "C7-EGOV", "ebusiness": "C7-EBUS", "elearning": "C7-ELEARN", "ehealth": "C7-EHEALTH",
    "eemployment": "C7-EEMPLOY", "eenvironment": "C7-EENV", "eagriculture": "C7-EAGRI", "escience": "C7-ESCI",
}
_SUB_LINE_PATTERN = re.compile(r"\be[\s-]?(government|business|learning|health|employment|environment|agriculture|"
                               r"science)\b", re.IGNORECASE)


@dataclass
class LabelSuggestion:
    """Suggested action lines and SDGs of one text, best first, with scores."""

    action_lines: list[tuple[str, float]] = field(default_factory=list)
    sdgs: list[tuple[int, float]] = field(default_factory=list)

    def as_json(self) -> dict:
        """The form stored in Proposal.suggested_labels."""
        return {"action_lines": [[code, score] for code, score in self.action_lines],
                "sdgs": [[number, score] for number, score in self.sdgs]}

    @property
    def codes(self) -> list[str]:
        return [code for code, _score in self.action_lines]

    @property
    def numbers(self) -> list[int]:
        return [number for number, _score in self.sdgs]


def named_codes(text: str) -> list[str]:
    """Action lines a text names: 'WSIS Action Line C3: Access / C7: e-Science' -> ['C3', 'C7-ESCI']."""
    found: list[str] = []
    for match in _NAMED_CODE.finditer(text or ""):
        found.extend(f"C{int(number)}" for number in _CODE.findall(match.group(1)) if 1 <= int(number) <= 11)
    if "C7" in found or re.search(r"\bC\s?7\b", text or ""):
        subs = [_SUB_LINE_WORDS["e" + word.lower()] for word in _SUB_LINE_PATTERN.findall(text or "")]
        found = [code for code in found if code != "C7"] + subs if subs else found
    return list(dict.fromkeys(found))


def learned_centres(documents: sparse.csr_matrix, labels: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Centre of the documents carrying each theme key (labels: one-hot rows over THEME_KEYS) and their counts."""
    carried = (labels > 0).astype(np.float32)
    counts = np.asarray(carried.sum(axis=0)).ravel()
    if documents.shape[0] == 0 or documents.shape[1] == 0:
        return sparse.csr_matrix((labels.shape[1], documents.shape[1]), dtype=np.float32), counts
    return normalize(sparse.csr_matrix(carried.T @ documents)), counts


def score_themes(documents: sparse.csr_matrix, corpus: CorpusModel, *, centres: sparse.csr_matrix | None = None,
                 counts: np.ndarray | None = None, texts: Sequence[str] = ()) -> np.ndarray:
    """Evidence of each theme key (columns: THEME_KEYS) for each document row (rows L2-normalised)."""
    if documents.shape[1] == 0:
        scores = np.zeros((documents.shape[0], len(THEME_KEYS)), dtype=np.float32)
    else:
        scores = (documents @ corpus.themes.T).toarray()
        if centres is not None and counts is not None:
            learned = (documents @ centres.T).toarray()
            scores = scores + LEARNED_WEIGHT * np.where(counts >= LEARN_FROM, learned, 0.0)
    position = {key: index for index, key in enumerate(THEME_KEYS)}
    for row, text in enumerate(texts):
        for code in named_codes(text):
            scores[row, position[f"al:{code}"]] += NAMED_CODE_BONUS
    return scores.astype(np.float32)


def best_labels(scores: np.ndarray, *, count: int = SUGGESTED) -> list[LabelSuggestion]:
    """The `count` best action lines and SDGs of each row of scores, above MIN_SCORE, rounded."""
    result = []
    lines, sdgs = scores[:, ACTION_LINE_COLUMNS], scores[:, SDG_COLUMNS]
    for row in range(scores.shape[0]):
        line_order = np.argsort(-lines[row], kind="stable")[:count]
        sdg_order = np.argsort(-sdgs[row], kind="stable")[:count]
        result.append(LabelSuggestion(
            [(_ACTION_LINE_KEYS[index][3:], round(float(lines[row, index]), 3)) for index in line_order
             if lines[row, index] >= MIN_SCORE],
            [(int(_SDG_KEYS[index][4:]), round(float(sdgs[row, index]), 3)) for index in sdg_order
             if sdgs[row, index] >= MIN_SCORE]))
    return result
