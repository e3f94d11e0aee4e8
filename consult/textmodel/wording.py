"""Terms as the members wrote them: the phrase behind a stem or a stem bigram, inner words and capitals kept.

The text model reads stems of content words, so its bigram "person disabl" stands for "persons with
disabilities" in one text and could stand for "... for persons. Disabilities ..." in another. A term is
printed only as a phrase found in the members' texts: the words between its stems are kept when they are
the small words of a phrase ("persons with disabilities", "droits de l'enfant"), and a bigram that only
meets across a full stop, a comma or a conjunction ("rights and children") is no phrase at all. Capitals are
as the texts write them where that says something: an acronym keeps its capitals ("ICT", "IoT", "eHealth"), a
word capitalised in the middle of sentences keeps its capital ("Africa"), a capital in a title-case line or at
the start of a sentence says nothing, and such words are printed in lower case.
"""
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from consult.textmodel.analysis import JOINED_PREFIXES, STOP_WORDS, analyse, content_words, fold, stem
from consult.textmodel.languages import DEFAULT_LANGUAGE, chinese_tokens

# The occurrences read to find how a term is written: enough to see how most members write it, few enough
# for 220 groups of 50,000 proposals (a text of 200 words takes half a millisecond to read).
READ_AT_MOST = 8
# The start of each text that is read: its title, summary and the first paragraphs show how it writes its
# terms; the rest of a long description only costs time.
READ_CHARS = 3000
# Small words a phrase may hold between its two terms ("access to the Internet": two).
MAX_INNER_WORDS = 3
# The small words that hold a phrase together between its terms, in the languages whose words are spaced:
# articles, prepositions and the possessive ("persons with disabilities", "droits de l'enfant", "acceso a
# la información", "доступ к информации"). Anything else between two terms ("security is a shared
# responsibility") or a conjunction ("rights and children") makes them two things, not one phrase.
INNER_WORDS = frozenset("""
    of for with to the a an in on by from at into s
    de des du la le les l d à au aux en pour par sur avec dans
    del el los las lo para por con al
    в во на с со для по к ко о об от из у при
    في من على إلى عن مع لل ال
    """.split())
_RAW_WORD = re.compile(r"[^\W_]+")
_PLAIN_WORD = re.compile(r"[a-z][a-z0-9]*\Z")
# Between the two words of a phrase: spaces, hyphens, apostrophes and words, nothing that ends a clause.
_INNER = re.compile(r"^[\s\-'’\w]*$")
_JOINED_PREFIXES = frozenset(JOINED_PREFIXES)
_SENTENCE_END = re.compile(r"(?:^|[.!?:;…]|\n)[\s\"'“”‘’(«»\-–—•*]*$")


class Token(NamedTuple):
    """A content word of a text: its stem, and where it stands in the text (a tuple: texts have thousands)."""

    stem: str
    start: int
    end: int


class _Text:
    """A text's content tokens and what its lines say about capitals (its first line is its title)."""

    def __init__(self, text: str, language: str):
        # Chinese is cut by jieba on its NFKC form: the positions are of that form.
        text = text[:READ_CHARS]
        self.text = unicodedata.normalize("NFKC", text) if language == "zh" else text
        self.tokens = _tokens(self.text, language)
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self._line_kind: dict[int, str] = {}
        self.first_line = self.text.split("\n", 1)[0].strip()

    def line_kind(self, position: int) -> str:
        """'caps' (all capitals: no evidence), 'title' (title case: only inner capitals count), or 'prose'."""
        line = bisect_right(self.line_starts, position) - 1
        if line not in self._line_kind:
            start = self.line_starts[line]
            end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)
            line_text = self.text[start:end].strip()
            words = [word for word in _RAW_WORD.findall(line_text) if word[:1].isalpha()]
            long_words = [word for word in words if len(word) > 3] or words
            if long_words and all(word.isupper() for word in long_words if any(c.isalpha() for c in word)):
                kind = "caps" if len(long_words) > 1 else "title"
            elif line == 0 or line_text == self.first_line or (
                    long_words and sum(word[:1].isupper() for word in long_words) * 2 > len(long_words)):
                kind = "title"  # the title (first line), a copy of it, or a line in title case
            else:
                kind = "prose"
            self._line_kind[line] = kind
        return self._line_kind[line]


def _tokens(text: str, language: str) -> list[Token]:
    """The content words of a text in order, as the text model reads them, with their place in the text."""
    if language == "zh":
        words = set(content_words(text, language))
        return [Token(word.lower(), start, end) for word, start, end in chinese_tokens(text) if word.lower() in words]
    raw = list(_RAW_WORD.finditer(text))
    english = language == DEFAULT_LANGUAGE
    found: list[Token] = []
    skip = False
    for index, match in enumerate(raw):
        if skip:
            skip = False
            continue
        start, end = match.span()
        word = match.group().lower()
        # "e-health", "cyber security": the text model joins a known prefix to the word after it.
        if english and word in _JOINED_PREFIXES and index + 1 < len(raw):
            following = raw[index + 1]
            if following.start() == end + 1 and text[end] in " -" and following.group()[:1].isalpha():
                end, skip = following.end(), True
                word = fold(text[start:end])
        if english and _PLAIN_WORD.match(word):
            # Most words of an English text: what content_words would say of it, without its regex per word.
            if len(word) > 1 and word not in STOP_WORDS:
                found.append(Token(stem(word), start, end))
            continue
        found.extend(Token(stem(word, language), start, end) for word in content_words(text[start:end], language))
    return found


def _clean_gap(gap: str) -> bool:
    """Whether the text between two terms keeps them one phrase: a few INNER_WORDS, no clause break."""
    if "\n" in gap or not _INNER.match(gap):
        return False
    words = _RAW_WORD.findall(gap)
    return len(words) <= MAX_INNER_WORDS and all(word.lower() in INNER_WORDS for word in words)


def _is_acronym(word: str) -> bool:
    """Capitals past the first letter, or capitals and no small letter: 'ICT', 'IoT', 'eHealth', 'C7', 'G20'."""
    return any(char.isupper() for char in word[1:]) or (len(word) > 1 and word.isupper())


def _vote(text: _Text, start: int, end: int) -> str | None:
    """What one written word says of how to print it: its form, or None when its capitals mean nothing here."""
    word = text.text[start:end]
    kind = text.line_kind(start)
    if kind == "caps":
        return None
    if _is_acronym(word):
        return word  # an acronym or a written compound ("ICT", "IoT", "eHealth")
    if word[:1].isupper() and (kind == "title" or _SENTENCE_END.search(text.text[:start][-40:])):
        return None
    return word


class Wording:
    """The member texts of a text model (one per row, each in its language), read for how terms are written."""

    def __init__(self, texts: Sequence[str], languages: Sequence[str] | None = None):
        self.texts = texts
        self.languages = languages
        self._read: dict[int, _Text] = {}
        self._titles: dict[int, frozenset[str]] = {}
        self._counted: tuple[tuple, Counter] = ((), Counter())

    def language_of(self, rows: Sequence[int]) -> str | None:
        """The language all these rows are written in, or None when they differ."""
        found = {self.languages[row] or DEFAULT_LANGUAGE for row in rows} if self.languages is not None else {
            DEFAULT_LANGUAGE}
        return found.pop() if len(found) == 1 else None

    def title_terms(self, row: int) -> frozenset[str]:
        """The model's terms (stems and stem bigrams, named as the model names them) in a row's title, its first
        line: the words its organisers chose to name it."""
        if row not in self._titles:
            language = (self.languages[row] if self.languages is not None else None) or DEFAULT_LANGUAGE
            found = analyse((self.texts[row] or "").split("\n", 1)[0], language=language)
            if language != DEFAULT_LANGUAGE:
                found = [" ".join(f"{language}:{part}" for part in term.split()) for term in found]
            self._titles[row] = frozenset(found)
        return self._titles[row]

    def title_counts(self, rows: Sequence[int]) -> Counter:
        """How many of these rows' titles name each term (the last answer is kept: a group asks twice)."""
        key = tuple(rows)
        if self._counted[0] != key:
            self._counted = (key, Counter(term for row in rows for term in self.title_terms(row)))
        return self._counted[1]

    def _text(self, row: int) -> _Text:
        if row not in self._read:
            language = self.languages[row] if self.languages is not None else DEFAULT_LANGUAGE
            self._read[row] = _Text(self.texts[row] or "", language or DEFAULT_LANGUAGE)
        return self._read[row]

    def written(self, term: str, rows: Sequence[int]) -> str | None:
        """How these rows write a term of the model ('person disabl' -> 'persons with disabilities'), or None
        when no row writes it as one phrase."""
        stems = [part.rpartition(":")[2] for part in term.split()]
        variants: Counter = Counter()
        occurrences: dict[str, list[tuple[_Text, list[tuple[int, int]]]]] = {}
        for row in list(rows)[:READ_AT_MOST * 4]:
            text = self._text(row)
            for first, token in enumerate(text.tokens):
                if token.stem != stems[0]:
                    continue
                chain = text.tokens[first:first + len(stems)]
                if len(chain) < len(stems) or any(item.stem != wanted for item, wanted in zip(chain, stems, strict=True)):
                    continue
                if not all(_clean_gap(text.text[left.end:right.start]) for left, right in pairwise(chain)):
                    continue
                # Chinese is written without spaces: the phrase is the span itself ("数字鸿沟").
                spans = ([(chain[0].start, chain[-1].end)] if term.startswith("zh:") else
                         [match.span() for match in _RAW_WORD.finditer(text.text, chain[0].start, chain[-1].end)])
                key = " ".join(text.text[start:end].lower() for start, end in spans)
                variants[key] += 1
                occurrences.setdefault(key, []).append((text, spans))
            if sum(variants.values()) >= READ_AT_MOST:
                break
        if not variants:
            return None
        # The variant most written; among equals the shorter ("persons with disabilities" before "persons with
        # the disabilities").
        best = min(variants, key=lambda key: (-variants[key], len(key), key))
        return _printed(best, occurrences[best])


def _printed(key: str, occurrences: list[tuple[_Text, list[tuple[int, int]]]]) -> str:
    """The variant with each word as most of its telling occurrences write it (lower case when none tells)."""
    words = key.split()
    printed = []
    for position, lowered in enumerate(words):
        # One vote per text and form: a title repeated in its summary is one writer's capitals, not three.
        told = {(id(text), _vote(text, *spans[position])) for text, spans in occurrences}
        votes = Counter(form for _text_id, form in told if form is not None)
        best = min(votes, key=lambda form: (-votes[form], form != lowered)) if votes else lowered
        # A capital that is not an acronym's is one writer's habit until a second writes it so ("Africa").
        if best != lowered and not _is_acronym(best) and votes[best] < 2:
            best = lowered
        printed.append(best)
    # The separators as written in the first occurrence ("e-health", "children's rights").
    text, spans = occurrences[0]
    pieces = [printed[0]]
    for ((_start, end), (start, _end)), word in zip(pairwise(spans), printed[1:], strict=True):
        gap = text.text[end:start]
        pieces.append(re.sub(r"\s+", " ", gap) + word)
    return "".join(pieces)
