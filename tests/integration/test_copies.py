"""What runs the suite in a copy of the repository. One copy and one full run are made for the module and
shared (each test works on a copy of that copy, its runner state included), so the notebooks run once in
all, and then only what each test changes.

- Changing one article re-runs only what depends on it.
- The README's walkthrough with a Simplified and a Traditional article (one with a share whose Chinese
  label is long): both cities reach every comparison, chart and the workbook; the rulebook passes; the
  notebooks they touch pass nbval; every sentence printed is what the new data say.
- A figure list that breaks a rule, and hand edits that break the others: ``validate``, ``make`` and
  ``make test``'s checks (the rulebook's data test and nbval) each report them.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.suite.pipeline import dependencies, notebook_paths

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import TESTCITY_FIGURES, add_testcity, copy_repo, fill_lists, repo_env, run_suite  # noqa: E402

# A share with a long Chinese label, as a researcher adds it for a real city (the charts wrap such labels).
LONG_SHARE = ("basic_medical_insurance_coverage_long_label,social_security,percent,Basic medical insurance coverage,"
              "城乡居民基本医疗保险参保率（含职工基本医疗保险和城乡居民基本医疗保险两项合计）,"
              "Share of residents enrolled in basic medical insurance (test row),0,100,,,share,stock,\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A copy of the repository after one full run of the suite (every notebook executed in the copy)."""
    repo = copy_repo(tmp_path_factory.mktemp("built") / "repo")
    with (repo / "data/codebook.csv").open("a", encoding="utf-8") as f:  # a row no seed uses: nothing reads it yet
        f.write(LONG_SHARE)
    copied = (repo / "data/clean/linyi_2022plan_en.csv").stat().st_mtime_ns
    every = {p.stem.split("_")[0] for p in notebook_paths(repo / "notebooks")}
    assert run_suite(repo) == every  # a fresh copy runs all
    assert (repo / "data/clean/linyi_2022plan_en.csv").stat().st_mtime_ns > copied  # kernels wrote into the copy
    return repo


@pytest.fixture
def copy(built, tmp_path) -> Path:
    dst = tmp_path / "repo"
    shutil.copytree(built, dst, symlinks=True)
    return dst


def _python(repo: Path, *args: str, check: bool = True, timeout: int = 900, env: dict | None = None):
    out = subprocess.run([sys.executable, *args], cwd=repo, capture_output=True, text=True,
                         env=env or repo_env(repo), timeout=timeout)
    assert not check or out.returncode == 0, (args, out.stdout[-4000:], out.stderr[-4000:])
    return out


def _run(repo: Path, check: bool = True):
    return _python(repo, "-m", "analysis", "run", check=check)


def _pytest(repo: Path, *targets: str):
    """What `make test` runs, on the given targets, in the copy (its own conftest: outputs to a temp copy)."""
    xdist = [] if any(t.endswith(".ipynb") for t in targets) else ["-n", "0"]  # one process for a data test
    return _python(repo, "-m", "pytest", *xdist, *targets, check=False)


def _dependents(paths: list[Path], changed: Path) -> set[Path]:
    """``changed`` and every notebook that reads, directly or not, what it writes."""
    deps, out = dependencies(paths), {changed}
    while grown := {b for b, a in deps.items() if a & out} - out:
        out |= grown
    return out


def test_changing_one_article_reruns_only_what_depends_on_it(copy):
    repo = copy
    assert run_suite(repo) == set()  # nothing changed (the copy of a built copy is up to date): nothing runs
    raw = repo / "data/raw/2020-08-04_xuzhou_h1-results_zh-hant.txt"
    os.utime(raw, None)
    assert run_suite(repo) == set()  # touched, not changed: content hashes say nothing changed
    raw.write_bytes(raw.read_bytes() + "\n推薦閱讀: 2020年8月5日\n".encode())  # new furniture after the body
    manifest = repo / "data/raw/sources.csv"
    old = hashlib.sha256((ROOT / "data/raw/2020-08-04_xuzhou_h1-results_zh-hant.txt").read_bytes()).hexdigest()
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(old, hashlib.sha256(raw.read_bytes()).hexdigest()),
                        encoding="utf-8")
    cleaning = next((repo / "notebooks").glob("*_clean_xuzhou_2020h1_zh.ipynb"))
    expected = _dependents(notebook_paths(repo / "notebooks"), cleaning)
    assert not any("_clean_" in p.stem for p in expected - {cleaning})  # no other source is cleaned again
    assert any("_compare_" in p.stem for p in expected)
    assert run_suite(repo) == {p.stem.split("_")[0] for p in expected}  # its cleaning notebook and what reads its data
    assert (repo / "data/clean/xuzhou_2020h1_zh.csv").read_bytes() == (ROOT / "data/clean/xuzhou_2020h1_zh.csv").read_bytes()


# -- the README's walkthrough ----------------------------------------------------------------------------------

ARTICLE = """网站首页 | 新闻中心 | 联系电话:0527-84358888
范例市上半年民生实事进展顺利
今年上半年,全市城镇新增就业{jobs}万人,开展职业技能培训1.5万人次,发放创业担保贷款2.6亿元。民生支出占财政支出比重74.7%。
教育方面,新开工中小学、幼儿园12所,已竣工5所,新增学位8600个,招聘教师850名。
(记者 张三)
推荐阅读: 2021年范例GDP达3719亿元
"""
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
SUMMARIES = (
    "import json, analysis\nfrom analysis.compare import tables\nobs = analysis.load_observations()\nout = {}\n"
    "for nb, name in (('20_compare_spending_share', 'spending'), ('21_compare_employment', 'employment'), "
    "('22_compare_education', 'education')):\n"
    "    out[nb] = [tables.summary(tables.comparison_table(obs, tables.comparison_indicators(name)))]\n"
    "    for metric, chart in (('value', 'absolute'), ('per_10k', 'per_10k')):\n"
    "        inds = tables.comparison_indicators(name, chart=chart)\n"
    "        if inds:\n"
    "            out[nb].append(tables.headline(tables.comparison_table(obs, inds), metric))\n"
    "print(json.dumps(out))\n"
)


def test_readme_walkthrough_adds_two_cities_and_what_they_touch_stays_green(copy, tmp_path):
    repo = copy
    # The new Simplified city leads on new urban jobs, whatever the manifest already holds.
    before = _python(repo, "-c", "import analysis; o = analysis.load_observations(); "
                     "print(int(o.loc[o['indicator'] == 'new_urban_jobs', 'value'].max()))").stdout
    jobs = f"{int(before) // 10_000 + 5:g}"  # in 万, above every new_urban_jobs figure there is
    hans, hant = tmp_path / "samplecity.txt", tmp_path / "demotown.txt"
    hans.write_text(ARTICLE.format(jobs=jobs), encoding="utf-8")
    hant.write_text(ARTICLE_HANT, encoding="utf-8")

    # 1. Scaffold (codes in any case; an unknown published date with the date it was read; a population).
    for article, args, figures in ((hans, HANS, FIGURES.format(jobs=jobs)), (hant, HANT, FIGURES_HANT)):
        out = _python(repo, "-m", "analysis", "new-source", str(article), *args)
        notebook = repo / out.stdout.split(": ", 1)[1].split(" is ready")[0].strip()
        sid = args[args.index("--source-id") + 1]
        assert notebook.name.endswith(f"_clean_{sid}.ipynb") and (repo / f"data/raw/{sid}.txt").read_bytes() == article.read_bytes()
        proposed = _python(repo, "-m", "analysis", "propose", sid).stdout  # the lines to copy from
        assert proposed.count("Fig(") >= 7
        fill_lists(notebook, figures)  # 2. fill the figure list
        checked = _python(repo, "-m", "analysis", "validate", sid).stdout
        assert "figures found, parsed and checked" in checked and "every number accounted for" in checked
    manifest = (repo / "data/raw/sources.csv").read_text(encoding="utf-8")
    assert ",zh-Hant,," in manifest and ",2021-H1,results," in manifest and ",,2026-11-30," in manifest  # normalised

    # 3. make: only the new notebooks and what reads the data run; the rulebook passes on every source.
    ran = run_suite(repo)
    touched = sorted(p for p in notebook_paths(repo / "notebooks") if p.stem.split("_")[0] in ran)
    assert any("samplecity" in p.stem for p in touched) and any("demotown" in p.stem for p in touched)
    assert not any("_clean_" in p.stem and "samplecity" not in p.stem and "demotown" not in p.stem for p in touched)
    rulebook = _python(repo, "-c", "from analysis.clean.validate import check_all; print('\\n'.join(map(str, check_all())))")
    assert rulebook.stdout.strip() == "", rulebook.stdout

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
    books = json.loads(_python(repo, "-c", "import json; from openpyxl import load_workbook; "
                               "wb = load_workbook('figures/livelihood_comparison.xlsx'); "
                               "print(json.dumps({ws.title: [str(c.value) for r in ws.iter_rows() for c in r] for ws in wb}))").stdout)
    for sheet in ("spending", "employment", "education"):
        assert set(places) <= set(books[sheet]), sheet
    per_10k = _python(repo, "-c", "import analysis; from analysis.compare import tables; o = analysis.load_observations(); "
                      "t = tables.comparison_table(o, 'new_urban_jobs').set_index('place_en'); "
                      "print(t.at['Demotown', 'per_10k'], t.at['Samplecity', 'per_10k'])").stdout.split()
    assert float(per_10k[0]) == pytest.approx(31_000 / 2_100_000 * 10_000, abs=0.01) and per_10k[1] == "nan"

    # Every sentence the analysis notebooks print, and every chart title they show, is what the new data says.
    sentences = json.loads(_python(repo, "-c", SUMMARIES).stdout)
    assert any("Samplecity reports the largest result" in s for s in sentences["21_compare_employment"]), sentences
    assert any("of fiscal spending" in s for s in sentences["20_compare_spending_share"])  # a different whole, said
    for nb, wanted in sentences.items():
        saved = json.loads((repo / f"notebooks/{nb}.ipynb").read_text(encoding="utf-8"))
        shown = "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/markdown", ""))
                          + "".join(o.get("data", {}).get("text/plain", ""))
                          for c in saved["cells"] for o in c.get("outputs", []))
        for sentence in wanted:
            assert sentence in shown, (nb, sentence)

    # 4. make test, on what the new cities touch: the rulebook's data test, the tests that read the committed
    # data (the long label is wrapped in the per-capita chart) and nbval on every notebook make re-ran.
    out = _pytest(repo, "tests/clean/test_data.py", "tests/compare/test_publish.py::"
                  "test_a_share_in_a_per_capita_chart_says_why_it_has_no_per_capita_value",
                  *[p.relative_to(repo).as_posix() for p in touched])
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]
    assert not re.search(r"\d+ (failed|error)", out.stdout)
    cells = re.findall(r"^(notebooks/\S+\.ipynb): (\d+) cells ok", out.stdout, re.M)
    assert {c[0] for c in cells} == {p.relative_to(repo).as_posix() for p in touched}, out.stdout[-3000:]


# -- the rulebook, as validate, make and make test report it ---------------------------------------------------

SID = "testcity_2021h1_zh"
BROKEN = (TESTCITY_FIGURES
          .replace('Fig("schools_planned", "计划新建学校3所")', 'Fig("schools_planned", "计划新建学校3所", status="result", note="built")')
          .replace('"新开工中小学、幼儿园12所")', '"新开工中小学、幼儿园12所", scope="")')
          .replace('"民生支出占财政支出比重74.7%")', '"民生支出占财政支出比重74.7%", denominator="not_stated")'))
BROKEN_RULES = ("status_words", "scope_words", "school_scope", "denominator")


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
    for nb in notebook_paths(repo / "notebooks"):  # the analysis notebooks read what the rulebook guards: not needed here
        if "_clean_" not in nb.stem:
            nb.unlink()
    notebook = add_testcity(repo, BROKEN, write=False, execute=True)  # scaffolded and run once, as new-source does
    rel_nb = notebook.relative_to(repo).as_posix()
    seen: dict[str, set[str]] = {"validate": set(), "make": set(), "make test": set()}

    def tags(text: str) -> set[str]:
        return set(re.findall(r"\[(\w+)\] (?:data|notebooks)/", text)) & set(RULES)

    # A figure list that breaks rules: validate lists every problem, make stops at the notebook with the same
    # list (nothing written), make test's nbval fails on the notebook with it.
    v = _python(repo, "-m", "analysis", "validate", SID, check=False)
    assert v.returncode == 2 and "Traceback" not in v.stderr
    seen["validate"] |= tags(v.stderr)
    m = _run(repo, check=False)
    assert m.returncode == 1 and f"FAILED {rel_nb}" in m.stdout and "Traceback" not in m.stdout
    seen["make"] |= tags(m.stdout)
    t = _pytest(repo, "tests/clean/test_data.py", rel_nb)
    assert t.returncode != 0
    seen["make test"] |= tags(t.stdout)
    assert all(set(BROKEN_RULES) <= s for s in seen.values()), seen
    for line in v.stderr.splitlines()[1:]:  # plain lines naming the file, the row and the figure's indicator
        assert re.match(rf"\[\w+\] data/clean/{SID}\.csv row \d+ \(\w+\): ", line), line

    # A number neither taken nor dismissed: the notebook writes (and shows it); validate, make and make test refuse.
    fill_lists(notebook, TESTCITY_FIGURES.replace('    Fig("vocational_training", "开展职业技能培训1.5万人次"),\n', ""))
    for tool, out in (("validate", _python(repo, "-m", "analysis", "validate", SID, check=False)),
                      ("make", _run(repo, check=False)), ("make test", _pytest(repo, "tests/clean/test_data.py"))):
        assert out.returncode != 0, (tool, out.stdout[-2000:])
        seen[tool] |= tags(out.stdout + out.stderr)

    # Good lists, made; then hand edits of what make wrote, one per remaining rule.
    fill_lists(notebook, TESTCITY_FIGURES)
    assert _run(repo).returncode == 0
    clean, ledger = repo / f"data/clean/{SID}.csv", repo / f"data/clean/ledger/{SID}.csv"
    _csv_edit(clean, {"indicator": "new_urban_jobs"}, status="done")  # schema
    _csv_edit(clean, {"indicator": "vocational_training"}, value="16000")  # provenance
    _csv_edit(clean, {"indicator": "schools_started"}, flags="")  # parts
    _csv_edit(clean, {"indicator": "schools_completed"}, note="edited by hand")  # as_built
    _csv_edit(ledger, {"match": "74.7%"}, raw_start="1")  # ledger
    package = repo / "data/clean/datapackage.json"
    pkg = json.loads(package.read_text(encoding="utf-8"))
    pkg["resources"] = [r for r in pkg["resources"] if r["path"] != f"ledger/{SID}.csv"]
    package.write_text(json.dumps(pkg), encoding="utf-8")  # datapackage
    other = next(p for p in (repo / "data/clean/ledger").glob("*.csv") if p.stem != SID)
    other.unlink()  # files (another source's ledger)
    v = _python(repo, "-m", "analysis", "validate", SID, check=False)  # right lists, files that are not what they write
    assert v.returncode == 0 and "not what they produce yet: run `make`" in v.stdout
    seen["validate"] |= tags(v.stdout)
    v2 = _python(repo, "-m", "analysis", "validate", other.stem, check=False)
    seen["validate"] |= tags(v2.stdout + v2.stderr)
    t = _pytest(repo, "tests/clean/test_data.py")
    assert t.returncode != 0
    seen["make test"] |= tags(t.stdout)
    m = _run(repo, check=False)  # make rebuilds what is not what its notebook wrote, and says so, file by file
    for path in (clean, ledger, package, other):
        assert f"{path.relative_to(repo).as_posix()} is not what" in m.stdout, m.stdout
    seen["make"] |= tags(m.stdout)  # ... with every rule the edited files broke as they stood
    assert m.returncode == 0 and _pytest(repo, "tests/clean/test_data.py").returncode == 0  # and all is well again
    for tool, rules in seen.items():
        assert rules >= set(RULES) - ({"as_built"} if tool == "validate" else set()), (tool, set(RULES) - rules)
