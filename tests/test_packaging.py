"""The wheel ships templates/ and migrations/ (setup.cfg data_files); `bash .ci/check-wheel` installs one for real."""
import configparser
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def data_file_patterns() -> list[tuple[str, str]]:
    """(install folder, source glob) pairs of setup.cfg's [options.data_files]."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    return [(target, pattern.strip()) for target, sources in config["options.data_files"].items()
            for pattern in sources.replace("\n", ",").split(",") if pattern.strip()]


@pytest.mark.parametrize("folder", ["templates", "migrations"])
def test_every_file_is_shipped_in_the_wheel(folder):
    patterns = data_file_patterns()
    files = [path.relative_to(ROOT).as_posix() for path in (ROOT / folder).rglob("*")
             if path.is_file() and "__pycache__" not in path.parts]

    unshipped = [name for name in files
                 if not any(fnmatch(name, pattern) and target == f"share/consult/{Path(name).parent.as_posix()}"
                            for target, pattern in patterns)]

    assert unshipped == [], f"add a line for their folder to [options.data_files] in setup.cfg: {unshipped}"
