"""Joining rendered parts into one tagged PDF with pikepdf: structure trees, outline, the marks of every page."""
import threading

# How long a worker waits before freeing a joined document, so that its answer is sent first.
RELEASE_DELAY_SECONDS = 0.2


def combine_in_worker(rendered: list, **options) -> bytes:
    """combine() in a worker process, which frees the joined document's objects after answering.

    Freeing qpdf's objects of 600 pages takes a quarter of the join (0.3 s of 1.2 s); the worker does it while
    the caller goes on, and the caller's process never holds the joined document's objects at all.
    """
    kept: list = []
    pdf = combine(rendered, keep=kept, **options)
    timer = threading.Timer(RELEASE_DELAY_SECONDS, kept.clear)
    timer.daemon = True
    timer.start()
    return pdf


def combine(rendered: list, *, marks_part, marks, title: str, language: str, author: str = "",
            level_offsets: list[int] | None = None, keep: list | None = None, frees_parts: bool = False) -> bytes:
    """Join the parts into one tagged PDF: merged structure trees, one outline, the marks stamped on every page.

    pikepdf (qpdf) copies the parts' objects natively; pypdf took 6.5 s to join 43 pages here. The documents
    are appended to `keep` when given, for the caller to free them when it chooses. With frees_parts each part is
    closed as soon as it is joined (its streams' bytes copied first): half the memory, for a slower join.
    """
    import io

    import pikepdf
    from pikepdf import Array, Dictionary, Name

    from consult.reports.marks import stamp

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
        first_page = len(output.pages)
        output.pages.extend(source.pages)
        offset = (level_offsets or [0] * len(rendered))[index]
        outline_entries += [(heading["label"], heading["level"] + offset, first_page + heading["page_index"])
                            for heading in part.headings]
        structure = source.Root.get("/StructTreeRoot")
        if structure is None:
            _release(source, output.pages[first_page:], sources, frees_parts)
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
        _release(source, output.pages[first_page:], sources, frees_parts)

    marks_pdf = pikepdf.Pdf.open(marks_part.pdf_path)
    sources.append(marks_pdf)
    stamp(output, 0, marks_pdf, marks, marks_part.widths)
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
    _link_page_references(output)
    buffer = io.BytesIO()
    output.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for source in sources:
        source.close()
    if keep is not None:
        keep += [output, *sources]
    return buffer.getvalue()


def _release(source, pages, sources: list, frees_parts: bool) -> None:
    """Close a joined part at once, its copied streams given their own bytes first, or keep it open until saved.

    qpdf reads a copied stream's data from its source only when the output is written; a part closed early leaves
    the join one copy of the document, not two (5,000 submissions: 1.9 GiB in the joining worker otherwise).
    """
    if frees_parts:
        _own_stream_data(pages)
        source.close()
    else:
        sources.append(source)


# Keys that lead from a page's resources back to the page tree or the structure tree, not to its own content.
_BACK_REFERENCES = {"/Parent", "/P", "/Pg", "/StructParent", "/StructParents", "/Dest", "/D"}


def _own_stream_data(pages) -> None:
    """Give every stream the pages use (contents, fonts, images, forms, appearances) its bytes, still encoded.

    qpdf copies a foreign stream's data only when the output is written, reading it from the source then; once
    the data is the stream's own, the source can be closed right after its pages were copied.
    """
    from pikepdf import Array, Dictionary, Stream

    seen: set = set()
    pending = [page.obj.get(key) for page in pages for key in ("/Contents", "/Resources", "/Annots")]
    while pending:
        item = pending.pop()
        if not isinstance(item, Stream | Dictionary | Array):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, Stream):
            item.write(item.read_raw_bytes(), filter=item.get("/Filter"), decode_parms=item.get("/DecodeParms"),
                       type_check=False)
            pending += [value for key, value in item.stream_dict.items() if key not in _BACK_REFERENCES]
        elif isinstance(item, Dictionary):
            pending += [value for key, value in item.items() if key not in _BACK_REFERENCES]
        elif isinstance(item, Array):
            pending += list(item)


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


PAGE_LINK = "consult-page:"


def _link_page_references(output) -> None:
    """Contents entries link to "consult-page:N" (parts are laid out apart): make them go to page N of the whole."""
    from pikepdf import Array, Dictionary, Name

    for page in output.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            if action is None or action.get("/S") != Name.URI or not str(action.URI).startswith(PAGE_LINK):
                continue
            number = int(str(action.URI)[len(PAGE_LINK):])
            if 1 <= number <= len(output.pages):
                annotation.A = Dictionary(S=Name.GoTo, D=Array([output.pages[number - 1].obj, Name.Fit]))


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
