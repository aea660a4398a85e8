"""Command line: ``python -m analysis run`` (the whole suite), ``check``, ``new-source``, ``propose``, ``validate``,
``site``, ``docs``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _check() -> int:
    from analysis.sources.manifest import load_sources

    df = load_sources()
    print(f"sources: {len(df)} articles, all checksums and body markers verified")
    for row in df.itertuples():
        print(f"  {row.source_id:<22} {row.language:<8} {row.kind:<8} {row.period:<20} {row.path}")
    return 0


def _docs(check: bool = False) -> int:
    """Write the reference pages (one line per page), or with ``check`` list the stale ones (exit 1 if any)."""
    from analysis.suite.refdocs import COMMAND, stale_pages, write_pages

    if check:
        stale = stale_pages()
        for page in stale:
            print(f"stale: {page}")
        print(f"{len(stale)} reference page(s) not current; run `{COMMAND}`" if stale else "reference pages: all current")
        return 1 if stale else 0
    for page, changed in write_pages():
        print(f"{'wrote' if changed else 'current'}: {page}")
    return 0


def _ask_markers(article: Path, ask=None) -> tuple[str, str]:
    """Show the article's lines and ask which are the body's first and last (interactive use only).

    An answer that is not a line number (0, a word, a number past the end, a last line before the
    first) is refused and asked again.
    """
    ask = ask or input  # looked up at call time
    text = article.read_bytes().decode("utf-8")
    lines = [b for b in (ln.strip().lstrip("\ufeff").strip() for ln in text.splitlines()) if b]
    print("The article body could not be found. Its non-empty lines:")
    for i, ln in enumerate(lines, start=1):
        print(f"  {i:3d}  {ln[:70]}")
    first = _ask_number("number of the body's first line: ", 1, len(lines), ask)
    last = _ask_number("number of the body's last line: ", first, len(lines), ask)
    return lines[first - 1][:30], lines[last - 1][-30:]


def _ask_number(prompt: str, low: int, high: int, ask) -> int:
    while True:
        answer = ask(prompt).strip()
        if answer.isdigit() and low <= int(answer) <= high:
            return int(answer)
        print(f"  {answer!r} is not a line number from {low} to {high}; try again")


def _current_rows(source_id: str):
    """The rows the notebook's figure list builds now (what the researcher has typed so far), else None
    (the clean CSV of the last run), so that proposals leave out what is already taken."""
    from analysis.clean.figure_lists import FigureListError, figure_list
    from analysis.clean.observations import ObservationError, build_observations

    try:
        return build_observations(source_id, figure_list(source_id)["FIGURES"])
    except (FigureListError, ObservationError):
        return None


def _known_source(source_id: str) -> None:
    """A plain error naming the known ids for a source id that is not in the manifest."""
    from analysis.sources.manifest import ManifestError, source_row

    try:
        source_row(source_id)
    except KeyError as e:
        raise ManifestError(e.args[0]) from None


def main(argv: list[str] | None = None) -> int:
    """Run a command; an error the user can cause is one plain line on stderr and a non-zero exit."""
    from analysis.clean.figure_lists import FigureListError
    from analysis.clean.ledger import LedgerError
    from analysis.clean.observations import ObservationError
    from analysis.clean.rules import RulebookError
    from analysis.clean.trace import TraceError
    from analysis.metadata.codebook import CodebookError
    from analysis.metadata.schema import SchemaError
    from analysis.sources.manifest import ManifestError
    from analysis.suite.scaffold import ScaffoldError
    from analysis.suite.site import SiteError
    from analysis.suite.state import NotebookError, StateError

    try:
        return _main(argv)
    except KeyboardInterrupt as e:
        print(f"interrupted{': ' + str(e) if str(e) else ''}; every file is either as before or complete "
              "(written under a temp name, then renamed)", file=sys.stderr)
        return 130
    except EOFError:
        print("error: no answer (end of input); nothing written", file=sys.stderr)
        return 2
    except (ManifestError, ScaffoldError, ObservationError, SchemaError, TraceError, StateError, NotebookError,
            FigureListError, LedgerError, RulebookError, CodebookError, SiteError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="verify the source manifest (checksums, body markers)")
    prop = sub.add_parser("propose", help="propose a Fig(...) line for every number of an article not yet taken")
    prop.add_argument("source_id")
    val = sub.add_parser("validate", help="check a cleaning notebook's figure list at once, every problem with a hint")
    val.add_argument("source_id")
    run = sub.add_parser("run", help="verify sources, then execute every notebook whose inputs changed")
    run.add_argument("--force", action="store_true", help="re-execute every notebook")
    site = sub.add_parser("site", help="build the static site (notebooks, charts, workbook, provenance review pages, "
                          "README and docs/), offline")
    site.add_argument("--out", type=Path, default=None, help="output folder (default: build/site)")
    docs = sub.add_parser("docs", help="write the reference pages docs/reference/*.md from data/ (codebook, vocabularies, "
                          "fields, sources)")
    docs.add_argument("--check", action="store_true", help="write nothing; exit 1 listing the pages that are not current")
    new = sub.add_parser("new-source", help="add an article: copy it, record it, stamp its cleaning notebook",
                         description="Add an article to the suite. Nothing is written unless every check passes.")
    new.add_argument("article", type=Path, help="the article, a UTF-8 text file (copied byte for byte)")
    for name, hlp in [("source-id", "e.g. suqian_2021h1_zh"), ("city-en", "place, in English"), ("city-zh", "place, in Chinese"),
                      ("admin-level", "prefecture, county-level city or district"), ("province", "e.g. Jiangsu"),
                      ("language", "en, zh-Hans or zh-Hant"), ("published", "YYYY-MM-DD, or unknown (then give --accessed)"),
                      ("period", "YYYY, YYYY-H1, YYYY-M01-M08, YYYY-YTD@YYYY-MM-DD or YYYY-spring"),
                      ("kind", "results or targets"), ("outlet", "who published it")]:
        new.add_argument(f"--{name}", default="", help=hlp)
    for name, hlp in [("title", "the headline (default: the last line above the body)"), ("parent-en", "parent city, for a county or district"),
                      ("translation-of", "source_id of the original, for a translation"),
                      ("body-start", "the start of the body's first line (default: the file's first line)"),
                      ("body-end", "the end of the body's last line (default: the file's last line)"), ("note", "a note"),
                      ("accessed", "YYYY-MM-DD: when you read the article (required if --published is unknown)"),
                      ("population", "resident population of a new place, for per-capita comparisons"),
                      ("population-source", "the population's citation, e.g. 宿迁市第七次全国人口普查公报"),
                      ("population-date", "YYYY-MM-DD: the population's reference date"),
                      ("url", "where the article stands (http:// or https://)"),
                      ("licence", "the article's licence or terms of use, as its site states them"),
                      ("citation", "how the outlet asks to be cited, or a full reference to the article")]:
        new.add_argument(f"--{name}", default="", help=hlp)
    new.add_argument("--no-execute", action="store_true", help="stamp the notebook without running it")
    args = parser.parse_args(argv)
    if args.command == "new-source":
        from analysis.suite.scaffold import NewSource, ScaffoldError, scaffold

        fields = {k: v for k, v in vars(args).items() if k not in ("command", "no_execute")}
        try:
            nb = scaffold(NewSource(**fields), execute=not args.no_execute)
        except ScaffoldError as e:
            if "--body-start" not in str(e) or not sys.stdin.isatty():
                print(f"error: {e}", file=sys.stderr)
                return 2
            fields["body_start"], fields["body_end"] = _ask_markers(args.article)  # a person at a terminal: ask
            try:
                nb = scaffold(NewSource(**fields), execute=not args.no_execute)
            except ScaffoldError as e2:
                print(f"error: {e2}", file=sys.stderr)
                return 2
        print(f"added {args.source_id}: {nb.relative_to(nb.parent.parent)} is ready; fill its FIGURES, then run `make`")
        return 0
    if args.command == "check":
        return _check()
    if args.command in ("propose", "validate"):
        _known_source(args.source_id)
    if args.command == "propose":
        from analysis.clean.propose import proposal_lines, propose_figures

        props = propose_figures(args.source_id, taken=_current_rows(args.source_id))
        print(f"# {len(props)} numbers of {args.source_id} not yet taken; paste what you take into FIGURES, check each "
              "quote, period and status against the sentence")
        print(proposal_lines(props))
        return 0
    if args.command == "validate":
        from analysis.clean.validate import validate_figures

        print(validate_figures(args.source_id))
        return 0
    if args.command == "site":
        from analysis.suite.site import build_site

        index = build_site(args.out)
        print(f"open {index} in a browser (file://; no server or network needed)")
        return 0
    if args.command == "docs":
        return _docs(check=args.check)
    if args.command == "run":
        status = _check()
        from analysis.suite.pipeline import run_all

        return status or run_all(force=args.force)
    return 2



def entry() -> None:
    """Run :func:`main` and exit with its code (``python -m analysis``)."""
    code = main()
    if code == 130:  # interrupted: leave now, without the kernels' and asyncio's teardown noise
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
