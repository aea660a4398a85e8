"""`make bench`: the test suite's wall time (as `make test` runs it) and its ten slowest tests.

Run with the venv in place. Prints the load average before and after, so a figure is read with the
load it was taken under (docs/performance.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "pytest", "--durations=10", "-p", "no:cacheprovider"], cwd=ROOT,
                         capture_output=True, text=True)
    wall = time.perf_counter() - t0
    counts = re.findall(r"(\d+) (passed|failed|skipped|errors?)", out.stdout)
    print(f"test suite: {wall:.1f} s wall, {', '.join(f'{n} {w}' for n, w in counts) or 'no summary'} "
          f"(rc {out.returncode}; load {load:.2f} before, {os.getloadavg()[0]:.2f} after; {os.cpu_count()} cores)")
    lines = out.stdout.splitlines()
    if any("slowest" in ln for ln in lines):
        start = next(i for i, ln in enumerate(lines) if "slowest" in ln)
        print("ten slowest tests:")
        for ln in lines[start + 1:start + 11]:
            print("  " + ln)
    return out.returncode


if __name__ == "__main__":
    sys.exit(main())
