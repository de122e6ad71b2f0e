"""Command line: ``python -m analysis corpus fetch | status | verify`` and ``python -m analysis coding …``.

Acquire, list and check the primary texts (see :mod:`analysis.corpus` and :mod:`analysis.corpus_cli`); the
codebook and the blind validation sample of the passage coding (:mod:`analysis.coding_cli`).
Building, checking and measuring the book is ``python -m booktools`` (a separate package).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from analysis import coding_cli, corpus_cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n")[0])
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    groups = parser.add_subparsers(dest="group", required=True)
    corpus_cli.add_commands(groups)
    coding_cli.add_commands(groups)
    return parser


def expected_errors() -> tuple[type[BaseException], ...]:
    """Faults a user can fix (bad data files, an unwritable cache …): one line, exit 2, no traceback."""
    from filelock import Timeout

    from analysis.corpus.errors import CorpusError
    from analysis.tables_io import TableError

    return (CorpusError, TableError, OSError, Timeout)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except expected_errors() as exc:
        if args.debug:
            raise
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(
            f"error: {message}\n(run `python -m analysis --debug {' '.join(argv or sys.argv[1:])}` for the traceback)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
