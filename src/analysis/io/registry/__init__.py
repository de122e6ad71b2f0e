"""The schema registry: every CSV table under ``data/`` (but the git-ignored ``raw/`` and ``incoming/``), declared once.

:data:`TABLES` maps a path relative to ``data/`` (a ``*`` stands for one file name: ``ledger/*.csv``) to its
:class:`~analysis.io.schemas.Schema`: the columns, which must be filled, their types (forms such as
:data:`~analysis.io.schemas.INTEGER`) and allowed values (from :mod:`analysis.io.vocabulary`, their one home), the
columns and combinations that are unique, and the rules over a row. :data:`OUTSIDE` declares the tables read from
outside ``data/`` (a mirror's manifest). Every loader reads through :func:`read_registered`; a table added under
``data/`` must be declared here (``tests/analysis/io/test_registry.py`` fails otherwise).

The declarations sit in one module per folder of ``data/``: :mod:`~analysis.io.registry.corpus`,
:mod:`~analysis.io.registry.facts`, :mod:`~analysis.io.registry.argument`, :mod:`~analysis.io.registry.ledger`,
and :mod:`~analysis.io.registry.terms` for the lists at the top.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

import pandas as pd

from analysis.io.paths import DATA_DIR
from analysis.io.registry import argument, corpus, facts, ledger, terms
from analysis.io.schemas import More, Schema, TableError, read_table

TABLES: dict[str, Schema] = {**corpus.TABLES, **terms.TABLES, **facts.TABLES, **argument.TABLES, **ledger.TABLES}
OUTSIDE: dict[str, Schema] = dict(corpus.OUTSIDE)


def _matches(name: str, key: str) -> bool:
    return len(PurePosixPath(name).parts) == len(PurePosixPath(key).parts) and fnmatchcase(name, key)


def entry(name: str) -> str | None:
    """The key of :data:`TABLES` or :data:`OUTSIDE` that declares ``name`` (a path relative to ``data/``, or a
    name of :data:`OUTSIDE`); ``None`` when none does."""
    name = PurePosixPath(name).as_posix()
    if name in TABLES or name in OUTSIDE:
        return name
    return next((key for key in TABLES if "*" in key and _matches(name, key)), None)


def schema_of(name: str) -> Schema:
    """The schema of the table ``name`` (see :func:`entry`); ``KeyError`` naming the fix when it is not declared."""
    key = entry(name)
    if key is None:
        raise KeyError(f"data/{name} is not declared in the schema registry; add it to analysis.io.registry")
    return TABLES[key] if key in TABLES else OUTSIDE[key]


#: The folders of ``data/`` that git ignores: the cache of acquired texts and the texts a reader saves to import.
NOT_DATA: tuple[str, ...] = ("raw", "incoming")


def data_tables(root: Path = DATA_DIR) -> list[str]:
    """Every CSV file under ``root`` (``data/``) but :data:`NOT_DATA`, relative to it, sorted."""
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*.csv") if p.relative_to(root).parts[0] not in NOT_DATA
    )


def undeclared(names: Iterable[str]) -> list[str]:
    """The tables among ``names`` (paths relative to ``data/``) that no entry of :data:`TABLES` declares."""
    return [n for n in names if entry(n) is None or entry(n) in OUTSIDE]


def unused(names: Iterable[str]) -> list[str]:
    """The entries of :data:`TABLES` that declare none of ``names``: a declaration without a file."""
    found = {entry(n) for n in names}
    return [key for key in TABLES if key not in found]


def read_registered(
    name: str,
    *,
    path: Path | str | None = None,
    error: type[Exception] = TableError,
    required: Sequence[str] = (),
    more: More | None = None,
) -> pd.DataFrame:
    """Read the table ``name`` (a path relative to ``data/``, or a name of :data:`OUTSIDE`) and check it against its
    schema. ``path`` reads another file with the same schema (a copy, a test's fixture, a mirror's manifest);
    ``required`` names more columns the caller needs (the hand columns that the codebook names); ``more`` gives the
    loader's problems against other tables (a concept-map term missing from a term list), reported with the
    schema's in one error (:func:`~analysis.io.schemas.check_frame`).

    Cells are strings (``""`` when empty); every problem raises ``error`` naming the file, the line and the fix.
    """
    key = entry(name)
    target = Path(path) if path is not None else DATA_DIR / name
    if key is None:
        raise error(f"{target}: data/{name} is not declared in the schema registry; add it to analysis.io.registry")
    return read_table(target, schema=schema_of(name), error=error, required=required, more=more)
