"""The rulebook's entry points: every rule on a source (:func:`check_source`), on every source
(:func:`check_all`), and on a notebook's lists before anything is written (:func:`validate_figures`,
``python -m analysis validate ID``).

The rules themselves are :mod:`analysis.clean.rules`; this module adds ``as_built`` (the committed CSV
and ledger against what the notebook's lists produce), which needs the row builder.

``validate_figures``, in a second, without running the suite:

Reads the ``FIGURES`` and ``DISMISSED`` cells of the source's cleaning notebook
(:func:`analysis.clean.figure_lists.figure_list`), builds every row and the ledger exactly as the
notebook will (nothing written) and runs the rulebook on them (:func:`analysis.clean.rules.check_built`):
every problem at once, each naming the file and the figure, with a hint where one helps. Where the
lists are right, the committed files are checked with every rule too (a hand edit, or lists not yet
written by ``make``: ``as_built``). A source that validates here passes ``make test`` on its data.
"""

from __future__ import annotations

from pathlib import Path

from analysis.clean.rules import (
    RULES,
    Problem,
    clean_dir,
    datapackage_problems,
    ledger_problems,
    read_rows,
    row_problems,
    text_of,
    translation_problems,
)


def _is_translation(source_id: str, manifest) -> bool:
    return bool(text_of(manifest.at[source_id, "translation_of"]))


def source_problems(source_id: str, root: Path | None = None, manifest=None, rules=None) -> list[Problem]:
    """Every problem the rulebook finds in one source's committed files (all rules, or those named)."""
    from analysis.clean.figure_lists import FigureListError, cleaning_notebook_path
    from analysis.clean.ledger import LEDGER_DIR, ledger_path
    from analysis.sources.manifest import load_sources

    rules = set(rules or RULES)
    manifest = load_sources(root, verify=False).set_index("source_id") if manifest is None else manifest
    clean = clean_dir(root)
    csv, led = clean / f"{source_id}.csv", ledger_path(source_id, root)
    out = []
    if _is_translation(source_id, manifest):
        if "files" in rules:
            out += translation_problems(source_id, root, manifest)
        return out
    missing = []
    try:
        notebook = cleaning_notebook_path(source_id, root)
    except FigureListError as e:
        notebook = None
        missing.append(Problem("files", f"notebooks/NN_clean_{source_id}.ipynb", str(e)))
    for path, what in ((csv, "clean CSV"), (led, "ledger")):
        if not path.exists():
            missing.append(Problem("files", f"data/clean/{path.relative_to(clean).as_posix()}",
                                   f"source {source_id} is in data/raw/sources.csv but has no {what}",
                                   hint="run its cleaning notebook (make)"))
    if "files" in rules:
        out += missing
    if missing:
        return out
    rows = read_rows(source_id, root)
    out += row_problems(rows, f"data/clean/{source_id}.csv", root, source_id,
                        rules=[r for r in rules if RULES[r].level == "rows"])
    if {"ledger", "accounted"} & rules:
        out += [p for p in ledger_problems(source_id, root) if p.rule in rules]
    if "as_built" in rules and notebook is not None:
        out += as_built_problems(source_id, root, csv, led)
    if "datapackage" in rules:
        out += datapackage_problems(source_id, clean, [f"{source_id}.csv", f"{LEDGER_DIR}/{source_id}.csv"])
    return out


def as_built_problems(source_id: str, root: Path | None, csv: Path, led: Path) -> list[Problem]:
    """The committed CSV and ledger against what the notebook's lists produce now (nothing written)."""

    from analysis.clean.figure_lists import FigureListError, figure_list
    from analysis.clean.ledger import build_ledger
    from analysis.clean.observations import build_checked
    from analysis.core.paths import csv_bytes
    from analysis.metadata.schema import COLUMNS

    try:
        lists = figure_list(source_id, root)
        rows = build_checked(source_id, lists["FIGURES"], root)
        ledger = build_ledger(source_id, rows, lists.get("DISMISSED", ()), root)
    except (FigureListError, ValueError) as e:
        return [Problem("as_built", f"notebooks/NN_clean_{source_id}.ipynb", f"its lists do not build: {e}")]
    out = []
    for path, df in ((csv, rows[COLUMNS]), (led, ledger)):
        want_bytes = csv_bytes(df)
        if want_bytes == path.read_bytes():
            continue
        where = f"data/clean/{path.relative_to(clean_dir(root)).as_posix()}"
        out += _cell_differences(where, path.read_text(encoding="utf-8"), want_bytes.decode("utf-8"))
    return out


def _cell_differences(where: str, got_text: str, want_text: str, limit: int = 20) -> list[Problem]:
    """One problem per line of a CSV that differs from what the notebook's lists produce, naming its fields."""
    import csv
    import io

    got = list(csv.reader(io.StringIO(got_text)))
    want = list(csv.reader(io.StringIO(want_text)))
    hint = "a hand edit? edit the notebook's lists, then make"
    if not got or not want or got[0] != want[0]:
        return [Problem("as_built", where, "its header is not the schema's (columns added, removed or renamed)", hint=hint)]
    header = want[0]
    out = []
    key = "indicator" if "indicator" in header else "match"
    for n in range(1, max(len(got), len(want))):
        a = got[n] if n < len(got) else None
        b = want[n] if n < len(want) else None
        if a == b:
            continue
        if a is None or b is None:
            out.append(Problem("as_built", f"{where} line {n + 1}",
                               "is a row the notebook's lists do not produce" if b is None else
                               f"is missing: the lists produce a row for {b[header.index(key)]!r} here", hint=hint))
        else:
            fields = [f"{h} is {x!r}, the lists give {y!r}" for h, x, y in zip(header, a, b, strict=False) if x != y]
            out.append(Problem("as_built", f"{where} line {n + 1} ({b[header.index(key)]})", "; ".join(fields), hint=hint))
        if len(out) >= limit:
            out.append(Problem("as_built", where, f"... and more lines differ (the first {limit} are listed)"))
            break
    return out


def check_source(source_id: str, root: Path | None = None, rules=None) -> list[Problem]:
    """Every problem of one source's committed data (the tests' call, one per source)."""
    return source_problems(source_id, root, rules=rules)


def check_all(root: Path | None = None, rules=None) -> list[Problem]:
    """Every problem of every source the manifest holds (the runner's call after ``make``)."""
    from analysis.sources.manifest import load_sources

    manifest = load_sources(root, verify=False).set_index("source_id")
    return [p for sid in manifest.index for p in source_problems(sid, root, manifest, rules)]


def validate_figures(source_id: str, root: Path | None = None) -> str:
    """Build the notebook's rows and ledger without writing them; return a one-line summary or raise listing every problem.

    Raises :class:`analysis.clean.observations.ObservationError` (figures that do not build),
    :class:`analysis.clean.ledger.LedgerError` (dismissals that do not) or
    :class:`analysis.clean.rules.RulebookError` (built data that break a rule, open mentions included).
    """
    from analysis.clean.figure_lists import figure_list
    from analysis.clean.ledger import build_ledger, ledger_path
    from analysis.clean.observations import build_checked
    from analysis.clean.rules import check_built, raise_if

    lists = figure_list(source_id, root)
    rows = build_checked(source_id, lists["FIGURES"], root)
    ledger = build_ledger(source_id, rows, lists.get("DISMISSED", ()), root)
    raise_if(check_built(source_id, rows, ledger, root))
    flagged = int((rows["flags"] != "").sum())
    dismissed = int((ledger["account"] == "dismissed").sum())
    head = (f"{source_id}: {len(rows)} figure{'' if len(rows) == 1 else 's'} found, parsed and checked ({flagged} flagged), "
            f"{dismissed} number{'' if dismissed == 1 else 's'} dismissed, every number accounted for; ")
    found = check_source(source_id, root)  # once: as_built apart, the rest as the files stand
    if not all(p.exists() for p in (clean_dir(root) / f"{source_id}.csv", ledger_path(source_id, root))):
        # stamped without its first run (new-source --no-execute), or a file removed: `make` writes them from the lists
        return head + "its clean CSV or ledger is not written yet: run `make` to write them" + "".join(
            f"\n  as they stand: {p}" for p in found)
    committed = [p for p in found if p.rule != "as_built"]
    if len(committed) < len(found):
        # the committed files are older than the lists (or edited by hand): `make` rebuilds them from the lists
        # numbers open in the older ledger are what `make` settles; anything else they break is worth saying
        return head + "the committed CSV and ledger are not what they produce yet: run `make` to write them" + "".join(
            f"\n  as they stand: {p}" for p in committed if p.rule != "accounted")
    raise_if(committed)
    return head + "the committed CSV and ledger are what they produce"
