"""Where things live in the repository (all paths derive from the package's own location)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
CLEAN = ROOT / "data" / "clean"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "figures"
MANIFEST = RAW / "sources.csv"
PLACES = RAW / "places.csv"


def rel(path: Path) -> str:
    """Return ``path`` relative to the repo root, as used in messages and data (never absolute)."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).name
