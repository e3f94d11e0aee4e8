"""Reference data, country names, dates and numbers as the reader's language writes and sorts them; stylesheets
with logical properties only, so that Arabic pages and PDFs mirror."""
import re
from datetime import date
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext

from consult import reference
from consult.agenda.display import long_day
from consult.collation import fallback_key
from consult.consultations.times import format_day, format_number
from consult.extensions import db

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("code", "names"), [
    ("en", ("Egypt", "Türkiye", "Korea, Republic of")),
    ("fr", ("Égypte", "Turquie", "Corée, République de")),
    ("es", ("Egipto", "Turquía", "Corea, República de")),
    ("ru", ("Египет", "Турция", "Республика Корея")),
    ("zh", ("埃及", "土耳其", "大韩民国")),
    ("ar", ("مصر", "تركيا", "كوريا، جمهوريّة كوريا")),
])
def test_country_names_are_in_the_readers_language(app, code, names):
    with app.test_request_context(), force_locale(code):
        assert tuple(reference.country_name(alpha_2) for alpha_2 in ("EG", "TR", "KR")) == names


def test_country_choices_sort_as_the_language_does(app):
    with app.test_request_context():
        with force_locale("fr"):
            french = [name for _code, name in reference.country_choices()]
        with force_locale("en"):
            english = [name for _code, name in reference.country_choices()]
        with force_locale("ru"):
            russian = [name for _code, name in reference.country_choices()]

    # Accented capitals among their letter, not after Z as code points would put them.
    assert french.index("Égypte") < french.index("Équateur") < french.index("Érythrée") < french.index("Espagne")
    assert french.index("Émirats arabes unis") < french.index("Zambie")
    assert english[:3] == ["Afghanistan", "Åland Islands", "Albania"]
    assert russian[:2] == ["Австралия", "Австрия"]
    assert len(french) == len(english) == 249


def test_fallback_key_ignores_accents_and_case_first_then_keeps_an_order():
    words = ["Zambie", "état", "Etat", "Égypte", "Espagne", "équateur"]

    assert sorted(words, key=fallback_key) == ["Égypte", "équateur", "Espagne", "Etat", "état", "Zambie"]


def test_registration_form_lists_countries_in_arabic_for_an_arabic_page(client):
    page = client.get("/account/register?lang=ar").get_data(as_text=True)

    assert '<option value="EG">مصر</option>' in page
    assert '<option value="JO">الأردن</option>' in page


def test_users_page_shows_the_country_in_the_readers_language(client, login, chair):
    login(chair)

    page = client.get("/account/users?lang=es").get_data(as_text=True)

    assert "<td>Suiza</td>" in page


@pytest.mark.parametrize(("code", "expected"), [
    ("en", "6 July 2026"), ("fr", "6 juillet 2026"), ("es", "6 de julio de 2026"), ("ru", "6 июля 2026\u202fг."),
    ("zh", "2026年7月6日"), ("ar", "6 يوليو 2026"),
])
def test_days_are_written_in_the_readers_language(app, code, expected):
    with app.test_request_context(), force_locale(code):
        assert format_day(date(2026, 7, 6), "long") == expected


@pytest.mark.parametrize(("code", "expected"), [
    ("en", ("1,234.50", "0.75")), ("fr", ("1\u202f234,50", "0,75")), ("es", ("1.234,50", "0,75")),
    ("ru", ("1\xa0234,50", "0,75")), ("zh", ("1,234.50", "0.75")),
])
def test_numbers_are_written_in_the_readers_language(app, code, expected):
    with app.test_request_context(), force_locale(code):
        assert (format_number(1234.5, 2), format_number(0.75)) == expected


def test_forum_dates_on_the_home_page_are_in_the_readers_language(client, consultation):
    consultation.forum_start, consultation.forum_end = date(2026, 7, 6), date(2026, 7, 10)
    db.session.commit()

    page = client.get("/?lang=fr").get_data(as_text=True)

    assert "Le Forum se tient du 6 juillet 2026 au 10 juillet 2026." in page
    assert "July" not in page


def test_templates_format_no_date_or_number_by_hand():
    """strftime and "%.2f" in a template print English months and decimal points whatever the language."""
    offenders = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "templates").rglob("*.html"))
                 if re.search(r"strftime|\"%\.\d?f\"\|format|\"%g\"\|format", path.read_text(encoding="utf-8"))]

    assert offenders == []


PHYSICAL = re.compile(r"\b(?:margin|padding|border)-(?:left|right)\b|\btext-align:\s*(?:left|right)\b"
                      r"|\bfloat:\s*(?:left|right)\b|(?<![-\w])(?:left|right):")


def test_stylesheets_use_logical_properties_so_arabic_mirrors():
    """Page and report styles say start and end, not left and right: an Arabic page or PDF mirrors by itself."""
    offenders = {}
    for path in sorted((ROOT / "consult" / "static" / "css").glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        if found := PHYSICAL.findall(text):
            offenders[path.name] = found

    assert offenders == {}


def test_filter_choices_built_at_import_read_in_the_page_language(app):
    """The list filters' choices are built when the forms module loads: their labels must still follow the page."""
    from consult.forms.proposals import ProposalFilterForm

    with app.test_request_context("/proposals/?lang=fr"), force_locale("fr"):
        form = ProposalFilterForm(meta={"csrf": False})
        action_line, sdg = str(form.action_line), str(form.sdg)

    assert '<option value="C7-EHEALTH">C7 Télésanté</option>' in action_line
    assert '<option value="1">1 Pas de pauvreté</option>' in sdg


def test_russian_sentences_that_hold_a_written_out_day_keep_the_day_in_the_nominative(app):
    # A full day ("пятница, 11 декабря 2026 г.") cannot follow "на" or a verb in Russian; it follows a colon.
    with app.test_request_context(), force_locale("ru"):
        day = long_day(date(2026, 12, 11))
        labels = [gettext("Sessions of %(day)s by room and time", day=day), gettext("Schedule of %(day)s", day=day),
                  gettext("It is placed on %(when)s.", when=f"{day}, 10:00–11:00")]

    assert day == "пятница, 11 декабря 2026\u202fг."
    assert labels == [f"Заседания по залам и времени: {day}", f"Расписание: {day}",
                      f"Место в программе: {day}, 10:00–11:00."]


@pytest.mark.parametrize(("code", "expected", "alternatives"), [
    ("en", "C3, C5 and C7", "C3, C5 or C7"),
    ("fr", "C3, C5 et C7", "C3, C5 ou C7"),
    ("ar", "C3 وC5 وC7", "C3 أو C5 أو C7"),
    ("zh", "C3、C5和C7", "C3、C5或C7"),
])
def test_parts_are_joined_by_the_readers_list_pattern(app, code, expected, alternatives):
    from consult.i18n import joined

    with app.test_request_context(), force_locale(code):
        assert (joined(["C3", "C5", "C7"]), joined(["C3", "", "C5", None, "C7"], style="or")) == (expected, alternatives)
        assert joined([]) == "" and joined(["C3"]) == "C3"


def test_joined_markup_escapes_the_plain_parts_and_keeps_the_markup(app):
    from markupsafe import Markup

    from consult.i18n import isolated, joined

    with app.test_request_context(), force_locale("en"):
        assert joined([isolated("<b>Ana</b>"), "Kim & Lee"]) == Markup("<bdi>&lt;b&gt;Ana&lt;/b&gt;</bdi> and Kim &amp; Lee")


def test_text_people_wrote_takes_its_own_direction_and_language(app):
    from consult.i18n import as_written, isolated
    from consult.text import render_markdown

    with app.test_request_context():
        assert (str(as_written()), str(as_written("ar")), str(as_written("xx"))) == (
            ' dir="auto"', ' dir="auto" lang="ar"', ' dir="auto"')
        assert str(isolated("مرحبا", "ar")) == '<bdi lang="ar">مرحبا</bdi>' and str(isolated("")) == ""
    assert str(render_markdown("Others can adopt it.\n\n- one")) == (
        '<p dir="auto">Others can adopt it.</p>\n<ul>\n<li dir="auto">one</li>\n</ul>\n')


@pytest.mark.parametrize(("code", "expected"), [("en", "Monday, 9:00"), ("ar", "Monday، 9:00"), ("zh", "Monday 9:00")])
def test_a_date_and_a_time_are_joined_as_the_language_joins_them(app, code, expected):
    from consult.consultations.times import date_and_time

    with app.test_request_context(), force_locale(code):
        assert date_and_time("Monday", "9:00") == expected
