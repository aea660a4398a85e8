"""The suite re-runs only what changed, in dependency order; `import analysis` is cheap."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from analysis.suite.pipeline import dependencies, notebook_paths

ROOT = Path(__file__).resolve().parents[2]


def test_import_analysis_is_cheap_and_lazy():
    code = ("import time, sys, pandas; t = time.process_time(); import analysis; dt = time.process_time() - t; "
            "print(dt, 'matplotlib' in sys.modules, 'opencc' in sys.modules, 'nbformat' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
            for _ in range(3)]
    assert min(float(r[0]) for r in runs) < 0.3
    assert runs[0][1:] == ["False", "False", "False"]  # nothing heavy at import time


def _dependents(paths: list[Path], changed: Path) -> set[Path]:
    """``changed`` and every notebook that reads, directly or not, what it writes."""
    deps, out = dependencies(paths), {changed}
    while grown := {b for b, a in deps.items() if a & out} - out:
        out |= grown
    return out


def test_dependency_graph():
    paths = notebook_paths()
    deps = dependencies(paths)
    cleaning = [p for p in paths if "_clean_" in p.stem]
    assert cleaning and all(deps[p] == set() for p in cleaning)  # a cleaning notebook reads only raw data
    analyses = [p for p in paths if "_compare_" in p.stem]
    assert analyses and all(set(cleaning) <= deps[p] for p in analyses)  # every comparison reads every source
    export = next(p for p in paths if "_export_" in p.stem)
    assert not any(a in deps[export] for a in analyses)  # the workbook does not wait for the charts


def test_changing_one_article_reruns_only_what_depends_on_it(repo_copy, suite):
    repo, _run = repo_copy, suite
    every = {p.stem.split("_")[0] for p in notebook_paths(repo / "notebooks")}
    copied = (repo / "data/clean/linyi_2022plan_en.csv").stat().st_mtime_ns
    assert _run(repo) == every  # a fresh copy runs all
    assert (repo / "data/clean/linyi_2022plan_en.csv").stat().st_mtime_ns > copied  # kernels wrote into the copy
    assert _run(repo) == set()  # nothing changed: nothing runs
    raw = repo / "data/raw/2020-08-04_xuzhou_h1-results_zh-hant.txt"
    os.utime(raw, None)
    assert _run(repo) == set()  # touched, not changed: content hashes say nothing changed
    raw.write_bytes(raw.read_bytes() + "\n推薦閱讀: 2020年8月5日\n".encode())  # new furniture after the body
    manifest = repo / "data/raw/sources.csv"
    old = hashlib.sha256((ROOT / "data/raw/2020-08-04_xuzhou_h1-results_zh-hant.txt").read_bytes()).hexdigest()
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(old, hashlib.sha256(raw.read_bytes()).hexdigest()),
                        encoding="utf-8")
    cleaning = next((repo / "notebooks").glob("*_clean_xuzhou_2020h1_zh.ipynb"))
    expected = _dependents(notebook_paths(repo / "notebooks"), cleaning)
    assert not any("_clean_" in p.stem for p in expected - {cleaning})  # no other source is cleaned again
    assert any("_compare_" in p.stem for p in expected)
    assert _run(repo) == {p.stem.split("_")[0] for p in expected}  # its cleaning notebook and what reads its data
    assert (repo / "data/clean/xuzhou_2020h1_zh.csv").read_bytes() == (ROOT / "data/clean/xuzhou_2020h1_zh.csv").read_bytes()
