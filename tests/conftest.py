"""Shared fixtures: a scratch copy of the raw data that a test may break."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    """A temp folder holding a copy of data/raw, usable as ``root=`` for the loaders."""
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    return tmp_path


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A temp copy of the repository's files (what git tracks, plus untracked ones it does not ignore)."""
    import subprocess

    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split("\n")
    dst = tmp_path / "repo"
    for f in filter(None, files):
        if (ROOT / f).is_file():
            (dst / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, dst / f)
    return dst


def repo_env(repo: Path) -> dict:
    """The environment for a process working in the repo copy ``repo``: its own package and its own outputs
    (without the test session's MINSHENG_OUTPUT_ROOT, which points at the checkout's output copy)."""
    import os

    return {**{k: v for k, v in os.environ.items() if k != "MINSHENG_OUTPUT_ROOT"}, "PYTHONPATH": str(repo)}


def run_suite(repo: Path) -> set[str]:
    """Run `python -m analysis run` in ``repo``; return the numbers of the notebooks it executed."""
    import re
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "analysis", "run"], cwd=repo, capture_output=True, text=True,
                         env=repo_env(repo), timeout=900)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return set(re.findall(r"ran notebooks/(\d+)_", out.stdout))


@pytest.fixture
def suite():
    """The function that runs the suite in a repo copy (see run_suite)."""
    return run_suite


@pytest.fixture
def rewrite_manifest():
    """The function that changes fields of one manifest row in a scratch repo (see _rewrite_manifest)."""
    return _rewrite_manifest


def _rewrite_manifest(root: Path, line: int, **changes) -> None:
    """Change fields of one row (by its line number, header = 1) of ``root``'s data/raw/sources.csv."""
    import csv

    path = root / "data/raw/sources.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[line - 2].update(changes)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
