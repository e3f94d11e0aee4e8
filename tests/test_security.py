"""Security baseline: headers, cookies, CSRF, error pages, request size, no inline script in templates."""
import re
from pathlib import Path

import pytest

from consult import create_app
from consult.extensions import csrf, db
from tests.factories import PASSWORD

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_security_headers_on_every_page(client):
    response = client.get("/")

    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_session_cookie_is_httponly_and_samesite(client, stakeholder):
    response = client.post("/account/login", data={"email": stakeholder.email, "password": PASSWORD, "remember": "y"})

    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(cookie for cookie in cookies if cookie.startswith("session="))
    remember_cookie = next(cookie for cookie in cookies if cookie.startswith("remember_token="))
    for cookie in (session_cookie, remember_cookie):
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie


def test_production_sets_secure_cookies_and_hsts(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "a-production-secret")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'production.sqlite3'}")
    app = create_app("production", instance_path=str(tmp_path))

    response = app.test_client().get("/healthz")
    with app.app_context():
        db.engine.dispose()

    assert (app.config["SESSION_COOKIE_SECURE"], app.config["REMEMBER_COOKIE_SECURE"]) == (True, True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert app.config["SECRET_KEY"] == "a-production-secret"


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(RuntimeError, match="SECRET_KEY must be set in the environment in production"):
        create_app("production", instance_path=str(tmp_path))

    assert not (tmp_path / "secret_key").exists()


def test_no_view_is_exempt_from_csrf(app):
    assert csrf._exempt_views == set()
    assert csrf._exempt_blueprints == set()


@pytest.fixture
def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def test_post_without_csrf_token_is_refused_with_clear_message(csrf_client, stakeholder):
    response = csrf_client.post("/account/login", data={"email": stakeholder.email, "password": PASSWORD})

    assert response.status_code == 400
    assert ("The form was sent without a valid security token. Go back, reload the page and send it again."
            in response.get_data(as_text=True))
    assert csrf_client.get("/account/profile").status_code == 302


def test_post_with_csrf_token_from_the_page_works(csrf_client, stakeholder):
    page = csrf_client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    response = csrf_client.post("/account/login", data={"email": stakeholder.email, "password": PASSWORD, "csrf_token": token})

    assert response.status_code == 302
    assert csrf_client.get("/account/profile").status_code == 200


def test_logout_button_without_token_is_refused(csrf_client, login, stakeholder):
    login(stakeholder, csrf_client)

    response = csrf_client.post("/account/logout")

    assert response.status_code == 400
    assert csrf_client.get("/account/profile").status_code == 200


def test_oversized_request_gets_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000

    response = client.post("/account/login", data={"email": "x" * 5000, "password": "y"})

    assert response.status_code == 413
    assert "What you sent is larger than this site accepts." in response.get_data(as_text=True)


@pytest.mark.parametrize(("url", "status", "title"), [("/nowhere", 404, "Not found"), ("/audit/", 302, None)])
def test_error_page_is_styled_html(client, url, status, title):
    response = client.get(url)

    assert response.status_code == status
    if title:
        page = response.get_data(as_text=True)
        assert f"<h1>{title} <span class=\"status-code\">({status})</span></h1>" in page
        assert '<a class="skip-link" href="#main">Skip to content</a>' in page


def test_forbidden_page_for_wrong_role(login, client, stakeholder):
    login(stakeholder)

    response = client.get("/account/users")

    assert response.status_code == 403
    assert "You do not have permission to see this page or do this." in response.get_data(as_text=True)


def test_error_answers_json_to_json_clients(login, client, stakeholder):
    login(stakeholder)

    missing = client.get("/nowhere", headers={"Accept": "application/json"})
    forbidden = client.get("/account/users", headers={"Accept": "application/json"})

    assert (missing.status_code, missing.get_json()) == (
        404,
        {"error": "Not found", "message": "There is nothing at this address."},
    )
    assert (forbidden.status_code, forbidden.get_json()["error"]) == (403, "Not allowed")


def test_server_error_page_hides_details(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def explode():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/test-explode", "test_explode", explode)

    response = app.test_client().get("/test-explode")

    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "The error was logged. Please try again in a moment." in page
    assert "secret internal detail" not in page


@pytest.mark.parametrize("template", sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")))
def test_template_has_no_inline_script_or_style(template):
    source = (TEMPLATES / template).read_text()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", source) == []
    assert re.findall(r"\sstyle\s*=", source) == []
    assert re.findall(r"<style\b", source) == []
    assert re.findall(r"\son[a-z]+\s*=", source) == []
    assert "javascript:" not in source
