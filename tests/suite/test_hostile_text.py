"""Issue 23 items 8-10: hostile text in every field of a new source, and on every page type, is inert.

HTML in a field is kept as text and rendered as text (notebook intro, notebook page, review page,
reference page); formula text and bidi or line-separator characters are refused by ``new-source`` in
one message naming every field; a Skip note, a quote or a codebook label that a spreadsheet would run
is refused before it reaches a CSV; bidi characters in an article are shown as [U+202E].
"""

import dataclasses
import re

import pytest

from analysis.suite.scaffold import NewSource, ScaffoldError, plan, scaffold

HTML = '<img src=x onerror="alert(1)"><script>alert(2)</script>[x](javascript:alert(3))'
ARTICLE = "样例县民生\n今年上半年,全县城镇新增就业1.2万人,\u202e开展培训3000人次。\n(完)\n"
META = dict(source_id="hostile_2021h1_zh", city_en="Hostile", city_zh="样例县", admin_level="prefecture",
            province="Jiangsu", language="zh-Hans", published="2021-07-20", period="2021-H1", kind="results",
            outlet="test", body_start="今年上半年", body_end="(完)")
TEXT_FIELDS = ("city_en", "city_zh", "province", "outlet", "title", "note")


def _src(tmp_path, **over):
    article = tmp_path / "hostile.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    return NewSource(article=article, **{**META, **over})


@pytest.mark.parametrize("bad, says", [("=1+1", "runs as a formula"), ("+cmd|' /C calc'!A0", "runs as a formula"),
                                       ("@SUM(A1)", "runs as a formula"), ("abc\u202edef", "U+202E"),
                                       ("abc\u2028def", "U+2028")])
def test_new_source_refuses_formula_and_bidi_text_in_every_field_in_one_message(data_repo, tmp_path, bad, says):
    fields = [f.name for f in dataclasses.fields(NewSource) if f.name in TEXT_FIELDS]
    with pytest.raises(ScaffoldError) as e:
        plan(_src(tmp_path, **{f: bad for f in fields}), data_repo)
    msg = str(e.value)
    assert msg.startswith("new source refused, nothing written")
    for f in fields:
        assert re.search(rf"--{f.replace('_', '-')} .*{re.escape(says)}", msg), (f, msg)
    assert not list((data_repo / "notebooks").glob("*hostile*"))  # nothing written


def test_html_in_fields_is_text_on_every_page(data_repo, tmp_path):
    import json

    from analysis.clean.observations import build_observations, clean_source
    from analysis.suite import refdocs, site

    nb = scaffold(_src(tmp_path, **{f: HTML for f in TEXT_FIELDS if f != "city_en"}, city_en="Hostile <b>x</b>"),
                  root=data_repo, execute=False)
    intro = "".join(json.loads(nb.read_text(encoding="utf-8"))["cells"][0]["source"])
    assert "<img" not in intro and "<script" not in intro and "](javascript" not in intro
    page = site.notebook_page(nb)
    assert not re.search(r"<img src=x|<script>alert|href=\"javascript|<b>x", page)
    assert "alert(1)" in page  # the text is there, as text
    figs = [__import__("analysis").Fig("new_urban_jobs", "全县城镇新增就业1.2万人")]
    clean_source(META["source_id"], figs, root=data_repo)
    obs = build_observations(META["source_id"], figs, root=data_repo)
    review, _ = site.review_page(META["source_id"], obs, root=data_repo)
    assert not re.search(r"<img src=x|<script>alert|<b>x", review) and "&lt;img src=x" in review
    assert "\u202e" not in review and "[U+202E]" in review  # the article's bidi character shown, not obeyed
    sources_md = refdocs.sources_page(data_repo)
    rendered = site.markdown_html(sources_md)
    assert not re.search(r"<img src=x|<script>alert|href=\"javascript|<b>x", rendered) and "alert(1)" in rendered


def test_a_formula_in_a_skip_note_or_a_codebook_label_is_refused(data_repo, tmp_path):
    import analysis
    from analysis.clean.ledger import LedgerError
    from analysis.metadata.codebook import CodebookError, load_codebook

    scaffold(_src(tmp_path), root=data_repo, execute=False)
    figs = [analysis.Fig("new_urban_jobs", "全县城镇新增就业1.2万人")]
    with pytest.raises(LedgerError, match="runs as a formula"):
        analysis.clean_source(META["source_id"], figs, [analysis.Skip("开展培训3000人次", "structure", note="=HYPERLINK(1)")],
                              root=data_repo)
    path = data_repo / "data" / "codebook.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",New urban jobs,", ",=New urban jobs,", 1), encoding="utf-8")
    with pytest.raises(CodebookError, match="runs as a formula"):
        load_codebook(data_repo)
