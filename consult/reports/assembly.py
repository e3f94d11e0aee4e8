"""Fast assembly of a long PDF from sections rendered in parallel, cached by content, numbered afterwards.

A report is a list of parts (plain HTML strings). Each part is laid out by WeasyPrint in a worker process and
cached on disk under the hash of its HTML and stylesheets, so an unchanged part is never laid out again. What
the page margins print does not change a part's layout, so parts are laid out without it, in parallel with one
small marks document (`consult.reports.marks`). Once every part's page count is known the table of contents is
laid out with the real numbers, and `consult.reports.joining` joins the parts, their structure trees (tags) and
bookmarks into one tagged document and stamps the running title, watermark and "Page X of Y" on every page.
"""
import gc
import hashlib
import json
import logging
import multiprocessing
import os
import re
import threading
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from consult.reports.marks import Marks, marks_html, text_widths

logger = logging.getLogger("consult.reports")

# A longer document is joined closing each part as soon as it is copied: half the memory (1 GiB less at 5,000
# submissions), a third more time; below it the join keeps the parts open and is faster.
FREE_PARTS_ABOVE_PAGES = 1500
# Bump when the rendering pipeline changes in a way that makes older cached parts wrong.
CACHE_VERSION = "3"


@dataclass
class Part:
    """One separately rendered section: its key, its HTML and whether it is the table of contents."""

    key: str
    html: str
    is_toc: bool = False
    # Added to the depth of the part's headings: 1 when a part continues a chapter begun in an earlier part.
    level_offset: int = 0
    # The marks document is drawn as artifacts: it carries no structure tree of its own.
    is_tagged: bool = True
    # Whether the text width of each page is measured (the marks document's pieces are placed by it).
    measures: bool = False


@dataclass
class RenderedPart:
    """A part laid out: where its PDF is cached, its page count and the headings with their page index."""

    key: str
    pdf_path: str
    page_count: int
    headings: list[dict] = field(default_factory=list)
    from_cache: bool = False
    widths: list[float] = field(default_factory=list)


def stable_runs(items: list, key: Callable[[object], object], *, least: int, most: int) -> list[list]:
    """Cut items into runs of `least` to `most` items at places that depend only on the keys near each cut.

    A run ends after an item whose key hashes lower than the keys of the `least - 1` items on either side (the
    local minima of winnowing, Schleimer, Wilkerson and Aiken 2003), so cuts are at least `least` items apart and
    whether an item ends a run depends on its neighbours alone, never on where the run before it was cut. A changed
    item keeps every cut; an added or removed one can move only the cuts within `least - 1` items of it, so at most
    three runs differ, where cutting every n-th item (or after marks counted from the last cut) moves every cut
    after it. A stretch longer than `most` with no such minimum is cut into equal runs; a change inside it moves
    those runs too, and no others.
    """
    reach = least - 1
    count = len(items)
    hashes = [(zlib.crc32(repr(key(item)).encode("utf-8")), repr(key(item))) for item in items]
    ends = [index + 1 for index in range(reach, count - least)
            if all(hashes[index] < hashes[other]
                   for other in range(max(0, index - reach), min(count, index + reach + 1)) if other != index)]
    runs: list[list] = []
    start = 0
    for end in [*ends, count]:
        pieces = -(-(end - start) // most)
        runs += [items[start + (end - start) * piece // pieces:start + (end - start) * (piece + 1) // pieces]
                 for piece in range(pieces)]
        start = end
    return runs


STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="(consult-static:[^"]+)">')


def content_hash(html: str, tagged: bool = True) -> str:
    """The cache key of a part: its HTML, the stylesheets it links, whether it is tagged and the pipeline version."""
    digest = hashlib.sha256((CACHE_VERSION + ("\0" if tagged else "\1") + html).encode("utf-8"))
    for href in STYLESHEET_LINK.findall(html):
        digest.update(_stylesheet_digest(href).encode("ascii"))
    return digest.hexdigest()


def _stylesheet_digest(href: str) -> str:
    """The hash of a packaged stylesheet's bytes, read again when the file changed."""
    from consult.reports.fetcher import STATIC_DIR, STATIC_SCHEME

    path = STATIC_DIR / href[len(STATIC_SCHEME):]
    stamp = path.stat().st_mtime_ns
    cached = _stylesheet_digests.get(href)
    if cached is None or cached[0] != stamp:
        cached = _stylesheet_digests[href] = (stamp, hashlib.sha256(path.read_bytes()).hexdigest())
    return cached[1]


_stylesheet_digests: dict[str, tuple[int, str]] = {}


def render_part_to_cache(html: str, cache_dir: str, tagged: bool = True, measures: bool = False) -> dict:
    """Lay out one part (in a worker process) unless cached; return its page count and headings."""
    digest = content_hash(html, tagged)
    pdf_path = Path(cache_dir) / f"{digest}.pdf"
    meta_path = Path(cache_dir) / f"{digest}.json"
    if pdf_path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        return dict(meta, pdf_path=str(pdf_path), from_cache=True)
    pdf, page_count, headings, widths = render_html_pdf(html, tagged=tagged, measures=measures)
    temporary = pdf_path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(pdf)
    os.replace(temporary, pdf_path)
    meta = {"page_count": page_count, "headings": headings, "widths": widths}
    meta_temporary = meta_path.with_suffix(f".{os.getpid()}.tmp")
    meta_temporary.write_text(json.dumps(meta))
    os.replace(meta_temporary, meta_path)
    return dict(meta, pdf_path=str(pdf_path), from_cache=False)


def render_html_pdf(html: str, *, tagged: bool = True,
                    measures: bool = False) -> tuple[bytes, int, list[dict], list[float]]:
    """One WeasyPrint render behind the package's URL fetcher: PDF bytes, page count, headings, text widths."""
    from weasyprint import HTML

    from consult.reports.fetcher import PackageURLFetcher

    # Layout makes millions of short-lived boxes; the cyclic collector scanning them cost a fifth of the time
    # (measured: 8.1 s against 6.6 s CPU for 137 pages). Its garbage goes with the next automatic collection.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        font_config = _font_config()
        # The packaged stylesheets are parsed once per process, not once per part (25 ms each).
        stylesheets = [_stylesheet(href, font_config) for href in STYLESHEET_LINK.findall(html)]
        source = HTML(string=STYLESHEET_LINK.sub("", html), url_fetcher=PackageURLFetcher(), base_url=None)
        document = source.render(stylesheets=stylesheets, font_config=font_config)
        return _written(document, tagged, measures)
    finally:
        if was_enabled:
            gc.enable()


_process_fonts: list = []
_process_stylesheets: dict[tuple[str, str], object] = {}


def _font_config():
    """One font configuration per process: fontconfig's set is loaded once, not once per part."""
    if not _process_fonts:
        from weasyprint.text.fonts import FontConfiguration

        _process_fonts.append(FontConfiguration())
    return _process_fonts[0]


def _stylesheet(href: str, font_config):
    """A packaged stylesheet parsed once per process and per version of the file."""
    from weasyprint import CSS

    from consult.reports.fetcher import PackageURLFetcher

    key = (href, _stylesheet_digest(href))
    if key not in _process_stylesheets:
        _process_stylesheets[key] = CSS(url=href, url_fetcher=PackageURLFetcher(), font_config=font_config)
    return _process_stylesheets[key]


def _written(document, tagged: bool, measures: bool) -> tuple[bytes, int, list[dict], list[float]]:
    headings = []

    def walk(subtrees, level):
        for label, destination, children, _state in subtrees:
            headings.append({"label": label, "level": level, "page_index": destination[0]})
            walk(children, level + 1)

    walk(document.make_bookmark_tree(), 1)
    widths = text_widths(document) if measures else []
    pdf = document.write_pdf(pdf_tags=tagged, uncompressed_pdf=False)
    if tagged:
        from consult.reports.tagging import fold_text_spans

        pdf = fold_text_spans(pdf)
    return pdf, len(document.pages), headings, widths


def worker_count(configured: int | None) -> int:
    """REPORT_WORKERS when set (above 0), else one per CPU core."""
    return configured if configured and configured > 0 else (os.cpu_count() or 1)


_executors: dict[int, ProcessPoolExecutor] = {}
_executors_lock = threading.Lock()


def executor(workers: int) -> ProcessPoolExecutor:
    """A pool of spawned processes kept for the life of this process (fonts stay loaded between builds)."""
    with _executors_lock:
        if workers not in _executors:
            # spawn: a fork would copy the Flask app, its database connections and threads into the children.
            _executors[workers] = ProcessPoolExecutor(max_workers=workers,
                                                      mp_context=multiprocessing.get_context("spawn"))
        return _executors[workers]


def shutdown_executors() -> None:
    """Stop the worker processes (tests, benchmarks and the report command)."""
    with _executors_lock:
        for pool in _executors.values():
            pool.shutdown(wait=True)
        _executors.clear()


def render_parts(parts: list[Part], *, cache_dir: str, workers: int,
                 progress: Callable[[int, int], None] | None = None) -> list[RenderedPart]:
    """Render the parts in parallel (the largest first), reading unchanged ones from the cache."""
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    results: dict[str, RenderedPart] = {}
    pending = []
    for part in parts:
        digest = content_hash(part.html, part.is_tagged)
        if (Path(cache_dir) / f"{digest}.pdf").exists() and (Path(cache_dir) / f"{digest}.json").exists():
            results[part.key] = _rendered(part, render_part_to_cache(part.html, cache_dir, part.is_tagged, part.measures))
        else:
            pending.append(part)
    done = len(results)
    if progress:
        progress(done, len(parts))
    pending.sort(key=lambda part: len(part.html), reverse=True)
    if workers == 1:
        finished = ((part, render_part_to_cache(part.html, cache_dir, part.is_tagged, part.measures)) for part in pending)
    else:
        from concurrent.futures import as_completed

        pool = executor(workers)
        futures = {pool.submit(render_part_to_cache, part.html, cache_dir, part.is_tagged, part.measures): part
                   for part in pending}
        finished = ((futures[future], future.result()) for future in as_completed(futures))
    for part, meta in finished:
        results[part.key] = _rendered(part, meta)
        done += 1
        if progress:
            progress(done, len(parts))
    return [results[part.key] for part in parts]


def _rendered(part: Part, meta: dict) -> RenderedPart:
    return RenderedPart(part.key, meta["pdf_path"], meta["page_count"], meta["headings"], meta["from_cache"],
                        meta.get("widths", []))


@dataclass
class AssembledReport:
    """A finished report and how it was made."""

    pdf: bytes
    page_count: int
    parts_rendered: int
    parts_cached: int
    seconds: float
    # Seconds per stage of the build, for the benchmark.
    stages: dict = field(default_factory=dict)


def assemble(parts: list[Part], *, make_toc: Callable[[list[RenderedPart], int], str], title: str,
             marks: Marks, language: str, cache_dir: str, workers: int,
             progress: Callable[[int, int], None] | None = None) -> AssembledReport:
    """Render every part and the marks, then the table of contents with the real page numbers, then join them.

    make_toc(rendered_parts, toc_pages) returns the ToC part's HTML for page numbers computed as if the ToC
    had toc_pages pages; it is called again if the first guess of its length was wrong.
    """
    from consult.reports.joining import combine, combine_in_worker

    started = time.perf_counter()
    total_steps = len(parts) + 3

    def report(done, _total):
        if progress:
            progress(min(done, total_steps - 2), total_steps)

    marks_part = Part("marks", marks_html(marks), is_tagged=False, measures=True)
    *rendered, marks_rendered = render_parts([*parts, marks_part], cache_dir=cache_dir, workers=workers,
                                             progress=report)
    laid_out = time.perf_counter()
    toc_index = next(index for index, part in enumerate(parts) if part.is_toc)
    toc_pages = rendered[toc_index].page_count
    for _attempt in range(3):
        # The placeholder laid out with the parts lists the same headings, so its length is nearly always right.
        toc = render_parts([Part("toc", make_toc(rendered, toc_pages))], cache_dir=cache_dir, workers=workers)[0]
        if toc.page_count == toc_pages:
            break
        toc_pages = toc.page_count
    rendered[toc_index] = toc
    total = sum(part.page_count for part in rendered)
    numbered = time.perf_counter()
    if progress:
        progress(total_steps - 1, total_steps)
    joining = dict(marks_part=marks_rendered, marks=marks, title=title, language=language,
                   level_offsets=[part.level_offset for part in parts], frees_parts=total > FREE_PARTS_ABOVE_PAGES)
    pdf = (combine(rendered, **joining) if workers == 1
           else executor(workers).submit(combine_in_worker, rendered, **joining).result())
    if progress:
        progress(total_steps, total_steps)
    finished = time.perf_counter()
    return AssembledReport(pdf=pdf, page_count=total,
                           parts_rendered=sum(1 for part in rendered if not part.from_cache),
                           parts_cached=sum(1 for part in rendered if part.from_cache),
                           seconds=finished - started,
                           stages={"parts": laid_out - started, "contents": numbered - laid_out,
                                   "joining and numbering": finished - numbered})


def start_pages(rendered: list[RenderedPart], toc_index: int, toc_pages: int) -> list[int]:
    """The first page number of each part, given the ToC's length."""
    numbers, page = [], 1
    for index, part in enumerate(rendered):
        numbers.append(page)
        page += toc_pages if index == toc_index else part.page_count
    return numbers
