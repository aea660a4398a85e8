"""Plausibility checks on one source's observations. A failed check flags the row; it never drops it.

Each rule has a name (the flag), a one-line statement (:data:`RULES`) and a function. The reason
is appended to the row's ``note`` so the reader sees the numbers behind the flag.
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
}
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


def apply_checks(df, codebook):
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
    for _, g in out.groupby(GROUP, sort=False):
        by_ind = {r["indicator"]: (i, r) for i, r in g.iterrows()}
        wholes = {}
        for ind, (i, r) in by_ind.items():
            whole = cb.at[ind, "part_of"]
            if whole and whole in by_ind:
                wholes.setdefault(whole, []).append((i, r))
        for whole, parts in wholes.items():
            total = sum(r["value"] for _, r in parts)
            w = by_ind[whole][1]["value"]
            if total > w:
                for i, _ in parts:
                    _flag(out, i, "part_exceeds_whole", f"parts sum to {_num(total)} > {whole} {_num(w)}")
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
    return out
