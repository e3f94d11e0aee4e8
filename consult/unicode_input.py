"""Unicode normalisation of what users send: every form field and query argument arrives in NFC.

A name typed on one keyboard as "é" (one code point) and pasted from elsewhere as "e" + a combining acute (two)
looks the same but compares, sorts, searches and counts against length limits differently. Normalising to NFC at the
edge (the W3C's recommendation for the web) keeps what the user sees exactly and makes the stored text comparable.
Canonical equivalence only (NFC, not NFKC): "ﬁ", "²" or full-width letters are kept as typed. Passwords are
normalised the same way at registration and at sign-in, so they keep matching.
"""
import unicodedata

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property


def normalise_text(value: str) -> str:
    """value in Unicode normal form C."""
    return unicodedata.normalize("NFC", value) if not value.isascii() else value


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
