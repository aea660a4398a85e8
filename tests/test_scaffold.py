"""A researcher adds a city: bad metadata is refused with nothing written; a good article flows
through cleaning into the employment and education comparisons."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = """网站首页 | 新闻中心 | 联系电话:0527-84358888
宿迁市上半年民生实事进展顺利
今年上半年,全市城镇新增就业9.2万人,开展职业技能培训1.5万人次,发放创业担保贷款2.6亿元。民生支出占财政支出比重74.7%。
教育方面,新开工中小学、幼儿园12所,已竣工5所,新增学位8600个,招聘教师850名。
(记者 张三)
推荐阅读: 2021年宿迁GDP达3719亿元
"""
GOOD = ["--source-id", "suqian_2021h1_zh", "--city-en", "Suqian", "--city-zh", "宿迁", "--admin-level", "prefecture",
        "--province", "Jiangsu", "--language", "zh-Hans", "--published", "2021-07-20", "--period", "2021-H1",
        "--kind", "results", "--outlet", "宿迁日报 (test article)", "--body-start", "今年上半年", "--body-end", "(记者 张三)"]
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
    ({"--source-id": "Suqian 2021"}, "use lower-case letters"),
    ({"--kind": "plan"}, "--kind 'plan'"),
    ({"--published": "20 July 2021"}, "an ISO date"),
    ({"--parent-en": "Atlantis"}, "--parent-en 'Atlantis' is not a place"),
    ({"--city-en": "Xuzhou"}, "Xuzhou is already in data/raw/places.csv with other metadata"),
    ({"--body-start": "", "--body-end": ""}, None),  # first/last line of this page are furniture, but unique: accepted
    ({"--body-start": "体育"}, "body_starts_with '体育' not found"),
    ({"--body-end": "。"}, "body_ends_with '。' matches 2 lines"),
])
def test_bad_metadata_is_refused_and_nothing_changes(repo_copy, tmp_path, change, message):
    article = tmp_path / "suqian.txt"
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


def test_a_new_city_reaches_the_comparisons(repo_copy, tmp_path, suite):
    article = tmp_path / "suqian.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = _cli(repo_copy, [str(article), *GOOD])
    assert out.returncode == 0, out.stderr
    nb_path = repo_copy / "notebooks/15_clean_suqian_2021h1_zh.ipynb"
    raw = repo_copy / "data/raw/2021-07-20_suqian_2021-h1-results_zh-hans.txt"
    assert raw.read_bytes() == article.read_bytes()
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    shown = json.dumps(nb["cells"][4]["outputs"], ensure_ascii=False)
    assert "9.2万人" in shown and "8600个" in shown  # the mention index is already shown
    cell = next(c for c in nb["cells"] if "FIGURES = [" in "".join(c["source"]))
    cell["source"] = FIGURES
    nb_path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")

    ran = suite(repo_copy)
    assert {"15", "21", "22"} <= ran
    check = (
        "import analysis\nfrom analysis import compare\nobs = analysis.load_observations()\n"
        "for name in ('employment', 'education'):\n"
        "    inds = compare.comparison_indicators(name)\n"
        "    t = compare.comparison_table(obs, inds).set_index(['place_en', 'indicator_id'])\n"
        "    print(name, t.loc[('Suqian', inds[0]), 'status'])\n"
        "t = compare.comparison_table(obs, ['new_urban_jobs', 'school_seats_added', 'schools_completed']).set_index(['place_en', 'indicator_id'])\n"
        "print(t.loc[('Suqian', 'new_urban_jobs'), 'value'], t.loc[('Suqian', 'school_seats_added'), 'value'], "
        "t.loc[('Suqian', 'schools_completed'), 'value'], t.loc[('Suqian', 'new_urban_jobs'), 'per_10k'])\n"
    )
    res = subprocess.run([sys.executable, "-c", check], cwd=repo_copy, capture_output=True, text=True,
                         env=repo_env(repo_copy), check=True).stdout.split("\n")
    assert res[0] == "employment result" and res[1] == "education not reported"  # no schools_planned figure: said so
    assert res[2].split()[:3] == ["92000.0", "8600.0", "5.0"] and res[2].split()[3] == "nan"  # no census row: absolute only
    for name in ("21_compare_employment", "22_compare_education"):
        saved = (repo_copy / f"notebooks/{name}.ipynb").read_text(encoding="utf-8")
        assert "Suqian" in saved  # in the comparison table the notebook shows
    for chart in ("employment_absolute_en.png", "education_absolute_zh.png", "employment_per10k_en.svg"):
        assert (repo_copy / "figures" / chart).read_bytes() != (ROOT / "figures" / chart).read_bytes()
    wb = subprocess.run([sys.executable, "-c", "from openpyxl import load_workbook; ws = load_workbook('figures/livelihood_comparison.xlsx')['employment']; "
                         "print(sum(1 for r in ws.iter_rows(values_only=True) if r[0] == 'Suqian'))"],
                        cwd=repo_copy, capture_output=True, text=True, check=True)
    assert int(wb.stdout) == 5  # one row per employment indicator

    # Every sentence the analysis notebooks print, and every chart title they show, is what the new data says now:
    # recomputed here from the copy's data, each must stand verbatim in the saved outputs (nothing stale survives).
    expect = (
        "import json, analysis\nfrom analysis import compare, plotting\nobs = analysis.load_observations()\n"
        "out = {}\n"
        "for nb, name in (('20_compare_spending_share', 'spending'), ('21_compare_employment', 'employment'), "
        "('22_compare_education', 'education')):\n"
        "    out[nb] = [compare.summary(compare.comparison_table(obs, compare.comparison_indicators(name)))]\n"
        "    for metric, chart in (('value', 'absolute'), ('per_10k', 'per_10k')):\n"
        "        inds = compare.comparison_indicators(name, chart=chart)\n"
        "        if inds:\n"
        "            out[nb].append(compare.headline(compare.comparison_table(obs, inds), metric))\n"
        "print(json.dumps(out))\n"
    )
    res = subprocess.run([sys.executable, "-c", expect], cwd=repo_copy, capture_output=True, text=True,
                         env=repo_env(repo_copy), check=True)
    sentences = json.loads(res.stdout)
    assert any("Suqian reports the largest result" in s for s in sentences["21_compare_employment"])  # a new leader
    assert any("of fiscal spending" in s for s in sentences["20_compare_spending_share"])  # a different whole, said
    for nb, wanted in sentences.items():
        saved = json.loads((repo_copy / f"notebooks/{nb}.ipynb").read_text(encoding="utf-8"))
        shown = "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/markdown", ""))
                           + "".join(o.get("data", {}).get("text/plain", ""))
                          for c in saved["cells"] for o in c.get("outputs", []))
        for sentence in wanted:
            assert sentence in shown, (nb, sentence)
