"""A researcher adds a city: bad metadata is refused with nothing written; the README's walkthrough, done
with a Simplified and a Traditional article, brings both cities into every comparison, chart and the
workbook, and leaves the whole test suite green in that copy."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = """网站首页 | 新闻中心 | 联系电话:0527-84358888
样例市上半年民生实事进展顺利
今年上半年,全市城镇新增就业9.2万人,开展职业技能培训1.5万人次,发放创业担保贷款2.6亿元。民生支出占财政支出比重74.7%。
教育方面,新开工中小学、幼儿园12所,已竣工5所,新增学位8600个,招聘教师850名。
(记者 张三)
推荐阅读: 2021年样例GDP达3719亿元
"""
GOOD = ["--source-id", "testcity_2021h1_zh", "--city-en", "Testcity", "--city-zh", "样例", "--admin-level", "prefecture",
        "--province", "Jiangsu", "--language", "zh-Hans", "--published", "2021-07-20", "--period", "2021-H1",
        "--kind", "results", "--outlet", "样例日报 (test article)", "--body-start", "今年上半年", "--body-end", "(记者 张三)"]
FIGURES = '''FIGURES = [
    Fig("new_urban_jobs", "全市城镇新增就业9.2万人"),
    Fig("livelihood_spending_share", "民生支出占财政支出比重74.7%"),
    Fig("vocational_training", "开展职业技能培训1.5万人次"),
    Fig("startup_loans", "发放创业担保贷款2.6亿元"),
    Fig("schools_started", "新开工中小学、幼儿园12所"),
    Fig("schools_completed", "已竣工5所"),
    Fig("school_seats_added", "新增学位8600个"),
    Fig("teachers_recruited", "招聘教师850名"),
]'''


def repo_env(repo: Path) -> dict:
    """The repo copy's own package and outputs (not the test session's MINSHENG_OUTPUT_ROOT)."""
    return {**{k: v for k, v in os.environ.items() if k != "MINSHENG_OUTPUT_ROOT"}, "PYTHONPATH": str(repo)}


def _cli(repo: Path, args: list[str]):
    return subprocess.run([sys.executable, "-m", "analysis", "new-source", *args], cwd=repo, capture_output=True,
                          text=True, env=repo_env(repo), timeout=300)


def _snapshot(repo: Path) -> dict:
    return {str(p.relative_to(repo)): p.read_bytes() for d in ("data/raw", "notebooks") for p in (repo / d).rglob("*") if p.is_file()}


@pytest.mark.parametrize("change, message", [
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
])
def test_bad_metadata_is_refused_and_nothing_changes(repo_copy, tmp_path, change, message):
    article = tmp_path / "testcity.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    args = list(GOOD)
    for k, v in change.items():
        if k in args:
            args[args.index(k) + 1] = v
        else:
            args += [k, v]
    before = _snapshot(repo_copy)
    out = _cli(repo_copy, [str(article), *args, "--no-execute"])
    if message is None:
        assert out.returncode == 0, out.stderr
        return
    assert out.returncode == 2 and "nothing written" in out.stderr and message in out.stderr, out.stderr
    assert _snapshot(repo_copy) == before


def test_not_utf8_is_refused(repo_copy, tmp_path):
    article = tmp_path / "gbk.txt"
    article.write_bytes(ARTICLE.encode("gbk"))
    before = _snapshot(repo_copy)
    out = _cli(repo_copy, [str(article), *GOOD, "--no-execute"])
    assert out.returncode == 2 and "is not UTF-8" in out.stderr
    assert _snapshot(repo_copy) == before


# The walkthrough's researcher brings cities of their own: not the ones the other tests add to their copies.
HANS = [{"testcity_2021h1_zh": "samplecity_2021h1_zh", "Testcity": "Samplecity", "样例": "范例"}.get(a, a) for a in GOOD]
ARTICLE_HANT = """首頁 | 新聞 | 熱線:0516-12345
示範市上半年民生工作綜述
今年上半年,全市城鎮新增就業3.1萬人,公益性崗位安置2300人。民生支出占一般公共預算支出比重達78.2%。
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
    Fig("schools_started", "全市新開工中小學(幼兒園)8所"),
    Fig("schools_completed", "已竣工中小學(幼兒園)6所"),
    Fig("school_seats_added", "新增學位5200個"),
    Fig("teachers_recruited", "招聘教師420名"),
]'''


def _fill(notebook: Path, figures: str) -> None:
    """Step 2 of the walkthrough: the researcher writes the figure list into the scaffolded notebook."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "FIGURES = [" in "".join(c["source"]))
    cell["source"] = figures
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


def _python(repo: Path, *args: str, check: bool = True, timeout: int = 900):
    out = subprocess.run([sys.executable, *args], cwd=repo, capture_output=True, text=True, env=repo_env(repo),
                         timeout=timeout)
    assert not check or out.returncode == 0, (args, out.stdout[-4000:], out.stderr[-4000:])
    return out


@pytest.mark.skipif(os.environ.get("MINSHENG_NESTED_SUITE") == "1", reason="this test runs the suite that runs it")
def test_readme_walkthrough_adds_two_cities_and_the_whole_suite_stays_green(repo_copy, tmp_path):
    repo = repo_copy
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "the repository as it stands"], cwd=repo, check=True)
    # The new Simplified city leads on new urban jobs, whatever the manifest already holds.
    before = _python(repo, "-c", "import analysis; o = analysis.load_observations(); "
                     "print(int(o.loc[o['indicator'] == 'new_urban_jobs', 'value'].max()))").stdout
    jobs = int(before) // 10_000 + 5  # in 万, above every new_urban_jobs figure there is
    hans, hant = tmp_path / "testcity.txt", tmp_path / "demotown.txt"
    hans.write_text(ARTICLE.replace("9.2万人", f"{jobs:g}万人").replace("样例", "范例"), encoding="utf-8")
    hant.write_text(ARTICLE_HANT, encoding="utf-8")

    # 1. Scaffold (codes in any case; an unknown published date with the date it was read; a population).
    for article, args, figures in ((hans, HANS, FIGURES.replace("9.2万人", f"{jobs:g}万人")), (hant, HANT, FIGURES_HANT)):
        out = _python(repo, "-m", "analysis", "new-source", str(article), *args)
        notebook = repo / out.stdout.split(": ", 1)[1].split(" is ready")[0].strip()
        sid = args[args.index("--source-id") + 1]
        assert notebook.name.endswith(f"_clean_{sid}.ipynb") and (repo / f"data/raw/{sid}.txt").read_bytes() == article.read_bytes()
        proposed = _python(repo, "-m", "analysis", "propose", sid).stdout  # the lines to copy from
        assert proposed.count("Fig(") >= 7
        _fill(notebook, figures)  # 2. fill the figure list
        assert "figures found, parsed and checked" in _python(repo, "-m", "analysis", "validate", sid).stdout
    manifest = (repo / "data/raw/sources.csv").read_text(encoding="utf-8")
    assert ",zh-Hant,," in manifest and ",2021-H1,results," in manifest and ",,2026-11-30," in manifest  # normalised, not invented

    # 3. make: both cities in every comparison table, chart and the workbook; every number accounted for.
    _python(repo, "-m", "analysis", "run")
    for sid in ("samplecity_2021h1_zh", "demotown_2021h1_zht"):
        led = _python(repo, "-c", f"from analysis.clean.ledger import verify_ledger; print(verify_ledger({sid!r}))").stdout
        assert led.strip() == "[]", led
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
    expect = (
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
    sentences = json.loads(_python(repo, "-c", expect).stdout)
    assert any("Samplecity reports the largest result" in s for s in sentences["21_compare_employment"]), sentences  # a new leader
    assert any("of fiscal spending" in s for s in sentences["20_compare_spending_share"])  # a different whole, said
    for nb, wanted in sentences.items():
        saved = json.loads((repo / f"notebooks/{nb}.ipynb").read_text(encoding="utf-8"))
        shown = "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/markdown", ""))
                           + "".join(o.get("data", {}).get("text/plain", ""))
                          for c in saved["cells"] for o in c.get("outputs", []))
        for sentence in wanted:
            assert sentence in shown, (nb, sentence)

    # 4. make test: the whole suite, in the copy, with the two new cities (this test excepted: it is running).
    env = {**repo_env(repo), "MINSHENG_NESTED_SUITE": "1"}
    out = subprocess.run([sys.executable, "-m", "pytest"], cwd=repo, capture_output=True, text=True,
                         env=env, timeout=1800)
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]
    assert " passed" in out.stdout and " failed" not in out.stdout


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
