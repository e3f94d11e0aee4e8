"""Sorting words the way a reader's language sorts them (names of countries, organizations, people).

With PyICU installed (the optional `collation` extra: it needs the ICU library to build), ICU's collator for the
language gives CLDR's full rules, pinyin order for Chinese among them. Without it, a fallback key compares letters
without their accents and case first ("Égypte" among the E's in French, "Ёмкость" beside "Емкость" in Russian,
"أفغانستان" with the alif in Arabic), then the text as written, so that the order is total and stable; Chinese then
sorts by code point, which follows the radicals and strokes of the Unicode Han order rather than pinyin.
"""
import unicodedata
from collections.abc import Callable
from functools import lru_cache

try:  # optional: a C extension that needs the ICU library to build
    import icu
except ImportError:  # pragma: no cover - depends on the machine
    icu = None


def has_icu() -> bool:
    """Whether ICU's collators are available (else the fallback key is used)."""
    return icu is not None


def fallback_key(text: str) -> tuple[str, str]:
    """A key that ignores accents, marks and case first, then breaks ties by the text itself."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(char for char in decomposed if not unicodedata.combining(char))
    return base.casefold(), text


@lru_cache(maxsize=16)
def sort_key_for(code: str) -> Callable[[str], object]:
    """The sort key of language `code` ("ar", "zh", ...): ICU's collator when installed, else fallback_key."""
    if icu is None:
        return fallback_key
    collator = icu.Collator.createInstance(icu.Locale(code))
    return collator.getSortKey


def sorted_for(items, code: str, key: Callable = lambda item: item):
    """items sorted as language `code` sorts the words that key(item) gives."""
    word_key = sort_key_for(code)
    return sorted(items, key=lambda item: word_key(key(item)))
