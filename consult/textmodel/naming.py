"""Words for a group of proposals: a title from what its members share, reasons a chair would write.

A group's title is its most shared terms and, when most members share one, its action line: "Cybersecurity,
trust and privacy (C5)". Each member's reason says what it shares with the others: "Shares C5 and the terms
cybersecurity, trust". The functions take plain data (rows of a TF-IDF matrix, codes), never the database.
"""
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from flask_babel import gettext as _
from scipy import sparse

from consult.reference import ACTION_LINES_BY_CODE, N_, short_line_name, stored_message

TITLE_TERMS = 3
REASON_TERMS = 6
MEMBER_TERMS = 3
# A label is the group's when at least this share of its members (and two of them) carry it.
SHARED_LABEL_SHARE = 0.5
# How a text cites its labels ("Action Line C5", "WSIS", "IGF"): never part of a title, since the label is
# printed by its own name beside the terms.
CITATION_WORDS = frozenset("action line lines wsis igf sdg sdgs topic topics theme themes track".split())
# The field's words that every proposal of a call shares: a title is not made of them alone ("internet values"
# may stand, "internet" may not).
GENERIC_WORDS = frozenset("""
    internet digital ict icts development countries country global policy policies issues issue role challenges
    opportunities enabling
    """.split())
_CODE_WORD = re.compile(r"^(?:c\d{1,2}|al\d*|sdg\d+)$")
# How terms print: the text model folds case, so acronyms are spelt out again.
ACRONYMS = {"eenvironment": "e-environment", "ehealth": "e-health", "elearning": "e-learning",
            "egovernment": "e-government", "ebusiness": "e-business", "eagriculture": "e-agriculture",
            "escience": "e-science", "eemployment": "e-employment", "ewaste": "e-waste", "ecommerce": "e-commerce",
            "ict": "ICT", "icts": "ICTs", "ai": "AI", "iot": "IoT", "sme": "SME", "smes": "SMEs", "un": "UN",
            "itu": "ITU", "unesco": "UNESCO", "ngo": "NGO", "ngos": "NGOs", "dns": "DNS", "ipv6": "IPv6"}


@dataclass
class MemberLabels:
    """A member's confirmed action lines and SDGs, and the action lines suggested for it (not yet confirmed)."""

    action_lines: Sequence[str] = ()
    sdgs: Sequence[int] = ()
    suggested: Sequence[str] = ()


@dataclass
class GroupDescription:
    """A group's title, its reasons, and one reason per member row."""

    title: str
    reasons: list[str]
    member_reasons: dict[int, str] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    action_line: str | None = None


def line_name(code: str) -> str:
    """How a title names an action line: its code, or 'C7 E-health' for a C7 sub-line."""
    return short_line_name(code)


def phrase(terms: Sequence[str]) -> str:
    """A readable phrase from terms: 'Rural broadband, fibre and villages'."""
    if not terms:
        return ""
    text = terms[0] if len(terms) == 1 else _("%(first)s and %(last)s", first=", ".join(terms[:-1]), last=terms[-1])
    return text[:1].upper() + text[1:]


def names_a_theme(term: str) -> bool:
    """Whether a readable term can stand in a title: no label code or citation in it, not only generic words."""
    words = term.lower().split()
    if any(word in CITATION_WORDS or _CODE_WORD.match(word) for word in words):
        return False
    return not all(word in GENERIC_WORDS for word in words)


def spelt(term: str) -> str:
    """A readable term with its acronyms in capitals: 'ict skills' -> 'ICT skills'."""
    return " ".join(ACRONYMS.get(word, word) for word in term.split())


def shared_terms(text_matrix: sparse.csr_matrix, rows: Sequence[int], terms: np.ndarray, count: int,
                 readable: Callable[[str], str] = str) -> list[int]:
    """Columns of the terms most shared by these rows: carried by the most members, then by weight.

    A phrase carried by as many members as one of its words replaces it ("human rights", not "rights, human");
    a term that cannot name a theme (see names_a_theme) is never chosen.
    """
    if text_matrix.shape[1] == 0 or not rows:
        return []
    block = text_matrix[list(rows)]
    carriers = np.asarray((block > 0).sum(axis=0)).ravel()
    weight = np.asarray(block.sum(axis=0)).ravel()
    needed = 2 if len(rows) > 1 else 1
    # Carried by more members first; among equals, the heavier (TF-IDF: the rarer in the consultation).
    score = carriers * 10.0 + weight
    candidates = np.flatnonzero(carriers >= needed)
    candidates = candidates[np.argsort(-score[candidates], kind="stable")]
    usable = [int(column) for column in candidates if names_a_theme(readable(str(terms[column])))]
    words_of = {column: set(str(terms[column]).split()) for column in usable}
    chosen: list[int] = []
    for column in usable:
        words = words_of[column]
        # A phrase as shared as one of its chosen words takes the place of its words ("big data", not "data, big").
        replaced = [index for index, other in enumerate(chosen) if words_of[other] < words]
        if any(carriers[column] >= carriers[chosen[index]] for index in replaced):
            chosen[replaced[0]] = column
            chosen = [other for index, other in enumerate(chosen) if index == replaced[0] or index not in replaced]
            continue
        # Skip a term that repeats a word already said ("broadband" after "rural broadband", "private sector"
        # after "governance private").
        if any(words & words_of[other] for other in chosen):
            continue
        chosen.append(column)
        if len(chosen) >= count:
            break
    return chosen


def _shared_labels(members: Sequence[MemberLabels]) -> tuple[list[tuple[str, int]], list[tuple[int, int]]]:
    size = len(members)
    needed = max(2, SHARED_LABEL_SHARE * size)
    lines = Counter(code for member in members for code in set(member.action_lines))
    sdgs = Counter(number for member in members for number in set(member.sdgs))
    return ([(code, count) for code, count in lines.most_common() if count >= needed],
            [(number, count) for number, count in sdgs.most_common() if count >= needed])


def _suggested_line(members: Sequence[MemberLabels]) -> str | None:
    """The action line suggested for most members when none is confirmed (a group of imported rows)."""
    firsts = Counter(member.suggested[0] for member in members if member.suggested and not member.action_lines)
    if not firsts:
        return None
    code, count = firsts.most_common(1)[0]
    return code if count >= max(2, SHARED_LABEL_SHARE * len(members)) else None


def describe_group(rows: Sequence[int], *, text_matrix: sparse.csr_matrix, terms: np.ndarray,
                   readable: Callable[[str], str], members: Sequence[MemberLabels],
                   fallback_title: str = "") -> GroupDescription:
    """Title, reasons and member reasons of the group of these rows (members: the labels of each row, in order)."""
    size = len(rows)
    columns = shared_terms(text_matrix, rows, terms, REASON_TERMS, readable)
    words = [spelt(readable(str(terms[column]))) for column in columns]
    lines, sdgs = _shared_labels(members)
    reasons = []
    for code, count in lines:
        line = ACTION_LINES_BY_CODE.get(code)
        reasons.append(stored_message(N_("Action line %(line)s: %(count)d of %(size)d proposals"),
                                      line={"action_line": code} if line else code, count=count, size=size))
    for number, count in sdgs:
        reasons.append(stored_message(N_("SDG %(number)d %(name)s: %(count)d of %(size)d proposals"),
                                      number=number, name={"sdg": number}, count=count, size=size))
    line_code = lines[0][0] if lines else None
    suggested = None if line_code else _suggested_line(members)
    if suggested:
        reasons.append(stored_message(N_("Looks like %(line)s (suggested, not confirmed)"),
                                      line={"action_line": suggested}))
    if words:
        reasons.append(stored_message(N_("Common terms: %(terms)s"), terms=", ".join(words)))
    code = line_code or suggested
    if words:
        title = phrase(words[:TITLE_TERMS])
        if code:
            title = _("%(phrase)s (%(line)s)", phrase=title, line=line_name(code))
    elif code:
        # Nothing said in common but the action line: the line's own name is the theme.
        title = ACTION_LINES_BY_CODE[code].label if code in ACTION_LINES_BY_CODE else code
    else:
        title = fallback_title or _("Untitled cluster")
    member_reasons = {}
    if size > 1:
        block = text_matrix[list(rows)] if text_matrix.shape[1] else None
        for position, (row, member) in enumerate(zip(rows, members, strict=True)):
            present = set() if block is None else set(
                block.indices[block.indptr[position]:block.indptr[position + 1]].tolist())
            member_reasons[row] = member_reason(present, columns=columns, words=words, member=member,
                                                shared_lines=[code for code, _count in lines])
    return GroupDescription(title[:200], reasons, member_reasons, words, code)


def member_reason(present: set[int], *, columns: Sequence[int], words: Sequence[str], member: MemberLabels,
                  shared_lines: Sequence[str]) -> str:
    """What a member (the term columns present in its text) shares with its group: 'Shares C5 and the terms
    cybersecurity, trust'."""
    own_words = [word for column, word in zip(columns, words, strict=True) if column in present][:MEMBER_TERMS]
    own_lines = [code for code in shared_lines if code in member.action_lines]
    if own_lines and own_words:
        return stored_message(N_("Shares %(lines)s and the terms %(terms)s"), lines={"action_lines": own_lines},
                              terms=", ".join(own_words))
    if own_words:
        return stored_message(N_("Shares the terms %(terms)s"), terms=", ".join(own_words))
    if own_lines:
        return stored_message(N_("Shares %(lines)s"), lines={"action_lines": own_lines})
    return stored_message(N_("Close to the group's themes in other words"))
