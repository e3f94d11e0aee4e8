"""Which language a page is served in: the address, then the browser's choice, the account, Accept-Language."""
import pytest

from consult import create_app

SIX = ["ar", "zh", "en", "fr", "ru", "es"]


@pytest.fixture
def six_app(database_url, tmp_path, app):
    """The app offering the six UN languages (on the same database as `app`)."""
    return create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": database_url, "SUPPORTED_LOCALES": SIX},
                      instance_path=str(tmp_path / "six"))


def _html_tag(response) -> str:
    page = response.get_data(as_text=True)
    return page[page.index("<html"):page.index(">", page.index("<html")) + 1]


def test_default_is_english_left_to_right(six_app):
    assert _html_tag(six_app.test_client().get("/")) == '<html lang="en" dir="ltr">'


def test_accept_language_picks_the_best_offered_language(six_app):
    client = six_app.test_client()

    assert _html_tag(client.get("/", headers={"Accept-Language": "de-CH, es;q=0.8, en;q=0.5"})) == '<html lang="es" dir="ltr">'
    assert _html_tag(client.get("/", headers={"Accept-Language": "zh-CN"})) == '<html lang="zh" dir="ltr">'


def test_arabic_pages_are_right_to_left(six_app):
    assert _html_tag(six_app.test_client().get("/?lang=ar")) == '<html lang="ar" dir="rtl">'


def test_a_lang_address_is_remembered_for_the_next_pages(six_app):
    client = six_app.test_client()

    first = client.get("/?lang=ru", headers={"Accept-Language": "fr"})
    later = client.get("/consultation/", headers={"Accept-Language": "fr"})

    assert "lang=ru" in first.headers["Set-Cookie"] and "HttpOnly" in first.headers["Set-Cookie"]
    assert _html_tag(later) == '<html lang="ru" dir="ltr">'


def test_a_language_the_site_does_not_offer_is_ignored(six_app):
    client = six_app.test_client()

    response = client.get("/?lang=de", headers={"Accept-Language": "fr"})

    assert _html_tag(response) == '<html lang="fr" dir="ltr">'
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]


def test_switcher_keeps_the_page_and_its_arguments(six_app):
    page = six_app.test_client().get("/proposals/?q=broadband&page=2").get_data(as_text=True)

    assert '<a href="/proposals/?q=broadband&amp;page=2&amp;lang=fr" lang="fr" hreflang="fr">Français</a>' in page
    assert '<span aria-current="true" lang="en">English</span>' in page
    assert '<a href="/proposals/?q=broadband&amp;page=2&amp;lang=ar" lang="ar" hreflang="ar">العربية</a>' in page


def test_one_language_shows_no_switcher(database_url, tmp_path, app):
    english_only = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": database_url, "SUPPORTED_LOCALES": ["en"]},
                              instance_path=str(tmp_path / "en"))

    assert 'aria-label="Language"' not in english_only.test_client().get("/").get_data(as_text=True)


def test_the_site_offers_the_six_un_languages(client):
    page = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)

    assert '<html lang="fr" dir="ltr">' in page
    assert '<nav class="wrap language-switcher" aria-label="Langue">' in page
    assert [code for code in SIX if f'lang="{code}"' in page] == SIX


def test_switcher_links_on_a_page_rendered_for_a_post_only_address_open_the_page_above(six_app):
    with six_app.test_request_context("/agenda/s/2/comments", method="POST"):
        from consult.i18n import page_without_language, readable_address, switch_url

        assert (page_without_language(), switch_url("ar")) == ("/agenda/s/2", "/agenda/s/2?lang=ar")
        assert readable_address("/proposals/7/submit") == "/proposals/7"
        assert readable_address("/no/such/page") == "/no/such/page"  # its 404, in the language chosen
        assert readable_address("/proposals/") == "/proposals/"
        assert readable_address("/account/language") == "/"  # POST only, and nothing to read above it
