"""The message of the sign-in page when a page needs a signed-in person: the site's words, in the reader's language,
and saying so when the session ended elsewhere."""
import pytest

from consult import create_app
from consult.accounts.services import end_sessions
from consult.extensions import db
from tests.accounts.test_sessions import sign_in

SIX = ["ar", "zh", "en", "fr", "ru", "es"]
ENDED = ("You are no longer signed in: you signed out on another device, or your session ended. Sign in again to "
         "continue.")


@pytest.fixture
def six_app(database_url, tmp_path, app):
    return create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": database_url, "SUPPORTED_LOCALES": SIX},
                      instance_path=str(tmp_path / "six"))


def _login_page(client, url, **headers) -> tuple[str, str]:
    with client.application.app_context():
        refused = client.get(url, headers=headers)
        page = client.get(refused.headers["Location"], headers=headers).get_data(as_text=True)
    return refused.headers["Location"], page


def test_a_visitor_is_asked_to_sign_in_in_the_sites_words(app, client):
    location, page = _login_page(client, "/proposals/mine")

    assert location == "/account/login?next=%2Fproposals%2Fmine"
    assert '<p class="flash flash-info" role="status">Sign in to see this page.</p>' in page
    assert "Please log in" not in page


def test_a_session_ended_on_another_device_says_so(app, client, stakeholder):
    sign_in(client, stakeholder)
    end_sessions(stakeholder)  # signed out on another device
    db.session.commit()

    _location, page = _login_page(client, "/proposals/mine")

    assert f'<p class="flash flash-info" role="status">{ENDED}</p>' in page


@pytest.mark.parametrize(("language", "words"), [
    ("fr", "Connectez-vous pour voir cette page."),
    ("es", "Inicie sesión para ver esta página."),
    ("ru", "Войдите, чтобы увидеть эту страницу."),
    ("zh", "请登录后查看此页面。"),
    ("ar", "سجّل الدخول لعرض هذه الصفحة."),
])
def test_the_sign_in_message_is_in_the_readers_language(six_app, language, words):
    _location, page = _login_page(six_app.test_client(), "/proposals/mine", **{"Accept-Language": language})

    assert words in page and "Please log in" not in page
