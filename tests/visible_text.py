"""What a person reads on a page, and the raw codes (enum values, format and action-line codes) it must not show."""
import enum
import re
from html.parser import HTMLParser

from consult import reference

# Inside these the text is not read as prose: scripts, styles, and <code>, which documents the codes of a file format.
SILENT_TAGS = {"script", "style", "code", "template"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
WRONG_PLURAL = re.compile(r"(?<![\d.,])\b1 (proposals|sessions|reviews|speakers|comments|members|submissions|"
                          r"reviewers|matches|rows|errors|days|rooms|pages|messages|clusters|requests|minutes)\b")


class TextChunks(HTMLParser):
    """The text runs of a page outside SILENT_TAGS, and the title attributes people see on hover."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._silent = 0
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        self._stack.append(tag)
        if tag in SILENT_TAGS:
            self._silent += 1

    def handle_endtag(self, tag):
        if tag not in self._stack:
            return
        while self._stack:
            open_tag = self._stack.pop()
            if open_tag in SILENT_TAGS:
                self._silent -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self._silent and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_chunks(html: str) -> list[str]:
    """The page's text runs, whitespace collapsed."""
    parser = TextChunks()
    parser.feed(html)
    return parser.chunks


def _enum_classes(base=enum.Enum):
    for cls in base.__subclasses__():
        yield cls
        yield from _enum_classes(cls)


def raw_codes() -> set[str]:
    """Every stored code a page might print instead of its label."""
    import consult.agenda.models
    import consult.outbox.models
    import consult.reports.models
    import consult.review.models  # noqa: F401

    codes = {str(member.value) for cls in _enum_classes() if cls.__module__.startswith("consult.")
             for member in cls if isinstance(member.value, str)}
    codes |= {fmt.code for fmt in reference.SESSION_FORMATS} | set(reference.REGION_LABELS)
    codes |= {line.code for line in reference.ACTION_LINES} | {"female", "male"}
    return codes


def raw_codes_in(html: str, codes: set[str]) -> list[str]:
    """Text runs that are a bare code, or hold a snake_case code, or say '1 <plural>'."""
    found = []
    snake = {code for code in codes if "_" in code}
    for chunk in visible_chunks(html):
        words = set(re.findall(r"[A-Za-z0-9_-]+", chunk))
        if chunk.strip(" .,:;()·—-") in codes or words & snake or WRONG_PLURAL.search(chunk):
            found.append(chunk)
    return found
