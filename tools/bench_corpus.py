"""Proposals measured on the development corpus (`make bench`; issue 21).

For every article of ``tests/corpus`` (written for this project, each with its gold figures): copy the
data and notebooks to a temp folder, add the article there as a source (``new-source`` without running
its notebook), and run today's proposer on the reader's quantity mention at every gold offset,
learning from every committed clean CSV with the codebook as it stands. Nothing in the repository is
written; the proposer's scores are not touched.

Printed per split (``dev``, ``heldout``) and per language, for the gold figures an editor takes:

- ``known``: gold indicator is in the codebook; ``top-1`` / ``top-3``: it is the proposal / among the
  three candidates (a proposed new codebook row counts as wrong at top-1, its two alternatives count at top-3);
- ``first named``: the gold indicator is the first existing indicator the line names, sure or not (the proposal
  where it is sure; where it is not, the best existing indicator, whose ready line it gives beside the new row);
- ``sure right``: top-1, and the proposal is sure (confidence >= ``SURE``, not a new row);
- ``none``: no codebook indicator fits; ``not sure``: the proposal is a new codebook row or unsure;
- ``sure wrong``: the proposal is sure and not the gold indicator (for a ``none`` figure, any sure proposal);
- ``status`` / ``period``: the proposed status (the quote's status hint, else the article kind's default)
  and period (the period hint, else the article's period) equal gold; periods covering the same days are
  the same (1-6月, 上半年 and 截至6月底);
- ``dismissed``: the numbers an editor rejects (a name, a definition, a repeat): how many got a sure proposal.

``--fit`` refits the proposer's confidence on the dev figures, cross-validated by article, and prints the
weights and what each threshold would give (the held-out half is never used, and its summary lines are not
printed: a fit is not a look at the held-out set).

``--rows`` prints each dev figure (proposal, score, gold); ``--rows-heldout`` the held-out ones too: the
held-out articles are never read while choosing weights or rules (tests/corpus/README.md).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
DEFAULT_STATUS = {"results": "result", "targets": "target"}


def copy_data(dst: Path) -> Path:
    """Copy what git tracks (and untracked files it does not ignore) under data/ and notebooks/ to ``dst``."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "data", "notebooks"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\n")
    for f in filter(None, files):
        if (ROOT / f).is_file():
            (dst / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, dst / f)
    return dst


def add_articles(root: Path, articles: pd.DataFrame) -> None:
    """Add every corpus article to the copy at ``root`` as a source, as ``new-source --no-execute`` does."""
    import contextlib
    import io

    from analysis.suite.scaffold import NewSource, scaffold

    for a in articles.itertuples():
        src = NewSource(article=CORPUS / "articles" / f"{a.id}.txt", source_id=a.id, city_en=a.city_en, city_zh=a.city_zh,
                        admin_level="prefecture", province=a.province, language=a.language, published=a.published,
                        period=a.period, kind=a.kind, outlet="development corpus (written for this project)",
                        body_start=a.body_starts_with, body_end=a.body_ends_with)
        with contextlib.redirect_stderr(io.StringIO()):  # the suite lock's messages
            scaffold(src, root=root, execute=False)


def same_period(a: str, b: str) -> bool:
    """Two periods are the same where they cover the same days (1-6月, 上半年 and 截至6月底 are one period)."""
    from analysis.core.periods import period_bounds

    try:
        return period_bounds(a) == period_bounds(b)
    except (ValueError, KeyError):
        return a == b


def measure(root: Path, articles: pd.DataFrame, gold: pd.DataFrame, codebook: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per gold figure: what the proposer said for the reader's mention at its offset (with ``codebook``
    instead of the repository's, where given)."""
    from analysis.clean.propose import propose_figures
    from analysis.sources.mentions import mention_index

    out = []
    for a in articles.itertuples():
        g = gold[gold["article_id"] == a.id]
        index = mention_index(a.id, root)
        index = index[index["kind"] == "quantity"]
        at = {}
        for r in g.itertuples():
            hit = index[(index["raw_start"] <= r.offset) & (r.offset < index["raw_start"] + index["match"].str.len())]
            at[r.Index] = hit.index[0] if len(hit) else None
        wanted = sorted({i for i in at.values() if i is not None})
        props = propose_figures(a.id, root, mentions=index.loc[wanted], dismissed=[], codebook=codebook).set_index("raw_start")
        for r in g.itertuples():
            p = props.loc[index.at[at[r.Index], "raw_start"]] if at[r.Index] is not None else None
            new = p is not None and bool(p["new_indicator"])
            cands = [] if p is None else [c for c in (p["indicator"], p["alt_1"], p["alt_2"]) if c]
            status = None if p is None else (p["status_hint"] or DEFAULT_STATUS[a.kind])
            period = None if p is None else (p["period_hint"] or a.period)
            known = r.indicator != "none"
            confident = p is not None and bool(p["sure"])  # not a new row, and confidence >= SURE
            out.append({"split": a.split, "language": a.language, "article_id": a.id, "match": r.match,
                        "gold": r.indicator, "dismissed": bool(r.dismiss_reason), "known": known,
                        "read": p is not None, "proposed": "" if p is None else p["indicator"],
                        "score": float("nan") if p is None else float(p["score"]),
                        "top1": bool(known and not new and cands[:1] == [r.indicator]),
                        "top3": bool(known and r.indicator in (cands[1:] if new else cands)),
                        "abstained": not confident, "new_row": bool(new), "sure_right": bool(confident and known
                                                                                            and p["indicator"] == r.indicator),
                        "confidence": float("nan") if p is None else float(p["confidence"]),
                        "best": "" if p is None else (p["alt_1"] if new else p["indicator"]),
                        **({} if p is None else {c: p[c] for c in p.index if c.startswith("f_")}),
                        "confident_wrong": bool(confident and (not known or p["indicator"] != r.indicator)),
                        "status_ok": status == r.status, "period_ok": period is not None and same_period(period, r.period),
                        "gold_status": r.status, "status": status, "gold_period": r.period, "period": period})
    return pd.DataFrame(out)


def table(res: pd.DataFrame) -> pd.DataFrame:
    def summary(g: pd.DataFrame) -> pd.Series:
        take = g[~g["dismissed"]]
        known, none = take[take["known"]], take[~take["known"]]

        def pct(k, n):
            return f"{k}/{n} ({100 * k / n:.0f}%)" if n else "-"
        return pd.Series({
            "figures": len(take),
            "known": len(known), "top-1": pct(known["top1"].sum(), len(known)),
            "first named": pct((known["best"] == known["gold"]).sum(), len(known)),
            "top-3": pct(known["top3"].sum(), len(known)),
            "sure right": pct(known["sure_right"].sum(), len(known)),
            "none": len(none), "not sure": pct(none["abstained"].sum(), len(none)),
            "sure wrong (known+none)": f"{int(take['confident_wrong'].sum())} ({int(known['confident_wrong'].sum())}"
                                      f"+{int(none['confident_wrong'].sum())})",
            "status": pct(take["status_ok"].sum(), len(take)), "period": pct(take["period_ok"].sum(), len(take)),
            "dismissed (sure)": f"{len(g) - len(take)} ({int(g[g['dismissed']]['confident_wrong'].sum())})",
        })
    parts = []
    for split in ("dev", "heldout"):
        s = res[res["split"] == split]
        for lang in sorted(s["language"].unique()):
            parts.append(summary(s[s["language"] == lang]).rename(f"{split} {lang}"))
        parts.append(summary(s).rename(f"{split} all"))
    parts.append(summary(res).rename("both splits"))
    return pd.DataFrame(parts)


def measure_strict(root: Path, articles: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """The strict variant: each taken figure proposed with its own indicator removed from the codebook (as before a
    researcher added it), so that the right answer is "no indicator fits". One row per figure, gold ``none``."""
    from analysis.metadata.codebook import load_codebook

    book = load_codebook(root)
    taken = gold[(gold["indicator"] != "none") & (gold["dismiss_reason"] == "")]
    parts = []
    for (aid, ind), g in taken.groupby(["article_id", "indicator"]):
        res = measure(root, articles[articles["id"] == aid], g.assign(indicator="none"), book[book["indicator"] != ind])
        parts.append(res.assign(removed=ind))
    return pd.concat(parts, ignore_index=True)


def fit(dev: pd.DataFrame, strict: pd.DataFrame | None = None) -> str:
    """Refit the proposer's confidence on ``dev`` (figures an editor takes, with a best candidate), cross-validated by
    article (each article's confidences come from weights fitted on the others), and say what each SURE would give."""
    import math

    from analysis.clean.propose import FEATURES, confidence, fit_confidence

    both = dev if strict is None else pd.concat([dev.assign(strict=False), strict.assign(strict=True)], ignore_index=True)
    d = both[~both["dismissed"] & (both["best"] != "")].rename(columns={f"f_{k}": k for k in FEATURES})
    d["ok"] = d["known"] & (d["best"] == d["gold"])
    for art in d["article_id"].unique():
        train, test = d["article_id"] != art, d["article_id"] == art
        w = fit_confidence(d[train], d.loc[train, "ok"])
        d.loc[test, "cv"] = [confidence(*(r[k] for k in FEATURES), weights=w) for _, r in d[test].iterrows()]
    weights = fit_confidence(d, d["ok"])
    take = both[~both["dismissed"]]
    n_known, n_none = int(take["known"].sum()), int((~take["known"]).sum())
    lines = [f"confidence weights fitted on {len(d)} dev figures: {weights}",
             "cross-validated by article: SURE -> sure and right (of known), sure and wrong (known + none; the none as real "
             "+ strict), not sure (of none; the strict variant's figures, whose own indicator was removed, count as none)"]
    strict_rows = d["strict"] if "strict" in d else pd.Series(False, index=d.index)
    for t in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99):
        sure = d["cv"] >= t
        wrong = sure & ~d["ok"]
        lines.append(f"  {t:.2f}: {int((sure & d['ok']).sum())}/{n_known}, {int(wrong.sum())} "
                     f"({int((wrong & d['known']).sum())} + {int((wrong & ~d['known']).sum())}; "
                     f"{int((wrong & ~d['known'] & ~strict_rows).sum())} real + {int((wrong & strict_rows).sum())} strict), "
                     f"{n_none - int((sure & ~d['known']).sum())}/{n_none}")
    assert not math.isnan(d["cv"].sum())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", action="store_true", help="print each dev figure")
    ap.add_argument("--rows-heldout", action="store_true", help="print each held-out figure too (not while tuning)")
    ap.add_argument("--fit", action="store_true", help="refit the confidence on the dev articles (cross-validated by "
                                                       "article) and print the weights and the trade-off of SURE")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    articles = pd.read_csv(CORPUS / "articles.csv", dtype=str, keep_default_na=False)
    gold = pd.read_csv(CORPUS / "gold.csv", dtype=str, keep_default_na=False).astype({"offset": "int64"})
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench_corpus_") as tmp:
        root = copy_data(Path(tmp))
        add_articles(root, articles)
        res = measure(root, articles, gold)
    took = time.perf_counter() - t0
    pd.set_option("display.width", 200)
    print(f"proposals on the development corpus ({len(articles)} articles, {len(gold)} gold numbers; {took:.1f} s)")
    summary = table(res)
    if args.fit:  # tuning: the held-out lines are not shown, so that fitting never becomes a look at them
        summary = summary[summary.index.str.startswith("dev")]
    print(summary.to_string())
    if args.fit:
        dev_articles = articles[articles["split"] == "dev"]
        with tempfile.TemporaryDirectory(prefix="bench_corpus_") as tmp:
            root = copy_data(Path(tmp))
            add_articles(root, dev_articles)
            strict = measure_strict(root, dev_articles, gold[gold["article_id"].isin(dev_articles["id"])])
        print(fit(res[res["split"] == "dev"], strict))
    show = res[res["split"] == "dev"] if not args.rows_heldout else res
    if args.rows or args.rows_heldout:
        cols = ["article_id", "match", "gold", "proposed", "score", "top3", "confident_wrong", "gold_status", "status",
                "gold_period", "period"]
        print()
        print(show[cols].to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
