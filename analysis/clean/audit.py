"""Translation audit: match the figures of a machine translation to its original, one to one.

Editorial decisions
- The figures of both articles are their quantity mentions (``find_quantities``) in body order.
  They are aligned by dynamic programming, keeping order (translations keep the order of figures):
  a pair scores 3 when the values agree, 2 when they differ by a factor of exactly 10 (the 万
  error: 1.54万 rendered as 154,000), never otherwise; units that are both known and differ lower
  a pair to 1, and a factor-10 pair needs compatible units. The alignment maximises the score.
- Each original figure is then ``ok``, ``dropped`` (no partner), or has one or more disagreements:
  ``value_x10`` / ``value_x0.1`` (translation / original), ``value_differs``, ``unit_lost`` (the
  translation has no unit word, or one we cannot read, where the original has one),
  ``unit_changed``, ``qualifier_changed``. Translation figures with no partner are
  ``only_in_translation``. An unmatched pair up to three rows apart is paired afterwards
  (translations reorder neighbouring figures: "71项...中,已有26项" -> "26 of the 71").
- Numbers either article writes in characters or words (九类, "nine categories", "three working
  groups") are figures like any other: the index reads them (:mod:`analysis.core.quantities`).
- The original wins: analysis uses the Chinese values.
"""

from __future__ import annotations

import math

VAGUE = ("count", "unknown")
# Units a translation may swap for one another without changing what is counted.
COMPATIBLE = [{"persons", "person_times", "posts", "households"}, {"institutions", "sites", "items"}]


# Each kind of error_kind in words, for readers of the audit (the site's review page of a translation).
ERROR_WORDS = {
    "ok": "agrees with the original: same value, unit and bound",
    "dropped": "dropped: the translation has no figure for this number of the original",
    "only_in_translation": "only in the translation: the original has no such figure",
    "value_x10": "ten times the original's value (the 万 slip: 1.54万 rendered as 154,000)",
    "value_x0.1": "a tenth of the original's value",
    "value_differs": "a different value from the original's",
    "unit_lost": "unit lost: the translation gives no unit word (or none that can be read) where the original has one",
    "unit_changed": "unit changed: the translation's unit word counts something other than the original's",
    "qualifier_changed": "bound changed: the translation says the bound differently (e.g. 以上, at least, as 'more than')",
}


def error_words(error_kind: str) -> str:
    """Say an audit row's ``error_kind`` in words (several kinds joined by '; '; a kind not listed as itself).

    >>> error_words("value_x10;unit_changed").split("; ")[0]
    "ten times the original's value (the 万 slip: 1.54万 rendered as 154,000)"
    """
    return "; ".join(ERROR_WORDS.get(k, k) for k in str(error_kind).split(";") if k)


def _compatible(u: str, v: str) -> bool:
    return u == v or u in VAGUE or v in VAGUE or any(u in g and v in g for g in COMPATIBLE)


def _score(a, b) -> float:
    ratio = b.value / a.value if a.value else (1.0 if b.value == 0 else math.inf)
    known = a.unit not in VAGUE and b.unit not in VAGUE
    if math.isclose(ratio, 1.0, rel_tol=1e-9):
        return 1.0 if known and a.unit != b.unit else 3.0
    if math.isclose(ratio, 10.0, rel_tol=1e-9) or math.isclose(ratio, 0.1, rel_tol=1e-9):
        return 2.0 if _compatible(a.unit, b.unit) else -math.inf
    return -math.inf


def _repair_swaps(pairs, A, B, window: int = 3):
    """Pair an unmatched original figure with an unmatched translation figure up to ``window`` rows away.

    Translations sometimes reorder neighbouring figures ("71项...中,已有26项" -> "26 of the 71"), which an
    order-keeping alignment cannot pair.
    """
    pairs = list(pairs)
    k = 0
    while k < len(pairs):
        i, j = pairs[k]
        if j is None:
            for d in range(1, window + 1):
                for kk in (k - d, k + d):
                    if 0 <= kk < len(pairs) and pairs[kk][0] is None and _score(A[i], B[pairs[kk][1]]) > -math.inf:
                        pairs[k] = (i, pairs[kk][1])
                        del pairs[kk]
                        break
                else:
                    continue
                break
        k += 1
    return pairs


def align(orig, trans) -> list[tuple[int | None, int | None]]:
    """Return index pairs (i into ``orig``, j into ``trans``; None for no partner) in order."""
    A, B = list(orig.itertuples()), list(trans.itertuples())
    n, m = len(A), len(B)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = _score(A[i], B[j])
            best[i][j] = max(best[i + 1][j], best[i][j + 1], s + best[i + 1][j + 1] if s > -math.inf else -math.inf)
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        s = _score(A[i], B[j])
        if s > -math.inf and best[i][j] == s + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return _repair_swaps(pairs, A, B)


def _kind(a, b) -> str:
    if a is None:
        return "only_in_translation"
    if b is None:
        return "dropped"
    kinds = []
    ratio = b.value / a.value if a.value else math.nan
    if math.isclose(ratio, 10.0, rel_tol=1e-9):
        kinds.append("value_x10")
    elif math.isclose(ratio, 0.1, rel_tol=1e-9):
        kinds.append("value_x0.1")
    elif not math.isclose(ratio, 1.0, rel_tol=1e-9):
        kinds.append("value_differs")
    if a.unit not in VAGUE and b.unit in VAGUE:
        kinds.append("unit_lost")
    elif a.unit not in VAGUE and a.unit != b.unit:
        kinds.append("unit_changed")
    if a.qualifier != b.qualifier:
        kinds.append("qualifier_changed")
    return ";".join(kinds) or "ok"


def translation_audit(original_id: str, translation_id: str, root=None):
    """Return every figure of the original with its partner in the translation and the kind of error."""
    import pandas as pd

    from analysis.sources.mentions import mention_index

    cols = ["raw_start", "match", "value", "unit", "qualifier", "sentence", "sentence_start", "start"]
    A = mention_index(original_id, root)
    B = mention_index(translation_id, root)
    A = A[A["kind"] == "quantity"].reset_index(drop=True)[cols]
    B = B[B["kind"] == "quantity"].reset_index(drop=True)[cols]
    A["quote_start"] = A["raw_start"] - A["start"] + A["sentence_start"]
    B["quote_start"] = B["raw_start"] - B["start"] + B["sentence_start"]
    rows = []
    for i, j in align(A, B):
        a = A.iloc[i] if i is not None else None
        b = B.iloc[j] if j is not None else None
        rows.append({
            "original_id": original_id, "zh_figure": a["match"] if a is not None else "",
            "zh_value": a["value"] if a is not None else math.nan, "zh_unit": a["unit"] if a is not None else "",
            "zh_qualifier": a["qualifier"] if a is not None else "", "zh_quote": a["sentence"] if a is not None else "",
            "zh_quote_start": int(a["quote_start"]) if a is not None else -1,
            "translation_id": translation_id, "en_figure": b["match"] if b is not None else "",
            "en_value": b["value"] if b is not None else math.nan, "en_unit": b["unit"] if b is not None else "",
            "en_qualifier": b["qualifier"] if b is not None else "", "en_quote": b["sentence"] if b is not None else "",
            "en_quote_start": int(b["quote_start"]) if b is not None else -1,
            "ratio": (b["value"] / a["value"]) if a is not None and b is not None and a["value"] else math.nan,
            "error_kind": _kind(a, b),
        })
    return pd.DataFrame(rows)


def write_audit(audit, root=None):
    """Write the disagreements (every row that is not ``ok``) to data/clean/translation_audit.csv atomically."""
    from pathlib import Path

    from analysis.core.paths import CLEAN, atomic_write_csv

    path = (Path(root) / "data" / "clean" if root else CLEAN) / "translation_audit.csv"
    atomic_write_csv(audit[audit["error_kind"] != "ok"], path)
    return path
