"""Command line: ``python -m analysis run`` (the whole suite) and ``python -m analysis check``."""

from __future__ import annotations

import argparse
import sys


def _check() -> int:
    from .sources import load_sources

    df = load_sources()
    print(f"sources: {len(df)} articles, all checksums and body markers verified")
    for row in df.itertuples():
        print(f"  {row.source_id:<22} {row.language:<8} {row.kind:<8} {row.period:<9} {row.path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="verify the source manifest (checksums, body markers)")
    run = sub.add_parser("run", help="verify sources, then execute every notebook whose inputs changed")
    run.add_argument("--force", action="store_true", help="re-execute every notebook")
    args = parser.parse_args(argv)
    if args.command == "check":
        return _check()
    if args.command == "run":
        status = _check()
        from .pipeline import run_all

        return status or run_all(force=args.force)
    return 2


if __name__ == "__main__":
    sys.exit(main())
