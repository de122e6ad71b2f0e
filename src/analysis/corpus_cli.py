"""``python -m analysis corpus ...`` (placeholder until analysis.corpus lands)."""

from __future__ import annotations

import argparse


def add_commands(groups: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    corpus = groups.add_parser("corpus", help="acquire, list and verify the primary texts")
    corpus.add_subparsers(dest="command", required=True)
