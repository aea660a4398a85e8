"""Publishable outputs (issue 15): charts that read in both languages and carry their data, notebooks that carry
their charts, a print-ready bilingual workbook, and an offline site with a provenance review page per article.

Every test reads what the manifest, the comparisons and the committed figures hold today; none names a place."""

import io
import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import analysis
from analysis.compare import export, plotting, tables

ROOT = Path(__file__).resolve().parents[2]
FIG = ROOT / "figures"
OBS = analysis.load_observations()
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
    before = sorted((p.name, p.stat().st_mtime_ns) for p in plotting.FIGURES.iterdir())
    monkeypatch.chdir(tmp_path)
    chart = plotting.show(FIG / f"{CHART_NAMES[0]}.png")
    png = chart._repr_png_()
    assert png.startswith(b"\x89PNG") and len(png) < 200_000 and repr(chart) == "\n".join(
        plotting.chart_title(FIG / f"{CHART_NAMES[0]}.png", k) for k in ("Title", "Subtitle"))
    shown = plotting.charts(OBS, ["new_urban_jobs"], "explore")  # no folder: nothing written anywhere
    assert [c.lang for c in shown] == ["en", "zh"] and all(c._repr_png_().startswith(b"\x89PNG") for c in shown)
    assert not list(tmp_path.iterdir())
    assert sorted((p.name, p.stat().st_mtime_ns) for p in plotting.FIGURES.iterdir()) == before


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


# -- the workbook -----------------------------------------------------------------------------------------------

BOOK = FIG / "livelihood_comparison.xlsx"
COMPARISONS = list(dict.fromkeys(tables.load_comparisons()["comparison"]))


def _header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def test_workbook_opens_with_a_readme_sheet_then_the_comparisons():
    wb = load_workbook(BOOK)
    assert wb.sheetnames[0] == "README" and wb.sheetnames[1:1 + len(COMPARISONS)] == COMPARISONS
    text = " ".join(str(c.value) for row in wb["README"].iter_rows() for c in row if c.value)
    for sheet in wb.sheetnames[1:]:
        assert sheet in text
    for sid in analysis.load_sources()["source_id"]:
        assert sid in text
    assert "How to cite" in text and "CC BY 4.0" in text and "引用" in text


def test_workbook_headers_are_bilingual_and_repeated_on_every_printed_page():
    wb = load_workbook(BOOK)
    for ws in wb.worksheets[1:]:
        en, zh = [c.value for c in ws[1]], [c.value for c in ws[2]]
        assert all(en) and all(zh) and ws.freeze_panes == "A3" and ws.print_title_rows.replace("$", "") == "1:2"
        assert all(re.search(r"[\u4e00-\u9fff]", z) for z in zh), (ws.title, zh)
        assert ws["A1"].font.bold


def test_every_sheet_is_print_ready():
    wb = load_workbook(BOOK)
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth == 1 and int(ps.paperSize) == int(ws.PAPERSIZE_A4)
        assert ps.fitToHeight >= 1  # a bound no sheet reaches: only the width decides the scale
        if ws.title != "README":
            assert ps.orientation == "landscape"
            last = _last_data_row(ws)
            for row in ws.iter_rows(min_row=3, max_row=last):
                for c in row:
                    if isinstance(c.value, str) and len(c.value) > 20:
                        assert c.alignment.wrap_text, (ws.title, c.coordinate)


def _last_data_row(ws) -> int:
    for r in range(3, ws.max_row + 1):
        if all(c.value is None for c in ws[r]):
            return r - 1
    return ws.max_row


def test_notes_stand_on_their_own_rows_under_the_table():
    wb = load_workbook(BOOK)
    for name in COMPARISONS:
        ws = wb[name]
        end = _last_data_row(ws)
        notes = [ws.cell(r, 1).value for r in range(end + 2, ws.max_row + 1)]
        assert len(notes) >= 2 and notes[0].startswith("Source:")
        assert all(ws.cell(r, c).value is None for r in range(end + 2, ws.max_row + 1) for c in range(2, ws.max_column + 1))


def test_number_formats_follow_each_column_and_each_rows_unit():
    wb = load_workbook(BOOK)
    seen = set()
    for ws in wb.worksheets[1:]:
        head = _header(ws)
        cols = [export_col(ws, i) for i in range(len(head))]
        for r in range(3, _last_data_row(ws) + 1):
            for i, col in enumerate(cols):
                c = ws.cell(r, i + 1)
                if not isinstance(c.value, (int, float)) or isinstance(c.value, bool):
                    continue
                fmt = c.number_format
                if col == "population":
                    assert fmt == "#,##0", (ws.title, c.coordinate, fmt)  # never a percentage
                elif col in export.UNIT_VALUE_COLUMNS:
                    unit = ws.cell(r, cols.index(export.UNIT_VALUE_COLUMNS[col]) + 1).value
                    want = export.UNIT_FORMATS.get(unit, export.COUNT_FORMATS)
                    assert fmt in want, (ws.title, c.coordinate, unit, fmt)
                    seen.add(unit)
                    if unit not in ("percent", "percentage_points"):
                        assert "%" not in fmt and "pp" not in fmt
                elif col.endswith("_start"):
                    assert fmt == "0"
    assert {"percent", "percentage_points", "yuan", "persons"} <= seen


def export_col(ws, i: int) -> str:
    """The column id behind a bilingual header (the English header is a label)."""
    by_label = {}
    for col, (en, _) in export.COLUMN_LABELS.items():
        by_label.setdefault((en, export.COLUMN_LABELS[col][1]), col)
    return by_label.get((ws.cell(1, i + 1).value, ws.cell(2, i + 1).value), ws.cell(1, i + 1).value)


def test_numbers_are_numbers_and_dates_are_dates_on_every_sheet():
    import datetime as dt

    wb = load_workbook(BOOK)
    for ws in wb.worksheets[1:]:
        cols = [export_col(ws, i) for i in range(ws.max_column)]
        for r in range(3, _last_data_row(ws) + 1):
            for i, col in enumerate(cols):
                v = ws.cell(r, i + 1).value
                if export.numeric_column(col) and v is not None:
                    assert isinstance(v, (int, float)), (ws.title, ws.cell(r, i + 1).coordinate, v)
                if col in ("published", "accessed") and v is not None:
                    assert isinstance(v, dt.datetime) and ws.cell(r, i + 1).number_format == export.DATE_FORMAT
                if col == "published" and v is None:  # unknown: the date it was read stands beside it
                    assert isinstance(ws.cell(r, cols.index("accessed") + 1).value, dt.datetime)
    audit = wb["translation_audit"]
    cols = [export_col(audit, i) for i in range(audit.max_column)]
    numeric = [audit.cell(r, cols.index("en_value") + 1).value for r in range(3, _last_data_row(audit) + 1)]
    assert any(isinstance(v, float | int) for v in numeric)


def test_text_that_looks_like_a_number_stays_text():
    df = pd.DataFrame({"figure": ["26", "1,496"], "value": ["26", ""], "unit": ["items", "items"]})
    out = export.typed(df)
    assert list(out["figure"]) == ["26", "1,496"] and out["value"].iloc[0] == 26 and pd.isna(out["value"].iloc[1])


def test_the_workbook_is_byte_stable(tmp_path):
    sheets = [("s", pd.DataFrame({"value": [1.5, 20100.0], "unit": ["percent", "persons"]}), ["a note"])]
    a = export.write_workbook(sheets, tmp_path / "a.xlsx").read_bytes()
    b = export.write_workbook(sheets, tmp_path / "b.xlsx").read_bytes()
    assert a == b


def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def _pdftotext():
    return shutil.which("pdftotext")


@pytest.mark.skipif(not (_soffice() and _pdftotext()),
                    reason="LibreOffice or pdftotext is not installed (apt-get install libreoffice-calc-nogui poppler-utils)")
def test_each_comparison_sheet_prints_one_page_wide_in_libreoffice(tmp_path):
    """Converted to PDF by a real spreadsheet program, every page of a comparison sheet holds the first and the
    last column's header: no column spills onto a page of its own, and the header rows repeat."""
    for name in COMPARISONS:
        wb = load_workbook(BOOK)
        for other in [s for s in wb.sheetnames if s != name]:
            del wb[other]
        first, last = wb[name].cell(1, 1).value, wb[name].cell(1, wb[name].max_column).value
        book = tmp_path / f"{name}.xlsx"
        wb.save(book)
        out = subprocess.run([_soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                              "--outdir", str(tmp_path), str(book)], capture_output=True, text=True, timeout=180)
        assert out.returncode == 0, out.stderr
        text = subprocess.run([_pdftotext(), "-layout", str(tmp_path / f"{name}.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        pages = [p for p in text.split("\f") if p.strip()]
        assert pages
        for n, page in enumerate(pages, 1):
            words = " ".join(page.split())
            assert first in words and last.split()[0] in words, (name, n, first, last)


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
