"""Words to terms: lower case, accents folded, compounds joined, boilerplate dropped, Snowball stems, bigrams.

Every function takes the text's language (default English); other languages are read as
consult/textmodel/languages.py says, so that a text is compared with texts of its own language only.
"""
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import pairwise

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from consult.textmodel.languages import DEFAULT_LANGUAGE, snowball, stem_in, words_in

# Words that say how a session is run, not what it is about: every call for proposals is full of them.
BOILERPLATE_WORDS = frozenset("""
    session sessions workshop workshops panel panels panelist panelists forum forums meeting meetings event events
    discuss discussed discusses discussing discussion discussions debate participant participants speaker speakers
    moderator moderators organizer organizers organiser organisers organized organised proposed proposal propose
    aim aims aimed objective objectives goal will also would could shall may might able bring brings brought
    together explore explores exploring address addresses addressing focus focuses focusing highlight highlights
    share sharing shared present presents presented presentation presentations overview including include includes
    various different number provide provides providing new year years day days ws bpf lightning open
    """.split())
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | BOILERPLATE_WORDS
# Prefixes written with or without a hyphen or a space ("e-health", "e health", "ehealth"; "cyber security").
JOINED_PREFIXES = ("e", "m", "cyber", "multi", "inter", "non", "co", "re", "pre", "post", "self", "anti", "eco")
_PREFIX_PATTERN = re.compile(r"\b(" + "|".join(JOINED_PREFIXES) + r")[\s-](?=[a-z])")
_TOKEN = re.compile(r"[a-z][a-z0-9]*")
def fold(text: str) -> str:
    """Lower case without accents, compounds with a known prefix joined ('e-Health' -> 'ehealth')."""
    text = text or ""
    if text.isascii():  # most texts: no accent to strip, and the character loop below costs most of the time
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return _PREFIX_PATTERN.sub(r"\1", plain)


@lru_cache(maxsize=200_000)
def _english_stem(word: str) -> str:
    return snowball("english").stemWord(word)


def stem(word: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The Snowball stem of a lower-case word (Porter 2 in English), cached: a corpus repeats its words."""
    return _english_stem(word) if language == DEFAULT_LANGUAGE else stem_in(word, language)


def content_words(text: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The content words of a text, folded, in order; stop words, numbers and single letters dropped."""
    if language != DEFAULT_LANGUAGE:
        return words_in(text, language)
    return [word for word in _TOKEN.findall(fold(text)) if len(word) > 1 and word not in STOP_WORDS]


def terms(text: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Stemmed content words of a text, in order."""
    return [stem(word, language) for word in content_words(text, language)]


def analyse(text: str, seen: Counter | None = None, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Unigrams and adjacent bigrams of the stemmed content words: the analyzer given to TfidfVectorizer.

    With seen, the words are also counted there, so that stems can be printed as people wrote them.
    """
    words = content_words(text, language)
    if seen is not None:
        seen.update(words)
    stems = [stem(word, language) for word in words]
    return stems + [f"{first} {second}" for first, second in pairwise(stems)]


def forms_of(seen: Counter, language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """For each stem, the word that most often produced it ('cybersecur' -> 'cybersecurity'); ties: the shorter."""
    best: dict[str, tuple[int, int, str]] = {}
    for word, count in seen.items():
        key = stem(word, language)
        candidate = (count, -len(word), word)
        if key not in best or candidate > best[key]:
            best[key] = candidate
    return {key: value[2] for key, value in best.items()}


def readable_forms(texts: list[str], language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """For each stem, the word that most often produced it in these texts."""
    seen: Counter = Counter()
    for text in texts:
        seen.update(content_words(text, language))
    return forms_of(seen, language)
