"""For a researcher at the keyboard: find a figure by keyword, and see where it comes from."""

from __future__ import annotations

import pandas as pd

from analysis.metadata.codebook import TOPIC_LABELS


def find(obs: pd.DataFrame, keyword: str) -> pd.DataFrame:
    """Return the whole observations (every column) whose quote, figure, note, indicator, label or topic mentions ``keyword``.

    Case-insensitive; Chinese keywords also match Traditional quotes (养老 finds 養老). A column
    ``matched`` says which field matched first (quote, figure, note, indicator, label_en, label_zh,
    definition, topic), so ``provenance(find(obs, "养老").iloc[0])`` works.
    """
    from analysis.core.quantities import to_simplified
    from analysis.metadata.codebook import load_codebook

    cb = load_codebook().set_index("indicator")
    key = to_simplified(keyword).lower()
    ind = obs["indicator"].astype(str)
    fields = {
        "quote": obs["quote"].astype(str).map(to_simplified), "figure": obs["figure"].astype(str),
        "note": obs["note"].astype(str), "indicator": ind.str.replace("_", " "),
        "label_en": ind.map(cb["label_en"]), "label_zh": ind.map(cb["label_zh"]), "definition": ind.map(cb["definition"]),
        "topic": obs["topic"].astype(str).map(lambda t: " ".join((t, *TOPIC_LABELS.get(t, ("", ""))))),
    }
    matched = pd.Series("", index=obs.index, dtype=object)
    for name, text in fields.items():
        hit = text.fillna("").str.lower().str.contains(key, regex=False) & (matched == "")
        matched[hit] = name
    out = obs[matched != ""].copy()
    out.insert(0, "matched", matched[matched != ""])
    return out


def provenance(row) -> dict:
    """Return where one observation comes from: the article, its date and outlet, the file, and the quote in its sentence."""
    from analysis.core.quantities import sentence_around
    from analysis.sources.manifest import date_label, load_sources, read_article

    if isinstance(row, pd.DataFrame):
        if len(row) != 1:
            raise ValueError(f"provenance takes one row; got {len(row)} (use .iloc[n])")
        row = row.iloc[0]
    src = load_sources(verify=False).set_index("source_id").loc[str(row["source_id"])]
    raw = read_article(str(row["source_id"]), body_only=False)
    start = int(row["quote_start"])
    s0, s1 = sentence_around(raw, start, start + len(row["quote"]))
    return {"source_id": str(row["source_id"]), "outlet": src["outlet"], "published": date_label(src),
            "kind": src["kind"], "file": src["path"], "quote": row["quote"], "quote_start": start,
            "sentence": raw[s0:s1].strip()}
