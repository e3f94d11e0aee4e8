"""Words to terms: lower case, accents folded, compounds joined, boilerplate dropped, Snowball stems, bigrams."""
import re
import threading
import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import pairwise

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

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
_JOINED_PREFIXES = ("e", "m", "cyber", "multi", "inter", "non", "co", "re", "pre", "post", "self", "anti", "eco")
_PREFIX_PATTERN = re.compile(r"\b(" + "|".join(_JOINED_PREFIXES) + r")[\s-](?=[a-z])")
_TOKEN = re.compile(r"[a-z][a-z0-9]*")
# A Snowball stemmer keeps the word it works on in itself: two threads of one worker (a page and the label
# suggestions it asks for) sharing one garble each other's words or fail with IndexError. One per thread.
_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


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
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lower-case word, cached: a corpus repeats its words."""
    return _stemmer().stemWord(word)


def content_words(text: str) -> list[str]:
    """The content words of a text, folded, in order; stop words, numbers and single letters dropped."""
    return [word for word in _TOKEN.findall(fold(text)) if len(word) > 1 and word not in STOP_WORDS]


def terms(text: str) -> list[str]:
    """Stemmed content words of a text, in order."""
    return [stem(word) for word in content_words(text)]


def analyse(text: str, seen: Counter | None = None) -> list[str]:
    """Unigrams and adjacent bigrams of the stemmed content words: the analyzer given to TfidfVectorizer.

    With seen, the words are also counted there, so that stems can be printed as people wrote them.
    """
    words = content_words(text)
    if seen is not None:
        seen.update(words)
    stems = [stem(word) for word in words]
    return stems + [f"{first} {second}" for first, second in pairwise(stems)]


def forms_of(seen: Counter) -> dict[str, str]:
    """For each stem, the word that most often produced it ('cybersecur' -> 'cybersecurity'); ties: the shorter."""
    best: dict[str, tuple[int, int, str]] = {}
    for word, count in seen.items():
        key = stem(word)
        candidate = (count, -len(word), word)
        if key not in best or candidate > best[key]:
            best[key] = candidate
    return {key: value[2] for key, value in best.items()}


def readable_forms(texts: list[str]) -> dict[str, str]:
    """For each stem, the word that most often produced it in these texts."""
    seen: Counter = Counter()
    for text in texts:
        seen.update(content_words(text))
    return forms_of(seen)
