"""Each rule of the rulebook finds its violation, names the file (and row or figure), and stays quiet on
good data. A fictional source is written into a scratch folder; each case breaks one rule."""

import csv
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from analysis.clean.rules import RULES, RulebookError
from analysis.clean.validate import check_source, validate_figures

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import ROOT, add_testcity  # noqa: E402
from conftest import TESTCITY_FIGURES as FIGURES

SID = "testcity_2021h1_zh"
CSV = f"data/clean/{SID}.csv"
LEDGER = f"data/clean/ledger/{SID}.csv"


def _edit_csv(root: Path, rel: str, where: dict, **changes) -> None:
    path = root / rel
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    hit = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert hit, (rel, where)
    for r in hit:
        r.update(changes)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _raw(root: Path) -> str:
    return (root / f"data/raw/{SID}.txt").read_bytes().decode("utf-8")


def _drop_from_datapackage(root: Path) -> None:
    path = root / "data/clean/datapackage.json"
    pkg = json.loads(path.read_text(encoding="utf-8"))
    pkg["resources"] = [r for r in pkg["resources"] if r["path"] != f"ledger/{SID}.csv"]
    path.write_text(json.dumps(pkg), encoding="utf-8")


# rule -> how a hand edit of the committed files breaks it
HAND_EDITS = {
    "schema": lambda r: _edit_csv(r, CSV, {"indicator": "new_urban_jobs"}, status="done"),
    "provenance": lambda r: _edit_csv(r, CSV, {"indicator": "new_urban_jobs"}, value="93000"),
    "denominator": lambda r: _edit_csv(r, CSV, {"indicator": "livelihood_spending_share"}, denominator="not_stated"),
    "status_words": lambda r: _edit_csv(r, CSV, {"indicator": "schools_planned"}, status="result"),
    "scope_words": lambda r: _edit_csv(r, CSV, {"indicator": "schools_started"}, scope=""),
    "indicator_words": lambda r: _edit_csv(r, CSV, {"indicator": "schools_completed"}, indicator="schools_planned"),
    "period_words": lambda r: _edit_csv(r, CSV, {"indicator": "new_urban_jobs"}, period="2021",
                                        quote="今年上半年,全市城镇新增就业9.2万人", quote_start=str(_raw(r).index("今年上半年"))),
    "unit_words": lambda r: _edit_csv(r, CSV, {"indicator": "schools_planned"}, unit="items", quote="计划新增学位,学校3所"),
    "school_scope": lambda r: _edit_csv(r, CSV, {"indicator": "schools_started"}, scope=""),
    "parts": lambda r: _edit_csv(r, CSV, {"indicator": "schools_started"}, flags=""),
    "ledger": lambda r: _edit_csv(r, LEDGER, {"match": "1.5万人次"}, raw_start="1"),
    "accounted": lambda r: _edit_csv(r, LEDGER, {"match": "1.5万人次"}, account="open", row_indicator="",
                                     row_figure_start=""),
    "files": lambda r: (r / LEDGER).unlink(),
    "as_built": lambda r: _edit_csv(r, CSV, {"indicator": "new_urban_jobs"}, note="edited by hand"),
    "datapackage": _drop_from_datapackage,
}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """A scratch folder (data/ and notebooks/) holding the fictional source, written once for the module."""
    root = tmp_path_factory.mktemp("rules")
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    for f in ("codebook.csv", "vocabularies.csv", "comparisons.csv"):
        shutil.copy(ROOT / "data" / f, root / "data" / f)
    (root / "notebooks").mkdir()
    add_testcity(root)
    return root


@pytest.fixture
def scratch(written, tmp_path) -> Path:
    """A copy of ``written`` that a test may break."""
    return Path(shutil.copytree(written, tmp_path / "r"))


def test_every_rule_has_a_case():
    assert set(HAND_EDITS) == set(RULES)


def test_good_data_break_no_rule(scratch):
    data_repo = scratch
    assert check_source(SID, data_repo) == []
    assert "figures found, parsed and checked" in validate_figures(SID, data_repo)


@pytest.mark.parametrize("rule", sorted(HAND_EDITS))
def test_a_hand_edit_breaking_a_rule_is_reported_by_check_and_validate(scratch, rule):
    data_repo = scratch
    HAND_EDITS[rule](data_repo)
    found = check_source(SID, data_repo)
    assert rule in {p.rule for p in found}, [str(p) for p in found]
    for p in found:  # each names its file; row rules their row and indicator
        assert re.match(r"data/|notebooks/", p.file) and str(p).startswith(f"[{p.rule}] {p.file}")
        if RULES[p.rule].level == "rows" and p.rule not in ("parts",):
            assert re.search(r"row \d+", str(p)) and re.search(r"\w+_\w+", p.indicator or str(p))
    if RULES[rule].level != "source" or rule in ("as_built", "files"):  # right lists; files not what they write,
        said = validate_figures(SID, data_repo)  # or not there: run make
        # ... and what else they break as they stand (not numbers an older ledger left open: make settles those)
        assert "run `make` to write them" in said and (rule in ("as_built", "accounted") or f"[{rule}]" in said)
    else:
        with pytest.raises(Exception, match=re.escape(f"[{rule}]")):
            validate_figures(SID, data_repo)




# rule -> a figure list that breaks it (what a researcher may type): clean_source refuses it, validate lists it
LIST_EDITS = {
    "status_words": FIGURES.replace('Fig("schools_planned", "计划新建学校3所")',
                                             'Fig("schools_planned", "计划新建学校3所", status="result", note="built")'),
    "scope_words": FIGURES.replace('"新开工中小学、幼儿园12所")', '"新开工中小学、幼儿园12所", scope="")'),
    "school_scope": FIGURES.replace('"新开工中小学、幼儿园12所")', '"新开工中小学、幼儿园12所", scope="")'),
    "denominator": FIGURES.replace('"民生支出占财政支出比重74.7%")', '"民生支出占财政支出比重74.7%", denominator="not_stated")'),
    "accounted": FIGURES.replace('    Fig("vocational_training", "开展职业技能培训1.5万人次"),\n', ""),
}


@pytest.mark.parametrize("rule", sorted(LIST_EDITS))
def test_a_figure_list_breaking_a_rule_is_refused_before_anything_is_written(data_repo, testcity, rule):
    from analysis.clean.figure_lists import figure_list
    from analysis.clean.observations import clean_source

    testcity.add(data_repo, LIST_EDITS[rule], write=False)
    with pytest.raises(RulebookError, match=re.escape(f"[{rule}] {CSV if rule != 'accounted' else LEDGER}")) as e:
        validate_figures(SID, data_repo)
    assert rule in {p.rule for p in e.value.problems}
    lists = figure_list(SID, data_repo)
    if rule == "accounted":  # an open number is shown by the notebook, and refused by validate, make and the tests
        clean_source(SID, lists["FIGURES"], root=data_repo)
        assert rule in {p.rule for p in check_source(SID, data_repo)}
    else:
        before = sorted((data_repo / "data/clean").rglob("*.csv"))
        with pytest.raises(RulebookError, match=re.escape(f"[{rule}]")):
            clean_source(SID, lists["FIGURES"], root=data_repo)
        assert sorted((data_repo / "data/clean").rglob("*.csv")) == before


def test_every_problem_is_reported_at_once(scratch):
    data_repo = scratch
    for rule in ("provenance", "denominator", "status_words", "ledger", "datapackage"):
        HAND_EDITS[rule](data_repo)
    found = {p.rule for p in check_source(SID, data_repo)}
    assert {"provenance", "denominator", "status_words", "ledger", "datapackage"} <= found


def test_a_good_list_not_yet_run_is_checked_and_told_to_run_make(data_repo, testcity):
    """A notebook stamped without its first run (new-source --no-execute) has no CSV or ledger yet: validate checks
    its lists, passes them, and says make writes the files (not an error about files nobody could have written)."""
    from analysis.clean.figure_lists import figure_list
    from analysis.clean.observations import clean_source

    testcity.add(data_repo, FIGURES, write=False)
    assert not (data_repo / CSV).exists()
    said = validate_figures(SID, data_repo)
    assert "every number accounted for" in said and "not written yet: run `make`" in said
    lists = figure_list(SID, data_repo)
    clean_source(SID, lists["FIGURES"], lists.get("DISMISSED", ()), root=data_repo)
    assert validate_figures(SID, data_repo).endswith("are what they produce")
