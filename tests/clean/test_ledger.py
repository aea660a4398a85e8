"""Every number of every article body is accounted for: taken by exactly one row, or dismissed with a reason.

Parametrised over whatever the manifest holds (analysis.clean.ledger.ledger_sources; translations of another
source through the translation audit), never over today's list.
"""

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis import Fig, Skip
from analysis.clean.checks import _conflicts, _translation_rules, apply_checks, parts_table
from analysis.clean.ledger import (
    LedgerError,
    amount_reading,
    build_ledger,
    ledger_path,
    ledger_sources,
    verify_ledger,
)
from analysis.clean.observations import build_observations
from analysis.core.paths import CLEAN, atomic_write_csv
from analysis.metadata.codebook import load_codebook, vocabulary
from analysis.metadata.schema import COLUMNS
from analysis.sources.manifest import load_sources

ROOT = Path(__file__).resolve().parents[2]
SOURCES = load_sources(verify=False)
LEDGERS = ledger_sources()
TRANSLATIONS = [s for s in SOURCES["source_id"] if s not in LEDGERS]
CLEANING = sorted((ROOT / "notebooks").glob("1*_clean_*.ipynb"))


def _lists_of(notebook: Path):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    ns = {"Fig": Fig, "Skip": Skip}
    exec(next(c for c in code if "FIGURES = [" in c), ns)
    exec(next(c for c in code if re.search(r"^DISMISSED = \[", c, re.M)), ns)
    sid = re.search(r'SOURCE = "([^"]+)"', code[0]).group(1)
    return sid, ns["FIGURES"], ns["DISMISSED"]


def test_every_ledger_is_in_the_datapackage():
    package = json.loads((CLEAN / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in package["resources"]}
    assert {f"ledger/{s}.csv" for s in LEDGERS if ledger_path(s).exists()} <= paths
    reasons = next(f for r in package["resources"] if r["path"].startswith("ledger/") for f in r["schema"]["fields"]
                   if f["name"] == "reason")
    assert reasons["constraints"]["enum"] == vocabulary("dismissal")


def test_the_dismissal_vocabulary_is_labelled_and_defined():
    voc = analysis.load_vocabularies()
    d = voc[voc["field"] == "dismissal"]
    assert len(d) and (d["label_en"] != "").all() and (d["label_zh"] != "").all() and (d["definition"] != "").all()
    assert set(analysis.clean.ledger.KIND_REASONS) <= set(d["value"])
    assert set(d.loc[d["not_an_amount"] == "yes", "value"]) >= set(analysis.clean.ledger.KIND_REASONS)


# --- the helpers refuse what would account for a number twice, or wrongly ---
SID = LEDGERS[0]


def _quantity_sentence(source_id, n=2):
    """A sentence of the body holding at least ``n`` quantity mentions: (sentence, its mentions)."""
    idx = analysis.mention_index(source_id)
    q = idx[idx["kind"] == "quantity"]
    for sentence, g in q.groupby("sentence", sort=False):
        body = analysis.read_article(source_id)
        if len(g) >= n and body.count(sentence) == 1 and all(sentence.count(m) == 1 for m in g["match"]):
            return sentence, list(g["match"])
    pytest.skip(f"{source_id} has no sentence with {n} distinct quantities")


def test_a_skip_must_name_its_number_and_a_known_reason():
    sentence, ms = _quantity_sentence(SID)
    empty = build_observations(SID, [])
    with pytest.raises(LedgerError, match=r"dismissal 1 \(no_such\): reason 'no_such' is not one of"):
        build_ledger(SID, empty, [Skip(sentence, "no_such", figure=ms[0])])
    with pytest.raises(LedgerError, match=r"the quote holds \d+ numbers; say which with figure="):
        build_ledger(SID, empty, [Skip(sentence, "structure")])
    with pytest.raises(LedgerError, match=r"already dismissed by another Skip"):
        build_ledger(SID, empty, [Skip(sentence, "structure", figure=ms[0]), Skip(sentence, "garbled", figure=ms[0])])
    with pytest.raises(LedgerError, match=r"quote not found verbatim"):
        build_ledger(SID, empty, [Skip("no such words in any article 12345", "structure")])


def test_a_number_taken_cannot_be_dismissed_and_a_repeat_points_to_its_row():
    sentence, ms = _quantity_sentence(SID)
    obs = build_observations(SID, [])
    led = build_ledger(SID, obs, [Skip(sentence, "structure", figure=m) for m in ms])
    assert (led.loc[led["match"].isin(ms), "account"] == "dismissed").all()
    with pytest.raises(LedgerError, match=r"a repeat names the row it repeats"):
        build_ledger(SID, obs, [Skip(sentence, "repeat", figure=ms[0])])
    with pytest.raises(LedgerError, match=r"same_as='nothing_here' is not the indicator of a row"):
        build_ledger(SID, obs, [Skip(sentence, "repeat", figure=ms[0], same_as="nothing_here")])


def test_taken_and_dismissed_twice_is_refused_on_the_real_figure_lists():
    sid, figs, dismissed = _lists_of(CLEANING[0])
    obs = apply_checks(build_observations(sid, figs), load_codebook())
    fig = next(f for f in figs if f.figure is None)
    with pytest.raises(LedgerError, match=r"is taken by the row .*; drop the dismissal"):
        build_ledger(sid, obs, [*dismissed, Skip(fig.quote, "structure")])
    led = build_ledger(sid, obs, [])
    body = analysis.read_article(sid)
    row = obs.iloc[0]
    cand = led[(led["account"] == "open") & (led["kind"] == "quantity")]
    cand = cand[[body.count(m) == 1 for m in cand["match"]]]
    cand = cand[[analysis.parse_quantity(m).value != row["value"] for m in cand["match"]]]
    if not len(cand):
        pytest.skip("no open quantity of another value stands once in the body")
    m = cand.iloc[0]["match"]
    with pytest.raises(LedgerError, match=r"is not the value .* a note must say why it repeats it"):
        build_ledger(sid, obs, [Skip(m, "repeat", same_as=row["indicator"])])
    led = build_ledger(sid, obs, [Skip(m, "repeat", same_as=row["indicator"], note="the same thing, counted otherwise")])
    hit = led[led["match"] == m].iloc[0]
    assert hit["row_indicator"] == row["indicator"] and hit["reason"] == "repeat"


def test_a_name_or_date_that_reads_as_an_amount_needs_a_note():
    assert amount_reading("7月5日", "发布", "date") is None
    assert amount_reading("2022年", "全市", "year") is None
    assert amount_reading("12th", " National Fitness Games", "ordinal") is None
    assert amount_reading("5G", "基站", "identifier") is None
    assert amount_reading("30", "个村", "identifier") == "villages"
    assert amount_reading("15", " people took part", "quantity") == "persons"
    sentence, ms = _quantity_sentence(SID, 1)
    idx = analysis.mention_index(SID)
    amount = idx[(idx["kind"] == "quantity") & ~idx["unit"].isin(["count", "unknown"])].iloc[0]
    q = amount["sentence"]
    with pytest.raises(LedgerError, match=r"reads as an amount in .*, not a name"):
        build_ledger(SID, build_observations(SID, []), [Skip(q, "name", figure=amount["match"])])
    led = build_ledger(SID, build_observations(SID, []), [Skip(q, "name", figure=amount["match"], note="why")])
    assert (led["account"] == "dismissed").sum() >= 1


def _scratch(tmp_path: Path) -> Path:
    for d in ("data/raw",):
        shutil.copytree(ROOT / d, tmp_path / d)
    for f in ("data/codebook.csv", "data/vocabularies.csv"):
        shutil.copy2(ROOT / f, tmp_path / f)
    return tmp_path


def test_verify_catches_a_hand_edited_ledger(tmp_path):
    root = _scratch(tmp_path)
    sid, figs, dismissed = _lists_of(CLEANING[0])
    analysis.clean_source(sid, figs, dismissed, root=root)
    assert verify_ledger(sid, root) == []
    path = ledger_path(sid, root)
    good = pd.read_csv(path, dtype=str, keep_default_na=False)
    taken = good.index[good["account"] == "taken"][0]
    quantity = good.index[(good["kind"] == "quantity")][0]
    for change, message in [
        ({"account": "open", "row_indicator": "", "row_figure_start": ""}, "neither taken nor dismissed"),
        ({"account": "dismissed", "reason": "date", "row_indicator": "", "row_figure_start": ""},
         "dismissed (date) but taken by a clean row too"),
        ({"row_indicator": "made_up"}, "taken by made_up"),
        ({"match": "999"}, "not what the raw file holds there"),
    ]:
        bad = good.copy()
        row = taken if "reason" in change or "row_indicator" in change else quantity
        for k, v in change.items():
            bad.at[row, k] = v
        atomic_write_csv(bad, path)
        assert any(message in p for p in verify_ledger(sid, root)), (change, verify_ledger(sid, root))
    atomic_write_csv(good.drop(index=quantity), path)
    assert any("not the body's" in p for p in verify_ledger(sid, root))


def test_a_new_source_starts_with_every_mention_open(tmp_path):
    root = _scratch(tmp_path)
    analysis.clean_source(SID, [], root=root)
    led = analysis.load_ledger(SID, root)
    idx = analysis.mention_index(SID, root)
    assert len(led) == len(idx)
    open_ = led[led["account"] == "open"]
    assert "quantity" in set(open_["kind"]) and set(open_["kind"]) <= {"quantity", "name"}
    # a name stays open only when it reads as one amount with a unit (“八项提升行动”); every other kind is dismissed by it
    from analysis.clean.ledger import amount_reading
    from analysis.core.paths import raw_text

    raw = raw_text(root / analysis.load_sources(root).set_index("source_id").at[SID, "path"])
    for r in open_[open_["kind"] == "name"].itertuples():
        assert amount_reading(r.match, raw[r.raw_end:r.raw_end + 12], "name"), r.match
    assert len(analysis.open_mentions(SID, build_observations(SID, [], root), root=root)) == (led["account"] == "open").sum()
    assert sum("neither taken nor dismissed" in p for p in verify_ledger(SID, root)) == (led["account"] == "open").sum()


# --- translation suspects, totals and parts ---
def _rows(**cols):
    n = max(len(v) for v in cols.values() if isinstance(v, list))
    base = {c: [""] * n for c in COLUMNS}
    base.update({"source_id": ["s"] * n, "city_en": ["A"] * n, "period": ["2022"] * n, "value": [1.0] * n,
                 "high": [float("nan")] * n, "flags": [""] * n, "note": [""] * n})
    base.update(cols)
    return pd.DataFrame(base)


def test_translation_rules_flag_with_their_reasons():
    df = _rows(indicator=["a", "b", "c", "c"], city_en=["A", "A", "A", "B"], unit=["mu", "items", "seats", "seats"],
               value=[100.0, 297.0, 169000.0, 11000.0],
               figure=["not less than 100", "297", "169,000 degrees", "11,000 degrees"],
               quote=["a park of not less than 100 acres", "297 and 36,000 households in the old community",
                      "increasing 169,000 degrees", "a new degree of 11,000 degrees"],
               flags=["unit_from_context", "unit_from_context", "", ""])
    _translation_rules(df, df.index)
    assert df.at[0, "flags"].endswith("impossible_unit") and "'acres'" in df.at[0, "note"]
    assert "classifier_dropped" in df.at[1, "flags"] and "36,000 households" in df.at[1, "note"]
    assert "tenfold_sibling" in df.at[2, "flags"] and "B (11,000)" in df.at[2, "note"]
    assert "tenfold_sibling" not in df.at[3, "flags"]
    county = _rows(indicator=["c", "c"], city_en=["A", "B"], parent_city_en=["", "A"], unit=["seats"] * 2,
                   value=[169000.0, 11000.0], figure=["169,000 degrees", "11,000 degrees"], quote=["169,000 degrees", "11,000 degrees"])
    _translation_rules(county, county.index)
    assert (county["flags"] == "").all()  # a city's whole is not set against its own county
    county.at[0, "scope"] = "city_seat"
    _translation_rules(county, county.index)
    assert county.at[0, "flags"] == "tenfold_sibling"  # its seat is
    calm = _rows(indicator=["c", "c"], city_en=["A", "B"], unit=["seats"] * 2, value=[16900.0, 11000.0],
                 figure=["16,900 degrees", "11,000 degrees"], quote=["16,900 degrees", "11,000 degrees"])
    _translation_rules(calm, calm.index)
    assert (calm["flags"] == "").all()


def test_two_figures_for_one_thing_conflict():
    cb = load_codebook().set_index("indicator")
    a, b = next((i, o) for i, o in cb["overlaps"].items() if o)
    unit = cb.at[a, "unit"].split("|")[0]
    df = _rows(indicator=[a, b], unit=[unit, unit], value=[2000.0, 800.0])
    _conflicts(df, cb)
    assert (df["flags"] == "conflicting_figures").all() and "2,000" in df.at[0, "note"] and "800" in df.at[1, "note"]
    close = _rows(indicator=[a, b], unit=[unit, unit], value=[1000.0, 800.0])
    _conflicts(close, cb)
    assert (close["flags"] == "").all()


def test_parts_of_a_years_plan_are_checked_against_it():
    cb = load_codebook().set_index("indicator")
    part, whole = next((i, w) for i, w in cb["part_of"].items() if w)
    unit = cb.at[part, "unit"].split("|")[0]
    df = _rows(indicator=[whole, part], unit=[unit, unit], value=[40.0, 41.0], period=["2022", "2022-YTD@2022-09-22"])
    flagged = apply_checks(df, load_codebook())
    assert flagged.at[1, "flags"] == "part_exceeds_whole" and flagged.at[0, "flags"] == ""
    table = parts_table(df)
    assert list(table["fits"]) == [False] and table.at[0, "parts_period"] == "2022-YTD@2022-09-22"
    other_year = _rows(indicator=[whole, part], unit=[unit, unit], value=[40.0, 41.0], period=["2022", "2023-H1"])
    assert (apply_checks(other_year, load_codebook())["flags"] == "").all()  # not within the whole's period


def test_a_comparison_never_adds_a_part_to_its_whole():
    """Every value a comparison table shows is one clean row's value, of that indicator and place: nothing summed."""
    from analysis.compare import tables

    obs = analysis.load_observations()
    for name in pd.read_csv(ROOT / "data/comparisons.csv")["comparison"].unique():
        inds = tables.comparison_indicators(name)
        table = tables.comparison_table(obs, inds)
        shown = table[table["value"].notna()]
        for r in shown.itertuples():
            same = obs[(obs["indicator"] == r.indicator_id) & (obs["city_en"] == r.place_en)]
            assert r.value in set(same["value"]), (name, r.indicator_id, r.place_en, r.value)
