"""Where the templates and migrations live, in a checkout and in an installed wheel."""
import sys
import sysconfig
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The top-level folder name ('templates', 'migrations') beside the package, or as installed data."""
    # A checkout (or editable install) has the folder beside the package; a wheel installs it as data files
    # under the installation scheme's data path (sys.prefix for a virtualenv, ~/.local for --user).
    checkout = PACKAGE_DIR.parent if (PACKAGE_DIR.parent / "setup.cfg").is_file() else None
    candidates = ((checkout / name,) if checkout else ()) + (Path(sysconfig.get_path("data")) / "share" / "consult" / name,
                  Path(sys.prefix) / "share" / "consult" / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"consult cannot find its {name!r} folder")
