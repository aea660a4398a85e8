"""Issue 22 item 2: titles a report can use. A short title that is true of every panel, a subtitle with places,
periods and statuses, never a leader, the chart's own punctuation, doubt in words; all in the files' metadata."""

import json
import re
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from PIL import Image

from analysis.compare import plotting, tables
from analysis.metadata.codebook import TOPIC_NAMES, load_codebook, load_vocabularies

ROOT = Path(__file__).resolve().parents[2]
FIG = ROOT / "figures"
BUNDLES = sorted(FIG.glob("*.json"))
sys.path.insert(0, str(ROOT / "tests"))
from conftest import observations  # noqa: E402

OBS = observations()  # loaded once per process (every module gets its own copy)
CB = load_codebook().set_index("indicator")
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff（）][,;:.] ?|[,;:.] [\u4e00-\u9fff]|[()]")


def _labels(ids, lang):
    return [CB.at[i, "label_en" if lang == "en" else "label_zh"] for i in ids]


def _title_is_true_of_every_panel(title: str, ids: list[str], lang: str, metric: str) -> None:
    """The title names every measure drawn and no other, or their shared topic and their number."""
    en = lang == "en"
    labels = _labels(ids, lang)
    suffix = ("per 10,000 residents" if en else "（每万常住人口）") if metric == "per_10k" else ""
    if suffix:
        assert title.endswith(suffix), title
    bare = title.removesuffix(suffix)
    named = [lab for lab in _labels(CB.index, lang) if lab.lower() in bare.lower()]
    n = len(ids)
    topics = {CB.at[i, "topic"] for i in ids}
    counted = (f"{n} measures" in title or f"{n} livelihood measures" in title) if en else f"{n}项" in title
    if counted:
        if len(topics) == 1 and f"{n} livelihood" not in title:
            assert TOPIC_NAMES[topics.pop()][0 if en else 1] in title, title
    else:
        assert all(lab.lower() in title.lower() for lab in labels), (title, labels)
        assert all(any(lab.lower() in m.lower() for m in labels) for lab in named), (title, named, labels)


@pytest.mark.parametrize("bundle", BUNDLES, ids=lambda p: p.stem)
def test_every_published_title_is_short_true_of_every_panel_and_names_no_leader(bundle):
    b = json.loads(bundle.read_text(encoding="utf-8"))
    assert 0 < len(b["title"]) <= tables.TITLE_MAX, b["title"]
    _title_is_true_of_every_panel(b["title"], b["indicators"], b["language"], b["metric"])
    for word in ("largest", "leads", "highest", "most", "最高", "最多", "领先"):
        assert word not in b["title"], b["title"]
    rows = plotting.read_bundle(bundle.with_suffix(".csv")).astype(str)
    reporting = rows["place_en"].nunique()
    assert b["subtitle"], bundle.name
    # the subtitle names every period and status drawn (or how many periods there are)
    listed = rows["period"].unique()
    if len(listed) <= tables.PERIODS_LISTED:
        assert all(p in b["subtitle"] for p in listed), (b["subtitle"], listed)
    assert all(s in b["subtitle"] for s in rows["status"].unique()), b["subtitle"]
    assert ("of " if b["language"] == "en" else "个地方中") in b["subtitle"] and reporting >= 0
    mixed = any(g[c].nunique() > 1 for _, g in rows[rows["drawn_as"] == "bar"].groupby("indicator_id")
                for c in ("period_id", "status_id"))
    assert mixed == ("not like for like" in b["subtitle"] or "不可直接比较" in b["subtitle"]), b["subtitle"]


@pytest.mark.parametrize("bundle", [b for b in BUNDLES if b.stem.endswith("_zh")], ids=lambda p: p.stem)
def test_chinese_charts_take_chinese_punctuation(bundle):
    b = json.loads(bundle.read_text(encoding="utf-8"))
    for key in ("title", "subtitle", "description", "source_note"):
        text = re.sub(r"\(\?|\d[,.]\d", "", b[key])  # a number's comma and the "?" of a doubtful bar stay
        assert not HALF_WIDTH.search(text), (key, HALF_WIDTH.search(text).group(0), b[key])


@pytest.mark.parametrize("bundle", BUNDLES, ids=lambda p: p.stem)
def test_title_and_subtitle_are_in_the_png_and_svg_metadata(bundle):
    b = json.loads(bundle.read_text(encoding="utf-8"))
    with Image.open(bundle.with_suffix(".png")) as im:
        assert im.info["Title"] == b["title"] and im.info["Subtitle"] == b["subtitle"]
    svg = bundle.with_suffix(".svg").read_text(encoding="utf-8")
    import html

    assert f"<dc:coverage>{html.escape(b['subtitle'], quote=False)}</dc:coverage>" in svg


def _table(names, periods, statuses, ids=None):
    n = len(names)
    ids = ids or [f"ind{i}" for i in range(n)]
    return pd.DataFrame({"indicator": names, "indicator_id": ids, "place": [f"P{i}" for i in range(n)],
                         "place_en": [f"P{i}" for i in range(n)], "status_id": statuses, "status": statuses,
                         "period_id": periods, "period": periods, "value": [1.0 * (i + 1) for i in range(n)],
                         "doubtful": [False] * n, "key": ["k"] * n, "as_said": ["1"] * n, "differs": [""] * n})


def test_a_title_that_would_be_too_long_names_the_topic_and_the_count():
    ids = [i for i in CB.index if CB.at[i, "topic"] == "education"][:6]
    t = _table(_labels(ids, "en"), ["2022"] * 6, ["result"] * 6, ids)
    title = tables.chart_title(t)
    assert title == "Education: 6 measures" and len(title) <= tables.TITLE_MAX
    zh = tables.chart_title(t.assign(indicator=_labels(ids, "zh")), lang="zh")
    assert zh == "教育：6项指标"
    short = tables.chart_title(t.iloc[:1])
    assert short == CB.at[ids[0], "label_en"]
    two = tables.chart_title(t.iloc[:2], metric="per_10k")
    if len(two) <= tables.TITLE_MAX and "measures" not in two:
        assert two.endswith("per 10,000 residents") and " and " in two


def test_the_subtitle_says_when_one_panel_mixes_periods_or_statuses():
    same = _table(["Jobs", "Jobs"], ["2022-H1", "2022-H1"], ["result", "result"], ["a", "a"])
    assert "like for like" not in tables.chart_subtitle(same)
    for periods, statuses, word in ((["2013", "2022-H1"], ["result"] * 2, "periods"),
                                    (["2022"] * 2, ["result", "target"], "statuses")):
        sub = tables.chart_subtitle(_table(["Jobs", "Jobs"], periods, statuses, ["a", "a"]))
        assert f"{word} differ: not like for like" in sub and "2 of 2 places report" in sub
        assert "largest" not in tables.chart_title(_table(["Jobs", "Jobs"], periods, statuses, ["a", "a"]))
    many = _table(["J"] * 6, ["2017", "2018", "2019", "2020", "2021", "2022"], ["result"] * 6, ["a"] * 6)
    assert "6 periods, 2017 to 2022" in tables.chart_subtitle(many)


DOUBTFUL = load_vocabularies().query("field == 'flag' and doubtful == 'yes'")["value"].tolist()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_doubt_is_told_in_words_not_ids_or_ratios(lang):
    flagged = OBS[[bool(set(str(f).split(";")) & set(DOUBTFUL)) for f in OBS["flags"]]]
    if flagged.empty:
        pytest.skip("no doubtful figure in the data")
    r = flagged.iloc[0]
    table = tables.comparison_table(OBS, [str(r["indicator"])], lang=lang)
    fig = plotting.comparison_chart(table, lang=lang)
    foot = fig.texts[-1].get_text()
    plt.close(fig)
    doubt = [ln for ln in foot.split("\n") if ln.startswith("?")]
    assert doubt
    for ln in doubt:
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", ln), ln  # no flag or indicator id
        assert not re.search(r"\d+\.\d{2,}|times", ln), ln  # no check's arithmetic


@pytest.mark.parametrize("bundle", [b for b in BUNDLES if b.stem.endswith("_zh")], ids=lambda p: p.stem)
def test_a_chinese_bundle_has_chinese_headers_and_unit_words(bundle):
    """Issue 22 item 3: a Chinese chart's bundle reads in Chinese; read_bundle gives it the common column names."""
    b = json.loads(bundle.with_suffix(".json").read_text(encoding="utf-8"))
    header = bundle.with_suffix(".csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [plotting.BUNDLE_HEADERS_ZH[c] for c in plotting.BUNDLE_COLUMNS] == list(b["columns"].values())
    assert all(re.search(r"[\u4e00-\u9fff]", h) for h in header)
    rows = plotting.read_bundle(bundle.with_suffix(".csv"))
    assert list(rows.columns) == plotting.BUNDLE_COLUMNS
    for col in ("unit_words", "plotted_unit_words", "qualifier_words"):
        assert all(re.search(r"[\u4e00-\u9fff%]", w) for w in rows[col] if w), (col, set(rows[col]))
    assert set(rows["plotted_unit_words"]) <= set(b["units"].values())


def test_every_bound_the_reader_knows_has_words_in_both_languages():
    from analysis.core.quantities import QUALIFIERS

    voc = load_vocabularies().query("field == 'qualifier'").set_index("value")
    assert sorted(voc.index) == sorted(QUALIFIERS)
    assert voc["label_en"].str.len().gt(0).all() and voc["label_zh"].str.contains(r"[\u4e00-\u9fff]").all()
