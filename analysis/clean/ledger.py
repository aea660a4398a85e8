"""The ledger: every number of an article body accounted for, taken by one clean row or dismissed with a reason.

A cleaning notebook lists the figures it takes (``FIGURES``, :class:`analysis.Fig`) and, beside them,
the numbers it leaves and why (``DISMISSED``, :class:`Skip`). :func:`build_ledger` accounts for each
mention of the article body's mention index (:func:`analysis.mention_index`, every kind) exactly once:

- ``taken``: the mention lies in the ``figure`` of one clean row (``row_indicator``, ``row_figure_start``
  name the row). A mention inside the figures of two rows is an error: one number, one row.
- ``dismissed``: by a :class:`Skip` (its reason from the ``dismissal`` vocabulary of
  ``data/vocabularies.csv``, with a note where needed), or automatically by its kind: a mention the
  index reads as a ``date``, ``year``, ``period``, ``ordinal``, ``identifier``, ``name`` or ``vague`` is
  dismissed with that reason,
  unless the number reads as an amount with a unit (:func:`amount_reading`: ``30个`` hidden in a
  date-like match); such a mention stays open until a row takes it or a Skip with a note dismisses it.
- ``open``: neither. The ledger is written with its open mentions (the notebook shows them, and a
  researcher's new notebook starts with all of them open); the tests fail while any is open.

Editorial decisions
- A :class:`Skip` is located like a :class:`Fig`: its quote must stand exactly once in the body; it
  dismisses the mentions that overlap its ``figure`` (a part of the quote) or, without ``figure=``,
  the one mention its quote holds (a date or year beside it does not count: its kind dismisses it). A Skip over a mention a row already took is an error.
- A ``repeat`` names the row it repeats (``same_as``: the indicator; where the source has several rows
  of it, the one with the mention's value). A repeat whose value differs from its row's needs a note.
- Reasons that say a number counts nothing (``not_an_amount`` = yes in the vocabulary: date, year,
  ordinal, identifier, name) cannot dismiss a number that reads as an amount with a unit unless the
  note says why (the 12th games, 11-a-side football fields).
- The ledger is data: ``data/clean/ledger/<source_id>.csv``, one row per mention in body order,
  fields :data:`LEDGER_FIELDS`, described in ``data/clean/datapackage.json`` and checked by
  :func:`validate_ledger` on write and :func:`verify_ledger` in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.core.paths import CLEAN
from analysis.metadata.schema import LEDGER_COLUMNS, ledger_fields

LEDGER_DIR = "ledger"
KIND_REASONS = ("date", "year", "period", "ordinal", "identifier", "name", "vague")  # kinds of the mention index dismissed by their kind
class LedgerError(ValueError):
    """A dismissal is wrong, or a mention is accounted for twice; the message names the source and the Skip."""


@dataclass(frozen=True)
class Skip:
    """A number of the article body that no row takes, and why (a cleaning notebook's ``DISMISSED`` list).

    ``quote`` is verbatim and stands once in the body, as for :class:`analysis.Fig`; ``figure`` is the
    part of it dismissed when the quote holds several numbers (every mention overlapping it is
    dismissed); ``reason`` is a value of the ``dismissal`` vocabulary (``data/vocabularies.csv``);
    ``same_as`` the indicator of the row a ``repeat`` repeats; ``note`` says why where the reason does not;
    ``occurrence`` which of several identical passages is meant.

    >>> Skip("由每服役1年补助4500元上调至5000元", "baseline", figure="4500元", note="the old standard")
    Skip(quote='由每服役1年补助4500元上调至5000元', reason='baseline', figure='4500元', note='the old standard', same_as=None, occurrence=None)
    """

    quote: str
    reason: str
    figure: str | None = None
    note: str = ""
    same_as: str | None = None
    occurrence: int | None = None  # which of several identical passages of the body (1 = the first), as for Fig


def ledger_path(source_id: str, root: Path | None = None) -> Path:
    """Return ``data/clean/ledger/<source_id>.csv`` (in the output root, as the clean CSVs)."""
    return (Path(root) / "data" / "clean" if root else CLEAN) / LEDGER_DIR / f"{source_id}.csv"


_CALENDAR = {"years", "months", "days", "age", "hours", "minutes"}


def amount_reading(match: str, after: str = "", kind: str = "quantity") -> str | None:
    """Return the unit a number of ``match`` reads as when a unit word follows it directly, else None.

    The check behind "a date, an identifier or a name is not a count": ``match`` (a mention) is read
    with what follows it (``after``, the text after the mention) by the reader itself
    (:func:`analysis.core.quantities.find_quantities`); a number that starts inside the match and reads
    as an amount with a unit of :data:`analysis.core.quantities.UNITS` is an amount. A bare number, or
    one followed by a word that is no unit, reads as nothing; for a ``year`` or ``date`` a calendar
    unit (年, months) is the date itself; a ``name`` holding several numbers (一村一年一场戏) is a slogan,
    one holding a single amount (“十件实事”) reads as that amount.

    >>> amount_reading("7月5日", "发布", "date") is None, amount_reading("3A", "级景区", "identifier") is None
    (True, True)
    >>> amount_reading("5G", "基站30个", "identifier") is None, amount_reading("30", "个村", "identifier")
    (True, 'villages')
    >>> amount_reading("一村一年一场戏", "”", "name") is None, amount_reading("十件民生实事", "”", "name")
    (True, 'items')
    """
    from analysis.core.quantities import _mentions, to_simplified

    norm = to_simplified(match + after)
    inside = [m for m in _mentions(norm) if m[0] < len(match)]
    if kind == "name" and len(inside) > 1:
        return None
    for _s, _e, k, q, _p in inside:
        if k != "quantity" or q is None or q.unit in ("count", "unknown"):
            continue
        if kind in ("year", "date", "period") and q.unit in _CALENDAR:
            continue
        return q.unit
    return None


def _locate(quote: str, raw: str, b0: int, b1: int, where: str, path: str, occurrence: int | None = None) -> int:
    from analysis.sources.mentions import locate_quote

    return locate_quote(quote, raw, (b0, b1), where, path, occurrence, error=LedgerError)


def build_ledger(source_id: str, obs, dismissed=(), root: Path | None = None):
    """Return the ledger of one source: each mention of its body, taken, dismissed or open (see module doc).

    ``obs`` are the source's clean rows (as :func:`analysis.clean_source` returns them); ``dismissed``
    its :class:`Skip` list. Raises :class:`LedgerError` naming the source and the Skip (or the rows)
    when a number would be accounted for twice or a Skip is wrong.
    """
    import pandas as pd

    from analysis.core.paths import raw_text
    from analysis.metadata.codebook import load_vocabularies
    from analysis.sources.manifest import body_offset, load_sources
    from analysis.sources.mentions import figure_spans, mention_index

    root_ = Path(root) if root else None
    src = load_sources(root_, verify=False).set_index("source_id").loc[source_id]
    from analysis.core.paths import ROOT

    raw = raw_text((root_ or ROOT) / src["path"])
    idx = mention_index(source_id, root_)
    b0, b1 = body_offset(source_id, root_)
    vocab = load_vocabularies(root_)
    vocab = vocab[vocab["field"] == "dismissal"].set_index("value")
    spans = list(zip(figure_spans(obs), obs["indicator"], obs["value"], strict=True)) if len(obs) else []
    starts = idx["raw_start"].tolist()
    ends = [s + len(m) for s, m in zip(starts, idx["match"], strict=True)]
    rows = []
    for s, e, m, k in zip(starts, ends, idx["match"], idx["kind"], strict=True):
        takers = [(ind, a) for (a, b), ind, _ in spans if a < e and s < b]
        if len(takers) > 1:
            raise LedgerError(f"{source_id}: the mention {m!r} at {s} lies in the figures of {len(takers)} rows "
                              f"({', '.join(t[0] for t in takers)}): one number, one row")
        rows.append({"source_id": source_id, "raw_start": s, "raw_end": e, "match": m, "kind": k,
                     "account": "taken" if takers else "open", "reason": "",
                     "row_indicator": takers[0][0] if takers else "", "row_figure_start": takers[0][1] if takers else None,
                     "quote": "", "quote_start": None, "note": ""})

    def _dismiss(n: int, d: Skip) -> None:
        from analysis.core.text import formula_like

        where = f"{source_id} dismissal {n} ({d.reason})"
        for name, text in (("quote", d.quote), ("note", d.note)):
            if formula_like(text):
                raise LedgerError(f"{where}: the {name} starts with {text[0]!r}, which a spreadsheet runs as a formula "
                                  f"(the ledger is a CSV); " + ("quote a little more of the sentence" if name == "quote"
                                                                 else "write the note without the leading sign"))
        if d.reason not in vocab.index:
            raise LedgerError(f"{where}: reason {d.reason!r} is not one of {list(vocab.index)} (data/vocabularies.csv, dismissal)")
        q0 = _locate(d.quote, raw, b0, b1, where, src["path"], d.occurrence)
        if d.figure is not None:
            if d.quote.count(d.figure) != 1:
                raise LedgerError(f"{where}: figure {d.figure!r} must stand once in the quote {d.quote!r}")
            a = q0 + d.quote.index(d.figure)
            b = a + len(d.figure)
        else:
            a, b = q0, q0 + len(d.quote)
        hit = [i for i, (s, e) in enumerate(zip(starts, ends, strict=True)) if s < b and a < e]
        if not hit:
            raise LedgerError(f"{where}: no number of the mention index stands in {d.figure or d.quote!r}")
        if d.figure is None and len(hit) > 1:  # a date or year in the quote is dismissed by its kind: not counted
            hit = [i for i in hit if rows[i]["kind"] == "quantity"] or hit
        if d.figure is None and len(hit) > 1:
            raise LedgerError(f"{where}: the quote holds {len(hit)} numbers; say which with figure=: {d.quote!r}")
        for i in hit:
            r = rows[i]
            if r["account"] == "taken":
                raise LedgerError(f"{where}: {r['match']!r} is taken by the row {r['row_indicator']}; drop the dismissal")
            if r["account"] == "dismissed":
                raise LedgerError(f"{where}: {r['match']!r} is already dismissed by another Skip")
            if vocab.at[d.reason, "not_an_amount"] == "yes" and not d.note:
                unit = amount_reading(r["match"], raw[r["raw_end"]:r["raw_end"] + 12], r["kind"])
                if unit:
                    raise LedgerError(f"{where}: {r['match']!r} reads as an amount in {unit}, not a {d.reason}; "
                                      "take it, or say in a note why it is not a figure")
            r.update(account="dismissed", reason=d.reason, quote=d.quote, quote_start=q0, note=d.note)
            if d.reason == "repeat":
                _point_to_row(r, d, obs, where)
            elif d.same_as:
                raise LedgerError(f"{where}: same_as= is for a repeat")

    errors = []
    for n, d in enumerate(dismissed, start=1):
        try:
            _dismiss(n, d)
        except LedgerError as err:  # every wrong dismissal, not the first only
            errors.append(str(err))
    if errors:
        raise LedgerError("\n".join(errors))
    for r in rows:
        if r["account"] == "open" and r["kind"] in KIND_REASONS and not amount_reading(r["match"], raw[r["raw_end"]:r["raw_end"] + 12], r["kind"]):
            r.update(account="dismissed", reason=r["kind"])
    df = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    return df.astype({"row_figure_start": "Int64", "quote_start": "Int64"})


def _point_to_row(r: dict, d: Skip, obs, where: str) -> None:
    from analysis.core.quantities import parse_quantity

    if not d.same_as:
        raise LedgerError(f"{where}: a repeat names the row it repeats (same_as='indicator')")
    cand = obs[obs["indicator"] == d.same_as]
    if not len(cand):
        raise LedgerError(f"{where}: same_as={d.same_as!r} is not the indicator of a row of this source")
    try:
        value = parse_quantity(r["match"]).value if r["kind"] == "quantity" else None
    except ValueError:
        value = None
    if len(cand) > 1:
        cand = cand[cand["value"] == value]
        if len(cand) != 1:
            raise LedgerError(f"{where}: same_as={d.same_as!r} names several rows; none or several have the value {value}")
    row = cand.iloc[0]
    if value != row["value"] and not d.note:
        raise LedgerError(f"{where}: {r['match']!r} is not the value {row['value']:g} of {d.same_as}; a note must say why it repeats it")
    from analysis.sources.mentions import figure_spans

    r.update(row_indicator=d.same_as, row_figure_start=figure_spans(cand.iloc[:1])[0][0])


def open_mentions(source_id: str, obs, dismissed=(), root: Path | None = None):
    """Return the mentions of an article body that are neither taken by a row of ``obs`` nor dismissed.

    The worklist of a cleaning notebook (and the input of any tool that proposes figures): the
    mention-index rows (``raw_start``, ``match``, ``kind``, ``value``, ``unit``, ``qualifier``,
    ``sentence``, ...) of every mention :func:`build_ledger` leaves ``open``, in body order.
    ``obs`` are the source's clean rows (may be empty), ``dismissed`` its :class:`Skip` list.
    """
    from analysis.sources.mentions import mention_index

    led = build_ledger(source_id, obs, dismissed, root)
    idx = mention_index(source_id, root)
    return idx[(led["account"] == "open").to_numpy()].reset_index(drop=True)


def validate_ledger(df, where: str, root: Path | None = None) -> None:
    """Raise :class:`LedgerError` at the first ledger row breaking :data:`LEDGER_FIELDS` (types, required, enums)."""
    import pandas as pd

    missing = [c for c in LEDGER_COLUMNS if c not in df.columns]
    if missing:
        raise LedgerError(f"{where}: missing column(s) {', '.join(missing)}")
    for f in ledger_fields(root):
        col, c = df[f["name"]], f.get("constraints", {})
        if f["type"] == "integer":
            num = pd.to_numeric(col, errors="coerce")
            bad = (num.isna() & col.notna() & (col.astype(str) != "")) | (num < c.get("minimum", 0))
            if c.get("required"):
                bad |= num.isna()
        else:
            s = col.astype("string").fillna("")
            bad = (s.str.strip() == "") if c.get("required") else pd.Series(False, index=df.index)
            if "enum" in c:
                bad |= ~s.isin(c["enum"]) & (s != "")
        if bad.any():
            i = df.index[bad.to_numpy()][0]
            raise LedgerError(f"{where} row {df.index.get_loc(i) + 1}: field {f['name']!r} is not valid, got {df.at[i, f['name']]!r}")
    bad = (df["account"] == "dismissed") != (df["reason"].astype("string").fillna("") != "")
    if bad.any():
        i = df.index[bad.to_numpy()][0]
        raise LedgerError(f"{where} row {df.index.get_loc(i) + 1}: a dismissed mention, and only one, has a reason")


def write_ledger(df, source_id: str, root: Path | None = None) -> Path:
    """Validate a ledger and write it to ``data/clean/ledger/<source_id>.csv`` atomically."""
    from analysis.core.paths import atomic_write_csv

    path = ledger_path(source_id, root)
    validate_ledger(df, where=f"data/clean/{LEDGER_DIR}/{source_id}.csv", root=root)
    atomic_write_csv(df[LEDGER_COLUMNS], path)
    return path


def load_ledger(source_id: str, root: Path | None = None):
    """Return the written ledger of one source (``data/clean/ledger/<source_id>.csv``)."""
    import pandas as pd

    path = ledger_path(source_id, root)
    if not path.exists():
        raise FileNotFoundError(f"data/clean/{LEDGER_DIR}/{source_id}.csv: no ledger; run the source's cleaning notebook (make)")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    validate_ledger(df, where=f"data/clean/{LEDGER_DIR}/{source_id}.csv", root=root)
    for c in ("raw_start", "raw_end", "row_figure_start", "quote_start"):
        df[c] = pd.to_numeric(df[c]).astype("Int64")
    return df


def dismissed_mentions(source_id: str, root: Path | None = None):
    """Return the dismissed mentions of a source's written ledger (raw_start, match, reason, note, and row_indicator:
    the row a repeat repeats), or None where the source keeps no ledger (a translation, accounted for by its
    audit); the site's review pages mark them."""
    if not ledger_path(source_id, root).exists():
        return None
    led = load_ledger(source_id, root)
    return led.loc[led["account"] == "dismissed", ["raw_start", "match", "reason", "note", "row_indicator"]].reset_index(drop=True)


def verify_ledger(source_id: str, root: Path | None = None, ledger=None, obs=None, open_ok: bool = False) -> list[str]:
    """Return what is wrong with a source's ledger against its raw file and clean rows (empty: all accounted):
    the rulebook's ``ledger`` rule. ``ledger`` and ``obs`` default to the written files; pass them to check
    rows and a ledger before they are written (``validate``, ``clean_source``).

    Independently of how the ledger was built: its rows are exactly the mentions of the body (same
    offsets and text, in the raw file as stored), none is open, each taken mention lies in the figure
    of exactly the one clean row it names, each dismissal's reason is in the vocabulary and its quote
    stands verbatim at ``quote_start`` around the mention, a repeat points to a row of the source, and
    no mention dismissed as not an amount (date, identifier, name, ...) reads as one without a note.
    """
    from analysis.core.paths import ROOT, raw_text
    from analysis.metadata.codebook import load_vocabularies
    from analysis.metadata.schema import read_clean_csv
    from analysis.sources.manifest import load_sources
    from analysis.sources.mentions import figure_spans, mention_index

    problems = []
    led = load_ledger(source_id, root) if ledger is None else ledger
    src = load_sources(root, verify=False).set_index("source_id").loc[source_id]
    raw = raw_text((Path(root) if root else ROOT) / src["path"])
    idx = mention_index(source_id, root)
    if obs is None:
        clean = (Path(root) / "data" / "clean" if root else CLEAN) / f"{source_id}.csv"
        obs = read_clean_csv(clean)
    expect = list(zip(idx["raw_start"], idx["match"], strict=True))
    got = list(zip(led["raw_start"].astype(int), led["match"], strict=True))
    if expect != got:
        missing = sorted(set(expect) - set(got))[:3]
        extra = sorted(set(got) - set(expect))[:3]
        problems.append(f"the ledger's mentions are not the body's: missing {missing}, not in the body {extra}")
    vocab = load_vocabularies(root)
    vocab = vocab[vocab["field"] == "dismissal"].set_index("value")
    rows = {a: ind for (a, _), ind in zip(figure_spans(obs), obs["indicator"], strict=True)}
    spans = figure_spans(obs)
    for r in led.itertuples():
        s, e = int(r.raw_start), int(r.raw_end)
        at = f"{r.match!r} at {s}"
        if raw[s:e] != r.match:
            problems.append(f"{at}: not what the raw file holds there")
        takers = [a for a, b in spans if a < e and s < b]
        if r.account == "open":
            if not open_ok:
                problems.append(f"{at}: neither taken nor dismissed")
        elif r.account == "taken":
            if takers != [r.row_figure_start] or rows.get(r.row_figure_start) != r.row_indicator:
                problems.append(f"{at}: taken by {r.row_indicator}, but the clean rows whose figure holds it are {takers}")
        else:
            if takers:
                problems.append(f"{at}: dismissed ({r.reason}) but taken by a clean row too")
            if r.reason not in vocab.index:
                problems.append(f"{at}: reason {r.reason!r} not in the dismissal vocabulary")
                continue
            if r.quote:
                q0 = int(r.quote_start)
                if raw[q0:q0 + len(r.quote)] != r.quote or not (q0 <= s and e <= q0 + len(r.quote) or q0 < e and s < q0 + len(r.quote)):
                    problems.append(f"{at}: its dismissal's quote does not stand at {q0} around it")
            elif r.reason not in KIND_REASONS or r.kind != r.reason:
                problems.append(f"{at}: dismissed as {r.reason} without a quote (only a mention of a kind in KIND_REASONS is, by its kind)")
            if r.reason == "repeat" and rows.get(r.row_figure_start) != r.row_indicator:
                problems.append(f"{at}: a repeat of {r.row_indicator}, which is no row of the source")
            if vocab.at[r.reason, "not_an_amount"] == "yes" and not r.note:
                unit = amount_reading(r.match, raw[e:e + 12], r.kind)
                if unit:
                    problems.append(f"{at}: dismissed as {r.reason} but reads as an amount in {unit}, and no note says why")
    return problems


def dismissal_table(ledger, root: Path | None = None):
    """Return a compact table of a ledger's dismissals by reason: reason, label, count, the mentions (for display).

    Open mentions, if any, come last under ``open``; taken mentions are counted in :func:`taken_summary`.
    """
    import pandas as pd

    from analysis.metadata.codebook import vocab_label, vocabulary

    order = vocabulary("dismissal", root)
    out = []
    for reason in order:
        g = ledger[(ledger["account"] == "dismissed") & (ledger["reason"] == reason)]
        if len(g):
            out.append({"reason": reason, "label": vocab_label("dismissal", reason, "en", root), "n": len(g),
                        "mentions": " · ".join(g["match"].astype(str))})
    g = ledger[ledger["account"] == "open"]
    if len(g):
        out.append({"reason": "open", "label": "not yet accounted for", "n": len(g), "mentions": " · ".join(g["match"].astype(str))})
    return pd.DataFrame(out, columns=["reason", "label", "n", "mentions"])


def taken_summary(obs, ledger=None) -> str:
    """Return one line: rows per topic (codebook order), and how the ledger accounts for the body's mentions.

    >>> import pandas as pd
    >>> taken_summary(pd.DataFrame({"topic": ["health", "spending", "health"]}))
    '3 rows: spending 1, health 2'
    """
    from analysis.metadata.codebook import TOPICS

    counts = obs["topic"].astype(str).value_counts()
    parts = [f"{t} {counts[t]}" for t in TOPICS if t in counts.index]
    line = f"{len(obs)} rows: " + ", ".join(parts)
    if ledger is not None:
        acc = ledger["account"].value_counts()
        line += (f". Mentions of the body: {len(ledger)}; taken {acc.get('taken', 0)}, dismissed {acc.get('dismissed', 0)}, "
                 f"open {acc.get('open', 0)}")
    return line


def ledger_sources(root: Path | None = None) -> list[str]:
    """Return the sources that must have a ledger: every source of the manifest but a translation of another one.

    A machine translation whose original is in the manifest (``translation_of``) has no cleaning
    notebook: its figures are the original's, and the translation audit
    (:func:`analysis.clean.audit.translation_audit`) pairs each of its quantity mentions with the original's
    or lists it as extra, so :func:`translation_accounts` accounts for its mentions instead.
    """
    from analysis.sources.manifest import load_sources

    m = load_sources(root, verify=False)
    ids = set(m["source_id"])
    return [s for s, t in zip(m["source_id"], m["translation_of"].fillna(""), strict=True) if not (t and t in ids)]


def translation_accounts(translation_id: str, root: Path | None = None):
    """Return the mention index of a translation with how each mention is accounted for (column ``account``).

    ``audited`` (a quantity the translation audit pairs with a figure of the original, or lists as
    extra), ``dismissed`` (a date, year, period, ordinal or identifier, by its kind, when it reads as
    no amount; a name or a vague amount always), ``open`` otherwise; ``audit_rows`` says how many audit rows hold the mention (one, exactly).
    """
    from analysis.clean.audit import translation_audit
    from analysis.sources.manifest import load_sources
    from analysis.sources.mentions import mention_index

    m = load_sources(root, verify=False).set_index("source_id")
    original = m.at[translation_id, "translation_of"]
    audit = translation_audit(original, translation_id, root)
    audit = audit[audit["en_figure"] != ""]
    starts = [int(q) + quote.index(f) for q, quote, f in zip(audit["en_quote_start"], audit["en_quote"], audit["en_figure"], strict=True)]
    spans = list(zip(starts, [s + len(f) for s, f in zip(starts, audit["en_figure"], strict=True)], strict=True))
    idx = mention_index(translation_id, root).copy()
    from analysis.core.paths import ROOT, raw_text

    raw = raw_text((Path(root) if root else ROOT) / m.at[translation_id, "path"])
    n, acc = [], []
    for s, mt, k in zip(idx["raw_start"], idx["match"], idx["kind"], strict=True):
        e = s + len(mt)
        hits = sum(1 for a, b in spans if a < e and s < b)
        n.append(hits)
        if k == "quantity":
            acc.append("audited" if hits == 1 else "open")
        else:
            # a name is dismissed by its kind here: a translation has no dismissal list, and its original's
            # ledger holds the check that a name reading as an amount is not a figure
            acc.append("dismissed" if k in KIND_REASONS and (k in ("name", "vague") or not amount_reading(mt, raw[e:e + 12], k))
                       else "open")
    idx["audit_rows"] = n
    idx["account"] = acc
    return idx


def ledger_overview(root: Path | None = None):
    """Return one row per source: rows taken, mentions of the body and how they are accounted for.

    Sources with a ledger (:func:`ledger_sources`) are read from ``data/clean/ledger/``; a translation
    of another source is accounted for by the translation audit (:func:`translation_accounts`).
    """
    import pandas as pd

    from analysis.sources.manifest import load_sources

    out = []
    need = set(ledger_sources(root))
    for s in load_sources(root, verify=False)["source_id"]:
        if s in need:
            try:
                led = load_ledger(s, root)
            except FileNotFoundError:
                out.append({"source_id": s, "accounted by": "no ledger yet", "mentions": None})
                continue
            acc = led["account"].value_counts()
            out.append({"source_id": s, "accounted by": "ledger", "mentions": len(led), "taken": acc.get("taken", 0),
                        "dismissed": acc.get("dismissed", 0), "audited": 0, "open": acc.get("open", 0)})
        else:
            t = translation_accounts(s, root)
            acc = t["account"].value_counts()
            out.append({"source_id": s, "accounted by": "translation audit", "mentions": len(t), "taken": 0,
                        "dismissed": acc.get("dismissed", 0), "audited": acc.get("audited", 0), "open": acc.get("open", 0)})
    df = pd.DataFrame(out, columns=["source_id", "accounted by", "mentions", "taken", "dismissed", "audited", "open"])
    return df.astype({c: "Int64" for c in ("mentions", "taken", "dismissed", "audited", "open")})
