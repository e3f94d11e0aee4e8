"""Sweeps over every GET page of every role in the demo: no raw code in the visible text, valid HTML."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from consult.demo import seed_demo
from consult.extensions import db
from consult.i18n import LANGUAGES
from consult.reference import LabelledEnum
from tests.demo_pages import demo_pages
from tests.visible_text import Untranslated, _enum_classes, raw_codes, raw_codes_in

VNU_JAR = Path(__file__).resolve().parents[1] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SWEPT_PHASES = ("call_open", "review", "public_comment")


@pytest.fixture(params=SWEPT_PHASES)
def demo(request, app):
    """The demo seeded in one phase; yields the pages of every role."""
    seed_demo(request.param)
    db.session.commit()
    return demo_pages(app)


@pytest.fixture(params=SWEPT_PHASES)
def seeded_demo(request, app):
    """The demo seeded in one phase, for sweeps that fetch its pages themselves."""
    seed_demo(request.param)
    db.session.commit()
    return app


# Pages that show records as they were written, not the interface: the e-mails as sent (in their recipient's
# language) and the audit entries as recorded.
RECORD_PAGES = ("/outbox/", "/audit/")
@pytest.mark.sweep
def test_demo_pages_in_every_language_leave_no_english_msgid(seeded_demo):
    leaks = {}
    for language in (code for code in LANGUAGES if code != "en"):
        untranslated = Untranslated(language)
        pages = demo_pages(seeded_demo, language=language)
        assert {page.role for page in pages} == {"anonymous", "stakeholder", "reviewer", "chair"}
        assert all(f'<html lang="{language}"' in page.html for page in pages), language
        for page in pages:
            if page.url.startswith(RECORD_PAGES):
                continue
            found = untranslated.found_in(page.html)
            if found:
                leaks[f"{language} {page.role} {page.url}"] = found
    assert leaks == {}


def test_untranslated_detector_finds_msgids_with_and_without_placeholders():
    untranslated = Untranslated("fr")
    html = ('<p>Save the settings</p><button title="Page 2 of 5">x</button><p>Enregistrer les paramètres</p>'
            '<input type="submit" value="Add the logo"><p>There are 3 problems to fix</p><p>CSV</p>'
            '<code>Save the settings</code><p>Digital inclusion for all</p>'
            '<a href="?lang=en" lang="en" hreflang="en">English</a><span lang="fr">Save the settings</span>')

    # Text declared in another language (the switcher's own names) is not a leak; in the page's language it is.
    assert untranslated.found_in(html) == ["Save the settings", "Page 2 of 5", "Add the logo",
                                           "There are 3 problems to fix", "Save the settings"]


def test_untranslated_detector_fills_a_number_placeholder_with_digits_only():
    untranslated = Untranslated("fr")

    # "%(num)d proposal from %(file)s" is a msgid; a reason someone wrote is not a leak for sharing its words.
    assert untranslated.found_in("<p>We joined a similar proposal from a partner network instead.</p>"
                                 "<p>3 proposals from events.csv</p>") == ["3 proposals from events.csv"]


def test_every_enum_has_a_label_for_each_member():
    enums = [cls for cls in _enum_classes() if cls.__module__.startswith("consult.")]
    assert [cls.__name__ for cls in enums if not issubclass(cls, LabelledEnum)] == []
    assert all(str(member.label) and member.label != member.value for cls in enums for member in cls)


def test_demo_pages_show_labels_not_raw_codes(demo):
    codes = raw_codes()
    raw = {f"{page.role} {page.url}": found for page in demo if (found := raw_codes_in(page.html, codes))}
    assert {page.role for page in demo} == {"anonymous", "stakeholder", "reviewer", "chair"}
    assert raw == {}


def test_raw_code_detector_finds_codes_and_wrong_plurals():
    codes = raw_codes()
    html = ("<p>Status: <span>submitted</span></p><td>country_workshop, 60 min</td><p>1 proposals match.</p>"
            "<code>civil_society</code><p>Submitted on Monday</p><p>21 proposals match.</p>")
    assert raw_codes_in(html, codes) == ["submitted", "country_workshop, 60 min", "1 proposals match."]


def test_demo_pages_are_valid_html(demo, tmp_path):
    if not VNU_JAR.exists() or shutil.which("java") is None:
        message = "vnu-jar (npm ci) or Java is missing"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI provisions both: a missing checker is a broken build, not a pass
        pytest.skip(message)
    files = {}
    for number, page in enumerate(demo):
        path = tmp_path / f"page-{number:03d}.html"
        path.write_text(page.html, encoding="utf-8")
        files[str(path)] = f"{page.role} {page.url}"
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "gnu", *files],
                            capture_output=True, text=True, timeout=300, check=False)
    # Each line reads `"file:<path>":<line.column>: error: <message>`.
    errors = [re.sub(r'^"file:([^"]+)"', lambda match: files.get(match.group(1), match.group(1)), line)
              for line in (result.stderr + result.stdout).splitlines()]
    assert result.returncode == 0 or errors, result
    assert "\n".join(errors) == ""
