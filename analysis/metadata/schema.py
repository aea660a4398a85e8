"""The observation schema: one definition, written out as ``data/clean/datapackage.json`` (frictionless
Table Schema, for ``frictionless validate``) and checked in-process on every write and load.

The in-process check is a fast vectorised reading of the same field list (types, required fields,
enums, patterns, minimums), so that ``load_observations()`` stays interactive; the tests also run the
full ``frictionless validate`` on the package.
"""

from __future__ import annotations

from pathlib import Path

from analysis.core.periods import PERIOD_PATTERN, _is_period, period_order
from analysis.core.quantities import KINDS, QUALIFIERS, UNITS

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
    dict(name="unit", type=_S, description="Unit (analysis.core.quantities.UNITS)", constraints={"required": True, "enum": sorted(UNITS)}),
    dict(name="qualifier", type=_S, description="What kind of bound the value is",
         constraints={"required": True, "enum": list(QUALIFIERS)}),
    dict(name="figure", type=_S, description="The part of the quote the value was parsed from", constraints={"required": True}),
    dict(name="quote", type=_S, description="Verbatim quote from the raw file", constraints={"required": True}),
    dict(name="quote_start", type="integer", description="Character offset of the quote in the raw file (0-based, Unicode code points)",
         constraints={"required": True, "minimum": 0}),
    dict(name="note", type=_S, description="Editorial note"),
    dict(name="flags", type=_S, description="Plausibility flags, ';'-separated (analysis.clean.checks.RULES; data/vocabularies.csv)",
         constraints={"pattern": "vocabulary:flag"}),
]
FIELD_NAMES = [f["name"] for f in FIELDS]
COLUMNS = [
    "source_id", "city_en", "city_zh", "admin_level", "parent_city_en", "period", "status", "denominator", "scope",
    "stock_flow", "topic", "indicator", "value", "high", "unit", "qualifier", "figure", "quote", "quote_start", "note",
    "flags",
]
# One figure per key: a result and a target for the same indicator and period are two figures (status is in it)
KEY = ["source_id", "city_en", "period", "status", "indicator"]


CATEGORICAL = ["source_id", "city_en", "city_zh", "admin_level", "parent_city_en", "status", "denominator", "scope",
               "stock_flow", "topic", "indicator", "unit", "qualifier"]


def fields(root: Path | None = None) -> list[dict]:
    """Return :data:`FIELDS` with the vocabularies of ``data/vocabularies.csv`` filled in (enums, the scope pattern)."""
    import copy
    import re as _re

    from analysis.metadata.codebook import vocabulary

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


ACCOUNTS = ("taken", "dismissed", "open")
LEDGER_FIELDS = [
    dict(name="source_id", type=_S, description="The article (data/raw/sources.csv)", constraints={"required": True}),
    dict(name="raw_start", type="integer", description="Offset of the mention in the raw file (0-based code points, as stored)",
         constraints={"required": True, "minimum": 0}),
    dict(name="raw_end", type="integer", description="End offset of the mention (raw[raw_start:raw_end] == match)",
         constraints={"required": True, "minimum": 0}),
    dict(name="match", type=_S, description="The mention as it stands in the raw file", constraints={"required": True}),
    dict(name="kind", type=_S, description="How the mention index reads it (analysis.core.quantities.find_quantities)",
         constraints={"required": True, "enum": list(KINDS)}),
    dict(name="account", type=_S, description="taken (by one clean row), dismissed (with a reason) or open (not yet accounted for)",
         constraints={"required": True, "enum": list(ACCOUNTS)}),
    dict(name="reason", type=_S, description="Why a dismissed mention is not a row: the dismissal vocabulary of data/vocabularies.csv",
         constraints={"enum": "vocabulary:dismissal"}),
    dict(name="row_indicator", type=_S, description="The clean row that took the mention, or that a repeat repeats: its indicator"),
    dict(name="row_figure_start", type="integer", description="... and the raw offset of that row's figure (unique within the source)",
         constraints={"minimum": 0}),
    dict(name="quote", type=_S, description="The dismissal's verbatim quote (empty when taken or dismissed by kind)"),
    dict(name="quote_start", type="integer", description="Offset of that quote in the raw file", constraints={"minimum": 0}),
    dict(name="note", type=_S, description="Why, where the reason alone does not say"),
]
LEDGER_COLUMNS = [f["name"] for f in LEDGER_FIELDS]



def ledger_fields(root: Path | None = None) -> list[dict]:
    """Return :data:`LEDGER_FIELDS` with the dismissal vocabulary filled in."""
    import copy

    from analysis.metadata.codebook import vocabulary

    out = copy.deepcopy(LEDGER_FIELDS)
    for f in out:
        c = f.get("constraints", {})
        if c.get("enum") == "vocabulary:dismissal":
            c["enum"] = vocabulary("dismissal", root)
    return out



class SchemaError(ValueError):
    """A clean row breaks the schema; the message names the file, the row and the field."""


def datapackage(csv_names: list[str], root: Path | None = None) -> dict:
    """Return the frictionless Data Package descriptor for the given clean CSV file names."""
    schema = {"fields": fields(root), "primaryKey": list(KEY)}
    ledger = {"fields": ledger_fields(root), "primaryKey": ["source_id", "raw_start"]}
    resources = [{"name": Path(n).stem.replace("_", "-"), "path": n, "profile": "tabular-data-resource",
                  "format": "csv", "encoding": "utf-8", "schema": schema} for n in sorted(csv_names) if "/" not in n]
    resources += [{"name": "ledger-" + Path(n).stem.replace("_", "-"), "path": n, "profile": "tabular-data-resource",
                   "format": "csv", "encoding": "utf-8", "schema": ledger,
                   "description": "Every number of the article body: taken by one row, dismissed with a reason, or open "
                                  "(analysis.clean.ledger)"} for n in sorted(csv_names) if n.startswith("ledger/")]
    return {"name": "minsheng-observations", "title": "Livelihood (民生) report figures, tidy and sourced",
            "description": "One row per figure quoted in a city's livelihood article; see README.md.",
            "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
            "resources": resources}


def validate(df, where, root: Path | None = None) -> None:
    """Raise :class:`SchemaError` listing every row breaking the schema or the codebook (:func:`schema_problems`)."""
    problems = schema_problems(df, where, root)
    if problems:
        raise SchemaError("\n".join(problems))


def schema_problems(df, where, root: Path | None = None) -> list[str]:
    """Return one message per (row, field) breaking the schema or the codebook: the rulebook's ``schema`` rule.

    ``where`` names the file (rows are then counted from 1), or is a Series giving each row's own
    "file row N" (to check several files' rows in one pass). Each message names file, row, source,
    indicator and field.
    """
    import pandas as pd

    from analysis.metadata.codebook import load_codebook

    missing = [c for c in FIELD_NAMES if c not in df.columns]
    if missing:
        return [f"{where if isinstance(where, str) else 'data/clean'}: missing column(s) {', '.join(missing)}"]
    problems: list[str] = []

    def fail(mask, field, why):
        bad = df.index[mask.fillna(True) if hasattr(mask, "fillna") else mask]
        for i in bad:
            loc = f"{where} row {df.index.get_loc(i) + 1}" if isinstance(where, str) else where.loc[i]
            problems.append(f"{loc} (source_id={df.at[i, 'source_id']}, indicator={df.at[i, 'indicator']}): "
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
    allowed = df["indicator"].map(lambda i: codebook.at[i, "unit"].split("|") if i in codebook.index else [])
    known = df["indicator"].isin(codebook.index)
    fail(pd.Series([u not in a for u, a in zip(df["unit"], allowed, strict=True)], index=df.index) & known, "unit",
         "is not the codebook's unit for the indicator")
    fail((df["topic"] != df["indicator"].map(codebook["topic"])) & known, "topic", "is not the codebook's topic")
    is_share = df["indicator"].map(codebook["measure"]) == "share"
    has_denominator = df["denominator"].astype("string").fillna("") != ""
    fail(is_share & ~has_denominator, "denominator", "is required for a share (not_stated if the quote names no whole)")
    fail(~is_share & has_denominator, "denominator", "is only for shares (codebook measure 'share')")
    fail(df.duplicated(KEY, keep="first"), "indicator", f"repeats a ({', '.join(KEY)}) key")
    return problems


def read_clean_csv(path: Path):
    """Read one clean CSV as every reader does: text columns as text (empty stays ""), value, high and quote_start numeric."""
    import pandas as pd

    return pd.read_csv(path, dtype={c: str for c in COLUMNS if c not in ("value", "high", "quote_start")},
                       keep_default_na=False, na_values={"value": [""], "high": [""]}, encoding="utf-8")


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
