"""The Excel workbooks for report authors, one per language: a README sheet, one sheet per comparison, then
the observations and their provenance, the sources, their raw files and the translation audit. Each sheet is
one table a spreadsheet program can sort, filter and pivot, and prints on A4 with no text below 7 pt.

Decisions
- **One header row, one language per workbook.** ``figures/livelihood_comparison.xlsx`` is English
  (sheet names, headers, values, units, labels); ``figures/livelihood_comparison_zh.xlsx`` is Chinese
  (sheet names :data:`SHEET_NAMES`, headers :data:`COLUMN_LABELS`, indicator labels ``label_zh`` of
  ``data/codebook.csv``, status, scope, denominator, flag labels ``label_zh`` of
  ``data/vocabularies.csv``, unit words of :func:`analysis.metadata.comparability.unit_label`). A
  second header row (the other language) broke sort, filter and pivot tables: a table has one header
  row. Both books are written from the same tables by notebook 23, so they cannot drift. Verbatim text
  (quotes, figures as stated, titles) stays in the article's language in both; editorial notes are
  English in both (they are written in English).
- **A table per sheet**: an AutoFilter over the header and the data rows (never the notes under the
  table), the header row and the first column frozen (``B2``), the header row repeated on every
  printed page.
- **"As stated" is the article's wording**: the figure as the article wrote it (``figure``, the part
  of the quote the value was parsed from: ``124.7亿元``, ``more than 80%``), never a formatted number;
  ``Value`` beside it is the number, stored as a number.
- **Number formats by column, and by row where a column mixes units.** ``value``, ``high`` and the
  audit's ``zh_value`` / ``en_value`` take the format of their row's unit (:data:`UNIT_FORMATS`):
  percent ``76.7%``, percentage points ``3.9 pp`` (``3.9个百分点``), money ``¥2,200,000,000``, counts
  ``20,100``; ``population`` is always a count, ``per_10k`` two decimals, offsets (``*_start``) plain
  integers, ratios two decimals. No column takes another unit's format. The unit column shows the
  unit in words; the formats follow the unit id behind the words.
- **Numbers are numbers and dates are dates** on every sheet: a column named like a number
  (:func:`numeric_column`) whose non-empty cells all read as numbers is stored as numbers (a CSV read
  with ``keep_default_na=False`` holds such columns as text); dates are Excel dates (``yyyy-mm-dd``).
  Verbatim text (quotes, figures as written) is never converted.
- **Print-ready, never below 7 pt, never overprinting**: landscape A4, narrow margins, fit to one page
  wide only where the sheet's column widths let the scale keep 11 pt text at 7 pt or more
  (:func:`print_scale`; :func:`write_sheet` refuses a sheet that would print smaller: split it or drop
  columns). So the observations are two sheets keyed by their row number, ``observations`` (what a
  reader compares) and ``provenance`` (source, indicator id, quote, its offset, the note), and the
  sources two, ``sources`` and ``raw_files``. Every row, the header included, is as tall as its
  longest wrapped cell; ids (source ids, indicator ids, file names, checksums) are never wrapped: their
  column is as wide as the longest. Footer: sheet name and page.
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
LANGS = ("en", "zh")
WORKBOOKS = {"en": "livelihood_comparison.xlsx", "zh": "livelihood_comparison_zh.xlsx"}
UNIT_FORMATS = {"percent": ('0.0"%"', '0.0"%"'), "percentage_points": ('0.0" pp"', '0.0" pp"'),
                "yuan": ('"¥"#,##0', '"¥"#,##0.00')}  # unit -> (integer, fraction); other units: counts
UNIT_FORMATS_ZH = {**UNIT_FORMATS, "percentage_points": ('0.0"个百分点"', '0.0"个百分点"')}
COUNT_FORMATS = ("#,##0", "#,##0.0#")
COLUMN_FORMATS = {"population": "#,##0", "per_10k": "#,##0.00", "ratio": "0.00", "row": "0"}
DATE_FORMAT = "yyyy-mm-dd"
UNIT_VALUE_COLUMNS = {"value": "unit", "high": "unit", "zh_value": "zh_unit", "en_value": "en_unit"}
# the widest a wrapped column grows (characters): so that the comparison, observation and audit sheets fit a page
# at >= 7 pt (a sheet with spare width widens its wrapped columns: fill_page)
WIDE_COLUMNS = {"place": 12, "city_en": 12, "quote": 22, "zh_quote": 20, "en_quote": 20, "note": 22, "title": 22,
                "what": 70, "differs": 14, "figure": 12, "as_said": 12, "zh_figure": 12, "en_figure": 12,
                "indicator": 18, "outlet": 16, "places": 12, "level": 12, "status": 10, "period": 10, "unit": 10,
                "zh_unit": 10, "en_unit": 10, "qualifier": 10, "denominator": 12, "scope": 12, "flags": 12,
                "per_10k_note": 12, "language": 12, "error_kind": 12}
# ids: one word each, never wrapped mid-word: their column is as wide as the longest
ID_COLUMNS = ("source_id", "indicator_id", "original_id", "translation_id", "translation_of", "path", "sha256",
              "seed_file")
MAX_WIDTH = 16  # other columns: text longer than this wraps (every text cell wraps, top-aligned)
FONT_PT = 11  # the workbook's font size (openpyxl's default, Calibri 11)
# A column width is in characters (digits) of the default font. Widths are reckoned for the widest common one:
# DejaVu Sans, digits 0.64 em, what LibreOffice prints where Calibri is not installed (Calibri's are 0.51 em:
# there the sheet prints larger, never smaller).
DIGIT_EM = 0.64
MIN_PT = 7  # no text prints smaller
MARGIN_IN = 0.4  # left and right page margins, inches
PRINTABLE_PT = (297 / 25.4 - 2 * MARGIN_IN) * 72  # A4 landscape: the printable width

# column -> (English header, Chinese header)
COLUMN_LABELS = {
    "row": ("Row", "行号"),
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
    "indicator_id": ("Indicator id", "指标代码"),
    "figure": ("As stated", "原文数值"), "quote_start": ("Quote offset in raw file", "引文在原文件中的位置"),
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
# sheet -> Chinese sheet name (a comparison of data/comparisons.csv not listed here keeps its name)
SHEET_NAMES = {"README": "说明", "spending": "民生支出", "employment": "就业", "education": "教育",
               "observations": "数据", "provenance": "出处", "sources": "来源", "raw_files": "原始文件", "references": "网址与许可",
               "translation_audit": "译文核对"}
# the words of values that are ids in the clean data and have no vocabulary of their own: id -> (English, Chinese)
VALUE_WORDS = {
    "admin_level": {"prefecture": ("prefecture", "地级市"), "county-level city": ("county-level city", "县级市"),
                    "district": ("district", "区")},
    "language": {"en": ("English", "英文"), "zh-Hans": ("Chinese (simplified)", "简体中文"),
                 "zh-Hant": ("Chinese (traditional)", "繁体中文")},
    "kind": {"results": ("results", "结果"), "targets": ("targets", "目标")},
    "error_kind": {"ok": ("ok", "一致"), "dropped": ("dropped in the translation", "译文漏译"),
                   "only_in_translation": ("only in the translation", "仅见于译文"),
                   "value_x10": ("value ×10", "数值为原文10倍"), "value_x0.1": ("value ×0.1", "数值为原文十分之一"),
                   "value_differs": ("value differs", "数值不同"), "unit_lost": ("unit lost", "单位丢失"),
                   "unit_changed": ("unit changed", "单位改变"), "qualifier_changed": ("qualifier changed", "限定改变")},
}
# why a comparison row has no per-capita value (analysis.compare.tables.per_capita's words) in Chinese
PER_10K_NOTE_ZH = {"a share or rate: not divided by population": "比重或比率, 不按人口折算",
                   "no population figure": "无人口数据"}


def numeric_column(name: str) -> bool:
    """True for a column that holds numbers by its name: values, bounds, offsets, populations, ratios, row numbers."""
    return name in ("value", "high", "population", "per_10k", "ratio", "rows", "row") or name.endswith(("_value", "_start"))


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


def number_format(col: str, unit: str, value: float, lang: str = "en") -> str | None:
    """The number format of one cell: by its column, or by its row's unit (an id) where the column mixes units."""
    if col in COLUMN_FORMATS:
        return COLUMN_FORMATS[col]
    if col.endswith("_start"):
        return "0"
    integer = float(value).is_integer()
    if col in UNIT_VALUE_COLUMNS or col == "rows":
        return (UNIT_FORMATS_ZH if lang == "zh" else UNIT_FORMATS).get(unit, COUNT_FORMATS)[0 if integer else 1]
    return COUNT_FORMATS[0 if integer else 1]


def header(col: str, lang: str = "en") -> str:
    """A column's header in one language (:data:`COLUMN_LABELS`; a column without a label shows its name)."""
    return COLUMN_LABELS.get(col, (col, col))[lang == "zh"]


def sheet_name(name: str, lang: str = "en") -> str:
    """A sheet's name in one language (:data:`SHEET_NAMES`), at most 31 characters (Excel's limit)."""
    return (SHEET_NAMES.get(name, name) if lang == "zh" else name)[:31]


def _text_width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2e80 else 1 for ch in s)  # a CJK character is two columns wide


def _shown(col: str, unit: str, value: float, lang: str) -> str:
    """About what a number cell shows with its format (:func:`number_format`): for its column's width."""
    fmt = number_format(col, unit, value, lang) or ""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if "," not in fmt:
        text = text.replace(",", "")
    return ("¥" if "¥" in fmt else "") + text + ("%" if "%" in fmt else " pp" if " pp" in fmt else
                                                 "个百分点" if "百分点" in fmt else "")


def column_width(col: str, values, lang: str = "en", units=None) -> float:
    """The width of a column (Excel's unit: characters of the default font): an id column is as wide as its longest
    id (never wrapped mid-word), a number or date column as what it shows (numbers never wrap); any other fits
    its longest text up to a cap (:data:`WIDE_COLUMNS`, else :data:`MAX_WIDTH`), and at least its header's
    longest word (the header wraps at its spaces). ``units``: the unit id of each row, for the number formats."""
    values = list(values)
    units = list(units) if units is not None else [""] * len(values)
    texts = []
    for v, u in zip(values, units, strict=True):
        v = _cell_value(v)
        if v is None:
            texts.append("")
        elif isinstance(v, (dt.datetime, dt.date)):
            texts.append("2000-01-01")
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            texts.append(_shown(col, str(u or ""), v, lang))
        else:
            texts.append(str(v))
    if col in ID_COLUMNS:
        return max([_text_width(t) for t in texts] + [8]) + 2
    head = header(col, lang)
    head_word = max(_text_width(w) for w in head.split()) + 2 if lang == "en" else 6
    longest = max([_text_width(t) for t in texts] or [0]) + 2
    if any(isinstance(_cell_value(v), (int, float, dt.datetime)) for v in values):
        return max(head_word if lang == "en" else 6, longest, 6)
    return max(min(head_word, 24), min(WIDE_COLUMNS.get(col, MAX_WIDTH), longest), 6)


def column_points(width: float) -> float:
    """A column's printed width at 100 %, in points: ``width`` digits of the default font (:data:`DIGIT_EM`)
    plus 2 pt of padding."""
    return width * FONT_PT * DIGIT_EM + 2


def print_scale(widths, page_pt: float = PRINTABLE_PT) -> float:
    """The scale that fits columns of these widths to one page wide (1 where they fit at 100 %), a whole percent
    (as spreadsheet programs print)."""
    import math

    return min(1.0, math.floor(100 * page_pt / sum(column_points(w) for w in widths)) / 100)


def _longest(values) -> int:
    return max([_text_width(v) for v in values if isinstance(v, str)] or [0]) + 2


def fill_page(widths, longest, page_pt: float = PRINTABLE_PT) -> list[float]:
    """Widen the wrapped columns (those narrower than their ``longest`` text) into the page's spare width, at 100 %:
    a narrow sheet's long quotes and notes take fewer lines, so fewer pages. A sheet that fills the page is unchanged."""
    widths = list(widths)
    for _ in range(len(widths)):
        spare = (page_pt - sum(column_points(w) for w in widths)) / (FONT_PT * DIGIT_EM)
        short = [i for i, w in enumerate(widths) if longest[i] > w]
        if spare < 1 or not short:
            break
        need = sum(longest[i] - widths[i] for i in short)
        for i in short:
            widths[i] += min(longest[i] - widths[i], spare * (longest[i] - widths[i]) / need)
    return [float(int(w)) for w in widths]


def _lines(value, width: float) -> int:
    """How many lines a wrapped text cell takes in a column ``width`` characters wide (CJK characters count two)."""
    if not isinstance(value, str) or not value:
        return 1
    import math

    return sum(max(1, math.ceil(_text_width(part) * 1.05 / max(width - 1, 1))) for part in value.split("\n"))


def _cell_value(v):
    if v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        return v.item()
    return v


def write_sheet(wb, name: str, df: pd.DataFrame, notes, lang: str = "en", units: pd.DataFrame | None = None) -> None:
    """Add a sheet holding one table: one header row in ``lang`` (bold, frozen with the first column, repeated on
    every printed page, with an AutoFilter over it and the rows), the rows (text stays text, numbers numbers,
    dates dates, formats per column and unit), wrapped long text, then one note per row under the table.

    ``units`` holds the unit ids of the unit columns (``unit``, ``zh_unit``, ``en_unit``) row by row where ``df``
    shows them in words; without it, ``df``'s own unit columns are the ids. Raises ``ValueError`` for a
    table so wide that fitting it to the page would print its text below :data:`MIN_PT`.
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    df = typed(df).reset_index(drop=True)
    cols = [str(c) for c in df.columns]
    ids = (units if units is not None else df).reset_index(drop=True)
    unit_of = {c: u for c, u in UNIT_VALUE_COLUMNS.items() if c in cols and u in ids.columns}
    widths = [column_width(c, df.iloc[:, i], lang, ids[unit_of[c]] if c in unit_of else None)
              for i, c in enumerate(cols)]
    widths = fill_page(widths, [_longest(df.iloc[:, i]) for i in range(len(cols))])
    scale = print_scale(widths)
    if FONT_PT * scale < MIN_PT:
        raise ValueError(f"sheet {name!r}: {len(cols)} columns, {sum(widths):.0f} characters wide, would print at "
                         f"{FONT_PT * scale:.1f} pt (< {MIN_PT} pt): split it or drop columns")
    ws = wb.create_sheet(name[:31])
    ws.append([header(c, lang) for c in cols])
    for cell in ws[1]:
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = Border(bottom=Side(style="thin", color="999999"))
    wrap_top = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for i, values in enumerate(df.itertuples(index=False)):
        row = [_cell_value(v) for v in values]
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
                unit = _cell_value(ids.at[i, unit_of[col]]) if col in unit_of else ""
                cell.number_format = number_format(col, str(unit or ""), v, lang)
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):  # wrapped text: tall enough rows (no program guesses them)
        lines = max(_lines(cell.value, widths[i] * (0.9 if row[0].row == 1 else 1)) for i, cell in enumerate(row))
        ws.row_dimensions[row[0].row].height = 15 * lines
    last = get_column_letter(len(cols))
    ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 2)}"
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
    ws.freeze_panes = "B2"
    _print_ready(ws, fit=scale < 1)
    ws.print_title_rows = "1:1"


def _print_ready(ws, fit: bool = True) -> None:
    """Landscape A4, narrow margins, sheet name and page in the footer; with ``fit``, one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    # "as many pages down as needed": 0 means that to Excel, but LibreOffice then fits the whole sheet on one
    # page; a bound no sheet reaches (a page per row) means the same to both, and the width decides the scale.
    ws.page_setup.fitToHeight = max(1, ws.max_row)
    ws.sheet_properties.pageSetUpPr.fitToPage = fit
    ws.page_margins.left = ws.page_margins.right = MARGIN_IN
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.gridLines = False
    ws.oddFooter.center.text = "&A — &P / &N"


README_WORDS = {
    "en": {"sheets": "Sheets", "sources": "Sources", "cite": "How to cite", "licence": "Licence"},
    "zh": {"sheets": "工作表", "sources": "来源", "cite": "引用", "licence": "许可"},
}


def readme_sheet(wb, sheets, about: dict, lang: str = "en") -> None:
    """The first sheet: what the workbook is, what each sheet holds, the sources, how to cite, the licence."""
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(sheet_name("README", lang), 0)
    bold = Font(bold=True, size=12)
    words = README_WORDS[lang]

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
    line(words["sheets"], bold)
    ws.append([header(c, lang) for c in ("sheet", "rows", "what")])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for s in sheets:
        name, df = s[0], s[1]
        ws.append([sheet_name(name, lang), len(df), about.get("sheets", {}).get(name, "")])
        ws.cell(ws.max_row, 1).data_type = "s"
        ws.cell(ws.max_row, 2).number_format = "#,##0"
        ws.cell(ws.max_row, 3).data_type = "s"
        for c in (1, 2, 3):
            ws.cell(ws.max_row, c).alignment = Alignment(wrap_text=c == 3, vertical="top")
    for key in ("sources", "cite", "licence"):
        line()
        line(words[key], bold)
        for t in about.get(key, []):
            line(t, wrap=True)
    wide = int((PRINTABLE_PT - column_points(22) - column_points(10)) / (FONT_PT * DIGIT_EM)) - 1  # at 100 %
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = wide
    for row in ws.iter_rows(min_col=1, max_col=3):  # long lines in column A: spread over A:C; rows tall enough
        a, c = row[0], row[2]
        lines = _lines(c.value, wide)
        if isinstance(a.value, str) and _text_width(a.value) > 22 and ws.cell(a.row, 2).value is None:
            ws.merge_cells(start_row=a.row, start_column=1, end_row=a.row, end_column=3)
            lines = _lines(a.value, wide + 32)
        size = (a.font.size or 11) if a.font else 11
        ws.row_dimensions[a.row].height = max(15, size * 1.45) * lines
    _print_ready(ws, fit=False)  # landscape, at 100 %: the columns fill the page


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


def workbook_path(lang: str = "en") -> Path:
    """Where the workbook of one language is written: ``figures/`` :data:`WORKBOOKS`."""
    return FIGURES / WORKBOOKS[lang]


def write_workbook(sheets, path: Path | None = None, about: dict | None = None, lang: str = "en") -> Path:
    """Write ``(sheet name, table, notes[, units])`` sheets to the workbook of ``lang`` atomically
    (:func:`workbook_path`, or ``path``); sheet names and headers in ``lang``.

    ``notes`` is a string (one note per line) or a list of notes: each goes on its own row under the
    table; ``units``, the unit ids behind unit words (:func:`write_sheet`). With ``about`` (title, intro,
    sheets: name -> description, sources, cite, licence: lists of lines), a first sheet ``README``
    (``说明``) says what the workbook holds (:func:`readme_sheet`).
    """
    from openpyxl import Workbook

    from analysis.metadata.codebook import require_choice

    require_choice(lang, LANGS, "lang")
    path = Path(path) if path else workbook_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    for name, df, notes, *units in sheets:
        write_sheet(wb, sheet_name(name, lang), df, notes, lang, units[0] if units else None)
    if about:
        readme_sheet(wb, sheets, about, lang)
    wb.active = 0
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "minsheng-analysis"
    wb.properties.language = "zh-CN" if lang == "zh" else "en"
    if about:
        wb.properties.title = about["title"]
    saved = io.BytesIO()
    wb.save(saved)
    with atomic_path(path) as tmp:
        _stable_zip(saved, tmp)
    return path


# -- the sheets -------------------------------------------------------------------------------------------------

def value_words(field: str, value, lang: str = "en") -> str:
    """Say an id of the clean data in words: a vocabulary's label (status, denominator, stock_flow, a flag, each
    scope token), a unit's word, or :data:`VALUE_WORDS`; ``;``-separated ids become ``; ``-separated words.
    Empty stays empty; an id without words stays the id.

    >>> value_words("scope", "incl_kindergartens;one_department", "zh"), value_words("unit", "person_times")
    ('含幼儿园; 单一部门', 'person-times')
    """
    from analysis.metadata.codebook import vocab_label
    from analysis.metadata.comparability import unit_label

    value = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    if not value:
        return ""
    field = {"flags": "flag", "zh_unit": "unit", "en_unit": "unit", "zh_qualifier": "qualifier",
             "en_qualifier": "qualifier", "level": "admin_level"}.get(field, field)

    def one(v: str) -> str:
        if field == "unit":
            return unit_label(v, lang)
        if field in VALUE_WORDS:
            return VALUE_WORDS[field].get(v, (v, v))[lang == "zh"]
        return vocab_label(field, v, lang)

    return "; ".join(one(v) for v in value.split(";") if v)


def _words(df: pd.DataFrame, cols, lang: str) -> pd.DataFrame:
    out = df.copy()
    for c in cols:
        if c in out:
            out[c] = [value_words(c, v, lang) for v in out[c]]
    return out


# The columns of a comparison sheet, in order: what a report author reads, narrow enough to print at >= 7 pt.
# ``row`` is the figure's row on sheets observations and provenance (its source, level, note and offset); the
# population is the census one of the note under the table. The ids behind the labels, the
# denominator, scope and stock/flow (said in words in "How it differs"), the qualifier (in "As stated"),
# the editorial note and the doubtful mark (in "Flags") are in the observations sheets.
COMPARISON_COLUMNS = ["place", "indicator", "status", "period", "as_said", "differs", "value", "unit",
                      "per_10k", "per_10k_note", "flags", "row", "quote"]


def per_10k_note_words(note: str, lang: str = "en") -> str:
    """Why a row has no per-capita value, in ``lang`` (:func:`analysis.compare.tables.per_capita` says it in English)."""
    if lang != "zh" or not note:
        return note
    m = re.fullmatch(r"scope (\S+): the place's population does not apply", note)
    if m:
        return f"统计范围{value_words('scope', m.group(1), 'zh')}: 不适用全地人口"
    return PER_10K_NOTE_ZH.get(note, note)


def comparison_sheet(table: pd.DataFrame, obs: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The report author's view of a :func:`analysis.compare.tables.comparison_table` of ``obs`` (made with the same
    ``lang``): :data:`COMPARISON_COLUMNS`; "As stated" is the article's own wording of the figure (``figure``),
    ``row`` its row on the observations sheets; units, flags and the per-capita note in words. The unit ids
    are in ``.attrs["units"]``."""
    keys = ["source_id", "place_en", "period_id", "status_id", "indicator_id"]
    said = obs.reset_index(drop=True).rename(columns={"city_en": "place_en", "period": "period_id", "status": "status_id",
                                                       "indicator": "indicator_id"})[keys + ["figure"]]
    said = said.astype({k: str for k in keys}).assign(row=range(1, len(said) + 1))
    out = table.astype({k: str for k in keys}).merge(said, on=keys, how="left", validate="many_to_one")
    out["as_said"] = out["figure"].fillna("").astype(str)
    out["row"] = out["row"].astype("Int64")
    units = out[["unit"]].reset_index(drop=True)
    out = _words(out, ("unit", "flags"), lang)
    out["per_10k_note"] = [per_10k_note_words(str(n), lang) for n in out["per_10k_note"]]
    sheet = out[COMPARISON_COLUMNS].reset_index(drop=True)
    sheet.attrs["units"] = units
    return sheet


OBSERVATION_COLUMNS = ["row", "place", "level", "period", "status", "indicator", "figure", "value", "high", "unit",
                       "qualifier", "denominator", "scope", "stock_flow", "flags"]
PROVENANCE_COLUMNS = ["row", "source_id", "indicator_id", "quote", "quote_start", "note"]


def observation_sheets(obs: pd.DataFrame, lang: str = "en", root: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every observation as two tables keyed by ``row`` (its number, 1 up, in the clean data's order): what a
    reader compares (place, level, period, status, indicator, as stated, value, unit and the words of the
    key: :data:`OBSERVATION_COLUMNS`) and where it comes from (source, indicator id, verbatim quote, its
    offset in the raw file, the note: :data:`PROVENANCE_COLUMNS`). Too wide for one printed page as one."""
    from analysis.compare.tables import period_label
    from analysis.metadata.codebook import load_codebook

    labels = load_codebook(root).set_index("indicator")["label_zh" if lang == "zh" else "label_en"]
    df = obs.reset_index(drop=True).astype({c: "object" for c in obs.select_dtypes(["category", "string"]).columns})
    df = df.assign(row=range(1, len(df) + 1), indicator_id=df["indicator"].astype(str))
    df["place"] = df["city_zh" if lang == "zh" else "city_en"]
    df["level"] = df["admin_level"]
    df["period"] = [period_label(str(p), lang) for p in df["period"]]
    df["indicator"] = df["indicator_id"].map(labels).fillna(df["indicator_id"])
    units = df[["unit"]].reset_index(drop=True)
    core = _words(df, ("level", "status", "unit", "qualifier", "denominator", "scope", "stock_flow", "flags"), lang)
    core = core[OBSERVATION_COLUMNS]
    core.attrs["units"] = units
    return core, df[PROVENANCE_COLUMNS].copy()


# the places each article gives figures for are on the observations sheet; the seed file names stay in the manifest
SOURCE_COLUMNS = ["source_id", "place", "language", "translation_of", "outlet", "published", "accessed", "period",
                  "kind", "title", "note"]
RAW_FILE_COLUMNS = ["source_id", "path", "sha256"]
REFERENCE_COLUMNS = ["source_id", "url", "licence", "citation"]  # the manifest's; empty where the article came without


def source_sheets(sources: pd.DataFrame, lang: str = "en", root: Path | None = None) -> tuple[pd.DataFrame, ...]:
    """The articles (:data:`SOURCE_COLUMNS`: place, language, outlet, dates, period, kind, title in
    words), their raw files (:data:`RAW_FILE_COLUMNS`: path, SHA-256) and where they stand
    (:data:`REFERENCE_COLUMNS`: the manifest's url, licence and citation), keyed by ``source_id``."""
    from analysis.compare.publish import outlet_name
    from analysis.compare.tables import period_label
    df = sources.reset_index(drop=True).copy()
    zh = lang == "zh"
    df["place"] = df["city_zh" if zh else "city_en"]
    df["level"] = df["admin_level"]
    df["period"] = [period_label(str(p), lang) for p in df["period"]]
    if zh:
        df["outlet"] = [outlet_name(o, "zh") for o in df["outlet"]]
    df = _words(df, ("level", "language", "kind"), lang)
    return df[SOURCE_COLUMNS].copy(), df[RAW_FILE_COLUMNS].copy(), df[REFERENCE_COLUMNS].copy()


# the quotes' offsets and the ratio of the values are in data/clean/translation_audit.csv (the disagreement says it)
AUDIT_COLUMNS = ["original_id", "zh_figure", "zh_value", "zh_unit", "zh_quote", "translation_id", "en_figure",
                 "en_value", "en_unit", "en_quote", "error_kind"]


def audit_sheet(audit: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The translation audit (:data:`AUDIT_COLUMNS`; the qualifiers differ only where the disagreement says so),
    units and disagreements in words; the unit ids are in ``.attrs["units"]``."""
    units = audit[["zh_unit", "en_unit"]].reset_index(drop=True)
    out = _words(audit.reset_index(drop=True), ("zh_unit", "en_unit", "error_kind"), lang)[AUDIT_COLUMNS]
    out.attrs["units"] = units
    return out


NOTES = {
    "en": {"population": "Population: 2020 census (data/raw/reference) or as a place's article states it.",
           "read": "Read status, period and 'How it differs' before setting two rows side by side.",
           "observations": "Every figure as the article states it; its quote, source and note are on sheet "
                           "'provenance' under the same row number.",
           "provenance": "Where each figure of sheet 'observations' (same row number) comes from: the verbatim "
                         "quote and its character offset in the raw file.",
           "sources": "The articles; their raw files and checksums are on sheet 'raw_files'.",
           "raw_files": "Each article's raw file (data/raw) and its SHA-256.",
           "references": "Where each article stands (URL), its licence or terms of use and how to cite it, as the "
                         "manifest records them; empty for an article handed over without them.",
           "translation_audit": "The English machine translation against its Chinese original (notebook 11)."},
    "zh": {"population": "人口: 2020年第七次全国人口普查 (data/raw/reference), 或该地报道所述。",
           "read": "并列比较前请先看性质、时期和口径差异。",
           "observations": "每个数据均为原文所述数值; 其引文、来源和说明见工作表“出处”同一行号。",
           "provenance": "工作表“数据”中每个数值 (同一行号) 的出处: 原文引文及其在原始文件中的字符位置。",
           "sources": "原始报道; 原始文件及其校验值见工作表“原始文件”。",
           "raw_files": "每篇报道的原始文件 (data/raw) 及其SHA-256。",
           "references": "每篇报道的网址、许可或使用条款及引用方式 (据来源清单; 未提供者为空)。",
           "translation_audit": "英文机器翻译与中文原文的核对 (笔记本11)。"},
}


def workbook_sheets(obs: pd.DataFrame, sources: pd.DataFrame, audit: pd.DataFrame, lang: str = "en",
                    root: Path | None = None) -> list[tuple]:
    """The sheets of the workbook of ``lang``, as ``(name, table, notes, units)``: one per comparison of
    ``data/comparisons.csv``, then the observations and their provenance, the sources and their raw files,
    the translation audit. Names are the English ones (:func:`sheet_name` says them in ``lang``)."""
    from analysis.compare import plotting, tables

    words = NOTES[lang]
    sheets = []
    for name in tables.load_comparisons(root)["comparison"].unique():
        table = tables.comparison_table(obs, tables.comparison_indicators(name, root=root), lang=lang, root=root)
        sheet = comparison_sheet(table, obs, lang)
        notes = [plotting.source_note(table["source_id"], lang, root=root), words["population"], words["read"]]
        sheets.append((name, sheet, notes, sheet.attrs["units"]))
    core, provenance = observation_sheets(obs, lang, root)
    sheets += [("observations", core, [words["observations"]], core.attrs["units"]),
               ("provenance", provenance, [words["provenance"]], None)]
    articles, files, refs = source_sheets(sources, lang, root)
    sheets += [("sources", articles, [words["sources"]], None), ("raw_files", files, [words["raw_files"]], None),
               ("references", refs, [words["references"]], None)]
    checked = audit_sheet(audit, lang)
    sheets.append(("translation_audit", checked, [words["translation_audit"]], checked.attrs["units"]))
    return sheets


ABOUT = {
    "en": {
        "title": "Livelihood (民生) figures of Chinese city governments' reports: comparison workbook",
        "intro": ["Figures quoted in city governments' livelihood reports, as tidy data: every value carries its source, "
                  "its verbatim quote and the quote's place in the raw file. Read status, period and 'How it differs' "
                  "before setting two rows side by side.",
                  "Every sheet is one table with one header row: sort it, filter it (the arrows in the header) or "
                  "make a pivot table of it. The same workbook in Chinese: livelihood_comparison_zh.xlsx."],
        "comparison": "Comparison '{name}': {n} indicators of data/comparisons.csv, one row per place, indicator and kind "
                      "of figure (every place, 'not reported' where it has none), with the figure as stated and its quote",
        "observations": "Every figure taken from the articles, as stated and as a number, with its key in words",
        "provenance": "Where each figure comes from (same row number as 'observations'): source, verbatim quote, "
                      "its offset in the raw file, the editor's note",
        "sources": "The articles: place, language, outlet, date, period, title",
        "raw_files": "Each article's raw file and its SHA-256",
        "references": "Each article's URL, licence and citation, where given",
        "translation_audit": "An English machine translation against its Chinese original: every disagreement",
    },
    "zh": {
        "title": "中国城市政府民生报道数据: 比较工作簿",
        "intro": ["各市政府民生报道中引用的数据, 每个数值均附来源、原文引文及其在原始文件中的位置。"
                  "并列比较前请先看性质、时期和口径差异。",
                  "每个工作表是一张表, 只有一行表头: 可直接排序、筛选 (表头中的箭头) 或做数据透视表。"
                  "英文版工作簿: livelihood_comparison.xlsx。"],
        "comparison": "比较“{label}”: data/comparisons.csv 中的{n}个指标, 每地、每指标、每类数据一行 "
                      "(每个地方都在, 无数据者注明“未报告”), 附原文数值及引文",
        "observations": "报道中的全部数据: 原文数值、数值及其口径",
        "provenance": "每个数据的出处 (行号同“数据”): 来源、原文引文、其在原始文件中的位置、编者说明",
        "sources": "原始报道: 地方、语言、媒体、日期、时期、标题",
        "raw_files": "每篇报道的原始文件及其SHA-256",
        "references": "每篇报道的网址、许可及引用方式 (如有)",
        "translation_audit": "英文机器翻译与中文原文的核对: 每处差异",
    },
}


def about_workbook(sheets, source_ids, lang: str = "en", root: Path | None = None) -> dict:
    """The README sheet's words in ``lang``, computed from the sheets and the manifest (nothing names a place)."""
    from analysis.compare.publish import LICENCE, PROJECT, VERSION, source_list
    from analysis.compare.tables import load_comparisons

    words = ABOUT[lang]
    comps = load_comparisons(root)
    desc = {}
    for name in comps["comparison"].unique():
        n = (comps["comparison"] == name).sum()
        desc[name] = words["comparison"].format(name=name, label=sheet_name(name, lang), n=n)
    desc.update({k: words[k] for k in ("observations", "provenance", "sources", "raw_files", "references",
                                       "translation_audit")})
    sep = "、" if lang == "zh" else ", "
    srcs = [f"{s['source_id']}: {s['outlet']}{sep}{s['published']}{sep}“{s['title']}” ({s['file']})"
            for s in source_list(source_ids, lang, root)]
    title = words["title"]
    cite = (f"{PROJECT} {VERSION}: {title}。数据来源见上列报道 (媒体, 日期)。" if lang == "zh" else
            f"{PROJECT} {VERSION}: {title}. Data from the articles listed above (outlet, date).")
    return {"title": title, "intro": words["intro"], "sheets": desc, "sources": srcs, "cite": [cite],
            "licence": [LICENCE[lang]]}
