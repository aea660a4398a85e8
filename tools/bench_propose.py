"""Leave-one-source-out benchmark of proposed figures (`make bench`; issue 13).

For every source with a clean CSV: learn from the other sources' rows (and the codebook), propose for
every quantity mention of its body, and compare with the figures it actually took. Prints, per source,
per language and overall: how many taken figures were proposed at all, and how often the taken
indicator is the first proposal (top-1) or among the first three (top-3). Then the same with
``--strict`` semantics: indicators only the held-out source uses are removed from the codebook (as
before its researcher added them); a proposed new codebook row counts as right for those figures.
Not a timed test: the figures depend on the data; the README records one run.
"""

from __future__ import annotations

import time

import pandas as pd

from analysis.clean.propose import leave_one_out, loo_table

pd.set_option("display.width", 160)
for strict in (False, True):
    t0 = time.perf_counter()
    table = loo_table(leave_one_out(strict=strict))
    took = time.perf_counter() - t0
    title = "strict: held-out source's own indicators removed from the codebook" if strict else "codebook as it stands"
    print(f"proposed figures, leave-one-source-out ({title}; {took:.1f} s)")
    print(table.to_string(float_format=lambda x: f"{x:.1f}"))
    print()
