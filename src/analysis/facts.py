"""Sourced fact tables: every row carries its source.

Fact tables live in ``data/facts/<name>.csv``. Each has a ``source`` column (a URL or a
bibliographic reference) that must be filled on every row; :func:`load_facts` refuses a table
whose rows lack one, naming the file and the rows. Tables are read by
:func:`analysis.tables_io.read_table` (one reader with a schema for every table of the book).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis import tables_io
from analysis.paths import FACTS_DIR
from analysis.tables_io import Schema


class FactTableError(tables_io.TableError):
    """A fact table is missing, malformed or has rows without a source."""


def fact_table_path(name: str) -> Path:
    """Path of the fact table ``name`` (without ``.csv``)."""
    return FACTS_DIR / f"{name}.csv"


#: :func:`analysis.tables_io.read_table` with :class:`FactTableError` as the default error.
read_table = functools.partial(tables_io.read_table, error=FactTableError)


def load_facts(name: str, *, required: Sequence[str] = (), schema: Schema | None = None) -> pd.DataFrame:
    """Load ``data/facts/<name>.csv``; every row must have a non-empty ``source``.

    ``schema`` adds the table's own rules (:class:`analysis.tables_io.Schema`); ``required`` only
    names columns that must exist.
    """
    path = fact_table_path(name)
    df = read_table(path, required=("source", *required), schema=schema)
    empty = df.index[df["source"].str.strip() == ""].tolist()
    if empty:
        lines = ", ".join(str(i + 2) for i in empty)  # +2: header line and 1-based numbering
        raise FactTableError(f"{path}: line(s) {lines} have no source; add the URL or reference in the 'source' column")
    return df
