"""A cleaning notebook's lists (``FIGURES``, ``DISMISSED``), read without running the notebook.

:func:`figure_list` reads the cells of ``notebooks/NN_clean_<source_id>.ipynb`` that assign the lists;
``python -m analysis validate`` (:mod:`analysis.clean.validate`) and the rulebook's ``as_built`` rule
build rows from them exactly as the notebook will.

Editorial decisions
- Only the cells that assign the figure list (``FIGURES``, and ``DISMISSED`` where a notebook keeps
  one) are executed, with the package's public names in scope: no kernel, no outputs, no writes.
"""

from __future__ import annotations

import ast
from pathlib import Path

from analysis.core.paths import ROOT

LIST_NAMES = ("FIGURES", "DISMISSED")


class FigureListError(ValueError):
    """The notebook or its figure list cannot be read; the message names the notebook."""


def cleaning_notebook_path(source_id: str, root: Path | None = None) -> Path:
    """Return ``notebooks/NN_clean_<source_id>.ipynb`` (FigureListError if there is none, or several)."""
    root = Path(root) if root else ROOT
    hits = sorted((root / "notebooks").glob(f"[0-9]*_clean_{source_id}.ipynb"))
    if len(hits) != 1:
        raise FigureListError(f"{len(hits)} cleaning notebooks named notebooks/NN_clean_{source_id}.ipynb"
                              + (f": {', '.join(p.name for p in hits)}" if hits else
                                 " (add the source with `python -m analysis new-source`)"))
    return hits[0]


def figure_list(source_id: str, root: Path | None = None) -> dict[str, list]:
    """Return the lists a cleaning notebook defines (``{"FIGURES": [Fig, ...], ...}``) without running it."""
    import json

    from analysis.clean.ledger import Skip
    from analysis.clean.observations import Fig

    path = cleaning_notebook_path(source_id, root)
    rel = f"notebooks/{path.name}"
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as e:
        raise FigureListError(f"{rel}: not a readable notebook ({e})") from None
    scope = {"Fig": Fig, "Skip": Skip}  # what a cleaning notebook's figure list uses
    scope["SOURCE"] = source_id
    found = {}
    for n, cell in enumerate(cells, start=1):
        code = "".join(cell.get("source", "")) if cell.get("cell_type") == "code" else ""
        try:
            tree = ast.parse(code)
        except SyntaxError as e:
            if any(name in code for name in LIST_NAMES):
                raise FigureListError(f"{rel} cell {n}: not valid Python (line {e.lineno}: {e.msg})") from None
            continue
        targets = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)}
        if targets & set(LIST_NAMES):
            try:
                exec(compile(tree, f"{rel} cell {n}", "exec"), scope)  # noqa: S102 (the researcher's own figure list)
            except Exception as e:  # a typo in an argument name, a missing comma...
                raise FigureListError(f"{rel} cell {n}: {type(e).__name__}: {e}") from None
            found.update({k: scope[k] for k in targets & set(LIST_NAMES)})
    if "FIGURES" not in found:
        raise FigureListError(f"{rel}: no cell assigns FIGURES = [...]")
    return found
