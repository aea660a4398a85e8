"""The rulebook: every rule that committed data must obey, each a named check that returns every problem.

One place, run by everyone: ``python -m analysis validate ID`` (on the rows and ledger a notebook's
lists would write), :func:`analysis.clean_source` before it writes (so ``make`` stops at the notebook
with the same messages), the runner after a run (``make``), :func:`analysis.load_observations` (the
row rules), and the tests (one parametrized call per source). The entry points that run every rule
on committed data are :func:`analysis.clean.validate.check_source` and ``check_all``. A source that
``validate`` passes therefore cannot fail ``make test`` on its data.

Each rule has a name, a level and a one-line statement (:data:`RULES`):

- **rows** rules look at one source's clean rows (``schema``, ``provenance``, ``denominator``,
  ``status_words``, ``period_words``, ``scope_words``, ``indicator_words``, ``unit_words``, ``school_scope``,
  ``parts``);
- **ledger** rules at its ledger against the rows and the raw file (``ledger``, ``accounted``);
- **source** rules at the files a source must have (``files``), whether they are what its
  notebook's lists produce (``as_built``) and listed in the data package (``datapackage``).

A :class:`Problem` names the rule, the file (and row, where there is one) and says what is wrong,
with a hint where one helps. :class:`RulebookError` carries a list of them.

Editorial decisions
- A figure whose quote's words say plan, target or announcement (:func:`figure_status_hint`: 全年目标4.5万人 is a target) but which is
  filed as a result must say why in a note starting ``status:`` (e.g. "status: the plan was done").
- Words in a quote that narrow what is counted (:func:`scope_hint`) are in the row's scope; a school
  count whose quote or note mentions kindergartens says whether they are included
  (``incl_kindergartens``, ``primary_secondary`` or ``kindergartens_only``).
- Where the quote names the whole of a share (:func:`denominator_of`), the row's denominator is it.
- A figure whose clause holds a word its indicator ``excludes`` (``data/codebook.csv``; 参保 for
  ``new_urban_jobs``) is refused unless a note starting ``indicator:`` says why
  (:func:`analysis.metadata.codebook.gate`).
- A figure counted as items (个 alone) whose quote names 学位, 床位 or 岗位 before it counts school places,
  beds or posts: the row says so (an indicator in that unit, ``unit=`` with a note) or its note starts
  ``unit:`` (:func:`analysis.core.quantities.sentence_unit`).
- Parts within a whole's period that sum above it are flagged ``part_exceeds_whole``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SCHOOL_SCOPES = ("incl_kindergartens", "primary_secondary", "kindergartens_only")


@dataclass(frozen=True)
class Problem:
    """One thing wrong: the rule broken, the file (and row), what is wrong, and a hint where one helps."""

    rule: str
    file: str
    message: str
    row: int | None = None
    indicator: str = ""
    hint: str = ""

    def __str__(self) -> str:
        at = self.file + (f" row {self.row}" if self.row else "") + (f" ({self.indicator})" if self.indicator else "")
        text = self.message if self.message.startswith(self.file) else f"{at}: {self.message}"
        return f"[{self.rule}] {text}" + (f"; {self.hint}" if self.hint else "")


class RulebookError(ValueError):
    """Data break the rulebook; ``problems`` lists every one, the message one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problems:\n" if len(self.problems) > 1 else ""
        super().__init__(head + "\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Rule:
    name: str
    level: str  # rows | ledger | source
    statement: str


RULES = {r.name: r for r in (
    Rule("schema", "rows", "Every field has its type, vocabulary and pattern; indicator, unit and topic are the codebook's; "
                          "keys are unique; a share and only a share has a denominator."),
    Rule("provenance", "rows", "The quote stands at quote_start inside the article body of the raw file as stored; value, "
                              "unit and qualifier are what the figure says; the place is the manifest's; no cell reads as a formula."),
    Rule("denominator", "rows", "Where the quote names the whole of a share, the row's denominator is that whole."),
    Rule("status_words", "rows", "A row whose quote says plan, target or announcement but that is filed as a result says why "
                                "in a note starting 'status:'."),
    Rule("scope_words", "rows", "Words of the quote that narrow what is counted are in the row's scope."),
    Rule("period_words", "rows", "A row whose quote states its own period (1-9月, 上半年, 截至6月底) has that period, unless a "
         "note starting 'period:' says why."),
    Rule("indicator_words", "rows", "No word the codebook's indicator excludes stands in the figure's clause (a pension "
         "enrolment is no new urban job), unless a note starting 'indicator:' says why."),
    Rule("unit_words", "rows", "A figure counted as items (个 alone) whose quote names what it counts before it (学位 school "
         "places, 床位 beds, 岗位 posts) is in that unit, unless a note starting 'unit:' says why."),
    Rule("school_scope", "rows", "A school count whose quote or note mentions kindergartens says whether they are included."),
    Rule("parts", "rows", "Parts within a whole's period that sum above the whole are flagged part_exceeds_whole."),
    Rule("ledger", "ledger", "The ledger lists exactly the numbers of the article body; each taken one lies in the figure "
                            "of the one row it names; each dismissal has a known reason and a quote that stands around it."),
    Rule("accounted", "ledger", "No number of the article body is open: each is taken by a row or dismissed with a reason."),
    Rule("files", "source", "A source in the manifest has its cleaning notebook, clean CSV and ledger (a translation: its "
                           "original's ledger and an audit that accounts for each of its numbers)."),
    Rule("as_built", "source", "The clean CSV and the ledger are byte for byte what the notebook's lists produce (no hand edit)."),
    Rule("datapackage", "source", "data/clean/datapackage.json lists the source's clean CSV and ledger."),
)}


def clean_dir(root: Path | None) -> Path:
    from analysis.core.paths import CLEAN

    return Path(root) / "data" / "clean" if root else CLEAN


def read_rows(source_id: str, root: Path | None = None):
    """Return a source's committed clean rows as text (value, high and quote_start numeric), as the loader reads them."""
    from analysis.metadata.schema import read_clean_csv

    return read_clean_csv(clean_dir(root) / f"{source_id}.csv")


def text_of(x) -> str:
    return "" if x is None or (isinstance(x, float) and x != x) else str(x)


def row_problems(df, where: str, root: Path | None = None, source_id: str | None = None, ctx: dict | None = None,
                 rules=None) -> list[Problem]:
    """Every problem the row rules find in ``df`` (one source's rows, or several files' with ``where`` a Series)."""
    from analysis.clean.checks import parts_table
    from analysis.clean.trace import trace_problems
    from analysis.core.periods import period_bounds
    from analysis.core.quantities import sentence_unit, stated_period
    from analysis.core.text import figure_context
    from analysis.metadata.codebook import gate
    from analysis.metadata.comparability import denominator_of, figure_status_hint, scope_hint
    from analysis.metadata.schema import schema_problems

    rules = set(rules or [n for n, r in RULES.items() if r.level == "rows"])
    file = where if isinstance(where, str) else "data/clean"
    out = []
    if "schema" in rules:
        out += [Problem("schema", file, m) for m in schema_problems(df, where, root)]
        if out and any("missing column" in p.message for p in out):
            return out  # the other rules read the columns the schema vouches for
    if "provenance" in rules and isinstance(where, str):
        out += [Problem("provenance", file, m) for m in trace_problems(df, where, root, source_id, ctx)]
    share = book = None
    if rules & {"indicator_words", "denominator"}:
        from analysis.metadata.codebook import load_codebook

        codebook = load_codebook(root)  # read once for both rules
        if "indicator_words" in rules:
            book = {r["indicator"]: r for r in codebook.to_dict("records")}  # one dict per indicator: fast
        if "denominator" in rules:
            share = set(codebook.query("measure == 'share'")["indicator"])
    for n, r in enumerate(df.to_dict("records"), start=1):
        at = dict(file=file if isinstance(where, str) else str(where.iloc[n - 1]), row=n if isinstance(where, str) else None,
                  indicator=text_of(r["indicator"]))
        quote, note, scope = text_of(r["quote"]), text_of(r["note"]), set(text_of(r["scope"]).split(";")) - {""}
        if share is not None and r["indicator"] in share:
            named = denominator_of(quote)
            if named != "not_stated" and text_of(r["denominator"]) != named:
                out.append(Problem("denominator", message=f"the quote names the whole {named!r}, the row says "
                                   f"{text_of(r['denominator'])!r}", hint=f"Fig(..., denominator={named!r})", **at))
        if "status_words" in rules:
            hint = figure_status_hint(quote, text_of(r.get("figure")))
            if hint and hint != "result" and r["status"] == "result" and "status:" not in note:
                out.append(Problem("status_words", message=f"the quote's words say {hint!r} but the row is a result, "
                                   "and no note starting 'status:' says why",
                                   hint=f"Fig(..., status={hint!r}), or note='status: <why it is a result>'", **at))
            elif hint == "result" and r["status"] != "result" and "status:" not in note:
                out.append(Problem("status_words", message=f"the quote's words say what was done (a share of the plan "
                                   f"completed) but the row is a {r['status']}, and no note starting 'status:' says why",
                                   hint="Fig(..., status='result'), or note='status: <why it is not a result>'", **at))
        if "period_words" in rules and "period:" not in note and text_of(r["period"]):
            said = stated_period(quote, text_of(r["period"]))
            try:
                differs = bool(said) and period_bounds(said) != period_bounds(text_of(r["period"]))
            except ValueError:  # a period the schema refuses (reported there)
                differs = False
            if differs:
                out.append(Problem("period_words", message=f"the quote's words state the period {said!r}, the row "
                                   f"says {text_of(r['period'])!r}, and no note starting 'period:' says why",
                                   hint=f"Fig(..., period={said!r}), or note='period: <why>'", **at))
        figure = text_of(r.get("figure")) or quote
        pos = quote.find(figure)  # where the figure stands in its quote (-1: nowhere, which provenance reports)
        if book is not None and text_of(r["indicator"]) in book and "indicator:" not in note:
            entry = book[text_of(r["indicator"])]
            at_fig = max(pos, 0)
            why = (gate(entry, *figure_context(quote, at_fig, at_fig + len(figure)), requires=False)
                   if entry["excludes"] else "")
            if why:
                definition = str(entry["definition"])
                out.append(Problem("indicator_words", message=f"{why}: the figure counts something else "
                                   f"({r['indicator']}: {definition})",
                                   hint="another indicator (python -m analysis propose ID), a new codebook row, "
                                        "or note='indicator: <why it is this one>'", **at))
        if "unit_words" in rules and text_of(r["unit"]) == "items" and "unit:" not in note:
            said = sentence_unit(quote[:pos + len(figure)]) if pos >= 0 else None
            if said:
                out.append(Problem("unit_words", message=f"the quote names what the figure counts ({said}), but the row "
                                   "counts items, and no note starting 'unit:' says why",
                                   hint=f"an indicator counted in {said}: Fig(..., unit={said!r}, note='unit: the sentence "
                                        f"counts ...'), or note='unit: <why items>'", **at))
        if "scope_words" in rules:
            missing = [s for s in scope_hint(quote) if s not in scope]
            if missing:
                out.append(Problem("scope_words", message=f"the quote's words narrow it to {';'.join(missing)}, "
                                   f"not in the row's scope {text_of(r['scope'])!r}",
                                   hint=f"Fig(..., scope={';'.join(sorted(scope | set(missing)))!r})", **at))
        if "school_scope" in rules and text_of(r["indicator"]).startswith("schools_") and r["unit"] == "institutions":
            if re.search(r"幼儿园|幼兒園|kindergarten", quote + note, re.I) and not scope & set(SCHOOL_SCOPES):
                out.append(Problem("school_scope", message="the quote or note mentions kindergartens, but the scope does "
                                   "not say whether they are counted",
                                   hint=f"Fig(..., scope=one of {', '.join(SCHOOL_SCOPES)})", **at))
    if "parts" in rules and isinstance(where, str) and len(df):
        try:
            table = parts_table(df, root)
        except (ValueError, TypeError, KeyError):  # values the schema refuses (reported above): no sums
            table = parts_table(df.iloc[:0], root)
        for t in table[~table["fits"]].itertuples():
            parts = df[(df["city_en"] == t.city_en) & (df["period"] == t.parts_period)]
            if not parts["flags"].astype(str).str.contains("part_exceeds_whole").any():
                out.append(Problem("parts", file, f"the parts of {t.whole} ({t.parts}) sum to {t.parts_sum:,.15g}, above "
                                   f"the whole's {t.whole_value:,.15g}, and no part is flagged part_exceeds_whole",
                                   indicator=t.whole, hint="run the checks (clean_source does)"))
    return out


def ledger_problems(source_id: str, root: Path | None = None, ledger=None, rows=None) -> list[Problem]:
    """Every problem of a source's ledger (written, or ``ledger`` and ``rows`` before they are written)."""
    from analysis.clean.ledger import LEDGER_DIR, load_ledger, verify_ledger

    file = f"data/clean/{LEDGER_DIR}/{source_id}.csv"
    ledger = load_ledger(source_id, root) if ledger is None else ledger
    out = [Problem("ledger", file, m) for m in verify_ledger(source_id, root, ledger=ledger, obs=rows, open_ok=True)]
    for r in ledger[ledger["account"] == "open"].itertuples():
        out.append(Problem("accounted", file, f"{r.match!r} at {r.raw_start}: neither taken nor dismissed",
                           hint="take it with a Fig, or dismiss it with a Skip (python -m analysis propose ID)"))
    return out


def datapackage_problems(source_id: str, clean: Path, names: list[str]) -> list[Problem]:
    import json

    path = clean / "datapackage.json"
    try:
        listed = {r["path"] for r in json.loads(path.read_text(encoding="utf-8"))["resources"]}
    except (OSError, ValueError, KeyError) as e:
        return [Problem("datapackage", "data/clean/datapackage.json", f"not readable ({e})")]
    return [Problem("datapackage", "data/clean/datapackage.json", f"does not list {n} of source {source_id}",
                    hint="run make") for n in names if n not in listed]


def translation_problems(source_id: str, root: Path | None, manifest) -> list[Problem]:
    from analysis.clean.ledger import ledger_path, translation_accounts

    original = text_of(manifest.at[source_id, "translation_of"])
    out = []
    if original not in manifest.index or not ledger_path(original, root).exists():
        return [Problem("files", "data/raw/sources.csv", f"{source_id} is a translation of {original!r}, which has no ledger")]
    acc = translation_accounts(source_id, root)
    for r in acc[(acc["account"] == "open") | ((acc["kind"] == "quantity") & (acc["audit_rows"] != 1))].itertuples():
        out.append(Problem("files", "data/clean/translation_audit.csv", f"{source_id}: the mention {r.match!r} at "
                           f"{r.raw_start} is in {r.audit_rows} audit rows (one expected)"))
    return out


def check_built(source_id: str, rows, ledger, root: Path | None = None) -> list[Problem]:
    """Every problem of rows and a ledger about to be written (``validate`` and :func:`analysis.clean_source`)."""
    where = f"data/clean/{source_id}.csv"
    return row_problems(rows, where, root, source_id) + ledger_problems(source_id, root, ledger=ledger, rows=rows)


def raise_if(problems: list[Problem]) -> None:
    """Raise :class:`RulebookError` listing ``problems``, if there are any."""
    if problems:
        raise RulebookError(problems)


def rulebook_table():
    """Return the rules as a table (name, level, statement): for the docs and the notebooks."""
    import pandas as pd

    return pd.DataFrame([{"rule": r.name, "level": r.level, "statement": r.statement} for r in RULES.values()])

