"""Benchmark a new user's first experience (`make bench`): the README's two commands on a fresh clone.

Clones the current commit (HEAD) into a temp folder twice and times, in each, `make` (install + the
whole suite), `make test`, then `make` again (nothing to do). The first clone uses an empty uv cache
(a temp UV_CACHE_DIR: every package is downloaded), the second the cache the first one filled (what a
second checkout or a `make clean-venv` costs). Prints wall seconds and the size of .venv and .uv.
Takes several minutes; `--skip-tests` leaves out `make test`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(cmd: list[str], cwd: Path, env: dict) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if out.returncode:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{out.stdout[-2000:]}")
    return time.perf_counter() - t0


def _du(path: Path) -> str:
    return subprocess.run(["du", "-sh", str(path)], capture_output=True, text=True).stdout.split()[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--skip-tests", action="store_true")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_"))}
        env["UV_CACHE_DIR"] = str(Path(tmp) / "uv-cache")  # empty: a cold cache
        for cache in ("cold", "warm"):
            clone = Path(tmp) / f"clone-{cache}"
            subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
            subprocess.run(["git", "checkout", "-q", subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.strip()], cwd=clone, check=True)
            rows.append((f"fresh clone, {cache} uv cache: `make` (install + whole suite)", _timed(["make"], clone, env)))
            if not args.skip_tests:
                rows.append((f"fresh clone, {cache} uv cache: then `make test`", _timed(["make", "test"], clone, env)))
            rows.append((f"fresh clone, {cache} uv cache: then `make` again (nothing to do)", _timed(["make"], clone, env)))
            if cache == "cold":
                sizes = f".venv {_du(clone / '.venv')}, .uv {_du(clone / '.uv')}"
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores)")
    print("| measure | seconds |\n|---|---|")
    for what, secs in rows:
        print(f"| {what} | {secs:.1f} |")
    print(f"| size after install | {sizes} |")


if __name__ == "__main__":
    main()
