"""Unicode normalisation of what users send: every form field and query argument arrives in NFC.

A name typed on one keyboard as "é" (one code point) and pasted from elsewhere as "e" + a combining acute (two)
looks the same but compares, sorts, searches and counts against length limits differently. Normalising to NFC at the
edge (the W3C's recommendation for the web) keeps what the user sees exactly and makes the stored text comparable.
Canonical equivalence only (NFC, not NFKC): "ﬁ", "²" or full-width letters are kept as typed. Passwords are
normalised the same way at registration and at sign-in, so they keep matching.

Control characters (NUL, escape, the C1 range...) are refused here too, whatever the route: no text a person writes
contains them (tab, line feed and carriage return excepted), PostgreSQL cannot store NUL at all, and a terminal or
a spreadsheet that later shows the data may obey them. The request is answered 400 with the field named.
"""
import re
import unicodedata

from flask import Request, abort, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property


def normalise_text(value: str) -> str:
    """value in Unicode normal form C."""
    return unicodedata.normalize("NFC", value) if not value.isascii() else value


CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def first_control_character(value: str) -> str | None:
    """The first control character of value other than tab, line feed and carriage return, if any."""
    match = CONTROL_CHARACTER.search(value)
    return match.group() if match else None


def refused_control_character(values) -> tuple[str, str] | None:
    """(field name, character) of the first key or value of a MultiDict or dict holding a control character."""
    items = values.items(multi=True) if isinstance(values, MultiDict) else values.items()
    for key, value in items:
        for text in (key, value):
            character = first_control_character(text) if isinstance(text, str) else None
            if character is not None:
                return key, character
    return None


def refuse_control_characters() -> None:
    """Answer 400 when the query string, the form or the path holds a control character (a before-request hook)."""
    for values in (request.args, request.form, request.view_args or {}):
        refused = refused_control_character(values)
        if refused is not None:
            name, character = refused
            printable = CONTROL_CHARACTER.sub("", name)[:60] or "?"
            abort(400, description=_(
                "The field “%(field)s” contains an invisible control character (U+%(code)04X) that this site does not "
                "accept. Remove it (it often comes with text pasted from another program) and send again.",
                field=printable, code=ord(character)))


def normalise_multidict(values: MultiDict) -> ImmutableMultiDict:
    """A copy of a form or query MultiDict with every key and value in NFC."""
    return ImmutableMultiDict([(normalise_text(key), normalise_text(value)) for key, value in values.items(multi=True)])


class NormalisedRequest(Request):
    """The request class of the app: form fields and query arguments normalised to NFC (files untouched)."""

    @cached_property
    def args(self) -> ImmutableMultiDict:
        return normalise_multidict(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None:
            self.__dict__["form"] = normalise_multidict(form)


# Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): in a title or a name they serve only to
# make text read differently from what it is ("evil" shown as "live"). Running text keeps them: a script may need them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# What draws nothing: format characters (zero-width space and joiners, word joiner, BOM, soft hyphen, bidi marks),
# separators and combining marks with no base.
INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"}


def clean_label(value: str) -> str:
    """A title or a name without bidi embedding, override and isolate controls, and trimmed."""
    return BIDI_CONTROLS.sub("", value).strip()


def has_visible_character(value: str) -> bool:
    """Whether value draws at least one visible character (not only zero-width or other invisible ones)."""
    return any(unicodedata.category(character) not in INVISIBLE_CATEGORIES for character in value)
