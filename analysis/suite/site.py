"""A static site of the suite, built offline: ``make site`` (``python -m analysis site``) -> ``build/site/``.

What it holds
- ``index.html``: the notebooks, the charts (PNG, SVG and each chart's data bundle), the workbook, and
  one provenance review page per article of the manifest.
- ``notebooks/<name>.html``: every notebook as saved (with its outputs: tables, and the charts embedded
  as images), rendered by nbconvert's ``lab`` template. Not re-executed: ``make`` keeps them current.
- ``review/<source_id>.html``: the raw article as stored, with every figure a clean row took
  highlighted (hover: indicator, value, unit, qualifier, flags and the row of ``data/clean/<id>.csv``;
  click: the row in full), the mentions no row took marked differently, and the website furniture
  outside the article body greyed out, so an editor checks a whole source in one read.
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
  ``raw_start``, ``match`` and ``reason``; absent, the page says that no ledger was found.
- **Headings get GitHub's anchors** (:func:`analysis.suite.refdocs.slug`), so that a link such as
  ``outputs.md#the-site`` works the same on GitHub and in the site.
- Output goes to ``build/site`` (git-ignored); each file is written atomically. Pages hold no build
  date or absolute path.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

import pandas as pd

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
.gallery figure{margin:0;border:1px solid #ddd;padding:.5rem}.gallery img{width:100%}
.article{white-space:pre-wrap;font-size:1rem;border:1px solid #ddd;padding:1rem;background:#fcfcfc}
.furniture{color:#9a9a9a;background:#f1f1f1}
mark.taken{background:#ffe08a;border-bottom:2px solid #c48a00;cursor:pointer;padding:0 1px}
mark.taken.doubtful{background:#e4e4e4;border-bottom:2px dashed #6b6b6b}
mark.taken:target,mark.taken.on{outline:2px solid #1f5f8b}
span.untaken{border-bottom:2px dotted #7b5ea7;color:#4b3a6b}
span.dismissed{text-decoration:line-through;text-decoration-color:#a33;color:#7a3030}
.legend span,.legend mark{margin-right:1rem}
#detail{position:sticky;top:0;background:#eef4f8;border:1px solid #bcd;padding:.5rem 1rem;min-height:2.5rem;font-size:.9rem}
.rows td{font-size:.85rem}
.doc pre{background:#f6f8fa;padding:.6rem .8rem;overflow-x:auto;font-size:.85rem}
.doc code{background:#f3f3f3;padding:0 .2rem;font-size:.9em}.doc pre code{background:none;padding:0}
.doc table{display:block;overflow-x:auto;margin:.6rem 0}.doc img{max-width:100%}
.doc .generated{color:#555;font-size:.85rem}
"""

SCRIPT = """
document.addEventListener('click', function (e) {
  var m = e.target.closest('mark.taken');
  if (!m) return;
  document.querySelectorAll('mark.on').forEach(function (x) { x.classList.remove('on'); });
  m.classList.add('on');
  var d = JSON.parse(m.getAttribute('data-row'));
  var box = document.getElementById('detail');
  box.textContent = '';
  Object.keys(d).forEach(function (k) {
    var b = document.createElement('b'); b.textContent = k + ': ';
    box.appendChild(b); box.appendChild(document.createTextNode(d[k] + '   '));
  });
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
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    page, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    titles = [html.escape("".join(o.get("data", {}).get("text/plain", "")), quote=True)
              for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    for t in titles:  # in output order: nbconvert writes the same placeholder for each
        page = page.replace('alt="No description has been provided for this image"', f'alt="{t}"', 1)
    return offline(page)


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


def _clean_rows(source_id: str, root: Path) -> pd.DataFrame:
    """The rows of ``data/clean/<source_id>.csv`` as written, with their CSV line numbers (header = line 1)."""
    from analysis.core.paths import CLEAN

    clean = CLEAN if root == ROOT else Path(root) / "data" / "clean"
    path = clean / f"{source_id}.csv"
    if not path.exists():
        return pd.DataFrame(columns=["quote", "quote_start", "figure", "line"])
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df["line"] = range(2, len(df) + 2)
    df["quote_start"] = df["quote_start"].astype(int)
    return df


def review_page(source_id: str, obs: pd.DataFrame, root: Path | None = None, ledger=None) -> tuple[str, int]:
    """Return the provenance review page of one article and the number of highlights (one per clean row)."""
    from analysis.clean.observations import untaken_mentions
    from analysis.sources.manifest import body_offset, date_label, read_article, source_row

    root = Path(root) if root else ROOT
    raw = read_article(source_id, body_only=False, root=root)
    b0, b1 = body_offset(source_id, root)
    rows = _clean_rows(source_id, root)
    src = source_row(source_id, root)
    marks = []  # (start, end, kind, payload)
    for r in rows.to_dict("records"):
        s = r["quote_start"] + r["quote"].index(r["figure"])
        info = {"indicator": r["indicator"], "value": r["value"], "unit": r["unit"], "qualifier": r["qualifier"],
                "status": r.get("status", ""), "period": r.get("period", ""), "place": r.get("city_en", ""),
                "flags": r["flags"] or "none", "row": f"data/clean/{source_id}.csv line {r['line']}"}
        doubtful = bool(set(str(r["flags"]).split(";")) & _doubtful())
        marks.append((s, s + len(r["figure"]), "taken", {"info": info, "doubtful": doubtful, "line": r["line"]}))
    mine = obs[obs["source_id"].astype(str) == source_id]
    dismissed = ledger(source_id, root=root) if ledger else None
    if dismissed is not None:
        for d in pd.DataFrame(dismissed).to_dict("records"):
            marks.append((int(d["raw_start"]), int(d["raw_start"]) + len(str(d["match"])), "dismissed", {"why": str(d.get("reason", ""))}))
    else:
        for m in untaken_mentions(source_id, mine, root=root).to_dict("records"):
            marks.append((int(m["raw_start"]), int(m["raw_start"]) + len(m["match"]), "untaken", {}))
    marks.sort(key=lambda m: (m[0], -m[1]))
    text = _marked(raw, b0, b1, marks)
    n_taken = sum(1 for m in marks if m[2] == "taken")
    n_other = len(marks) - n_taken
    other = "dismissed (ledger)" if dismissed is not None else "not taken (no ledger of dismissed mentions found)"
    table = "".join(
        f'<tr><td><a href="#row-{r["line"]}">{r["line"]}</a></td><td>{html.escape(r["indicator"])}</td>'
        f'<td>{html.escape(r["figure"])}</td><td>{html.escape(str(r["value"]))}</td><td>{html.escape(r["unit"])}</td>'
        f'<td>{html.escape(r["qualifier"])}</td><td>{html.escape(r["flags"])}</td></tr>' for r in rows.to_dict("records"))
    body = (f"<h1>Provenance review: {html.escape(source_id)}</h1>"
            f"<p>{html.escape(str(src['outlet']))}, {html.escape(date_label(src))}: "
            f"“{html.escape(str(src['title']))}”. Raw file <code>{html.escape(str(src['path']))}</code> "
            f"(sha256 {html.escape(str(src['sha256'])[:12])}…), kind: {html.escape(str(src['kind']))}, "
            f"language: {html.escape(str(src['language']))}.</p>"
            f'<p class="legend"><mark class="taken">taken</mark> {n_taken} figure(s), one per row of '
            f"<code>data/clean/{html.escape(source_id)}.csv</code> (hover for the row, click for details); "
            f'<mark class="taken doubtful">doubtful</mark>; '
            f'<span class="{"dismissed" if dismissed is not None else "untaken"}">{other}</span> {n_other}; '
            f'<span class="furniture">website furniture</span> (outside the article body, never data).</p>'
            f'<div id="detail">Click a highlighted figure to see its row.</div>'
            f'<div class="article">{text}</div>'
            f'<h2>The rows</h2><table class="rows"><tr><th>line</th><th>indicator</th><th>figure</th><th>value</th>'
            f"<th>unit</th><th>qualifier</th><th>flags</th></tr>{table}</table>")
    return _page(f"Review {source_id}", body, depth=1, script=SCRIPT), n_taken


def _doubtful() -> set[str]:
    from analysis.compare.tables import doubtful_flags

    return doubtful_flags()


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
        if kind == "taken":
            info = p["info"]
            tip = "; ".join(f"{k}: {v}" for k, v in info.items())
            cls = "taken doubtful" if p["doubtful"] else "taken"
            open_ = (f'<mark class="{cls}" id="row-{p["line"]}" title="{html.escape(tip, quote=True)}" '
                     f"data-row='{html.escape(json.dumps(info, ensure_ascii=False), quote=True)}'>")
            close = "</mark>"
        else:
            title = "dismissed: " + p["why"] if kind == "dismissed" else "a quantity no row took"
            open_, close = f'<span class="{kind}" title="{html.escape(title, quote=True)}">', "</span>"
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


def build_docs(out: Path, root: Path | None = None) -> list[tuple[str, str]]:
    """Render README.md and every page of docs/ into ``out``; return (site path, title) of each, in order."""
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
        done.append((target, title))
    return done


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
    from analysis.sources.manifest import date_label, load_sources
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
        nb_links.append(nb.stem)
    docs = build_docs(out, root)
    ledger = dismissed_ledger()
    reviews = []
    for sid in sources["source_id"]:
        page, n = review_page(sid, obs, root, ledger)
        _write(out / "review" / f"{sid}.html", page)
        reviews.append((sid, n))
    charts = sorted(p.stem for p in figures.glob("*.png"))
    gallery = "".join(
        f'<figure><a href="figures/{c}.png"><img src="figures/{c}.png" alt="{html.escape(_title(figures / f"{c}.json"), quote=True)}"></a>'
        f'<figcaption>{html.escape(_title(figures / f"{c}.json"))}<br><a href="figures/{c}.png">PNG</a> · '
        f'<a href="figures/{c}.svg">SVG</a> · <a href="figures/{c}.csv">data (CSV)</a> · <a href="figures/{c}.json">about (JSON)</a>'
        f"</figcaption></figure>" for c in charts)
    src = sources.set_index("source_id")
    body = ("<h1>民生 figures: livelihood reports of Chinese cities as tidy, sourced data</h1>"
            "<p>Every figure carries its source, its verbatim quote and the quote's place in the raw file. "
            "This site is built offline from the repository (<code>make site</code>); it loads nothing from the network.</p>"
            "<h2>Documentation</h2><ul>"
            + "".join(f'<li><a href="{t}">{html.escape(title)}</a> <small>({html.escape(t)})</small></li>' for t, title in docs)
            + "</ul>"
            "<h2>Notebooks</h2><ul>" + "".join(f'<li><a href="notebooks/{n}.html">{html.escape(n)}</a></li>' for n in nb_links)
            + "</ul><h2>Workbook</h2><p>"
            + ('<a href="figures/livelihood_comparison.xlsx">livelihood_comparison.xlsx</a> (README sheet first; '
               "English and Chinese headers)" if (figures / "livelihood_comparison.xlsx").exists() else "not built")
            + "</p><h2>Provenance review, one page per article</h2><ul>"
            + "".join(f'<li><a href="review/{s}.html">{html.escape(s)}</a>: {html.escape(str(src.at[s, "outlet"]))}, '
                      f"{html.escape(date_label(src.loc[s]))}; {n} figure(s) taken</li>" for s, n in reviews)
            + f'</ul><h2>Charts</h2><div class="gallery">{gallery}</div>')
    index = out / "index.html"
    _write(index, _page("minsheng-analysis", body))
    log(f"site: {len(nb_links)} notebooks, {len(reviews)} review pages, {len(charts)} charts, {len(docs)} documentation "
        f"pages -> {index.parent}")
    return index


def _title(bundle_json: Path) -> str:
    try:
        return json.loads(bundle_json.read_text(encoding="utf-8"))["title"]
    except (OSError, ValueError, KeyError):
        return bundle_json.stem
