"""The suite re-runs only what changed, in dependency order; `import analysis` is cheap."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from analysis.pipeline import dependencies, notebook_paths

ROOT = Path(__file__).resolve().parent.parent


def test_import_analysis_is_cheap_and_lazy():
    code = ("import time, sys, pandas; t = time.process_time(); import analysis; dt = time.process_time() - t; "
            "print(dt, 'matplotlib' in sys.modules, 'opencc' in sys.modules, 'nbformat' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
            for _ in range(3)]
    assert min(float(r[0]) for r in runs) < 0.3
    assert runs[0][1:] == ["False", "False", "False"]  # nothing heavy at import time


def test_dependency_graph():
    paths = {p.stem[:2]: p for p in notebook_paths()}
    deps = dependencies(list(paths.values()))
    assert deps[paths["10"]] == set() and deps[paths["14"]] == set()
    assert {paths[k] for k in ("10", "11", "12", "13", "14")} <= deps[paths["21"]]
    assert paths["20"] not in deps[paths["23"]]


def test_changing_one_article_reruns_only_what_depends_on_it(repo_copy, suite):
    repo, _run = repo_copy, suite
    copied = (repo / "data/clean/linyi_2022plan_en.csv").stat().st_mtime_ns
    assert _run(repo) == {"00", "10", "11", "12", "13", "14", "20", "21", "22", "23"}  # a fresh copy runs all
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
    assert _run(repo) == {"00", "14", "20", "21", "22", "23"}  # its cleaning notebook and what reads its data
    assert (repo / "data/clean/xuzhou_2020h1_zh.csv").read_bytes() == (ROOT / "data/clean/xuzhou_2020h1_zh.csv").read_bytes()
