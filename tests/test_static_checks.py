"""Static checks: ruff reports nothing on the Python of the repository, bandit nothing on consult/, and no secret is
committed."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Built from parts so that this file does not match its own patterns.
SECRET_PATTERNS = {
    "private key": re.compile("-----BEGIN " + r"(?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----"),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)" + r"[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(r"aws_secret_access_key\s*[:=]\s*['\"]?" + r"[A-Za-z0-9/+=]{40}", re.IGNORECASE),
    "GitHub token": re.compile(r"\bgh[pousr]_" + r"[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-" + r"[A-Za-z0-9-]{10,}"),
    "hard-coded SECRET_KEY": re.compile(r"SECRET_KEY\s*[:=]\s*['\"]" + r"[^'\"]{8,}['\"]"),
}
# The only literal secret key allowed: the test configuration's, which is not a secret.
ALLOWED_SECRET_LINES = {("consult/config.py", "SECRET_KEY = " + '"test-secret-key-not-for-production"')}


def run_tool(module: str, *args: str) -> subprocess.CompletedProcess:
    if shutil.which(module) is None and not _module_available(module):
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed: pip install '.[test]'")
        pytest.skip(f"{module} is not installed")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)


def _module_available(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_ruff_reports_nothing_in_the_code_tests_benchmarks_and_migrations():
    result = run_tool("ruff", "check", "--output-format", "concise", "consult", "tests", "benchmarks", "migrations",
                      "run.py")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed!" in result.stdout


def test_bandit_reports_nothing_in_consult():
    result = run_tool("bandit", "--ini", ".bandit", "-q", "-r", "consult", "--format", "custom",
                      "--msg-template", "{relpath}:{line}: {test_id} {msg}")

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def tracked_text_files() -> list[Path]:
    """The files git tracks, except binary ones."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    files = []
    for name in filter(None, names):
        path = ROOT / name.decode()
        if path.is_file() and b"\0" not in path.read_bytes()[:4096]:
            files.append(path)
    return files


def find_secrets(files: list[Path]) -> list[str]:
    """'path:line: kind' for every secret-looking string in files."""
    found = []
    for path in files:
        relative = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            for kind, pattern in SECRET_PATTERNS.items():
                if pattern.search(line) and not any(relative == allowed_path and allowed in line
                                                    for allowed_path, allowed in ALLOWED_SECRET_LINES):
                    found.append(f"{relative}:{number}: {kind}")
    return found


def test_no_secrets_in_tracked_files():
    files = tracked_text_files()

    assert len(files) > 50
    assert find_secrets(files) == []


def test_secret_scan_finds_planted_secrets(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    planted = tmp_path / "settings.py"
    planted.write_text("\n".join([
        "-----BEGIN " + "RSA PRIVATE KEY-----",
        "key_id = 'AKIA" + "ABCDEFGHIJKLMNOP'",
        "SECRET_KEY = '" + "s3cr3t-value-123'",
        "aws_secret_access_key = " + "a" * 40,
        "token = 'ghp_" + "b" * 36 + "'",
    ]))

    assert find_secrets([planted]) == [
        "settings.py:1: private key", "settings.py:2: AWS access key id", "settings.py:3: hard-coded SECRET_KEY",
        "settings.py:4: AWS secret access key", "settings.py:5: GitHub token",
    ]


def test_no_response_names_a_charset_in_its_mimetype():
    """Werkzeug adds "; charset=utf-8" to a text/* mimetype: one written in it came out twice in the header."""
    found = [f"{path.relative_to(ROOT)}:{number}" for path in sorted((ROOT / "consult").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"""(mimetype\s*=|MIMETYPE\s*=)\s*f?["'][^"']*charset""", line, re.IGNORECASE)]
    assert found == []
