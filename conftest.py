"""pytest, repo-wide.

- Tests never change tracked files. nbval re-executes the notebooks, which write data/clean and
  figures: its kernels write into a temp copy of those folders instead (``MINSHENG_OUTPUT_ROOT``,
  honoured by analysis.core.paths) and import this checkout's ``analysis`` (``PYTHONPATH``). At the end
  of the session, a tracked file that was rewritten (new inode or mtime) or changed fails the run, and so does
  a file in that copy that is not byte for byte the checkout's: what nbval's kernels write must be what is
  committed (so a repo copy may take the committed outputs as current: tests/conftest.py record_current_in).
- After the run, one line per notebook that nbval re-executed, with its time.
- Tests go to the two workers one by one (:func:`pytest_xdist_make_scheduler`), except what must stay together: each
  notebook's cells (one kernel, in order) and each module listed in ``GROUPED`` (an expensive module-scoped
  fixture, built once on one worker). The longest scopes (``FIRST``) start first, one on each worker.
"""

import os
import shutil
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent
OUTPUT_ENV = "MINSHENG_OUTPUT_ROOT"
OUTPUT_DIRS = ("data/clean", "figures")  # what the notebooks write; copied to the output root for the session
# modules whose tests share a fixture worth building once (a repo copy and a run, a site, the printed workbooks,
# a batch of CLI calls, proposals)
GROUPED = ("tests/integration/", "tests/compare/test_publish.py", "tests/compare/test_workbook.py",
           "tests/clean/test_rules.py", "tests/suite/test_site.py",
           "tests/suite/test_scaffold.py",  # new-source on every bad-metadata case, in one process
           "tests/clean/test_propose.py")  # each source's proposals, read by two tests
# the longest scopes (each a repo copy where make, pytest and the CLI run), handed out first, one to each worker:
# started late, one of them would end the session alone on one worker
FIRST = ("tests/integration/test_copies.py", "tests/integration/test_rulebook_everywhere.py")


def _tracked_state() -> dict:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True).stdout.split("\0")
    state = {}
    for f in filter(None, files):
        try:
            st = (ROOT / f).stat()
        except OSError:
            state[f] = None
            continue
        state[f] = (st.st_ino, st.st_mtime_ns, st.st_size)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    return {"files": state, "status": status}


def pytest_configure(config):
    if os.environ.get(OUTPUT_ENV) or hasattr(config, "workerinput"):
        return  # an xdist worker, or a nested run: the controller's output root holds
    out = Path(tempfile.mkdtemp(prefix="minsheng-test-outputs-"))
    for d in OUTPUT_DIRS:
        shutil.copytree(ROOT / d, out / d)
    os.environ[OUTPUT_ENV] = str(out)
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    config._minsheng_outputs = out
    config._minsheng_before = _tracked_state()



def _outputs_not_committed(out: Path) -> list[str]:
    """The files of the output copy ``out`` (as the session's kernels left it) that are not the checkout's, byte
    for byte, or that only one of the two holds."""
    def files(base: Path) -> set[str]:
        return {p.relative_to(base).as_posix() for d in OUTPUT_DIRS for p in (base / d).rglob("*") if p.is_file()}

    return sorted(f for f in files(out) | files(ROOT)
                  if not ((out / f).is_file() and (ROOT / f).is_file() and (out / f).read_bytes() == (ROOT / f).read_bytes()))


def _scope(nodeid: str) -> str:
    """What one worker runs together: a notebook's cells, a module of ``GROUPED``; any other test alone."""
    path = nodeid.split("::")[0]
    return path if path.endswith(".ipynb") or path.startswith(GROUPED) else nodeid


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class Scheduler(LoadScopeScheduling):  # xdist's loadgroup marks did not group here (xdist 3.8): scope by node id
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid)

        def _assign_work_unit(self, node) -> None:  # the next scope is the queue's first: FIRST goes to its front
            for scope in reversed(FIRST):
                if scope in self.workqueue:
                    self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return Scheduler(config, log)


def pytest_sessionfinish(session, exitstatus):
    before = getattr(session.config, "_minsheng_before", None)
    if before is None:
        return
    after = _tracked_state()
    changed = sorted(f for f in set(before["files"]) | set(after["files"])
                     if before["files"].get(f) != after["files"].get(f))
    if changed or after["status"] != before["status"]:
        session.config._minsheng_changed = changed or ["git status changed"]
        session.exitstatus = 1
    differ = _outputs_not_committed(session.config._minsheng_outputs)
    if differ:
        session.config._minsheng_differ = differ
        session.exitstatus = 1


def pytest_unconfigure(config):
    out = getattr(config, "_minsheng_outputs", None)
    if out is not None:
        shutil.rmtree(out, ignore_errors=True)
        os.environ.pop(OUTPUT_ENV, None)


def pytest_terminal_summary(terminalreporter):
    seconds, cells, failed = defaultdict(float), defaultdict(int), defaultdict(int)
    for outcome in ("passed", "failed"):
        for rep in terminalreporter.getreports(outcome):
            path = rep.nodeid.split("::")[0]
            if path.endswith(".ipynb"):
                seconds[path] += rep.duration
                cells[path] += 1
                failed[path] += outcome == "failed"
    if seconds:
        terminalreporter.write_sep("-", "notebooks (nbval, strict)")
        for path in sorted(seconds):
            status = f"{failed[path]} FAILED" if failed[path] else "ok"
            terminalreporter.write_line(f"{path}: {cells[path]} cells {status}, {seconds[path]:.1f} s")
    differ = getattr(terminalreporter.config, "_minsheng_differ", None)
    if differ:
        terminalreporter.write_sep("!", "what the notebooks wrote is not what is committed (run `make`, commit)")
        for f in differ[:20]:
            terminalreporter.write_line(f"  {f}")
    changed = getattr(terminalreporter.config, "_minsheng_changed", None)
    if changed:
        terminalreporter.write_sep("!", "tests changed tracked files (they must not)")
        for f in changed[:20]:
            terminalreporter.write_line(f"  {f}")
