"""Where things live in the repository (all paths derive from the package's own location), and atomic writes."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where notebooks executed outside the runner put (and read back) their outputs: data/clean and
# figures. Unset, that is this repository. The tests set it to a temp copy of those folders for the
# kernels nbval starts, so that a test run never rewrites tracked files; `python -m analysis run`
# removes it from its kernels' environment (the runner always writes into the repository it runs).
OUTPUT_ROOT_ENV = "MINSHENG_OUTPUT_ROOT"
OUTPUT_ROOT = Path(os.environ[OUTPUT_ROOT_ENV]) if os.environ.get(OUTPUT_ROOT_ENV) else ROOT
RAW = ROOT / "data" / "raw"
CLEAN = OUTPUT_ROOT / "data" / "clean"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = OUTPUT_ROOT / "figures"
MANIFEST = RAW / "sources.csv"
PLACES = RAW / "places.csv"


def rel(path: Path) -> str:
    """Return ``path`` relative to the repo root, as used in messages and data (never absolute)."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).name


@contextmanager
def atomic_path(path: Path):
    """Yield a temp path beside ``path``; on success give it normal permissions and rename it onto ``path``.

    On any error the temp file is removed and ``path`` is left as it was: never a half-written file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a data file is readable like any other
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
