"""Fast assembly of a long PDF from sections rendered in parallel, cached by content, numbered afterwards.

A report is a list of parts (plain HTML strings). Each part is laid out by WeasyPrint in its own worker
process and cached on disk under the hash of its HTML, so an unchanged part is never laid out again. Page
numbers do not change the layout of a part (they sit in the page margins), so parts are rendered without
them; once every part's page count is known, "page X of Y" is drawn onto each page from a small overlay
document, the table of contents is rendered with the real numbers, and the parts are joined with pypdf,
their structure trees (tags) and bookmarks merged into one tagged document.
"""
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


@dataclass
class RenderedPart:
    """A part laid out: where its PDF is cached, its page count and the headings with their page index."""

    key: str
    pdf_path: str
    page_count: int
    headings: list[dict] = field(default_factory=list)
    from_cache: bool = False


def content_hash(html: str) -> str:
    """The cache key of a part: its HTML and the pipeline version."""
    return hashlib.sha256((CACHE_VERSION + "\0" + html).encode("utf-8")).hexdigest()


def render_part_to_cache(html: str, cache_dir: str) -> dict:
    """Lay out one part (in a worker process) unless cached; return its page count and headings."""
    digest = content_hash(html)
    pdf_path = Path(cache_dir) / f"{digest}.pdf"
    meta_path = Path(cache_dir) / f"{digest}.json"
    if pdf_path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        return dict(meta, pdf_path=str(pdf_path), from_cache=True)
    pdf, page_count, headings = render_html_pdf(html)
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

    fetcher = PackageURLFetcher()
    document = HTML(string=html, url_fetcher=fetcher, base_url=None).render()
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
        digest = content_hash(part.html)
        if (Path(cache_dir) / f"{digest}.pdf").exists() and (Path(cache_dir) / f"{digest}.json").exists():
            meta = render_part_to_cache(part.html, cache_dir)
            results[part.key] = RenderedPart(part.key, meta["pdf_path"], meta["page_count"], meta["headings"], True)
        else:
            pending.append(part)
    done = len(results)
    if progress:
        progress(done, len(parts))
    if pending:
        pending.sort(key=lambda part: len(part.html), reverse=True)
        if workers == 1:
            for part in pending:
                meta = render_part_to_cache(part.html, cache_dir)
                results[part.key] = RenderedPart(part.key, meta["pdf_path"], meta["page_count"], meta["headings"])
                done += 1
                if progress:
                    progress(done, len(parts))
        else:
            pool = executor(workers)
            futures = {pool.submit(render_part_to_cache, part.html, cache_dir): part for part in pending}
            from concurrent.futures import as_completed

            for future in as_completed(futures):
                part = futures[future]
                meta = future.result()
                results[part.key] = RenderedPart(part.key, meta["pdf_path"], meta["page_count"], meta["headings"])
                done += 1
                if progress:
                    progress(done, len(parts))
    return [results[part.key] for part in parts]


def overlay_html(total: int, running_title: str, numbered_from: int) -> str:
    """Blank pages whose margins carry the running title and "Page X of Y" (pages before numbered_from blank)."""
    from markupsafe import escape

    title = escape(running_title).replace('"', "'")
    pages = "".join('<div class="p"></div>' for _ in range(total))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 22mm 18mm 20mm 18mm;
  @top-left {{ content: "{title}"; font: 8pt "DejaVu Sans", "Noto Sans", sans-serif; color: #555; }}
  @bottom-center {{ content: "Page " counter(page) " of {total}"; font: 8pt "DejaVu Sans", sans-serif; color: #333; }} }}
@page blank {{ @top-left {{ content: none; }} @bottom-center {{ content: none; }} }}
.p {{ page-break-after: always; height: 1px; }} .p:last-child {{ page-break-after: auto; }}
.cover {{ page: blank; }}
</style></head><body>{pages.replace('<div class="p">', '<div class="p cover">', max(numbered_from - 1, 0))}</body></html>"""


def render_overlay(total: int, running_title: str, numbered_from: int, cache_dir: str, workers: int = 1) -> str:
    """The page-number overlay for a document of `total` pages, cached like a part (rendered in the pool)."""
    html = overlay_html(total, running_title, numbered_from)
    digest = content_hash("overlay" + html)
    path = Path(cache_dir) / f"{digest}.pdf"
    if not path.exists():
        if workers > 1:
            executor(workers).submit(_write_overlay, html, str(path)).result()
        else:
            _write_overlay(html, str(path))
    return str(path)


def _write_overlay(html: str, path: str) -> None:
    pdf, _count, _headings = render_html_pdf(html, tagged=False)
    temporary = Path(path).with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(pdf)
    os.replace(temporary, path)


def combine(rendered: list[RenderedPart], *, overlay_path: str | None, title: str, language: str,
            author: str = "", level_offsets: list[int] | None = None) -> bytes:
    """Join the parts into one tagged PDF: merged structure trees, one outline, page numbers from the overlay.

    pikepdf (qpdf) copies the parts' objects natively; pypdf took 6.5 s to join 43 pages here.
    """
    import io

    import pikepdf
    from pikepdf import Array, Dictionary, Name

    output = pikepdf.Pdf.new()
    document_element = output.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    parent_numbers: list = []
    document_kids: list = []
    next_key = 0
    role_map = None
    outline_entries = []
    sources = []
    for index, part in enumerate(rendered):
        source = pikepdf.Pdf.open(part.pdf_path)
        sources.append(source)
        first_page = len(output.pages)
        output.pages.extend(source.pages)
        offset = (level_offsets or [0] * len(rendered))[index]
        outline_entries += [(heading["label"], heading["level"] + offset, first_page + heading["page_index"])
                            for heading in part.headings]
        structure = source.Root.get("/StructTreeRoot")
        if structure is None:
            continue
        if role_map is None and "/RoleMap" in structure:
            role_map = output.copy_foreign(structure.RoleMap) if structure.RoleMap.is_indirect else structure.RoleMap
        # One copy per part: qpdf maps the pages already copied, so /Pg references land on the new pages.
        top = structure.get("/K")
        if isinstance(top, Array) and len(top) == 1:
            top = top[0]
        if isinstance(top, Array):
            top = Array([output.copy_foreign(item) if item.is_indirect else item for item in top])
        elif top is not None and top.is_indirect:
            if isinstance(top, Dictionary) and "/P" in top:
                del top["/P"]
            top = output.copy_foreign(top)
        if isinstance(top, Dictionary) and top.get("/S") == Name.Document:
            kids = top.get("/K")
        else:
            kids = top
        for kid in (list(kids) if isinstance(kids, Array) else [kids] if kids is not None else []):
            if isinstance(kid, Dictionary):
                kid.P = document_element
            document_kids.append(kid)
        tree = structure.get("/ParentTree")
        numbers = []
        if tree is not None:
            tree = _copy_tree(output, tree)
            numbers = _number_tree_items(tree)
        for key, value in numbers:
            parent_numbers.append(key + next_key)
            parent_numbers.append(value)
        for page in output.pages[first_page:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + next_key
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + next_key
        part_next = structure.get("/ParentTreeNextKey")
        next_key += int(part_next) if part_next is not None else max((k for k, _ in numbers), default=-1) + 1

    if overlay_path:
        overlay = pikepdf.Pdf.open(overlay_path)
        sources.append(overlay)
        _stamp_overlay(output, overlay)
    document_element.K = Array(document_kids)
    tree_root = Dictionary(Type=Name.StructTreeRoot, K=document_element,
                           ParentTree=output.make_indirect(Dictionary(Nums=Array(parent_numbers))),
                           ParentTreeNextKey=next_key)
    if role_map is not None:
        tree_root.RoleMap = role_map
    tree_root = output.make_indirect(tree_root)
    document_element.P = tree_root
    output.Root.StructTreeRoot = tree_root
    output.Root.MarkInfo = Dictionary(Marked=True)
    output.Root.Lang = pikepdf.String(language)
    output.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    output.Root.PageMode = Name.UseOutlines
    output.docinfo["/Title"] = title
    output.docinfo["/Author"] = author or "consult"
    output.docinfo["/Creator"] = "consult (WeasyPrint, pikepdf)"
    with output.open_metadata(set_pikepdf_as_editor=False) as metadata:
        metadata["dc:title"] = title
        metadata["dc:language"] = {language}
    _write_outline(output, outline_entries)
    buffer = io.BytesIO()
    output.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for source in sources:
        source.close()
    return buffer.getvalue()


def _copy_tree(output, tree):
    """A number tree copied into the output in one qpdf call (made indirect first when it is direct)."""
    if not tree.is_indirect:
        tree = tree.owner.make_indirect(tree)
    return output.copy_foreign(tree)


def _number_tree_items(node) -> list:
    """Flattened (key, value) pairs of a PDF number tree."""
    items = []
    numbers = node.get("/Nums")
    if numbers is not None:
        numbers = list(numbers)
        items.extend((int(numbers[index]), numbers[index + 1]) for index in range(0, len(numbers), 2))
    for kid in node.get("/Kids", []):
        items.extend(_number_tree_items(kid))
    return items


def _write_outline(output, entries: list[tuple[str, int, int]]) -> None:
    """PDF bookmarks from the headings: (label, level, page index)."""
    from pikepdf import OutlineItem

    with output.open_outline() as outline:
        stack: list[tuple[int, OutlineItem]] = []
        for label, level, page_index in entries:
            item = OutlineItem(label, page_index)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((level, item))


def _stamp_overlay(output, overlay) -> None:
    """Draw each overlay page onto the same page as a form XObject, marked as an artifact (not content)."""
    import pikepdf

    save = output.make_stream(b"q\n")
    for index, page in enumerate(output.pages):
        if index >= len(overlay.pages):
            break
        form = output.copy_foreign(overlay.pages[index].as_form_xobject())
        name = page.add_resource(form, pikepdf.Name.XObject, prefix="ConsultPageNumber")
        page.contents_add(save, prepend=True)
        page.contents_add(output.make_stream(b"Q\n/Artifact BMC q " + bytes(name) + b" Do Q EMC\n"))


@dataclass
class AssembledReport:
    """A finished report and how it was made."""

    pdf: bytes
    page_count: int
    parts_rendered: int
    parts_cached: int
    seconds: float


def assemble(parts: list[Part], *, make_toc: Callable[[list[RenderedPart], int], str], title: str,
             running_title: str, language: str, cache_dir: str, workers: int,
             progress: Callable[[int, int], None] | None = None) -> AssembledReport:
    """Render every part, then the table of contents with the real page numbers, then join and number them.

    make_toc(rendered_parts, toc_pages) returns the ToC part's HTML for page numbers computed as if the ToC
    had toc_pages pages; it is called again if the first guess of its length was wrong.
    """
    started = time.perf_counter()
    total_steps = len(parts) + 2

    def report(done, _total):
        if progress:
            progress(min(done, total_steps - 1), total_steps)

    rendered = render_parts(parts, cache_dir=cache_dir, workers=workers, progress=report)
    toc_index = next(index for index, part in enumerate(parts) if part.is_toc)
    toc_pages = rendered[toc_index].page_count
    for _attempt in range(3):
        toc_html = make_toc(rendered, toc_pages)
        toc = render_parts([Part("toc", toc_html)], cache_dir=cache_dir, workers=workers)[0]
        if toc.page_count == toc_pages:
            break
        toc_pages = toc.page_count
    rendered[toc_index] = toc
    total = sum(part.page_count for part in rendered)
    overlay = render_overlay(total, running_title, numbered_from=2, cache_dir=cache_dir, workers=workers)
    if progress:
        progress(total_steps - 1, total_steps)
    pdf = combine(rendered, overlay_path=overlay, title=title, language=language,
                  level_offsets=[part.level_offset for part in parts])
    if progress:
        progress(total_steps, total_steps)
    return AssembledReport(pdf=pdf, page_count=total,
                           parts_rendered=sum(1 for part in rendered if not part.from_cache),
                           parts_cached=sum(1 for part in rendered if part.from_cache),
                           seconds=time.perf_counter() - started)


def start_pages(rendered: list[RenderedPart], toc_index: int, toc_pages: int) -> list[int]:
    """The first page number of each part, given the ToC's length."""
    numbers, page = [], 1
    for index, part in enumerate(rendered):
        numbers.append(page)
        page += toc_pages if index == toc_index else part.page_count
    return numbers
