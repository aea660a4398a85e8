"""Load the clean data for analysis, refusing a hand edit even where it breaks no rule.

:func:`load_observations` is :func:`analysis.clean.observations.load_observations` (every clean CSV,
the rulebook's row rules) plus one check: each CSV is the file its notebook wrote, by the hash that
``data/clean/datapackage.json`` records for it (the cleaning notebook and the runner write that hash
with the file). A CSV whose hash differs was edited after its notebook wrote it: the notebook's
lists are rebuilt (the rule ``as_built``) to name each line and field that differs, and the load
is refused. A package without hashes (or no package) skips the check; ``make`` writes one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def hand_edited(root: Path | None = None) -> list[str]:
    """The clean CSVs (``data/clean/<source_id>.csv``) whose bytes are not those datapackage.json records."""
    from analysis.core.paths import CLEAN

    folder = (Path(root) / "data" / "clean") if root else CLEAN
    package = folder / "datapackage.json"
    try:
        resources = json.loads(package.read_text(encoding="utf-8")).get("resources", [])
    except (OSError, ValueError):
        return []  # no package or an unreadable one: the runner rewrites it, the rulebook reports it
    out = []
    for res in resources:
        path, recorded = folder / str(res.get("path", "")), str(res.get("hash", ""))
        if "/" in str(res.get("path", "")) or not recorded.startswith("sha256:") or not path.is_file():
            continue
        if "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest() != recorded:
            out.append(path.stem)
    return out


def load_observations(root: Path | None = None, validate_rows: bool = True):
    """Return every clean CSV as one typed DataFrame; refuse one edited by hand since its notebook wrote it.

    Raises :class:`analysis.clean.rules.RulebookError` naming the file, each line and each field that
    differs from what the notebook's lists produce (as :func:`analysis.clean.validate.check_source`).
    """
    from analysis.clean import observations

    out = observations.load_observations(root, validate_rows)  # a hand edit that breaks a rule is named by that rule
    if validate_rows:
        edited = hand_edited(root)
        if edited:
            from analysis.clean.rules import Problem, RulebookError, clean_dir
            from analysis.clean.validate import as_built_problems

            problems = []
            for sid in edited:
                csv = clean_dir(root) / f"{sid}.csv"
                found = [p for p in as_built_problems(sid, root, csv, clean_dir(root) / "ledger" / f"{sid}.csv")
                         if p.file.startswith(f"data/clean/{sid}.csv")]
                problems += found or [Problem("as_built", f"data/clean/{sid}.csv", "is not the file its notebook wrote "
                                              "(its hash in datapackage.json differs)", hint="run make")]
            raise RulebookError(problems)
    return out
