"""Benchmark the suite (`make bench`): full rebuild vs the floor, no-op rebuild, test suite.

(a) full forced rebuild: `python -m analysis run --force`, wall time;
(b) the floor: the same number of notebooks, run by the same runner in a fresh process (as (a) is), with
    the same parallelism, each
    only importing what the matching real notebook imports (pandas, opencc and the analysis modules
    for cleaning; plus matplotlib, seaborn and IPython.display for the charts; openpyxl for export);
(c) their ratio; (d) the no-op rebuild (nothing changed), through `make`; (e) `make test`.
Wall-clock seconds on this machine; each of (a), (b), (d) is the best of --repeat runs.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.suite.notebooks import new_notebook, write_notebook  # noqa: E402
from analysis.suite.pipeline import notebook_paths  # noqa: E402

FLOOR_IMPORTS = {
    "start": "import pandas\nimport analysis, analysis.compare.explore, analysis.clean.observations, analysis.core.quantities",
    "clean": "import pandas, opencc\nimport analysis, analysis.clean.observations, analysis.core.quantities, analysis.clean.checks",
    "audit": "import pandas, opencc\nimport analysis, analysis.clean.audit, analysis.clean.observations, analysis.core.quantities",
    "compare": "import pandas, matplotlib.pyplot, seaborn, IPython.display\nimport analysis, analysis.compare.tables, analysis.compare.plotting",
    "export": "import pandas, openpyxl\nimport analysis, analysis.compare.tables, analysis.compare.export, analysis.compare.plotting",
}


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def floor(n_repeat: int) -> float:
    """Time the import-only notebooks like (a): a fresh process running the same runner, best of n."""
    best = float("inf")
    for _ in range(n_repeat):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "notebooks").mkdir()
            for p in notebook_paths():
                kind = next(k for k in FLOOR_IMPORTS if f"_{k}_" in p.name)
                write_notebook(new_notebook([("code", FLOOR_IMPORTS[kind])], []), Path(tmp) / "notebooks" / p.name)
            code = f"from pathlib import Path; from analysis.suite.pipeline import run_all; run_all(force=True, root=Path({tmp!r}))"
            best = min(best, timed([sys.executable, "-c", code]))
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-tests", action="store_true")
    args = ap.parse_args()
    py = sys.executable
    n = len(notebook_paths())
    full = min(timed([py, "-m", "analysis", "run", "--force"]) for _ in range(args.repeat))
    fl = floor(args.repeat)
    noop = min(timed([shutil.which("make") or "make", "run"]) for _ in range(args.repeat))
    tests = None if args.skip_tests else timed([shutil.which("make") or "make", "test"])
    print(f"notebooks: {n}, executed {__import__('os').cpu_count()} at a time; best of {args.repeat}")
    print("| measure | seconds |\n|---|---|")
    print(f"| (a) full forced rebuild (`python -m analysis run --force`) | {full:.1f} |")
    print(f"| (b) floor: {n} import-only notebooks, same runner | {fl:.1f} |")
    print(f"| (c) ratio a / b (target <= 1.3) | {full / fl:.2f} |")
    print(f"| (d) no-op rebuild (`make`, nothing changed; target < 1) | {noop:.2f} |")
    if tests is not None:
        print(f"| (e) full test suite (`make test`) | {tests:.1f} |")


if __name__ == "__main__":
    main()
