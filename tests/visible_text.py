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
    """The text runs of a page outside SILENT_TAGS, and the title attributes people see on hover.

    With a page language, text inside an element that declares another one (lang="en" on the switcher's
    "English", on an e-mail previewed as it will be sent) is left out.
    """

    def __init__(self, language: str | None = None):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.language = language
        self._silent = 0
        self._foreign = 0
        self._stack: list[tuple[str, bool]] = []

    def declares_other_language(self, attrs) -> bool:
        """Whether an element with these attributes declares a language other than the page's."""
        declared = dict(attrs).get("lang")
        return bool(self.language and declared and declared.split("-")[0] != self.language)

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        foreign = self.declares_other_language(attrs)
        self._stack.append((tag, foreign))
        self._foreign += foreign
        if tag in SILENT_TAGS:
            self._silent += 1

    def handle_endtag(self, tag):
        if tag not in (open_tag for open_tag, _ in self._stack):
            return
        while self._stack:
            open_tag, foreign = self._stack.pop()
            self._foreign -= foreign
            if open_tag in SILENT_TAGS:
                self._silent -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self._silent and not self._foreign and data.strip():
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


# Attributes whose text people read or hear (a tooltip, a screen reader's name, a field's hint, an image's text).
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-confirm"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%[sdif]")


class ReadText(TextChunks):
    """The text runs, plus the attributes in READ_ATTRIBUTES and the words on input buttons."""

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if self._foreign or self.declares_other_language(attrs):
            super().handle_starttag(tag, attrs)
            return
        for name in READ_ATTRIBUTES:
            if values.get(name) and values[name].strip():
                self.chunks.append(" ".join(values[name].split()))
        if tag == "input" and values.get("type") in ("submit", "button") and (values.get("value") or "").strip():
            self.chunks.append(" ".join(values["value"].split()))
        super().handle_starttag(tag, attrs)


def read_chunks(html: str, language: str | None = None) -> list[str]:
    """Everything a person reads or hears on the page, one run of text or attribute at a time (with a language:
    what is declared in that language or none)."""
    parser = ReadText(language)
    parser.feed(html)
    return parser.chunks


class Untranslated:
    """The English msgids that have a translation in one language, to find them left in English on its pages.

    A text run that is a msgid (its placeholders filled with anything) was not translated at render time: a
    lazy string evaluated at import, a string built outside `_()`, a label stored in English.
    """

    def __init__(self, language: str):
        from pathlib import Path

        self.language = language

        from babel.messages.mofile import read_mo

        import consult

        path = Path(consult.__file__).parent / "translations" / language / "LC_MESSAGES" / "messages.mo"
        with path.open("rb") as handle:
            catalog = read_mo(handle)
        self.exact: set[str] = set()
        patterns = []
        for message in catalog:
            ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
            strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            for msgid in filter(None, ids):
                english = " ".join(msgid.split())
                # The same in both languages ("PDF", "CSV"), markup, or no word at all: not a sign of a leak.
                if not any(strings) or english in strings or "<" in english or not re.search(r"[A-Za-z]{2}", english):
                    continue
                if not PLACEHOLDER.search(english):
                    self.exact.add(english.replace("%%", "%"))
                elif len(re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub(" ", english))) >= 2:
                    # Two words around the placeholders at least: "%(count)d items" alone would match any count.
                    # A number placeholder is filled with digits: "%(num)d proposal from %(file)s" is no match for
                    # a sentence someone wrote ("a similar proposal from a partner network").
                    pieces = PLACEHOLDER.split(english)[::PLACEHOLDER.groups + 1]
                    literal = [re.escape(piece.replace("%%", "%")) for piece in pieces]
                    fills = [r"-?\d+" if placeholder.group(0).endswith("d") else ".+?"
                             for placeholder in PLACEHOLDER.finditer(english)]
                    patterns.append("".join(piece + fill for piece, fill in zip(literal, fills + [""], strict=True)))
        self.pattern = re.compile("|".join(f"(?:{pattern})" for pattern in patterns)) if patterns else None

    def found_in(self, html: str) -> list[str]:
        """The page's text runs that are an untranslated msgid."""
        found = []
        for chunk in read_chunks(html, self.language):
            bare = chunk.strip(" ·—")
            if bare in self.exact or (self.pattern is not None and self.pattern.fullmatch(bare)):
                found.append(chunk)
        return found
