"""Publishable outputs (issue 15): charts that read in both languages and carry their data, notebooks that carry
their charts, a print-ready bilingual workbook, and an offline site with a provenance review page per article.

Every test reads what the manifest, the comparisons and the committed figures hold today; none names a place."""

import io
import json
import re
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis.compare import plotting, tables

ROOT = Path(__file__).resolve().parents[2]
FIG = ROOT / "figures"
sys.path.insert(0, str(ROOT / "tests"))
from conftest import observations  # noqa: E402

OBS = observations()  # loaded once per process (every module gets its own copy)
BUNDLES = sorted(FIG.glob("*.json"))
CHART_NAMES = [p.stem for p in BUNDLES]
# What a Chinese reader writes in Latin letters in a chart: units and the like. Nothing else may be ASCII words.
ZH_LATIN_OK = {"km", "m", "GDP"}


def _bundle(name: str) -> dict:
    return json.loads((FIG / f"{name}.json").read_text(encoding="utf-8"))


def _redraw(name: str, **kw):
    """Draw a published chart again from what its bundle says it shows (indicators, metric, language)."""
    b = _bundle(name)
    table = tables.comparison_table(OBS, b["indicators"], lang=b["language"])
    return plotting.comparison_chart(table, tables.headline(table, b["metric"], b["language"]), lang=b["language"],
                                     metric=b["metric"], **kw), table


def _texts(fig) -> list[str]:
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts] + [ax.get_xlabel(), ax.get_title()]
        out += [lab.get_text() for lab in ax.get_xticklabels() + ax.get_yticklabels()]
    for leg in fig.legends:
        out += [t.get_text() for t in leg.get_texts()]
    return [t for t in out if t]


def _all_text_objects(fig):
    objs = list(fig.texts)
    for ax in fig.axes:
        objs += list(ax.texts) + [ax.xaxis.label] + list(ax.get_xticklabels())
    for leg in fig.legends:
        objs += list(leg.get_texts())
    return [o for o in objs if o.get_text() and o.get_visible()]


def test_there_are_published_charts_with_bundles():
    assert CHART_NAMES and {n.rsplit("_", 1)[1] for n in CHART_NAMES} == {"en", "zh"}
    for n in CHART_NAMES:
        for ext in ("png", "svg", "csv"):
            assert (FIG / f"{n}.{ext}").stat().st_size > 0


@pytest.mark.parametrize("name", CHART_NAMES)
def test_every_chart_renders_without_missing_glyphs_and_chinese_charts_are_chinese(name, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, _ = _redraw(name)
        texts = _texts(fig)
        plotting.save(fig, name, tmp_path)
    assert not [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from font" in str(w.message)]
    if name.endswith("_zh"):
        words = {w for t in texts for w in re.findall(r"[A-Za-z]+", t)}
        assert words <= ZH_LATIN_OK, sorted(words - ZH_LATIN_OK)
        assert "pp" not in " ".join(texts)


@pytest.mark.parametrize("name", CHART_NAMES)
def test_text_is_at_least_8_pt_printed_16_cm_wide(name):
    import matplotlib.pyplot as plt

    fig, _ = _redraw(name)
    scale = 16 / 2.54 / fig.get_size_inches()[0]
    small = [(o.get_text()[:30], o.get_fontsize()) for o in _all_text_objects(fig) if o.get_fontsize() * scale < 8 - 1e-9]
    plt.close(fig)
    assert not small, small[:5]


@pytest.mark.parametrize("name", CHART_NAMES)
def test_the_bundle_of_every_chart_matches_its_plotted_rows(name):
    import matplotlib.pyplot as plt

    rows = plotting.read_bundle(FIG / f"{name}.csv")
    required = {"place", "period", "status", "value", "unit", "qualifier", "source_id", "quote", "flags"}
    assert required <= set(rows.columns)
    fig, table = _redraw(name)
    bars = [p for ax in fig.axes for p in ax.patches if p.get_gid()]
    drawn = rows[rows["drawn_as"] == "bar"]
    ids = sorted(plotting.bar_id(r) for r in drawn.assign(doubtful=drawn["doubtful"].astype(str) == "True").to_dict("records"))
    assert sorted(p.get_gid() for p in bars) == ids  # the same bars as the figure draws now
    widths = sorted(round(p.get_width(), 6) for p in bars)
    assert widths == sorted(round(float(v), 6) for v in drawn["plotted_value"])
    svg = (FIG / f"{name}.svg").read_text(encoding="utf-8")
    assert sorted(re.findall(r'<g id="([^"]*\|(?:ok|doubtful))"', svg)) == ids  # and as the published SVG holds
    # every row is a figure of the table, with its quote verbatim; sentences name their place
    key = table.set_index(["indicator_id", "place_en", "period_id", "status_id"])
    for r in rows.to_dict("records"):
        t = key.loc[(r["indicator_id"], r["place_en"], str(r["period_id"]), r["status_id"])]
        t = t.iloc[0] if isinstance(t, pd.DataFrame) else t
        assert t["quote"] == r["quote"] and t["source_id"] == r["source_id"]
        if r["drawn_as"] == "sentence":
            assert any(r["place"] in s for s in _texts(fig))
    b = _bundle(name)
    assert b["rows"] == len(rows) and b["title"] and b["citation"] and b["licence"]["id"]
    assert {s["source_id"] for s in b["sources"]} == {s for s in rows["source_id"] if s} | {
        s for s in table["source_id"] if s}
    assert set(b["units"]) == set(rows["plotted_unit"])
    plt.close(fig)


@pytest.mark.parametrize("name", CHART_NAMES)
def test_title_description_and_source_are_in_png_and_svg_metadata(name):
    from PIL import Image

    b = _bundle(name)
    with Image.open(FIG / f"{name}.png") as im:
        assert im.info["Title"] == b["title"] and im.info["Description"] == b["description"]
        assert im.info["Source"] == b["source_note"] and "CC BY" in im.info["Copyright"]
        assert round(im.info["dpi"][0]) >= 200 and im.size[0] / im.info["dpi"][0] * 2.54 == pytest.approx(16, abs=0.05)
    svg = (FIG / f"{name}.svg").read_text(encoding="utf-8")
    for tag in ("title", "description", "source", "rights"):
        assert f"<dc:{tag}>" in svg
    import html

    assert html.escape(b["title"], quote=False) in svg


def test_places_that_report_nothing_are_one_line_not_empty_rows_and_the_old_layout_stays_available():
    import matplotlib.pyplot as plt

    inds = list(dict.fromkeys(tables.load_comparisons()["indicator"]))
    table = tables.comparison_table(OBS, inds)
    missing = table[table["status_id"] == "not reported"]
    assert len(missing)  # otherwise this test proves nothing
    fig = plotting.comparison_chart(table, "x", "en")
    texts = " ".join(_texts(fig))
    for ax in fig.axes:
        assert not any(t.get_text() == "not reported" for t in ax.texts)  # no row drawn for nothing
    assert "Not reported: " in texts
    for place in set(missing["place"]):
        assert place in texts
    plt.close(fig)
    old = plotting.comparison_chart(table, "x", "en", compact=False)
    rows = sum(1 for ax in old.axes for t in ax.texts if t.get_text() == "not reported")
    assert rows == len(missing) and len(old.axes) == table["indicator"].nunique()
    plt.close(old)


def test_no_panel_of_one_bar_where_a_sentence_does():
    import matplotlib.pyplot as plt

    for name in CHART_NAMES:
        fig, table = _redraw(name)
        counts = [sum(1 for p in ax.patches if p.get_gid()) for ax in fig.axes]
        if any(c >= 2 for c in counts):
            assert all(c >= 2 for c in counts), (name, counts)
        plt.close(fig)


def test_legend_swatches_are_drawn_like_the_bars():
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba

    table = tables.comparison_table(OBS, ["teachers_to_recruit", "schools_planned", "new_urban_jobs"])
    fig = plotting.comparison_chart(table, "x", "en")
    (legend,) = fig.legends
    swatches = {t.get_text(): h for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)}
    for status in set(table.loc[table["status_id"] != "not reported", "status_id"]):
        edge, fill, hatch = plotting.STATUS_STYLE[status]
        h = swatches[tables.status_label(status)]
        assert h.get_facecolor() == to_rgba(fill) and h.get_edgecolor() == to_rgba(edge) and h.get_hatch() == hatch
    plt.close(fig)


def test_show_embeds_a_small_png_from_any_folder_and_exploring_writes_nothing(tmp_path, monkeypatch):
    # where plotting writes by default, empty: the session's output copy of figures/ is no fixed "before", since
    # nbval's kernels on the other worker write into it
    figures = tmp_path / "figures"
    figures.mkdir()
    monkeypatch.setattr(plotting, "FIGURES", figures)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    chart = plotting.show(FIG / f"{CHART_NAMES[0]}.png")
    png = chart._repr_png_()
    assert png.startswith(b"\x89PNG") and len(png) < 200_000 and repr(chart) == "\n".join(
        plotting.chart_title(FIG / f"{CHART_NAMES[0]}.png", k) for k in ("Title", "Subtitle"))
    shown = plotting.charts(OBS, ["new_urban_jobs"], "explore")  # no folder: nothing written anywhere
    assert [c.lang for c in shown] == ["en", "zh"] and all(c._repr_png_().startswith(b"\x89PNG") for c in shown)
    assert not list(cwd.iterdir()) and not list(figures.iterdir())


ANALYSIS_NOTEBOOKS = sorted((ROOT / "notebooks").glob("2[0-2]_*.ipynb"))


@pytest.mark.parametrize("notebook", ANALYSIS_NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_carry_their_charts_as_small_images_with_the_title_as_text(notebook):
    import base64

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    shows = [c for c in nb["cells"] if c["cell_type"] == "code" and "plotting.show(" in "".join(c["source"])]
    assert shows
    for c in shows:
        (out,) = [o for o in c["outputs"] if "image/png" in o.get("data", {})]
        png = base64.b64decode(out["data"]["image/png"])
        from PIL import Image

        with Image.open(io.BytesIO(png)) as im:
            assert im.size[0] == plotting.DISPLAY_WIDTH_PX
        assert len(png) < 200_000
        assert "".join(out["data"]["text/plain"]).strip()  # the title: what nbval compares
        assert "../figures" not in json.dumps(out)  # nothing points outside the notebook


def _unwrapped(text: str) -> str:
    """Text as one line: a line break between two CJK characters goes, any other becomes a space."""
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    return re.sub(r"\s+", " ", text)


def test_a_share_in_a_per_capita_chart_says_why_it_has_no_per_capita_value():
    import matplotlib.pyplot as plt

    shares = OBS.loc[OBS["unit"].astype(str) == "percent", "indicator"].astype(str).unique()
    assert len(shares)
    for lang in ("en", "zh"):
        table = tables.comparison_table(OBS, [shares[0], "new_urban_jobs"], lang=lang)
        fig = plotting.comparison_chart(table, "x", lang, "per_10k")
        text = _unwrapped(" ".join(_texts(fig)))  # a long label wraps anywhere: read the text as one line
        assert _unwrapped(plotting.TEXT[lang]["rate"]) in text and _unwrapped(plotting.TEXT[lang]["scope"]) not in text
        plt.close(fig)
