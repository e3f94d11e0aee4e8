"""Fixtures of the reports tests: report data, PDF tools, PDF text by page."""
import os
import shutil
import subprocess

import pytest

from consult.extensions import db
from tests import factories
from tests.reports.factories import build_report_dataset


def require_tools(*names: str) -> None:
    """In CI a missing PDF tool fails the test; on a developer machine it skips with the reason."""
    missing = [name for name in names if shutil.which(name) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} missing: run `sudo bash .ci/provision` (poppler-utils, qpdf)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def pdf_tools():
    require_tools("qpdf", "pdftotext", "pdfinfo", "pdffonts")


@pytest.fixture
def report_app(app):
    """The app with one rendering process (small documents render faster in-process); jobs run inline in tests."""
    app.config.update(REPORT_WORKERS=1)
    return app


@pytest.fixture
def dataset(report_app):
    """A consultation with 30 submissions, reviews, 12 themes and sessions, and a published agenda."""
    consultation = factories.make_consultation()
    made = build_report_dataset(consultation, proposals=30, sessions=12)
    db.session.commit()
    return dict(made, consultation=consultation)


def pdf_text(path, first: int | None = None, last: int | None = None) -> str:
    """pdftotext -layout of a PDF file, optionally of a page range."""
    command = ["pdftotext", "-layout"]
    if first:
        command += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run(command + [str(path), "-"], check=True, capture_output=True, text=True).stdout


def write_pdf(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path
