"""Stamp notebooks: the metadata every suite notebook shares (kernel, declared inputs), one place."""

from __future__ import annotations

from pathlib import Path

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def new_notebook(cells: list[tuple[str, str]], inputs: list[str], outputs: list[str] | None = None):
    """Return an nbformat notebook from ("md" | "code", text) pairs, declaring its suite inputs.

    ``inputs`` are repo-relative paths or globs whose change makes the pipeline re-run the notebook
    (the ``analysis`` package is always an input; ``file.csv#id`` is one row of a CSV); ``outputs``
    are what it writes, so that notebooks reading them run after it (``analysis.suite.pipeline``).
    """
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(t) if k == "md" else nbformat.v4.new_code_cell(t) for k, t in cells]
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i:02d}"  # stable ids: no random uuids in diffs
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}, "suite": {"inputs": inputs, "outputs": outputs or []}}
    return nb


def coalesce_streams(nb):
    """Merge each cell's consecutive stream outputs of one name (stdout, stderr) into one, in place; return ``nb``.

    A kernel may send one ``print`` as one message or as two (the text, then its newline), depending on
    timing: saved as they came, the same run gave different bytes. Merged, it gives the same bytes
    (nbval compares the joined text, so it accepts either).
    """
    for cell in nb.get("cells", []):
        merged = []
        for out in cell.get("outputs", []):
            if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                    and merged[-1].get("name") == out.get("name")):
                merged[-1]["text"] = "".join(merged[-1]["text"]) + "".join(out["text"])
            else:
                merged.append(out)
        if "outputs" in cell:
            cell["outputs"] = merged
    return nb


def write_notebook(nb, path: Path) -> None:
    """Write a notebook atomically, its stream outputs coalesced (:func:`coalesce_streams`)."""
    import nbformat

    from analysis.core.paths import atomic_path

    with atomic_path(path) as tmp:  # a unique temp name: runs in parallel never share one
        nbformat.write(coalesce_streams(nb), str(tmp))


DISMISSED_TEMPLATE = ("DISMISSED = [\n    # Skip(\"verbatim quote\", \"reason\", figure=\"the number, if the quote holds several\", note=\"why\"),\n"
                      "    # Skip(\"...\", \"repeat\", same_as=\"indicator_of_the_row_taken\"),\n"
                      "    #   reasons: the dismissal vocabulary of data/vocabularies.csv (README, 'Every number accounted for')\n]")


def cleaning_notebook(source_id: str, raw_path: str, intro: str, figures_code: str, closing: str,
                      dismissed_code: str = DISMISSED_TEMPLATE, places=()):
    """Return a cleaning notebook for one source: card, mention index, figures, dismissals, rows, checks, ledger.

    ``figures_code`` is the cell that defines ``FIGURES`` (a list of ``Fig``), grouped by topic with
    short comments; ``dismissed_code`` the cell that defines ``DISMISSED`` (a list of ``Skip``: the
    numbers not taken, and why); ``intro`` and ``closing`` are markdown (title and source first; what
    the data shows last). The notebook writes the clean CSV and the ledger (:mod:`analysis.clean.ledger`).
    Its inputs are its own manifest row and its ``places``' rows of ``data/raw/places.csv`` (the whole file
    where none are given), so that adding a city re-runs no other source's notebook.
    """
    from analysis.clean.propose import PROPOSAL_LIMIT

    cells = [
        ("md", intro),
        ("code", "import pandas as pd\n\nimport analysis\nfrom analysis import Fig, Skip  # noqa: F401 (a list of dismissals may be empty)\n\n"
                 f'pd.set_option("display.max_rows", 250)\n'
                 'pd.set_option("display.max_colwidth", 120)\n'
                 'pd.set_option("display.float_format", "{:,.15g}".format)  # 80 and 2,200,000,000, not 8.0e+01\n'
                 f'SOURCE = "{source_id}"\nanalysis.source_card(SOURCE)'),
        ("md", "## Every number in the article\n\nThe mention index of the article body: each number, where it "
               "stands in the raw file (`raw_start`, a character offset) and how it reads. Website furniture "
               "outside the body is not indexed."),
        ("code", 'mentions = analysis.mention_index(SOURCE)\nmentions["kind"].value_counts()'),
        ("code", 'mentions[["raw_start", "match", "kind", "value", "unit", "qualifier"]]'),
        ("md", "## The figures taken\n\nEach figure is an indicator of `data/codebook.csv` and a verbatim quote "
               "from the raw file. Value, unit and qualifier are parsed from the quote (from `figure`, where "
               "the quote holds several numbers), never typed in. Anything that counts or measures something "
               "in the place is taken, whatever its topic."),
        ("code", figures_code),
        ("md", "## The numbers not taken, and why\n\nEvery other number of the body is dismissed with a reason "
               "of the `dismissal` vocabulary (`data/vocabularies.csv`). Dates, years, ordinals and identifiers "
               "are dismissed by their kind unless they read as an amount with a unit."),
        ("code", dismissed_code),
        ("code", f'obs = analysis.clean_source(SOURCE, FIGURES, DISMISSED)\nledger = analysis.load_ledger(SOURCE)\n'
                 f'print("written: data/clean/{source_id}.csv and data/clean/ledger/{source_id}.csv")\n'
                 'print(analysis.taken_summary(obs, ledger))\n'
                 'obs[["city_en", "period", "status", "topic", "indicator", "value", "unit", "qualifier", "figure"]]'),
        ("md", "## Checks\n\nPlausibility flags (the rules are `analysis.clean.checks.RULES`): a flagged figure stays "
               "in the data, marked, with the reason in its note."),
        ("code", 'obs.loc[obs["flags"] != "", ["city_en", "indicator", "figure", "flags", "note"]]'),
        ("md", "Totals and their parts (codebook `part_of`; a part of a period within the whole's): each row says "
               "whether the parts fit. A comparison never adds a part to its whole."),
        ("code", 'analysis.parts_table(obs)'),
        ("md", "## The ledger\n\nThe numbers dismissed, by reason (`data/clean/ledger/` holds every mention with "
               "its account), and any still open: a researcher's next step, and what `make test` refuses."),
        ("code", 'analysis.dismissal_table(ledger)'),
        ("code", 'rest = analysis.open_mentions(SOURCE, obs, DISMISSED)\nprint(f"{len(rest)} mentions neither taken nor dismissed")\n'
                 'rest[["raw_start", "match", "kind", "unit", "sentence"]]'),
        ("md", "## Proposed figures\n\nFor every number neither taken nor dismissed, a line to copy into the figure list above: the "
               "shortest quote that stands once in the body, the likeliest indicator with how sure the proposer is and the "
               "words of the sentence that matched (below its threshold a line says *no indicator fits with confidence* "
               "and names the best two; learnt from the codebook and every source already cleaned: "
               "`analysis.propose_figures`), a ready `Skip` for a number an editor would dismiss, hints for "
               f"status, scope and period, for the first {PROPOSAL_LIMIT} open numbers (a long article's notebook stays fast; the "
               "rest follow as you take or dismiss these). Check each against its sentence before you take it; "
               f"`python -m analysis validate {source_id}` checks the list in a second, every problem at once. "
               "The proposals learn from other sources' clean data, which this notebook does not read otherwise, so "
               "this cell's output is advice as of its last run and the tests do not compare it (`NBVAL_IGNORE_OUTPUT`)."),
        ("code", "# NBVAL_IGNORE_OUTPUT (advice learnt from the other sources' clean data, as of this run)\n"
                 f"print(analysis.proposal_lines(analysis.propose_figures(SOURCE, taken=obs, dismissed=DISMISSED, limit={PROPOSAL_LIMIT})))"),
        ("md", closing),
    ]
    place_rows = [f"data/raw/places.csv#{p}" for p in places] or ["data/raw/places.csv"]
    inputs = [f"data/raw/sources.csv#{source_id}", *place_rows, "data/codebook.csv", "data/vocabularies.csv", raw_path]
    # data/clean/datapackage.json is written by every cleaning notebook and by the runner after each run; it is no
    # notebook's own output (else one new source would make every other source's notebook stale)
    outputs = [f"data/clean/{source_id}.csv", f"data/clean/ledger/{source_id}.csv"]
    return new_notebook(cells, inputs, outputs)
