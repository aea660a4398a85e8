"""The manifest verifies, the raw files are the seeds byte for byte, and bad rows fail loudly."""

import hashlib
from pathlib import Path

import pytest

from analysis.sources.manifest import ManifestError, article_body_span, load_places, load_sources, read_article

ROOT = Path(__file__).resolve().parents[2]
# sha256 of the five seed articles as handed over in shared/seeds (recorded once, at copy time).
SEED_SHA256 = {
    "000_7d87a75d360d58ee.txt": "21b05ad3007711421dd73ca982a39eb2956509b4954b8df8f3af183b2f4b9211",
    "001_12efe7dbe6eb02f6.txt": "b88d27b2a1fb80bca0dc4e6542fb659dcbe2ce4a2be33d618715206a24320746",
    "002_b40e43a20a34e90b.txt": "d14a5e5b4d07a5c0d1ab86af283dd9eb6b7aa617ee18bcc4caffe89572008f5b",
    "003_8627e0cbf5f27fc3.txt": "fff455124d3e249a03e080f23f4b5eb1f0d6bc7f70c0a277f73a7be0119e6be8",
    "004_f5a5b0f5149fd1ff.txt": "0593d00799146a2d432c5687c7aecde72495ad1517edadc3a23339a6f1b9c790",
}


def test_manifest_loads_typed_and_verified():
    df = load_sources()
    assert len(df) >= len(SEED_SHA256) and df["source_id"].is_unique  # the seeds, and any city added since
    assert str(df["language"].dtype) == "category" and str(df["published"].dtype).startswith("datetime64")
    assert set(df["language"]) <= {"en", "zh-Hans", "zh-Hant"}
    assert (df["published"].notna() | df["accessed"].notna()).all()  # a date, or when it was read: never invented
    assert df.set_index("source_id").loc["zaozhuang_2022h1_en", "translation_of"] == "zaozhuang_2022h1_zh"


def test_raw_files_are_the_seeds_byte_for_byte():
    """A regression snapshot of the five seed articles (never to be refreshed: raw is sacred). Articles that
    researchers add later are checked against their own manifest checksum by load_sources."""
    df = load_sources()
    assert set(SEED_SHA256) <= set(df["seed_file"])
    for row in df[df["seed_file"].isin(list(SEED_SHA256))].itertuples():
        data = (ROOT / row.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == SEED_SHA256[row.seed_file] == row.sha256


def test_places_know_their_parent():
    places = load_places().set_index("place_en")
    assert places.loc["Tengzhou", "parent_en"] == "Zaozhuang"
    assert places.loc["Shizhong District", "admin_level"] == "district"
    df = load_sources().set_index("source_id")
    assert df.loc["zaozhuang_2022ytd_en", "places"].split(";") == ["Zaozhuang", "Tengzhou", "Shizhong District"]


def test_body_excludes_website_furniture():
    zh = read_article("zaozhuang_2022h1_zh")
    assert zh.startswith("鲁网7月5日讯") and zh.endswith("提供有力保障。")
    assert "4639亿元" not in zh and "0632-3321110" not in zh  # teaser and phone number around it
    full = read_article("zaozhuang_2022h1_zh", body_only=False)
    assert "4639亿元" in full
    linyi = read_article("linyi_2022plan_en")
    assert "70 million yuan" not in linyi and "70 million yuan" in read_article("zaozhuang_2022ytd_en", body_only=False)


def test_body_span_doctest_like():
    text = "menu 12\n  Body 1 starts\nmiddle 2\nends here.  \nteaser 99\n"
    s, e = article_body_span(text, "Body 1", "ends here.")
    assert text[s:e] == "Body 1 starts\nmiddle 2\nends here."



@pytest.mark.parametrize("changes, message", [
    ({"path": "data/raw/missing.txt"}, r"line 3 \(source_id=zaozhuang_2022h1_zh\): file data/raw/missing.txt not found"),
    ({"sha256": "0" * 64}, r"line 3 \(source_id=zaozhuang_2022h1_zh\): sha256 does not match data/raw/2022-07-05_zaozhuang_h1-results_zh-hans.txt"),
    ({"language": "zh"}, r"line 3 .*unknown language 'zh'"),
    ({"body_starts_with": "这一行不存在"}, r"line 3 .*body_starts_with '这一行不存在' not found"),
    ({"body_ends_with": "。"}, r"line 3 .*body_ends_with '。' matches \d+ lines"),
    ({"source_id": "zaozhuang_2022h1_en"}, r"line 3 \(source_id=zaozhuang_2022h1_en\): duplicate source_id"),
    ({"kind": "plans"}, r"line 3 .*unknown kind 'plans'"),
    ({"published": "5 July 2022"}, r"line 3 .*not an ISO date"),
    ({"places": "Zaozhuang;Atlantis"}, r"line 3 .*place\(s\) Atlantis not in data/raw/places.csv"),
    ({"translation_of": "nowhere"}, r"line 3 .*translation_of 'nowhere'"),
    ({"outlet": ""}, r"line 3 .*outlet is empty"),
])
def test_bad_manifest_rows_name_file_and_row(scratch_repo, rewrite_manifest, changes, message):
    rewrite_manifest(scratch_repo, 3, **changes)
    with pytest.raises(ManifestError, match=r"data/raw/sources.csv " + message):
        load_sources(root=scratch_repo)


def test_changed_raw_file_is_caught_on_read(scratch_repo):
    path = scratch_repo / "data/raw/2020-08-04_xuzhou_h1-results_zh-hant.txt"
    path.write_bytes(path.read_bytes().replace("7萬人".encode(), "8萬人".encode()))
    with pytest.raises(ManifestError, match="xuzhou_2020h1_zh.*sha256 does not match"):
        read_article("xuzhou_2020h1_zh", root=scratch_repo)


def test_unknown_source_id_lists_known_ones():
    with pytest.raises(KeyError, match="unknown source_id 'paris'.*linyi_2022plan_en"):
        read_article("paris")


def test_the_unverified_manifest_is_parsed_once_per_content_and_reread_when_it_changes(scratch_repo, rewrite_manifest):
    """load_sources(verify=False) reuses the parse of the same bytes, a copy each time; an edit is seen at once, and a
    raw path that now leads outside data/raw (a symlink) is still refused."""
    import os

    from analysis.sources.manifest import ManifestError, load_sources

    a = load_sources(scratch_repo, verify=False)
    b = load_sources(scratch_repo, verify=False)
    assert a.equals(b) and a is not b
    a.loc[0, "title"] = "changed in memory"
    assert load_sources(scratch_repo, verify=False).loc[0, "title"] != "changed in memory"
    rewrite_manifest(scratch_repo, 2, title="A new title")
    assert load_sources(scratch_repo, verify=False).loc[0, "title"] == "A new title"
    raw = scratch_repo / load_sources(scratch_repo, verify=False).loc[0, "path"]
    outside = scratch_repo / "elsewhere.txt"
    outside.write_bytes(raw.read_bytes())
    raw.unlink()
    os.symlink(outside, raw)
    with pytest.raises(ManifestError, match="outside data/raw"):
        load_sources(scratch_repo, verify=False)
