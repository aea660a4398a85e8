"""For a researcher at the keyboard: find a figure by keyword, and see where it comes from."""

from __future__ import annotations

import pandas as pd

from analysis.metadata.codebook import TOPIC_LABELS

# How much a match in each field says about a row: a match in what the row counts beats one in its sentence
FIELD_WEIGHTS = {"indicator": 6.0, "label_en": 6.0, "label_zh": 6.0, "figure": 4.0, "quote": 3.0, "note": 2.0,
                 "definition": 1.5, "topic": 1.0}


def find(obs: pd.DataFrame, keyword: str, field: str | list[str] | None = None) -> pd.DataFrame:
    """Return the observations (every column) whose quote, figure, note, indicator, label or topic mentions
    ``keyword``, most relevant first.

    Case-insensitive; Chinese keywords also match Traditional quotes (养老 finds 養老). ``field`` limits
    the search to one field or a list of them (:data:`FIELD_WEIGHTS` names them). Columns added in
    front: ``matched`` (the fields that matched, best first) and ``relevance`` (the sum of
    :data:`FIELD_WEIGHTS` of the fields that matched): a row whose indicator or label is the keyword
    comes before one that only mentions it in its sentence; ties keep the data's order. So
    ``provenance(find(obs, "养老").iloc[0])`` is the likeliest row.
    """
    from analysis.core.quantities import to_simplified
    from analysis.metadata.codebook import load_codebook

    fields_wanted = list(FIELD_WEIGHTS) if field is None else ([field] if isinstance(field, str) else list(field))
    unknown = [f for f in fields_wanted if f not in FIELD_WEIGHTS]
    if unknown or not fields_wanted:
        raise ValueError(f"field={field!r}: choose from {', '.join(FIELD_WEIGHTS)}")
    if not str(keyword).strip():
        raise ValueError("find needs a keyword (a word of a quote, an indicator, a label or a topic)")
    cb = load_codebook().set_index("indicator")
    key = to_simplified(str(keyword)).lower()
    ind = obs["indicator"].astype(str)
    texts = {
        "quote": lambda: obs["quote"].astype(str).map(to_simplified), "figure": lambda: obs["figure"].astype(str),
        "note": lambda: obs["note"].astype(str), "indicator": lambda: ind.str.replace("_", " "),
        "label_en": lambda: ind.map(cb["label_en"]), "label_zh": lambda: ind.map(cb["label_zh"]),
        "definition": lambda: ind.map(cb["definition"]),
        "topic": lambda: obs["topic"].astype(str).map(lambda t: " ".join((t, *TOPIC_LABELS.get(t, ("", ""))))),
    }
    relevance = pd.Series(0.0, index=obs.index)
    matched = pd.Series([[] for _ in range(len(obs))], index=obs.index, dtype=object)
    for name in sorted(fields_wanted, key=lambda f: -FIELD_WEIGHTS[f]):
        hit = texts[name]().fillna("").str.lower().str.contains(key, regex=False)
        relevance[hit] += FIELD_WEIGHTS[name]
        for i in hit[hit].index:
            matched[i] = matched[i] + [name]
    keep = relevance > 0
    out = obs[keep].copy()
    out.insert(0, "relevance", relevance[keep])
    out.insert(0, "matched", matched[keep].map(", ".join))
    return out.sort_values("relevance", ascending=False, kind="stable")


def _row_of(row, obs: pd.DataFrame | None, column: str | None):
    """One observation from what a researcher has in hand: a row, a one-row frame, a row label, or a wide-table cell."""
    if isinstance(row, pd.DataFrame):
        if len(row) != 1:
            raise ValueError(f"provenance takes one row; got {len(row)} (use .iloc[n])")
        return row.iloc[0]
    if isinstance(row, pd.Series):
        return row
    if obs is None:
        from analysis.clean.load import load_observations

        obs = load_observations()
    if isinstance(row, (int,)) and not isinstance(row, bool):
        if row not in obs.index:
            raise ValueError(f"provenance({row}): no row {row} in the observations (0 to {len(obs) - 1}); "
                             "pass a row, a row number of obs, or a wide-table cell (index, column)")
        return obs.loc[row]
    if isinstance(row, tuple):  # a cell of analysis.wide_table: its index tuple, and the column (a place)
        if column is None and len(row) == 2 and isinstance(row[0], tuple):
            row, column = row
        if column is None:
            raise ValueError("a wide-table cell is its index and its column (a place): provenance((index, column))")
        from analysis.compare.tables import WIDE_INDEX

        names = WIDE_INDEX[:len(row)]
        m = pd.Series(True, index=obs.index)
        for name, val in zip(names, row, strict=True):
            m &= obs[name].astype(str) == str(val)
        m &= (obs["city_en"].astype(str) == str(column)) | (obs["city_zh"].astype(str) == str(column))
        hit = obs[m]
        if len(hit) != 1:
            raise ValueError(f"the cell ({row}, {column!r}) holds {len(hit)} figures; pass the full index of wide_table")
        return hit.iloc[0]
    raise ValueError(f"provenance takes a row, a row number or a wide-table cell, not a {type(row).__name__}")


def provenance(row, obs: pd.DataFrame | None = None, column: str | None = None) -> dict:
    """Return where one observation comes from: the article, its date and outlet, the file, the quote in its
    sentence, and the figure's flags (with what they mean) and note.

    ``row`` is a row of the observations, a one-row frame, a row label of ``obs`` (default: all the clean
    data), or a cell of :func:`analysis.compare.tables.wide_table` as ``(index, column)``.
    """
    from analysis.core.quantities import sentence_around
    from analysis.metadata.codebook import vocab_label
    from analysis.sources.manifest import date_label, load_sources, read_article

    row = _row_of(row, obs, column)
    src = load_sources(verify=False).set_index("source_id").loc[str(row["source_id"])]
    raw = read_article(str(row["source_id"]), body_only=False)
    start = int(row["quote_start"])
    s0, s1 = sentence_around(raw, start, start + len(row["quote"]))
    flags = [f for f in str(row.get("flags", "") or "").split(";") if f]
    return {"source_id": str(row["source_id"]), "outlet": src["outlet"], "published": date_label(src),
            "kind": src["kind"], "file": src["path"], "quote": row["quote"], "quote_start": start,
            "sentence": raw[s0:s1].strip(), "indicator": str(row["indicator"]),
            "flags": {f: vocab_label("flag", f) for f in flags}, "note": str(row.get("note", "") or "")}
