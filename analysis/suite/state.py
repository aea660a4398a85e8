"""The runner's memory (``.suite-state/``, ignored by git), the lock on it, and what makes a notebook up to date.

Editorial decisions
- A notebook is up to date only if its fingerprint (cells, package, inputs) is the one stored after
  its last successful run *and* every output it declares exists and hashes to what the last run
  left (``<notebook>.outputs.json``). A deleted or hand-edited clean CSV, chart, workbook or
  datapackage makes its notebook run again; the notebooks reading it follow.
- A notebook never runs when an input it declares is missing (a file, a glob matching nothing, a
  manifest row): it fails with a message naming the input, and what depends on it is skipped.
- The state is a cache: an unreadable stamp (empty, garbage, a folder where a file should be, a
  file where the folder should be) counts as no state, so everything it concerns runs again.
- One run at a time per repository: :func:`suite_lock` (``fcntl.flock`` on ``.suite-state/lock``)
  makes a second ``make`` or ``new-source`` wait, saying so, rather than interleave.
- Under the lock, hidden temp files (``.<name>.*.tmp``, from :func:`analysis.core.paths.atomic_path`) that
  a killed run left in the suite's folders are removed: no run is writing them any more.
"""

from __future__ import annotations

import fnmatch
import glob
import hashlib
import json
import shutil
from contextlib import contextmanager
from pathlib import Path

from analysis.core.paths import atomic_path

STATE_DIR = ".suite-state"
TMP_FOLDERS = ("data", "figures", "notebooks", "build/site", STATE_DIR)  # searched with their subfolders


class NotebookError(ValueError):
    """A suite notebook cannot be read (not JSON, not UTF-8); the message names it."""


class StateError(RuntimeError):
    """The state folder cannot be made usable (e.g. no permission); the message names it."""


def state_dir(root: Path) -> Path:
    """Return ``root/.suite-state``, a folder; a file or link in its place is removed first."""
    d = Path(root) / STATE_DIR
    if d.exists() and not d.is_dir() or d.is_symlink():
        d.unlink()
    try:
        d.mkdir(exist_ok=True)
    except OSError as e:
        raise StateError(f"{STATE_DIR}: cannot create the state folder ({e.strerror})") from None
    return d


def read(path: Path) -> str | None:
    """Return a stamp's text, or None when it is missing or unreadable (a folder, not UTF-8...)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write(path: Path, text: str) -> None:
    """Write a stamp atomically; a folder in its place is removed first."""
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def seconds(state: Path, nb: Path) -> float:
    """The last run's time of a notebook (0 when unknown or unreadable)."""
    try:
        return float(read(state / (nb.stem + ".seconds")) or 0)
    except ValueError:
        return 0.0


def _files(pattern: str, root: Path) -> list[Path]:
    if glob.has_magic(pattern):
        return sorted(p for p in root.glob(pattern) if p.is_file() and not p.name.startswith("."))
    p = root / pattern
    return [p] if p.is_file() else []


def output_hashes(outputs: list[str], root: Path) -> dict[str, str] | None:
    """Return {path: sha256} of a notebook's declared outputs, or None if one of them matches no file."""
    out = {}
    for pattern in outputs:
        files = _files(pattern, root)
        if not files:
            return None
        for f in files:
            out[f.relative_to(root).as_posix()] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def is_current(state: Path, nb: Path, fp: str, outputs: list[str], root: Path) -> bool:
    """True if the notebook's stored fingerprint is ``fp`` and its outputs are those its last run left."""
    if read(state / (nb.stem + ".sha256")) != fp:
        return False
    try:
        recorded = json.loads(read(state / (nb.stem + ".outputs.json")) or "null")
    except ValueError:
        return False
    return isinstance(recorded, dict) and recorded == output_hashes(outputs, root)


def changed_outputs(state: Path, nb: Path, fp: str, outputs: list[str], root: Path) -> list[str]:
    """The outputs that differ from what the notebook's last run left, where its fingerprint has not changed
    (a hand edit, or a file deleted); empty when the fingerprint changed or nothing was recorded."""
    if read(state / (nb.stem + ".sha256")) != fp:
        return []
    try:
        recorded = json.loads(read(state / (nb.stem + ".outputs.json")) or "null")
    except ValueError:
        return []
    if not isinstance(recorded, dict):
        return []
    now = output_hashes(outputs, root) or {}
    return sorted(f for f in set(recorded) | set(now) if recorded.get(f) != now.get(f))


def record_outputs(state: Path, nb: Path, outputs: list[str], root: Path) -> None:
    """Store the hashes of a notebook's outputs as they stand (at the end of a run)."""
    hashes = output_hashes(outputs, root)
    if hashes is not None:
        write(state / (nb.stem + ".outputs.json"), json.dumps(hashes, indent=1, sort_keys=True) + "\n")


def missing_inputs(inputs: list[str], root: Path) -> list[str]:
    """Return the declared inputs that are not there: a file, a glob matching no file, a ``file.csv#id`` row."""
    missing = []
    for pattern in inputs:
        if "#" in pattern:
            file, key = pattern.split("#", 1)
            path = Path(root) / file
            if not path.is_file():
                missing.append(file)
                continue
            keys = {ln.split(b",", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
                    for ln in path.read_bytes().splitlines()[1:]}
            if key not in keys:
                missing.append(pattern)
        elif not _files(pattern, Path(root)):
            missing.append(pattern)
    return missing


def remove_stale_tmp(root: Path) -> list[str]:
    """Remove hidden temp files a killed run left (``.*.tmp``, and the old ``*.ipynb.tmp``) in :data:`TMP_FOLDERS`
    and their subfolders (``data/clean/ledger``, ``data/raw/reference``, ``build/site/figures``); return their names."""
    removed = []
    for folder in TMP_FOLDERS:
        d = Path(root) / folder
        if not d.is_dir():
            continue
        for p in sorted(d.rglob("*.tmp")):
            if p.is_file() and (fnmatch.fnmatch(p.name, ".*.tmp") or p.name.endswith(".ipynb.tmp")):
                p.unlink(missing_ok=True)
                removed.append(p.relative_to(root).as_posix())
    return removed


@contextmanager
def suite_lock(root: Path, log=print):
    """Hold the repository's run lock (``.suite-state/lock``); if another run holds it, say so and wait."""
    import fcntl

    lock = state_dir(root) / "lock"
    if lock.is_dir() and not lock.is_symlink():
        shutil.rmtree(lock)
    with open(lock, "a+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"waiting: another run in this repository holds {STATE_DIR}/lock ...")
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
