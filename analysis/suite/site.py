"""A static site of the suite, built offline: ``make site`` (``python -m analysis site``) -> ``build/site/``.

What it holds
- ``index.html``: every entry under a human title with a line about it: the documentation (each page's
  first heading and the first sentence of its prose), the notebooks (the first heading of the first
  Markdown cell and its first sentence, a run-in label such as **Question.** left out), the workbook,
  a **Downloads** section, one review page per article (the article's title from the manifest) and the
  charts (each bundle's ``title``; its language, metric and indicators in words).
- **Downloads** (``id="downloads"``): every CSV of ``figures/`` that belongs to no chart bundle (a flat
  table of all observations, once one is written: it is listed without a change here), then
  ``data/clean/datapackage.json``, the translation audit and each source's ledger, all copied into
  ``data/clean/`` of the site (:func:`downloads`).
- ``notebooks/<name>.html``: every notebook as saved (with its outputs: tables, and the charts embedded
  as images), rendered by nbconvert's ``lab`` template. Not re-executed: ``make`` keeps them current.
- ``review/<source_id>.html``: the raw article as stored, with every figure a clean row took
  highlighted, the mentions the ledger dismisses struck through, the quantities neither took nor
  dismissed dotted (*not taken*), and the website furniture outside the article body greyed out. A
  click (or Enter) on any marked number shows it in words in a panel: for a taken figure both labels
  of its indicator (``data/codebook.csv``), the value as a reader writes it (:func:`value_words`:
  '12,470,000,000 yuan (12.47 billion yuan)', never 1.247e+10) and as written, unit, bound, status,
  period, place, scope, denominator, stock or flow, each flag with its label and the reason the note
  gives for it (``[flag: reason]``, :func:`note_reasons`; else the flag's definition), the rest of the
  note, the quote and the row's line; for a dismissed mention the reason's label and definition
  (``data/vocabularies.csv``, field dismissal), the ledger's note and, for a repeat, the row it
  repeats. A legend counts the figures taken, the dismissals by reason and the quantities not taken.
- ``review/<translation_id>.html``, for a source that translates another of the manifest and keeps no
  clean CSV: no rows are claimed; each number of the translation carries the translation audit's
  verdict in words (:func:`analysis.clean.audit.error_words`: agrees, ten times the original, unit
  lost, ...), what the original says, and a link to the audit (its notebook and
  ``data/clean/translation_audit.csv``); numbers of the original the translation dropped are listed
  under the article.
- ``figures/``: copies of the published charts, bundles and workbook.
- ``readme.html``, ``docs/<name>.html``, ``docs/reference/<name>.html``: README.md and every page of
  ``docs/`` (the reference pages included), rendered from Markdown with mistune. Links between the
  pages go to their HTML; a link to another file of the repository (a chart, a licence) is copied into
  the site at the same relative place, so that every relative link resolves inside the site.

Decisions
- **No network, at build or view time.** nbconvert runs offline; the ``<script src=https://...>``
  tags of its template (require.js, MathJax: the notebooks use neither) are removed, CSS and the small
  script of the review pages are inline. A test checks that no page loads anything from the network.
- **Dismissed mentions are an optional input.** A review page marks a mention that no row took as
  *dismissed* (with its reason) when a ledger of dismissed mentions is available, otherwise as *not
  taken* (the rest of :func:`analysis.untaken_mentions`). The ledger is found by :func:`dismissed_ledger`:
  a function ``analysis.clean.ledger.dismissed_mentions(source_id, root=...)`` returning rows with
  ``raw_start``, ``match`` and ``reason`` (``note`` and ``row_indicator`` where known); absent, the page says
  that no ledger was found.
- **Every value is text.** The details a click shows are JSON in a ``data-detail`` attribute, every
  string with its bidi and line-separator characters shown as [U+202E], escaped; the page's script
  puts them in the panel with ``textContent`` only, so an article's ``<script>`` stays text.
- **Words, not ids.** Labels come from the codebook and the vocabularies at build time; where a value
  has no label the id itself is shown, never nothing.
- **Headings get GitHub's anchors** (:func:`analysis.suite.refdocs.slug`), so that a link such as
  ``outputs.md#the-site`` works the same on GitHub and in the site.
- Output goes to ``build/site`` (git-ignored); each file is written atomically. Pages hold no build
  date or absolute path.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

import pandas as pd

from analysis.compare.download import DOWNLOAD_NAME
from analysis.compare.export import WORKBOOKS
from analysis.core.paths import ROOT, atomic_path, copy_atomic
from analysis.core.text import show_controls

SITE_REL = "build/site"

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
margin:0;color:#1d1d1d;background:#fff;line-height:1.5}
main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.4rem;margin:.6rem 0}h2{font-size:1.1rem;margin-top:1.6rem}
a{color:#1f5f8b}table{border-collapse:collapse;font-size:.9rem}td,th{border-bottom:1px solid #ddd;padding:.2rem .5rem;
text-align:left;vertical-align:top}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem}
.gallery figure{margin:0;border:1px solid #ddd;padding:.5rem}.gallery figcaption{font-size:.85rem}.gallery img{width:100%}
.article{white-space:pre-wrap;font-size:1rem;border:1px solid #ddd;padding:1rem;background:#fcfcfc}
.furniture{color:#9a9a9a;background:#f1f1f1}
mark.taken{background:#ffe08a;border-bottom:2px solid #c48a00;cursor:pointer;padding:0 1px}
mark.taken.doubtful{background:#e4e4e4;border-bottom:2px dashed #6b6b6b}
mark.taken:target,mark.taken.on{outline:2px solid #1f5f8b}
span.untaken{border-bottom:2px dotted #7b5ea7;color:#4b3a6b}
span.dismissed{text-decoration:line-through;text-decoration-color:#a33;color:#7a3030;cursor:pointer}
span.untaken{cursor:pointer}
mark.audit{cursor:pointer;padding:0 1px}mark.audit.agrees{background:#cdebc5;border-bottom:2px solid #3d8b37}
mark.audit.differs{background:#f9c9c3;border-bottom:2px solid #b3261e}
.on{outline:2px solid #1f5f8b}
#detail h3{font-size:1rem;margin:.2rem 0}#detail dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.3rem 0}
#detail dt{font-weight:bold}#detail dd{margin:0}
.entries li{margin:.35rem 0}.entries .what{color:#444;font-size:.9rem}
.downloads{border:1px dashed #8aa;padding:.3rem 1rem;background:#f7fafb}
.legend span,.legend mark{margin-right:1rem}
#detail{position:sticky;top:0;background:#eef4f8;border:1px solid #bcd;padding:.5rem 1rem;min-height:2.5rem;font-size:.9rem;
max-height:40vh;overflow-y:auto}
.rows td{font-size:.85rem}
.doc pre{background:#f6f8fa;padding:.6rem .8rem;overflow-x:auto;font-size:.85rem}
.doc code{background:#f3f3f3;padding:0 .2rem;font-size:.9em}.doc pre code{background:none;padding:0}
.doc table{display:block;overflow-x:auto;margin:.6rem 0}.doc img{max-width:100%}
.doc .generated{color:#555;font-size:.85rem}
"""

SCRIPT = """
function show(m) {
  document.querySelectorAll('.on').forEach(function (x) { x.classList.remove('on'); });
  m.classList.add('on');
  var d = JSON.parse(m.getAttribute('data-detail'));
  var box = document.getElementById('detail');
  box.textContent = '';
  var h = document.createElement('h3'); h.textContent = d.head; box.appendChild(h);
  var dl = document.createElement('dl');
  d.items.forEach(function (kv) {
    var dt = document.createElement('dt'); dt.textContent = kv[0];
    var dd = document.createElement('dd'); dd.textContent = kv[1];
    dl.appendChild(dt); dl.appendChild(dd);
  });
  box.appendChild(dl);
}
document.addEventListener('click', function (e) {
  var m = e.target.closest('[data-detail]');
  if (m) show(m);
});
document.addEventListener('keydown', function (e) {
  if (e.key === 'Enter' && e.target.hasAttribute && e.target.hasAttribute('data-detail')) show(e.target);
});
"""


def _page(title: str, body: str, depth: int = 0, script: str = "") -> str:
    up = "../" * depth
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>'
            f'<body><main><p><a href="{up}index.html">← minsheng-analysis</a></p>{body}</main>'
            + (f"<script>{script}</script>" if script else "") + "</body></html>\n")


def _write(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def offline(page: str) -> str:
    """Remove what a page would fetch from the network (nbconvert's require.js and MathJax script tags)."""
    page = re.sub(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", "", page)
    page = re.sub(r"<link[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", "", page)
    # MathJax configuration blocks are useless without MathJax
    return re.sub(r"<script type=\"text/x-mathjax-config\">.*?</script>", "", page, flags=re.S)


def notebook_page(path: Path) -> str:
    """Render one saved notebook (as it is, outputs included) to a self-contained HTML page.

    Each embedded chart image gets its chart's title (the output's text) as its alt text.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    page, _ = _exporter().from_notebook_node(nb)
    titles = [html.escape("".join(o.get("data", {}).get("text/plain", "")), quote=True)
              for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    for t in titles:  # in output order: nbconvert writes the same placeholder for each
        page = page.replace('alt="No description has been provided for this image"', f'alt="{t}"', 1)
    return offline(page)


@functools.cache
def _exporter():
    """One nbconvert HTML exporter (lab template) per process: each new one compiles its templates again (~0.1 s a page)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab")


def dismissed_ledger():
    """Return the ledger of dismissed mentions (a function of source_id -> rows with raw_start, match, reason), or None.

    Looked up as ``analysis.clean.ledger.dismissed_mentions``; for a source without a ledger (a translation)
    it returns None, and the review page marks every mention no row took as *not taken*.
    """
    import importlib

    try:
        mod = importlib.import_module("analysis.clean.ledger")
    except ImportError:
        return None
    return getattr(mod, "dismissed_mentions", None)


def _clean_rows(source_id: str, root: Path) -> pd.DataFrame | None:
    """The rows of ``data/clean/<source_id>.csv`` as written, with their CSV line numbers (header = line 1);
    None where the source has no clean CSV."""
    path = _clean_dir(root) / f"{source_id}.csv"
    if not path.exists():
        return None
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df["line"] = range(2, len(df) + 2)
    df["quote_start"] = df["quote_start"].astype(int)
    return df


def _clean_dir(root: Path) -> Path:
    from analysis.core.paths import CLEAN

    return CLEAN if Path(root) == ROOT else Path(root) / "data" / "clean"


QUALIFIER_WORDS = {
    "exact": "exact: the figure as stated",
    "at_least": "at least (≥): the figure or more",
    "more_than": "more than (>): above the figure",
    "about": "about (≈): roughly the figure",
    "at_most": "at most (≤): the figure or less",
    "less_than": "less than (<): below the figure",
    "range": "a range: from the figure to its upper bound",
}
_FLAG_REASON = re.compile(r"\[([a-z_]+): (.*?)\](?=\s*(?:\[[a-z_]+: |$))", re.S)


def note_reasons(note: str) -> tuple[dict[str, str], str]:
    """Split a row's note into the reasons the checks gave for its flags and the rest of the note.

    >>> note_reasons("read as mu [impossible_unit: the translation says 'acres'] [out_of_range: 9 > 5]")
    ({'impossible_unit': "the translation says 'acres'", 'out_of_range': '9 > 5'}, 'read as mu')
    """
    note = str(note or "")
    reasons = {f: why.strip() for f, why in _FLAG_REASON.findall(note)}
    return reasons, " ".join(_FLAG_REASON.sub(" ", note).split())


def _scale(value: float) -> str:
    """A large number as a reader says it: 12470000000 -> '12.47 billion' (empty under a million)."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value / size:,.4g} {word}"
    return ""


def value_words(value, unit: str, qualifier: str, high=None) -> str:
    """Say a value as a reader writes it: ``(1.247e10, 'yuan')`` -> '12,470,000,000 yuan (12.47 billion yuan)'.

    >>> value_words(1.247e10, "yuan", "exact"), value_words(80, "percent", "at_least"), value_words(1.5e4, "persons", "about")
    ('12,470,000,000 yuan (12.47 billion yuan)', '≥ 80%', '≈ 15,000 persons')
    """
    from analysis.compare.tables import fmt_value
    from analysis.metadata.comparability import unit_label

    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    h = float(high) if str(high or "").strip() else None
    said = fmt_value(v, unit, qualifier, h)
    if unit in ("percent", "percentage_points"):
        return said
    label = unit_label(unit)
    big = _scale(v)
    return f"{said} {label}" + (f" ({big} {label})" if big else "")


class _Words:
    """The labels of one repository (codebook, vocabularies), to say a row in words."""

    def __init__(self, root: Path):
        from analysis.metadata.codebook import load_codebook, load_vocabularies

        r = None if Path(root) == ROOT else root
        self.cb = load_codebook(r).set_index("indicator")
        voc = load_vocabularies(r).fillna("")
        self.voc = {(f, v): (le, d) for f, v, le, d in zip(voc["field"], voc["value"], voc["label_en"],
                                                            voc["definition"], strict=True)}

    def indicator(self, ind: str) -> str:
        if ind not in self.cb.index:
            return ind
        return f"{self.cb.at[ind, 'label_en']} · {self.cb.at[ind, 'label_zh']}"

    def label(self, field: str, value: str) -> str:
        return self.voc.get((field, value), (value, ""))[0]

    def said(self, field: str, value: str) -> str:
        """'label: definition' of a vocabulary value (the value itself where it is not in the vocabulary)."""
        label, definition = self.voc.get((field, value), (value, ""))
        return f"{label}: {definition}" if definition else label


def _row_detail(r: dict, source_id: str, w: _Words) -> dict:
    """What a click on a taken figure shows: its row in words."""
    from analysis.compare.tables import period_label
    from analysis.metadata.comparability import unit_label

    reasons, rest = note_reasons(r.get("note", ""))
    flags = [f for f in str(r.get("flags", "")).split(";") if f]
    scope = [w.label("scope", t) for t in str(r.get("scope", "")).split(";") if t]
    items = [("Indicator", w.indicator(r["indicator"])),
             ("Value", value_words(r["value"], r["unit"], r["qualifier"], r.get("high"))),
             ("As written", r["figure"]),
             ("Unit", f"{unit_label(r['unit'])} · {unit_label(r['unit'], 'zh')}"),
             ("Qualifier", QUALIFIER_WORDS.get(r["qualifier"], r["qualifier"]))]
    if r.get("status"):
        items.append(("Status", w.said("status", r["status"])))
    if r.get("period"):
        try:
            items.append(("Period", f"{period_label(r['period'])} ({r['period']})"))
        except (ValueError, KeyError):
            items.append(("Period", r["period"]))
    place = " ".join(x for x in (r.get("city_en", ""), r.get("city_zh", "")) if x)
    if place:
        items.append(("Place", place))
    items.append(("Scope", "; ".join(scope) if scope else "the whole place (no narrower scope stated)"))
    if r.get("denominator"):
        items.append(("Denominator", w.said("denominator", r["denominator"])))
    if r.get("stock_flow"):
        items.append(("Stock or flow", w.said("stock_flow", r["stock_flow"])))
    for f in flags:
        items.append(("Flag", f"{w.label('flag', f)}: {reasons.get(f) or w.said('flag', f).split(': ', 1)[-1]}"))
    if not flags:
        items.append(("Flags", "none"))
    if rest:
        items.append(("Note", rest))
    items += [("Quote", r["quote"]), ("Row", f"data/clean/{source_id}.csv, line {r['line']}")]
    head = ("Taken, doubtful: " if set(flags) & _doubtful() else "Taken: ") + w.indicator(r["indicator"])
    return {"head": head, "items": items}


def _dismissed_detail(d: dict, source_id: str, w: _Words) -> dict:
    reason = str(d.get("reason", ""))
    items = [("Number", str(d["match"])), ("Dismissed as", w.said("dismissal", reason))]
    if str(d.get("row_indicator") or "") and reason == "repeat":
        items.append(("Repeats the row of", w.indicator(str(d["row_indicator"]))))
    if str(d.get("note") or ""):
        items.append(("Note", str(d["note"])))
    items.append(("Ledger", f"data/clean/ledger/{source_id}.csv"))
    return {"head": f"Dismissed: {w.label('dismissal', reason)}", "items": items}


def _untaken_detail(m: dict, why: str) -> dict:
    return {"head": "Not taken", "items": [("Number", str(m["match"])), ("Why", why)]}


def _is_translation(src: dict, root: Path) -> bool:
    from analysis.sources.manifest import load_sources

    of = src.get("translation_of")
    return isinstance(of, str) and bool(of) and of in set(load_sources(root, verify=False)["source_id"])


def review_page(source_id: str, obs: pd.DataFrame, root: Path | None = None, ledger=None) -> tuple[str, int]:
    """Return the provenance review page of one article and the number of highlights (one per clean row).

    A translation of another source of the manifest keeps no clean rows: its page shows the translation
    audit's verdict on each of its numbers instead (:func:`translation_review`; 0 highlights).
    """
    from analysis.clean.observations import untaken_mentions
    from analysis.sources.manifest import body_offset, read_article, source_row

    root = Path(root) if root else ROOT
    src = source_row(source_id, root)
    rows = _clean_rows(source_id, root)
    if rows is None and _is_translation(src, root):
        return translation_review(source_id, root), 0
    raw = read_article(source_id, body_only=False, root=root)
    b0, b1 = body_offset(source_id, root)
    w = _Words(root)
    marks = []  # (start, end, kind, payload)
    for r in ([] if rows is None else rows.to_dict("records")):
        s = r["quote_start"] + r["quote"].index(r["figure"])
        detail = _row_detail(r, source_id, w)
        doubtful = bool(set(str(r["flags"]).split(";")) & _doubtful())
        marks.append((s, s + len(r["figure"]), "taken", {"detail": detail, "doubtful": doubtful, "line": r["line"],
                                                          "tip": f"{w.indicator(r['indicator'])}: {detail['items'][1][1]}"}))
    mine = obs[obs["source_id"].astype(str) == source_id]
    dismissed = ledger(source_id, root=root) if ledger else None
    spans = []
    reasons: dict[str, int] = {}
    if dismissed is not None:
        for d in pd.DataFrame(dismissed).to_dict("records"):
            s = int(d["raw_start"])
            spans.append((s, s + len(str(d["match"]))))
            reasons[str(d.get("reason", ""))] = reasons.get(str(d.get("reason", "")), 0) + 1
            marks.append((s, s + len(str(d["match"])), "dismissed", {"detail": _dismissed_detail(d, source_id, w),
                                                                     "tip": "dismissed: " + w.label("dismissal", str(d.get("reason", "")))}))
    why = ("No row of the clean data takes this quantity, and the ledger does not dismiss it." if dismissed is not None
           else "No row of the clean data takes this quantity, and no ledger of dismissed mentions was found for this source.")
    for m in untaken_mentions(source_id, mine, root=root).to_dict("records"):
        s, e = int(m["raw_start"]), int(m["raw_start"]) + len(m["match"])
        if not any(a < e and s < b for a, b in spans):
            marks.append((s, e, "untaken", {"detail": _untaken_detail(m, why), "tip": "a quantity no row took"}))
    marks.sort(key=lambda m: (m[0], -m[1]))
    text = _marked(raw, b0, b1, marks)
    n_taken = sum(1 for m in marks if m[2] == "taken")
    n_untaken = sum(1 for m in marks if m[2] == "untaken")
    clean = f"<code>data/clean/{html.escape(source_id)}.csv</code>"
    if dismissed is not None:
        by = ", ".join(f"{html.escape(w.label('dismissal', r))} {n}" for r, n in sorted(reasons.items(), key=lambda x: (-x[1], x[0])))
        dis = (f'<span class="dismissed">dismissed</span> {sum(reasons.values())} by the ledger '
               f"<code>data/clean/ledger/{html.escape(source_id)}.csv</code>" + (f" ({by})" if by else "") + "; ")
    else:
        dis = "no ledger of dismissed mentions was found for this source; "
    taken = (f"{n_taken} figure(s) taken, one per row of {clean}" if rows is not None
             else "no figure taken: this source has no clean CSV")
    legend = (f'<p class="legend"><mark class="taken">taken</mark> {taken}; '
              f'<mark class="taken doubtful">doubtful</mark> (a flag says why); {dis}'
              f'<span class="untaken">not taken</span> {n_untaken}; '
              f'<span class="furniture">website furniture</span> (outside the article body, never data). '
              "Click any marked number for its details in words.</p>")
    table = "" if rows is None else (
        '<h2>The rows</h2><table class="rows"><tr><th>line</th><th>indicator</th><th>figure</th><th>value</th>'
        "<th>qualifier</th><th>flags</th></tr>" + "".join(
            f'<tr><td><a href="#row-{r["line"]}">{r["line"]}</a></td><td>{_h(w.indicator(r["indicator"]))}</td>'
            f'<td>{_h(r["figure"])}</td><td>{_h(value_words(r["value"], r["unit"], r["qualifier"], r.get("high")))}</td>'
            f'<td>{_h(QUALIFIER_WORDS.get(r["qualifier"], r["qualifier"]).split(":")[0])}</td>'
            f'<td>{_h(", ".join(w.label("flag", f) for f in str(r["flags"]).split(";") if f))}</td></tr>'
            for r in rows.to_dict("records")) + "</table>")
    body = (_review_head(src) + legend
            + '<div id="detail" aria-live="polite">Click a marked number to see it in words.</div>'
            f'<div class="article">{text}</div>{table}')
    return _page(f"Review: {src['title']}", body, depth=1, script=SCRIPT), n_taken


def _h(text) -> str:
    """Escape a value for HTML, its bidi and line-separator characters shown as [U+202E]."""
    return html.escape(show_controls(str(text)))


def _review_head(src: dict) -> str:
    from analysis.sources.manifest import date_label

    return (f"<h1>Provenance review: “{_h(src['title'])}”</h1>"
            f"<p>{_h(src['outlet'])}, {_h(date_label(src))}; <code>{_h(src['source_id'])}</code>. "
            f"Raw file <code>{_h(src['path'])}</code> (sha256 {_h(str(src['sha256'])[:12])}…), "
            f"kind: {_h(src['kind'])}, language: {_h(src['language'])}.</p>")


def audit_notebooks(translation_id: str, root: Path | None = None) -> list[str]:
    """The notebooks (stems) that audit a translation: they call the translation audit and name its source id."""
    from analysis.suite.pipeline import notebook_paths

    root = Path(root) if root else ROOT
    out = []
    for nb in notebook_paths(root / "notebooks"):
        text = nb.read_text(encoding="utf-8")
        if "translation_audit" in text and translation_id in text:
            out.append(nb.stem)
    return out


def translation_review(source_id: str, root: Path | None = None) -> str:
    """The review page of a translation of another source: each of its numbers with the translation audit's
    verdict in words (agrees, ten times, unit lost, ...); the original's numbers the translation dropped listed
    under the article. No clean rows are claimed: the analysis uses the original's."""
    from analysis.clean.audit import error_words, translation_audit
    from analysis.clean.ledger import translation_accounts
    from analysis.sources.manifest import body_offset, read_article, source_row

    root = Path(root) if root else ROOT
    r_ = None if root == ROOT else root
    src = source_row(source_id, root)
    original = src["translation_of"]
    osrc = source_row(original, root)
    w = _Words(root)
    raw = read_article(source_id, body_only=False, root=root)
    b0, b1 = body_offset(source_id, root)
    audit = translation_audit(original, source_id, r_)
    paired = audit[audit["en_figure"] != ""]
    spans = [(int(q) + quote.index(f), int(q) + quote.index(f) + len(f), row) for q, quote, f, row in
             zip(paired["en_quote_start"], paired["en_quote"], paired["en_figure"], paired.to_dict("records"), strict=True)]
    marks, verdicts, kinds = [], {}, {}
    audit_csv = "data/clean/translation_audit.csv"
    for m in translation_accounts(source_id, r_).to_dict("records"):
        s, e = int(m["raw_start"]), int(m["raw_start"]) + len(m["match"])
        hits = [row for a, b, row in spans if a < e and s < b]
        if m["account"] == "audited" and hits:
            a = hits[0]
            ok = a["error_kind"] == "ok"
            verdict = error_words(a["error_kind"])
            for k in str(a["error_kind"]).split(";"):
                verdicts[k] = verdicts.get(k, 0) + 1
            items = [("Number", str(m["match"])), ("Audit verdict", verdict),
                     ("The translation reads", value_words(a["en_value"], a["en_unit"], a["en_qualifier"]))]
            if a["zh_figure"]:
                items += [("The original says", f"{a['zh_figure']} ({value_words(a['zh_value'], a['zh_unit'], a['zh_qualifier'])})"),
                          ("In the original's sentence", a["zh_quote"])]
            items += [("Which value counts", f"the original's ({original}): the analysis uses the Chinese values"),
                      ("Audit", (f"{audit_csv} (every disagreement)" if not ok else
                                 f"agreeing pairs are not written to {audit_csv}, which lists the disagreements"))]
            head = ("Audit: agrees with the original" if ok else "Audit: " + verdict.split(":")[0].split(" (")[0])
            marks.append((s, e, "audit", {"detail": {"head": head, "items": items}, "ok": ok, "tip": verdict}))
        elif m["account"] == "dismissed":
            kinds[m["kind"]] = kinds.get(m["kind"], 0) + 1
            marks.append((s, e, "dismissed", {"detail": {"head": f"Dismissed by its kind: {w.label('dismissal', m['kind'])}",
                                                         "items": [("Number", str(m["match"])),
                                                                   ("Dismissed as", w.said("dismissal", m["kind"])),
                                                                   ("Why here", "a translation keeps no ledger: its mentions of "
                                                                    "this kind are dismissed by their kind when they read as no amount")]},
                                              "tip": "dismissed: " + w.label("dismissal", m["kind"])}))
        else:
            marks.append((s, e, "untaken", {"detail": _untaken_detail(m, "The translation audit pairs this quantity with no "
                                                                         "figure of the original."), "tip": "not in the audit"}))
    marks.sort(key=lambda m: (m[0], -m[1]))
    text = _marked(raw, b0, b1, marks)
    n_ok = sum(1 for m in marks if m[2] == "audit" and m[3]["ok"])
    n_off = sum(1 for m in marks if m[2] == "audit" and not m[3]["ok"])
    dropped = audit[audit["error_kind"] == "dropped"]
    from analysis.clean.audit import ERROR_WORDS

    by_kind = ", ".join(f"{_h(ERROR_WORDS.get(k, k).split(':')[0].split(' (')[0])} {n}"
                        for k, n in sorted(verdicts.items(), key=lambda x: (-x[1], x[0])) if k != "ok")
    by_dis = ", ".join(f"{_h(w.label('dismissal', k))} {n}" for k, n in sorted(kinds.items(), key=lambda x: (-x[1], x[0])))
    nbs = audit_notebooks(source_id, root)
    links = " and ".join(f'the notebook <a href="../notebooks/{_h(n)}.html">{_h(notebook_intro(root / "notebooks" / f"{n}.ipynb")[0])}</a>'
                         for n in nbs)
    legend = (f'<p class="legend">A machine translation of <a href="{_h(original)}.html">“{_h(osrc["title"])}”</a> '
              f"(<code>{_h(original)}</code>). It has no clean rows of its own: the analysis uses the original's figures, "
              f"and the translation audit ({links + ', ' if links else ''}"
              f'<a href="../{audit_csv}">{audit_csv}</a>) pairs each number of the translation with the original\'s. '
              f'<mark class="audit agrees">agrees</mark> {n_ok}; <mark class="audit differs">differs</mark> {n_off}'
              + (f" ({by_kind})" if by_kind else "")
              + f'; <span class="dismissed">dismissed by its kind</span> {sum(kinds.values())}' + (f" ({by_dis})" if by_dis else "")
              + f"; numbers of the original the translation dropped: {len(dropped)} (listed under the article); "
              '<span class="furniture">website furniture</span> (outside the article body). '
              "Click any marked number for the audit's verdict in words.</p>")
    table = "" if dropped.empty else (
        "<h2>Numbers of the original the translation dropped</h2><table class=\"rows\"><tr><th>figure</th><th>value</th>"
        "<th>the original's sentence</th></tr>" + "".join(
            f"<tr><td>{_h(d['zh_figure'])}</td><td>{_h(value_words(d['zh_value'], d['zh_unit'], d['zh_qualifier']))}</td>"
            f"<td>{_h(d['zh_quote'])}</td></tr>" for d in dropped.to_dict("records")) + "</table>")
    body = (_review_head(src) + legend
            + '<div id="detail" aria-live="polite">Click a marked number to see the audit\'s verdict.</div>'
            f'<div class="article">{text}</div>{table}')
    return _page(f"Review: {src['title']}", body, depth=1, script=SCRIPT)


def _doubtful() -> set[str]:
    from analysis.compare.tables import doubtful_flags

    return doubtful_flags()


def _detail_attr(detail: dict) -> str:
    """The details a click shows, as a data attribute: JSON, every string with its bidi characters shown, escaped."""
    shown = {"head": show_controls(str(detail["head"])),
             "items": [[show_controls(str(k)), show_controls(str(v))] for k, v in detail["items"]]}
    return f"data-detail='{html.escape(json.dumps(shown, ensure_ascii=False), quote=True)}'"


def _marked(raw: str, b0: int, b1: int, marks: list) -> str:
    """The raw text as HTML: furniture outside [b0, b1) greyed, each mark wrapped (nested marks nest; a mark
    that overlaps an earlier one partly is cut at the earlier one's end, so that the HTML stays well formed)."""
    events = []  # (position, order, html)
    stack_end = []
    for s, e, kind, p in marks:
        while stack_end and stack_end[-1] <= s:
            stack_end.pop()
        if stack_end and e > stack_end[-1]:
            e = stack_end[-1]  # partial overlap: keep it inside the enclosing mark
        attrs = f'tabindex="0" title="{html.escape(show_controls(p["tip"]), quote=True)}" {_detail_attr(p["detail"])}'
        if kind == "taken":
            cls = "taken doubtful" if p["doubtful"] else "taken"
            open_, close = f'<mark class="{cls}" id="row-{p["line"]}" {attrs}>', "</mark>"
        elif kind == "audit":
            open_, close = f'<mark class="audit {"agrees" if p["ok"] else "differs"}" {attrs}>', "</mark>"
        else:
            open_, close = f'<span class="{kind}" {attrs}>', "</span>"
        events.append((s, 1, len(events), open_))
        events.append((e, 0, -len(events), close))
        stack_end.append(e)
    events.append((b0, -1, 0, "</span>"))  # furniture ends before any mark opens at the body's start
    events.append((b1, 0.5, 0, '<span class="furniture">'))  # and starts again after the marks that end with the body
    events.sort(key=lambda ev: (ev[0], ev[1], ev[2]))
    out, at = ['<span class="furniture">'], 0
    for pos, _, _, tag in events:  # bidi and line-separator characters of the article shown as [U+202E]
        out.append(html.escape(show_controls(raw[at:pos])))
        out.append(tag)
        at = pos
    out.append(html.escape(show_controls(raw[at:])) + "</span>")
    return "".join(out)


def doc_sources(root: Path | None = None) -> list[str]:
    """The Markdown pages the site renders, repository-relative: README.md, docs/*.md, docs/reference/*.md."""
    root = Path(root) if root else ROOT
    pages = ["README.md"] if (root / "README.md").is_file() else []
    for d in ("docs", "docs/reference"):
        pages += sorted(p.relative_to(root).as_posix() for p in (root / d).glob("*.md") if p.is_file())
    return pages


def doc_target(rel: str) -> str:
    """Where a Markdown page of the repository lands in the site: README.md -> readme.html, docs/x.md -> docs/x.html."""
    return "readme.html" if rel == "README.md" else rel[: -len(".md")] + ".html"


def _doc_renderer():
    import mistune

    from analysis.suite.refdocs import slug

    class DocRenderer(mistune.HTMLRenderer):
        """HTML with GitHub's heading anchors and every relative link passed through ``fix``."""

        def __init__(self, fix):
            super().__init__(escape=False)  # the pages are ours; the reference tables use <br> in cells
            self.fix, self.seen = fix, {}

        def heading(self, text: str, level: int, **attrs) -> str:
            base = slug(html.unescape(re.sub(r"<[^>]+>", "", text)))
            n = self.seen.get(base, 0)
            self.seen[base] = n + 1
            return f'<h{level} id="{base if n == 0 else f"{base}-{n}"}">{text}</h{level}>\n'

        def link(self, text: str, url: str, title=None) -> str:
            return super().link(text, self.fix(url), title)

        def image(self, text: str, url: str, title=None) -> str:
            return super().image(text, self.fix(url), title)

    return DocRenderer


def markdown_html(text: str, fix=lambda url: url) -> str:
    """Render Markdown (GitHub flavour: tables, strikethrough) to HTML, each link and image URL passed through ``fix``."""
    import mistune

    md = mistune.create_markdown(renderer=_doc_renderer()(fix), plugins=["table", "strikethrough"])
    return md(text)


def _site_url(url: str, page: str, md_map: dict, root: Path, out: Path) -> str:
    """Rewrite one relative URL of the Markdown page ``page`` (repository-relative) for the site.

    A link to a rendered page goes to its HTML, a notebook to its HTML page; any other file of the
    repository is copied into the site at the same relative place (charts are there already). Absolute
    URLs, in-page anchors and links that leave the repository are left as they are.
    """
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) or url.startswith(("#", "/")):
        return url
    path, hash_, frag = url.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path)))
    if target == ".." or target.startswith(("../", ".git")):
        return url
    if target in md_map:
        site_target = md_map[target]
    elif target.startswith("notebooks/") and target.endswith(".ipynb"):
        site_target = f"notebooks/{posixpath.basename(target)[: -len('.ipynb')]}.html"
    else:
        site_target = target
        src, dst = root / target, out / target
        if src.is_file() and not dst.exists():
            copy_atomic(src, dst)
    here = posixpath.dirname(md_map[page]) or "."
    return posixpath.relpath(site_target, here) + hash_ + frag


def build_docs(out: Path, root: Path | None = None) -> list[tuple[str, str, str]]:
    """Render README.md and every page of docs/ into ``out``; return (site path, title, description) of each, in
    order: the description is the first sentence of the page's first paragraph of prose (:func:`intro`)."""
    root = Path(root) if root else ROOT
    sources = doc_sources(root)
    md_map = {rel: doc_target(rel) for rel in sources}
    done = []
    for rel in sources:
        text = (root / rel).read_text(encoding="utf-8")
        body = markdown_html(text, lambda url, rel=rel: _site_url(url, rel, md_map, root, out))
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", body, flags=re.S)
        title = html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))).strip() if h1 else rel
        body = (f'<p class="generated">Rendered from <code>{html.escape(rel)}</code> of the repository.</p>'
                f'<div class="doc">{body}</div>')
        target = md_map[rel]
        _write(out / target, _page(title, body, depth=target.count("/")))
        done.append((target, title, intro(text)[1]))
    return done


def _plain(md: str) -> str:
    """Markdown inline text as plain text: emphasis, code marks and link targets dropped, the words kept."""
    md = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", md)
    md = re.sub(r"(\*\*|__|`)", "", md)
    md = re.sub(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])", r"\1", md)
    return " ".join(md.split())


def _first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence of a paragraph of plain text, cut at a word near ``limit`` characters."""
    first = re.split(r"(?<=[.?!])\s+(?=[A-Z0-9“\"(])|(?<=[。？！])", text, maxsplit=1)[0].strip()
    if len(first) > limit:
        first = first[:limit].rsplit(" ", 1)[0].rstrip(",;: ") + " …"
    return first


def intro(markdown: str) -> tuple[str, str]:
    """(title, description) of a Markdown page or notebook: its first heading, and the first sentence of its
    first paragraph of prose after it (a leading run-in label such as **Question.** left out).

    >>> intro("# Employment\\n\\n**Question.** How many jobs? Caveats follow.\\n\\n- a list")
    ('Employment', 'How many jobs?')
    """
    lines = markdown.splitlines()
    head = next((i for i, line in enumerate(lines) if re.match(r"#{1,6}\s", line)), None)
    title = _plain(re.sub(r"^#{1,6}\s+", "", lines[head]).strip()) if head is not None else ""
    paragraphs, cur, fence = [], [], False
    for line in lines[(head + 1) if head is not None else 0:] + [""]:
        if line.lstrip().startswith("```"):
            fence = not fence
            cur = []
            continue
        if fence:
            continue
        if line.strip():
            cur.append(line.strip())
            continue
        if cur:
            paragraphs.append(cur)
        cur = []
    prose = [" ".join(p) for p in paragraphs
             if not re.match(r"(#|[-*+] |\d+\. |\||>|<|!\[|_Generated)", p[0])]
    if not prose:
        return title, ""
    text = re.sub(r"^\*\*[^*]{1,40}[.:]\*\*\s*(?=\S)", "", prose[0])
    return title, _first_sentence(_plain(text))


def notebook_intro(path: Path) -> tuple[str, str]:
    """(title, description) of a notebook: the first heading of its first Markdown cell and its first sentence."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            title, what = intro("".join(cell.get("source", "")))
            if title:
                return title, what
    return path.stem, ""


def _bundle_files(figures: Path) -> set[str]:
    """Every file a chart bundle (figures/<chart>.json) names, the bundle itself included."""
    names = set()
    for b in figures.glob("*.json"):
        try:
            d = json.loads(b.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(d, dict) and isinstance(d.get("files"), dict):
            names |= {str(v) for v in d["files"].values()} | {b.name}
    return names


def _csv_summary(path: Path) -> str:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError):
        return "a CSV table"
    cols = ", ".join(df.columns[:6]) + (", …" if len(df.columns) > 6 else "")
    return f"CSV, {len(df):,} rows; columns {cols}"


# the workbooks the index offers (their files: analysis.compare.export.WORKBOOKS): language -> title, what it holds
WORKBOOK_WORDS = {
    "en": ("The comparison workbook, English (Excel)",
           "One table per sheet with one header row, to sort, filter and pivot: a README sheet, one sheet per "
           "comparison, every observation and its provenance, the sources, their raw files and references, the "
           "translation audit; prints at 7 pt or more."),
    "zh": ("The comparison workbook, Chinese (Excel)", "The same workbook in Chinese: sheet names, headers, labels, "
           "units and notes."),
}


def downloads(figures: Path, clean: Path, titles: dict[str, str]) -> list[tuple[str, str, str]]:
    """The data files the index offers to download, as (site path, title, description):

    every CSV of ``figures/`` that belongs to no chart bundle (a flat table of all observations, when one is
    written), then ``data/clean/datapackage.json``, the translation audit and one ledger per source.
    ``titles``: source_id -> the article's title (for the ledgers). The site copies ``data/clean`` to the
    same place, so every link resolves inside it.
    """
    out = []
    charts = _bundle_files(figures)
    for f in sorted(figures.glob("*.csv"), key=lambda p: (p.name != DOWNLOAD_NAME, p.name)):  # the complete one first
        if f.name not in charts and not f.name.startswith("."):
            if f.name == DOWNLOAD_NAME:
                out.append((f"figures/{f.name}", "Every figure in one tidy CSV (the complete download)",
                            "Every row of data/clean with the English and Chinese labels of its indicator, unit, "
                            "status and scope, its period's first and last day, the value as said and as the article "
                            "wrote it, flags in words, the quote and where it stands in the raw file, and its source's "
                            "title, outlet, date, URL, licence and citation; " + _csv_summary(f).split("; columns")[0]))
                continue
            out.append((f"figures/{f.name}", f.stem.replace("_", " ").capitalize(), _csv_summary(f)))
    pkg = clean / "datapackage.json"
    if pkg.is_file():
        try:
            d = json.loads(pkg.read_text(encoding="utf-8"))
        except ValueError:
            d = {}
        out.append(("data/clean/datapackage.json", f"Data package: {d.get('title') or 'the clean data'}",
                    (d.get("description") or "") + f" Describes {len(d.get('resources', []))} CSV files "
                    "(frictionless Table Schema), which sit beside it."))
    audit = clean / "translation_audit.csv"
    if audit.is_file():
        out.append(("data/clean/translation_audit.csv", "Translation audit: every disagreement of a machine "
                    "translation with its original", _csv_summary(audit)))
    for f in sorted((clean / "ledger").glob("*.csv")):
        title = titles.get(f.stem, f.stem)
        out.append((f"data/clean/ledger/{f.name}", f"Ledger: “{title}”",
                    "Every number of the article body, taken by a row or dismissed with its reason; "
                    + _csv_summary(f).split("; columns")[0]))
    return out


def _entry(href: str, title: str, what: str) -> str:
    return (f'<li><a href="{html.escape(href, quote=True)}">{_h(title)}</a>'
            + (f'<br><span class="what">{_h(what)}</span>' if what else "") + "</li>")


def _copy_clean(clean: Path, out: Path) -> None:
    """Copy the published clean data (CSV files, datapackage.json, the ledger) to ``out/data/clean``."""
    for f in sorted([*clean.glob("*.csv"), *clean.glob("datapackage.json"), *(clean / "ledger").glob("*.csv")]):
        if f.is_file() and not f.name.startswith("."):
            copy_atomic(f, out / "data" / "clean" / f.relative_to(clean))


class SiteError(ValueError):
    """The site cannot be built where asked; the message says why and where it can."""


def _check_out(out: Path, root: Path) -> None:
    """Refuse an output folder that holds the repository or lies in one of its source folders (the site copies
    figures and pages into it: it would overwrite the repository's own files)."""
    o, r = Path(out).resolve(), Path(root).resolve()
    inside = [d for d in ("data", "figures", "notebooks", "analysis", "docs", "tests", "tools", ".git")
              if o == r / d or (r / d) in o.parents]
    if o == r or o in r.parents or inside:
        raise SiteError(f"--out {out}: the site would be written over the repository's own files; "
                        f"use a new folder (the default is {SITE_REL}, or one outside the repository)")
    if o.exists() and not o.is_dir():
        raise SiteError(f"--out {out}: not a folder")


def build_site(out: Path | None = None, root: Path | None = None, log=print) -> Path:
    """Build the static site into ``out`` (default ``build/site``); return the path of its ``index.html``.

    Holds the repository's run lock (:func:`analysis.suite.state.suite_lock`) while it builds: a ``make``
    running beside it finishes first, so the site is built from one consistent state of the outputs.
    """
    from analysis.suite.state import suite_lock

    with suite_lock(Path(root) if root else ROOT, log):
        return _build_site(out, root, log)


def _build_site(out: Path | None, root: Path | None, log) -> Path:
    from analysis.clean.load import load_observations
    from analysis.core.paths import FIGURES
    from analysis.sources.manifest import load_sources
    from analysis.suite.pipeline import notebook_paths

    root = Path(root) if root else ROOT
    out = Path(out) if out else root / SITE_REL
    _check_out(out, root)
    if out.is_dir():  # temp files a killed build left
        for tmp in out.rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)
    from analysis.clean.validate import check_all

    problems = check_all(root if root != ROOT else None)  # the whole rulebook, as_built too: no hand edit is published
    if problems:
        raise SiteError(f"nothing published: {len(problems)} problem(s) in the data (run `make`, which rebuilds what a "
                        "hand edit changed, or fix the notebook's lists):\n  " + "\n  ".join(str(p) for p in problems))
    obs = load_observations(root=root if root != ROOT else None, validate_rows=False)  # the rulebook just checked them
    sources = load_sources(root)
    figures = root / "figures" if root != ROOT else FIGURES
    (out / "figures").mkdir(parents=True, exist_ok=True)
    for f in sorted(figures.glob("*")):
        if f.is_file() and not f.name.startswith("."):
            copy_atomic(f, out / "figures" / f.name)
    nb_links = []
    for nb in notebook_paths(root / "notebooks"):
        _write(out / "notebooks" / f"{nb.stem}.html", notebook_page(nb))
        nb_links.append((f"notebooks/{nb.stem}.html", *notebook_intro(nb)))
    docs = build_docs(out, root)
    clean = _clean_dir(root)
    _copy_clean(clean, out)
    ledger = dismissed_ledger()
    reviews = []
    for sid in sources["source_id"]:
        page, n = review_page(sid, obs, root, ledger)
        _write(out / "review" / f"{sid}.html", page)
        reviews.append((sid, n))
    charts = sorted(p.stem for p in figures.glob("*.png"))
    words = _Words(root)  # one set of labels for every chart's line
    bundles = {c: _bundle(figures / f"{c}.json") for c in charts}  # each bundle read once
    gallery = "".join(
        f'<figure><a href="figures/{c}.png"><img src="figures/{c}.png" alt="{html.escape(_title(bundles[c], c), quote=True)}"></a>'
        f'<figcaption><b>{_h(_title(bundles[c], c))}</b><br><span class="what">{_h(_chart_what(bundles[c], words))}</span>'
        f'<br><a href="figures/{c}.png">PNG</a> · '
        f'<a href="figures/{c}.svg">SVG</a> · <a href="figures/{c}.csv">data (CSV)</a> · <a href="figures/{c}.json">about (JSON)</a>'
        f"</figcaption></figure>" for c in charts)
    src = sources.set_index("source_id")
    titles = {s: str(src.at[s, "title"]) for s in src.index}
    review_items = "".join(_entry(f"review/{s}.html", titles[s], _review_what(src.loc[s], n, s, root)) for s, n in reviews)
    books = [(f"figures/{WORKBOOKS[lang]}", *WORKBOOK_WORDS[lang]) for lang in WORKBOOKS if (figures / WORKBOOKS[lang]).exists()]
    down = downloads(figures, clean, titles)
    body = ("<h1>民生 figures: livelihood reports of Chinese cities as tidy, sourced data</h1>"
            "<p>Every figure carries its source, its verbatim quote and the quote's place in the raw file. "
            "This site is built offline from the repository (<code>make site</code>); it loads nothing from the network.</p>"
            '<h2>Documentation</h2><ul class="entries">' + "".join(_entry(t, title, what) for t, title, what in docs)
            + '</ul><h2>Notebooks</h2><ul class="entries">' + "".join(_entry(h, t, w) for h, t, w in nb_links)
            + '</ul><h2>Workbook</h2><ul class="entries">'
            + ("".join(_entry(h, t, w) for h, t, w in books) or "<li>not built (run <code>make</code>)</li>")
            + '</ul><h2 id="downloads">Downloads</h2><div class="downloads"><p class="what">The data as files: '
            "every flat table of the figures (when one is written), the data package of the clean CSVs, the "
            'translation audit and each article\'s ledger.</p><ul class="entries">'
            + ("".join(_entry(h, t, w) for h, t, w in down) or "<li>nothing to download yet (run <code>make</code>)</li>")
            + '</ul></div><h2>Provenance review, one page per article</h2><ul class="entries">' + review_items
            + f'</ul><h2>Charts</h2><div class="gallery">{gallery}</div>')
    index = out / "index.html"
    _write(index, _page("minsheng-analysis", body))
    log(f"site: {len(nb_links)} notebooks, {len(reviews)} review pages, {len(charts)} charts, {len(docs)} documentation "
        f"pages -> {index.parent}")
    return index


def _bundle(bundle_json: Path) -> dict:
    """A chart's bundle JSON (empty where it cannot be read)."""
    try:
        d = json.loads(bundle_json.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return d if isinstance(d, dict) else {}


def _chart_what(d: dict, w: _Words) -> str:
    """One line about a chart, from its bundle ``d``: language, what it measures and its indicators in words."""
    if not d:
        return ""
    lang = {"en": "In English", "zh": "In Chinese (中文)"}.get(d.get("language"), "")
    metric = {"value": "the figures as reported", "per_10k": "per 10,000 residents"}.get(d.get("metric"), "")
    inds = [w.indicator(i).split(" · ")[0] for i in d.get("indicators", [])]
    return "; ".join(x for x in (lang, metric, ", ".join(inds)) if x)


def _review_what(s, n: int, sid: str, root: Path) -> str:
    """One line about an article's review page: outlet, date, kind, language, and what the page marks."""
    from analysis.sources.manifest import date_label

    head = f"{s['outlet']}, {date_label(s)}; {s['kind']}, period {s['period']}, language {s['language']}"
    if _is_translation({**s.to_dict(), "source_id": sid}, root) and not (_clean_dir(root) / f"{sid}.csv").exists():
        return f"{head}. A machine translation of {s['translation_of']}: each number with the translation audit's verdict"
    return f"{head}. {n} figure(s) taken, each with its row in words"


def _title(d: dict, stem: str) -> str:
    """A chart's title from its bundle ``d`` (its file name where the bundle has none)."""
    return d["title"] if isinstance(d.get("title"), str) else stem
