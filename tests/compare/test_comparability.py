"""Comparable by construction: every figure says what it counts (status, denominator, scope, unit,
stock/flow), and comparisons set only like against like, or say how two figures differ."""

import json
import re
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.compare import plotting, tables
from analysis.metadata.codebook import load_codebook, load_vocabularies
from analysis.metadata.comparability import KEY

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import observations  # noqa: E402

OBS = observations()  # loaded once per process (every module gets its own copy)
CB = load_codebook().set_index("indicator")
ROWS = OBS.astype({c: str for c in ("indicator", "status", "scope", "denominator", "unit", "flags", "note", "quote")})


def test_schools_with_and_without_kindergartens_never_share_a_key():
    t = tables.comparison_table(OBS, "schools_completed")
    t = t[t["status_id"] != "not reported"]
    incl = t[t["scope"].str.contains("incl_kindergartens")]
    apart = t[t["scope"].str.contains("primary_secondary")]
    assert len(incl) and len(apart)  # the committed data holds both kinds
    assert not set(incl["key"]) & set(apart["key"])
    assert (incl["differs"].str.contains("kindergartens included")).all()
    assert (apart["differs"].str.contains("primary and secondary only")).all()


DOUBTFUL_INDICATORS = sorted(set(tables.comparison_table(OBS, list(OBS["indicator"].astype(str).unique()))
                                 .query("doubtful")["indicator_id"]))


@pytest.mark.parametrize("indicator", DOUBTFUL_INDICATORS)
def test_a_flagged_figure_is_drawn_distinctly_and_never_leads_the_title(indicator):
    table = tables.comparison_table(OBS, indicator)
    doubtful = table[table["doubtful"]]
    assert len(doubtful)
    fig = plotting.comparison_chart(table, tables.headline(table), "en")
    bars = [p for ax in fig.axes for p in ax.patches if p.get_gid()]
    marked = [p for p in bars if p.get_gid().endswith("|doubtful")]
    assert {p.get_gid().split("|")[0] for p in marked} == set(doubtful["place_en"])
    for p in bars:
        grey = tuple(round(c, 3) for c in p.get_facecolor()[:3]) == (0.851, 0.851, 0.851)
        assert grey == p.get_gid().endswith("|doubtful") and (p.get_linestyle() == "--") == grey
    assert "?" in fig.texts[-1].get_text()  # the reason is under the chart
    only_doubtful = table[table["doubtful"] | (table["status_id"] == "not reported")]
    assert "no comparable figure" in tables.headline(only_doubtful)  # a doubtful figure never leads a title
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_a_city_seat_figure_gets_no_per_capita_value():
    voc = load_vocabularies()
    narrow = set(voc.loc[(voc["field"] == "scope") & (voc["per_capita"] == "no"), "value"])
    t = tables.comparison_table(OBS, list(OBS["indicator"].astype(str).unique()))
    hit = t["scope"].map(lambda s: bool(set(s.split(";")) & narrow))
    assert hit.any() and t.loc[hit, "per_10k"].isna().all()


def test_a_share_of_fiscal_spending_is_not_set_beside_one_of_general_budget_spending_without_a_label(repo_copy):
    from analysis.clean.observations import Fig, clean_source
    from analysis.suite.scaffold import NewSource, scaffold

    article = repo_copy / "in.txt"
    article.write_text("样例市上半年民生支出\n今年上半年,全市民生支出占财政支出比重74.7%。\n(记者 张三)\n", encoding="utf-8")
    scaffold(NewSource(article=article, source_id="testcity_2021h1_zh", city_en="Testcity", city_zh="样例", admin_level="prefecture",
                       province="Jiangsu", language="zh-Hans", published="2021-07-20", period="2021-H1", kind="results",
                       outlet="样例日报"), root=repo_copy, execute=False)
    clean_source("testcity_2021h1_zh", [Fig("livelihood_spending_share", "全市民生支出占财政支出比重74.7%")], root=repo_copy)
    obs = analysis.load_observations(root=repo_copy)
    t = tables.comparison_table(obs, "livelihood_spending_share", root=repo_copy).set_index("place_en")
    assert t.at["Testcity", "denominator"] == "fiscal_spending" and t.at["Testcity", "key"] != t.at["Zaozhuang", "key"]
    assert "of fiscal spending" in t.at["Testcity", "differs"]
    assert "of general public budget spending" in t.at["Zaozhuang", "differs"]
    fig = plotting.comparison_chart(t.reset_index(), "x", "en", root=repo_copy)
    labels = [txt.get_text() for ax in fig.axes for txt in ax.texts]  # each row's label stands above its bar
    assert any("Testcity" in lab and "of fiscal spending" in lab for lab in labels)
    assert any("Zaozhuang" in lab and "of general public budget spending" in lab for lab in labels)


def test_wide_table_never_averages():
    wide = analysis.wide_table(OBS)
    assert int(wide.notna().sum().sum()) == len(OBS)  # one cell per figure
    with pytest.raises(ValueError, match="would share one cell"):
        analysis.wide_table(OBS, index=["indicator"])
    assert set(KEY) - {"indicator"} <= set(wide.index.names) | {"unit"}


def test_find_returns_whole_rows_that_provenance_takes():
    hits = analysis.find(OBS, "养老")
    assert len(hits) and set(OBS.columns) <= set(hits.columns) and hits["matched"].ne("").all()
    where = analysis.provenance(hits.iloc[0])
    assert where["quote"] in where["sentence"]


@pytest.mark.parametrize("call", [
    lambda: tables.comparison_table(OBS, ["new_urban_job"]),
    lambda: tables.pick(OBS, "new_urban_job"),
    lambda: plotting.charts(OBS, ["new_urban_job"], "x", folder=Path("/nonexistent")),
    lambda: tables.comparison_indicators("employmnt"),
])
def test_a_misspelt_name_raises_with_the_closest_names(call):
    with pytest.raises(KeyError, match=r"did you mean: (new_urban_jobs|employment)"):
        call()


def test_titles_are_computed_from_the_data():
    table = tables.comparison_table(OBS, "new_urban_jobs")
    title = tables.headline(table)
    group = tables._leading_group(table, "value")
    if group["period_id"].nunique() > 1:  # figures of different periods are described, never ranked
        assert "not ranked" in title and "largest" not in title
    else:
        assert group.loc[group["value"].idxmax(), "place"] in title
    for chart in (ROOT / "figures").glob("*_en.png"):
        assert plotting.chart_title(chart)  # written into the file


PLACES = pd.read_csv(ROOT / "data/raw/places.csv", dtype=str)
NAMES = sorted(set(PLACES["place_en"]) | set(PLACES["place_zh"]), key=len, reverse=True)


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("2*.ipynb")), ids=lambda p: p.stem)
def test_analysis_notebooks_name_no_place_in_prose_or_code(notebook):
    """Prose states method and caveats; counts, rankings and places come from the data (they go stale otherwise)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    pattern = re.compile("|".join(map(re.escape, NAMES)))
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "code":
            text = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
        assert not pattern.search(text), (notebook.name, pattern.search(text).group(0), text[:80])


def test_no_import_circle_between_schema_and_observations():
    import subprocess
    import sys

    code = "import analysis.metadata.schema, sys; print('analysis.clean.observations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "False"


def test_charts_render_every_status_without_missing_glyphs(tmp_path):
    table = tables.comparison_table(OBS, ["teachers_to_recruit", "schools_planned"], lang="zh")
    assert {"target", "plan", "announced"} <= set(table["status_id"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plotting.comparison_chart(table, tables.headline(table, lang="zh"), "zh")
        plotting.save(fig, "statuses", tmp_path)
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_a_title_never_ranks_figures_of_different_periods():
    """Issue 21 item 5: a 2013 full-year figure is never 'the largest' beside 2022 half-year ones."""
    t = pd.DataFrame({"indicator": ["New urban jobs"] * 2, "place": ["A", "B"], "place_en": ["A", "B"],
                      "status_id": ["result"] * 2, "status": ["result"] * 2, "doubtful": [False, False],
                      "value": [90_000.0, 20_000.0], "key": ["k", "k"], "period_id": ["2013", "2022-H1"],
                      "period": ["2013", "H1 2022"], "as_said": ["90,000", "20,000"], "differs": ["", ""]})
    for lang in ("en", "zh"):
        title = tables.headline(t, lang=lang)
        assert "largest" not in title and "最高" not in title and ("not ranked" in title or "不排序" in title)
    same = t.assign(period_id=["2022-H1"] * 2, period=["H1 2022"] * 2)
    assert "A reports the largest result" in tables.headline(same)


def test_a_per_capita_figure_far_from_its_population_year_says_so_in_the_note():
    """Issue 21 item 5: a 2013 figure divided by the 2020 census says "2013 figure, 2020 population"."""
    import matplotlib.pyplot as plt

    table = tables.comparison_table(OBS, "new_urban_jobs")
    drawn = table.index[table["per_10k"].notna()]
    assert len(drawn), "no per-capita figure to draw"
    old = table.copy()
    table.loc[drawn[0], "period_id"] = "2013"
    place = table.loc[drawn[0], "place"]
    fig = plotting.comparison_chart(table, "t", metric="per_10k")
    assert f"{place}: 2013 figure, {str(table.loc[drawn[0], 'population_date'])[:4]} population" in fig.minsheng["source"]
    plt.close(fig)
    fig = plotting.comparison_chart(old, "t", metric="per_10k")
    gaps = [plotting.population_gap(r) for _, r in old.iterrows()]
    said = bool(re.search(r"\d{4} figure, \d{4} population", fig.minsheng["source"]))
    assert said == any(gaps)  # said exactly where the years are far apart
    plt.close(fig)
