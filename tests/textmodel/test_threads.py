"""The text model is used by several threads of one worker at once (a page and the suggestions it asks for)."""
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import snowballstemmer

from consult.textmodel import analysis, languages


@pytest.mark.parametrize(("language", "snowball_name", "stems"), [
    ("en", "english", ("connect", "govern", "educat")),
    ("fr", "french", ("connect", "gouvern", "éduqu")),
])
def test_stemming_in_many_threads_at_once_gives_each_word_its_own_stem(language, snowball_name, stems):
    words = [f"{stem}{suffix}{number}" for number in range(400) for stem in stems for suffix in ("ing", "ions", "ed")]
    reference = snowballstemmer.stemmer(snowball_name)
    expected = {word: analysis.stem(word, language) for word in words}
    if language == "en":
        assert expected == {word: reference.stemWord(word) for word in words}
    analysis._english_stem.cache_clear()
    languages.stem_in.cache_clear()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, so that a shared stemmer would be caught
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda chunk: {word: analysis.stem(word, language) for word in chunk},
                                    [words[start::8] for start in range(8)]))
    finally:
        sys.setswitchinterval(interval)
        analysis._english_stem.cache_clear()
        languages.stem_in.cache_clear()
    assert {word: stem for result in results for word, stem in result.items()} == expected
