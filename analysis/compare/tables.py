"""Comparisons across places: pick an indicator, scale it by population, lay it out as a table.

Editorial decisions
- Which indicators each comparison sets side by side is data: ``data/comparisons.csv`` (comparison,
  indicator, chart). A new city's figures for any listed indicator flow in by themselves.
- Every place in ``data/raw/places.csv`` appears in a comparison; a place with no figure for an
  indicator gets a row with status ``not reported`` (never silently dropped).
- Rows are grouped by their **comparability key** (indicator, unit, denominator, scope, status,
  stock/flow: :mod:`analysis.metadata.comparability`). Rows whose keys differ are never set side by side
  without words that say how (``differs`` column: e.g. "of fiscal spending", "kindergartens
  included", "person-times").
- Per-capita figures use one denominator: the 2020 census resident population of
  ``data/raw/reference/population_2020_census.csv``. A place the census table lacks takes a
  population its article states (an observation with its quote); a place with neither is compared in
  absolute numbers only, with a note. A figure whose scope narrows the place (city seat, urban or
  rural areas only) is never divided by the place's population. Shares, rates and changes are never
  divided by population.
- Results, targets, plans and announcements, and different periods, stay separate rows, always labelled.
- Sentences about the data (titles, who reports, which figure is largest) are computed here
  (:func:`chart_title`, :func:`chart_subtitle`, :func:`headline`, :func:`summary`), never typed: a
  doubtful (flagged) figure never leads them. A chart's title names what every panel measures and
  ranks nothing; :func:`headline` (a sentence for prose) ranks only like-for-like rows of one period.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.paths import ROOT
from analysis.core.periods import period_bounds
from analysis.core.text import zh_punctuation
from analysis.metadata.codebook import require_choice, require_known
from analysis.metadata.comparability import KEY, differences

CENSUS_REL = "data/raw/reference/population_2020_census.csv"
# populations a researcher added with a new place (``new-source --population``), each with its citation
ADDED_POPULATION_REL = "data/raw/reference/population_added.csv"
COMPARISONS_REL = "data/comparisons.csv"
METRICS = ("absolute", "per_10k")


def load_comparisons(root: Path | None = None) -> pd.DataFrame:
    """Return ``data/comparisons.csv``: comparison, indicator, charts (``absolute``, ``per_10k``, both ``;``-separated,
    or empty for the table only), in the file's order; every indicator checked against the codebook."""
    from analysis.metadata.codebook import load_codebook

    path = (Path(root) if root else ROOT) / COMPARISONS_REL
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    known = load_codebook(root)["indicator"]
    for n, row in enumerate(df.to_dict("records"), start=2):
        try:
            require_known(row["indicator"], known)
        except KeyError as e:
            raise KeyError(f"{COMPARISONS_REL} line {n}: {e.args[0]}") from None
        bad = [c for c in row["charts"].split(";") if c and c not in METRICS]
        if bad:
            raise ValueError(f"{COMPARISONS_REL} line {n}: charts {bad[0]!r} is not one of {', '.join(METRICS)}")
    return df


def comparison_indicators(name: str, chart: str | None = None, root: Path | None = None) -> list[str]:
    """Return the indicators of one comparison (``spending``, ``employment``, ...), or only those of one chart
    (``chart="absolute"`` or ``"per_10k"``), in the order of ``data/comparisons.csv``."""
    df = load_comparisons(root)
    require_known(name, df["comparison"].unique(), what="comparison")
    df = df[df["comparison"] == name]
    if chart is not None:
        require_known(chart, METRICS, what="chart")
        df = df[df["charts"].str.split(";").map(lambda cs: chart in cs)]
    return list(df["indicator"])


RATE_UNITS = ("percent", "percentage_points")
BOUND = {"exact": "", "at_least": "≥ ", "more_than": "> ", "about": "≈ ", "at_most": "≤ ", "less_than": "< ", "range": ""}
LEVEL_ZH = {"prefecture": "地级市", "county-level city": "县级市", "district": "区"}
NOT_REPORTED = {"en": "not reported", "zh": "未报告"}
STATUS_RANK = {"result": 0, "target": 1, "plan": 2, "announced": 3, "not reported": 9}  # order of rows and of leaders


def status_label(status: str, lang: str = "en") -> str:
    """Say a status in words (``plan`` -> 'plan' / '计划'; ``not reported`` -> '未报告')."""
    require_choice(lang, LANGS, "lang")
    from analysis.metadata.codebook import vocab_label

    return NOT_REPORTED[lang] if status == "not reported" else vocab_label("status", status, lang)


VOUCHED = "population:"  # a stated resident population a researcher took as the per-capita denominator says so


def population(obs: pd.DataFrame | None = None, root: Path | None = None) -> pd.DataFrame:
    """Return one population per place: place_en, population, pop_date (its reference date), pop_source (census or
    the article), pop_note.

    The 2020 census table first, then a population added with its citation (``new-source --population``,
    ``data/raw/reference/population_added.csv``), then one the place's own article states, where the
    researcher who took it vouched for it as the denominator: its row's note starts ``population:``
    (:data:`VOUCHED`). A ``resident_population`` row without that note stays data, and divides nothing.
    """
    from analysis.sources.manifest import load_places

    root = Path(root) if root else ROOT
    census = pd.read_csv(root / CENSUS_REL, dtype={"resident_population": "int64"})
    if (root / ADDED_POPULATION_REL).exists():
        added = pd.read_csv(root / ADDED_POPULATION_REL, dtype={"resident_population": "int64"}, encoding="utf-8-sig")
        census = pd.concat([census, added[~added["city_en"].isin(census["city_en"])]], ignore_index=True)
    places = load_places(root)[["place_en"]].astype(str)
    out = places.merge(census[["city_en", "resident_population", "reference_date", "source_title"]], how="left",
                       left_on="place_en", right_on="city_en")
    out["pop_source"] = out["source_title"].where(out["resident_population"].notna(), "")
    out["pop_date"] = out["reference_date"].where(out["resident_population"].notna(), "").fillna("")
    if obs is not None:
        stated = obs[(obs["indicator"] == "resident_population") & obs["note"].astype(str).str.startswith(VOUCHED)]
        for r in stated.itertuples():
            mask = (out["place_en"] == r.city_en) & out["resident_population"].isna()
            out.loc[mask, "resident_population"] = r.value
            out.loc[mask, "pop_source"] = f"stated in {r.source_id}: “{r.quote}”"
            out.loc[mask, "pop_date"] = period_bounds(str(r.period))[1]
    out["pop_note"] = out["resident_population"].isna().map({True: "no population figure: absolute numbers only", False: ""})
    return out.rename(columns={"resident_population": "population"})[["place_en", "population", "pop_date", "pop_source",
                                                                       "pop_note"]]


def pick(obs: pd.DataFrame, indicators: list[str] | str, root: Path | None = None) -> pd.DataFrame:
    """Return the observations of the given indicators, in the order given, for every place and period.

    An indicator not in the codebook raises :class:`KeyError` naming the closest ones (never an empty result).
    """
    from analysis.metadata.codebook import load_codebook

    indicators = require_known(indicators, load_codebook(root)["indicator"])
    df = obs[obs["indicator"].isin(indicators)].copy()
    df["indicator"] = pd.Categorical(df["indicator"].astype(str), categories=indicators, ordered=True)
    return df.sort_values(["indicator", "city_en", "period"]).reset_index(drop=True)


def per_capita(df: pd.DataFrame, pop: pd.DataFrame, per: int = 10_000, root: Path | None = None) -> pd.DataFrame:
    """Add ``population``, ``per_10k`` (value per ``per`` residents) and ``per_10k_note`` (why it is empty, if it is).

    Empty for shares, rates and changes, for a figure whose scope narrows the place (city seat, urban or
    rural areas only: the place's population is not its population), and where the place has no population.
    """
    from analysis.metadata.codebook import load_vocabularies

    voc = load_vocabularies(root)
    narrow = set(voc.loc[(voc["field"] == "scope") & (voc["per_capita"] == "no"), "value"])
    out = df.merge(pop, how="left", left_on="city_en", right_on="place_en").drop(columns="place_en")
    is_rate = out["unit"].astype(str).isin(RATE_UNITS)
    scopes = out["scope"].astype(str) if "scope" in out else pd.Series("", index=out.index)
    narrowed = scopes.map(lambda s: bool(set(s.split(";")) & narrow))
    out["per_10k"] = (out["value"] / out["population"] * per).where(~is_rate & ~narrowed)
    out["per_10k_note"] = [
        "a share or rate: not divided by population" if r else
        f"scope {s}: the place's population does not apply" if n else
        "no population figure" if pd.isna(p) else ""
        for r, n, s, p in zip(is_rate, narrowed, scopes, out["population"], strict=True)]
    return out


def latest(df: pd.DataFrame) -> pd.DataFrame:
    """Keep, per place, indicator and comparability key, the observation with the latest period end."""
    ends = df["period"].astype(str).map(lambda p: period_bounds(p)[1])
    order = df.assign(_end=ends).sort_values("_end")
    group = ["city_en"] + [k for k in KEY if k in df.columns]
    return order.groupby(group, observed=True, sort=False).tail(1).drop(columns="_end")


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
    require_choice(lang, LANGS, "lang")
    first, last = (pd.Timestamp(d) for d in period_bounds(period))
    rest = period[4:]
    kind = "year" if not rest else rest if rest in PERIOD_WORDS else "ytd" if rest.startswith("-YTD@") else "months"
    template = PERIOD_WORDS[kind][lang == "zh"]
    return template.format(y=period[:4], d=last.day, m=last.month, mon=last.strftime("%b"), m1=first.month,
                           mon1=first.strftime("%b"))


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.4f}".rstrip("0").rstrip(".")


def fmt_value(value: float, unit: str, qualifier: str, high: float | None = None, lang: str = "en") -> str:
    """Say a value with its bound: ``('≥ 5,000')``, ``('> 80%')``, ``('10–15')``; percentage points as 'pp' / '个百分点'.

    >>> fmt_value(5000, "persons", "at_least"), fmt_value(80, "percent", "more_than"), fmt_value(3.9, "percentage_points", "exact", lang="zh")
    ('≥ 5,000', '> 80%', '3.9个百分点')
    """
    require_choice(lang, LANGS, "lang")
    if pd.isna(value):
        return ""
    suffix = "%" if unit == "percent" else (" pp" if lang == "en" else "个百分点") if unit == "percentage_points" else ""
    if qualifier == "range" and high is not None and not pd.isna(high):
        return f"{_num(value)}–{_num(high)}{suffix}"
    return BOUND.get(qualifier, "") + _num(value) + suffix


def doubtful_flags(root: Path | None = None) -> set[str]:
    """Return the flags that mark a figure as doubtful (``data/vocabularies.csv``, column doubtful)."""
    from analysis.metadata.codebook import load_vocabularies

    voc = load_vocabularies(root)
    return set(voc.loc[(voc["field"] == "flag") & (voc["doubtful"] == "yes"), "value"])


def comparison_table(obs: pd.DataFrame, indicators: list[str] | str, lang: str = "en",
                     root: Path | None = None, not_reported: bool = True) -> pd.DataFrame:
    """Return one row per place, indicator and comparability key (plus ``not reported`` rows).

    Columns: place, level, indicator, status, period, as_said (the value with its bound), differs
    (how this row's key differs from the others of its indicator: empty where all count the same
    thing), value, unit, qualifier, denominator, scope, stock_flow, population, per_10k, per_10k_note,
    flags, doubtful, source_id, quote, and the ids behind the labels (indicator_id, place_en, status_id,
    period_id, key). Labels come from the codebook and vocabularies (English or Chinese with ``lang``).
    Rows are sorted by indicator, key (results first), place (places.csv order) and period.
    """
    from analysis.metadata.codebook import load_codebook
    from analysis.sources.manifest import load_places

    require_choice(lang, LANGS, "lang")
    indicators = require_known(indicators, load_codebook(root)["indicator"])
    places = load_places(root).astype(str)
    cb = load_codebook(root).set_index("indicator")
    rows = per_capita(pick(obs, indicators, root), population(obs, root), root=root)
    rows = rows.astype({c: "object" for c in rows.select_dtypes(["category", "string"]).columns})
    have = set(zip(rows["city_en"].astype(str), rows["indicator"].astype(str), strict=True))
    missing = [{"city_en": p, "indicator": i, "status": "not reported"} for i in indicators
               for p in places["place_en"] if (p, i) not in have] if not_reported else []
    table = pd.concat([rows, pd.DataFrame(missing, columns=["city_en", "indicator", "status"])], ignore_index=True)
    table = table.drop(columns=["admin_level", "city_zh"], errors="ignore").merge(
        places.rename(columns={"place_en": "city_en"})[["city_en", "place_zh", "admin_level"]], on="city_en", how="left")
    for c in ("denominator", "scope", "stock_flow", "unit", "qualifier", "flags", "note", "source_id", "quote", "period"):
        table[c] = table[c].fillna("") if c in table else ""
    table["key"] = ["|".join(map(str, k)) if st != "not reported" else "" for k, st in
                    zip(table[KEY].itertuples(index=False, name=None), table["status"], strict=True)]
    table["_i"] = table["indicator"].astype(str).map({k: n for n, k in enumerate(indicators)})
    table["_s"] = table["status"].map(STATUS_RANK).fillna(5)
    table["_p"] = table["city_en"].map({k: n for n, k in enumerate(places["place_en"])})
    table["_e"] = [period_bounds(p)[1] if p else "9999" for p in table["period"]]
    table = table.sort_values(["_i", "_s", "key", "_p", "_e"], na_position="last").reset_index(drop=True)
    table["differs"] = ""
    for _, g in table[table["status"] != "not reported"].groupby("_i", sort=False):
        table.loc[g.index, "differs"] = differences(g.to_dict("records"), lang)
    zh = lang == "zh"
    doubtful = doubtful_flags(root)
    label = cb["label_zh" if zh else "label_en"]
    return pd.DataFrame({
        "place": table["place_zh"] if zh else table["city_en"],
        "level": table["admin_level"].map(LEVEL_ZH) if zh else table["admin_level"],
        "indicator": table["indicator"].astype(str).map(label),
        "status": [status_label(s, lang) for s in table["status"]],
        "period": [period_label(p, lang) if p else "" for p in table["period"]],
        "as_said": [fmt_value(v, u, q, h, lang) for v, u, q, h in
                    zip(table["value"], table["unit"], table["qualifier"], table["high"], strict=True)],
        "differs": table["differs"],
        "value": table["value"], "unit": table["unit"], "qualifier": table["qualifier"],
        "denominator": table["denominator"], "scope": table["scope"], "stock_flow": table["stock_flow"],
        "population": table["population"], "population_date": table["pop_date"].fillna(""),
        "population_source": table["pop_source"].fillna(""), "per_10k": table["per_10k"].round(2),
        "per_10k_note": table["per_10k_note"].fillna(""),
        "flags": table["flags"], "note": table["note"], "doubtful": [bool(set(f.split(";")) & doubtful) for f in table["flags"]],
        "source_id": table["source_id"], "quote": table["quote"],
        "indicator_id": table["indicator"].astype(str), "place_en": table["city_en"], "status_id": table["status"],
        "period_id": table["period"], "key": table["key"],
    })


def _leading_group(sub: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The like-for-like rows a sentence may rank: not doubtful, with a value, one key (most places; results first)."""
    ok = sub[(sub["status_id"] != "not reported") & ~sub["doubtful"] & sub[metric].notna()]
    if ok.empty:
        return ok
    best = min(ok.groupby("key", sort=False), key=lambda kv: (-kv[1]["place_en"].nunique(),
                                                              STATUS_RANK.get(kv[1]["status_id"].iloc[0], 5)))[0]
    return ok[ok["key"] == best]


def headline(table: pd.DataFrame, metric: str = "value", lang: str = "en") -> str:
    """Return a chart title stating what the data show for the table's first indicator, computed from it.

    Names the largest figure among like-for-like rows (same comparability key, not doubtful, one period)
    and how many places report. Where those rows' periods differ it ranks nothing: it says how many
    report, for different periods. Never leads with a doubtful figure.
    """
    require_choice(metric, VALUE_METRICS, "metric")
    require_choice(lang, LANGS, "lang")
    first = table["indicator"].iloc[0]
    sub = table[table["indicator"] == first]
    per = metric == "per_10k"
    name = f"{first}{' per 10,000 residents' if per and lang == 'en' else '（每万常住人口）' if per else ''}"
    group = _leading_group(sub, metric)
    reporting = sub.loc[sub["status_id"] != "not reported", "place_en"].nunique()
    n_places = sub["place_en"].nunique()
    if group.empty:
        return (f"{name}: no comparable figure among {n_places} places" if lang == "en"
                else zh_punctuation(f"{name}: {n_places}个地方中无可比数据"))
    top = group.loc[group[metric].idxmax()]
    value = (f"{top[metric]:,.1f}" if per else top["as_said"]) + (f", {top['differs']}" if top["differs"] else "")
    periods_differ = group["period_id"].nunique() > 1
    if periods_differ:  # figures of different periods are described, never ranked (a half year is not a year)
        return (f"{name}: {reporting} of {n_places} places report it, for different periods (not ranked)" if lang == "en"
                else zh_punctuation(f"{name}: {n_places}个地方中{reporting}个报告, 时期不同(不排序)"))
    if lang == "en":
        lead = (f"{top['place']} reports the largest {top['status']} ({value}, {top['period']})" if len(group) > 1
                else f"no two places report it in the same terms; {top['place']}: {top['status']} {value} ({top['period']})")
        tail = f"; {reporting} of {n_places} places report it" + ("; periods differ" if periods_differ and len(group) > 1 else "")
        return f"{name}: {lead}{tail}"
    lead = (f"{top['place']}的{top['status']}最高({value}, {top['period']})" if len(group) > 1
            else f"各地口径不一; {top['place']}: {top['status']}{value}({top['period']})")
    tail = f"; {n_places}个地方中{reporting}个报告" + ("; 时期不同" if periods_differ and len(group) > 1 else "")
    return zh_punctuation(f"{name}: {lead}{tail}")


TITLE_MAX = 80  # characters: a chart title a report can use as it is


def _joined(names: list[str], lang: str) -> str:
    """"A, b and c" (a name after the first loses its capital unless it is an acronym); 甲、乙和丙."""
    if lang == "en":
        names = names[:1] + [n[0].lower() + n[1:] if n[1:2].islower() else n for n in names[1:]]
    if len(names) == 1:
        return names[0]
    return (", ".join(names[:-1]) + " and " + names[-1]) if lang == "en" else "、".join(names[:-1]) + "和" + names[-1]


def chart_title(table: pd.DataFrame, metric: str = "value", lang: str = "en") -> str:
    """Return a chart's title: what every panel measures, in at most :data:`TITLE_MAX` characters.

    The title names the measures (every indicator of ``table``, in its order, "A, B and C"), per
    10,000 residents where the chart is per capita. Where their names do not fit, it names the topic
    they share and how many measures there are ("Education: 4 measures"; 教育：4项指标). It never
    names a leader: which place is largest is a finding of like-for-like rows only (:func:`headline`),
    and a chart's panels mix periods, statuses and units (the subtitle says which: :func:`chart_subtitle`).
    """
    from analysis.metadata.codebook import TOPIC_NAMES, load_codebook

    require_choice(metric, VALUE_METRICS, "metric")
    require_choice(lang, LANGS, "lang")
    if table.empty:
        raise ValueError("chart_title: the table has no rows (give at least one indicator)")
    names = list(dict.fromkeys(table["indicator"]))
    ids = list(dict.fromkeys(table["indicator_id"]))
    book = load_codebook().set_index("indicator").reindex(ids)
    per = metric == "per_10k"
    suffix = {"en": " per 10,000 residents" if per else "", "zh": "（每万常住人口）" if per else ""}
    english = [str(x) for x in book["label_en"].fillna(pd.Series(names, index=book.index))]
    title = _joined(names, lang) + suffix[lang]
    # one form in both languages: the names where they fit in both, else the topic and a count
    if max(len(title), len(_joined(english, "en") + suffix["en"])) > TITLE_MAX:
        topics = set(book["topic"].dropna())
        topic = TOPIC_NAMES.get(topics.pop(), ("", ""))[lang == "zh"] if len(topics) == 1 else ""
        n = len(names)
        if lang == "en":
            title = f"{topic}: {n} measures{suffix[lang]}" if topic else f"{n} livelihood measures{suffix[lang]}"
        else:
            title = f"{topic}：{n}项指标{suffix[lang]}" if topic else f"{n}项民生指标{suffix[lang]}"
    return zh_punctuation(title) if lang == "zh" else title


PERIODS_LISTED = 4  # a subtitle lists this many periods; more are "7 periods, H1 2020 to 2022 (full year)"


def chart_subtitle(table: pd.DataFrame, metric: str = "value", lang: str = "en") -> str:
    """Return a chart's subtitle, computed from its table: how many places report, the periods, the statuses,
    and whether the bars of one panel differ in period or status (then they are not like for like).

    >>> t = comparison_table(__import__("analysis").load_observations(), ["new_urban_jobs"])
    >>> chart_subtitle(t).split(";")[0].endswith("places report")
    True
    """
    from analysis.core.periods import period_order

    require_choice(metric, VALUE_METRICS, "metric")
    require_choice(lang, LANGS, "lang")
    col = metric if metric in table else "value"
    rep = table[table["status_id"] != "not reported"]
    n, k = table["place_en"].nunique(), rep["place_en"].nunique()
    label = dict(zip(rep["period_id"], rep["period"], strict=True))
    periods = [label[p] for p in period_order(label)]
    if len(periods) > PERIODS_LISTED:
        periods = ([f"{len(periods)} periods, {periods[0]} to {periods[-1]}"] if lang == "en"
                   else [f"{len(periods)}个时期（{periods[0]}至{periods[-1]}）"])
    st = dict(zip(rep["status_id"], rep["status"], strict=True))
    statuses = [st[s] for s in sorted(st, key=lambda s: STATUS_RANK.get(s, 5))]
    drawn = rep[rep[col].notna()]
    mixed = [w for c, w in (("period_id", ("periods", "时期")), ("status_id", ("statuses", "性质")))
             if (drawn.groupby("indicator_id")[c].nunique() > 1).any()]
    sep = ", " if lang == "en" else "、"
    if lang == "en":
        parts = [f"{k} of {n} places report", "period: " + sep.join(periods) if periods else "",
                 "status: " + sep.join(statuses) if statuses else ""]
        if mixed:
            parts.append(f"within a panel, {' and '.join(w[0] for w in mixed)} differ: not like for like")
        return "; ".join(p for p in parts if p)
    parts = [f"{n}个地方中{k}个报告", "时期：" + sep.join(periods) if periods else "",
             "性质：" + sep.join(statuses) if statuses else ""]
    if mixed:
        parts.append(f"同一分图内{'、'.join(w[1] for w in mixed)}不同，不可直接比较")
    return zh_punctuation("；".join(p for p in parts if p))


SUMMARY_WORDS = {
    "en": {"none": "no place reports it", "missing": ". Not reported: ", "sep": ", ", "doubtful": ". Doubtful (flagged): ",
           "kinds": ". {} different kinds of figure (see status and the words after the period)"},
    "zh": {"none": "无地方报告", "missing": "。未报告: ", "sep": "、", "doubtful": "。存疑: ", "kinds": "。共{}类不同口径的数据"},
}


def summary(table: pd.DataFrame, lang: str = "en") -> str:
    """Return one line per indicator, computed from the table: who reports it (and as what), who does not, what is doubtful."""
    require_choice(lang, LANGS, "lang")
    lines = []
    for ind, sub in table.groupby("indicator", sort=False):
        rep = sub[sub["status_id"] != "not reported"]
        missing = list(dict.fromkeys(sub.loc[sub["status_id"] == "not reported", "place"]))
        said = [f"{r.place} {r.as_said} ({r.status}, {r.period}{', ' + r.differs if r.differs else ''})"
                for r in rep.itertuples()]
        doubtful = [r.place for r in rep.itertuples() if r.doubtful]
        keys = rep["key"].nunique()
        w = SUMMARY_WORDS[lang]
        line = f"{ind}: " + ("; ".join(said) if said else w["none"])
        if missing:
            line += w["missing"] + w["sep"].join(missing)
        if keys > 1:
            line += w["kinds"].format(keys)
        if doubtful:
            line += w["doubtful"] + w["sep"].join(doubtful)
        lines.append(zh_punctuation(line) if lang == "zh" else line)
    return "\n".join(lines)


LANGS = ("en", "zh")
VALUE_METRICS = ("value", "per_10k")  # what a chart or a headline measures (the metric= of plotting and headline)
WIDE_INDEX = ("indicator", "period", "status", "unit", "denominator", "scope", "stock_flow", "source_id")


def wide_table(obs: pd.DataFrame, columns: str = "city_en", values: str = "value",
               index: list[str] | None = None) -> pd.DataFrame:
    """Return a wide table that never averages: one cell per figure, its kind and period kept in the index.

    The index is indicator, period, status, unit, denominator, scope, stock_flow and source_id (or
    ``index``): with source_id it holds the data's primary key, so two figures never share a cell (two
    articles that report the same figure stay two rows). With a shorter ``index``, if two figures would
    share a cell it raises ``ValueError`` naming them instead of averaging. ``values="as_stated"`` fills
    the cells with the value as the article gives it, bound and range kept ("≥ 80%", "1–2"): the
    numeric ``value`` of an open bound or a range is only its low end.

    >>> import analysis
    >>> w = wide_table(analysis.load_observations())
    >>> w.index.names[:3]
    FrozenList(['indicator', 'period', 'status'])
    """
    index = index or list(WIDE_INDEX)
    df = obs.copy()
    if values == "as_stated":  # the value as the article gives it: 1–2, ≥ 80%, > 5,000
        df["as_stated"] = [fmt_value(v, u, q, h) for v, u, q, h in
                           zip(df["value"], df["unit"].astype(str), df["qualifier"].astype(str), df["high"], strict=True)]
    for c in index + [columns]:
        df[c] = df[c].astype(str)
    dup = df[df.duplicated(index + [columns], keep=False)]
    if len(dup):
        d = dup.iloc[0]
        raise ValueError(f"{len(dup)} figures would share one cell (e.g. {d[columns]}, "
                         + ", ".join(f"{c}={d[c]}" for c in index) + "): add a column to index= to keep them apart")
    return df.pivot(index=index, columns=columns, values=values).sort_index()


def value_of(obs: pd.DataFrame, city: str, indicator: str, period: str | None = None) -> float:
    """Return the one value of ``indicator`` for ``city`` (and ``period``); KeyError if none or several."""
    m = (obs["city_en"] == city) & (obs["indicator"] == indicator)
    if period is not None:
        m &= obs["period"] == period
    hit = obs.loc[m, "value"]
    if len(hit) != 1:
        raise KeyError(f"{len(hit)} values of {indicator} for {city} {period or ''}".strip())
    return float(hit.iloc[0])
