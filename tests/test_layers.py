"""The import-linter contracts of setup.cfg hold the code to DESIGN.md's layers, and fail when an import runs back up."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(config_filename='setup.cfg', no_cache=True))"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run lint-imports on the `consult` package under root (its working directory comes first on the path)."""
    return subprocess.run([sys.executable, "-c", LINT], cwd=root, capture_output=True, text=True, timeout=300)


def test_layers_contracts_are_kept():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def copy_of_package(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "consult", tmp_path / "consult", ignore=shutil.ignore_patterns("__pycache__", "translations", "static")
    )
    shutil.copy(ROOT / "setup.cfg", tmp_path / "setup.cfg")
    return tmp_path


def test_layers_contract_fails_when_a_model_imports_an_area_above(tmp_path):
    root = copy_of_package(tmp_path)
    models = root / "consult" / "proposals" / "models.py"
    models.write_text(models.read_text() + "\nfrom consult.review import services as _review_services  # noqa\n")

    result = lint_imports(root)

    assert result.returncode == 1
    assert "Areas import from the ground up (DESIGN.md) BROKEN" in result.stdout
    assert "consult.proposals is not allowed to import consult.review" in result.stdout
    assert "consult.proposals.models -> consult.review.services" in result.stdout


def test_layers_contract_fails_when_a_service_imports_its_view(tmp_path):
    root = copy_of_package(tmp_path)
    services = root / "consult" / "agenda" / "services.py"
    services.write_text(services.read_text() + "\nfrom consult.agenda import views as _views  # noqa\n")

    result = lint_imports(root)

    assert result.returncode == 1
    assert "Inside an area: models, then services and queries, then views BROKEN" in result.stdout
    assert "consult.agenda.services is not allowed to import consult.agenda.views" in result.stdout


def test_no_view_imports_contract_fails_when_another_area_imports_a_view(tmp_path):
    root = copy_of_package(tmp_path)
    queries = root / "consult" / "reports" / "queries.py"
    queries.write_text(queries.read_text() + "\nfrom consult.proposals import views as _views  # noqa\n")

    result = lint_imports(root)

    assert result.returncode == 1
    assert "Nothing imports a view BROKEN" in result.stdout
    assert "consult.reports.queries -> consult.proposals.views" in result.stdout


def test_pure_forms_contract_fails_when_a_form_imports_a_model(tmp_path):
    root = copy_of_package(tmp_path)
    form = root / "consult" / "forms" / "proposals.py"
    form.write_text(form.read_text() + "\nfrom consult.models import *  # noqa\n")

    result = lint_imports(root)

    assert result.returncode == 1
    assert "Forms import no model or service BROKEN" in result.stdout
