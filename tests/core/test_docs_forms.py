"""docs/quantities.md lists the forms the reader reads, each with an example: every row holds."""

import math
import re

import pytest

from analysis.core.paths import ROOT
from analysis.core.quantities import find_quantities


def _rows():
    text = (ROOT / "docs" / "quantities.md").read_text(encoding="utf-8")
    section = text.split("## The forms read", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0] not in ("form", "---") and not set(cells[0]) <= {"-"}:
            rows.append(cells)
    return rows


ROWS = _rows()


def test_the_docs_table_is_there_and_long():
    assert len(ROWS) >= 60


@pytest.mark.parametrize("form, example, mention, kind, value, unit, qualifier", ROWS, ids=[r[0] for r in ROWS])
def test_every_documented_form_reads_as_the_docs_say(form, example, mention, kind, value, unit, qualifier):
    df = find_quantities(example)
    hit = df[df["match"] == mention]
    assert len(hit) == 1, df[["match", "kind", "value", "unit"]].values.tolist()
    r = hit.iloc[0]
    assert r["kind"] == kind
    if kind != "quantity":
        assert math.isnan(r["value"])
        return
    assert (r["unit"], r["qualifier"]) == (unit, qualifier)
    low, _, high = value.partition("–")
    assert r["value"] == pytest.approx(float(low), rel=1e-12)
    if high:
        assert r["high"] == pytest.approx(float(high), rel=1e-12)
    else:
        assert r["high"] is None or math.isnan(r["high"])
    assert re.search(r"[\u4e00-\u9fff]", example) or example.isascii()
