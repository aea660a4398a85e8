"""The reference pages, generated from the metadata: ``python -m analysis docs`` -> ``docs/reference/*.md``.

What it writes
- ``docs/reference/codebook.md``: every indicator of ``data/codebook.csv``, one table per topic.
- ``docs/reference/vocabularies.md``: every value of every controlled vocabulary (``data/vocabularies.csv``).
- ``docs/reference/fields.md``: the fields of the clean CSVs and of the ledger (:mod:`analysis.metadata.schema`)
  and the rulebook (:data:`analysis.clean.rules.RULES`).
- ``docs/reference/sources.md``: the manifest (``data/raw/sources.csv``) and the places (``data/raw/places.csv``).

Decisions
- **Written from the data, never by hand.** Each page's first line says so and names its inputs;
  :func:`stale_pages` lists the pages whose text on disk is not what would be written now, and a test
  fails while any is (``python -m analysis docs --check`` says the same; ``python -m analysis docs`` fixes it).
- **Deterministic**: topics in the codebook's order (:data:`analysis.metadata.codebook.TOPICS`), indicators,
  sources and places sorted by id, vocabulary values and fields in their defined order (that order means
  something: ``result`` before ``target``); no date, no absolute path. The same data give the same bytes.
- **Every cell is one table cell**: text is escaped for Markdown (``|``, backslash, emphasis and HTML
  characters), a line break becomes ``<br>``; ids are code spans unless they hold a character a code
  span cannot carry in a table.
- Files are written atomically, and only when their text changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.core.paths import ROOT, atomic_path

REFERENCE_REL = "docs/reference"
COMMAND = "python -m analysis docs"
# page -> what it is written from (named in its first line)
PAGES = {
    f"{REFERENCE_REL}/codebook.md": "`data/codebook.csv`",
    f"{REFERENCE_REL}/vocabularies.md": "`data/vocabularies.csv` (and the fields that use each vocabulary, "
                                        "`analysis/metadata/schema.py`)",
    f"{REFERENCE_REL}/fields.md": "`analysis/metadata/schema.py`, `data/vocabularies.csv` and the rulebook "
                                  "`analysis/clean/rules.py`",
    f"{REFERENCE_REL}/sources.md": "`data/raw/sources.csv` and `data/raw/places.csv`",
}
# What the property columns of data/vocabularies.csv mean (a new column is shown without a gloss).
VOCAB_PROPERTIES = {
    "per_capita": "a scope token: `no` = a figure so narrowed is never divided by the place's population",
    "doubtful": "a flag: `yes` = it makes the figure doubtful (drawn distinctly, never leading a title)",
    "not_an_amount": "a dismissal reason: `yes` = it says the number counts nothing, so dismissing a number "
                     "that reads as an amount with a unit needs a note",
}


# -- Markdown pieces --------------------------------------------------------------------------------------------

def _str(x) -> str:
    """A cell value as text: missing (None, NaN, NA, NaT) is empty."""
    if x is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(x):
            return ""
    except (TypeError, ValueError):  # a list or the like: not a scalar
        pass
    return str(x)


def esc(x) -> str:
    """Return ``x`` as Markdown text that reads literally inside one table cell.

    ``|``, backslash and the characters that start emphasis, code, links, strikethrough or HTML are
    backslash-escaped (an ``_`` only where it could open or close emphasis, not inside a word such as
    ``city_seat``); an entity-like ``&name;`` keeps its ampersand; any line break becomes ``<br>``.

    >>> esc("a | b\\nc")
    'a \\\\| b<br>c'
    """
    s = _str(x).replace("\\", "\\\\")
    s = re.sub(r"([`*\[\]<>|~])", r"\\\1", s)
    s = re.sub(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])", r"\\_", s)
    s = re.sub(r"&(?=#?\w+;)", "&amp;", s)
    return re.sub(r"\r\n|\r|\n", "<br>", s)


def code(x) -> str:
    """Return ``x`` as a code span, or as escaped text where a code span could not hold it in a table cell."""
    s = _str(x)
    if not s:
        return ""
    if re.search(r"[`|\r\n]", s) or s != s.strip():
        return esc(s)
    return f"`{s}`"


def codes(values, sep: str = ", ") -> str:
    """Several values, each a code span."""
    return sep.join(code(v) for v in values if _str(v))


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; header and cells are Markdown already (see :func:`esc`, :func:`code`)."""
    for r in rows:
        if len(r) != len(header):
            raise ValueError(f"row of {len(r)} cells under a header of {len(header)}: {r}")
        bad = [c for c in r if re.search(r"[\r\n]", c)]
        if bad:
            raise ValueError(f"a cell holds a line break (use esc()): {bad[0]!r}")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading (lower case, punctuation dropped, spaces to hyphens); the site uses the same."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _head(page: str, title: str, intro: str) -> str:
    return (f"_Generated by `{COMMAND}` from {PAGES[page]}: do not edit by hand. Change the data, then run "
            f"`{COMMAND}` (`{COMMAND} --check` says whether the pages are current)._\n\n# {title}\n\n{intro}\n")


# -- the pages --------------------------------------------------------------------------------------------------

def _range(lo: str, hi: str) -> str:
    if lo and hi:
        return f"{esc(lo)} to {esc(hi)}"
    if lo:
        return f"≥ {esc(lo)}"
    return f"≤ {esc(hi)}" if hi else ""


def _related(row: dict) -> str:
    out = []
    if _str(row.get("part_of")):
        out.append(f"part of {code(row['part_of'])}")
    if _str(row.get("rate_of")):
        num, _, den = _str(row["rate_of"]).partition("/")
        out.append(f"rate of {code(num)} per {code(den)}" if den else f"rate of {code(num)}")
    if _str(row.get("overlaps")):
        out.append(f"overlaps {code(row['overlaps'])}")
    return "; ".join(out)


def codebook_page(root: Path | None = None) -> str:
    """``docs/reference/codebook.md``: every indicator, grouped by topic, one table per topic."""
    from analysis.metadata.codebook import TOPICS, load_codebook

    cb = load_codebook(root)
    page = f"{REFERENCE_REL}/codebook.md"
    topics = [t for t in TOPICS if (cb["topic"] == t).any()]
    toc = ", ".join(f"[{esc(t)}](#{slug(t)}) ({(cb['topic'] == t).sum()})" for t in topics)
    out = [_head(page, "Codebook: every indicator",
                 f"{len(cb)} indicators in {len(topics)} topics: {toc}. What the columns mean: "
                 "[the codebook](../data-model.md#the-codebook) and "
                 "[comparable by construction](../data-model.md#comparable-by-construction). A unit list is the "
                 "units a row may use for the indicator (they count the same thing). The plausible range is "
                 "where a value raises no `out_of_range` flag. Read it in Python with `analysis.load_codebook()`.")]
    header = ["indicator", "label (English)", "label (中文)", "unit(s)", "measure", "stock/flow", "plausible range",
              "definition", "related"]
    for t in topics:
        rows = cb[cb["topic"] == t].sort_values("indicator").to_dict("records")
        out.append(f"\n## {t}\n\n")
        out.append(table(header, [[code(r["indicator"]), esc(r["label_en"]), esc(r["label_zh"]),
                                   codes(_str(r["unit"]).split("|")), code(r["measure"]), code(r["stock_flow"]),
                                   _range(_str(r["min"]), _str(r["max"])), esc(r["definition"]), _related(r)]
                                  for r in rows]))
    return "".join(out)


def _vocab_users(root: Path | None) -> dict[str, list[str]]:
    """vocabulary field -> the data fields whose values it lists (from the schema's ``vocabulary:`` constraints)."""
    from analysis.metadata.schema import FIELDS, LEDGER_FIELDS

    users: dict[str, list[str]] = {}
    for where, flds in (("clean CSVs", FIELDS), ("ledger", LEDGER_FIELDS)):
        for f in flds:
            for v in f.get("constraints", {}).values():
                if isinstance(v, str) and v.startswith("vocabulary:"):
                    users.setdefault(v.split(":", 1)[1], []).append(
                        f"{code(f['name'])} of the {where} ([fields](fields.md#{slug('the ' + where)}))")
    return users


def vocabularies_page(root: Path | None = None) -> str:
    """``docs/reference/vocabularies.md``: every field of the vocabularies, each value with labels, definition, properties."""
    from analysis.metadata.codebook import VOCAB_FIELDS, load_vocabularies

    voc = load_vocabularies(root)
    page = f"{REFERENCE_REL}/vocabularies.md"
    base = ["field", "value", "label_en", "label_zh", "definition"]
    props = [c for c in voc.columns if c not in base]
    order = [f for f in VOCAB_FIELDS if (voc["field"] == f).any()] + sorted(set(voc["field"]) - set(VOCAB_FIELDS))
    toc = ", ".join(f"[{esc(f)}](#{slug(f)}) ({(voc['field'] == f).sum()})" for f in order)
    gloss = "\n" + "".join(f"\n- {code(p)}: {VOCAB_PROPERTIES.get(p, 'see `data/vocabularies.csv`')}" for p in props)
    out = [_head(page, "Vocabularies: every allowed value",
                 f"{len(voc)} values of {len(order)} controlled vocabularies: {toc}. Values are listed in the "
                 "file's order. A row's value must be one of these (the schema and the rulebook check it). "
                 f"Read it in Python with `analysis.load_vocabularies()`. Property columns, shown where a "
                 f"vocabulary sets them:{gloss}")]
    users = _vocab_users(root)
    for f in order:
        rows = voc[voc["field"] == f].to_dict("records")
        mine = [p for p in props if any(_str(r[p]) for r in rows)]
        used = ("Used by " + " and ".join(users[f]) + ".\n\n") if f in users else ""
        out.append(f"\n## {f}\n\n{used}")
        out.append(table(["value", "label (English)", "label (中文)", "definition"] + [code(p) for p in mine],
                         [[code(r["value"]), esc(r["label_en"]), esc(r["label_zh"]), esc(r["definition"])]
                          + [esc(r[p]) for p in mine] for r in rows]))
    return "".join(out)


def constraint_words(field: dict, declared: dict | None = None) -> str:
    """A field's constraints in words: required or optional, minimum, allowed values, pattern.

    ``field`` is a filled field (:func:`analysis.metadata.schema.fields`), ``declared`` the same field as
    declared (:data:`~analysis.metadata.schema.FIELDS`), whose ``vocabulary:NAME`` says where values come from.
    """
    c, d = field.get("constraints", {}), (declared or field).get("constraints", {})
    words = ["required" if c.get("required") else "optional (may be empty)"]
    if "minimum" in c:
        words.append(f"at least {c['minimum']}")
    for k in ("enum", "pattern"):
        if k not in c:
            continue
        origin = d.get(k)
        vocab = origin.split(":", 1)[1] if isinstance(origin, str) and origin.startswith("vocabulary:") else None
        where = f" ([vocabulary {code(vocab)}](vocabularies.md#{slug(vocab)}))" if vocab else ""
        if k == "enum":
            words.append(f"one of{where}: {codes(c['enum'])}")
        elif vocab:
            words.append(f"`;`-separated tokens of the {code(vocab)} vocabulary{where}, in any order")
        elif field["name"] == "period":
            words.append("a period as the description says (`analysis.core.periods.PERIOD_PATTERN`), "
                         "and a real one (months in order, a real date)")
        else:
            words.append("matches the field's pattern in `data/clean/datapackage.json`")
    return "; ".join(words)


def _fields_table(filled: list[dict], declared: list[dict]) -> str:
    by_name = {f["name"]: f for f in declared}
    return table(["field", "type", "description", "constraints"],
                 [[code(f["name"]), code(f["type"]), esc(f.get("description", "")),
                   constraint_words(f, by_name.get(f["name"]))] for f in filled])


def fields_page(root: Path | None = None) -> str:
    """``docs/reference/fields.md``: the observation and ledger fields, and the rulebook."""
    from analysis.clean.rules import RULES
    from analysis.metadata.schema import FIELDS, LEDGER_FIELDS, datapackage, fields, ledger_fields

    page = f"{REFERENCE_REL}/fields.md"
    keys = {}  # the primary keys, as the data package declares them
    for res in datapackage(["x.csv", "ledger/x.csv"], root)["resources"]:
        keys["ledger" if res["name"].startswith("ledger-") else "rows"] = res["schema"]["primaryKey"]
    levels = sorted({r.level for r in RULES.values()}, key=[r.level for r in RULES.values()].index)
    return "".join([
        _head(page, "Fields: the clean CSVs, the ledger and the rulebook",
              "Every field of `data/clean/<source_id>.csv` and of `data/clean/ledger/<source_id>.csv`, in column "
              "order, as `data/clean/datapackage.json` declares them (frictionless Table Schema; the same "
              "definitions are checked in-process on every write and load), then every rule committed data obey. "
              "What the rows mean: [the tidy data](../data-model.md); the ledger: [the ledger](../ledger.md)."),
        "\n## The clean CSVs\n\n",
        f"One row per figure; the key {codes(keys['rows'], ' + ')} is unique. Read them with "
        "`analysis.load_observations()`.\n\n",
        _fields_table(fields(root), FIELDS),
        "\n## The ledger\n\n",
        f"One row per number of the article body, in body order; the key {codes(keys['ledger'], ' + ')} is "
        "unique. Read it with `analysis.load_ledger()`.\n\n",
        _fields_table(ledger_fields(root), LEDGER_FIELDS),
        "\n## The rulebook\n\n",
        "Every rule that committed data must obey (`analysis.clean.rules.RULES`), run by "
        "`python -m analysis validate ID`, before a cleaning notebook writes, after `make`, and by the tests. "
        "Levels: " + ", ".join(f"{code(lv)} ({sum(r.level == lv for r in RULES.values())})" for lv in levels)
        + ". The plausibility flags a row may carry are in [the `flag` vocabulary](vocabularies.md#flag).\n\n",
        table(["rule", "level", "statement"], [[code(r.name), code(r.level), esc(r.statement)] for r in RULES.values()]),
    ])


def sources_page(root: Path | None = None) -> str:
    """``docs/reference/sources.md``: every article of the manifest, and every place."""
    from analysis.sources.manifest import date_label, load_places, load_sources

    src = load_sources(root, verify=False).sort_values("source_id")
    places = load_places(root).sort_values("place_en")
    page = f"{REFERENCE_REL}/sources.md"
    rows = []
    for r in src.to_dict("records"):
        city = f"{esc(r['city_en'])} {esc(r['city_zh'])} ({esc(r['admin_level'])}, {esc(r['province'])})"
        where = codes(_str(r["places"]).split(";")) if _str(r["places"]) != _str(r["city_en"]) else ""
        when = esc(date_label(r))
        if _str(r.get("accessed")) and _str(r.get("published")):
            when += f" (accessed {esc(str(r['accessed'])[:10])})"
        rows.append([code(r["source_id"]), city, where, code(r["language"]), code(r["kind"]), code(r["period"]), when,
                     esc(r["outlet"]), esc(r["title"]), code(r["path"]), code(r["translation_of"]), esc(r["note"])])
    n_lang = src["language"].astype(str).value_counts().sort_index()
    return "".join([
        _head(page, "Sources: every article and place",
              f"{len(src)} articles ({', '.join(f'{n} in {code(lang)}' for lang, n in n_lang.items())}) and "
              f"{len(places)} places. Each article's file is verified against its sha256 on every read; what the "
              "columns mean: [the sources](../data-model.md#the-sources). Read them in Python with "
              "`analysis.load_sources()` and `analysis.load_places()`; `python -m analysis check` verifies them."),
        "\n## The articles\n\n",
        "Kind `results` reports what was done, `targets` what is planned; a translation names its original. "
        "The places column lists the places an article gives figures for where they are not just its city.\n\n",
        table(["source", "city", "places", "language", "kind", "period", "published", "outlet", "title", "raw file",
               "translation of", "note"], rows),
        "\n## The places\n\n",
        "A county-level city or district belongs to its prefecture-level parent.\n\n",
        table(["place", "中文", "admin level", "parent", "province"],
              [[esc(p["place_en"]), esc(p["place_zh"]), esc(p["admin_level"]), esc(p["parent_en"]), esc(p["province"])]
               for p in places.to_dict("records")]),
    ])


RENDER = {
    f"{REFERENCE_REL}/codebook.md": codebook_page,
    f"{REFERENCE_REL}/vocabularies.md": vocabularies_page,
    f"{REFERENCE_REL}/fields.md": fields_page,
    f"{REFERENCE_REL}/sources.md": sources_page,
}


# -- writing and checking ---------------------------------------------------------------------------------------

def pages(root: Path | None = None) -> dict[str, str]:
    """Return every reference page as it would be written now: repository-relative path -> text."""
    return {rel: render(root) for rel, render in RENDER.items()}


def write_pages(root: Path | None = None) -> list[tuple[str, bool]]:
    """Write every reference page under ``root`` (atomically, only where its text changes); return (page, changed)."""
    base = Path(root) if root else ROOT
    out = []
    for rel, text in pages(root).items():
        path = base / rel
        data = text.encode("utf-8")
        changed = not path.exists() or path.read_bytes() != data
        if changed:
            with atomic_path(path) as tmp:
                tmp.write_bytes(data)
        out.append((rel, changed))
    return out


def stale_pages(root: Path | None = None) -> list[str]:
    """Return the reference pages whose text on disk differs from what would be generated now, or that are missing."""
    base = Path(root) if root else ROOT
    out = []
    for rel, text in pages(root).items():
        path = base / rel
        if not path.exists() or path.read_bytes() != text.encode("utf-8"):
            out.append(rel)
    return out
