"""Tidy observations: one row per figure, each traced to a verbatim quote in a raw file.

Editorial decisions
- A cleaning notebook lists figures as :class:`Fig` (indicator + verbatim quote). The quote must
  stand exactly once inside the article body; its offset in the raw file becomes ``quote_start``.
  Value, unit and qualifier are parsed from the quote (from ``figure``, a part of the quote, when
  the quote holds several numbers), never typed in by hand.
- The unit parsed must be one the codebook allows for the indicator. Only where the article gives
  a bare number (unit ``count``), an untranslatable word (``unknown``) or the bare classifier 个
  (``8600个`` counts whatever its sentence names) may a figure name its unit from context; the row
  is then flagged ``unit_from_context`` and the note says why.
- ``city_en`` is the place the figure is about (Tengzhou, not Zaozhuang, for Tengzhou's figures);
  ``parent_city_en`` its prefecture-level city. Period and status default from the manifest
  (``kind`` results -> ``result``, targets -> ``target``); a figure may state its own period, and
  a quote that states one period the reader reads (``1-8月``, ``前三季度``, ``first half of 2022``:
  :func:`stated_period`) gives the row that period unless ``period=`` says otherwise.
- Flags are added by :mod:`analysis.clean.checks`; a flagged figure stays in the data, marked.
- Every row says what it counts (:mod:`analysis.metadata.comparability`): ``status`` (result, target, plan,
  announced), ``denominator`` (for shares), ``scope`` (tokens such as ``incl_kindergartens`` or
  ``city_seat``; empty = the whole place) and ``stock_flow``. Each is read from the quote's own words
  or the codebook where it can be (the parsed defaults), and a figure can say otherwise
  (``Fig(status=..., scope=..., denominator=..., stock_flow=...)``). A figure whose status differs
  from its article's kind, or whose scope is not in its quote, should say why in its note.
- ``qualifier=`` overrides the parsed bound only where the text is a translation that garbles it
  (Linyi's "85%. above"); the row is flagged ``bound_from_translation`` and needs a note. In an
  English source, a parsed ``more_than`` is read as ``at_least`` and flagged the same way.
- ``suspect=`` records why a translated figure is doubtful (flag ``translation_suspect``, the reason
  in the note); the value stays as written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from analysis.core.paths import CLEAN, ROOT, atomic_path, atomic_write_csv, raw_text, rel
from analysis.core.quantities import find_quantities, names_no_unit, parse_quantity, stated_period
from analysis.metadata.codebook import CODEBOOK_REL, load_codebook, vocabulary
from analysis.metadata.comparability import denominator_of, join_scope, scope_hint, status_hint
from analysis.metadata.schema import COLUMNS, KEY, datapackage, read_clean_csv, typed, validate
from analysis.sources.manifest import article_body_span, load_places, load_sources
from analysis.sources.mentions import figure_spans, locate_quote, mention_index


class ObservationError(ValueError):
    """A figure spec or a clean row is wrong; the message names the source, the row and the field."""


@dataclass(frozen=True)
class Fig:
    """One figure to take from an article: the indicator and the verbatim quote it stands in."""

    indicator: str
    quote: str  # verbatim, as in the raw file (Traditional script stays Traditional)
    figure: str | None = None  # the part of the quote to parse, if the quote holds several numbers
    place: str | None = None  # place_en from data/raw/places.csv; default: the source's city
    period: str | None = None  # default: the manifest's period
    unit: str | None = None  # only for a bare number or an unknown unit word: the unit from context
    note: str = ""
    status: str | None = None  # result, target, plan, announced; default: the quote's own words, else the article's kind
    scope: str | None = None  # ';'-separated tokens (data/vocabularies.csv); default: the quote's own words; "" = whole place
    denominator: str | None = None  # for a share: default read from the quote (not_stated if it names no whole)
    stock_flow: str | None = None  # flow or stock; default: the codebook's
    qualifier: str | None = None  # only where a translation garbles the bound (needs a note; flagged bound_from_translation)
    suspect: str = ""  # why a translated figure is doubtful: flagged translation_suspect, the reason in the note
    occurrence: int | None = None  # which of several identical passages of the body (1 = the first); default: it stands once


def _units(codebook_row) -> list[str]:
    return codebook_row["unit"].split("|")


def build_observations(source_id: str, figs: list[Fig], root: Path | None = None):
    """Return the tidy rows for ``figs`` from one source, each located and parsed from its quote.

    Raises :class:`ObservationError` listing every problem of the list at once (not the first only),
    each naming the source, the figure's number and indicator, with a hint where one helps: the
    nearest passage of a quote not found, ``occurrence=`` for a passage that stands several times, the
    units the codebook allows, the closest indicator names.
    """
    import pandas as pd

    ctx = _context(source_id, root)
    rows, problems = [], []
    for i, f in enumerate(figs, start=1):
        try:
            rows.append(_row(i, f, ctx))
        except ObservationError as e:
            problems.append(str(e))
    df = pd.DataFrame(rows, columns=COLUMNS)
    for key, group in df[df.duplicated(KEY, keep=False)].groupby(KEY, sort=False):
        problems.append(f"{source_id}: {len(group)} figures for the same key {key} (source, place, period, status, "
                        f"indicator): {', '.join(repr(q) for q in group['quote'])}; give one a period, a status or another "
                        "indicator")
    if problems:
        head = f"{source_id}: {len(problems)} problems in the figure list\n  " if len(problems) > 1 else ""
        raise ObservationError(head + "\n  ".join(problems))
    return df


def _context(source_id: str, root: Path | None = None) -> dict:
    """What building rows of one source reads once: its manifest row, raw text, body span, places, codebook, vocabularies."""
    root = Path(root) if root else ROOT
    sources = load_sources(root).set_index("source_id")
    if source_id not in sources.index:
        raise ObservationError(f"unknown source_id {source_id!r}")
    src = sources.loc[source_id]
    raw = raw_text(root / src["path"])  # as stored: offsets count CRLF, CR and a BOM as they stand
    body = article_body_span(raw, src["body_starts_with"], src["body_ends_with"], where=src["path"])
    return {"source_id": source_id, "src": src, "raw": raw, "body": body,
            "places": load_places(root).set_index("place_en"), "allowed_places": set(src["places"].split(";")),
            "codebook": load_codebook(root).set_index("indicator"),
            "vocab": {field: vocabulary(field, root) for field in ("status", "denominator", "scope", "stock_flow")}}


def _row(i: int, f: Fig, ctx: dict) -> dict:
    """Return the tidy row of figure number ``i``; raise :class:`ObservationError` (with a hint where one helps)."""
    from analysis.core.hints import closest

    source_id, src, raw, (b0, b1), codebook = ctx["source_id"], ctx["src"], ctx["raw"], ctx["body"], ctx["codebook"]
    where = f"{source_id} figure {i} ({f.indicator})"
    if f.indicator not in codebook.index:
        hint = closest(f.indicator, codebook.index)
        raise ObservationError(f"{where}: indicator not in {CODEBOOK_REL}" + (f"; {hint}" if hint else
                               "; add a row for it there"))
    if f.period is not None:
        _check_fig_period(f.period, where)
    _check_fig_text(f, where)
    inside = [locate_quote(f.quote, raw, (b0, b1), where, src["path"], f.occurrence, error=ObservationError)]
    figure = f.figure
    if figure is None:
        mentions = find_quantities(f.quote)
        mentions = mentions[mentions["kind"] == "quantity"]
        if len(mentions) != 1:
            listed = ", ".join(repr(m) for m in mentions["match"])
            raise ObservationError(f"{where}: the quote holds {len(mentions)} figures; say which with figure="
                                   + (f" (one of {listed})" if listed else "") + f": {f.quote!r}")
        figure = f.quote[mentions.iloc[0]["start"]:mentions.iloc[0]["end"]]
    elif figure not in f.quote:
        raise ObservationError(f"{where}: figure {figure!r} is not part of the quote {f.quote!r}")
    try:
        q = parse_quantity(figure)
    except ValueError as e:
        raise ObservationError(f"{where}: {e}") from None
    cb = codebook.loc[f.indicator]
    unit, flags = q.unit, []
    if f.unit:
        if not names_no_unit(q):
            raise ObservationError(f"{where}: unit= is only for a bare number or a bare 个, but {figure!r} says {q.unit!r}")
        unit, flags = f.unit, ["unit_from_context"]
        if not f.note:
            raise ObservationError(f"{where}: a unit from context needs a note saying why")
    if unit not in _units(cb):
        same = [i for i in codebook.index[codebook["topic"] == cb["topic"]] if unit in _units(codebook.loc[i])][:4]
        raise ObservationError(
            f"{where}: unit {unit!r} of {figure!r} is not one the codebook allows for {f.indicator} "
            f"({', '.join(_units(cb))})" + ("; a bare number may name its unit with unit= and a note" if q.unit == "count" else "")
            + (f"; {cb['topic']} indicators counted in {unit}: {', '.join(same)}" if same else ""))
    place = f.place or src["city_en"]
    if place not in ctx["allowed_places"]:
        raise ObservationError(f"{where}: place {place!r} is not among the source's places {sorted(ctx['allowed_places'])}")
    p = ctx["places"].loc[place]
    attrs = _attributes(f, q, cb, src, ctx["vocab"], where)
    flags += attrs.pop("flags")
    notes = [f.note] + attrs.pop("notes")
    return {
        "source_id": source_id, "city_en": place, "city_zh": p["place_zh"], "admin_level": p["admin_level"],
        "parent_city_en": p["parent_en"], "period": f.period or stated_period(f.quote, src["period"]) or src["period"],
        **attrs, "topic": cb["topic"],
        "indicator": f.indicator, "value": q.value, "high": q.high, "unit": unit,
        "figure": figure, "quote": f.quote, "quote_start": inside[0], "note": " ".join(n for n in notes if n),
        "flags": ";".join(flags),
    }


def _attributes(f: Fig, q, cb, src, vocab: dict, where: str) -> dict:
    """Return status, denominator, scope, stock_flow and qualifier of one figure, with any flags and notes they add."""
    flags, notes = [], []
    hint = status_hint(f.quote)
    if f.status and hint and f.status != hint and not f.note:
        raise ObservationError(f"{where}: status={f.status!r} where the quote's words suggest {hint!r}; a note must say why")
    status = f.status or hint or ("target" if src["kind"] == "targets" else "result")
    if src["kind"] == "targets" and status == "plan":
        status = "target"  # in an action plan, "will" and "plan to" state the plan's targets
    scope = join_scope((f.scope if f.scope is not None else ";".join(scope_hint(f.quote))).split(";"))
    if cb["measure"] == "share":
        denominator = f.denominator or denominator_of(f.quote)
    elif f.denominator:
        raise ObservationError(f"{where}: denominator= is for shares; {f.indicator} is a {cb['measure']}")
    else:
        denominator = ""
    stock_flow = f.stock_flow or cb["stock_flow"]
    for field, value in (("status", status), ("denominator", denominator), ("stock_flow", stock_flow)):
        if value and value not in vocab[field]:
            raise ObservationError(f"{where}: {field} {value!r} is not one of {vocab[field]} (data/vocabularies.csv)")
    unknown = [t for t in scope.split(";") if t and t not in vocab["scope"]]
    if unknown:
        raise ObservationError(f"{where}: scope {unknown[0]!r} is not one of {vocab['scope']} (data/vocabularies.csv)")
    qualifier = q.qualifier
    if f.qualifier:
        if not f.note:
            raise ObservationError(f"{where}: qualifier= overrides the parsed bound; it needs a note saying why")
        if f.qualifier == q.qualifier:
            raise ObservationError(f"{where}: qualifier={f.qualifier!r} is what the quote already says; drop it")
        qualifier = f.qualifier
        flags.append("bound_from_translation")
    elif src["language"] == "en" and q.qualifier == "more_than":
        qualifier = "at_least"
        flags.append("bound_from_translation")
        notes.append("['more than' in a translation read as at least]")
    if f.suspect:
        flags.append("translation_suspect")
        notes.append(f"[translation_suspect: {f.suspect}]")
    return {"status": status, "denominator": denominator, "scope": scope, "stock_flow": stock_flow,
            "qualifier": qualifier, "flags": flags, "notes": notes}
def _check_fig_text(f: Fig, where: str) -> None:
    """A quote is part of one line (no CR, LF or other control character); no cell may read as a formula."""
    from analysis.core.text import formula_like

    for name in ("quote", "figure", "note"):
        text = getattr(f, name) or ""
        if name != "note" and any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
            raise ObservationError(f"{where}: the {name} holds a line break or control character; quote within one line: {text!r}")
        if formula_like(text):
            raise ObservationError(f"{where}: the {name} begins with = + - or @, which a spreadsheet runs as a formula; "
                                   f"quote a little more of the sentence (or reword the note): {text!r}")


def _check_fig_period(period: str, where: str) -> None:
    from analysis.core.periods import check_period

    try:
        check_period(period)
    except ValueError as e:
        raise ObservationError(f"{where}: {e}") from None


def write_observations(df, source_id: str, root: Path | None = None) -> Path:
    """Validate ``df`` against the schema and write it to ``data/clean/<source_id>.csv`` atomically."""
    validate(df, where=f"data/clean/{source_id}.csv", root=root)
    path = (Path(root) / "data" / "clean" if root else CLEAN) / f"{source_id}.csv"
    atomic_write_csv(df[COLUMNS], path)
    return path


def load_observations(root: Path | None = None, validate_rows: bool = True):
    """Return every clean CSV as one typed DataFrame (categoricals, periods ordered by end date)."""
    import pandas as pd

    folder = (Path(root) / "data" / "clean") if root else CLEAN
    manifest = load_sources(root, verify=False)
    sources = set(manifest["source_id"])
    frames = {}
    for path in sorted(folder.glob("*.csv")):
        if path.stem not in sources:
            continue  # translation_audit.csv and other tables are not observations
        frames[path] = read_clean_csv(path)
    if not frames:
        raise FileNotFoundError(f"no clean CSVs in {rel(folder)}: run `make` first")
    out = pd.concat(frames.values(), ignore_index=True)
    if validate_rows:
        _validate_and_trace(out, frames, manifest, root)
    return typed(out)


def _validate_and_trace(out, frames: dict, manifest, root: Path | None) -> None:
    """The rulebook's row rules (:mod:`analysis.clean.rules`) on every clean row, as on every load.

    The schema is checked on all rows at once (a third of the time of file by file); only when that
    fails is each file checked, so that each problem names its file and row. Raises
    :class:`analysis.metadata.schema.SchemaError`, :class:`analysis.clean.trace.TraceError` (provenance)
    or :class:`analysis.clean.rules.RulebookError` (the other rules), listing every problem.
    """
    from analysis.clean.rules import RULES, RulebookError, row_problems
    from analysis.clean.trace import TraceError, context
    from analysis.metadata.schema import SchemaError, schema_problems

    if schema_problems(out, where="data/clean", root=root):
        raise SchemaError("\n".join(m for path, df in frames.items()
                                    for m in schema_problems(df, f"data/clean/{path.name}", root)))
    ctx = context(root, manifest)
    rules = [n for n, r in RULES.items() if r.level == "rows" and n != "schema"]
    problems = [p for path, df in frames.items()
                for p in row_problems(df, f"data/clean/{path.name}", root, path.stem, ctx, rules=rules)]
    if problems and problems[0].rule == "provenance":
        raise TraceError("\n".join(str(p) for p in problems))
    if problems:
        raise RulebookError(problems)


def untaken_mentions(source_id: str, obs, root: Path | None = None):
    """Return the article's quantity mentions that no observation took (the rest of the mention index)."""
    idx = mention_index(source_id, root)
    idx = idx[idx["kind"] == "quantity"]
    taken = figure_spans(obs)
    hit = [any(a < s + len(m) and s < b for a, b in taken) for s, m in zip(idx["raw_start"], idx["match"], strict=True)]
    return idx[[not h for h in hit]].reset_index(drop=True)


def build_checked(source_id: str, figs: list[Fig], root: Path | None = None):
    """Return one source's rows as :func:`clean_source` writes them: built from ``figs``, with the checks' flags."""
    from analysis.clean.checks import apply_checks

    return apply_checks(build_observations(source_id, figs, root), load_codebook(root), root)


def clean_source(source_id: str, figs: list[Fig], dismissed=(), root: Path | None = None):
    """Build one source's observations from ``figs``, run the checks and the rulebook, write; return the rows.

    Writes ``data/clean/<source_id>.csv``, the source's ledger ``data/clean/ledger/<source_id>.csv``
    (every number of the body taken by a row or dismissed by one of ``dismissed``, a list of
    :class:`analysis.clean.ledger.Skip`, or still open: :mod:`analysis.clean.ledger`) and refreshes
    ``data/clean/datapackage.json``. Rows and ledger are built and checked against the rulebook
    (:func:`analysis.clean.rules.check_built`, every problem listed) before anything is written, so
    wrong data write nothing; read the ledger back with :func:`analysis.load_ledger`.
    """
    from analysis.clean.ledger import build_ledger, write_ledger
    from analysis.clean.rules import check_built, raise_if

    df = build_checked(source_id, figs, root)
    ledger = build_ledger(source_id, df, dismissed, root)
    raise_if([p for p in check_built(source_id, df, ledger, root) if p.rule != "accounted"])  # open mentions are shown, not refused
    path = write_observations(df, source_id, root)
    write_ledger(ledger, source_id, root)
    write_datapackage(path.parent)
    return df


def datapackage_text(folder: Path | None = None) -> str:
    """Return the ``datapackage.json`` that lists every observation CSV and ledger in ``folder`` (deterministic),
    each with its ``hash`` (``sha256:...``, as the Data Package standard writes it)."""
    folder = Path(folder) if folder else CLEAN
    root = None if folder.resolve() == CLEAN.resolve() else folder.parent.parent  # CLEAN may be an output root
    ids = set(load_sources(root, verify=False)["source_id"])
    names = [p.name for p in sorted(folder.glob("*.csv")) if p.stem in ids]
    names += [f"ledger/{p.name}" for p in sorted((folder / "ledger").glob("*.csv")) if p.stem in ids]
    package = datapackage(names, root)
    import hashlib

    for res in package["resources"]:  # each file's hash as its notebook wrote it: a later hand edit shows on load
        res["hash"] = "sha256:" + hashlib.sha256((folder / res["path"]).read_bytes()).hexdigest()
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


def write_datapackage(folder: Path | None = None) -> bool:
    """Write ``datapackage.json`` (:func:`datapackage_text`) into ``folder`` atomically, where it is not that
    already; return True if it was written."""
    folder = Path(folder) if folder else CLEAN
    path = folder / "datapackage.json"
    text = datapackage_text(folder)
    if path.is_file() and path.read_bytes() == text.encode("utf-8"):
        return False
    with atomic_path(path) as tmp:  # a unique temp name: notebooks run in parallel
        tmp.write_text(text, encoding="utf-8")
    return True
