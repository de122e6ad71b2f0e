"""Sourced fact tables: every row carries its source.

Fact tables live in ``data/facts/<name>.csv``. Each has a ``source`` column that must be filled on
every row: one or more items separated by `` ; ``, each a URL or a key of ``book/references.bib``
(optionally followed by a locator: ``zeng2021securitization, section 4``); and a ``checked`` column
(``yes``/``no``): whether the fact was confirmed in that source (``no`` when a value of the row was not, the
note says which). Every table is declared in the schema registry (:mod:`analysis.io.registry`);
:func:`load_facts` reads it through its schema and refuses a row without a source, naming the file and the
line; :func:`unresolved_sources` lists the items that resolve to neither (a test runs it on every table).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from analysis.io import registry
from analysis.io import schemas as tables_io
from analysis.io.paths import FACTS_DIR, PROJECT_ROOT
from analysis.io.text import URL_PATTERN

BIB_PATH: Path = PROJECT_ROOT / "book" / "references.bib"


class FactTableError(tables_io.TableError):
    """A fact table is missing, malformed or has rows without a source."""


def fact_table_path(name: str) -> Path:
    """Path of the fact table ``name`` (without ``.csv``)."""
    return FACTS_DIR / f"{name}.csv"


#: :func:`analysis.io.schemas.read_table` with :class:`FactTableError` as the default error.
read_table = functools.partial(tables_io.read_table, error=FactTableError)


def load_facts(name: str, *, required: Sequence[str] = ()) -> pd.DataFrame:
    """Load ``data/facts/<name>.csv`` through its schema (:mod:`analysis.io.registry`): every row has a ``source``
    and says whether it was ``checked``; the table's own columns, forms and allowed values. ``required`` names
    columns the caller needs (the schema requires its own). Errors name the file, the line and the fix."""
    path = fact_table_path(name)
    return registry.read_registered(f"facts/{name}.csv", path=path, error=FactTableError, required=required)


_BIB_ENTRY = re.compile(r"^@\w+\{([^,\s]+),", re.MULTILINE)
_BRACKET_KEY = re.compile(r"\[([A-Za-z][\w:-]*)\]")


def bib_keys(path: Path | None = None) -> frozenset[str]:
    """The citation keys of ``book/references.bib`` (or ``path``)."""
    path = path if path is not None else BIB_PATH
    return frozenset(_BIB_ENTRY.findall(path.read_text(encoding="utf-8")))


def _valid_url(text: str) -> bool:
    parts = urlsplit(text.rstrip(".,;)"))
    return parts.scheme in ("http", "https") and "." in parts.netloc and " " not in parts.netloc


def source_resolves(item: str, keys: frozenset[str]) -> bool:
    """Does one source item name a URL of valid syntax, or a key of the bibliography?

    An item resolves when it contains an ``http(s)://`` URL with a host name, when its first word
    (before a comma or space) is a bibliography key, or when it carries a key in brackets (``[key]``).
    """
    item = item.strip()
    if any(_valid_url(u) for u in URL_PATTERN.findall(item)):
        return True
    first = re.split(r"[,\s;]", item, maxsplit=1)[0].strip("[]()")
    return first in keys or any(k in keys for k in _BRACKET_KEY.findall(item))


def unresolved_sources(table: pd.DataFrame, keys: frozenset[str]) -> list[tuple[int, str]]:
    """``(line, item)`` for every source item of ``table`` that does not resolve; items are separated by `` ; ``."""
    bad = []
    for i, source in enumerate(table["source"]):
        for item in str(source).split(" ; "):
            if not source_resolves(item, keys):
                bad.append((i + 2, item.strip()))
    return bad
