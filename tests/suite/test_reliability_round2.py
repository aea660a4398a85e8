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
