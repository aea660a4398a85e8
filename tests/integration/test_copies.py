"""What runs the suite in a copy of the repository: one copy, with the runner state of a full run (recorded, not
run: see ``built``), where one scenario (``walk``) does the README's walkthrough and changes one article on the way,
with one `make`; the tests read what each step left, so every notebook that must run runs once.

- Changing one article re-runs only what depends on it.
- The README's walkthrough with a Simplified and a Traditional article (one with a share whose Chinese
  label is long): both cities reach every comparison, chart and the workbook; the rulebook passes; the
  notebooks make re-ran pass nbval; every sentence printed is what the new data say.

(A figure list that breaks a rule, and hand edits that break the others: tests/integration/test_rulebook_everywhere.py.)
"""

import hashlib
import json
import os
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from analysis.suite.pipeline import dependencies, notebook_paths

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import (  # noqa: E402
    SAMPLE_ARTICLE,
    copy_repo,
    fill_lists,
    in_repo,
    make_test_in,
    record_current_in,
    run_suite,
)

# A share with a long Chinese label, as a researcher adds it for a real city (the charts wrap such labels).
LONG_SHARE = ("basic_medical_insurance_coverage_long_label,social_security,percent,Basic medical insurance coverage,"
              "城乡居民基本医疗保险参保率（含职工基本医疗保险和城乡居民基本医疗保险两项合计）,"
              "Share of residents enrolled in basic medical insurance (test row),0,100,,,share,stock,\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A copy of the repository with the runner state of one full run of the suite, recorded rather than run
    (``record_current_in``: the checkout's files are what its notebooks write, which the session proves).
    That a fresh copy runs every notebook is the runner's test
    (tests/suite/test_reliability.py::test_item01_a_fresh_copy_runs_everything_unless_recorded_current);
    that the runner's kernels write into the copy, the walkthrough's (the copy's charts and notebooks)."""
    repo = copy_repo(tmp_path_factory.mktemp("built") / "repo")
    with (repo / "data/codebook.csv").open("a", encoding="utf-8") as f:  # a row no seed uses: nothing reads it yet
        f.write(LONG_SHARE)
    record_current_in(repo)
    return repo


def _dependents(paths: list[Path], changed: set[Path]) -> set[Path]:
    """``changed`` and every notebook that reads, directly or not, what they write."""
    deps, out = dependencies(paths), set(changed)
    while grown := {b for b, a in deps.items() if a & out} - out:
        out |= grown
    return out


# -- the README's walkthrough ----------------------------------------------------------------------------------

ARTICLE = SAMPLE_ARTICLE.replace("{city}", "范例")  # {jobs} is filled per run
HANS = ["--source-id", "samplecity_2021h1_zh", "--city-en", "Samplecity", "--city-zh", "范例", "--admin-level", "prefecture",
        "--province", "Jiangsu", "--language", "zh-Hans", "--published", "2021-07-20", "--period", "2021-H1",
        "--kind", "results", "--outlet", "范例日报 (test article)", "--body-start", "今年上半年", "--body-end", "(记者 张三)"]
FIGURES = '''FIGURES = [
    Fig("new_urban_jobs", "全市城镇新增就业{jobs}万人"),
    Fig("livelihood_spending_share", "民生支出占财政支出比重74.7%"),
    Fig("vocational_training", "开展职业技能培训1.5万人次"),
    Fig("startup_loans", "发放创业担保贷款2.6亿元"),
    Fig("schools_started", "新开工中小学、幼儿园12所"),
    Fig("schools_completed", "已竣工5所"),
    Fig("school_seats_added", "新增学位8600个"),
    Fig("teachers_recruited", "招聘教师850名"),
]'''
ARTICLE_HANT = """首頁 | 新聞 | 熱線:0516-12345
示範市上半年民生工作綜述
今年上半年,全市城鎮新增就業3.1萬人,公益性崗位安置2300人。民生支出占一般公共預算支出比重達78.2%。城鄉居民基本醫療保險參保率達98.5%。
全市新開工中小學(幼兒園)8所,已竣工中小學(幼兒園)6所,新增學位5200個,招聘教師420名。
(通訊員 李四)
"""
HANT = ["--source-id", "demotown_2021h1_zht", "--city-en", "Demotown", "--city-zh", "示范市", "--admin-level", "Prefecture",
        "--province", "Jiangsu", "--language", "zh-hant", "--published", "unknown", "--accessed", "2026-11-30",
        "--period", "2021-h1", "--kind", "Results", "--outlet", "示範日報 (test article)", "--body-start", "今年上半年",
        "--body-end", "(通訊員 李四)", "--population", "2100000", "--population-source", "示范市第七次全国人口普查公报 (test)"]
FIGURES_HANT = '''FIGURES = [
    Fig("new_urban_jobs", "全市城鎮新增就業3.1萬人"),
    Fig("public_welfare_posts", "公益性崗位安置2300人"),
    Fig("livelihood_spending_share", "民生支出占一般公共預算支出比重達78.2%"),
    Fig("basic_medical_insurance_coverage_long_label", "城鄉居民基本醫療保險參保率達98.5%"),
    Fig("schools_started", "全市新開工中小學(幼兒園)8所"),
    Fig("schools_completed", "已竣工中小學(幼兒園)6所"),
    Fig("school_seats_added", "新增學位5200個"),
    Fig("teachers_recruited", "招聘教師420名"),
]'''
READ_BACK = """
import json, math
import analysis
from openpyxl import load_workbook
from analysis.compare import tables
obs = analysis.load_observations()
out = {"sentences": {}}
wb = load_workbook("figures/livelihood_comparison.xlsx")
out["books"] = {ws.title: [str(c.value) for r in ws.iter_rows() for c in r] for ws in wb}
t = tables.comparison_table(obs, "new_urban_jobs").set_index("place_en")
out["per_10k"] = [None if math.isnan(t.at[p, "per_10k"]) else float(t.at[p, "per_10k"]) for p in ("Demotown", "Samplecity")]
for nb, name in (("20_compare_spending_share", "spending"), ("21_compare_employment", "employment"),
                 ("22_compare_education", "education")):
    said = out["sentences"][nb] = [tables.summary(tables.comparison_table(obs, tables.comparison_indicators(name)))]
    for metric, chart in (("value", "absolute"), ("per_10k", "per_10k")):
        inds = tables.comparison_indicators(name, chart=chart)
        if inds:
            table = tables.comparison_table(obs, inds)
            said += [tables.chart_title(table, metric), tables.chart_subtitle(table, metric)]
print(json.dumps(out))
"""


XUZHOU = "data/raw/2020-08-04_xuzhou_h1-results_zh-hant.txt"


@pytest.fixture(scope="module")
def walk(built, tmp_path_factory) -> SimpleNamespace:
    """The README's walkthrough in a copy of ``built``, as a researcher does it, with one more change on the way:
    an article already in the manifest gets new website furniture after its body (and its new checksum), so the one
    `make` of the walkthrough also shows that changing one article re-runs only what depends on it. Each step's
    result is kept for the tests below (one scenario, one set of notebook runs; the tests read what it left)."""
    tmp, repo = tmp_path_factory.mktemp("walk"), built
    w = SimpleNamespace(repo=repo, runs={})
    w.runs["up to date"] = run_suite(repo)  # the copy of a built copy is up to date: nothing runs
    raw = repo / XUZHOU
    os.utime(raw, None)
    w.runs["touched"] = run_suite(repo)  # touched, not changed: content hashes say nothing changed

    # The new Simplified city leads on new urban jobs, whatever the manifest already holds.
    import analysis

    o = analysis.load_observations(repo)  # in this process (the copy's data, by root=): a process less
    w.jobs = f"{int(o.loc[o['indicator'] == 'new_urban_jobs', 'value'].max()) // 10_000 + 5:g}"  # in 万, above every one
    hans, hant = tmp / "samplecity.txt", tmp / "demotown.txt"
    hans.write_text(ARTICLE.format(jobs=w.jobs), encoding="utf-8")
    hant.write_text(ARTICLE_HANT, encoding="utf-8")
    # 1. Scaffold (codes in any case; an unknown published date with the date it was read; a population).
    w.scaffolded = []
    # The first city's notebook runs once with empty lists, as new-source does; the second is stamped without running
    # (--no-execute, docs/adding-a-city.md): make runs both next.
    for article, args, figures in ((hans, HANS, FIGURES.format(jobs=w.jobs)), (hant, [*HANT, "--no-execute"], FIGURES_HANT)):
        out = in_repo(repo, "-m", "analysis", "new-source", str(article), *args)
        notebook = repo / out.stdout.split(": ", 1)[1].split(" is ready")[0].strip()
        sid = args[args.index("--source-id") + 1]
        proposed = in_repo(repo, "-m", "analysis", "propose", sid).stdout  # the lines to copy from
        fill_lists(notebook, figures)  # 2. fill the figure list
        checked = in_repo(repo, "-m", "analysis", "validate", sid).stdout
        w.scaffolded.append(SimpleNamespace(sid=sid, notebook=notebook, article=article, proposed=proposed,
                                            checked=checked))

    # The article already in the manifest changes (furniture after its body), with its checksum.
    old = hashlib.sha256(raw.read_bytes()).hexdigest()
    raw.write_bytes(raw.read_bytes() + "\n推薦閱讀: 2020年8月5日\n".encode())
    manifest = repo / "data/raw/sources.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(old, hashlib.sha256(raw.read_bytes()).hexdigest()),
                        encoding="utf-8")
    w.changed = {next((repo / "notebooks").glob("*_clean_xuzhou_2020h1_zh.ipynb"))}

    # 3. make: only the new notebooks, the changed article's and what reads their data run.
    w.runs["make"] = run_suite(repo)
    w.runs["again"] = run_suite(repo)  # what a real run records makes the next run a no-op
    w.touched = sorted(p for p in notebook_paths(repo / "notebooks") if p.stem.split("_")[0] in w.runs["make"])
    # one process reads back what a researcher and a report author would: workbook, per-capita values and every
    # sentence the analysis notebooks print (each chart title they show)
    w.read = json.loads(in_repo(repo, "-c", READ_BACK).stdout)
    # 4. make test, on what make re-ran: the rulebook's data test, the tests that read the committed data (the long
    # label is wrapped in the per-capita chart) and nbval on every notebook make re-ran.
    w.make_test = make_test_in(repo, "tests/clean/test_data.py", "tests/compare/test_publish.py::"
                               "test_a_share_in_a_per_capita_chart_says_why_it_has_no_per_capita_value",
                               *[p.relative_to(repo).as_posix() for p in w.touched])
    return w


def test_changing_one_article_reruns_only_what_depends_on_it(walk):
    repo = walk.repo
    assert walk.runs["up to date"] == set() and walk.runs["touched"] == set()
    new = {s.notebook for s in walk.scaffolded}
    expected = _dependents(notebook_paths(repo / "notebooks"), walk.changed | new)
    assert not any("_clean_" in p.stem for p in expected - walk.changed - new)  # no other source is cleaned again
    assert any("_compare_" in p.stem for p in expected)
    assert walk.runs["make"] == {p.stem.split("_")[0] for p in expected}  # its cleaning notebook and what reads its data
    assert walk.runs["again"] == set()
    # furniture after the body changes nothing the article says
    assert (repo / "data/clean/xuzhou_2020h1_zh.csv").read_bytes() == (ROOT / "data/clean/xuzhou_2020h1_zh.csv").read_bytes()


def test_readme_walkthrough_adds_two_cities_and_what_they_touch_stays_green(walk):
    repo = walk.repo
    for s in walk.scaffolded:
        assert s.notebook.name.endswith(f"_clean_{s.sid}.ipynb")
        assert (repo / f"data/raw/{s.sid}.txt").read_bytes() == s.article.read_bytes()
        assert s.proposed.count("Fig(") >= 7
        assert "figures found, parsed and checked" in s.checked and "every number accounted for" in s.checked
    manifest = (repo / "data/raw/sources.csv").read_text(encoding="utf-8")
    assert ",zh-Hant,," in manifest and ",2021-H1,results," in manifest and ",,2026-11-30," in manifest  # normalised

    touched = walk.touched
    assert any("samplecity" in p.stem for p in touched) and any("demotown" in p.stem for p in touched)
    places = {"Samplecity": "范例", "Demotown": "示范市"}
    for nb in ("20_compare_spending_share", "21_compare_employment", "22_compare_education"):
        saved = (repo / f"notebooks/{nb}.ipynb").read_text(encoding="utf-8")
        assert all(p in saved for p in places), nb
    charts = sorted((repo / "figures").glob("*_en.svg"))
    assert charts
    for svg in charts:  # each bar's SVG id is place|indicator|status|doubtful
        text = svg.read_text(encoding="utf-8")
        needed = ["Demotown"] if "per10k" in svg.name else list(places)  # Samplecity has no population figure
        assert all(f'id="{p}|' in text for p in needed), svg.name
    read = walk.read  # the rulebook on every source is step 4's tests/clean/test_data.py (what check_all runs)
    for sheet in ("spending", "employment", "education"):
        assert set(places) <= set(read["books"][sheet]), sheet
    assert read["per_10k"][0] == pytest.approx(31_000 / 2_100_000 * 10_000, abs=0.01) and read["per_10k"][1] is None

    # Every sentence the analysis notebooks print, and every chart title they show, is what the new data says.
    sentences = read["sentences"]
    # the new cities' results and the seeds' are of different periods: the subtitle says so, the title ranks nothing
    assert any("periods" in s and "differ: not like for like" in s for s in sentences["21_compare_employment"]), sentences
    assert not any("largest" in s for s in sentences["21_compare_employment"]), sentences
    assert any("of fiscal spending" in s for s in sentences["20_compare_spending_share"])  # a different whole, said
    for nb, wanted in sentences.items():
        saved = json.loads((repo / f"notebooks/{nb}.ipynb").read_text(encoding="utf-8"))
        shown = "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/markdown", ""))
                          + "".join(o.get("data", {}).get("text/plain", ""))
                          for c in saved["cells"] for o in c.get("outputs", []))
        for sentence in wanted:
            assert sentence in shown, (nb, sentence)

    # 4. make test on what make re-ran passes: the rulebook's data test, the long label's chart test, nbval.
    out = walk.make_test
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]
    assert not re.search(r"\d+ (failed|error)", out.stdout)
    cells = re.findall(r"^(notebooks/\S+\.ipynb): (\d+) cells ok", out.stdout, re.M)
    assert {c[0] for c in cells} == {p.relative_to(repo).as_posix() for p in touched}, out.stdout[-3000:]
