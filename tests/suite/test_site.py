"""The offline site (issue 15; issue 22 item 6, a site that explains itself): every notebook, chart, the
workbook, the documentation and one provenance review page per article, built once per module in a temp folder.

Every test reads what the manifest, the clean rows, the ledger and the committed figures hold today; none
names a place, a source or a number."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis

ROOT = Path(__file__).resolve().parents[2]
FIG = ROOT / "figures"
sys.path.insert(0, str(ROOT / "tests"))
from conftest import observations  # noqa: E402

OBS = observations()  # loaded once per process (every module gets its own copy)
CHART_NAMES = [p.stem for p in sorted(FIG.glob("*.json"))]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from analysis.suite.site import build_site

    out = tmp_path_factory.mktemp("site")
    build_site(out, log=lambda *_: None)
    return out


def test_every_notebook_page_has_its_images_and_tables(site):
    from analysis.suite.pipeline import notebook_paths

    for nb in notebook_paths():
        page = (site / "notebooks" / f"{nb.stem}.html").read_text(encoding="utf-8")
        saved = json.loads(nb.read_text(encoding="utf-8"))
        outputs = [o for c in saved["cells"] for o in c.get("outputs", [])]
        images = sum("image/png" in o.get("data", {}) for o in outputs)
        assert page.count('src="data:image/png;base64,') == images, nb.stem
        assert page.count("<table") >= sum("text/html" in o.get("data", {}) and "<table" in "".join(o["data"]["text/html"])
                                           for o in outputs)
        for o in outputs:
            if "image/png" in o.get("data", {}):
                assert 'alt="No description' not in page


def _translations() -> list[str]:
    """Sources of the manifest that translate another source of it and keep no clean CSV of their own."""
    m = analysis.load_sources()
    ids = set(m["source_id"])
    return [s for s, t in zip(m["source_id"], m["translation_of"].fillna(""), strict=True)
            if t in ids and not (analysis.core.paths.CLEAN / f"{s}.csv").exists()]


def _details(page: str) -> list[dict]:
    """The details a click shows, of every marked number of a page, in page order (the article's marks only)."""
    import html

    return [json.loads(html.unescape(d)) for d in re.findall(r"data-detail='([^']*)'", page)]


def test_every_article_has_a_review_page_with_one_highlight_per_clean_row(site):
    for sid in analysis.load_sources()["source_id"]:
        page = (site / "review" / f"{sid}.html").read_text(encoding="utf-8")
        path = analysis.core.paths.CLEAN / f"{sid}.csv"
        rows = pd.read_csv(path, keep_default_na=False) if path.exists() else pd.DataFrame(columns=["figure"])
        marks = re.findall(r'<mark class="taken[^"]*" id="row-(\d+)"', page)
        assert sorted(map(int, marks)) == list(range(2, len(rows) + 2)), sid
        for f in rows["figure"]:
            assert f">{_esc(f)}<" in page or _esc(f) in page
        assert 'class="furniture"' in page and ('class="untaken"' in page or 'class="dismissed"' in page)
        if not path.exists():  # no page claims rows of a clean CSV that is not there
            assert f"data/clean/{sid}.csv" not in page, sid


def _esc(s: str) -> str:
    import html

    return html.escape(str(s))


def _words():
    from analysis.metadata.codebook import load_codebook, load_vocabularies

    cb = load_codebook().set_index("indicator")
    voc = load_vocabularies().fillna("")
    return cb, {(f, v): (le, d) for f, v, le, d in zip(voc["field"], voc["value"], voc["label_en"], voc["definition"],
                                                        strict=True)}


def test_a_click_on_a_taken_figure_says_its_row_in_words(site):
    """Each taken figure's details: both labels of its indicator, its value without an exponent, its unit, its
    status and every flag with its reason (from the note) or its definition, and the rest of its note."""
    from analysis.suite.site import note_reasons

    cb, voc = _words()
    for path in sorted(analysis.core.paths.CLEAN.glob("*.csv")):
        sid = path.stem
        if not (site / "review" / f"{sid}.html").exists():
            continue  # a table that is no source's rows (the translation audit)
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        page = (site / "review" / f"{sid}.html").read_text(encoding="utf-8")
        taken = [d for d in _details(page) if d["head"].startswith("Taken")]
        assert len(taken) == len(rows), sid
        by_line = {int(dict(d["items"])["Row"].rsplit(" ", 1)[1]): d for d in taken}
        for line, r in enumerate(rows.to_dict("records"), 2):
            d = by_line[line]
            text = " | ".join(f"{k}: {v}" for k, v in d["items"])
            assert cb.at[r["indicator"], "label_en"] in text and cb.at[r["indicator"], "label_zh"] in text, (sid, r)
            assert not re.search(r"\d[eE][+-]?\d", dict(d["items"])["Value"]), (sid, d)
            assert voc[("status", r["status"])][0] in text
            reasons, rest = note_reasons(r["note"])
            for f in filter(None, r["flags"].split(";")):
                assert voc[("flag", f)][0] in text and (reasons.get(f) or voc[("flag", f)][1]) in text, (sid, f)
            if rest:
                assert rest in text, (sid, rest)


def test_a_click_on_a_dismissed_mention_says_its_reason_in_words(site):
    """Every mention a ledger dismisses is marked with the reason's label and definition and the ledger's note;
    the legend counts them by reason."""
    from analysis.clean.ledger import ledger_sources, load_ledger

    _, voc = _words()
    for sid in ledger_sources():
        led = load_ledger(sid)
        dis = led[led["account"] == "dismissed"]
        page = (site / "review" / f"{sid}.html").read_text(encoding="utf-8")
        details = [d for d in _details(page) if d["head"].startswith("Dismissed")]
        assert len(details) == len(dis), sid
        for r, d in zip(dis.to_dict("records"), details, strict=True):
            text = " | ".join(f"{k}: {v}" for k, v in d["items"])
            label, definition = voc[("dismissal", r["reason"])]
            assert label in d["head"] and definition in text, (sid, r["match"])
            assert r["note"] in text
        legend = page.split('class="legend"', 1)[1].split("</p>", 1)[0]
        for reason, n in dis["reason"].value_counts().items():
            assert f"{_esc(voc[('dismissal', reason)][0])} {n}" in legend, (sid, reason)


def test_review_page_marks_dismissed_mentions_when_a_ledger_is_given(site):
    from analysis.suite.site import review_page

    sid = next(s for s in analysis.load_sources()["source_id"] if (OBS["source_id"] == s).any())
    rest = analysis.untaken_mentions(sid, OBS[OBS["source_id"] == sid])
    reason = analysis.load_vocabularies().query("field == 'dismissal'").iloc[0]

    def ledger(source_id, root=None):
        return pd.DataFrame({"raw_start": rest["raw_start"], "match": rest["match"], "reason": reason["value"],
                             "note": "scratch note"})

    page, n = review_page(sid, OBS, ledger=ledger)
    article = page.split('<div class="article">', 1)[1]
    assert article.count('<span class="dismissed"') == len(rest) and 'class="untaken"' not in article
    assert all(d["head"] == f"Dismissed: {reason['label_en']}" for d in _details(page) if d["head"].startswith("Dis"))
    assert n == (OBS["source_id"] == sid).sum()


def test_a_translation_shows_the_audit_verdict_of_each_number(site):
    """A translation with no clean CSV claims no rows: each of its numbers the audit pairs says the audit's verdict
    (every disagreement of data/clean/translation_audit.csv is one of them), and the page links the audit."""
    from analysis.clean.audit import error_words

    sids = _translations()
    if not sids:
        pytest.skip("no translation of another source in the manifest")
    audit = pd.read_csv(analysis.core.paths.CLEAN / "translation_audit.csv", dtype=str, keep_default_na=False)
    for sid in sids:
        page = (site / "review" / f"{sid}.html").read_text(encoding="utf-8")
        assert "<mark class=\"taken" not in page and f"data/clean/{sid}.csv" not in page
        assert 'href="../data/clean/translation_audit.csv"' in page and (site / "data/clean/translation_audit.csv").exists()
        verdicts = [dict(d["items"])["Audit verdict"] for d in _details(page) if d["head"].startswith("Audit")]
        mine = audit[(audit["translation_id"] == sid) & (audit["en_figure"] != "")]
        wrong = [v for v in verdicts if v != error_words("ok")]
        assert sorted(wrong) == sorted(error_words(k) for k in mine["error_kind"]), sid
        for f in audit.loc[(audit["translation_id"] == sid) & (audit["error_kind"] == "dropped"), "zh_figure"]:
            assert _esc(f) in page.split("dropped</h2>", 1)[1], f


def test_the_index_says_what_each_entry_is(site):
    """Every notebook, chart and review page is listed under a human title (the notebook's first heading, the
    chart bundle's title, the article's title) with a line about it; the Downloads section links data files."""
    import html as _html

    from analysis.suite.pipeline import notebook_paths

    index = (site / "index.html").read_text(encoding="utf-8")
    entries = dict(re.findall(r'<li><a href="([^"]+)">(.*?)</a><br><span class="what">', index))
    for nb in notebook_paths():
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        first = next(c for c in cells if c["cell_type"] == "markdown")
        heading = next(line for line in "".join(first["source"]).splitlines() if line.startswith("#"))
        title = _html.unescape(entries[f"notebooks/{nb.stem}.html"])
        assert title == heading.lstrip("# ").replace("`", "").replace("**", "").strip(), nb.stem
        assert nb.stem not in title
    for name in CHART_NAMES:
        bundle = json.loads((FIG / f"{name}.json").read_text(encoding="utf-8"))
        assert f"<b>{_esc(bundle['title'])}</b>" in index, name
    src = analysis.load_sources()
    for sid, title in zip(src["source_id"], src["title"], strict=True):
        assert _html.unescape(entries[f"review/{sid}.html"]) == title
    downloads = index.split('id="downloads"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'href="([^"]+)"', downloads)
    for f in ["data/clean/datapackage.json", *(f"data/clean/ledger/{p.name}" for p in (analysis.core.paths.CLEAN / "ledger").glob("*.csv"))]:
        assert f in links, f
    assert all((site / u).is_file() for u in links)


def test_downloads_list_every_csv_of_figures_that_is_no_chart_bundles(tmp_path):
    from analysis.suite.site import downloads

    fig, clean = tmp_path / "figures", tmp_path / "clean"
    (clean / "ledger").mkdir(parents=True)
    fig.mkdir()
    (fig / "a_chart.json").write_text(json.dumps({"title": "A", "files": {"csv": "a_chart.csv", "png": "a_chart.png"}}))
    (fig / "a_chart.csv").write_text("x\n1\n")
    (fig / "observations_all.csv").write_text("source_id,value\ns,1\ns,2\n")
    (clean / "ledger" / "s.csv").write_text("source_id,match\ns,1\n")
    got = downloads(fig, clean, {"s": "An article"})
    assert [g[0] for g in got] == ["figures/observations_all.csv", "data/clean/ledger/s.csv"]
    assert "2 rows" in got[0][2] and got[1][1] == "Ledger: “An article”"


def test_pages_name_no_machine_path(site):
    import socket

    host = socket.gethostname()
    for page in [site / "index.html", *sorted((site / "review").glob("*.html"))]:
        text = page.read_text(encoding="utf-8")
        assert str(ROOT) not in text and str(site) not in text, page.name
        assert len(host) < 6 or not re.search(rf"\b{re.escape(host)}\b", text), page.name


def test_the_site_loads_nothing_from_the_network(site):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=\"(https?:)?//", text), page.name
        assert "@import url(http" not in text
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "livelihood_comparison.xlsx" in index and all(f"figures/{n}.png" in index for n in CHART_NAMES)
    assert (site / "figures" / "livelihood_comparison.xlsx").exists()


def test_every_doc_page_is_in_the_site_and_its_links_resolve_inside_it(site):
    """README.md and every page of docs/ and docs/reference/ is an HTML page of the site, linked from its index;
    every relative link and image of those pages lands on a file of the site (an anchor on an id of its page);
    none loads a script or stylesheet from the network."""
    import html as _html
    from urllib.parse import unquote

    from analysis.suite.site import doc_target

    sources = ["README.md"] + sorted(p.relative_to(ROOT).as_posix() for d in ("docs", "docs/reference")
                                     for p in (ROOT / d).glob("*.md"))
    index = (site / "index.html").read_text(encoding="utf-8")
    ids: dict[Path, set] = {}

    def ids_of(page: Path) -> set:
        if page not in ids:
            ids[page] = set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))
        return ids[page]

    for rel in sources:
        page = site / doc_target(rel)
        assert page.is_file(), f"{rel} is not in the site"
        assert f'href="{doc_target(rel)}"' in index, f"the site's index does not link {rel}"
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=\"(https?:)?//|<link[^>]+href=\"(https?:)?//", text), rel
        links = [_html.unescape(u) for u in re.findall(r"<(?:a|img)\b[^>]*?\b(?:href|src)=\"([^\"]*)\"", text)]
        assert links, rel
        for url in links:
            if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url):
                continue  # a web page the reader may follow; nothing is loaded from it
            path, _, frag = url.partition("#")
            target = (page.parent / unquote(path)).resolve() if path else page.resolve()
            assert target.is_relative_to(site.resolve()) and target.is_file(), f"{rel}: {url} is not in the site"
            assert not path.endswith(".md"), f"{rel}: {url} should go to the page's HTML"
            if frag and target.suffix == ".html":
                assert unquote(frag) in ids_of(target), f"{rel}: {url}: no such anchor"


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(not _chromium(), reason="Chromium is not installed (apt-get install chromium)")
def test_a_review_page_renders_in_a_headless_browser(site, tmp_path):
    from PIL import Image, ImageStat

    sid = next(s for s in analysis.load_sources()["source_id"] if (OBS["source_id"] == s).any())
    shot = tmp_path / "shot.png"
    out = subprocess.run([_chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                          f"--user-data-dir={tmp_path}/profile", "--window-size=1000,1200", f"--screenshot={shot}",
                          (site / "review" / f"{sid}.html").as_uri()], capture_output=True, text=True, timeout=120)
    assert shot.exists(), out.stderr[-800:]
    with Image.open(shot) as im:
        rgb = im.convert("RGB")
        colours = rgb.getcolors(1_000_000) or []
        assert len(colours) > 50 and max(ImageStat.Stat(rgb).stddev) > 10  # text and highlights, not a blank page
        yellow = sum(n for n, (r, g, b) in colours if r > 240 and 200 < g < 235 and b < 160)
        assert yellow > 500  # the highlighted figures are drawn



# What the injected script records: the details panel's text after a real click on the page's marks.
PROBE = """<script>window.addEventListener('load', function () {
  function probe(sel, id) {
    var m = document.querySelector(sel), out = document.createElement('pre');
    out.id = id;
    if (m) { m.click(); out.textContent = document.getElementById('detail').textContent; }
    document.body.appendChild(out);
  }
  probe(%s, 'probe-taken');
  probe('.article span.dismissed', 'probe-dismissed');
});</script></body>"""


@pytest.mark.skipif(not _chromium(), reason="Chromium is not installed (apt-get install chromium)")
def test_a_click_in_a_headless_browser_shows_the_details_in_words(site, tmp_path):
    """The page's own script, run by Chromium on a real click: the panel shows a taken row's indicator label
    and its note or flag reason, then a dismissed mention's reason in words and its note."""
    import html

    from analysis.clean.ledger import ledger_sources, load_ledger
    from analysis.suite.site import note_reasons

    cb, voc = _words()
    best = None
    for sid in ledger_sources():  # a source with a dismissed mention, and a row with a note if there is one
        path = analysis.core.paths.CLEAN / f"{sid}.csv"
        led = load_ledger(sid)
        if not path.exists() or not (led["account"] == "dismissed").any():
            continue
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        rows["line"] = range(2, len(rows) + 2)
        noted = rows[rows["note"] != ""]
        row = (noted if len(noted) else rows).iloc[0]
        if best is None or (row["note"] and not best[1]["note"]):
            best = (sid, row, led[led["account"] == "dismissed"].iloc[0])
    if best is None:
        pytest.skip("no source with clean rows and a dismissed mention")
    sid, row, dis = best
    page = (site / "review" / f"{sid}.html").read_text(encoding="utf-8")
    probe = tmp_path / "review" / "probe.html"  # beside the site's pages, so relative links hold
    shutil.copytree(site / "review", probe.parent)
    probe.write_text(page.replace("</body>", PROBE % repr(f"#row-{row['line']}")), encoding="utf-8")
    out = subprocess.run([_chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path}/p",
                          "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120)
    got = {k: html.unescape(v) for k, v in re.findall(r'<pre id="probe-(\w+)">(.*?)</pre>', out.stdout, flags=re.S)}
    assert set(got) == {"taken", "dismissed"}, out.stderr[-800:]
    assert cb.at[row["indicator"], "label_en"] in got["taken"] and cb.at[row["indicator"], "label_zh"] in got["taken"]
    reasons, rest = note_reasons(row["note"])
    assert all(why in got["taken"] for why in reasons.values()) and rest in got["taken"], got["taken"]
    label, definition = voc[("dismissal", dis["reason"])]
    assert label in got["dismissed"] and definition in got["dismissed"] and dis["note"] in got["dismissed"]


def test_the_index_offers_every_workbook_and_the_complete_download_first(site):
    """Issue 22 item 5: one complete download, linked from the index (first of the downloads), and both workbooks."""
    from analysis.compare.download import DOWNLOAD_NAME

    index = (site / "index.html").read_text(encoding="utf-8")
    for book in sorted(p.name for p in FIG.glob("*.xlsx")):
        assert f'href="figures/{book}"' in index and (site / "figures" / book).exists(), book
    downloads = index.split('id="downloads"', 1)[1]
    first = re.search(r'<a href="([^"]+)"', downloads).group(1)
    assert first == f"figures/{DOWNLOAD_NAME}" and (site / first).exists()
    assert "English and Chinese labels" in downloads.split("</li>", 1)[0]
