"""The researcher's helpers behave like pandas (issue 22 item 7): find ranks and takes field=, provenance takes a
row, a row label or a wide-table cell and reports flags and note, wrong choices are one plain message."""

import pandas as pd
import pytest

import analysis
from analysis.compare import explore, plotting, tables


@pytest.fixture(scope="module")
def obs():
    return analysis.load_observations()


def test_find_ranks_what_a_row_counts_before_what_its_sentence_mentions(obs):
    word = str(obs["indicator"].iloc[0]).split("_")[0]  # a word of some indicator's id
    hits = analysis.find(obs, word)
    assert hits["relevance"].is_monotonic_decreasing and len(hits)
    in_indicator = hits["indicator"].astype(str).str.replace("_", " ").str.contains(word)
    assert in_indicator.iloc[0]  # the first row counts the thing, not only mentions it
    if (~in_indicator).any():
        assert hits.loc[in_indicator, "relevance"].min() >= hits.loc[~in_indicator, "relevance"].max() - 3
    only_quotes = analysis.find(obs, word, field="quote")
    assert set(only_quotes["matched"]) <= {"quote"}
    with pytest.raises(ValueError, match="choose from indicator, label_en"):
        analysis.find(obs, word, field="quotes")


def test_provenance_takes_a_row_a_label_or_a_wide_table_cell_and_reports_flags_and_note(obs):
    flagged = obs[obs["flags"] != ""]
    row = flagged.iloc[0] if len(flagged) else obs.iloc[0]
    label = row.name
    a = analysis.provenance(row)
    b = analysis.provenance(int(label), obs)
    assert a == b and a["quote"] in a["sentence"] and set(a) >= {"flags", "note", "indicator"}
    assert all(a["flags"].values()) and set(a["flags"]) == set(f for f in str(row["flags"]).split(";") if f)
    w = analysis.wide_table(obs)
    idx = tuple(str(row[c]) for c in tables.WIDE_INDEX)
    assert analysis.provenance((idx, str(row["city_en"])), obs) == a
    assert not pd.isna(w.loc[idx, str(row["city_en"])])
    with pytest.raises(ValueError, match="no row"):
        analysis.provenance(10**9, obs)
    with pytest.raises(ValueError, match="a row, a row number or a wide-table cell"):
        analysis.provenance(1.5, obs)


def test_wide_table_keeps_bounds_and_ranges_as_stated(obs):
    bounded = obs[obs["qualifier"].astype(str) != "exact"]
    assert len(bounded), "no bounded figure to check"
    w = analysis.wide_table(obs, values="as_stated")
    for _, r in bounded.iterrows():
        cell = w.loc[tuple(str(r[c]) for c in tables.WIDE_INDEX), str(r["city_en"])]
        assert cell == tables.fmt_value(r["value"], str(r["unit"]), str(r["qualifier"]), r["high"])
        assert cell[0] in "≥>≈≤<" or "–" in cell


@pytest.mark.parametrize("call, says", [
    (lambda o: tables.comparison_table(o, ["new_urban_jobs"], lang="fr"), "lang='fr': one of 'en', 'zh'"),
    (lambda o: tables.headline(tables.comparison_table(o, ["new_urban_jobs"]), metric="per10k"), "metric='per10k': one of"),
    (lambda o: tables.comparison_table(o, []), "no indicator given"),
    (lambda o: plotting.source_note(["x"], lang="de"), "lang=.de."),
])
def test_a_wrong_choice_is_one_plain_message_naming_the_choices(obs, call, says):
    with pytest.raises(ValueError, match=says.replace("(", r"\(").replace(")", r"\)")):
        call(obs)


def test_a_chart_exposes_its_matplotlib_figure(obs):
    import matplotlib.figure

    from analysis.compare import plotting

    charts = plotting.charts(obs, ["new_urban_jobs"], "test_chart")
    assert all(isinstance(c.figure, matplotlib.figure.Figure) for c in charts)
    assert explore.FIELD_WEIGHTS["indicator"] > explore.FIELD_WEIGHTS["quote"] > explore.FIELD_WEIGHTS["topic"]


def test_every_chart_note_names_its_machine_translations_and_bundles_recompute_per_capita_values():
    """Issue 22 item 3: a reader of a note can tell a figure was read from a machine translation, and a per-10k
    bundle holds the population, its date and source of each row: value / population x 10,000 is what is drawn."""
    import json

    from analysis.compare.publish import machine_translation
    from analysis.core.paths import FIGURES
    from analysis.core.text import zh_punctuation

    src = analysis.load_sources().set_index("source_id")
    bundles = sorted(FIGURES.glob("*.json"))
    assert bundles
    for path in bundles:
        meta = json.loads(path.read_text(encoding="utf-8"))
        mt = plotting.TEXT[meta["language"]]["machine_translation"]
        for s in meta["sources"]:
            is_mt = machine_translation(src.loc[s["source_id"]].to_dict())
            part = f"{s['city']}: {s['outlet']}{mt if is_mt else ''}, {s['published']}"
            part = zh_punctuation(part) if meta["language"] == "zh" else part
            assert part in meta["source_note"], (path.name, part, meta["source_note"])
        rows = plotting.read_bundle(path.with_suffix(".csv"))
        for c in ("value", "population", "plotted_value"):
            rows[c] = pd.to_numeric(rows[c].replace("", None), errors="coerce")
        rows["population_source"] = rows["population_source"].replace("", None)
        if meta["metric"] == "per_10k":
            bars = rows[rows["drawn_as"] == "bar"]
            assert bars["population"].notna().all() and bars["population_source"].notna().all()
            assert ((bars["value"] / bars["population"] * 10_000).round(2) - bars["plotted_value"]).abs().max() < 0.006
