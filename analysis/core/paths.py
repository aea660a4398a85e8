"""Where things live in the repository (all paths derive from the package's own location), and atomic writes."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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


def copy_atomic(src: Path, dst: Path) -> None:
    """Copy ``src`` onto ``dst`` through a temp file beside it: a full disk leaves ``dst`` as it was, never truncated."""
    import shutil

    with atomic_path(dst) as tmp:
        shutil.copyfile(src, tmp)


def raw_text(path: Path) -> str:
    """Return a raw file's text as stored: UTF-8, no newline translation (CRLF and CR stay, a BOM is U+FEFF)."""
    return Path(path).read_bytes().decode("utf-8")


def csv_bytes(df) -> bytes:
    """Return the bytes :func:`atomic_write_csv` writes for ``df`` (UTF-8, LF, ``%.10g`` floats, no index)."""
    import io

    buf = io.StringIO()
    _one_kind_of_line_break(df).to_csv(buf, index=False, lineterminator="\n", float_format="%.10g")
    return buf.getvalue().encode("utf-8")


def atomic_write_csv(df, path: Path) -> None:
    """Write ``df`` to ``path`` through a temp file and a rename: never a half-written file."""
    data = csv_bytes(df)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def _one_kind_of_line_break(df):
    """Return ``df`` with CR and CRLF in its text cells as LF. Python's csv writer quotes a cell holding
    LF but writes a bare CR unquoted, which every reader takes for the end of a row. Only editorial
    text can hold one: a quote is part of one line of the raw file (refused otherwise)."""
    text = [c for c in df.columns if df[c].dtype == object or str(df[c].dtype) in ("str", "string")]
    bad = [c for c in text if df[c].astype("string").str.contains("\r", regex=False).any()]
    if not bad:
        return df
    df = df.copy()
    for c in bad:
        df[c] = df[c].astype("string").str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    return df
