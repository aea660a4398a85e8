"""The development corpus of issue 21 (tests/corpus) is well formed: what tools/bench_corpus.py measures on.

Properties of the corpus files, whatever articles they hold: every gold offset holds its number, every
gold field is in the project's vocabularies, the split is half and half within each language, and the
reader finds each gold number as a mention of its own, except the ones listed in known_misses.csv
(so the list is kept exact: a reader change that fixes or breaks one fails here until the list says so).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest

from analysis.core.periods import check_period
from analysis.core.quantities import UNITS, find_quantities
from analysis.sources.manifest import LANGUAGES, article_body_span

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
STATUSES = ("result", "target", "plan", "announced")
SPLITS = ("dev", "heldout")


def _rows(name: str) -> list[dict]:
    with open(CORPUS / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def articles() -> dict[str, dict]:
    return {a["id"]: a for a in _rows("articles.csv")}


@cache
def text(article_id: str) -> str:
    with open(CORPUS / "articles" / f"{article_id}.txt", encoding="utf-8", newline="") as f:
        return f.read()


@cache
def body(article_id: str) -> tuple[int, int]:
    a = articles()[article_id]
    return article_body_span(text(article_id), a["body_starts_with"], a["body_ends_with"], where=article_id)


def gold() -> list[dict]:
    return _rows("gold.csv")


def codebook() -> set[str]:
    return {r["indicator"] for r in csv.DictReader(open(CORPUS.parent.parent / "data" / "codebook.csv", encoding="utf-8"))}


def test_every_article_has_its_text_metadata_and_a_split():
    files = {p.stem for p in (CORPUS / "articles").glob("*.txt")}
    assert files == set(articles()), "every article file has one row in articles.csv and back"
    for aid, a in articles().items():
        assert a["language"] in LANGUAGES and a["kind"] in ("results", "targets"), aid
        assert a["split"] in SPLITS and a["machine_translation"] in ("yes", "no"), aid
        assert check_period(a["period"]) and a["period"][:4] == a["year"], aid
        b0, b1 = body(aid)
        assert b1 > b0, aid


def test_every_language_and_kind_is_on_both_sides_of_the_split():
    """A held-out set exists in each language, with a targets article, when there is any held-out article at all
    (none between the day a held-out set is spent on tuning and the day its replacement is written)."""
    assert len(articles()) >= 8
    held = [a for a in articles().values() if a["split"] == "heldout"]
    if not held:
        return
    dev = [a for a in articles().values() if a["split"] == "dev"]
    for side in (dev, held):
        assert {a["language"] for a in side} == set(LANGUAGES), side
        assert "targets" in {a["kind"] for a in side} and "results" in {a["kind"] for a in side}


def test_every_gold_offset_holds_its_number_inside_the_body():
    for g in gold():
        off, match = int(g["offset"]), g["match"]
        assert text(g["article_id"])[off:off + len(match)] == match, g
        b0, b1 = body(g["article_id"])
        assert b0 <= off and off + len(match) <= b1, ("outside the body", g)
    keys = [(g["article_id"], g["offset"]) for g in gold()]
    assert len(keys) == len(set(keys)), "one gold row per number"


def test_every_gold_field_is_in_the_vocabularies():
    known = codebook()
    for g in gold():
        assert g["indicator"] in known or g["indicator"] == "none", g
        assert g["unit"] in UNITS and g["status"] in STATUSES, g
        check_period(g["period"])
        if g["dismiss_reason"]:  # a number an editor rejects has no indicator
            assert g["indicator"] == "none" and not g["proposed_new_indicator"], g
        elif g["indicator"] == "none":  # one no indicator fits: the codebook row it needs
            assert g["proposed_new_indicator"] and g["proposed_new_indicator"] not in known, g
        else:
            assert not g["proposed_new_indicator"], g


def reader_misses() -> set[tuple[str, str, str]]:
    """Gold numbers the reader does not find as a quantity mention of their own: (article_id, offset, match)."""
    out = set()
    by_article: dict[str, list[dict]] = {}
    for g in gold():
        by_article.setdefault(g["article_id"], []).append(g)
    for aid, rows in by_article.items():
        b0, b1 = body(aid)
        q = find_quantities(text(aid)[b0:b1])
        spans = [(s + b0, e + b0) for s, e, k in zip(q["start"], q["end"], q["kind"], strict=True) if k == "quantity"]
        offsets = [int(g["offset"]) for g in rows]
        for g in rows:
            off = int(g["offset"])
            hit = [(s, e) for s, e in spans if s <= off < e]
            merged = hit and any(o != off and hit[0][0] <= o < hit[0][1] for o in offsets)
            if not hit or merged:
                out.add((aid, g["offset"], g["match"]))
    return out


def test_the_reader_finds_every_gold_number_but_the_known_misses():
    known = {(r["article_id"], r["offset"], r["match"]) for r in _rows("known_misses.csv")}
    assert reader_misses() == known


@pytest.mark.parametrize("name", ["articles.csv", "gold.csv", "known_misses.csv"])
def test_the_corpus_files_are_utf8_with_unix_line_ends(name):
    data = (CORPUS / name).read_bytes()
    data.decode("utf-8")
    assert b"\r" not in data
