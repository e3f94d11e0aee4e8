"""Every user-visible string is marked, extracted by babel.cfg and present in the English catalog."""
import re
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from consult.config import Config

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "consult" / "translations" / "en" / "LC_MESSAGES"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def extracted_msgids() -> dict[str, str]:
    """msgid -> first file it was found in, as `pybabel extract -F babel.cfg -k _l -k lazy_gettext` finds them."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, filename)
    return found


def singular_id(message) -> str:
    """A message's id, its singular form for a plural (a tuple in a .po catalog, a list in a .mo one)."""
    return message.id[0] if isinstance(message.id, (tuple, list)) else message.id


def catalog_ids(catalog) -> set[str]:
    return {singular_id(message) for message in catalog if message.id}


def test_extraction_finds_python_and_template_strings():
    found = extracted_msgids()

    assert found["Skip to content"] == "templates/base.html"
    assert found["Choose a country from the list."].startswith("consult/")
    assert found["Call for proposals open"] == "consult/consultations/models.py"


def test_every_extracted_msgid_is_in_the_english_catalog():
    with open(CATALOG / "messages.po", "rb") as po:
        catalog = catalog_ids(read_po(po))

    missing = sorted(f"{msgid!r} ({where})" for msgid, where in extracted_msgids().items() if msgid not in catalog)

    assert missing == [], ("refresh the catalog (README, 'Translations'): missing " + "; ".join(missing))


def test_compiled_catalog_matches_the_po_file():
    with open(CATALOG / "messages.po", "rb") as po, open(CATALOG / "messages.mo", "rb") as mo:
        source, compiled = read_po(po), read_mo(mo)

    assert catalog_ids(compiled) <= catalog_ids(source)
    assert {singular_id(message) for message in compiled if message.id and message.string} == {
        singular_id(message) for message in source if message.id and message.string and not message.fuzzy}


TEMPLATES = sorted(str(path.relative_to(ROOT / "templates")) for path in (ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_compiles_with_the_i18n_extension(app, template):
    assert "jinja2.ext.InternationalizationExtension" in app.jinja_env.extensions

    assert app.jinja_env.get_template(template) is not None


# --- the other UN languages ------------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")
OFFERED = [code for code in Config.SUPPORTED_LOCALES if code != "en"]


def placeholders(text: str) -> list[str]:
    """The named and positional placeholders of a message, sorted (their order may change in a translation)."""
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def read_catalog(code: str):
    with open(ROOT / "consult" / "translations" / code / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=code)


def test_every_offered_language_has_a_catalog():
    assert sorted(path.name for path in (ROOT / "consult" / "translations").iterdir() if path.is_dir()) == sorted(
        Config.SUPPORTED_LOCALES)


@pytest.mark.parametrize("code", OFFERED)
def test_catalog_translates_every_message(code):
    catalog = read_catalog(code)
    messages = {singular_id(message): message for message in catalog if message.id}

    missing = sorted(msgid for msgid in extracted_msgids() if msgid not in messages)
    untranslated = sorted(msgid for msgid, message in messages.items()
                          if not all(message.string if isinstance(message.string, tuple) else (message.string,)))
    fuzzy = sorted(msgid for msgid, message in messages.items() if message.fuzzy)

    assert (missing, untranslated, fuzzy) == ([], [], [])


@pytest.mark.parametrize("code", OFFERED)
def test_catalog_keeps_every_placeholder(code):
    wrong = []
    for message in read_catalog(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = placeholders(ids[-1])
        for string in strings:
            # A plural form may leave out the number ("one proposal") but never invent or rename a placeholder.
            found = placeholders(string)
            if set(found) - set(expected) or (not isinstance(message.id, tuple) and found != expected):
                wrong.append((ids[0], string))

    assert wrong == []


@pytest.mark.parametrize("code", OFFERED)
def test_catalog_has_the_plural_forms_of_its_language(code):
    catalog = read_catalog(code)
    expected = Locale.parse(code).plural_form

    assert catalog.num_plurals == {"ar": 6, "ru": 3, "zh": 1, "fr": 2, "es": 2}[code]
    assert len(expected.rules) + 1 >= catalog.num_plurals
    assert all(len(message.string) == catalog.num_plurals for message in catalog
               if message.id and isinstance(message.id, tuple))


@pytest.mark.parametrize("code", OFFERED)
def test_compiled_catalog_of_each_language_matches(code):
    folder = ROOT / "consult" / "translations" / code / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as po, open(folder / "messages.mo", "rb") as mo:
        source, compiled = read_po(po), read_mo(mo)

    assert {singular_id(message) for message in compiled if message.id and message.string} == {
        singular_id(message) for message in source if message.id and message.string and not message.fuzzy}
