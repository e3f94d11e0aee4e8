"""Oversized bodies are refused with 413; right-to-left text, emoji and combining marks are stored and shown intact."""
import unicodedata
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from consult.accounts.models import User
from consult.extensions import db
from consult.unicode_input import normalise_text
from tests.factories import PASSWORD

RIGHT_TO_LEFT_NAME = "نادية حداد"
EMOJI_ORGANIZATION = "Réseau 🌍 Numérique 👩🏽‍💻 — שָׁלוֹם"
DECOMPOSED_NAME = "Zoe\u0308 A\u030angstro\u0308m"  # "Zoë Ångström" typed with combining marks


class InputValues(HTMLParser):
    """The value attribute of every named <input>, unescaped as the browser reads it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name"):
            self.values[attributes["name"]] = attributes.get("value") or ""


def shown_values(response) -> dict[str, str]:
    parser = InputValues()
    parser.feed(response.get_data(as_text=True))
    return parser.values


def register(client, **overrides):
    data = {"name": "Nadia", "email": "nadia@example.org", "password": "a long enough pass",
            "confirm_password": "a long enough pass", "organization": "Org", "stakeholder_type": "civil_society",
            "country": "JO", **overrides}
    with client.application.app_context():
        return client.post("/account/register", data=data)


def profile_page(client):
    with client.application.app_context():
        return client.get("/account/profile")


@pytest.mark.parametrize("maximum", ["MAX_CONTENT_LENGTH"])
def test_body_over_size_limit_is_refused_with_413(app, client, maximum):
    limit = app.config[maximum]

    response = client.post("/account/register", data=b"x" * (limit + 1),
                           content_type="application/x-www-form-urlencoded")

    assert response.status_code == 413
    assert "What you sent is larger than this site accepts." in response.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 0


def test_form_field_over_memory_limit_is_refused_with_413(app, client):
    response = client.post("/account/login", data={"email": "a@example.org",
                                                   "password": "p" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)})

    assert response.status_code == 413


def test_right_to_left_and_emoji_are_stored_and_shown_intact(app, client):
    response = register(client, name=RIGHT_TO_LEFT_NAME, organization=EMOJI_ORGANIZATION)

    assert response.status_code == 302
    user = db.session.execute(sa.select(User)).scalar_one()
    assert (user.name, user.organization) == (RIGHT_TO_LEFT_NAME, EMOJI_ORGANIZATION)
    shown = shown_values(profile_page(client))
    assert (shown["name"], shown["organization"]) == (RIGHT_TO_LEFT_NAME, EMOJI_ORGANIZATION)


def test_combining_marks_are_stored_in_nfc_and_shown_as_typed_looks(app, client):
    composed = unicodedata.normalize("NFC", DECOMPOSED_NAME)

    register(client, name=DECOMPOSED_NAME, organization="e\u0301cole")

    user = db.session.execute(sa.select(User)).scalar_one()
    assert (user.name, user.organization) == (composed, "\u00e9cole")
    assert composed == "Zoë Ångström" and len(composed) == len(DECOMPOSED_NAME) - 3
    assert shown_values(profile_page(client))["name"] == composed


def test_search_with_decomposed_text_finds_composed_name(app, client, chair, login):
    register(app.test_client(), name="Zoë Ångström")
    login(chair)

    with app.app_context():
        page = client.get("/account/users", query_string={"q": "zoe\u0308"}).get_data(as_text=True)

    assert "Zoë Ångström" in page


def test_password_typed_decomposed_signs_in_with_composed(app, client):
    register(client, password="pâssword-with-accents", confirm_password="pâssword-with-accents")
    other = app.test_client()

    with app.app_context():
        response = other.post("/account/login", data={"email": "nadia@example.org",
                                                      "password": "pa\u0302ssword-with-accents"})

    assert response.status_code == 302


def test_normalise_text_leaves_compatibility_characters_alone():
    assert normalise_text("ﬁ² Ｚ") == "ﬁ² Ｚ"
    assert normalise_text("A\u030a") == "\u00c5"
    assert normalise_text(PASSWORD) is PASSWORD
