"""Command line: ``python -m analysis corpus fetch | status | verify`` and ``python -m analysis coding …``.

Acquire, list and check the primary texts (see :mod:`analysis.corpus` and :mod:`analysis.corpus.cli`); the
codebook and the blind validation sample of the passage coding (:mod:`analysis.sections.move.cli`).
Building, checking and measuring the book is ``python -m booktools`` (a separate package).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from analysis.corpus import cli as corpus_cli
from analysis.sections.move import cli as coding_cli


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
    from analysis.io.schemas import TableError

    return (CorpusError, TableError, OSError, Timeout)


class Terminated(BaseException):
    """SIGTERM arrived (``kill``, a CI timeout): raised in the main thread so that ``finally`` blocks run
    (a half-written cache file is removed, a failure record is kept)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def _stdout_closed() -> bool:
    """True when standard output is a pipe whose reader has gone (``corpus status | head``): the pipe
    reports an error to ``poll``. (A flush cannot tell: the failed write has dropped the buffer.)"""
    import select

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    if not hasattr(select, "poll"):  # pragma: no cover - not on Linux or macOS
        return True
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))


def _error_line(exc: BaseException, argv: Sequence[str] | None) -> int:
    message = " ".join(str(exc).split()) or type(exc).__name__
    print(
        f"error: {message}\n(run `python -m analysis --debug {' '.join(argv or sys.argv[1:])}` for the traceback)",
        file=sys.stderr,
    )
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Expected faults: one line on stderr, exit 2 (``--debug``: the traceback). A reader that
    closes the pipe early (``corpus status | head``): no message, exit 141 as for ``cat`` or ``seq`` (128 +
    SIGPIPE). Ctrl-C: one line, exit 130; SIGTERM: one line, exit 143 (128 + the signal)."""
    import signal
    import threading

    args = build_parser().parse_args(argv)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if main_thread else None
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # here, not at exit, so that a closed pipe is handled below
        return code
    except BrokenPipeError as exc:
        if not _stdout_closed():
            if args.debug:
                raise
            return _error_line(exc, argv)
        try:  # Python flushes stdout again at exit: point it at /dev/null so that nothing more is printed
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
    except (KeyboardInterrupt, Terminated) as exc:
        if args.debug:
            raise
        what, code = ("interrupted (Ctrl-C)", 130) if isinstance(exc, KeyboardInterrupt) else ("terminated", 143)
        print(
            f"{what}: stopped; every cached text and failure record is as it was or complete "
            "(run the command again to go on)",
            file=sys.stderr,
        )
        return code
    except expected_errors() as exc:
        if args.debug:
            raise
        return _error_line(exc, argv)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
