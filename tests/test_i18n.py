"""Every user-visible string is marked, extracted by babel.cfg and present in the English catalog."""
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

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
