"""The suite re-runs only what changed, in dependency order; `import analysis` is cheap."""

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


def test_dependency_graph():
    paths = notebook_paths()
    deps = dependencies(paths)
    cleaning = [p for p in paths if "_clean_" in p.stem]
    assert cleaning and all(deps[p] == set() for p in cleaning)  # a cleaning notebook reads only raw data
    analyses = [p for p in paths if "_compare_" in p.stem]
    assert analyses and all(set(cleaning) <= deps[p] for p in analyses)  # every comparison reads every source
    export = next(p for p in paths if "_export_" in p.stem)
    assert not any(a in deps[export] for a in analyses)  # the workbook does not wait for the charts



def test_a_print_split_in_two_messages_is_saved_as_one_output():
    from analysis.suite.notebooks import coalesce_streams

    nb = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "stream", "name": "stdout", "text": ["0 mentions"]},
        {"output_type": "stream", "name": "stdout", "text": "\n"},
        {"output_type": "stream", "name": "stderr", "text": "warn\n"},
        {"output_type": "execute_result", "data": {"text/plain": "1"}},
        {"output_type": "stream", "name": "stdout", "text": "after\n"}]}]}
    outs = coalesce_streams(nb)["cells"][0]["outputs"]
    assert [o.get("name") or o["output_type"] for o in outs] == ["stdout", "stderr", "execute_result", "stdout"]
    assert outs[0]["text"] == "0 mentions\n"
