"""Execute the notebooks in order, saving them with their outputs; skip those whose inputs are unchanged.

A notebook's inputs are its own code and markdown (not its outputs), the ``analysis`` package, and
the files listed in its metadata ``suite.inputs`` (repo-relative paths or globs, e.g.
``data/raw/sources.csv``, ``data/clean/*.csv``). The fingerprint of those inputs after a successful
run is kept in ``.suite-state/`` (ignored by git), so a fresh clone runs everything once.
Content hashes, not modification times: a git checkout sets every mtime to "now".
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from pathlib import Path

from .paths import NOTEBOOKS, ROOT, rel

STATE = ROOT / ".suite-state"


def notebook_paths() -> list[Path]:
    """Return the suite's notebooks in execution order (their file names start with a number)."""
    return sorted(p for p in NOTEBOOKS.glob("[0-9]*.ipynb"))


def _inputs(nb: dict) -> list[Path]:
    pats = nb.get("metadata", {}).get("suite", {}).get("inputs", [])
    files: set[Path] = set(ROOT.glob("analysis/*.py"))
    for pat in pats:
        files.update(p for p in ROOT.glob(pat) if p.is_file())
    return sorted(files)


def fingerprint(path: Path) -> str:
    """Return a hash of what a notebook's outputs depend on: its cells' sources and its input files."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    h = hashlib.sha256()
    for cell in nb["cells"]:
        h.update(cell["cell_type"].encode() + b"\0" + "".join(cell["source"]).encode() + b"\0")
    for f in _inputs(nb):
        h.update(rel(f).encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def execute(path: Path) -> None:
    """Execute one notebook top to bottom in a fresh kernel and save it with its outputs (atomically)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    # The kernel process's own stderr carries only ipykernel's "running over TCP" notice; what a
    # cell prints or raises reaches the notebook through the kernel's messages, not this stream.
    client.execute(stderr=subprocess.DEVNULL)
    nb.metadata.pop("widgets", None)
    tmp = path.with_suffix(".ipynb.tmp")
    nbformat.write(nb, tmp)
    tmp.replace(path)


def run_all(force: bool = False) -> int:
    """Execute every notebook whose fingerprint changed (all of them with ``force``); return an exit code."""
    paths = notebook_paths()
    if not paths:
        print("notebooks: none yet")
        return 0
    STATE.mkdir(exist_ok=True)
    ran = 0
    for path in paths:
        stamp = STATE / (path.stem + ".sha256")
        fp = fingerprint(path)
        if not force and stamp.exists() and stamp.read_text() == fp:
            continue
        t0 = time.perf_counter()
        execute(path)
        stamp.write_text(fingerprint(path))
        ran += 1
        print(f"  ran {rel(path)} in {time.perf_counter() - t0:.1f} s")
    print(f"notebooks: {ran} executed, {len(paths) - ran} up to date")
    return 0
