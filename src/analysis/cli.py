"""Command line: ``python -m analysis corpus fetch | status | verify``.

Acquire, list and check the primary texts (see :mod:`analysis.corpus` and :mod:`analysis.corpus_cli`).
Building, checking and measuring the book is ``python -m booktools`` (a separate package).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from analysis import corpus_cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n")[0])
    groups = parser.add_subparsers(dest="group", required=True)
    corpus_cli.add_commands(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
