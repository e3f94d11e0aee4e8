"""The text model is used by several threads of one worker at once (a page and the suggestions it asks for)."""
import sys
from concurrent.futures import ThreadPoolExecutor

from consult.textmodel import analysis


def test_stemming_in_many_threads_at_once_gives_each_word_its_own_stem():
    words = [f"{stem}{suffix}{number}" for number in range(400) for stem in ("connect", "govern", "educat")
             for suffix in ("ing", "ions", "ed")]
    expected = {word: analysis.snowballstemmer.stemmer("english").stemWord(word) for word in words}
    analysis.stem.cache_clear()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, so that a shared stemmer would be caught
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda chunk: {word: analysis.stem(word) for word in chunk},
                                    [words[start::8] for start in range(8)]))
    finally:
        sys.setswitchinterval(interval)
        analysis.stem.cache_clear()
    assert {word: stem for result in results for word, stem in result.items()} == expected
