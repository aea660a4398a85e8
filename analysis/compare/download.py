"""One complete download: every row of ``data/clean``, with everything a reader needs beside it, in one CSV.

``figures/livelihood_observations.csv`` (:func:`write_download`, run by the export notebook) holds one
line per figure of every source in the manifest, in the order of :func:`analysis.load_observations`:

- the figure: indicator id with its English and Chinese labels and topic; value, high, unit (id and
  both labels), qualifier (id and both words), the value as the reader says it (``≥ 5,000``) and as
  the article wrote it (``figure``, verbatim);
- what it counts: status, denominator, scope and stock/flow, each id with both labels (a scope of
  several tokens joins their labels with ``; ``);
- when: the period id, in words in both languages, and its first and last day (ISO dates);
- where: place (English, Chinese), admin level, parent city;
- doubt: the flags, each flag's label in both languages, and the row's note;
- provenance: the verbatim quote, where it starts and ends in the raw file (character offsets), the
  row's line in ``data/clean/<source_id>.csv``;
- the source: title, outlet, published and accessed dates, language, machine translation or not, raw
  file and its sha256, url, licence (the article's terms, as the manifest records them) and citation.

Decisions
- **Ids and words side by side.** Every coded column keeps its id (to filter and join) and gains
  ``_en`` / ``_zh`` label columns (to read); nothing is only a code.
- **Empty, not invented.** The manifest's ``url``, ``licence`` and ``citation`` are empty for articles
  handed over without them; the download leaves them empty.
- **The download's own licence** is the project's (:data:`analysis.compare.publish.LICENCE`), said in
  the workbook's README sheet, the site and ``docs/outputs.md``; quotes stay their outlets'.
- Written atomically (temp file, rename), UTF-8 with a byte-order mark so that Excel opens the
  Chinese correctly, ``\\n`` line ends: the same bytes on every run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.paths import FIGURES, atomic_path

DOWNLOAD_NAME = "livelihood_observations.csv"
VOCAB_COLUMNS = ("status", "denominator", "scope", "stock_flow", "qualifier")
DOWNLOAD_COLUMNS = [
    "source_id", "row_in_source", "place_en", "place_zh", "admin_level", "parent_city_en",
    "topic", "indicator", "indicator_en", "indicator_zh",
    "period", "period_en", "period_zh", "period_start", "period_end",
    "status", "status_en", "status_zh",
    "value", "high", "unit", "unit_en", "unit_zh", "qualifier", "qualifier_en", "qualifier_zh",
    "value_en", "value_zh", "figure",
    "denominator", "denominator_en", "denominator_zh", "scope", "scope_en", "scope_zh",
    "stock_flow", "stock_flow_en", "stock_flow_zh",
    "flags", "flags_en", "flags_zh", "note",
    "quote", "quote_start", "quote_end",
    "source_title", "outlet", "published", "accessed", "source_language", "machine_translation",
    "raw_file", "raw_sha256", "url", "licence", "citation",
]


def _labels(values, field: str, voc: pd.DataFrame, lang: str) -> list[str]:
    """Each value's label (a ``;``-list of tokens: their labels joined by ``; ``); empty stays empty."""
    col = "label_zh" if lang == "zh" else "label_en"
    table = voc[voc["field"] == field].set_index("value")[col].to_dict()
    return ["; ".join(table.get(t, t) for t in str(v).split(";") if t) for v in values]


def download_table(obs: pd.DataFrame | None = None, root: Path | None = None) -> pd.DataFrame:
    """Return every observation with labels in both languages, its period's dates, flags in words and its source.

    >>> d = download_table()
    >>> list(d.columns) == DOWNLOAD_COLUMNS and len(d) == len(__import__("analysis").load_observations())
    True
    """
    from analysis.clean.load import load_observations
    from analysis.compare.publish import machine_translation
    from analysis.compare.tables import fmt_value, period_label
    from analysis.core.periods import period_bounds
    from analysis.metadata.codebook import load_codebook, load_vocabularies
    from analysis.metadata.comparability import unit_label
    from analysis.sources.manifest import load_sources

    obs = load_observations(root=root) if obs is None else obs
    df = obs.reset_index(drop=True).copy()
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype) or str(df[c].dtype) == "string":
            df[c] = df[c].astype(object).where(df[c].notna(), "")
    book = load_codebook(root).set_index("indicator")
    voc = load_vocabularies(root)
    src = load_sources(root, verify=False).set_index("source_id")
    out = pd.DataFrame({"source_id": df["source_id"]})
    out["row_in_source"] = df.groupby("source_id", sort=False).cumcount() + 1
    out["place_en"], out["place_zh"] = df["city_en"], df["city_zh"]
    out["admin_level"], out["parent_city_en"] = df["admin_level"], df["parent_city_en"]
    out["topic"], out["indicator"] = df["topic"], df["indicator"]
    out["indicator_en"] = df["indicator"].map(book["label_en"]).fillna("")
    out["indicator_zh"] = df["indicator"].map(book["label_zh"]).fillna("")
    out["period"] = df["period"]
    out["period_en"] = [period_label(p) for p in df["period"]]
    out["period_zh"] = [period_label(p, "zh") for p in df["period"]]
    bounds = [period_bounds(p) for p in df["period"]]
    out["period_start"], out["period_end"] = [b[0] for b in bounds], [b[1] for b in bounds]
    for field in VOCAB_COLUMNS:
        out[field] = df[field]
        out[f"{field}_en"], out[f"{field}_zh"] = _labels(df[field], field, voc, "en"), _labels(df[field], field, voc, "zh")
    out["value"], out["high"], out["unit"] = df["value"], df["high"], df["unit"]
    out["unit_en"] = [unit_label(u) for u in df["unit"]]
    out["unit_zh"] = [unit_label(u, "zh") for u in df["unit"]]
    high = [None if pd.isna(h) else h for h in df["high"]]
    for lang in ("en", "zh"):
        out[f"value_{lang}"] = [fmt_value(v, u, q, h, lang) for v, u, q, h in zip(df["value"], df["unit"], df["qualifier"], high,
                                                                                  strict=True)]
    out["figure"] = df["figure"]
    out["flags"] = df["flags"]
    out["flags_en"], out["flags_zh"] = _labels(df["flags"], "flag", voc, "en"), _labels(df["flags"], "flag", voc, "zh")
    out["note"], out["quote"] = df["note"], df["quote"]
    out["quote_start"] = df["quote_start"].astype(int)
    out["quote_end"] = out["quote_start"] + df["quote"].str.len()
    s = src.reindex(df["source_id"])
    out["source_title"], out["outlet"] = s["title"].to_numpy(), s["outlet"].to_numpy()
    out["published"] = [str(pd.Timestamp(d).date()) if not pd.isna(d) else "" for d in s["published"]]
    out["accessed"] = [str(pd.Timestamp(d).date()) if not pd.isna(d) else "" for d in s["accessed"]]
    out["source_language"] = s["language"].astype(str).to_numpy()
    out["machine_translation"] = ["yes" if machine_translation(r) else "no" for r in s.to_dict("records")]
    out["raw_file"], out["raw_sha256"] = s["path"].to_numpy(), s["sha256"].to_numpy()
    for c in ("url", "licence", "citation"):
        out[c] = s[c].fillna("").astype(str).to_numpy()
    return out[DOWNLOAD_COLUMNS]


def write_download(path: Path | None = None, root: Path | None = None) -> Path:
    """Write :func:`download_table` to ``figures/livelihood_observations.csv`` (or ``path``) atomically; return the path."""
    path = Path(path) if path else (Path(root) / "figures" if root else FIGURES) / DOWNLOAD_NAME
    table = download_table(root=root)
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8-sig")
    return path


def read_download(path: Path | None = None) -> pd.DataFrame:
    """Read the download back (ids and texts as text, offsets and values as numbers)."""
    path = Path(path) if path else FIGURES / DOWNLOAD_NAME
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig").astype(
        {"row_in_source": int, "quote_start": int, "quote_end": int})
