"""Run the suite: execute each notebook whose inputs changed, in dependency order, several at a time.

A notebook declares in its metadata ``suite.inputs`` (repo-relative paths or globs; ``path#id``
means one row of a CSV, the row whose first column is ``id``) and ``suite.outputs``. Notebook B
depends on A when an output of A matches an input of B (:func:`glob_match`: ``*`` stays within one
folder, as for ``Path.glob``, so ``data/clean/*.csv`` is not ``data/clean/ledger/x.csv``). B's
fingerprint is the hash of its cells' sources and saved outputs (a notebook whose outputs were
cleared is stale: the site would show it without its charts), the ``analysis`` package and its
inputs, taken when B's turn comes (after A has run); it is kept in ``.suite-state/`` (ignored by git) after a successful run, so a fresh
clone runs everything once and a second run with nothing changed runs nothing. Content hashes, not
modification times: a git checkout sets every mtime to "now", and ``touch`` changes nothing.
The fingerprint also holds the environment that shapes outputs: the versions of ``OUTPUT_PACKAGES``
(pandas, numpy, matplotlib, seaborn, openpyxl, the font package), the hash of the bundled font file
and ``EPOCH``; upgrading one of them, or bumping ``EPOCH``, re-runs every notebook.

Independent notebooks run concurrently, one kernel each, up to the number of cores. Kernels get
``PYTHONPATH`` set to this repo, so they import this checkout's ``analysis`` even from a copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from functools import lru_cache
from pathlib import Path

from analysis.core.paths import NOTEBOOKS, OUTPUT_ROOT_ENV, ROOT, rel

STATE = ROOT / ".suite-state"

# Bump EPOCH to re-run every notebook once where nothing the fingerprint sees has changed but outputs
# would (say, a system font installed, or a fix to how outputs are saved). Part of every fingerprint.
EPOCH = 1
# The packages whose versions shape saved outputs (tables, charts, the workbook): part of every fingerprint.
FONT_PACKAGE = "noto-cjk-sans-otc"  # its font file's hash counts too (a system CJK font, where used, does not)
OUTPUT_PACKAGES = ("pandas", "numpy", "matplotlib", "seaborn", "openpyxl", FONT_PACKAGE)


def notebook_paths(folder: Path | None = None) -> list[Path]:
    """Return the suite's notebooks in name order (their file names start with a number)."""
    return sorted((folder or NOTEBOOKS).glob("[0-9]*.ipynb"))


def _meta(path: Path) -> dict:
    from analysis.suite.state import NotebookError

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as e:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise NotebookError(f"{path.parent.name}/{path.name}: not a readable notebook ({str(e).splitlines()[0]})") from None


def _suite(nb: dict) -> tuple[list[str], list[str]]:
    s = nb.get("metadata", {}).get("suite", {})
    return list(s.get("inputs", [])), list(s.get("outputs", []))


def _csv_row(path: Path, key: str) -> bytes:
    lines = path.read_bytes().splitlines(keepends=True)
    return lines[0] + b"".join(ln for ln in lines[1:] if ln.split(b",", 1)[0].decode("utf-8") == key)


def input_files(nb: dict, root: Path = ROOT) -> list[tuple[str, bytes]]:
    """Return (name, content) of everything a notebook's outputs depend on, besides its own cells."""
    items = [(rel(p), p.read_bytes()) for p in sorted((root / "analysis").rglob("*.py"))]
    for pat in _suite(nb)[0]:
        if "#" in pat:
            file, key = pat.split("#", 1)
            items.append((pat, _csv_row(root / file, key)))
        else:
            items += [(p.relative_to(root).as_posix(), p.read_bytes()) for p in sorted(root.glob(pat)) if p.is_file()]
    return items


def package_versions() -> dict[str, str]:
    """Return the installed version of each of ``OUTPUT_PACKAGES`` and the sha256 of the bundled font file.

    Read from the installed metadata (the font's hash from its wheel RECORD): no import, a few ms.
    """
    from importlib import metadata

    out = {}
    for name in OUTPUT_PACKAGES:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
            continue
        out[name] = dist.version
        if name == FONT_PACKAGE:
            for f in dist.files or ():
                if f.suffix in (".ttc", ".otf", ".ttf"):
                    out[f"{name}:{f.name}"] = f.hash.value if f.hash else "no-hash"
    return out


@lru_cache(maxsize=1)
def environment_key() -> bytes:
    """``EPOCH`` and :func:`package_versions`, as bytes for the fingerprint (computed once per process)."""
    return json.dumps({"epoch": EPOCH, **package_versions()}, sort_keys=True).encode()


def fingerprint(path: Path, root: Path = ROOT) -> str:
    """Return the hash of a notebook's cell sources and saved outputs, of all its inputs and of :func:`environment_key`."""
    nb = _meta(path)
    h = hashlib.sha256(environment_key())
    for cell in nb["cells"]:
        h.update(cell["cell_type"].encode() + b"\0" + "".join(cell["source"]).encode() + b"\0")
        if cell["cell_type"] == "code":  # its saved outputs: cleared outputs make the notebook stale
            h.update(json.dumps([cell.get("execution_count"), cell.get("outputs", [])], sort_keys=True).encode() + b"\0")
    for name, data in input_files(nb, root):
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]+/)*")
            i += 3
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def glob_match(path: str, pattern: str) -> bool:
    """True if the repo-relative ``path`` is one ``pattern`` names, as ``Path.glob`` would: ``*`` and ``?``
    stay within one folder, ``**/`` spans folders.

    >>> glob_match("data/clean/a.csv", "data/clean/*.csv"), glob_match("data/clean/ledger/a.csv", "data/clean/*.csv")
    (True, False)
    """
    return _glob_regex(pattern).match(path) is not None


def dependencies(paths: list[Path]) -> dict[Path, set[Path]]:
    """Return, for each notebook, the notebooks whose outputs it reads (an output pattern and an input
    pattern name a common file when either matches the other)."""
    suites = {p: _suite(_meta(p)) for p in paths}

    def feeds(outs, ins):
        return any(glob_match(o, i.split("#")[0]) or glob_match(i.split("#")[0], o) for o in outs for i in ins)

    return {b: {a for a in paths if a != b and feeds(suites[a][1], suites[b][0])} for b in paths}


KERNEL_START_TRIES = 3  # a kernel that dies before it replies to kernel_info is started again, this many times in all
_RUNNING: set = set()  # the NotebookClients executing now (one per worker thread)
_RUNNING_LOCK = threading.Lock()
_STOPPING = threading.Event()


def stop_kernels() -> int:
    """Kill the kernel of every notebook executing now (Ctrl-C); return how many. Their threads then end at once."""
    import signal

    _STOPPING.set()
    with _RUNNING_LOCK:
        clients = list(_RUNNING)
    n = 0
    for c in clients:
        km = getattr(c, "km", None)
        pid = getattr(getattr(km, "provisioner", None), "pid", None) if km is not None else None
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
                n += 1
            except OSError:
                pass
    return n


class NotebookChanged(RuntimeError):
    """The notebook file was saved (by a researcher's editor) while the runner executed it: it is kept as saved."""


def execute(path: Path, root: Path = ROOT) -> None:
    """Execute one notebook top to bottom in a fresh kernel and save it with its outputs (atomically).

    The executed copy is written back only if the file is still what was read: a notebook saved while
    it ran (JupyterLab open on it) is kept as the researcher saved it, and :class:`NotebookChanged`
    says so; it stays stale and runs again on the next ``make``.
    """
    import nbformat
    from nbclient import NotebookClient

    read = path.read_bytes()
    env = {**{k: v for k, v in os.environ.items() if k != OUTPUT_ROOT_ENV}, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    for attempt in range(1, KERNEL_START_TRIES + 1):
        nb = nbformat.reads(read.decode("utf-8"), as_version=4)
        # shutdown_kernel="immediate": once the last cell has replied, the kernel has nothing left to do;
        # killing it at once instead of a graceful shutdown (1-3 s each) takes it off the critical path.
        client = NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=False,
                                shutdown_kernel="immediate", resources={"metadata": {"path": str(path.parent)}})
        # The kernel process's own stderr carries only ipykernel's "running over TCP" notice; what a
        # cell prints or raises reaches the notebook through the kernel's messages, not this stream.
        with _RUNNING_LOCK:
            _RUNNING.add(client)
        try:
            client.execute(stderr=subprocess.DEVNULL, env=env)
            break
        except RuntimeError as e:
            # a kernel that dies before it answers (two kernels starting at once took the same port: a known
            # race of jupyter_client's free-port choice) ran no cell: start another, a few times at most
            if "before replying to kernel_info" not in str(e) or attempt == KERNEL_START_TRIES or _STOPPING.is_set():
                raise
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(client)
    if _STOPPING.is_set():  # Ctrl-C: the kernel was killed; nothing of this run is written into the notebook
        raise KeyboardInterrupt()
    nb.metadata.pop("widgets", None)
    from analysis.suite.notebooks import write_notebook

    if path.read_bytes() != read:
        raise NotebookChanged(f"{path.name} was saved while it ran: your file is kept and this run's outputs are not "
                              "written into it; it runs again on the next make")
    write_notebook(nb, path)  # a unique temp name, then a rename: parallel runs never share one


def run_all(force: bool = False, jobs: int | None = None, root: Path = ROOT, log=print) -> int:
    """Execute, in dependency order and ``jobs`` at a time, every notebook that is not up to date.

    Up to date: same fingerprint and outputs as its last run left them (:mod:`analysis.suite.state`).
    One run at a time per repository (a second one waits). Returns 0, or 1 if a notebook failed
    (the others that do not depend on it still run; those that do are skipped).
    """
    from analysis.suite import state as suite_state

    with suite_state.suite_lock(root, log):
        for name in suite_state.remove_stale_tmp(root):
            log(f"  removed {name}, left by an interrupted run")
        return _run_all(force, jobs, root, log)


def _failure(e: Exception) -> str:
    """The error a notebook stopped on, without its traceback or the terminal colour codes of a kernel.

    A kernel's traceback ends with the exception's own message (``ObservationError: ...``), which may
    span several lines (every problem of a figure list): from that line on, all of it is kept.
    """
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", str(e)).strip()
    lines = text.splitlines()
    starts = [i for i, ln in enumerate(lines) if re.match(r"[A-Za-z_][\w.]*(Error|Exception|Interrupt): ", ln)]
    tail = lines[starts[-1]:] if starts else lines[-1:]
    return f"{type(e).__name__}: " + "\n      ".join(ln.rstrip() for ln in tail if ln.strip())


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return rel(path)


def _run_all(force: bool, jobs: int | None, root: Path, log) -> int:
    from analysis.suite import state as suite_state

    t_start = time.perf_counter()
    paths = notebook_paths(root / "notebooks")
    state = suite_state.state_dir(root)
    if not paths:
        log("notebooks: none")
        # sources without their notebooks are not "nothing to do": the rulebook says which
        return _rulebook(root, state, log) if (root / "data" / "raw" / "sources.csv").exists() else 0
    package = root / "data" / "clean" / "datapackage.json"
    if package.is_file() and (root / "data" / "raw" / "sources.csv").exists():
        from analysis.clean.observations import datapackage_text

        try:
            stale = package.read_bytes() != datapackage_text(package.parent).encode("utf-8")
        except Exception:  # an unreadable manifest is reported by the notebooks that read it
            stale = False
        if stale:
            log("  data/clean/datapackage.json is not what the clean data hold (edited by hand, or removed): "
                "rewritten after the run")
    deps = dependencies(paths)
    jobs = jobs or os.cpu_count() or 1
    done: set[Path] = set()
    failed: set[Path] = set()
    skipped: set[Path] = set()
    ran: list[Path] = []
    running = {}
    # Longest first (by the last run's time): the long analysis notebooks do not end up alone at the tail.
    last = {p: suite_state.seconds(state, p) for p in paths}
    pending = sorted(paths, key=lambda p: -last[p])
    _STOPPING.clear()
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        _schedule(pool, pending, running, deps, done, failed, skipped, ran, state, force, root, log)
    except KeyboardInterrupt:
        # Ctrl-C: kill the kernels now rather than wait for their notebooks; a notebook is written only after
        # its last cell, and every output file through a temp name, so each file is as before or complete
        stop_kernels()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return _finish(paths, ran, failed, skipped, done, state, jobs, t_start, root, log)


def _schedule(pool, pending, running, deps, done, failed, skipped, ran, state, force, root, log) -> None:
    """Submit each notebook when what it reads is done, collect results, until none is pending or running."""
    from analysis.suite import state as suite_state

    while pending or running:
        for p in list(pending):
            if deps[p] & (failed | skipped):
                pending.remove(p)
                skipped.add(p)
                log(f"  skip {_rel(p, root)}: an upstream notebook failed")
            elif deps[p] <= done:
                pending.remove(p)
                inputs, outputs = _suite(_meta(p))
                missing = suite_state.missing_inputs(inputs, root)
                if missing:
                    failed.add(p)
                    log(f"  FAILED {_rel(p, root)}: input {missing[0]} is missing; not run")
                    continue
                fp = fingerprint(p, root)
                if not force and suite_state.is_current(state, p, fp, outputs, root):
                    done.add(p)
                    continue
                _report_hand_edits(suite_state.changed_outputs(state, p, fp, outputs, root), p, root, log)
                running[pool.submit(_run_one, p, root)] = p
        if not running:
            continue
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for fut in finished:
            p = running.pop(fut)
            try:
                secs = fut.result()
            except NotebookChanged as e:  # the researcher's save wins; what depends on it waits for the next run
                failed.add(p)
                log(f"  KEPT {_rel(p, root)}: {e}")
                continue
            except Exception as e:  # report, keep going with what does not depend on it
                failed.add(p)
                log(f"  FAILED {_rel(p, root)}: {_failure(e)}")
                continue
            suite_state.write(state / (p.stem + ".sha256"), fingerprint(p, root))
            suite_state.write(state / (p.stem + ".seconds"), f"{secs:.2f}")
            done.add(p)
            ran.append(p)
            log(f"  ran {_rel(p, root)} in {secs:.1f} s")


def _finish(paths, ran, failed, skipped, done, state, jobs, t_start, root, log) -> int:
    """After the notebooks: the data package, the outputs' record, the summary line, the reference pages, the rulebook."""
    from analysis.suite import state as suite_state

    if (root / "data" / "raw" / "sources.csv").exists() and (root / "data" / "clean").is_dir():
        from analysis.clean.observations import write_datapackage

        # once more, after all cleaning notebooks (no race between them), and on every run: it is no notebook's output
        write_datapackage(root / "data" / "clean")
    for p in done:  # outputs as they stand at the end
        suite_state.record_outputs(state, p, _suite(_meta(p))[1], root)
    wall = time.perf_counter() - t_start
    if not ran and not failed and not skipped:
        log(f"notebooks: all {len(paths)} up to date, nothing to do ({wall:.2f} s)")
    else:
        log(f"notebooks: {len(ran)} executed, {len(paths) - len(ran) - len(failed) - len(skipped)} up to date, "
            f"{len(failed)} failed, {len(skipped)} skipped ({wall:.1f} s, {jobs} at a time)")
    if failed:
        return 1
    if not (root / "data" / "raw" / "sources.csv").exists():
        return 0  # a folder of notebooks without data: nothing for the rulebook
    if (root / "docs" / "reference").is_dir():  # the reference pages follow the data (a new city, a codebook row)
        from analysis.suite.refdocs import write_pages

        for page, changed in write_pages(root if root != ROOT else None):
            if changed:
                log(f"  wrote {page}")
    return _rulebook(root, state, log)


def record_current(root: Path = ROOT) -> list[Path]:
    """Record every notebook of ``root`` as up to date with the files as they stand, as a run that left them so
    would: its fingerprint and its outputs' hashes go into ``.suite-state/``; no kernel runs. A notebook one of
    whose outputs is missing gets no outputs' record, so it stays stale. The rulebook's stamp is not written:
    the next ``make`` still checks the data. Returns the notebooks recorded.

    Only for a copy whose notebooks and outputs are known to be what a run writes: the tests' copies of the
    repository, whose checkout the test session proves current (nbval re-executes every notebook, and the
    session fails if what its kernels wrote is not the committed file). ``make`` never calls it.
    """
    from analysis.suite import state as suite_state

    with suite_state.suite_lock(root, log=lambda _: None):
        state = suite_state.state_dir(root)
        paths = notebook_paths(root / "notebooks")
        for p in paths:
            suite_state.write(state / (p.stem + ".sha256"), fingerprint(p, root))
            suite_state.record_outputs(state, p, _suite(_meta(p))[1], root)
    return paths


def _report_hand_edits(changed: list[str], notebook: Path, root: Path, log) -> None:
    """Say which outputs of ``notebook`` are not what it last wrote (edited by hand, or removed) and, for a
    cleaning notebook, every rule they break as they stand, before the notebook runs again and rebuilds them."""
    if not changed:
        return
    for f in changed:
        log(f"  {f} is not what {_rel(notebook, root)} last wrote (edited by hand, or removed): rebuilt from the notebook")
    m = re.match(r"\d+_clean_(.+)$", notebook.stem)
    if m and (root / "data" / "raw" / "sources.csv").exists():
        from analysis.clean.validate import check_source

        try:
            problems = check_source(m.group(1), root)
        except Exception as e:  # the report must not stop the rebuild
            problems = [f"(could not be checked: {type(e).__name__}: {e})"]
        for pr in problems:
            log(f"    as it stood: {pr}")


def _rulebook(root: Path, state: Path, log) -> int:
    """Run the rulebook on what the run left (:func:`analysis.clean.rules.check_all`); 1 and every problem if any.

    ``as_built`` is left out here: the runner's state already proves it (a clean CSV or ledger that is
    not what its notebook last wrote makes the notebook stale, and it runs again). The check is
    skipped when nothing it reads changed since it last passed (a digest of data/, notebooks/ and
    analysis/), so a no-op ``make`` stays fast.
    """
    import hashlib

    from analysis.clean.rules import RULES
    from analysis.clean.validate import check_all
    from analysis.suite import state as suite_state

    digest = hashlib.sha256()
    for folder in ("data", "notebooks", "analysis"):
        for f in sorted((root / folder).rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts and not f.name.startswith("."):
                digest.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    digest = digest.hexdigest()
    stamp = state / "rulebook.sha256"
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == digest:
        return 0
    problems = check_all(root, rules=[r for r in RULES if r != "as_built"])
    if problems:
        log(f"rulebook: {len(problems)} problem{'s' if len(problems) > 1 else ''} in the data (analysis.clean.rules):")
        for pr in problems:
            log(f"  {pr}")
        stamp.unlink(missing_ok=True)
        return 1
    suite_state.write(stamp, digest)
    return 0


def _run_one(path: Path, root: Path) -> float:
    t0 = time.perf_counter()
    execute(path, root)
    return time.perf_counter() - t0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run_all())
