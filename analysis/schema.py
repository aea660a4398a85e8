"""The observation schema: one definition, written out as ``data/clean/datapackage.json`` (frictionless
Table Schema, for ``frictionless validate``) and checked in-process on every write and load.

The in-process check is a fast vectorised reading of the same field list (types, required fields,
enums, patterns, minimums), so that ``load_observations()`` stays interactive; the tests also run the
full ``frictionless validate`` on the package.
"""

from __future__ import annotations

import calendar
import json
import re
from pathlib import Path

from .paths import CLEAN, atomic_path
from .quantities import QUALIFIERS, UNITS

PERIOD_PATTERN = r"^\d{4}(-H[12]|-M(0[1-9]|1[0-2])-M(0[1-9]|1[0-2])|-YTD@\d{4}-\d{2}-\d{2}|-spring)?$"
_S = "string"
FIELDS = [
    dict(name="source_id", type=_S, description="The article (data/raw/sources.csv)", constraints={"required": True}),
    dict(name="city_en", type=_S, description="The place the figure is about (data/raw/places.csv), in English",
         constraints={"required": True}),
    dict(name="city_zh", type=_S, description="The place, in Chinese", constraints={"required": True}),
    dict(name="admin_level", type=_S, description="prefecture, county-level city or district",
         constraints={"required": True, "enum": ["prefecture", "county-level city", "district"]}),
    dict(name="parent_city_en", type=_S, description="The prefecture-level city the place belongs to; empty for a prefecture"),
    dict(name="period", type=_S, description="YYYY (full year), YYYY-H1 (first half), YYYY-Mmm-Mnn (months), "
         "YYYY-YTD@date (year to the date given), YYYY-spring (spring term)",
         constraints={"required": True, "pattern": PERIOD_PATTERN}),
    dict(name="status", type=_S, description="What the figure is: result (achieved), target (a goal), plan (work scheduled, "
         "not done), announced (a notice or vacancy published); data/vocabularies.csv",
         constraints={"required": True, "enum": "vocabulary:status"}),
    dict(name="denominator", type=_S, description="For a share (codebook measure 'share'): the whole it is a share of, "
         "as the quote names it (not_stated otherwise); empty for anything else; data/vocabularies.csv",
         constraints={"enum": "vocabulary:denominator"}),
    dict(name="scope", type=_S, description="';'-separated tokens narrowing what is counted (e.g. incl_kindergartens, "
         "city_seat, one_department); empty = the whole place as the codebook defines the indicator; data/vocabularies.csv",
         constraints={"pattern": "vocabulary:scope"}),
    dict(name="stock_flow", type=_S, description="flow (during the period) or stock (a level at the period's end)",
         constraints={"required": True, "enum": "vocabulary:stock_flow"}),
    dict(name="topic", type=_S, description="Topic of the indicator (data/codebook.csv)", constraints={"required": True}),
    dict(name="indicator", type=_S, description="Indicator id (data/codebook.csv)", constraints={"required": True}),
    dict(name="value", type="number", description="The figure in base units (yuan, persons, percent, ...); the low bound of a range",
         constraints={"required": True, "minimum": 0}),
    dict(name="high", type="number", description="The high bound of a range; empty otherwise", constraints={"minimum": 0}),
    dict(name="unit", type=_S, description="Unit (analysis.quantities.UNITS)", constraints={"required": True, "enum": sorted(UNITS)}),
    dict(name="qualifier", type=_S, description="What kind of bound the value is",
         constraints={"required": True, "enum": list(QUALIFIERS)}),
    dict(name="figure", type=_S, description="The part of the quote the value was parsed from", constraints={"required": True}),
    dict(name="quote", type=_S, description="Verbatim quote from the raw file", constraints={"required": True}),
    dict(name="quote_start", type="integer", description="Character offset of the quote in the raw file (0-based, Unicode code points)",
         constraints={"required": True, "minimum": 0}),
    dict(name="note", type=_S, description="Editorial note"),
    dict(name="flags", type=_S, description="Plausibility flags, ';'-separated (analysis.checks.RULES)"),
]
FIELD_NAMES = [f["name"] for f in FIELDS]
CATEGORICAL = ["source_id", "city_en", "city_zh", "admin_level", "parent_city_en", "status", "denominator", "scope",
               "stock_flow", "topic", "indicator", "unit", "qualifier"]


def fields(root: Path | None = None) -> list[dict]:
    """Return :data:`FIELDS` with the vocabularies of ``data/vocabularies.csv`` filled in (enums, the scope pattern)."""
    import copy
    import re as _re

    from .codebook import vocabulary

    out = copy.deepcopy(FIELDS)
    for f in out:
        c = f.get("constraints", {})
        for k, v in list(c.items()):
            if isinstance(v, str) and v.startswith("vocabulary:"):
                values = vocabulary(v.split(":", 1)[1], root)
                if k == "enum":
                    c[k] = values
                else:  # a ';'-separated list of tokens, sorted, or empty
                    token = "|".join(map(_re.escape, sorted(values)))
                    c[k] = f"^((?:{token})(?:;(?:{token}))*)?$"
    return out


class SchemaError(ValueError):
    """A clean row breaks the schema; the message names the file, the row and the field."""


PERIOD_FORMS = "YYYY, YYYY-H1, YYYY-H2, YYYY-M01-M08, YYYY-YTD@YYYY-MM-DD or YYYY-spring"


def check_period(period: str) -> str:
    """Return ``period`` if it is a real period; raise ``ValueError`` saying why otherwise.

    The one period check (scaffold, schema validation, ``Fig(period=)``): the whole string must be
    in the pattern (no trailing newline), a YTD date must be a real date in the period's year, and a
    month range must not end before it starts.

    >>> check_period("2022-M01-M08")
    '2022-M01-M08'
    """
    if not isinstance(period, str) or not re.fullmatch(PERIOD_PATTERN, period):
        raise ValueError(f"period {period!r} is not one of {PERIOD_FORMS}")
    rest = period[4:]
    if rest.startswith("-YTD@"):
        import datetime

        try:
            day = datetime.date.fromisoformat(rest[5:])
        except ValueError:
            raise ValueError(f"period {period!r}: {rest[5:]} is not a real date") from None
        if day.year != int(period[:4]):
            raise ValueError(f"period {period!r}: the year-to-date day is not in {period[:4]}")
    elif rest.startswith("-M") and int(rest[2:4]) > int(rest[6:8]):
        raise ValueError(f"period {period!r}: the month range ends before it starts")
    return period


def period_bounds(period: str) -> tuple[str, str]:
    """Return (first day, last day) of a period as ISO dates.

    >>> period_bounds("2022-H1"), period_bounds("2022-M01-M08"), period_bounds("2022-YTD@2022-09-22")
    (('2022-01-01', '2022-06-30'), ('2022-01-01', '2022-08-31'), ('2022-01-01', '2022-09-22'))
    """
    check_period(period)
    y = int(period[:4])
    rest = period[4:]
    if not rest:
        return f"{y}-01-01", f"{y}-12-31"
    if rest == "-H1":
        return f"{y}-01-01", f"{y}-06-30"
    if rest == "-H2":
        return f"{y}-07-01", f"{y}-12-31"
    if rest == "-spring":
        return f"{y}-02-01", f"{y}-07-31"
    if rest.startswith("-YTD@"):
        return f"{y}-01-01", rest[5:]
    m1, m2 = int(rest[2:4]), int(rest[6:8])
    return f"{y}-{m1:02d}-01", f"{y}-{m2:02d}-{calendar.monthrange(y, m2)[1]:02d}"


def period_order(periods) -> list[str]:
    """Return the distinct periods sorted by their end date, then start date."""
    return sorted(set(periods), key=lambda p: (period_bounds(p)[1], period_bounds(p)[0], p))


def datapackage(csv_names: list[str], root: Path | None = None) -> dict:
    """Return the frictionless Data Package descriptor for the given clean CSV file names."""
    from .ledger import ledger_fields

    schema = {"fields": fields(root), "primaryKey": ["source_id", "city_en", "period", "indicator"]}
    ledger = {"fields": ledger_fields(root), "primaryKey": ["source_id", "raw_start"]}
    resources = [{"name": Path(n).stem.replace("_", "-"), "path": n, "profile": "tabular-data-resource",
                  "format": "csv", "encoding": "utf-8", "schema": schema} for n in sorted(csv_names) if "/" not in n]
    resources += [{"name": "ledger-" + Path(n).stem.replace("_", "-"), "path": n, "profile": "tabular-data-resource",
                   "format": "csv", "encoding": "utf-8", "schema": ledger,
                   "description": "Every number of the article body: taken by one row, dismissed with a reason, or open "
                                  "(analysis.ledger)"} for n in sorted(csv_names) if n.startswith("ledger/")]
    return {"name": "minsheng-observations", "title": "Livelihood (民生) report figures, tidy and sourced",
            "description": "One row per figure quoted in a city's livelihood article; see README.md.",
            "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
            "resources": resources}


def write_datapackage(folder: Path | None = None) -> Path:
    """Write ``datapackage.json`` listing every observation CSV in ``folder`` (atomically)."""
    from .sources import load_sources

    folder = Path(folder) if folder else CLEAN
    root = None if folder.resolve() == CLEAN.resolve() else folder.parent.parent  # CLEAN may be an output root
    ids = set(load_sources(root, verify=False)["source_id"])
    names = [p.name for p in sorted(folder.glob("*.csv")) if p.stem in ids]
    names += [f"ledger/{p.name}" for p in sorted((folder / "ledger").glob("*.csv")) if p.stem in ids]
    path = folder / "datapackage.json"
    with atomic_path(path) as tmp:  # a unique temp name: notebooks run in parallel
        tmp.write_text(json.dumps(datapackage(names, root), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def validate(df, where, root: Path | None = None) -> None:
    """Raise :class:`SchemaError` at the first row breaking the schema or the codebook.

    ``where`` names the file (rows are then counted from 1), or is a Series giving each row's own
    "file row N" (to check several files' rows in one pass).
    """
    import pandas as pd

    from .codebook import load_codebook

    missing = [c for c in FIELD_NAMES if c not in df.columns]
    if missing:
        raise SchemaError(f"{where if isinstance(where, str) else 'data/clean'}: missing column(s) {', '.join(missing)}")

    def fail(mask, field, why):
        bad = df.index[mask.fillna(True) if hasattr(mask, "fillna") else mask]
        if len(bad):
            i = bad[0]
            loc = f"{where} row {df.index.get_loc(i) + 1}" if isinstance(where, str) else where.loc[i]
            raise SchemaError(f"{loc} (source_id={df.at[i, 'source_id']}, indicator={df.at[i, 'indicator']}): "
                              f"field {field!r} {why}, got {df.at[i, field]!r}")

    for f in fields(root):
        col, c = df[f["name"]], f.get("constraints", {})
        if f["type"] in ("number", "integer"):
            num = pd.to_numeric(col, errors="coerce")
            fail(num.isna() & col.notna() & (col.astype(str) != ""), f["name"], f"is not a {f['type']}")
            if f["type"] == "integer":
                fail(num.notna() & (num != num.round()), f["name"], "is not an integer")
            if c.get("required"):
                fail(num.isna(), f["name"], "is required")
            if "minimum" in c:
                fail(num < c["minimum"], f["name"], f"is below {c['minimum']}")
        else:
            s = col.astype("string").fillna("")
            if c.get("required"):
                fail(s.str.strip() == "", f["name"], "is required")
            if "enum" in c:
                fail(~s.isin(c["enum"]) & ((s != "") | bool(c.get("required"))), f["name"], f"is not one of {c['enum']}")
            if "pattern" in c:
                what = "the period pattern" if f["name"] == "period" else "';'-separated tokens of data/vocabularies.csv"
                fail(~s.str.fullmatch(c["pattern"]), f["name"], f"does not match {what}")
    bad_periods = {p for p in set(df["period"].astype(str)) if not _is_period(p)}
    fail(df["period"].astype(str).isin(bad_periods), "period", "is not a real period (schema.check_period)")
    codebook = load_codebook(root).set_index("indicator")
    fail(~df["indicator"].isin(codebook.index), "indicator", "is not in data/codebook.csv")
    allowed = df["indicator"].map(lambda i: codebook.at[i, "unit"].split("|"))
    fail(pd.Series([u not in a for u, a in zip(df["unit"], allowed, strict=True)], index=df.index), "unit",
         "is not the codebook's unit for the indicator")
    fail(df["topic"] != df["indicator"].map(codebook["topic"]), "topic", "is not the codebook's topic")
    is_share = df["indicator"].map(codebook["measure"]) == "share"
    has_denominator = df["denominator"].astype("string").fillna("") != ""
    fail(is_share & ~has_denominator, "denominator", "is required for a share (not_stated if the quote names no whole)")
    fail(~is_share & has_denominator, "denominator", "is only for shares (codebook measure 'share')")
    fail(df.duplicated(["source_id", "city_en", "period", "indicator"], keep="first"), "indicator",
         "repeats a (source_id, city_en, period, indicator) key")


def _is_period(period: str) -> bool:
    try:
        check_period(period)
    except ValueError:
        return False
    return True


def typed(df):
    """Return ``df`` with categorical columns and ``period`` as a categorical ordered by end date."""
    import pandas as pd

    out = df.copy()
    for c in CATEGORICAL:
        out[c] = out[c].astype("category")
    out["period"] = pd.Categorical(out["period"], categories=period_order(out["period"]), ordered=True)
    for c in ("figure", "quote", "note", "flags"):
        out[c] = out[c].astype("string")
    out["quote_start"] = out["quote_start"].astype("int64")
    return out
