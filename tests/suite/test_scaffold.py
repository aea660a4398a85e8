"""A researcher adds a city: bad metadata is refused with nothing written; codes in any case, a headline above the
body and an unknown date are understood (the walkthrough itself: tests/integration/test_copies.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import SAMPLE_ARTICLE, copy_repo  # noqa: E402

ARTICLE = SAMPLE_ARTICLE.format(city="样例", jobs="9.2")
GOOD = ["--source-id", "testcity_2021h1_zh", "--city-en", "Testcity", "--city-zh", "样例", "--admin-level", "prefecture",
        "--province", "Jiangsu", "--language", "zh-Hans", "--published", "2021-07-20", "--period", "2021-H1",
        "--kind", "results", "--outlet", "样例日报 (test article)", "--body-start", "今年上半年", "--body-end", "(记者 张三)"]


def repo_env(repo: Path) -> dict:
    """The repo copy's own package and outputs (not the test session's MINSHENG_OUTPUT_ROOT)."""
    return {**{k: v for k, v in os.environ.items() if k != "MINSHENG_OUTPUT_ROOT"}, "PYTHONPATH": str(repo)}


def _cli(repo: Path, args: list[str]):
    return subprocess.run([sys.executable, "-m", "analysis", "new-source", *args], cwd=repo, capture_output=True,
                          text=True, env=repo_env(repo), timeout=300)


def _snapshot(repo: Path) -> dict:
    return {str(p.relative_to(repo)): p.read_bytes() for d in ("data/raw", "notebooks") for p in (repo / d).rglob("*") if p.is_file()}


# each case: the options changed from GOOD, and what stderr must say (None: accepted)
BAD = [
    ({"--language": "zh"}, "--language 'zh': one of en, zh-Hans, zh-Hant"),
    ({"--period": "H1 2021"}, "--period 'H1 2021'"),
    ({"--outlet": ""}, "--outlet is required"),
    ({"--source-id": "xuzhou_2020h1_zh"}, "already in data/raw/sources.csv"),
    ({"--source-id": "Testcity 2021"}, "use lower-case letters"),
    ({"--kind": "plan"}, "--kind 'plan'"),
    ({"--published": "20 July 2021"}, "an ISO date"),
    ({"--parent-en": "Atlantis"}, "--parent-en 'Atlantis' is not a place"),
    ({"--city-en": "Xuzhou"}, "Xuzhou is already in data/raw/places.csv with other metadata"),
    ({"--body-start": "", "--body-end": ""}, None),  # first/last line of this page are furniture, but unique: accepted
    ({"--body-start": "体育"}, "body_starts_with '体育' not found"),
    ({"--body-end": "。"}, "body_ends_with '。' matches 2 lines"),
    ({"--url": "www.example.gov.cn/a b.html"}, "--url 'www.example.gov.cn/a b.html': a web address"),
]

# new-source on each case of BAD, in one process in one repo copy: the command line's own main() (what
# `python -m analysis new-source` runs; its entry() only exits with main's code), each case's exit code, stderr and
# whether data/raw and notebooks/ are unchanged (a refusal writes nothing, so the next case finds the same copy;
# the accepted cases run last). One process instead of one per case: the same calls, without 12 interpreter starts.
BATCH = """
import contextlib, io, json, sys
from pathlib import Path
from analysis.suite.cli import main

def snapshot():
    return {str(p): p.read_bytes() for d in ("data/raw", "notebooks") for p in Path(d).rglob("*") if p.is_file()}

out = []
for argv in json.loads(sys.argv[1]):
    before, err = snapshot(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as e:  # argparse's own refusals
            code = e.code
    out.append({"code": code, "stderr": err.getvalue(), "unchanged": snapshot() == before})
print(json.dumps(out))
"""


def _args(change: dict) -> list[str]:
    args = list(GOOD)
    for k, v in change.items():
        if k in args:
            args[args.index(k) + 1] = v
        else:
            args += [k, v]
    return args


@pytest.fixture(scope="module")
def bad_metadata(tmp_path_factory) -> dict:
    """Each case of BAD (by its position) -> new-source's exit code, stderr and whether nothing changed."""
    import json

    tmp = tmp_path_factory.mktemp("bad_metadata")
    repo = copy_repo(tmp / "repo")
    article = tmp / "testcity.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    order = sorted(range(len(BAD)), key=lambda n: BAD[n][1] is None)  # refusals first, then what is accepted
    argvs = [["new-source", str(article), *_args(BAD[n][0]), "--no-execute"] for n in order]
    out = subprocess.run([sys.executable, "-c", BATCH, json.dumps(argvs)], cwd=repo, capture_output=True, text=True,
                         env=repo_env(repo), timeout=300)
    assert out.returncode == 0, out.stderr[-4000:]
    return dict(zip(order, json.loads(out.stdout), strict=True))


@pytest.mark.parametrize("change, message", BAD)
def test_bad_metadata_is_refused_and_nothing_changes(bad_metadata, change, message):
    out = bad_metadata[BAD.index((change, message))]
    if message is None:
        assert out["code"] == 0, out["stderr"]
        return
    assert out["code"] == 2 and "nothing written" in out["stderr"] and message in out["stderr"], out["stderr"]
    assert out["unchanged"]


def test_the_url_licence_and_citation_a_researcher_gives_go_into_the_manifest(repo_copy, tmp_path):
    """Issue 22 item 5: new-source takes where the article stands, its terms and how to cite it."""
    import csv

    article = tmp_path / "testcity.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    given = {"--url": "https://www.example.gov.cn/art/2021/7/20/1.html", "--licence": "© 样例日报; reuse with attribution",
             "--citation": "样例日报, 2021-07-20, 上半年民生实事"}
    out = _cli(repo_copy, [str(article), *GOOD, *[x for kv in given.items() for x in kv], "--no-execute"])
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader((repo_copy / "data/raw/sources.csv").open(encoding="utf-8")))
    row = next(r for r in rows if r["source_id"] == "testcity_2021h1_zh")
    assert (row["url"], row["licence"], row["citation"]) == tuple(given.values())


def test_not_utf8_is_refused(repo_copy, tmp_path):
    article = tmp_path / "gbk.txt"
    article.write_bytes(ARTICLE.encode("gbk"))
    before = _snapshot(repo_copy)
    out = _cli(repo_copy, [str(article), *GOOD, "--no-execute"])
    assert out.returncode == 2 and "is not UTF-8" in out.stderr
    assert _snapshot(repo_copy) == before


def test_codes_in_any_case_a_headline_above_the_body_and_an_unknown_date(scratch_repo, tmp_path):
    from analysis.suite.scaffold import NewSource, ScaffoldError, plan

    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    base = dict(article=article, source_id="testcity_2021h1_zh", city_en="Testcity", city_zh="样例", admin_level="Prefecture",
                province="Jiangsu", language="ZH-hans", published="unknown", accessed="2026-11-30", period="2021-h1",
                kind="RESULTS", outlet="test", body_start="今年上半年", body_end="(记者 张三)")
    row = plan(NewSource(**base), root=scratch_repo)["row"]
    assert (row["language"], row["kind"], row["admin_level"], row["period"]) == ("zh-Hans", "results", "prefecture", "2021-H1")
    assert row["published"] == "" and row["accessed"] == "2026-11-30" and row["path"] == "data/raw/testcity_2021h1_zh.txt"
    assert row["title"] == "样例市上半年民生实事进展顺利"  # the line above the body, not the page's navigation
    with pytest.raises(ScaffoldError, match="--published is required: .*never invented"):
        plan(NewSource(**{**base, "accessed": ""}), root=scratch_repo)
    with pytest.raises(ScaffoldError, match="--population needs --population-source"):
        plan(NewSource(**{**base, "population": "4987000"}), root=scratch_repo)
    with pytest.raises(ScaffoldError, match="--population 'many': a whole number"):
        plan(NewSource(**{**base, "population": "many", "population_source": "x"}), root=scratch_repo)


@pytest.mark.parametrize("byline", ["来源：样例日报　发布时间：2021-07-20 09:30", "2021-07-20 09:30 來源：示範日報",
                                    "【字号 大 中 小】", "作者: 张三  编辑: 李四", "Source: Sample Daily | Published: 2021-07-20"])
def test_the_default_title_is_the_headline_not_the_byline_under_it(scratch_repo, tmp_path, byline):
    from analysis.suite.scaffold import NewSource, plan

    article = tmp_path / "a.txt"
    article.write_text(ARTICLE.replace("样例市上半年民生实事进展顺利\n", f"样例市上半年民生实事进展顺利\n{byline}\n"), encoding="utf-8")
    src = NewSource(article=article, source_id="testcity_2021h1_zh", city_en="Testcity", city_zh="样例",
                    admin_level="prefecture", province="Jiangsu", language="zh-Hans", published="2021-07-20",
                    period="2021-H1", kind="results", outlet="test", body_start="今年上半年", body_end="(记者 张三)")
    assert plan(src, root=scratch_repo)["row"]["title"] == "样例市上半年民生实事进展顺利"


def test_cleaning_notebook_numbers_last_beyond_fifty_cities(tmp_path):
    """15-19 and 150-199 hold 55 cleaning notebooks; the 56th city gets 1500, which still sorts before the analysis
    notebooks (20-23), and a number in use is never given twice."""
    from analysis.suite.scaffold import _next_notebook_number

    for n in [*range(15, 20), *range(150, 200)]:
        (tmp_path / f"{n}_clean_x{n}.ipynb").write_text("{}", encoding="utf-8")
    assert _next_notebook_number(tmp_path) == "1500"
    (tmp_path / "1500_clean_y.ipynb").write_text("{}", encoding="utf-8")
    assert _next_notebook_number(tmp_path) == "1501"
    assert sorted(["14_clean_a.ipynb", "1500_clean_y.ipynb", "20_compare.ipynb"]) == \
        ["14_clean_a.ipynb", "1500_clean_y.ipynb", "20_compare.ipynb"]
