"""Words for a group of proposals: a title from what its members share, reasons a chair would write.

A group's title is its most shared terms and, when most members share one, its action line: "Cybersecurity,
trust and privacy (C5)". Each member's reason says what it shares with the others: "Shares C5 and the terms
cybersecurity, trust". The functions take plain data (rows of a TF-IDF matrix, codes), never the database.
"""
import re
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np
from flask_babel import force_locale
from flask_babel import gettext as _
from scipy import sparse

from consult.i18n import joined
from consult.reference import ACTION_LINES_BY_CODE, N_, short_line_name, stored_message
from consult.reference import stored_plural as ngettext  # so that pybabel extracts each pair as one plural entry
from consult.textmodel.wording import Wording

TITLE_TERMS = 3
REASON_TERMS = 6
# The most shared terms of a group looked at for its title and reasons.
CANDIDATES_READ = 300
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
_WORDS = re.compile(r"[^\W_]+")
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
    text = joined(list(terms))
    first_word = text.split(" ", 1)[0]
    # A word written with inner capitals keeps its first letter as written ("eHealth", "iPhone").
    if any(char.isupper() for char in first_word[1:]):
        return text
    return text[:1].upper() + text[1:]


def names_a_theme(term: str) -> bool:
    """Whether a readable term can stand in a title: no label code or citation in it, not only generic words."""
    return _cites_nothing(term) and not all(word in GENERIC_WORDS for word in _WORDS.findall(term.lower()))


def _cites_nothing(term: str) -> bool:
    return not any(word in CITATION_WORDS or _CODE_WORD.match(word) for word in _WORDS.findall(term.lower()))


def _not_a_code(term: str) -> bool:
    return not all(_CODE_WORD.match(word) for word in _WORDS.findall(term.lower()))


def spelt(term: str) -> str:
    """A readable term with its acronyms in capitals: 'ict skills' -> 'ICT skills'."""
    return " ".join(ACRONYMS.get(word, word) for word in term.split())


def shared_terms(text_matrix: sparse.csr_matrix, rows: Sequence[int], terms: np.ndarray, count: int,
                 readable: Callable[[str], str] = str, wording: Wording | None = None,
                 strict: bool = True) -> list[tuple[int, str]]:
    """The terms most shared by these rows, carried by the most members, then by weight: (column, as printed).

    A phrase carried by as many members as one of its words replaces it ("human rights", not "rights, human"),
    and two chosen words that the members write as one phrase become it ("local content", not "content, local");
    a term that cannot name a theme (see names_a_theme) is never chosen. With the members' wording, a term is
    printed as they write it, and a bigram they never write as one phrase is not chosen. Not strict: the
    field's generic words and label citations may be chosen too (only codes may not), for a group that shares
    nothing else.
    """
    if text_matrix.shape[1] == 0 or not rows:
        return []
    rows = list(rows)
    block = text_matrix[rows].tocsc()
    carriers = np.diff(block.indptr)
    weight = np.asarray(block.sum(axis=0)).ravel()
    needed = 2 if len(rows) > 1 else 1
    # Carried by more members first; among equals, the heavier (TF-IDF: the rarer in the consultation).
    score = carriers * 10.0 + weight
    candidates = np.flatnonzero(carriers >= needed)
    # The most shared terms only: six are chosen, and reading how members write a term costs time.
    candidates = candidates[np.argsort(-score[candidates], kind="stable")][:CANDIDATES_READ]
    if wording is not None and len(candidates):
        # Terms that a quarter of the members' titles name first, then by carriers: a title is the organisers'
        # own name for their theme ("digital skills", "older people"), a word of a summary may be any word
        # ("short courses", "far more men").
        titles = wording.title_counts(rows)
        titled = _titled(candidates, rows, terms, wording)
        in_titles = np.array([titles.get(str(terms[column]), 0) for column in candidates])
        candidates = candidates[np.lexsort((-weight[candidates], -in_titles, -carriers[candidates], ~titled))]
    column_of = {str(terms[column]): int(column) for column in candidates}
    allowed = names_a_theme if strict else _not_a_code
    printed: dict[int, str | None] = {}

    def printed_as(column: int) -> str | None:
        if column not in printed:
            term = str(terms[column])
            found = spelt(readable(term))
            if wording is not None:
                carrying = [rows[index] for index in block.indices[block.indptr[column]:block.indptr[column + 1]]]
                # A single word is always written somewhere; a bigram may only meet across a clause break.
                found = wording.written(term, carrying) or (None if " " in term else found)
            printed[column] = found if found and allowed(found) else None
        return printed[column]

    def carrying_both(first: int, second: int) -> list[int]:
        own = set(block.indices[block.indptr[first]:block.indptr[first + 1]].tolist())
        return [rows[index] for index in block.indices[block.indptr[second]:block.indptr[second + 1]] if index in own]

    words_of = {int(column): set(str(terms[column]).split()) for column in candidates}
    chosen: list[int] = []
    for column in (int(column) for column in candidates):
        # Codes and citations are refused before reading how the term is written; generic words only once it
        # is read ("developing countries" is no generic "development countries").
        if not (_cites_nothing if strict else _not_a_code)(readable(str(terms[column]))):
            continue
        words = words_of[column]
        # A phrase as shared as one of its chosen words takes the place of its words ("big data", not "data, big").
        replaced = [index for index, other in enumerate(chosen) if words_of[other] < words]
        if any(carriers[column] >= carriers[chosen[index]] for index in replaced):
            if printed_as(column) is None:
                continue
            chosen[replaced[0]] = column
            chosen = [other for index, other in enumerate(chosen) if index == replaced[0] or index not in replaced]
            continue
        if any(words & words_of[other] for other in chosen):
            # Two bigrams that are one longer phrase in the members' texts become it ("core internet" and
            # "internet values": "core Internet values"); any other term that repeats a word already said is
            # skipped ("broadband" after "rural broadband").
            longer = _longer_phrase(column, chosen, terms, wording, carrying_both)
            if longer is not None:
                position, text = longer
                printed[chosen[position]] = text
                words_of[chosen[position]] = words_of[chosen[position]] | words
            continue
        # Nor a term whose written form says a word again ("health" after "e-health").
        if printed_as(column) is None or _repeats(printed_as(column), chosen, printed_as):
            continue
        joined = _joined_phrase(column, chosen, terms, column_of, printed_as)
        if joined is not None:
            position, phrase_column = joined
            chosen[position] = phrase_column
            continue
        chosen.append(column)
        if len(chosen) >= count:
            break
    # A phrase that took its words' place may now say a word of a later choice again ("TIC pour les personnes"
    # beside "personnes handicapées"): the earlier, more shared, stays.
    kept: list[int] = []
    for column in chosen:
        if not any(words_of[column] & words_of[other] for other in kept) and not _repeats(
                printed_as(column), kept, printed_as):
            kept.append(column)
    return [(column, printed_as(column)) for column in kept]


def _titled(columns, rows: Sequence[int], terms: np.ndarray, wording: Wording) -> np.ndarray:
    """Whether each term is named by the titles of a quarter of these rows (and two of them)."""
    titles = wording.title_counts(rows)
    needed = max(2, len(rows) / 4) if len(rows) > 1 else 1
    return np.array([titles.get(str(terms[column]), 0) >= needed for column in columns], dtype=bool)


def _longer_phrase(column, chosen, terms, wording, carrying_both) -> tuple[int, str] | None:
    """(place in chosen, printed phrase) when this bigram and a chosen one chain into a phrase the members
    write ("core internet" + "internet valu" -> "core internet valu")."""
    if wording is None:
        return None
    term = str(terms[column]).split()
    if len(term) != 2:
        return None
    for position, other in enumerate(chosen):
        words = str(terms[other]).split()
        if words[-1] == term[0] and len(words) < 4:
            longer = words + term[1:]
        elif len(words) == 2 and words[0] == term[1]:
            longer = term[:1] + words
        else:
            continue
        both = carrying_both(other, column)
        text = wording.written(" ".join(longer), both) if len(both) >= 2 else None
        if text:
            return position, text
    return None


def _repeats(printed: str, chosen: list[int], printed_as: Callable[[int], str | None]) -> bool:
    """Whether a printed term says a word again ("health" after "e-health", "child" after "children"): the
    same word, or one of four letters or more that starts another."""
    said = {word for other in chosen for word in _WORDS.findall(printed_as(other).lower())}
    for word in _WORDS.findall(printed.lower()):
        if word in said or len(word) >= 4 and any(other.startswith(word) or word.startswith(other)
                                                   for other in said if len(other) >= 4):
            return True
    return False


def _joined_phrase(column, chosen, terms, column_of, printed_as) -> tuple[int, int] | None:
    """(place in chosen, bigram column) when this single word and a chosen single word are one shared phrase."""
    if " " in str(terms[column]):
        return None
    word = str(terms[column])
    for position, other in enumerate(chosen):
        if " " in str(terms[other]):
            continue
        for bigram in (f"{terms[other]} {word}", f"{word} {terms[other]}"):
            phrase_column = column_of.get(bigram)
            if phrase_column is not None and printed_as(phrase_column):
                return position, phrase_column
    return None


def _shared_labels(members: Sequence[MemberLabels]) -> tuple[list[tuple[str, int]], list[tuple[int, int]]]:
    size = len(members)
    needed = max(2, SHARED_LABEL_SHARE * size)
    lines = Counter(code for member in members for code in set(member.action_lines))
    sdgs = Counter(number for member in members for number in set(member.sdgs))
    # Equal counts in the reference order (C1 ... C11, SDG 1 ... 17): a set of codes iterates in an order that
    # changes from one process to the next, and the title names the first line.
    order = {code: index for index, code in enumerate(ACTION_LINES_BY_CODE)}
    return ([(code, count) for code, count in sorted(lines.items(), key=lambda item: (-item[1], order.get(item[0], 99),
                                                                                        item[0])) if count >= needed],
            [(number, count) for number, count in sorted(sdgs.items(), key=lambda item: (-item[1], item[0]))
             if count >= needed])


def _suggested_line(members: Sequence[MemberLabels]) -> str | None:
    """The action line suggested for most members when none is confirmed (a group of imported rows)."""
    firsts = Counter(member.suggested[0] for member in members if member.suggested and not member.action_lines)
    if not firsts:
        return None
    code, count = firsts.most_common(1)[0]
    return code if count >= max(2, SHARED_LABEL_SHARE * len(members)) else None


def describe_group(rows: Sequence[int], *, text_matrix: sparse.csr_matrix, terms: np.ndarray,
                   readable: Callable[[str], str], members: Sequence[MemberLabels],
                   fallback_title: str = "", wording: Wording | None = None) -> GroupDescription:
    """Title, reasons and member reasons of the group of these rows (members: the labels of each row, in order;
    wording: the texts of all rows, to print terms as the members write them)."""
    size = len(rows)
    shared = shared_terms(text_matrix, rows, terms, REASON_TERMS, readable, wording)
    columns = [column for column, _word in shared]
    words = [word for _column, word in shared]
    lines, sdgs = _shared_labels(members)
    reasons = []
    for code, count in lines:
        line = ACTION_LINES_BY_CODE.get(code)
        reasons.append(ngettext("Action line %(line)s: %(count)d of %(num)d proposal",
                                "Action line %(line)s: %(count)d of %(num)d proposals", size,
                                line={"action_line": code} if line else code, count=count))
    for number, count in sdgs:
        reasons.append(ngettext("SDG %(number)d %(name)s: %(count)d of %(num)d proposal",
                                "SDG %(number)d %(name)s: %(count)d of %(num)d proposals", size,
                                number=number, name={"sdg": number}, count=count))
    line_code = lines[0][0] if lines else None
    suggested = None if line_code else _suggested_line(members)
    if suggested:
        reasons.append(stored_message(N_("Looks like %(line)s (suggested, not confirmed)"),
                                      line={"action_line": suggested}))
    if words:
        reasons.append(stored_message(N_("Common terms: %(terms)s"), terms={"words": list(words)}))
    code = line_code or suggested
    if words:
        title_words = words[:TITLE_TERMS]
        if wording is not None and len(words) > 1:
            # After a term the titles name, only terms they name too: "Trust in mobile money", not "Trust in
            # mobile money, fraud alerts and compare dispute procedures".
            titled = _titled(columns[:TITLE_TERMS], rows, terms, wording)
            if titled[0]:
                title_words = [word for word, named in zip(title_words, titled, strict=True) if named]
        # Joined in the members' language when they share one: a French cluster is "Personnes handicapées,
        # numérique et TIC" on every reader's page.
        language = wording.language_of(rows) if wording is not None else None
        with force_locale(language) if language else nullcontext():
            title = phrase(title_words)
        if code:
            title = _("%(phrase)s (%(line)s)", phrase=title, line=line_name(code))
    elif code:
        # Nothing said in common but the action line: the line's own name is the theme.
        title = ACTION_LINES_BY_CODE[code].label if code in ACTION_LINES_BY_CODE else code
    elif loose := shared_terms(text_matrix, rows, terms, TITLE_TERMS, readable, wording, strict=False):
        # Only the field's common words are shared ("developing countries", "WSIS action lines"): still what
        # the members have in common, and truer than no name.
        title = phrase([word for _column, word in loose])
        reasons.append(stored_message(N_("Common terms: %(terms)s"), terms={"words": [word for _c, word in loose]}))
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
                              terms={"words": own_words})
    if own_words:
        return stored_message(N_("Shares the terms %(terms)s"), terms={"words": own_words})
    if own_lines:
        return stored_message(N_("Shares %(lines)s"), lines={"action_lines": own_lines})
    return stored_message(N_("Close to the group's themes in other words"))
