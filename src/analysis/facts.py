"""Sourced fact tables: every row carries its source.

Fact tables live in ``data/facts/<name>.csv``. Each has a ``source`` column (a URL or a
bibliographic reference) that must be filled on every row; :func:`load_facts` refuses a table
whose rows lack one, naming the file and the rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.paths import FACTS_DIR


class FactTableError(ValueError):
    """A fact table is missing, malformed or has rows without a source."""


def fact_table_path(name: str) -> Path:
    """Path of the fact table ``name`` (without ``.csv``)."""
    return FACTS_DIR / f"{name}.csv"


def read_table(path: Path, *, required: tuple[str, ...] = (), error: type[Exception] = FactTableError) -> pd.DataFrame:
    """Read a committed CSV as strings (no NaN guessing); check that ``required`` columns exist.

    Every problem raises ``error`` (default :class:`FactTableError`) with a message that names the file.
    """
    if not path.is_file():
        raise error(f"{path}: file not found")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise error(f"{path}: cannot be read as UTF-8 CSV ({exc}); fix the file") from exc
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise error(f"{path}: missing column(s) {', '.join(missing)}; the header is {', '.join(df.columns)}")
    return df


def load_facts(name: str, *, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """Load ``data/facts/<name>.csv``; every row must have a non-empty ``source``."""
    path = fact_table_path(name)
    df = read_table(path, required=("source", *required))
    empty = df.index[df["source"].str.strip() == ""].tolist()
    if empty:
        lines = ", ".join(str(i + 2) for i in empty)  # +2: header line and 1-based numbering
        raise FactTableError(f"{path}: line(s) {lines} have no source; add the URL or reference in the 'source' column")
    return df
