"""The Excel workbook for report authors: one sheet per comparison, plus observations, sources and the
translation audit. Frozen header, fitted widths, number formats, a notes row with the sources.

Text from the articles is always written as text: openpyxl would store a string that starts with
``=`` as a formula, so every string cell is set to the string type explicitly (a quote such as
``=HYPERLINK(...)`` stays inert). The file is written to a temp name and renamed, with fixed
document dates and zip timestamps, so that re-running gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from .paths import FIGURES, atomic_path

FIXED_TIME = dt.datetime(2022, 9, 22)  # the newest article's date: stable document properties
NUMBER_FORMATS = {"percent": '0.0"%"', "percentage_points": '0.0" pp"'}


def _fmt_for(unit: str, col: str) -> str:
    if col in ("per_10k",):
        return "#,##0.00"
    return NUMBER_FORMATS.get(unit, "#,##0.##")


def write_sheet(wb, name: str, df: pd.DataFrame, notes: str, unit_col: str | None = "unit") -> None:
    """Add a sheet: header row (bold, frozen), the rows (text stays text), widths that fit, a notes row."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name[:31])
    ws.append(list(df.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in df.itertuples(index=False):
        row = []
        for v in values:
            row.append(None if (isinstance(v, float) and pd.isna(v)) or v is pd.NA else v)
        ws.append(row)
        r = ws.max_row
        for c, v in enumerate(row, start=1):
            cell = ws.cell(r, c)
            if isinstance(v, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(v, (int, float)):
                col = df.columns[c - 1]
                unit = str(values[df.columns.get_loc(unit_col)]) if unit_col in df.columns else ""
                if col in ("value", "high", "per_10k", "zh_value", "en_value", "population"):
                    cell.number_format = _fmt_for(unit, col)
    ws.append([])
    ws.append([notes])
    note_cell = ws.cell(ws.max_row, 1)
    note_cell.data_type = "s"
    note_cell.font = Font(italic=True)
    note_cell.alignment = Alignment(wrap_text=False)
    ws.freeze_panes = "A2"
    for c, col in enumerate(df.columns, start=1):
        lengths = [len(str(col))] + [len(str(v)) for v in df.iloc[:, c - 1] if v is not None]
        width = min(60, max(lengths) + 2)
        ws.column_dimensions[get_column_letter(c)].width = width


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


def write_workbook(sheets: list[tuple[str, pd.DataFrame, str]], path: Path | None = None) -> Path:
    """Write ``(sheet name, table, notes)`` sheets to ``figures/livelihood_comparison.xlsx`` atomically."""
    from openpyxl import Workbook

    path = Path(path) if path else FIGURES / "livelihood_comparison.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    for name, df, notes in sheets:
        write_sheet(wb, name, df, notes)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "minsheng-analysis"
    saved = io.BytesIO()
    wb.save(saved)
    with atomic_path(path) as tmp:
        _stable_zip(saved, tmp)
    return path
