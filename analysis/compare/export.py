"""The Excel workbook for report authors: a README sheet, one sheet per comparison, then observations,
sources and the translation audit. Ready to print and to read in English or Chinese.

Decisions
- **Bilingual headers**: one workbook, two header rows: row 1 the English header, row 2 the Chinese
  one (:data:`COLUMN_LABELS`; a column without a label shows its name in both). Both rows are frozen
  and repeated on every printed page. One workbook rather than two: the values (places, labels,
  quotes) are the same, and two files drift.
- **Number formats by column, and by row where a column mixes units.** ``value``, ``high`` and the
  audit's ``zh_value`` / ``en_value`` take the format of their row's unit (:data:`UNIT_FORMATS`):
  percent ``76.7%``, percentage points ``3.9 pp``, money ``¥2,200,000,000``, counts ``20,100``;
  ``population`` is always a count, ``per_10k`` two decimals, offsets (``*_start``) plain integers,
  ratios two decimals. No column takes another unit's format.
- **Numbers are numbers and dates are dates** on every sheet: a column named like a number
  (:func:`numeric_column`) whose non-empty cells all read as numbers is stored as numbers (a CSV read
  with ``keep_default_na=False`` holds such columns as text); dates are Excel dates (``yyyy-mm-dd``).
  Verbatim text (quotes, figures as written) is never converted.
- **Print-ready**: landscape A4, fit to one page wide (as many pages down as needed), the two header
  rows repeated, narrow margins, long text (quotes, notes, differs) wrapped in capped column widths,
  notes under a table one per row, a footer with the sheet name and page number.
- Text from the articles is always written as text: openpyxl would store a string that starts with
  ``=`` as a formula, so every string cell is set to the string type explicitly (a quote such as
  ``=HYPERLINK(...)`` stays inert).
- The file is written to a temp name and renamed, with fixed document dates and zip timestamps, so
  that re-running gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from analysis.core.paths import FIGURES, atomic_path

FIXED_TIME = dt.datetime(2022, 9, 22)  # the newest article's date: stable document properties
UNIT_FORMATS = {"percent": ('0.0"%"', '0.0"%"'), "percentage_points": ('0.0" pp"', '0.0" pp"'),
                "yuan": ('"¥"#,##0', '"¥"#,##0.00')}  # unit -> (integer, fraction); other units: counts
COUNT_FORMATS = ("#,##0", "#,##0.0#")
COLUMN_FORMATS = {"population": "#,##0", "per_10k": "#,##0.00", "ratio": "0.00"}
DATE_FORMAT = "yyyy-mm-dd"
UNIT_VALUE_COLUMNS = {"value": "unit", "high": "unit", "zh_value": "zh_unit", "en_value": "en_unit"}
WIDE_COLUMNS = {"place": 24, "city_en": 24, "parent_city_en": 20, "source_id": 22, "original_id": 22, "translation_id": 22, "quote": 38, "zh_quote": 30, "en_quote": 38, "note": 30, "title": 30, "what": 70, "sha256": 22}
MAX_WIDTH = 16  # other columns: text longer than this wraps (every text cell wraps, top-aligned)

# column -> (English header, Chinese header)
COLUMN_LABELS = {
    "place": ("Place", "地方"), "level": ("Level", "行政级别"), "indicator": ("Indicator", "指标"),
    "status": ("Status", "性质"), "period": ("Period", "时期"), "as_said": ("As stated", "原文数值"),
    "differs": ("How it differs", "口径差异"), "value": ("Value", "数值"), "high": ("Upper value", "上限"),
    "unit": ("Unit", "单位"), "qualifier": ("Qualifier", "限定"), "denominator": ("Denominator", "分母"),
    "scope": ("Scope", "统计范围"), "stock_flow": ("Stock or flow", "存量/流量"),
    "population": ("Population", "常住人口"), "per_10k": ("Per 10,000 residents", "每万常住人口"),
    "per_10k_note": ("Why no per-capita figure", "无人均数据的原因"), "flags": ("Flags", "标记"),
    "note": ("Note", "说明"), "doubtful": ("Doubtful", "存疑"), "source_id": ("Source", "来源"),
    "quote": ("Quote (verbatim)", "原文引文"), "city_en": ("Place", "地方"), "city_zh": ("Place (Chinese)", "地方 (中文)"),
    "admin_level": ("Level", "行政级别"), "parent_city_en": ("Parent city", "上级市"), "topic": ("Topic", "主题"),
    "figure": ("Figure as written", "原文数字"), "quote_start": ("Quote offset in raw file", "引文在原文件中的位置"),
    "path": ("Raw file", "原始文件"), "sha256": ("SHA-256 of the raw file", "原始文件SHA-256"),
    "url": ("URL", "网址"), "licence": ("Licence or terms of use", "许可或使用条款"), "citation": ("Citation", "引用方式"),
    "province": ("Province", "省份"), "language": ("Language", "语言"), "translation_of": ("Translation of", "译自"),
    "outlet": ("Outlet", "媒体"), "published": ("Published", "发布日期"), "accessed": ("Accessed", "访问日期"), "kind": ("Kind", "类型"),
    "title": ("Title", "标题"), "places": ("Places", "涉及地方"), "seed_file": ("Seed file", "原始文件名"),
    "original_id": ("Original", "原文"), "zh_figure": ("Chinese figure", "中文数字"), "zh_value": ("Chinese value", "中文数值"),
    "zh_unit": ("Chinese unit", "中文单位"), "zh_qualifier": ("Chinese qualifier", "中文限定"),
    "zh_quote": ("Chinese quote", "中文引文"), "zh_quote_start": ("Chinese quote offset", "中文引文位置"),
    "translation_id": ("Translation", "译文"), "en_figure": ("English figure", "英文数字"),
    "en_value": ("English value", "英文数值"), "en_unit": ("English unit", "英文单位"),
    "en_qualifier": ("English qualifier", "英文限定"), "en_quote": ("English quote", "英文引文"),
    "en_quote_start": ("English quote offset", "英文引文位置"), "ratio": ("English / Chinese", "英文/中文"),
    "error_kind": ("Disagreement", "差异类型"), "sheet": ("Sheet", "工作表"), "rows": ("Rows", "行数"),
    "what": ("What it holds", "内容"),
}


def numeric_column(name: str) -> bool:
    """True for a column that holds numbers by its name: values, bounds, offsets, populations, ratios."""
    return name in ("value", "high", "population", "per_10k", "ratio", "rows") or name.endswith(("_value", "_start"))


def typed(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with number-named columns as numbers (empty -> missing) where every non-empty cell is a number."""
    out = df.copy()
    for c in out.columns:
        if numeric_column(str(c)) and not pd.api.types.is_numeric_dtype(out[c]):
            text = out[c].astype("string").str.strip()
            nums = pd.to_numeric(text.where(text != ""), errors="coerce")
            if nums.notna().sum() == (text.fillna("") != "").sum():
                out[c] = nums
    return out


def number_format(col: str, unit: str, value: float) -> str | None:
    """The number format of one cell: by its column, or by its row's unit where the column mixes units."""
    if col in COLUMN_FORMATS:
        return COLUMN_FORMATS[col]
    if col.endswith("_start"):
        return "0"
    integer = float(value).is_integer()
    if col in UNIT_VALUE_COLUMNS or col == "rows":
        return UNIT_FORMATS.get(unit, COUNT_FORMATS)[0 if integer else 1]
    return COUNT_FORMATS[0 if integer else 1]


def _width(col: str, values) -> float:
    lengths = [len(COLUMN_LABELS.get(col, (col, col))[0]), 2 * len(COLUMN_LABELS.get(col, (col, col))[1])]
    for v in values:
        s = str(v) if v is not None else ""
        lengths.append(sum(2 if ord(ch) > 0x2e80 else 1 for ch in s))  # a CJK character is two columns wide
    head = max(len(w) for w in COLUMN_LABELS.get(col, (col, col))[0].split()) + 2  # the header wraps at its spaces
    return max(min(head, 24), min(WIDE_COLUMNS.get(col, MAX_WIDTH), max(lengths[2:] or [0]) + 2), 6)


def _lines(value, width: float) -> int:
    """How many lines a wrapped text cell takes in a column ``width`` characters wide (CJK characters count two)."""
    if not isinstance(value, str) or not value:
        return 1
    import math

    return sum(max(1, math.ceil(sum(2 if ord(ch) > 0x2e80 else 1 for ch in part) * 1.1 / max(width - 1, 1)))
               for part in value.split("\n"))


def write_sheet(wb, name: str, df: pd.DataFrame, notes, unit_col: str | None = "unit") -> None:
    """Add a sheet: two header rows (English, Chinese; bold, frozen, repeated on every printed page), the rows
    (text stays text, numbers numbers, dates dates, formats per column and unit), wrapped long text, one note per row."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    df = typed(df)
    ws = wb.create_sheet(name[:31])
    cols = [str(c) for c in df.columns]
    ws.append([COLUMN_LABELS.get(c, (c, c))[0] for c in cols])
    ws.append([COLUMN_LABELS.get(c, (c, c))[1] for c in cols])
    head_fill = PatternFill("solid", fgColor="EEEEEE")
    for r in (1, 2):
        for cell in ws[r]:
            cell.data_type = "s"
            cell.font = Font(bold=r == 1, italic=r == 2)
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[2]:
        cell.border = Border(bottom=Side(style="thin", color="999999"))
    wrap_top = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    units = {c: cols.index(u) for c, u in UNIT_VALUE_COLUMNS.items() if c in cols and u in cols}
    for values in df.itertuples(index=False):
        row = []
        for v in values:
            if v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
                v = None
            elif isinstance(v, pd.Timestamp):
                v = v.to_pydatetime()
            elif hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
                v = v.item()
            row.append(v)
        ws.append(row)
        r = ws.max_row
        for c, v in enumerate(row, start=1):
            cell = ws.cell(r, c)
            col = cols[c - 1]
            cell.alignment = wrap_top if isinstance(v, str) else top
            if isinstance(v, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(v, dt.datetime):
                cell.number_format = DATE_FORMAT
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                unit = str(row[units[col]] or "") if col in units else ""
                cell.number_format = number_format(col, unit, v)
    widths = [_width(c, df.iloc[:, i]) for i, c in enumerate(cols)]
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):  # wrapped text: tall enough rows (no program guesses them)
        lines = max(_lines(cell.value, widths[i]) for i, cell in enumerate(row))
        ws.row_dimensions[row[0].row].height = 15 * lines
    ws.append([])
    line_chars = max(40, int(sum(widths) * 0.9))
    import textwrap

    for note in ([notes] if isinstance(notes, str) else list(notes)):
        for para in str(note).split("\n"):
            for line in textwrap.wrap(para, line_chars) or [""]:
                ws.append([line])
                cell = ws.cell(ws.max_row, 1)
                cell.data_type = "s"
                cell.font = Font(italic=True)
    ws.freeze_panes = "A3"
    _print_ready(ws)


def _print_ready(ws) -> None:
    """Landscape A4, one page wide, header rows repeated, narrow margins, sheet name and page in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    # "as many pages down as needed": 0 means that to Excel, but LibreOffice then fits the whole sheet on one
    # page; a bound no sheet reaches (a page per row) means the same to both, and the width decides the scale.
    ws.page_setup.fitToHeight = max(1, ws.max_row)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.gridLines = False
    ws.oddFooter.center.text = "&A — &P / &N"


def readme_sheet(wb, sheets: list[tuple[str, pd.DataFrame, object]], about: dict) -> None:
    """The first sheet: what the workbook is, what each sheet holds, the sources, how to cite, the licence (both languages)."""
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet("README", 0)
    bold = Font(bold=True, size=12)

    def line(text="", font=None, wrap=False):
        ws.append([text])
        cell = ws.cell(ws.max_row, 1)
        cell.data_type = "s"
        if font:
            cell.font = font
        cell.alignment = Alignment(wrap_text=wrap, vertical="top")

    line(about["title"], Font(bold=True, size=14))
    for t in about.get("intro", []):
        line(t, wrap=True)
    line()
    line("Sheets / 工作表", bold)
    ws.append(["Sheet / 工作表", "Rows / 行数", "What it holds / 内容"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for name, df, _ in sheets:
        ws.append([name, len(df), about.get("sheets", {}).get(name, "")])
        ws.cell(ws.max_row, 1).data_type = "s"
        ws.cell(ws.max_row, 2).number_format = "#,##0"
        ws.cell(ws.max_row, 3).data_type = "s"
        for c in (1, 2, 3):
            ws.cell(ws.max_row, c).alignment = Alignment(wrap_text=c == 3, vertical="top")
    line()
    line("Sources / 来源", bold)
    for s in about.get("sources", []):
        line(s, wrap=True)
    line()
    line("How to cite / 引用", bold)
    for t in about.get("cite", []):
        line(t, wrap=True)
    line()
    line("Licence / 许可", bold)
    for t in about.get("licence", []):
        line(t, wrap=True)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 100
    for row in ws.iter_rows(min_col=1, max_col=3):  # long lines in column A: spread over A:C; rows tall enough
        a, c = row[0], row[2]
        lines = _lines(c.value, 100)
        if isinstance(a.value, str) and len(a.value) > 22 and ws.cell(a.row, 2).value is None:
            ws.merge_cells(start_row=a.row, start_column=1, end_row=a.row, end_column=3)
            lines = _lines(a.value, 125)
        size = (a.font.size or 11) if a.font else 11
        ws.row_dimensions[a.row].height = max(15, size * 1.45) * lines
    _print_ready(ws)
    ws.print_title_rows = None
    ws.page_setup.orientation = "portrait"


def _stable_zip(src, dst: Path) -> None:
    """Copy a zip with every entry's timestamp fixed, in the same order."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", data)
            zout.writestr(fixed, data)


def write_workbook(sheets: list[tuple[str, pd.DataFrame, object]], path: Path | None = None,
                   about: dict | None = None) -> Path:
    """Write ``(sheet name, table, notes)`` sheets to ``figures/livelihood_comparison.xlsx`` atomically.

    ``notes`` is a string (one note per line) or a list of notes: each goes on its own row under the
    table. With ``about`` (title, intro, sheets: name -> description, sources, cite, licence: lists of
    lines), a first sheet ``README`` says what the workbook holds (:func:`readme_sheet`).
    """
    from openpyxl import Workbook

    path = Path(path) if path else FIGURES / "livelihood_comparison.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    for name, df, notes in sheets:
        write_sheet(wb, name, df, notes)
    if about:
        readme_sheet(wb, sheets, about)
    wb.active = 0
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "minsheng-analysis"
    if about:
        wb.properties.title = about["title"]
    saved = io.BytesIO()
    wb.save(saved)
    with atomic_path(path) as tmp:
        _stable_zip(saved, tmp)
    return path


def about_workbook(sheets: list[tuple[str, pd.DataFrame, object]], source_ids, root: Path | None = None) -> dict:
    """The README sheet's words, computed from the sheets and the manifest (nothing names a place)."""
    from analysis.compare.publish import LICENCE, PROJECT, VERSION, source_list
    from analysis.compare.tables import load_comparisons

    comps = load_comparisons(root)
    desc = {}
    for name in comps["comparison"].unique():
        n = (comps["comparison"] == name).sum()
        desc[name] = (f"Comparison '{name}': {n} indicators of data/comparisons.csv, one row per place, indicator and kind "
                      f"of figure (every place, 'not reported' where it has none), with quotes / 比较: {n}个指标, 每地每类一行")
    desc.update({
        "observations": "Every figure taken from the articles, with its verbatim quote and its offset in the raw file / 全部数据及原文引文",
        "sources": "The articles: outlet, date, title, raw file and its SHA-256 / 原始报道",
        "translation_audit": "An English machine translation against its Chinese original: every disagreement / 机器翻译核对",
    })
    srcs = [f"{s['source_id']}: {s['outlet']}, {s['published']}, “{s['title']}” ({s['file']})" for s in source_list(source_ids, "en", root)]
    title = "Livelihood (民生) figures of Chinese city governments' reports: comparison workbook / 民生数据比较工作簿"
    return {
        "title": title,
        "intro": ["Figures quoted in city governments' livelihood reports, as tidy data: every value carries its source, "
                  "its verbatim quote and the quote's place in the raw file. Read status, period and 'How it differs' "
                  "before setting two rows side by side.",
                  "各市政府民生报道中引用的数据, 每个数值均附来源、原文引文及其在原始文件中的位置。并列比较前请先看性质、时期和口径差异。",
                  "Two header rows on every sheet: English, then Chinese. / 每个工作表有两行表头: 英文, 中文。"],
        "sheets": desc, "sources": srcs,
        "cite": [f"{PROJECT} {VERSION}: {title}. Data from the articles listed above (outlet, date).",
                 f"{PROJECT} {VERSION}: 民生数据比较工作簿。数据来源见上列报道 (媒体, 日期)。"],
        "licence": [LICENCE["en"], LICENCE["zh"]],
    }


# The columns of a comparison sheet, in order: what a report author reads. The ids behind the labels, the
# denominator, scope and stock/flow (said in words in "How it differs"), the qualifier (in "As stated"),
# the editorial note and the doubtful mark (in "Flags") are in the observations sheet.
COMPARISON_COLUMNS = ["place", "level", "indicator", "status", "period", "as_said", "differs", "value", "unit",
                      "population", "per_10k", "per_10k_note", "flags", "source_id", "quote"]


def comparison_sheet(table: pd.DataFrame) -> pd.DataFrame:
    """The report author's view of a :func:`analysis.compare.tables.comparison_table`: :data:`COMPARISON_COLUMNS`."""
    return table[COMPARISON_COLUMNS].copy()
