"""Where the templates and migrations live, in a checkout and in an installed wheel."""
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The top-level folder name ('templates', 'migrations') beside the package, or as installed data."""
    for candidate in (PACKAGE_DIR.parent / name, Path(sys.prefix) / "share" / "consult" / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"consult cannot find its {name!r} folder")
