"""One reader for the committed CSV tables, with a declared schema.

Every table of ``data/`` (fact tables, term lists, the concept map, the senses of 安全, the typology,
and the manifest and ledger) is read by :func:`read_table`: as strings (no NaN guessing, an empty cell
is ``""``), UTF-8, with every problem raised as one error that names the file and, for a cell, its
line (the header is line 1). A :class:`Schema` declares the columns, which must be filled, their
allowed values or form (a regular expression such as :data:`INTEGER`), and which columns or column
combinations must be unique. The checks run through pandera (``pandera.pandas``, imported only when
a schema is checked: it costs about 0.2 s of start-up), so that the rules are declared, not written
out as loops; each failure becomes a line ``line N, column=value: what is wrong``.

Checks that involve other tables (a concept-map term must be in a term list) stay with their loader,
which passes its messages to :func:`raise_problems` so that they read the same.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: Forms of common typed columns (full match).
INTEGER = r"\d+"
ISO_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"


class TableError(ValueError):
    """A committed table is missing, unreadable or breaks its schema."""


@dataclass(frozen=True)
class Column:
    """One column of a :class:`Schema`.

    ``filled``: no empty cell; ``allowed``: the only values a (filled) cell may take; ``pattern``: the
    form of a filled cell (full match); ``unique``: no value twice. ``fix`` ends the message of a failure.
    """

    name: str
    filled: bool = False
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    unique: bool = False
    fix: str = ""


@dataclass(frozen=True)
class Schema:
    """The columns a table must have (others are allowed) and the combinations that must be unique."""

    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _pandera_schema(schema: Schema):  # type: ignore[no-untyped-def]
    import pandera.pandas as pa  # lazy: only loaders that check a schema pay for the import

    columns = {}
    for col in schema.columns:
        checks = []
        if col.filled:
            checks.append(pa.Check(lambda s: s.str.strip() != "", error="filled"))
        if col.allowed is not None:
            allowed = set(col.allowed)
            checks.append(pa.Check(lambda s, a=allowed: (s == "") | s.isin(a), error="allowed"))
        if col.pattern is not None:
            checks.append(pa.Check(lambda s, p=col.pattern: (s == "") | s.str.fullmatch(p), error="pattern"))
        columns[col.name] = pa.Column(str, checks=checks, unique=col.unique, nullable=False, required=True)
    return pa.DataFrameSchema(columns, unique=[list(u) for u in schema.unique] or None, strict=False, ordered=False)


def _message(col: Column, check: str) -> str:
    if check == "filled":
        what = "is empty"
    elif check == "allowed":
        what = f"is not one of {', '.join(col.allowed or ())}"
    elif check == "pattern":
        what = f"does not have the form {col.pattern}"
    else:
        what = f"fails the check {check}"
    return what + (f" ({col.fix})" if col.fix else "")


def schema_problems(df: pd.DataFrame, schema: Schema) -> list[str]:
    """The failures of ``df`` against ``schema``, one line each (``line N, column='value': what is wrong``),
    ordered by line. Repeated values name every line they are on."""
    import pandera.pandas as pa

    try:
        _pandera_schema(schema).validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    by_name = {c.name: c for c in schema.columns}
    found: list[tuple[int, str]] = []
    repeated: dict[tuple[str, ...], list[int]] = {}
    fixes: dict[tuple[str, ...], str] = {}
    for case in cases.itertuples(index=False):
        check, column = str(case.check), str(case.column)
        line = int(case.index) + 2 if case.index is not None and not pd.isna(case.index) else 0
        if check == "multiple_fields_uniqueness":
            row = df.loc[int(case.index)]
            combo = next((u for u in schema.unique if column in u), (column,))
            repeated.setdefault(tuple(f"{c}={row[c]!r}" for c in combo), []).append(line)
        elif check == "field_uniqueness":
            key = (f"{column}={case.failure_case!r}",)
            repeated.setdefault(key, []).append(line)
            fixes[key] = by_name[column].fix if column in by_name else ""
        elif column in by_name:
            found.append((line, f"line {line}, {column}={case.failure_case!r}: {_message(by_name[column], check)}"))
        else:
            found.append((line, f"{column}: {case.failure_case} ({check})"))
    for values, lines in repeated.items():
        lines = sorted(set(lines))
        fix = f"; {fixes[values]}" if fixes.get(values) else ""
        found.append(
            (
                lines[-1],
                f"line {lines[-1]}, {', '.join(values)}: appears more than once (lines {', '.join(map(str, lines))}{fix})",
            )
        )
    return [text for _, text in sorted(dict.fromkeys(found), key=lambda p: p[0])]


def raise_problems(path: Path, problems: Iterable[str], error: type[Exception] = TableError) -> None:
    """Raise ``error`` naming ``path`` and every problem (joined by ``;``) when there is any."""
    problems = list(problems)
    if problems:
        raise error(f"{path}: " + "; ".join(problems))


def read_table(
    path: Path,
    *,
    required: Sequence[str] = (),
    error: type[Exception] = TableError,
    schema: Schema | None = None,
) -> pd.DataFrame:
    """Read a committed CSV as strings (no NaN guessing); check the ``required`` columns and the ``schema``.

    Every problem raises ``error`` with a message that names the file (and the line of a bad cell).
    The columns of ``schema`` are required as well.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: file not found") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc}); check the file's permissions") from exc
    if not data.strip():
        raise error(f"{path}: the file is empty ({len(data)} bytes); restore it (e.g. `git checkout -- {path}`)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(
            f"{path}, line {line}: byte {data[exc.start]:#04x} at column {column} (file offset {exc.start}) is not "
            "UTF-8; save the file as UTF-8"
        ) from None
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise error(f"{path}: cannot be read as CSV ({' '.join(str(exc).split())}); fix the file") from None
    needed = list(dict.fromkeys([*required, *(schema.names if schema else ())]))
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise error(f"{path}: missing column(s) {', '.join(missing)}; the header is {', '.join(df.columns)}")
    if schema is not None:
        raise_problems(path, schema_problems(df, schema), error)
    return df
