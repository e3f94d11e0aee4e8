"""The renderer's URL fetcher: packaged static files and generated images only; hostile submissions fetch nothing."""
import base64
import http.server
import threading

import pytest

from consult.extensions import db
from consult.reports import fetcher as fetcher_module
from consult.reports import outcomes, pdf
from consult.reports.fetcher import PackageURLFetcher, RefusedResourceError
from tests import factories
from tests.reports.conftest import pdf_text, write_pdf


@pytest.fixture
def local_server():
    """An HTTP server on 127.0.0.1 that counts the requests it receives."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            received.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, received
    server.shutdown()
    server.server_close()


def test_fetcher_serves_the_report_stylesheet():
    response = PackageURLFetcher().fetch("consult-static:css/report.css")

    assert response.headers.get_content_type() == "text/css"
    assert b"@page" in response.read()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/x.png",
    "https://example.org/font.woff2",
    "ftp://example.org/x",
    "data:text/html;base64," + base64.b64encode(b"<p>x</p>").decode(),
    "data:image/svg+xml;base64," + base64.b64encode(b'<svg><image href="file:///etc/passwd"/></svg>').decode(),
    "consult-static:../../../etc/passwd",
    "consult-static:css/../../reports/fetcher.py",
    "consult-static:css/missing.css",
])
def test_fetcher_refuses_everything_else(url):
    fetcher = PackageURLFetcher()

    with pytest.raises(RefusedResourceError):
        fetcher.fetch(url)

    assert fetcher.refused == [url]


def test_hostile_submission_makes_the_renderer_fetch_nothing(report_app, pdf_tools, local_server, tmp_path, monkeypatch):
    port, received = local_server
    consultation = factories.make_consultation()
    hostile = (
        '<img src="file:///etc/passwd">\n\n'
        f"![x](http://127.0.0.1:{port}/markdown.png)\n\n"
        f'<iframe src="http://127.0.0.1:{port}/frame"></iframe>\n\n'
        f'<style>body {{ background: url("http://127.0.0.1:{port}/css.png") }}</style>\n\n'
        f'<div style="background-image: url(http://127.0.0.1:{port}/inline.png)">styled</div>\n\n'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/sheet.css">'
    )
    factories.make_proposal(consultation, title=f'Hostile <img src="http://127.0.0.1:{port}/title.png">',
                            summary=hostile, description=hostile,
                            organization=f'<object data="http://127.0.0.1:{port}/object"></object>')
    db.session.commit()
    requested = []
    original = PackageURLFetcher.fetch

    def spying_fetch(self, url, headers=None):
        requested.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(fetcher_module.PackageURLFetcher, "fetch", spying_fetch)

    document = outcomes.render_outcomes_pdf(outcomes.outcomes_report_data(consultation), pdf.default_options())

    assert received == []
    assert requested, "the stylesheet goes through the fetcher"
    assert all(url.startswith(("consult-static:", "data:image/svg+xml;base64,")) for url in requested), requested
    text = " ".join(pdf_text(write_pdf(tmp_path, "hostile.pdf", document)).split())
    assert 'Hostile <img src="http://127.0.0.1' in text
    assert '<img src="file:///etc/passwd">' in text
    assert "<iframe" in text
