"""Comparisons keep places that reported nothing, scale by the right population; charts render Chinese
without missing glyphs; the workbook keeps article text inert and opens in a real spreadsheet program."""

import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import analysis
from analysis.compare import export, plotting, tables

ROOT = Path(__file__).resolve().parents[2]
FIG = ROOT / "figures"
sys.path.insert(0, str(ROOT / "tests"))
from conftest import observations  # noqa: E402

OBS = observations()  # loaded once per process (every module gets its own copy)


def test_every_place_appears_and_missing_ones_say_not_reported():
    t = tables.comparison_table(OBS, "livelihood_spending_share")
    places = set(analysis.load_places()["place_en"])
    reporting = set(OBS.loc[OBS["indicator"] == "livelihood_spending_share", "city_en"])
    assert set(t["place_en"]) == places  # every place appears
    assert set(t.loc[t["status"] == "not reported", "place_en"]) == places - reporting
    silent = len(places - reporting)
    assert silent and list(t["status_id"])[-silent:] == ["not reported"] * silent  # reported rows first
    linyi = t[t["place_en"] == "Linyi"].iloc[0]
    assert (linyi["status"], linyi["as_said"], linyi["qualifier"]) == ("target", "≥ 80%", "at_least")  # "more than" in a translation
    assert t["per_10k"].isna().all()  # a share is never divided by population


def test_per_capita_uses_census_then_stated_population_then_nothing():
    pop = tables.population(OBS).set_index("place_en")
    assert pop.at["Linyi", "population"] == 11_018_365 and "普查" in pop.at["Linyi", "pop_source"]
    assert pop.at["Tengzhou", "population"] == 1_570_000 and "1.57 million" in pop.at["Tengzhou", "pop_source"]
    assert pd.isna(pop.at["Shizhong District", "population"]) and pop.at["Shizhong District", "pop_note"]
    t = tables.comparison_table(OBS, "new_urban_jobs").set_index("place_en")
    assert t.at["Zaozhuang", "per_10k"] == pytest.approx(20_100 / 3_855_601 * 10_000, abs=0.01)
    seats = tables.comparison_table(OBS, "school_seats_added").set_index("place_en")
    assert seats.at["Tengzhou", "per_10k"] == pytest.approx(11_000 / 1_570_000 * 10_000, abs=0.01)
    assert "seats_per_school" in seats.at["Zaozhuang", "flags"] and seats.at["Zaozhuang", "doubtful"]
    # the city seat's schools: never divided by the whole city's population
    assert pd.isna(seats.at["Zaozhuang", "per_10k"]) and "city_seat" in seats.at["Zaozhuang", "per_10k_note"]


def test_chinese_table_takes_labels_from_the_codebook():
    t = tables.comparison_table(OBS, "new_urban_jobs", lang="zh")
    assert t["indicator"].iloc[0] == "城镇新增就业" and "未报告" in set(t["status"]) and "2022年上半年" in set(t["period"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_chart_renders_without_missing_glyphs(lang, tmp_path):
    table = tables.comparison_table(OBS, ["new_urban_jobs", "teachers_to_recruit"], lang=lang)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plotting.comparison_chart(table, "测试标题 Test title 徐州 滕州 市中区", lang=lang, metric="per_10k")
        paths = plotting.save(fig, "t", tmp_path)
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    assert not glyphs, glyphs[:3]
    assert all(p.stat().st_size > 10_000 for p in paths[:2])  # PNG and SVG; then the data bundle (CSV, JSON)


def test_svg_is_byte_stable(tmp_path):
    table = tables.comparison_table(OBS, "new_urban_jobs")
    a = plotting.save(plotting.comparison_chart(table, "x", "en"), "a", tmp_path)[1].read_bytes()
    b = plotting.save(plotting.comparison_chart(table, "x", "en"), "b", tmp_path)[1].read_bytes()
    assert a == b and b"<dc:date>" not in a


CHARTS = ["spending_share", "employment_per10k", "employment_absolute", "education_absolute", "education_per10k"]


@pytest.mark.parametrize("name", CHARTS)
def test_every_comparison_has_png_and_svg_in_both_languages(name):
    from PIL import Image

    for lang in ("en", "zh"):
        png, svg = FIG / f"{name}_{lang}.png", FIG / f"{name}_{lang}.svg"
        assert svg.stat().st_size > 10_000
        with Image.open(png) as im:
            dpi = im.info.get("dpi", (0, 0))
            assert round(dpi[0]) >= 200 and im.size[0] >= 1500  # 16 cm wide at 250 dpi


def test_workbook_sheets_and_formats():
    wb = load_workbook(FIG / "livelihood_comparison.xlsx")
    assert wb.sheetnames == ["README", *dict.fromkeys(tables.load_comparisons()["comparison"]), "observations",
                             "provenance", "sources", "raw_files", "references", "translation_audit"]
    ws = wb["employment"]
    assert ws.freeze_panes == "B2" and ws["A1"].font.bold and ws["A2"].value != "地方"  # no second header
    header = [c.value for c in ws[1]]
    value_col = header.index("Value") + 1
    table = tables.comparison_table(OBS, tables.comparison_indicators("employment"))
    first = ws.cell(2, value_col)  # row 1: the one header row
    assert first.value == table["value"].iloc[0] and first.number_format == "#,##0"  # the first row, a count
    spending = wb["spending"]
    shares = [spending.cell(r, value_col) for r in range(2, spending.max_row + 1)
              if spending.cell(r, header.index("Unit") + 1).value == "%"]  # the unit in words
    assert shares and all("%" in c.number_format for c in shares)
    per = ws.cell(2, header.index("Per 10,000 residents") + 1)
    assert per.value == pytest.approx(table["per_10k"].iloc[0]) and per.number_format == "#,##0.00"
    notes = [str(ws.cell(r, 1).value) for r in range(2, ws.max_row + 1)]  # the notes rows follow the table
    assert any(n.startswith("Source:") for n in notes) and any("2020 census" in n for n in notes)
    # a place's name wraps at its spaces, never inside a word
    assert ws.column_dimensions["A"].width >= max(len(w) for p in analysis.load_places()["place_en"] for w in p.split())


HOSTILE = ['=HYPERLINK("http://example.com","x")', "+1+1", "-2+3", "@SUM(A1:A2)", "=1/0"]


def _hostile_book(tmp_path) -> Path:
    df = pd.DataFrame({"quote": HOSTILE, "value": [1.0] * len(HOSTILE), "unit": ["persons"] * len(HOSTILE)})
    return export.write_workbook([("hostile", df, "=notes that look like a formula")], tmp_path / "h.xlsx")


def test_hostile_text_stays_text_in_openpyxl(tmp_path):
    ws = load_workbook(_hostile_book(tmp_path))["hostile"]
    cells = [ws.cell(r, 1) for r in range(2, 2 + len(HOSTILE))]  # under the header row
    assert [c.value for c in cells] == HOSTILE and all(c.data_type == "s" for c in cells)
    assert ws.cell(ws.max_row, 1).data_type == "s"


def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(not _soffice(), reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
def test_real_spreadsheet_program_opens_the_workbook_and_keeps_text_inert(tmp_path):
    book = _hostile_book(tmp_path)
    shutil.copy(FIG / "livelihood_comparison.xlsx", tmp_path / "main.xlsx")
    opts = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    # both books in one call: LibreOffice starts once
    out = subprocess.run([_soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", opts,
                          "--outdir", str(tmp_path), str(book), str(tmp_path / "main.xlsx")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "h-hostile.csv").read_text(encoding="utf-8")
    for h in HOSTILE:
        assert h.replace('"', '""') in text  # the literal text, not an evaluated formula
    assert "#DIV/0" not in text and "Err:" not in text
    employment = (tmp_path / "main-employment.csv").read_text(encoding="utf-8")
    assert '"20,100"' in employment and "not reported" in employment  # shown with its number format
    assert sorted(p.name for p in tmp_path.glob("main-*.csv")) == sorted(
        f"main-{s}.csv" for s in load_workbook(FIG / "livelihood_comparison.xlsx").sheetnames)
