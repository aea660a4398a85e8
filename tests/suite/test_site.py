"""The offline site (issue 15; issue 22 item 6, a site that explains itself): every notebook, chart, the
workbook, the documentation and one provenance review page per article, built once per module in a temp folder.

Every test reads what the manifest, the clean rows, the ledger and the committed figures hold today; none
names a place, a source or a number."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import analysis

ROOT = Path(__file__).resolve().parents[2]
FIG = ROOT / "figures"
OBS = analysis.load_observations()
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


def test_every_article_has_a_review_page_with_one_highlight_per_clean_row(site):
    for sid in analysis.load_sources()["source_id"]:
        page = (site / "review" / f"{sid}.html").read_text(encoding="utf-8")
        path = analysis.core.paths.CLEAN / f"{sid}.csv"
        rows = pd.read_csv(path, keep_default_na=False) if path.exists() else pd.DataFrame(columns=["figure"])
        marks = re.findall(r'<mark class="taken[^"]*" id="row-(\d+)"', page)
        assert sorted(map(int, marks)) == list(range(2, len(rows) + 2)), sid
        for f in rows["figure"]:
            assert f">{_esc(f)}<" in page or _esc(f) in page
        assert 'class="furniture"' in page and ("class=\"untaken\"" in page or "class=\"dismissed\"" in page)


def _esc(s: str) -> str:
    import html

    return html.escape(str(s))


def test_review_page_marks_dismissed_mentions_when_a_ledger_is_given(site):
    from analysis.suite.site import review_page

    sid = next(s for s in analysis.load_sources()["source_id"] if (OBS["source_id"] == s).any())
    rest = analysis.untaken_mentions(sid, OBS[OBS["source_id"] == sid])

    def ledger(source_id, root=None):
        return pd.DataFrame({"raw_start": rest["raw_start"], "match": rest["match"], "reason": "a date"})

    page, n = review_page(sid, OBS, ledger=ledger)
    assert page.count('class="dismissed" title=') == len(rest) and 'class="untaken"' not in page.split("</p>", 3)[-1]
    assert n == (OBS["source_id"] == sid).sum()


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

