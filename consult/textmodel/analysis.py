"""Words to terms: lower case, accents folded, compounds joined, boilerplate dropped, Snowball stems, bigrams."""
import re
import unicodedata
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
_stemmer = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Lower case without accents, compounds with a known prefix joined ('e-Health' -> 'ehealth')."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return _PREFIX_PATTERN.sub(r"\1", plain)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lower-case word, cached: a corpus repeats its words."""
    return _stemmer.stemWord(word)


def terms(text: str) -> list[str]:
    """Stemmed content words of a text, in order; stop words, numbers and single letters dropped."""
    return [stem(word) for word in _TOKEN.findall(fold(text)) if len(word) > 1 and word not in STOP_WORDS]


def analyse(text: str) -> list[str]:
    """Unigrams and adjacent bigrams of the stemmed content words: the analyzer given to TfidfVectorizer."""
    words = terms(text)
    return words + [f"{first} {second}" for first, second in pairwise(words)]


def readable_forms(texts: list[str]) -> dict[str, str]:
    """For each stem, the word that most often produced it in these texts ('cybersecur' -> 'cybersecurity')."""
    counts: dict[str, dict[str, int]] = {}
    for text in texts:
        for word in _TOKEN.findall(fold(text)):
            if len(word) > 1 and word not in STOP_WORDS:
                forms = counts.setdefault(stem(word), {})
                forms[word] = forms.get(word, 0) + 1
    return {key: max(forms.items(), key=lambda item: (item[1], -len(item[0])))[0] for key, forms in counts.items()}
