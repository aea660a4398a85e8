"""pytest, repo-wide: after the run, one line per notebook that nbval re-executed, with its time."""

from collections import defaultdict


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
