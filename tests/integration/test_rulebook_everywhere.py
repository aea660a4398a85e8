"""The rulebook, as ``validate``, ``make`` and ``make test`` report it, in a copy of the repository holding only
the cleaning notebooks (the analysis notebooks read what the rulebook guards and are not needed here): a figure
list that breaks rules, a number left open, and hand edits of what make wrote, one per remaining rule.
"""

import json
import re
import sys
from pathlib import Path

import pytest

from analysis.suite.pipeline import notebook_paths

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import (  # noqa: E402
    TESTCITY_FIGURES,
    add_testcity,
    copy_of,
    copy_repo,
    fill_lists,
    in_repo,
    make_in,
    make_test_in,
    record_current_in,
)


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory) -> Path:
    """A copy of the repository with its cleaning notebooks only, with the runner state of a run of them
    (recorded, not run: the checkout's files are what its notebooks write, which the session proves)."""
    repo = copy_repo(tmp_path_factory.mktemp("cleaned") / "repo")
    for nb in notebook_paths(repo / "notebooks"):
        if "_clean_" not in nb.stem:
            nb.unlink()
    record_current_in(repo)
    return repo


@pytest.fixture
def copy(cleaned, tmp_path) -> Path:
    return copy_of(cleaned, tmp_path)


SID = "testcity_2021h1_zh"
BROKEN = (TESTCITY_FIGURES
          .replace('Fig("schools_planned", "计划新建学校3所")', 'Fig("schools_planned", "计划新建学校3所", status="result", note="built")')
          .replace('"新开工中小学、幼儿园12所")', '"新开工中小学、幼儿园12所", scope="")')
          .replace('"民生支出占财政支出比重74.7%")', '"民生支出占财政支出比重74.7%", denominator="not_stated")')
          .replace('Fig("schools_completed", "已竣工5所")', 'Fig("schools_planned", "已竣工5所", status="plan")')
          .replace('Fig("new_urban_jobs", "全市城镇新增就业9.2万人")', 'Fig("new_urban_jobs", "今年上半年,全市城镇新增就业9.2万人", period="2021")'))
BROKEN_RULES = ("status_words", "scope_words", "school_scope", "denominator", "indicator_words", "period_words")


def _csv_edit(path: Path, match: dict, **changes) -> None:
    import csv

    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert any(all(r[k] == v for k, v in match.items()) for r in rows), (path, match)
    for r in rows:
        if all(r[k] == v for k, v in match.items()):
            r.update(changes)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_validate_make_and_make_test_each_report_every_rule(copy):
    from analysis.clean.rules import RULES

    repo = copy
    notebook = add_testcity(repo, BROKEN, write=False, execute=True)  # scaffolded and run once, as new-source does
    rel_nb = notebook.relative_to(repo).as_posix()
    seen: dict[str, set[str]] = {"validate": set(), "make": set(), "make test": set()}

    def tags(text: str) -> set[str]:
        return set(re.findall(r"\[(\w+)\] (?:data|notebooks)/", text)) & set(RULES)

    # A figure list that breaks rules: validate lists every problem, make stops at the notebook with the same
    # list (nothing written), make test's nbval fails on the notebook with it.
    v = in_repo(repo, "-m", "analysis", "validate", SID, check=False)
    assert v.returncode == 2 and "Traceback" not in v.stderr
    seen["validate"] |= tags(v.stderr)
    m = make_in(repo, check=False)
    assert m.returncode == 1 and f"FAILED {rel_nb}" in m.stdout and "Traceback" not in m.stdout
    seen["make"] |= tags(m.stdout)
    t = make_test_in(repo, "tests/clean/test_data.py", rel_nb)
    assert t.returncode != 0
    seen["make test"] |= tags(t.stdout)
    assert all(set(BROKEN_RULES) <= s for s in seen.values()), seen
    for line in v.stderr.splitlines()[1:]:  # plain lines naming the file, the row and the figure's indicator
        assert re.match(rf"\[\w+\] data/clean/{SID}\.csv row \d+ \(\w+\): ", line), line

    # A number neither taken nor dismissed: the notebook writes (and shows it); validate, make and make test refuse.
    fill_lists(notebook, TESTCITY_FIGURES.replace('    Fig("vocational_training", "开展职业技能培训1.5万人次"),\n', ""))
    for tool, out in (("validate", in_repo(repo, "-m", "analysis", "validate", SID, check=False)),
                      ("make", make_in(repo, check=False))):  # make test: the ledger edit below leaves a number open
        assert out.returncode != 0, (tool, out.stdout[-2000:])
        seen[tool] |= tags(out.stdout + out.stderr)

    # Good lists, made; then hand edits of what make wrote, one per remaining rule.
    fill_lists(notebook, TESTCITY_FIGURES)
    assert make_in(repo).returncode == 0
    clean, ledger = repo / f"data/clean/{SID}.csv", repo / f"data/clean/ledger/{SID}.csv"
    _csv_edit(clean, {"indicator": "new_urban_jobs"}, status="done")  # schema
    _csv_edit(clean, {"indicator": "vocational_training"}, value="16000")  # provenance
    _csv_edit(clean, {"indicator": "schools_started"}, flags="")  # parts
    _csv_edit(clean, {"indicator": "schools_completed"}, note="edited by hand")  # as_built
    _csv_edit(clean, {"indicator": "schools_planned"}, unit="items", quote="计划新增学位,学校3所")  # unit_words
    _csv_edit(ledger, {"match": "74.7%"}, raw_start="1")  # ledger
    _csv_edit(ledger, {"match": "1.5万人次"}, account="open", row_indicator="", row_figure_start="")  # accounted
    package = repo / "data/clean/datapackage.json"
    pkg = json.loads(package.read_text(encoding="utf-8"))
    pkg["resources"] = [r for r in pkg["resources"] if r["path"] != f"ledger/{SID}.csv"]
    package.write_text(json.dumps(pkg), encoding="utf-8")  # datapackage
    other = next(p for p in (repo / "data/clean/ledger").glob("*.csv") if p.stem != SID)
    other.unlink()  # files (another source's ledger)
    v = in_repo(repo, "-m", "analysis", "validate", SID, check=False)  # right lists, files that are not what they write
    assert v.returncode == 0 and "not what they produce yet: run `make`" in v.stdout
    seen["validate"] |= tags(v.stdout)
    v2 = in_repo(repo, "-m", "analysis", "validate", other.stem, check=False)
    seen["validate"] |= tags(v2.stdout + v2.stderr)
    t = make_test_in(repo, "tests/clean/test_data.py")
    assert t.returncode != 0
    seen["make test"] |= tags(t.stdout)
    m = make_in(repo, check=False)  # make rebuilds what is not what its notebook wrote, and says so, file by file
    for path in (clean, ledger, package, other):
        assert f"{path.relative_to(repo).as_posix()} is not what" in m.stdout, m.stdout
    seen["make"] |= tags(m.stdout)  # ... with every rule the edited files broke as they stood
    assert m.returncode == 0  # and all is well again:
    from analysis.clean.validate import check_all

    assert check_all(repo) == []  # the rulebook on the copy (this process; the copy's package is this checkout's)
    for tool, rules in seen.items():
        assert rules >= set(RULES) - ({"as_built"} if tool == "validate" else set()), (tool, set(RULES) - rules)
