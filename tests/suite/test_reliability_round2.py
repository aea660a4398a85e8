"""The second reliability round (issue 23): the items built so far, each with the test that reproduces it.
The rest of that issue is open; its numbering is kept so the next items slot in."""

import subprocess
import sys
from pathlib import Path

import pytest

from analysis.clean.ledger import LedgerError
from analysis.clean.validate import validate_figures

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, cwd: Path = ROOT):
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_item17_validate_reads_the_dismissals_and_lists_every_wrong_one(data_repo, testcity):
    dismissed = '''DISMISSED = [
    Skip("这句话不在文章里", "structure"),
    Skip("也不在文章里", "structure"),
]'''
    testcity.add(data_repo, dismissed=dismissed, write=False)
    with pytest.raises(LedgerError) as e:
        validate_figures("testcity_2021h1_zh", data_repo)
    assert str(e.value).count("quote not found verbatim") == 2  # both, not the first only


@pytest.mark.parametrize("args, says", [
    (("propose", "nosuch_id"), "unknown source_id 'nosuch_id'; known: "),
    (("validate", "nosuch_id"), "unknown source_id 'nosuch_id'; known: "),
    (("site", "--out", "."), "--out .: the site would be written over the repository's own files"),
    (("site", "--out", "figures/site"), "the site would be written over the repository's own files"),
])
def test_item18_user_errors_are_one_plain_line(args, says):
    out = _cli(*args)
    assert out.returncode == 2 and out.stderr.startswith("error: ") and says in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_item04_a_source_without_its_notebook_or_clean_data_fails_make_naming_it(data_repo):
    from analysis.sources.manifest import load_sources
    from analysis.suite.pipeline import run_all

    lines = []
    assert run_all(root=data_repo, log=lines.append) == 1  # the manifest's sources, and no notebook or clean data
    said = "\n".join(lines)
    for sid in load_sources(data_repo, verify=False)["source_id"]:
        assert sid in said, said
    assert "[files]" in said and "Traceback" not in said


# --- item 5: inputs are matched as paths, and a notebook that reads the ledgers declares them ---
def test_item05_a_glob_star_stays_within_one_folder():
    from analysis.suite.pipeline import glob_match

    assert glob_match("data/clean/a.csv", "data/clean/*.csv")
    assert not glob_match("data/clean/ledger/a.csv", "data/clean/*.csv")
    assert glob_match("data/clean/ledger/a.csv", "data/clean/ledger/*.csv")
    assert glob_match("data/clean/ledger/a.csv", "data/**/*.csv") and glob_match("data/a.csv", "data/**/*.csv")
    assert glob_match("figures/spending_share_en.png", "figures/spending_share_*")


def test_item05_every_notebook_that_reads_a_ledger_declares_it_and_a_ledger_change_reaches_it(tmp_path):
    import json
    import shutil

    from analysis.suite.pipeline import _suite, fingerprint, glob_match, notebook_paths

    readers = []
    for p in notebook_paths():
        nb = json.loads(p.read_text(encoding="utf-8"))
        code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        inputs, outputs = _suite(nb)
        if "ledger" in code and not any("ledger" in o for o in outputs):  # reads ledgers it does not write
            readers.append(p)
            assert any(glob_match("data/clean/ledger/x.csv", i) for i in inputs), f"{p.name} reads ledgers it does not declare"
    assert readers, "no notebook reads the ledgers: the test has nothing to check"
    # in a scratch root: change one ledger byte, the reader's fingerprint moves
    root = tmp_path
    shutil.copytree(ROOT / "analysis", root / "analysis")
    shutil.copytree(ROOT / "data", root / "data")
    nb = readers[0]
    before = fingerprint(nb, root)
    ledger = next((root / "data" / "clean" / "ledger").glob("*.csv"))
    ledger.write_bytes(ledger.read_bytes() + b"\n")
    assert fingerprint(nb, root) != before


# --- item 6: a notebook's saved outputs belong to its fingerprint ---
def test_item06_clearing_a_notebooks_outputs_makes_it_stale(tmp_path):
    import json

    from analysis.suite.pipeline import fingerprint, notebook_paths

    src = next(p for p in notebook_paths() if "_compare_" in p.stem)
    copy = tmp_path / src.name
    copy.write_bytes(src.read_bytes())
    before = fingerprint(copy)
    nb = json.loads(copy.read_text(encoding="utf-8"))
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            c["outputs"], c["execution_count"] = [], None
    copy.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    assert fingerprint(copy) != before
    copy.write_bytes(src.read_bytes())
    assert fingerprint(copy) == before  # and the same file gives the same fingerprint
