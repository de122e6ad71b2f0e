"""Command line: ``python -m analysis <group> <command>``.

Groups:

* ``corpus fetch | status | verify``: acquire, list and check the primary texts (see :mod:`analysis.corpus`).
* ``book check-cache``: clear the notebook execution cache when its inputs changed.
* ``notebooks refresh | check | tag``: re-execute notebooks and store them clean / list unclean ones / apply the
  display rule (which code the reader sees) without executing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _book_check_cache(args: argparse.Namespace) -> int:
    from analysis.buildcache import check_execution_cache

    print(check_execution_cache(args.mirror))
    return 0


def _notebooks_refresh(args: argparse.Namespace) -> int:
    from analysis import notebooks

    paths = [Path(p) for p in args.paths] or notebooks.chapter_notebooks()
    for path in paths:
        print(f"executing {path.name} ...", flush=True)
        notebooks.refresh(path.resolve())
    return 0


def _notebooks_check(args: argparse.Namespace) -> int:
    from analysis import notebooks

    found = [line for path in notebooks.chapter_notebooks() for line in notebooks.problems(path)]
    print("\n".join(found) if found else "all notebooks are clean")
    return 1 if found else 0


def _notebooks_tag(args: argparse.Namespace) -> int:
    from analysis import notebooks

    paths = [Path(p) for p in args.paths] or notebooks.chapter_notebooks()
    for path in paths:
        notebooks.retag(path.resolve())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n")[0])
    groups = parser.add_subparsers(dest="group", required=True)

    from analysis import corpus_cli

    corpus_cli.add_commands(groups)

    book = groups.add_parser("book", help="book build helpers").add_subparsers(dest="command", required=True)
    p = book.add_parser("check-cache", help="clear the execution cache when data, code, corpus or lock changed")
    p.add_argument("--mirror", default=None, help="corpus mirror folder (default: $CORPUS_MIRROR)")
    p.set_defaults(func=_book_check_cache)

    nbs = groups.add_parser("notebooks", help="chapter notebook upkeep").add_subparsers(dest="command", required=True)
    p = nbs.add_parser("refresh", help="execute notebooks and store them clean")
    p.add_argument("paths", nargs="*", help="notebooks (default: all)")
    p.set_defaults(func=_notebooks_refresh)
    p = nbs.add_parser("check", help="list notebooks that are not stored clean")
    p.set_defaults(func=_notebooks_check)
    p = nbs.add_parser("tag", help="apply the display rule (hide-input / remove-input / remove-cell) without executing")
    p.add_argument("paths", nargs="*", help="notebooks (default: all)")
    p.set_defaults(func=_notebooks_tag)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
