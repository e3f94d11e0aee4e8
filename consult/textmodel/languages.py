"""Each of the six UN languages read its own way: tokens, stop words and stems, and the language of a text.

English keeps the analyzer of consult/textmodel/analysis.py as it was measured. French, Spanish and Russian
are lower-cased and stemmed by Snowball, their accents folded after stemming (a word typed without its accent
stems alike); Arabic is stemmed by Snowball's Arabic stemmer, which also drops the short vowels and tatweel;
Chinese, written without spaces, is cut into words by jieba, whose dictionary makes terms people can read in a
cluster's title ("数字鸿沟", not the character pairs "数字", "字鸿", "鸿沟"). Stop words are the lists of the
stop-words package; the boilerplate of a call for proposals is added per language, as in English.
"""
import logging
import re
import threading
import unicodedata
from functools import cache, lru_cache

import snowballstemmer
from stop_words import get_stop_words

from consult.reference import UN_LANGUAGES

DEFAULT_LANGUAGE = "en"
SNOWBALL_NAMES = {"fr": "french", "es": "spanish", "ru": "russian", "ar": "arabic"}
STOP_WORD_NAMES = {"fr": "french", "es": "spanish", "ru": "russian", "ar": "arabic", "zh": "chinese"}
# How a call for proposals speaks in each language, not what a proposal is about (the English list is in
# analysis.py).
BOILERPLATE = {
    "fr": """session sessions atelier ateliers panel forum réunion débat débats discussion discussions participant
             participants intervenant intervenants modérateur organisateur proposition proposé proposée objectif
             objectifs vise viser aborder abordera examiner examinera présenter présentera partager échanger
             également ainsi notamment nouveau nouvelle nouveaux nouvelles année années jour""",
    "es": """sesión sesiones taller talleres panel foro reunión debate debates discusión participante participantes
             ponente ponentes moderador organizador propuesta propuesto objetivo objetivos busca buscará abordar
             abordará examinar examinará presentar presentará compartir intercambiar también así nuevo nueva
             nuevos nuevas año años día""",
    "ru": """сессия сессии семинар семинары панель форум встреча обсуждение обсуждения дискуссия участник участники
             докладчик докладчики модератор организатор предложение цель цели рассмотреть рассмотрит обсудить
             представить представит также новый новая новые год года годы день""",
    "ar": """جلسة الجلسة جلسات ورشة حلقة منتدى المنتدى اجتماع نقاش مناقشة المناقشة مشارك المشاركين متحدث
             المتحدثين مدير منظم اقتراح مقترح هدف أهداف تهدف تناقش مناقشة عرض تبادل أيضا جديد جديدة سنة عام يوم""",
    "zh": """会议 研讨会 论坛 小组 讨论 探讨 参与者 发言人 主持人 组织者 提案 建议 目标 旨在 将 也 新 年 日 以及""",
}
# Words of two letters or more (any script); digits may follow a letter ("5g" is "5g", "C7" is "c7").
_WORD = re.compile(r"[^\W\d_][^\W_]*")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9]*")
_jieba_lock = threading.Lock()


def is_supported(language: str | None) -> bool:
    """Whether the text model has an analyzer of its own for this language code."""
    return language in UN_LANGUAGES


# Words of the stop-words lists that a proposal uses for its subject: French "personne" is "nobody" there, and
# "persons" in "personnes handicapées", "personnes âgées".
NOT_STOP_WORDS = {"fr": {"personne", "personnes"}}


@cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of a language other than English, with its call-for-proposals boilerplate."""
    words = set(get_stop_words(STOP_WORD_NAMES[language])) - NOT_STOP_WORDS.get(language, set())
    words |= set(BOILERPLATE.get(language, "").split())
    return frozenset(_plain(word, language) for word in words) | frozenset(words)


def _plain(text: str, language: str) -> str:
    """Lower case; in Latin scripts the accents go (after stemming: the stemmers read them)."""
    text = text.lower()
    if language in ("fr", "es"):
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(char for char in decomposed if not unicodedata.combining(char))
    if language == "ru":
        return text.replace("ё", "е")
    return text


# A Snowball stemmer keeps the word it works on in itself: two threads of one worker (a page and the label
# suggestions it asks for) sharing one garble each other's words or fail with IndexError. One per thread.
_local = threading.local()


def snowball(name: str):
    """This thread's Snowball stemmer for the Snowball language name ("english", "french", ...)."""
    stemmers = _local.__dict__.setdefault("stemmers", {})
    if name not in stemmers:
        stemmers[name] = snowballstemmer.stemmer(name)
    return stemmers[name]


def _stemmer(language: str):
    return snowball(SNOWBALL_NAMES[language])


@lru_cache(maxsize=200_000)
def stem_in(word: str, language: str) -> str:
    """The Snowball stem of a lower-case word of this language, accents folded; Chinese words stay whole."""
    if language == "zh" or not word or word.isascii() and language not in ("fr", "es"):
        return word
    if language == "ar" and not _has_arabic(word):
        return word
    return _plain(_stemmer(language).stemWord(word), language)


def _has_arabic(word: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in word)


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _jieba_lock:
        jieba.initialize()
    return jieba


def chinese_words(text: str) -> list[str]:
    """The words of a Chinese text as jieba cuts them (Latin words lower-cased), punctuation dropped."""
    words = []
    for word in _jieba().lcut(unicodedata.normalize("NFKC", text or "")):
        word = word.strip().lower()
        if word and any(char.isalnum() for char in word):
            words.append(word)
    return words


def chinese_tokens(text: str) -> list[tuple[str, int, int]]:
    """jieba's words of a Chinese text with where each starts and ends (the text NFKC-normalised as chinese_words
    reads it)."""
    return list(_jieba().tokenize(unicodedata.normalize("NFKC", text or "")))


def words_in(text: str, language: str) -> list[str]:
    """The content words of a text in a language other than English, lower-case, stop words dropped."""
    stops = stop_words(language)
    if language == "zh":
        # One Chinese character is rarely a topic; a Latin word inside the text ("5G", "ICT") is.
        return [word for word in chinese_words(text) if word not in stops and (len(word) > 1 or word.isascii())
                and not word.isdigit()]
    lowered = unicodedata.normalize("NFKC", text or "").lower()
    return [word for word in _WORD.findall(lowered) if len(word) > 1 and word not in stops
            and _plain(word, language) not in stops]


# --- detection --------------------------------------------------------------------------------------------

# Fewer letters than this say too little to tell French from Spanish or English.
MIN_LETTERS = 12
# Enough of a long description to tell its language; the rest only costs time.
DETECT_CHARS = 1500


@cache
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in UN_LANGUAGES]
    # Low accuracy mode reads trigrams only: loaded in a quarter of a second and 26 MB instead of 2.5 s and 115 MB,
    # and as accurate as the full models on texts of a sentence or more (a title with its summary).
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _sample(text: str) -> str | None:
    """The part of a text that is read, or None when it has too few letters to tell its language."""
    sample = (text or "")[:DETECT_CHARS]
    if sum(1 for char in sample if char.isalpha()) < MIN_LETTERS:
        # A few Chinese characters say more than a few Latin letters: a title of six characters is a title.
        if sum(1 for char in sample if "\u4e00" <= char <= "\u9fff") < 4:
            return None
    return sample


# Below this confidence a text that is not plainly English reads as English: a short English title such as
# "IFM Action Line C2 Infrastructure" scores 0.9 French on trigrams, while real French or Spanish of a sentence
# scores 1.0 (measured on the real sessions of shared/data/real_sessions_dev.tsv, whose 8 WSIS titles without a
# description all read as French at 0.75-0.90 before this rule).
CONFIDENT = 0.95


def _code(values) -> str | None:
    """The language of the detector's confidence values, best first: an unsure guess against English is English."""
    if not values:
        return None
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    if code != DEFAULT_LANGUAGE and best.value < CONFIDENT:
        return DEFAULT_LANGUAGE if any(value.language.iso_code_639_1.name.lower() == DEFAULT_LANGUAGE
                                       for value in values[1:2]) else None
    return code


def detect_language(text: str) -> str | None:
    """The UN language a text is written in ('fr'), or None when it is too short or too mixed to tell."""
    sample = _sample(text)
    return _code(_detector().compute_language_confidence_values(sample)) if sample is not None else None


def detect_languages(texts: list[str]) -> list[str | None]:
    """detect_language of each text, read in parallel (an import of thousands of rows)."""
    samples = [_sample(text) for text in texts]
    readable = [sample for sample in samples if sample is not None]
    found = iter(_detector().compute_language_confidence_values_in_parallel(readable) if readable else [])
    return [_code(next(found)) if sample is not None else None for sample in samples]
