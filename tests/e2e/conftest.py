"""Browser journeys: the app served on a free local port, driven by Debian's Chromium through Playwright."""
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]


def _require(condition: bool, what: str) -> None:
    """In CI a missing part fails the test; on a developer machine it skips with the reason."""
    if condition:
        return
    message = f"{what} is missing: run `sudo bash .ci/provision`"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    _require(Path(CHROMIUM).exists() or shutil.which("chromium") is not None, "Chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


def _body_closed_before_sending(app):
    """Reads each response whole and closes it before Werkzeug's server writes it.

    Werkzeug's development server skips closing a response when the browser drops the connection while the server
    drains the request (a navigation that cancels a script load): the static file stays open and Python reports it
    in whichever test runs next. No response here streams, so reading it first changes nothing the browser sees.
    """
    def serve(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return serve


@pytest.fixture
def live_server(app):
    """The test app served over HTTP in a thread; yields its base URL."""
    app.config.update(WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    server = make_server("127.0.0.1", 0, _body_closed_before_sending(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page (own cookies) whose relative URLs go to the live server."""
    # bypass_csp only lets the test inject axe-core; the policy itself is checked on the response headers.
    context = browser.new_context(base_url=live_server, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    _require(AXE_PATH.exists(), "axe-core (node_modules/axe-core, `npm install`)")
    return AXE_PATH.read_text()


@pytest.fixture
def assert_accessible(axe_source):
    """Run axe-core on the page and fail with the violations listed (WCAG 2 A/AA rules)."""

    def check(page):
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', "
            "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        )
        violations = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + ", ".join(
                node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                for node in violation["nodes"][:5]
            )
            for violation in result["violations"]
        ]
        assert violations == [], f"axe-core violations on {page.url}:\n" + "\n".join(violations)

    return check
