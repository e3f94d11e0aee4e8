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


# --- Control characters, invisible titles and names, bidi controls (refused or stripped at the input boundary) ---

CONTROL_MESSAGE = "contains an invisible control character (U+%04X) that this site does not accept"


@pytest.mark.parametrize(("url", "query", "field", "character"), [
    ("/proposals/", {"q": "a\x00b"}, "q", "\x00"),
    ("/proposals/", {"q": "escape\x1b[31m"}, "q", "\x1b"),
    ("/account/users", {"q": "x\x85"}, "q", "\x85"),
])
def test_control_character_in_query_string_answers_400_with_the_field(app, client, consultation, url, query, field,
                                                                      character):
    response = client.get(url, query_string=query)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"The field “{field}” " + CONTROL_MESSAGE % ord(character) in page


def test_nul_in_sign_in_answers_400_for_anonymous(app, client):
    response = client.post("/account/login", data={"email": "a\x00@example.org", "password": "whatever pass"})

    assert response.status_code == 400
    assert "The field “email” " + CONTROL_MESSAGE % 0 in response.get_data(as_text=True)


def test_control_character_in_registration_stores_nothing(app, client):
    response = register(client, name="Nadia\x07 Haddad")

    assert response.status_code == 400
    assert "The field “name” " + CONTROL_MESSAGE % 7 in response.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 0


def test_nul_in_a_proposal_field_answers_400(app, client, consultation, stakeholder, login):
    from tests.proposals.conftest import form_data

    login(stakeholder)
    response = client.post("/proposals/new", data=form_data(description="before\x00after"))

    assert response.status_code == 400
    assert "The field “description” " + CONTROL_MESSAGE % 0 in response.get_data(as_text=True)


def test_tabs_and_line_breaks_stay_welcome(app, client, consultation, stakeholder, login):
    from consult.proposals.models import Proposal
    from tests.proposals.conftest import form_data

    login(stakeholder)
    response = client.post("/proposals/new", data=form_data(description="line one\r\n\tline two"))

    assert response.status_code == 303
    assert db.session.execute(sa.select(Proposal.description)).scalar_one() == "line one\r\n\tline two"


def test_creation_token_over_64_characters_answers_422_with_a_message(app, client, consultation, stakeholder, login):
    from consult.proposals.models import Proposal
    from tests.proposals.conftest import form_data

    login(stakeholder)
    response = client.post("/proposals/new", data=form_data(creation_token="t" * 65, summary="kept summary"))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    token = page.split('name="creation_token" type="hidden" value="')[1].split('"')[0]
    assert "hidden token was damaged and is now renewed: check your text and send it again." in page
    assert "kept summary" in page and len(token) == 32
    assert db.session.execute(sa.select(sa.func.count(Proposal.id))).scalar_one() == 0


@pytest.mark.parametrize("title", ["\u200b\u200b\u200b", "\u200d\u2060\ufeff", " \u00ad \u200c "])
def test_title_of_only_invisible_characters_is_refused(app, client, consultation, stakeholder, login, title):
    from tests.proposals.conftest import form_data

    login(stakeholder)
    response = client.post("/proposals/new", data=form_data(title=title))

    assert response.status_code == 422
    assert "The title has no visible characters (only spaces or invisible ones)." in response.get_data(as_text=True)


def test_bidi_overrides_are_stripped_from_titles_and_names_but_kept_in_running_text(app, client, consultation,
                                                                                     stakeholder, login):
    from consult.proposals.models import Proposal
    from tests.proposals.conftest import form_data

    login(stakeholder)
    client.post("/proposals/new", data=form_data(
        title="\u202eevil\u202c plan", description="\u2067مرحبا\u2069 world", kind="format",
        format_code="knowledge_cafe", duration_minutes="90",
        **{"speakers-0-name": "\u202eKwame\u202c", "speakers-0-organization": "\u2066Org\u2069"}))

    proposal = db.session.execute(sa.select(Proposal)).scalar_one()
    assert (proposal.title, proposal.description) == ("evil plan", "\u2067مرحبا\u2069 world")
    assert [(speaker.name, speaker.organization) for speaker in proposal.speakers] == [("Kwame", "Org")]


@pytest.mark.parametrize("name", ["\u200b", "\u200e\u200f"])
def test_name_of_only_invisible_characters_is_refused_at_registration(app, client, name):
    response = register(client, name=name, organization="\u202eOrg")

    assert response.status_code == 422
    assert "Write at least one visible character." in response.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 0


def test_registration_strips_bidi_overrides_from_name_and_organization(app, client):
    register(client, name="\u202eNadia\u202c Haddad", organization="Org \u2067عربي\u2069")

    user = db.session.execute(sa.select(User)).scalar_one()
    assert (user.name, user.organization) == ("Nadia Haddad", "Org عربي")
