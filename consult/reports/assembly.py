"""Fast assembly of a long PDF from sections rendered in parallel, cached by content, numbered afterwards.

A report is a list of parts (plain HTML strings). Each part is laid out by WeasyPrint in its own worker
process and cached on disk under the hash of its HTML, so an unchanged part is never laid out again. Page
numbers do not change the layout of a part (they sit in the page margins), so parts are rendered without
them; once every part's page count is known, the table of contents is rendered with the real numbers, the
running title, "page X of Y" and any DRAFT watermark are drawn onto each page from overlay documents (laid out
in parallel chunks too), and `consult.reports.joining` joins the parts, their structure trees (tags) and
bookmarks merged into one tagged document.
"""
import gc
import hashlib
import json
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

logger = logging.getLogger("consult.reports")

# Bump when the rendering pipeline changes in a way that makes older cached parts wrong.
CACHE_VERSION = "1"


@dataclass
class Part:
    """One separately rendered section: its key, its HTML and whether it is the table of contents."""

    key: str
    html: str
    is_toc: bool = False
    # Added to the depth of the part's headings: 1 when a part continues a chapter begun in an earlier part.
    level_offset: int = 0
    # Page-number overlays are drawn as artifacts: they carry no structure tree of their own.
    is_tagged: bool = True


@dataclass
class RenderedPart:
    """A part laid out: where its PDF is cached, its page count and the headings with their page index."""

    key: str
    pdf_path: str
    page_count: int
    headings: list[dict] = field(default_factory=list)
    from_cache: bool = False


def content_hash(html: str, tagged: bool = True) -> str:
    """The cache key of a part: its HTML, whether it is tagged and the pipeline version."""
    return hashlib.sha256((CACHE_VERSION + ("\0" if tagged else "\1") + html).encode("utf-8")).hexdigest()


def render_part_to_cache(html: str, cache_dir: str, tagged: bool = True) -> dict:
    """Lay out one part (in a worker process) unless cached; return its page count and headings."""
    digest = content_hash(html, tagged)
    pdf_path = Path(cache_dir) / f"{digest}.pdf"
    meta_path = Path(cache_dir) / f"{digest}.json"
    if pdf_path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        return dict(meta, pdf_path=str(pdf_path), from_cache=True)
    pdf, page_count, headings = render_html_pdf(html, tagged=tagged)
    temporary = pdf_path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(pdf)
    os.replace(temporary, pdf_path)
    meta = {"page_count": page_count, "headings": headings}
    meta_temporary = meta_path.with_suffix(f".{os.getpid()}.tmp")
    meta_temporary.write_text(json.dumps(meta))
    os.replace(meta_temporary, meta_path)
    return dict(meta, pdf_path=str(pdf_path), from_cache=False)


def render_html_pdf(html: str, *, tagged: bool = True) -> tuple[bytes, int, list[dict]]:
    """One WeasyPrint render behind the package's URL fetcher: PDF bytes, page count, headings."""
    from weasyprint import HTML

    from consult.reports.fetcher import PackageURLFetcher

    # Layout makes millions of short-lived boxes; the cyclic collector scanning them cost a fifth of the time
    # (measured: 8.1 s against 6.6 s CPU for 137 pages). Its garbage goes with the next automatic collection.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _render(HTML(string=html, url_fetcher=PackageURLFetcher(), base_url=None), tagged)
    finally:
        if was_enabled:
            gc.enable()


def _render(source, tagged: bool) -> tuple[bytes, int, list[dict]]:
    document = source.render()
    headings = []

    def walk(subtrees, level):
        for label, destination, children, _state in subtrees:
            headings.append({"label": label, "level": level, "page_index": destination[0]})
            walk(children, level + 1)

    walk(document.make_bookmark_tree(), 1)
    pdf = document.write_pdf(pdf_tags=tagged, uncompressed_pdf=False)
    return pdf, len(document.pages), headings


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
            results[part.key] = _rendered(part, render_part_to_cache(part.html, cache_dir, part.is_tagged))
        else:
            pending.append(part)
    done = len(results)
    if progress:
        progress(done, len(parts))
    pending.sort(key=lambda part: len(part.html), reverse=True)
    if workers == 1:
        finished = ((part, render_part_to_cache(part.html, cache_dir, part.is_tagged)) for part in pending)
    else:
        from concurrent.futures import as_completed

        pool = executor(workers)
        futures = {pool.submit(render_part_to_cache, part.html, cache_dir, part.is_tagged): part for part in pending}
        finished = ((futures[future], future.result()) for future in as_completed(futures))
    for part, meta in finished:
        results[part.key] = _rendered(part, meta)
        done += 1
        if progress:
            progress(done, len(parts))
    return [results[part.key] for part in parts]


def _rendered(part: Part, meta: dict) -> RenderedPart:
    return RenderedPart(part.key, meta["pdf_path"], meta["page_count"], meta["headings"], meta["from_cache"])


OVERLAY_CHUNK = 100
# The margins' font stacks, the script's own face first (as report.css sets them for the page content).
OVERLAY_FONTS = {"en": '"DejaVu Sans", "Noto Sans", "Noto Naskh Arabic", "Noto Sans CJK SC", sans-serif',
                 "ar": '"Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", sans-serif',
                 "zh": '"Noto Sans CJK SC", "DejaVu Sans", sans-serif'}


@dataclass(frozen=True)
class Marks:
    """What the overlay draws on every page: the running title, page numbers, a watermark, a header logo."""

    running_title: str
    numbered_from: int = 2
    watermark: str = ""
    logo_src: str = ""
    logo_alt: str = ""
    language: str = "en"
    direction: str = "ltr"
    # The translated "Page X of Y", with {page} and {total} where the numbers go.
    page_label: str = "Page {page} of {total}"


def overlay_html(first: int, last: int, total: int, marks: Marks) -> str:
    """Pages first..last (1-based) of a document of `total` pages: margins with title, logo and "Page X of Y".

    Pages before marks.numbered_from (the cover) carry only the watermark.
    """
    from markupsafe import escape

    title = _css_string(marks.running_title)
    before, _page, after = marks.page_label.partition("{page}")
    numbering = f'"{_css_string(before)}" counter(page) "{_css_string(after.replace("{total}", str(total)))}"'
    # In a right-to-left document the running title starts at the right and the logo sits at the left.
    start, end = ("right", "left") if marks.direction == "rtl" else ("left", "right")
    mark = ""
    if marks.watermark:
        from consult.reports.watermark import watermark_data_url

        mark = f'<img class="w" alt="" src="{watermark_data_url(marks.watermark, marks.language)}">'
    # The logo is an image in the page box lifted into the top margin: a margin box prints it at its natural size.
    logo = f'<img class="l" alt="{escape(marks.logo_alt)}" src="{marks.logo_src}">' if marks.logo_src else ""
    pages = "".join(f'<div class="p cover">{mark}</div>' if number < marks.numbered_from
                    else f'<div class="p">{logo}{mark}</div>' for number in range(first, last + 1))
    fonts = OVERLAY_FONTS.get(marks.language, OVERLAY_FONTS["en"])
    root = f'<html lang="{escape(marks.language)}" dir="{escape(marks.direction)}">'
    return f"""<!doctype html>{root}<head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 22mm 18mm 20mm 18mm;
  @top-{start} {{ content: "{title}"; font: 8pt {fonts}; color: #555;
               vertical-align: bottom; padding-bottom: 3mm; }}
  @bottom-center {{ content: {numbering}; font: 8pt {fonts}; color: #333; }} }}
@page:first {{ counter-reset: page {first} }}
@page blank {{ @top-left {{ content: none; }} @top-right {{ content: none; }} @bottom-center {{ content: none; }} }}
.p {{ page-break-after: always; height: 200mm; position: relative; }} .p:last-child {{ page-break-after: auto; }}
.cover {{ page: blank; }}
.w {{ position: absolute; top: 50mm; left: -8mm; width: 190mm; }}
.l {{ position: absolute; top: -15mm; {end}: 0; height: 9mm; max-width: 40mm; }}
</style></head><body>{pages}</body></html>"""


def _css_string(text: str) -> str:
    """Text made safe inside a double-quoted CSS string of a <style> element."""
    return text.replace("\\", "\\\\").replace('"', "\\22 ").replace("<", "\\3c ").replace("\n", " ")


def overlay_parts(total: int, marks: Marks) -> list[Part]:
    """The overlay in chunks of OVERLAY_CHUNK pages, laid out in parallel and cached like the parts."""
    return [Part(f"overlay-{first}", overlay_html(first, min(total, first + OVERLAY_CHUNK - 1), total, marks),
                 is_tagged=False)
            for first in range(1, total + 1, OVERLAY_CHUNK)]


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
    """Render every part, then the table of contents with the real page numbers, then join and number them.

    make_toc(rendered_parts, toc_pages) returns the ToC part's HTML for page numbers computed as if the ToC
    had toc_pages pages; it is called again if the first guess of its length was wrong.
    """
    from consult.reports.joining import combine

    started = time.perf_counter()
    total_steps = len(parts) + 2

    def report(done, _total):
        if progress:
            progress(min(done, total_steps - 1), total_steps)

    rendered = render_parts(parts, cache_dir=cache_dir, workers=workers, progress=report)
    laid_out = time.perf_counter()
    toc_index = next(index for index, part in enumerate(parts) if part.is_toc)
    toc_pages = rendered[toc_index].page_count
    for _attempt in range(3):
        # The contents and the page-number overlay are laid out together, the overlay for the contents' length
        # guessed from its placeholder; a wrong guess (rare: the placeholder lists the same headings) lays both again.
        others = sum(part.page_count for index, part in enumerate(rendered) if index != toc_index)
        toc_part = Part("toc", make_toc(rendered, toc_pages))
        overlay_list = overlay_parts(others + toc_pages, marks)
        toc, *overlays = render_parts([toc_part, *overlay_list], cache_dir=cache_dir, workers=workers)
        if toc.page_count == toc_pages:
            break
        toc_pages = toc.page_count
    rendered[toc_index] = toc
    total = sum(part.page_count for part in rendered)
    numbered = time.perf_counter()
    if progress:
        progress(total_steps - 1, total_steps)
    pdf = combine(rendered, overlay_paths=[overlay.pdf_path for overlay in overlays],
                  is_watermarked=bool(marks.watermark), title=title,
                  language=language, level_offsets=[part.level_offset for part in parts])
    if progress:
        progress(total_steps, total_steps)
    finished = time.perf_counter()
    return AssembledReport(pdf=pdf, page_count=total,
                           parts_rendered=sum(1 for part in rendered if not part.from_cache),
                           parts_cached=sum(1 for part in rendered if part.from_cache),
                           seconds=finished - started,
                           stages={"parts": laid_out - started, "contents and page numbers": numbered - laid_out,
                                   "joining": finished - numbered})


def start_pages(rendered: list[RenderedPart], toc_index: int, toc_pages: int) -> list[int]:
    """The first page number of each part, given the ToC's length."""
    numbers, page = [], 1
    for index, part in enumerate(rendered):
        numbers.append(page)
        page += toc_pages if index == toc_index else part.page_count
    return numbers
