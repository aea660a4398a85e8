"""Issue 22 item 5: one complete download. Every row of data/clean, once, with both labels of every coded
column, its period's dates, flags in words, its quote where the raw file has it, and its source's reference."""

import re
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.compare import download
from analysis.metadata.codebook import load_vocabularies
from analysis.sources.manifest import ManifestError

ROOT = Path(__file__).resolve().parents[2]
TABLE = download.download_table()
CJK = re.compile(r"[\u4e00-\u9fff%²]")


def test_the_committed_download_is_current_and_reads_back_as_written():
    import io

    buf = io.StringIO()
    TABLE.to_csv(buf, index=False, lineterminator="\n")
    committed = (ROOT / "figures" / download.DOWNLOAD_NAME).read_bytes()
    assert committed == b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"), "figures/ is stale: run make"
    back = download.read_download()
    assert list(back.columns) == download.DOWNLOAD_COLUMNS and len(back) == len(TABLE)
    assert (back["quote"] == TABLE["quote"]).all() and (back["quote_start"] == TABLE["quote_start"]).all()


def test_every_clean_row_is_in_the_download_once_at_its_line():
    sources = analysis.load_sources()
    assert len(TABLE) == sum(len(pd.read_csv(ROOT / f"data/clean/{s}.csv")) for s in sources["source_id"]
                             if (ROOT / f"data/clean/{s}.csv").exists())
    for sid, rows in TABLE.groupby("source_id"):
        clean = pd.read_csv(ROOT / f"data/clean/{sid}.csv", dtype=str, keep_default_na=False)
        assert sorted(rows["row_in_source"]) == list(range(1, len(clean) + 1))
        for r in rows.itertuples():
            c = clean.iloc[r.row_in_source - 1]
            assert (c["indicator"], c["quote"], int(c["quote_start"])) == (r.indicator, r.quote, r.quote_start)


def test_every_quote_stands_at_its_offsets_in_the_raw_file():
    for raw, rows in TABLE.groupby("raw_file"):
        text = (ROOT / raw).read_bytes().decode("utf-8")
        for r in rows.itertuples():
            assert text[r.quote_start:r.quote_end] == r.quote, (raw, r.row_in_source)


@pytest.mark.parametrize("field", download.VOCAB_COLUMNS + ("flags", "unit", "indicator"))
def test_every_code_has_words_in_both_languages(field):
    voc = load_vocabularies()
    for r in TABLE[[field, f"{field}_en", f"{field}_zh"]].itertuples(index=False):
        code, en, zh = r
        if not code:
            assert not en and not zh
            continue
        assert en and zh, (field, code)
        assert "_" not in en or field == "unit", (field, code, en)  # words, not the id
        assert CJK.search(zh), (field, code, zh)
        if field in ("status", "denominator", "stock_flow", "qualifier"):
            assert en == voc.query(f"field == '{field}' and value == @code")["label_en"].iloc[0]


def test_periods_have_their_first_and_last_day_and_sources_their_reference_columns():
    from analysis.core.periods import period_bounds

    for r in TABLE.drop_duplicates("period").itertuples():
        assert (r.period_start, r.period_end) == period_bounds(r.period)
    src = analysis.load_sources().set_index("source_id")
    for r in TABLE.drop_duplicates("source_id").itertuples():
        s = src.loc[r.source_id]
        assert (r.outlet, r.raw_file, r.raw_sha256) == (s["outlet"], s["path"], s["sha256"])
        assert (r.url, r.licence, r.citation) == tuple("" if pd.isna(s[c]) else s[c] for c in ("url", "licence", "citation"))


def test_a_bounded_or_ranged_value_is_said_as_the_article_did():
    t = download.download_table(analysis.load_observations().head(3).assign(
        value=[5000.0, 1.0, 80.0], high=[float("nan"), 2.0, float("nan")], qualifier=["at_least", "range", "more_than"],
        unit=["persons", "persons", "percent"]))
    assert t["value_en"].tolist() == ["≥ 5,000", "1–2", "> 80%"]
    assert t["qualifier_zh"].tolist() == ["不少于", "区间", "超过"]


def test_a_manifest_url_that_is_not_a_web_address_is_refused(scratch_repo, rewrite_manifest):
    rewrite_manifest(scratch_repo, 2, url="javascript:alert(1)")
    with pytest.raises(ManifestError, match=r"sources.csv line 2 .*url 'javascript:alert\(1\)' is not a web address"):
        analysis.load_sources(scratch_repo)
    rewrite_manifest(scratch_repo, 2, url="https://www.example.gov.cn/a.html", licence="CC BY 4.0")
    assert analysis.load_sources(scratch_repo).loc[0, "url"] == "https://www.example.gov.cn/a.html"


def test_every_unit_the_reader_knows_has_words_in_both_languages():
    from analysis.core.quantities import UNITS
    from analysis.metadata.comparability import UNIT_LABEL

    for lang in ("en", "zh"):
        assert not [u for u in UNITS if u not in UNIT_LABEL[lang]], lang
