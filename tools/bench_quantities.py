"""Benchmark find_quantities on a >= 10 MB corpus built from the article bodies (`make bench`).

Prints MB/s (UTF-8 bytes) and mentions/s for our parser, and, as a reference point, how fast and how
well cn2an (an established Chinese-numeral library) reads the same mention strings.
Not a timed test: figures depend on the machine; the README records one run.
"""

from __future__ import annotations

import argparse
import time

import analysis
from analysis.core.quantities import parse_quantity


def corpus(min_mb: float) -> str:
    bodies = [analysis.read_article(s) for s in analysis.load_sources()["source_id"]]
    one = "\n".join(bodies) + "\n"
    reps = int(min_mb * 1e6 // len(one.encode("utf-8"))) + 1
    return one * reps


def best_of(n: int, fn):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=10.0, help="corpus size in MB (default 10)")
    ap.add_argument("--repeat", type=int, default=3, help="runs; the best is reported (default 3)")
    args = ap.parse_args()
    text = corpus(args.mb)
    mb = len(text.encode("utf-8")) / 1e6
    secs, df = best_of(args.repeat, lambda: analysis.find_quantities(text))
    print(f"corpus: {mb:.1f} MB UTF-8, {len(text):,} characters, {len(df):,} mentions")
    print(f"find_quantities: {secs:.2f} s  ->  {mb / secs:.1f} MB/s, {len(df) / secs:,.0f} mentions/s (best of {args.repeat})")

    strings = sorted(set(df.loc[df["kind"] == "quantity", "match"]))
    t0 = time.perf_counter()
    ours = [parse_quantity(s) for s in strings * 50]
    t_ours = time.perf_counter() - t0
    print(f"parse_quantity on the {len(strings)} distinct mention strings x50: {len(ours) / t_ours:,.0f} parses/s")
    try:
        import cn2an
    except ImportError:
        print("cn2an not installed: no reference point")
        return
    ok = 0
    t0 = time.perf_counter()
    for _ in range(50):
        ok = 0
        for s in strings:
            try:
                cn2an.cn2an(s, "smart")
                ok += 1
            except (ValueError, KeyError, IndexError):
                pass
    t_ref = time.perf_counter() - t0
    print(f"cn2an.cn2an(smart) on the same strings x50: {len(strings) * 50 / t_ref:,.0f} calls/s; "
          f"accepts {ok}/{len(strings)} of them (rejects units, English multipliers and qualifiers)")


if __name__ == "__main__":
    main()
