"""Plausibility checks on one source's observations. A failed check flags the row; it never drops it.

Each rule has a name (the flag), a one-line statement (:data:`RULES`) and a function. The reason
is appended to the row's ``note`` so the reader sees the numbers behind the flag.

Editorial decisions
- Parts and wholes (codebook ``part_of``) are compared within one source and place when the part's
  period lies within the whole's: the year's plan of 40 schools holds the 28 completed so far.
  Parts of one period are summed (42,000 rural + 5,300 urban posts); a part of a part (schools in
  use of those completed) is checked against its own whole. :func:`parts_table` shows each check.
- The translation rules (``impossible_unit``, ``classifier_dropped``, ``tenfold_sibling``) apply to
  English sources only (the manifest's ``language``): they catch what machine translation does to
  Chinese figures. ``conflicting_figures`` applies to every source.
"""

from __future__ import annotations

RULES = {
    "out_of_range": "the value lies outside the plausible range the codebook gives for the indicator "
                    "(a share within 0-100%, a growth rate within -50..100%)",
    "part_exceeds_whole": "the parts of a whole (codebook part_of), summed within one source, place and period, "
                          "exceed the whole",
    "seats_per_school": "new school places per school, where one source states both for the same schools, "
                        "fall outside 100-5,000",
    "rate_mismatch": "a stated rate (codebook rate_of: numerator/denominator) differs by more than 0.5 percentage "
                     "points from the rate computed from the two counts the same source gives",
    "unit_from_context": "the article gives a bare number; the unit comes from the surrounding text (see note)",
    "impossible_unit": "in a translation, the figure's own unit word is an imperial measure (acres, miles, feet, pounds) "
                       "that a Chinese original never uses: a park of '100 acres' in a Chinese plan is 100 亩 (mu)",
    "classifier_dropped": "in a translation, a bare number is joined to a number with a unit ('297 and 36,000 households'): "
                          "its own classifier was probably dropped, and the unit from context is a reading",
    "conflicting_figures": "one source gives two figures for largely the same thing (codebook overlaps) at one place "
                           "that differ by more than half",
    "tenfold_sibling": "in a translation, the value is at least 8 times every figure of the same indicator and unit "
                       "the source gives for its other places (a 万 slip is the usual cause); a city's figure for the whole "
                       "city is not set against its own counties' (it may well be ten times one of them), its seat's is",
}
TRANSLATION_RULES = ("impossible_unit", "classifier_dropped", "tenfold_sibling")
IMPERIAL = {"acre", "acres", "mile", "miles", "foot", "feet", "inch", "inches", "yard", "yards", "pound", "pounds",
            "ounce", "ounces", "gallon", "gallons"}
TENFOLD = 8
CONFLICT = 1.5
SEATS_PER_SCHOOL = ("school_seats_added", ("schools_opened_in_one_batch", "schools_completed"), 100, 5000)
GROUP = ["source_id", "city_en", "period"]


def _flag(df, idx, flag: str, why: str) -> None:
    flags = [f for f in str(df.at[idx, "flags"] or "").split(";") if f]
    if flag not in flags:
        df.at[idx, "flags"] = ";".join(flags + [flag])
        note = str(df.at[idx, "note"] or "")
        df.at[idx, "note"] = f"{note} [{flag}: {why}]".strip()


def _num(x) -> str:
    return f"{x:,.6g}"


def _within(part_period: str, whole_period: str) -> bool:
    from analysis.core.periods import period_bounds

    (a0, a1), (b0, b1) = period_bounds(part_period), period_bounds(whole_period)
    return b0 <= a0 and a1 <= b1


def _part_groups(df, cb):
    """Yield (whole row index, part period, [(part index, part row)]) for each whole and period of its parts."""
    for _, g in df.groupby(["source_id", "city_en"], sort=False):
        rows = list(g.iterrows())
        for wi, w in rows:
            parts = [(i, r) for i, r in rows if cb.at[r["indicator"], "part_of"] == w["indicator"] and _within(r["period"], w["period"])]
            for period in dict.fromkeys(r["period"] for _, r in parts):
                yield wi, period, [(i, r) for i, r in parts if r["period"] == period]


def parts_table(obs, root=None):
    """Return one row per whole and period of its parts: whole, its value, the parts, their sum, and whether they fit.

    The proof that an article's totals and parts agree (codebook ``part_of``); a part that does not
    fit is flagged ``part_exceeds_whole`` by :func:`apply_checks`.
    """
    import pandas as pd

    from analysis.metadata.codebook import load_codebook

    cb = load_codebook(root).set_index("indicator")
    out = []
    df = obs.reset_index(drop=True)
    indicators = set(df["indicator"].astype(str))
    wholes = {w for w in cb.loc[cb.index.isin(indicators), "part_of"] if w in indicators}
    parts_of = set(cb.index[cb["part_of"].isin(wholes)])
    df = df[df["indicator"].astype(str).isin(wholes | parts_of)]  # only rows that are a whole or a part of one here
    for wi, period, parts in _part_groups(df, cb):
        w = df.loc[wi]
        total = sum(r["value"] for _, r in parts)
        out.append({"city_en": w["city_en"], "whole": w["indicator"], "whole_period": w["period"], "whole_value": w["value"],
                    "parts": " + ".join(f"{r['indicator']} {r['value']:,.15g}" for _, r in parts), "parts_period": period,
                    "parts_sum": total, "fits": total <= w["value"]})
    return pd.DataFrame(out, columns=["city_en", "whole", "whole_period", "whole_value", "parts", "parts_period", "parts_sum", "fits"])


def _english(df, root) -> set:
    from analysis.sources.manifest import load_sources

    m = load_sources(root, verify=False)
    return set(m.loc[m["language"] == "en", "source_id"])


def apply_checks(df, codebook, root=None):
    """Return a copy of ``df`` with plausibility flags and their reasons added (see :data:`RULES`)."""
    import pandas as pd

    out = df.copy()
    out["flags"] = out["flags"].fillna("").astype(object)
    out["note"] = out["note"].fillna("").astype(object)
    cb = codebook.set_index("indicator")
    for i, row in out.iterrows():
        lo, hi = cb.at[row["indicator"], "min"], cb.at[row["indicator"], "max"]
        top = row["high"] if pd.notna(row["high"]) else row["value"]
        if (lo != "" and row["value"] < float(lo)) or (hi != "" and top > float(hi)):
            _flag(out, i, "out_of_range", f"{_num(top)} outside {lo or '-inf'}..{hi or 'inf'}")
    for wi, _period, parts in _part_groups(out, cb):
        total = sum(r["value"] for _, r in parts)
        w = out.loc[wi]
        if total > w["value"]:
            for i, _ in parts:
                _flag(out, i, "part_exceeds_whole", f"parts sum to {_num(total)} > {w['indicator']} {_num(w['value'])}")
    for _, g in out.groupby(GROUP, sort=False):
        by_ind = {r["indicator"]: (i, r) for i, r in g.iterrows()}
        seats, schools, lo, hi = SEATS_PER_SCHOOL
        if seats in by_ind:
            for s in schools:
                if s in by_ind and by_ind[s][1]["value"] > 0:
                    ratio = by_ind[seats][1]["value"] / by_ind[s][1]["value"]
                    if not lo <= ratio <= hi:
                        _flag(out, by_ind[seats][0], "seats_per_school",
                              f"{_num(ratio)} places per school ({seats} / {s}); a translation error of 万 is likely")
                    break
        for ind, (i, r) in by_ind.items():
            rate_of = cb.at[ind, "rate_of"]
            if rate_of:
                num, den = rate_of.split("/")
                if num in by_ind and den in by_ind and by_ind[den][1]["value"] > 0:
                    computed = 100 * by_ind[num][1]["value"] / by_ind[den][1]["value"]
                    if abs(computed - r["value"]) > 0.5:
                        _flag(out, i, "rate_mismatch", f"stated {_num(r['value'])}%, computed {_num(computed)}% from {num}/{den}")
    _conflicts(out, cb)
    english = _english(out, root)
    _translation_rules(out, out[out["source_id"].isin(english)].index)
    return out


def _conflicts(out, cb) -> None:
    """Flag two rows of one source and place whose indicators overlap (codebook ``overlaps``) and whose values disagree."""
    if "overlaps" not in cb.columns:
        return
    for _, g in out.groupby(["source_id", "city_en"], sort=False):
        for i, r in g.iterrows():
            other = cb.at[r["indicator"], "overlaps"]
            for j, o in g[g["indicator"] == other].iterrows():
                if o.get("unit") == r.get("unit") and min(r["value"], o["value"]) > 0 and \
                        max(r["value"], o["value"]) / min(r["value"], o["value"]) > CONFLICT:
                    why = f"{r['indicator']} {_num(r['value'])} against {o['indicator']} {_num(o['value'])} for largely the same thing"
                    _flag(out, i, "conflicting_figures", why)
                    _flag(out, j, "conflicting_figures", why)


def _translation_rules(out, rows) -> None:
    """impossible_unit, classifier_dropped and tenfold_sibling, on the rows of English sources."""
    import re

    from analysis.core.quantities import find_quantities

    if not len(rows):
        return
    for i in rows:
        r = out.loc[i]
        flags = str(r["flags"]).split(";")
        words = re.findall(r"[a-z]+", r["quote"][r["quote"].index(r["figure"]):].lower())[:4]
        imperial = next((w for w in words if w in IMPERIAL), None)
        if imperial:
            _flag(out, i, "impossible_unit", f"the translation says '{imperial}', a measure no Chinese original uses; "
                                             f"read as {r['unit']}")
        if "unit_from_context" in flags:
            quote, fig = r["quote"], r["figure"]
            after = quote[quote.index(fig) + len(fig):]
            joined = re.match(r"\s*(?:and|or|,)\s+", after)
            if joined:
                nxt = find_quantities(after[joined.end():])
                nxt = nxt[(nxt["start"] == 0) & (nxt["kind"] == "quantity")]
                if len(nxt) and nxt.iloc[0]["unit"] not in ("count", "unknown"):
                    _flag(out, i, "classifier_dropped", f"the bare {fig} is joined to '{nxt.iloc[0]['match']}': its own "
                                                        f"classifier was probably dropped; {r['unit']} is a reading")
    narrow = set(_narrowing_scopes())
    for _, g in out.loc[rows].groupby(["source_id", "indicator", "unit"], sort=False):
        if g["city_en"].nunique() < 2:
            continue
        for i, r in g.iterrows():
            whole_place = not (set(str(r.get("scope") or "").split(";")) & narrow)
            sib = g[(g["city_en"] != r["city_en"]) & ~((g.get("parent_city_en", "") == r["city_en"]) & whole_place)]
            others = sib["value"]
            if len(others) and (others > 0).all() and (r["value"] >= TENFOLD * others).all():
                _flag(out, i, "tenfold_sibling", f"{_num(r['value'])} is {_num(r['value'] / others.max())} times the source's "
                                                 f"figure for {', '.join(sib['city_en'])} ({_num(others.max())})")


def _narrowing_scopes() -> list[str]:
    """Scope tokens that narrow a place to part of it (vocabulary per_capita = no: city seat, urban, rural)."""
    from analysis.metadata.codebook import load_vocabularies

    v = load_vocabularies()
    return v.loc[(v["field"] == "scope") & (v["per_capita"] == "no"), "value"].tolist()
