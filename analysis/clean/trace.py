"""Provenance of clean rows: every row traced to its verbatim quote in the raw file as stored.

One check, :func:`check_rows`, run by :func:`analysis.load_observations` on every load (so that
`make` never publishes a hand-edited clean CSV) and by the tests on every committed CSV.

Editorial decisions
- Offsets are character offsets (code points) into the raw file *as stored*: the bytes decoded
  as UTF-8 without newline translation (:func:`raw_text`), so a CRLF or lone-CR file and a UTF-8
  byte-order mark (one code point, U+FEFF) count as they stand in the file.
- A row is traced when: its source is in the manifest (and the CSV is that source's), the raw file
  matches its checksum, the quote stands at ``quote_start`` inside the article body, the figure is
  part of the quote, parsing the figure gives the row's value, high, qualifier and unit (a unit
  named from context only for a bare number, flagged and explained; a translated "more than" read
  as at least only when flagged ``bound_from_translation`` and explained), and the place is the
  manifest's, with the Chinese name, level and parent city of ``data/raw/places.csv``.
- Spreadsheet safety: a text cell that begins with ``=``, ``+``, ``-`` or ``@`` is a formula to
  Excel and LibreOffice. Quotes stay verbatim, so a figure whose quote (or figure, or note) would
  begin with one of them is refused when the row is built (quote a little more of the sentence,
  reword the note) and such a cell is refused on load: no clean CSV holds a formula-like cell.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis.core.paths import ROOT
from analysis.core.text import formula_like

TEXT_COLUMNS = ("source_id", "city_en", "city_zh", "admin_level", "parent_city_en", "period", "status", "denominator",
                "scope", "stock_flow", "topic", "indicator", "unit", "qualifier", "figure", "quote", "note", "flags")


class TraceError(ValueError):
    """A clean row is not what its quote in the raw file says; the message names file, row and field."""


def _article(src, root: Path, where: str) -> tuple[str, int, int]:
    from analysis.sources.manifest import article_body_span

    data = (root / src["path"]).read_bytes()
    if hashlib.sha256(data).hexdigest() != src["sha256"]:
        raise TraceError(f"{where}: sha256 does not match {src['path']} (the raw file changed)")
    text = data.decode("utf-8")
    b0, b1 = article_body_span(text, src["body_starts_with"], src["body_ends_with"], where=src["path"])
    return text, b0, b1


def _num(x) -> float | None:
    if x is None or (isinstance(x, str) and x.strip() == ""):
        return None
    f = float(x)
    return None if f != f else f


def context(root: Path | None = None, manifest=None) -> dict:
    """What :func:`check_rows` reads once for many files: the manifest, the places, the articles."""
    import csv

    from analysis.sources.manifest import PLACES_REL, load_sources

    root = Path(root) if root else ROOT
    manifest = load_sources(root, verify=False) if manifest is None else manifest  # checks places.csv too
    with (root / PLACES_REL).open(encoding="utf-8-sig", newline="") as fh:  # plain reader: 0.1 ms, not 10
        places = {r["place_en"]: r for r in csv.DictReader(fh)}
    return {"root": root, "sources": {r["source_id"]: r for r in manifest.to_dict("records")},
            "places": places, "articles": {}}


def check_rows(df, where: str, root: Path | None = None, source_id: str | None = None, ctx: dict | None = None) -> None:
    """Raise :class:`TraceError` listing every row of ``df`` that is not traced to its quote (:func:`trace_problems`)."""
    problems = trace_problems(df, where, root, source_id, ctx)
    if problems:
        raise TraceError("\n".join(problems))


def trace_problems(df, where: str, root: Path | None = None, source_id: str | None = None,
                   ctx: dict | None = None) -> list[str]:
    """Return one message per row of ``df`` that is not traced to its quote (see module doc): the rulebook's
    ``provenance`` rule. Each message names file, row, source, indicator and the first field that fails.

    ``df`` may hold the CSV's text (every column ``str``) or the loader's types. ``source_id``: the
    source the file belongs to (``data/clean/<source_id>.csv``); every row must be that source's.
    ``ctx``: from :func:`context`, to read the manifest and articles once for several files.
    """
    ctx = ctx or context(root)
    problems = []
    cols = list(df.columns)
    for n, values in enumerate(df.itertuples(index=False, name=None), start=1):
        try:
            _trace_row(dict(zip(cols, values, strict=True)), f"{where} row {n}", source_id, ctx)
        except TraceError as e:
            problems.append(str(e))
        except (ValueError, TypeError, KeyError) as e:  # a field the schema refuses too (not a number, ...)
            problems.append(f"{where} row {n}: cannot be traced ({type(e).__name__}: {e})")
    return problems


def _trace_row(row: dict, at: str, source_id: str | None, ctx: dict) -> None:
    from analysis.core.quantities import names_no_unit, parse_quantity

    root, sources, places, articles = ctx["root"], ctx["sources"], ctx["places"], ctx["articles"]
    sid = row["source_id"]
    at = f"{at} (source_id={sid}, indicator={row['indicator']})"

    def fail(field, why):
        raise TraceError(f"{at}: field {field!r} {why}, got {row[field]!r}")

    for col in TEXT_COLUMNS:
        if formula_like(row.get(col)):
            fail(col, "begins with = + - or @ (a spreadsheet would run it as a formula)")
    if source_id is not None and sid != source_id:
        fail("source_id", f"is not this file's source {source_id!r}")
    if sid not in sources:
        fail("source_id", "is not in data/raw/sources.csv")
    src = sources[sid]
    if sid not in articles:
        articles[sid] = _article(src, root, at)
    text, b0, b1 = articles[sid]
    quote, start = row["quote"], int(row["quote_start"])
    if text[start:start + len(quote)] != quote:
        fail("quote_start", f"does not point at the quote in {src['path']}")
    if not (b0 <= start and start + len(quote) <= b1):
        fail("quote_start", "points outside the article body (website furniture)")
    figure = row["figure"]
    if figure not in quote:
        fail("figure", "is not part of the quote")
    try:
        q = parse_quantity(figure)
    except ValueError:
        fail("figure", "is not a quantity")
    if _num(row["value"]) != float(f"{q.value:.10g}"):
        fail("value", f"is not what the figure says ({q.value:.10g})")
    high = _num(row["high"])
    if (q.high is None) != (high is None) or (high is not None and high != float(f"{q.high:.10g}")):
        fail("high", f"is not what the figure says ({q.high})")
    flags = str(row["flags"] or "").split(";")
    if "bound_from_translation" in flags:  # a translated bound read as at least (analysis.metadata.comparability)
        if row["qualifier"] != "at_least" or q.qualifier not in ("more_than", "exact") or not str(row["note"] or "").strip():
            fail("qualifier", f"is a translated bound read as at least, but the figure says {q.qualifier!r} or no note says why")
    elif row["qualifier"] != q.qualifier:
        fail("qualifier", f"is not what the figure says ({q.qualifier!r})")
    if "unit_from_context" in flags:
        if not names_no_unit(q) or not str(row["note"] or "").strip():
            fail("unit", "is named from context, but the figure has a unit of its own or the note says nothing")
    elif row["unit"] != q.unit:
        fail("unit", f"is not what the figure says ({q.unit!r})")
    place = row["city_en"]
    if place not in str(src["places"]).split(";") or place not in places:
        fail("city_en", f"is not among the places of {sid} in data/raw/sources.csv and data/raw/places.csv")
    p = places[place]
    for field, col in (("city_zh", "place_zh"), ("admin_level", "admin_level"), ("parent_city_en", "parent_en")):
        if str(row[field]) != str(p[col]):
            fail(field, f"is not data/raw/places.csv's {p[col]!r} for {place}")
