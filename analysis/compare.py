"""Comparisons across places: pick an indicator, scale it by population, lay it out as a table.

Editorial decisions
- Every place in ``data/raw/places.csv`` appears in a comparison; a place with no figure for an
  indicator gets a row with status ``not reported`` (never silently dropped).
- Per-capita figures use one denominator: the 2020 census resident population of
  ``data/raw/reference/population_2020_census.csv``. A place the census table lacks takes a
  population the articles themselves state (Tengzhou: 1.57 million, an observation with its quote);
  a place with neither (Shizhong District) is compared in absolute numbers only, with a note.
- Percentages and percentage points are never divided by population.
- Results and targets, and different periods, stay separate rows: a half-year result is never set
  against a full-year target without both labels in view.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .paths import ROOT
from .schema import period_bounds

CENSUS_REL = "data/raw/reference/population_2020_census.csv"
# The indicators each comparison sets side by side (tables and workbook); charts use the first ones.
COMPARISONS = {
    "spending": ["livelihood_spending_share", "livelihood_spending_share_change", "livelihood_spending",
                 "livelihood_spending_growth"],
    "employment": ["new_urban_jobs", "public_welfare_posts", "vocational_training", "startup_loans", "job_postings"],
    "education": ["schools_planned", "schools_started", "schools_completed", "school_seats_added", "teachers_recruited",
                  "teachers_to_recruit", "students_funded", "student_aid_funds"],
}
RATE_UNITS = ("percent", "percentage_points")
BOUND = {"exact": "", "at_least": "≥ ", "more_than": "> ", "about": "≈ ", "at_most": "≤ ", "range": ""}
STATUS_ZH = {"result": "结果", "target": "目标", "not reported": "未报告"}
LEVEL_ZH = {"prefecture": "地级市", "county-level city": "县级市", "district": "区"}


def population(obs: pd.DataFrame | None = None, root: Path | None = None) -> pd.DataFrame:
    """Return one population per place: place_en, population, pop_source (census or the article), pop_note."""
    from .sources import load_places

    root = Path(root) if root else ROOT
    census = pd.read_csv(root / CENSUS_REL, dtype={"resident_population": "int64"})
    places = load_places(root)[["place_en"]].astype(str)
    out = places.merge(census[["city_en", "resident_population", "source_title"]], how="left",
                       left_on="place_en", right_on="city_en")
    out["pop_source"] = out["source_title"].where(out["resident_population"].notna(), "")
    if obs is not None:
        stated = obs[obs["indicator"] == "resident_population"]
        for r in stated.itertuples():
            mask = (out["place_en"] == r.city_en) & out["resident_population"].isna()
            out.loc[mask, "resident_population"] = r.value
            out.loc[mask, "pop_source"] = f"stated in {r.source_id}: “{r.quote}”"
    out["pop_note"] = out["resident_population"].isna().map({True: "no population figure: absolute numbers only", False: ""})
    return out.rename(columns={"resident_population": "population"})[["place_en", "population", "pop_source", "pop_note"]]


def pick(obs: pd.DataFrame, indicators: list[str] | str) -> pd.DataFrame:
    """Return the observations of the given indicators, in the order given, for every place and period."""
    indicators = [indicators] if isinstance(indicators, str) else list(indicators)
    df = obs[obs["indicator"].isin(indicators)].copy()
    df["indicator"] = pd.Categorical(df["indicator"].astype(str), categories=indicators, ordered=True)
    return df.sort_values(["indicator", "city_en", "period"]).reset_index(drop=True)


def per_capita(df: pd.DataFrame, pop: pd.DataFrame, per: int = 10_000) -> pd.DataFrame:
    """Add ``population`` and ``per_10k`` (value per ``per`` residents; empty for rates or unknown population)."""
    out = df.merge(pop, how="left", left_on="city_en", right_on="place_en").drop(columns="place_en")
    is_rate = out["unit"].astype(str).isin(RATE_UNITS)
    out["per_10k"] = (out["value"] / out["population"] * per).where(~is_rate)
    return out


def latest(df: pd.DataFrame) -> pd.DataFrame:
    """Keep, per place, indicator and status, the observation with the latest period end."""
    ends = df["period"].astype(str).map(lambda p: period_bounds(p)[1])
    order = df.assign(_end=ends).sort_values("_end")
    return order.groupby(["city_en", "indicator", "status"], observed=True, sort=False).tail(1).drop(columns="_end")


PERIOD_WORDS = {  # kind of period -> (English, Chinese) template
    "year": ("{y} (full year)", "{y}年全年"),
    "-H1": ("H1 {y}", "{y}年上半年"),
    "-H2": ("H2 {y}", "{y}年下半年"),
    "-spring": ("spring term {y}", "{y}年春季学期"),
    "ytd": ("{y} to {d} {mon}", "{y}年截至{m}月{d}日"),
    "months": ("{mon1}–{mon} {y}", "{y}年{m1}-{m}月"),
}


def period_label(period: str, lang: str = "en") -> str:
    """Say a period in words: ``2022-H1`` -> 'H1 2022' / '2022年上半年'.

    >>> period_label("2022-YTD@2022-09-22"), period_label("2022-M01-M08", "zh"), period_label("2021-H2")
    ('2022 to 22 Sep', '2022年1-8月', 'H2 2021')
    """
    first, last = (pd.Timestamp(d) for d in period_bounds(period))
    rest = period[4:]
    kind = "year" if not rest else rest if rest in PERIOD_WORDS else "ytd" if rest.startswith("-YTD@") else "months"
    template = PERIOD_WORDS[kind][lang == "zh"]
    return template.format(y=period[:4], d=last.day, m=last.month, mon=last.strftime("%b"), m1=first.month,
                           mon1=first.strftime("%b"))


def fmt_value(value: float, unit: str, qualifier: str, high: float | None = None) -> str:
    """Say a value with its bound: ``('≥ 5,000')``, ``('> 80%')``, ``('10–15')``.

    >>> fmt_value(5000, "persons", "at_least"), fmt_value(80, "percent", "more_than"), fmt_value(1.2e9, "yuan", "exact")
    ('≥ 5,000', '> 80%', '1,200,000,000')
    """
    if pd.isna(value):
        return ""
    num = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4f}".rstrip("0").rstrip(".")
    if unit == "percent":
        num += "%"
    elif unit == "percentage_points":
        num += " pp"
    if qualifier == "range" and high is not None and not pd.isna(high):
        return f"{num}–{high:,.0f}" if float(high).is_integer() else f"{num}–{high:,.4f}".rstrip("0").rstrip(".")
    return BOUND.get(qualifier, "") + num


def comparison_table(obs: pd.DataFrame, indicators: list[str] | str, lang: str = "en",
                     root: Path | None = None) -> pd.DataFrame:
    """Return one row per place and indicator (all observations, plus ``not reported`` rows).

    Columns: place, level, indicator, status, period, value as said (with its bound), value, unit,
    qualifier, population, per_10k, flags, source_id, quote, and the ids behind the labels
    (indicator_id, place_en, status_id). Labels come from the codebook (English or Chinese with ``lang``).
    """
    from .observations import load_codebook
    from .sources import load_places

    indicators = [indicators] if isinstance(indicators, str) else list(indicators)
    places = load_places(root).astype(str)
    cb = load_codebook(root).set_index("indicator")
    rows = per_capita(pick(obs, indicators), population(obs, root))
    rows = rows.astype({c: "object" for c in rows.select_dtypes(["category", "string"]).columns})
    have = set(zip(rows["city_en"].astype(str), rows["indicator"].astype(str), strict=True))
    missing = [{"city_en": p, "indicator": i, "status": "not reported"} for i in indicators
               for p in places["place_en"] if (p, i) not in have]
    table = pd.concat([rows, pd.DataFrame(missing, columns=["city_en", "indicator", "status"])], ignore_index=True)
    table = table.drop(columns=["admin_level", "city_zh"], errors="ignore").merge(
        places.rename(columns={"place_en": "city_en"})[["city_en", "place_zh", "admin_level"]], on="city_en", how="left")
    table["_i"] = table["indicator"].map({k: n for n, k in enumerate(indicators)})
    table["_p"] = table["city_en"].map({k: n for n, k in enumerate(places["place_en"])})
    table = table.sort_values(["_i", "_p", "period"], na_position="last").reset_index(drop=True)
    zh = lang == "zh"
    label = cb["label_zh" if zh else "label_en"]
    out = pd.DataFrame({
        "place": table["place_zh"] if zh else table["city_en"],
        "level": table["admin_level"].map(LEVEL_ZH) if zh else table["admin_level"],
        "indicator": table["indicator"].map(label),
        "status": table["status"].map(STATUS_ZH) if zh else table["status"],
        "period": [period_label(p, lang) if isinstance(p, str) else "" for p in table["period"]],
        "as_said": [fmt_value(v, u, q, h) for v, u, q, h in
                    zip(table["value"], table["unit"], table["qualifier"], table["high"], strict=True)],
        "value": table["value"], "unit": table["unit"].fillna(""), "qualifier": table["qualifier"].fillna(""),
        "population": table["population"], "per_10k": table["per_10k"].round(2),
        "flags": table["flags"].fillna(""), "source_id": table["source_id"].fillna(""), "quote": table["quote"].fillna(""),
        "indicator_id": table["indicator"], "place_en": table["city_en"], "status_id": table["status"],
    })
    return out


def value_of(obs: pd.DataFrame, city: str, indicator: str, period: str | None = None) -> float:
    """Return the one value of ``indicator`` for ``city`` (and ``period``); KeyError if none or several."""
    m = (obs["city_en"] == city) & (obs["indicator"] == indicator)
    if period is not None:
        m &= obs["period"] == period
    hit = obs.loc[m, "value"]
    if len(hit) != 1:
        raise KeyError(f"{len(hit)} values of {indicator} for {city} {period or ''}".strip())
    return float(hit.iloc[0])
