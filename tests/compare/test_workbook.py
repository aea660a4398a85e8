"""The workbooks for report authors (issue 22): one per language, each sheet one table (one header row, an AutoFilter,
header and first column frozen), "As stated" in the article's words, and a print layout that never prints text
below 7 pt, checked in a real spreadsheet program.

Expectations come from the clean data, the codebook and vocabularies at test time, or from scratch tables."""

import datetime as dt
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

import analysis
from analysis.compare import export, tables
from analysis.metadata.codebook import load_codebook, load_vocabularies
from analysis.metadata.comparability import UNIT_LABEL

ROOT = Path(__file__).resolve().parents[2]
FIG = ROOT / "figures"
sys.path.insert(0, str(ROOT / "tests"))
from conftest import observations  # noqa: E402

OBS = observations()  # loaded once per process (every module gets its own copy)
BOOKS = {lang: FIG / export.WORKBOOKS[lang] for lang in export.LANGS}
COMPARISONS = list(dict.fromkeys(tables.load_comparisons()["comparison"]))
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def books():
    return {lang: load_workbook(path) for lang, path in BOOKS.items()}


def _header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def _cols(ws, lang) -> list[str]:
    """The column ids behind a sheet's headers."""
    by_label = {}
    for col in export.COLUMN_LABELS:
        by_label.setdefault(export.header(col, lang), col)
    return [by_label.get(h, h) for h in _header(ws)]


def _last_data_row(ws) -> int:
    for r in range(2, ws.max_row + 1):
        if all(c.value is None for c in ws[r]):
            return r - 1
    return ws.max_row


def _tables(book):
    return book.worksheets[1:]


@pytest.mark.parametrize("lang", export.LANGS)
def test_each_workbook_opens_with_a_readme_sheet_then_the_comparisons(books, lang):
    wb = books[lang]
    assert wb.sheetnames[0] == export.sheet_name("README", lang)
    assert wb.sheetnames[1:1 + len(COMPARISONS)] == [export.sheet_name(c, lang) for c in COMPARISONS]
    text = " ".join(str(c.value) for row in wb.worksheets[0].iter_rows() for c in row if c.value)
    for sheet in wb.sheetnames[1:]:
        assert sheet in text
    for sid in analysis.load_sources()["source_id"]:
        assert sid in text
    assert "CC BY 4.0" in text and export.README_WORDS[lang]["cite"] in text
    if lang == "zh":  # every sheet name is Chinese
        assert all(CJK.search(s) for s in wb.sheetnames), wb.sheetnames


@pytest.mark.parametrize("lang", export.LANGS)
def test_every_sheet_is_one_table_with_one_header_row_a_filter_and_frozen_panes(books, lang):
    for ws in _tables(books[lang]):
        head = _header(ws)
        assert all(head) and all(c.font.bold for c in ws[1]), ws.title
        assert all(bool(CJK.search(h)) == (lang == "zh") for h in head), (ws.title, head)  # one language
        assert not set(head) & {c.value for c in ws[2]}, ws.title  # row 2 is data, not a second header
        last = _last_data_row(ws)
        assert ws.auto_filter.ref == f"A1:{get_column_letter(len(head))}{last}", ws.title  # not the notes
        assert ws.freeze_panes == "B2" and ws.print_title_rows.replace("$", "") == "1:1", ws.title


@pytest.mark.parametrize("lang", export.LANGS)
def test_labels_and_units_are_in_the_workbooks_language(books, lang):
    zh = lang == "zh"
    voc = load_vocabularies()
    indicators = set(load_codebook()["label_zh" if zh else "label_en"])
    statuses = set(voc.loc[voc["field"] == "status", "label_zh" if zh else "label_en"]) | {tables.NOT_REPORTED[lang]}
    units = set(UNIT_LABEL[lang].values())
    flags = set(voc.loc[voc["field"] == "flag", "label_zh" if zh else "label_en"])
    wb = books[lang]
    for name in [*COMPARISONS, "observations"]:
        ws = wb[export.sheet_name(name, lang)]
        cols = _cols(ws, lang)
        for r in range(2, _last_data_row(ws) + 1):
            row = {c: ws.cell(r, i + 1).value for i, c in enumerate(cols)}
            assert row["indicator"] in indicators and row["status"] in statuses, (ws.title, r, row)
            assert row["unit"] is None or row["unit"] in units, (ws.title, r, row["unit"])
            assert row["flags"] is None or set(row["flags"].split("; ")) <= flags, (ws.title, r, row["flags"])
            if zh:
                assert CJK.search(row["place"]), (ws.title, r, row["place"])


def _rows(ws, lang) -> list[dict]:
    cols = _cols(ws, lang)
    return [{c: ws.cell(r, i + 1).value for i, c in enumerate(cols)} for r in range(2, _last_data_row(ws) + 1)]


@pytest.mark.parametrize("lang", export.LANGS)
def test_as_stated_is_the_articles_wording_and_the_value_a_number(books, lang):
    wb = books[lang]
    core = _rows(wb[export.sheet_name("observations", lang)], lang)
    prov = _rows(wb[export.sheet_name("provenance", lang)], lang)
    assert [r["row"] for r in core] == [r["row"] for r in prov] == list(range(1, len(OBS) + 1))
    for obs, c, p in zip(OBS.to_dict("records"), core, prov, strict=True):
        said = c["as_said"]  # the column "figure", headed "As stated" like the comparisons' as_said
        assert said == obs["figure"] and said in p["quote"]  # the article's words, in its quote
        assert isinstance(c["value"], (int, float)) and c["value"] == pytest.approx(obs["value"])
        assert p["quote"] == obs["quote"] and p["quote_start"] == obs["quote_start"]
    for name in COMPARISONS:
        for r in _rows(wb[export.sheet_name(name, lang)], lang):
            if r["row"] is not None:  # a reported figure: as stated in its own quote, the row keys it
                assert r["as_said"] == core[r["row"] - 1]["as_said"] and r["as_said"] in r["quote"]
                assert r["value"] == pytest.approx(core[r["row"] - 1]["value"])


def test_as_stated_of_a_scratch_table_is_its_figure_not_a_formatted_number(tmp_path):
    obs = OBS[OBS["unit"].astype(str) == "yuan"].head(1)
    assert len(obs)
    table = tables.comparison_table(obs, [str(obs["indicator"].iloc[0])], not_reported=False)
    sheet = export.comparison_sheet(table, obs)
    assert sheet["as_said"].iloc[0] == obs["figure"].iloc[0] != tables.fmt_value(obs["value"].iloc[0], "yuan", "exact")


def _unit_ids(lang):
    return {label: unit for unit, label in UNIT_LABEL[lang].items()}


@pytest.mark.parametrize("lang", export.LANGS)
def test_number_formats_follow_each_column_and_each_rows_unit(books, lang):
    seen = set()
    ids = _unit_ids(lang)
    formats = export.UNIT_FORMATS_ZH if lang == "zh" else export.UNIT_FORMATS
    for ws in _tables(books[lang]):
        cols = _cols(ws, lang)
        for r in range(2, _last_data_row(ws) + 1):
            for i, col in enumerate(cols):
                c = ws.cell(r, i + 1)
                if not isinstance(c.value, (int, float)) or isinstance(c.value, bool):
                    continue
                if col in export.UNIT_VALUE_COLUMNS:
                    unit = ids.get(ws.cell(r, cols.index(export.UNIT_VALUE_COLUMNS[col]) + 1).value, "")
                    assert c.number_format in formats.get(unit, export.COUNT_FORMATS), (ws.title, c.coordinate, unit)
                    seen.add(unit)
                    if unit not in ("percent", "percentage_points"):
                        assert "%" not in c.number_format and "pp" not in c.number_format
                elif col.endswith("_start") or col == "row":
                    assert c.number_format == "0"
    assert {"percent", "percentage_points", "yuan", "persons"} <= seen


@pytest.mark.parametrize("lang", export.LANGS)
def test_numbers_are_numbers_and_dates_are_dates_on_every_sheet(books, lang):
    for ws in _tables(books[lang]):
        cols = _cols(ws, lang)
        for r in range(2, _last_data_row(ws) + 1):
            for i, col in enumerate(cols):
                v = ws.cell(r, i + 1).value
                if export.numeric_column(col) and v is not None:
                    assert isinstance(v, (int, float)), (ws.title, ws.cell(r, i + 1).coordinate, v)
                if col in ("published", "accessed") and v is not None:
                    assert isinstance(v, dt.datetime) and ws.cell(r, i + 1).number_format == export.DATE_FORMAT
                if col == "published" and v is None:  # unknown: the date it was read stands beside it
                    assert isinstance(ws.cell(r, cols.index("accessed") + 1).value, dt.datetime)


def test_notes_stand_on_their_own_rows_under_the_table(books):
    for lang, wb in books.items():
        for name in COMPARISONS:
            ws = wb[export.sheet_name(name, lang)]
            end = _last_data_row(ws)
            notes = [ws.cell(r, 1).value for r in range(end + 2, ws.max_row + 1)]
            assert len(notes) >= 2 and notes[0].startswith(("Source:", "来源："))
            assert all(ws.cell(r, c).value is None for r in range(end + 2, ws.max_row + 1) for c in range(2, ws.max_column + 1))


def _widths(ws) -> list[float]:
    return [ws.column_dimensions[get_column_letter(i)].width for i in range(1, ws.max_column + 1)]


@pytest.mark.parametrize("lang", export.LANGS)
def test_every_sheet_prints_at_7_pt_or_more_ids_whole_and_headers_tall_enough(books, lang):
    for ws in books[lang].worksheets:
        ps = ws.page_setup
        assert int(ps.paperSize) == int(ws.PAPERSIZE_A4) and ps.orientation == "landscape"
        widths = _widths(ws)
        if ws.sheet_properties.pageSetUpPr.fitToPage:  # fitted to the page width: the scale keeps 7 pt
            assert ps.fitToWidth == 1 and ps.fitToHeight >= 1
            assert export.FONT_PT * export.print_scale(widths) >= export.MIN_PT, ws.title
        else:  # at 100 %: the columns fit the page
            assert sum(export.column_points(w) for w in widths) <= export.PRINTABLE_PT, ws.title
        if ws is books[lang].worksheets[0]:
            continue
        cols = _cols(ws, lang)
        for i, col in enumerate(cols):
            cells = [ws.cell(r, i + 1).value for r in range(2, _last_data_row(ws) + 1)]
            if col in export.ID_COLUMNS:  # an id is never wrapped mid-word
                assert widths[i] >= max(len(str(v)) for v in cells if v) + 1, (ws.title, col)
            else:
                for r, v in enumerate(cells, start=2):
                    if isinstance(v, str) and len(v) > 20:
                        assert ws.cell(r, i + 1).alignment.wrap_text, (ws.title, r, col)
        for i, h in enumerate(_header(ws)):  # the header row holds its wrapped headers
            assert ws.row_dimensions[1].height >= 15 * export._lines(h, widths[i] * 0.9), (ws.title, h)


def test_a_table_too_wide_to_print_at_7_pt_is_refused_and_a_narrow_one_fills_the_page(tmp_path):
    wide = pd.DataFrame({f"quote{i}": ["a long quote " * 8] for i in range(12)})
    with pytest.raises(ValueError, match="7 pt"):
        export.write_workbook([("wide", wide, "")], tmp_path / "w.xlsx")
    narrow = pd.DataFrame({"quote": ["a long quote " * 40], "value": [1.0], "unit": ["persons"]})
    ws = load_workbook(export.write_workbook([("n", narrow, "")], tmp_path / "n.xlsx"))["n"]
    assert ws.column_dimensions["A"].width > export.WIDE_COLUMNS["quote"]
    assert sum(export.column_points(w) for w in _widths(ws)) <= export.PRINTABLE_PT


def test_text_that_looks_like_a_number_stays_text():
    df = pd.DataFrame({"figure": ["26", "1,496"], "value": ["26", ""], "unit": ["items", "items"]})
    out = export.typed(df)
    assert list(out["figure"]) == ["26", "1,496"] and out["value"].iloc[0] == 26 and pd.isna(out["value"].iloc[1])


@pytest.mark.parametrize("lang", export.LANGS)
def test_the_workbook_is_byte_stable(tmp_path, lang):
    sheets = [("s", pd.DataFrame({"value": [1.5, 20100.0], "unit": ["percent", "persons"]}), ["a note"])]
    a = export.write_workbook(sheets, tmp_path / "a.xlsx", lang=lang).read_bytes()
    b = export.write_workbook(sheets, tmp_path / "b.xlsx", lang=lang).read_bytes()
    assert a == b


# -- printed by LibreOffice (both workbooks converted once per session) -----------------------------------------

def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def printed(tmp_path_factory):
    """Both workbooks converted to PDF by LibreOffice in one call: lang -> (PDF path, pages), each page a dict of
    its sheet (from the footer), its words with their boxes and its font sizes."""
    if not (_soffice() and shutil.which("pdftotext")):
        pytest.skip("LibreOffice or pdftotext is not installed (apt-get install libreoffice-calc-nogui poppler-utils)")
    out = tmp_path_factory.mktemp("printed")
    out_run = subprocess.run([_soffice(), "--headless", f"-env:UserInstallation=file://{out}/lo", "--convert-to", "pdf",
                              "--outdir", str(out), *map(str, BOOKS.values())], capture_output=True, text=True, timeout=300)
    assert out_run.returncode == 0, out_run.stderr
    return {lang: _pages(out / (BOOKS[lang].stem + ".pdf")) for lang in BOOKS}


def _pages(pdf: Path) -> list[dict]:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    import html as h

    pages = []
    for body in re.findall(r"<page [^>]*>(.*?)</page>", html, re.S):
        words = [(h.unescape(w), float(y0), float(y1)) for y0, y1, w in
                 re.findall(r'<word xMin="[^"]*" yMin="([^"]*)" xMax="[^"]*" yMax="([^"]*)">([^<]*)</word>', body)]
        text = " ".join(w for w, *_ in words)
        m = re.search(r"(\S+) — \d+ / \d+", text)
        pages.append({"sheet": m.group(1) if m else None, "words": words})
    sizes = _font_sizes(pdf)
    assert len(sizes) == len(pages) or not sizes
    for p, s in zip(pages, sizes, strict=False):
        p["sizes"] = s
    return pages


def _font_sizes(pdf: Path) -> list[list[float]]:
    """The font size of every text run (``Tf``), page by page, from the PDF's content streams (LibreOffice writes
    text at its printed size, with no scaling transform; a scaling ``cm`` fails the test rather than hide one)."""
    data = pdf.read_bytes()
    streams = {}
    for m in re.finditer(rb"(\d+) 0 obj\s*<<(.*?)>>\s*stream\r?\n", data, re.S):
        start = m.end()
        end = data.index(b"endstream", start)
        try:
            streams[int(m.group(1))] = zlib.decompress(data[start:end].rstrip(b"\r\n"))
        except zlib.error:
            continue
    pages = []
    for m in re.finditer(rb"/Type\s*/Page\b(?!s)(.*?)>>", data, re.S):
        refs = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", m.group(1))
        ids = [int(x) for x in re.findall(rb"(\d+) 0 R", refs.group(1))] if refs else []
        content = b"".join(streams.get(i, b"") for i in ids)
        for a, _b, _c, d in re.findall(rb"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) [-\d.]+ [-\d.]+ cm", content):
            assert abs(float(a)) in (0.0, 1.0) and abs(float(d)) in (0.0, 1.0), (pdf.name, "a scaling transform")
        pages.append([float(s) for s in re.findall(rb"/F\d+ ([\d.]+) Tf", content)])
    return pages


@pytest.mark.parametrize("lang", export.LANGS)
def test_no_printed_text_is_smaller_than_7_pt(printed, lang):
    sizes = [s for p in printed[lang] for s in p["sizes"]]
    assert sizes and min(sizes) >= export.MIN_PT - 0.05, min(sizes)


@pytest.mark.parametrize("lang", export.LANGS)
def test_every_printed_page_starts_with_its_sheets_header_once(printed, books, lang):
    """Every page of a table holds the first word of every column's header on its top line, and on no other line:
    the header repeats on every page, once, and no column spills onto a page of its own."""
    wb = books[lang]
    seen = set()
    for n, page in enumerate(printed[lang], 1):
        if page["sheet"] == wb.sheetnames[0]:
            continue
        assert page["sheet"] in wb.sheetnames, (lang, n)
        seen.add(page["sheet"])
        firsts = {re.split(r"[\s(]", h)[0][:2 if CJK.match(h) else None] for h in _header(wb[page["sheet"]]) if h}
        lines = []  # the page's lines of words, top down (words within 2 pt of a line's top are on it)
        for w, y0, _ in sorted(page["words"], key=lambda t: t[1]):
            if not lines or y0 - lines[-1][0] > 2:
                lines.append((y0, []))
            lines[-1][1].append(w)

        def holds(ws, firsts=firsts):
            return all(any(w.startswith(f) for w in ws) for f in firsts)

        assert holds(lines[0][1]), (lang, n, page["sheet"], firsts, lines[0][1])
        assert sum(holds(ws) for _, ws in lines) == 1, (lang, n, page["sheet"])
    assert seen == set(wb.sheetnames[1:])


def _cjk_free(text: str) -> list[str]:
    """The words of a text outside its CJK characters and punctuation."""
    return [w.strip(".,;:()“”\"'") for w in re.sub(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]", " ", text).split()]


@pytest.mark.parametrize("lang", export.LANGS)
def test_every_cells_text_is_on_the_printed_pages(printed, books, lang):
    """Nothing is clipped or lost: every word of every text cell of a sheet (each CJK character, since CJK text
    wraps anywhere) is on that sheet's printed pages; no number shows as ###."""
    wb = books[lang]
    for ws in wb.worksheets:
        pages = [p for p in printed[lang] if p["sheet"] == ws.title]
        assert pages, ws.title
        words = [w for p in pages for w, *_ in p["words"]]
        assert not any(w.startswith("###") for w in words), ws.title
        pieces = {x.strip(".,;:()“”\"'") for w in words for x in re.split(r"(?<=-)", w)} | {
            w.strip(".,;:()“”\"'") for w in words}
        chars, joined = set("".join(words)), "".join(words)
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str):
                    continue
                assert set(CJK.findall(c.value)) <= chars, (ws.title, c.coordinate)
                for w in _cjk_free(c.value):
                    parts = [x.strip(".,;:()“”\"'") for x in re.split(r"(?<=-)", w)]
                    assert w in pieces or all(x in pieces for x in parts if x) or w in joined, (ws.title, c.coordinate, w)
