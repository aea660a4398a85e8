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
