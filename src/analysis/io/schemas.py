"""One reader for the committed CSV tables, with a declared schema.

Every table of ``data/`` is declared once, in :mod:`analysis.io.registry`, and read by :func:`read_table`: as
strings (no NaN guessing, an empty cell is ``""``), UTF-8, with every problem raised as one error that names the
file and, for a cell, its line (the header is line 1). A :class:`Schema` declares the columns (which must be
there, which must be filled, their allowed values or form: a regular expression such as :data:`INTEGER`, or a
``check`` function), which columns or column combinations must be unique, and :class:`Rule` s over several
columns of a row (a route of kind ``none`` has no URL). The rules are declared, not written out as loops; each
failure becomes a line ``line N, column='value': what is wrong (the fix)``.

Checks that involve other tables (a concept-map term must be in a term list) stay with their loader, which
passes them as ``more`` (:func:`check_frame`) or to :func:`raise_problems`, so that they read the same and come
in the same error.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

#: Forms of common typed columns (full match).
INTEGER = r"\d+"
DECIMAL = r"\d+(?:\.\d+)?"
ISO_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
SHA256 = r"[0-9a-f]{64}"
URL = r"https?://\S+"
TRIMMED = r"\S(?:.*\S)?"
SINGLE_SPACED = r"\S+(?: \S+)*"
#: What each form means, for messages.
FORM_NAMES: dict[str, str] = {
    INTEGER: "a whole number",
    DECIMAL: "a number such as 1.5",
    ISO_DATE: "a date YYYY, YYYY-MM or YYYY-MM-DD",
    SHA256: "64 lower-case hex digits",
    URL: "an http:// or https:// URL",
    TRIMMED: "no surrounding spaces",
    SINGLE_SPACED: "words separated by one space, no surrounding or repeated spaces",
}


class TableError(ValueError):
    """A committed table is missing, unreadable or breaks its schema."""


def regex_problem(value: str) -> str | None:
    """``None`` when ``value`` compiles as a Python regular expression, else what is wrong (a :attr:`Column.check`)."""
    try:
        re.compile(value)
    except re.error as exc:
        return f"is not a regular expression ({exc})"
    return None


@dataclass(frozen=True)
class Column:
    """One column of a :class:`Schema`.

    ``filled``: no empty cell; ``allowed``: the only values a (filled) cell may take; ``pattern``: the form of a
    filled cell (full match); ``check``: a function that says what is wrong with a filled cell (``None`` when
    nothing is); ``split``: the cell is a list of items separated by this string, and ``allowed``, ``pattern`` and
    ``check`` apply to each item; ``unique``: no filled value twice; ``required``: the column must be in the
    header (an optional column that is absent is read as empty). ``fix`` ends the message of a failure.
    """

    name: str
    filled: bool = False
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    check: Callable[[str], str | None] | None = None
    split: str | None = None
    unique: bool = False
    required: bool = True
    fix: str = ""

    def items(self, value: str) -> list[str]:
        """The items of a cell: the cell itself, or its non-empty parts when the column is a list (``split``)."""
        if self.split is None:
            return [value] if value != "" else []
        return [p.strip() for p in value.split(self.split) if p.strip()]

    def item_problem(self, item: str) -> str | None:
        """What is wrong with one filled item (``None`` when nothing is): not allowed, then its check, then its form."""
        if self.allowed is not None and item not in self.allowed:
            return f"is not one of {', '.join(self.allowed)}"
        problem = self.check(item) if self.check is not None else None
        if problem is None and self.pattern is not None and not re.fullmatch(self.pattern, item):
            name = FORM_NAMES.get(self.pattern)
            return f"does not have the form {self.pattern}" + (f", {name}" if name else "")
        return problem


@dataclass(frozen=True)
class Rule:
    """A rule over several columns of a row: ``holds(frame)`` is True for every row that keeps it; ``says`` is
    what is wrong with a row that does not, and the fix (or a function of the row that says it). A rule is checked
    on the rows whose cells in its columns are clean, so ``holds`` may assume their forms (integers, regular
    expressions that compile)."""

    columns: tuple[str, ...]
    holds: Callable[[pd.DataFrame], pd.Series]
    says: str | Callable[[pd.Series], str]  # a text, or a function of the row that gives it


@dataclass(frozen=True)
class Schema:
    """A table: its columns, the combinations that must be unique, the rules over a row's columns.

    ``strict``: no column beyond the declared ones; ``ordered``: the header is exactly the declared columns, in
    order; ``strip``: cells are read without surrounding whitespace; ``about``: what the table is, for the
    message about an unknown column.
    """

    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = field(default=())
    rules: tuple[Rule, ...] = field(default=())
    strict: bool = False
    ordered: bool = False
    strip: bool = False
    about: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The declared column ``name`` (``KeyError`` when there is none)."""
        return next(c for c in self.columns if c.name == name)


def _item_problems(col: Column, s: pd.Series) -> pd.Series:
    """The problem of each cell of ``s`` under ``col``'s ``allowed``, ``check`` and ``pattern`` (``None``: none)."""
    return s.map(lambda v: next((p for i in col.items(v) if (p := col.item_problem(i)) is not None), None))


def _rule_problems(df: pd.DataFrame, schema: Schema, bad: dict[str, set[int]]) -> list[tuple[int, str]]:
    found = []
    for rule in schema.rules:
        skip = set().union(*(bad.get(c, set()) for c in rule.columns))
        rows = df.drop(index=sorted(skip)) if skip else df
        holds = rule.holds(rows).reindex(rows.index, fill_value=True).astype(bool)
        for row in rows.index[~holds]:
            says = rule.says if isinstance(rule.says, str) else rule.says(df.loc[row])
            found.append((int(row) + 2, f"line {int(row) + 2}, {_cell(df, row, rule.columns)}: {says}"))
    return found


def _cell(df: pd.DataFrame, row: int, columns: Sequence[str]) -> str:
    return ", ".join(f"{c}={df.at[row, c]!r}" for c in columns)


def schema_problems(df: pd.DataFrame, schema: Schema) -> list[str]:
    """The failures of ``df`` (columns present, cells as strings, index 0…n-1) against ``schema``, one line each
    (``line N, column='value': what is wrong (the fix)``), ordered by line. Repeated values name every line they
    are on. A :class:`Rule` is checked on the rows whose cells in its columns are clean.

    The declarations are the schema; checking them is a few vectorised masks per column (pandera did this before
    and cost ten times as long: 15 to 60 ms a table against 1.5 to 5 ms, for 900 validations in the tests)."""
    found: list[tuple[int, str]] = []
    repeated: dict[tuple[str, ...], list[int]] = {}
    fixes: dict[tuple[str, ...], str] = {}
    bad: dict[str, set[int]] = {}

    def fail(row: int, col: Column, what: str) -> None:
        bad.setdefault(col.name, set()).add(row)
        value = str(df.at[row, col.name])
        found.append((row + 2, f"line {row + 2}, {col.name}={value!r}: {what}" + (f" ({col.fix})" if col.fix else "")))

    for col in schema.columns:
        s = df[col.name]
        if col.filled:
            for row in s.index[s.str.strip() == ""]:
                fail(int(row), col, "is empty")
        if col.allowed is not None or col.pattern is not None or col.check is not None:
            problems = _item_problems(col, s)
            for row, problem in problems[problems.notna()].items():
                item = next(i for i in col.items(str(s[row])) if col.item_problem(i) is not None)
                fail(int(row), col, f"{item!r} {problem}" if col.split is not None else str(problem))
        if col.unique:
            for row in s.index[(s != "") & s.duplicated(keep=False)]:
                key = (f"{col.name}={s[row]!r}",)
                repeated.setdefault(key, []).append(int(row) + 2)
                fixes[key] = col.fix
                bad.setdefault(col.name, set()).add(int(row))
    for combo in schema.unique:
        cells = df[list(combo)]
        for row in df.index[(cells != "").all(axis=1) & cells.duplicated(keep=False)]:
            repeated.setdefault(tuple(f"{c}={df.at[row, c]!r}" for c in combo), []).append(int(row) + 2)
            for c in combo:
                bad.setdefault(c, set()).add(int(row))
    found += _rule_problems(df, schema, bad)
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


#: Problems a loader finds against other tables (``line N, column=value: what is wrong``), given the table's frame.
More = Callable[[pd.DataFrame], Iterable[str]]


def _by_line(problem: str) -> int:
    found = re.match(r"line (\d+)", problem)
    return int(found.group(1)) if found else 1 << 30


def check_frame(
    df: pd.DataFrame, schema: Schema, path: Path | str, *, error: type[Exception] = TableError, more: More | None = None
) -> pd.DataFrame:
    """``df`` (cells as strings) checked against ``schema``: header, cells, uniqueness and rules, and ``more``: the
    loader's checks against other tables, reported with the schema's (by line). Returns the frame with surrounding
    whitespace stripped when the schema says so and absent optional columns added as empty; raises ``error`` naming
    ``path`` and every problem."""
    path = Path(path)
    header = [str(c) for c in df.columns]
    if schema.ordered and tuple(header) != schema.names:
        raise error(f"{path}, line 1: the header must be {','.join(schema.names)}; it is {','.join(header)}")
    missing = [c.name for c in schema.columns if c.required and c.name not in header]
    if missing:
        raise error(f"{path}, line 1: missing column(s) {', '.join(missing)}; the header is {', '.join(header)}")
    unknown = [c for c in header if c not in schema.names]
    if schema.strict and unknown:
        about = schema.about or "declare it in analysis.io.registry, or remove it"
        raise error(f"{path}, line 1: unknown column(s) {', '.join(unknown)}; {about}")
    df = df.reset_index(drop=True)
    if schema.strip:
        df = df.apply(lambda col: col.str.strip())
    absent = [c.name for c in schema.columns if c.name not in header]
    for name in absent:
        df[name] = ""
    if absent:  # an absent optional column is read as empty, and need not be filled
        schema = replace(
            schema, columns=tuple(replace(c, filled=False) if c.name in absent else c for c in schema.columns)
        )
    problems = schema_problems(df, schema)
    if more is not None:
        problems = sorted([*problems, *more(df)], key=_by_line)
    raise_problems(path, problems, error)
    return df


def _read_bytes(path: Path, error: type[Exception]) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: file not found; restore it (e.g. `git checkout -- {path}`)") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc}); check the file's permissions") from exc
    if not data.strip():
        raise error(f"{path}: the file is empty ({len(data)} bytes); restore it (e.g. `git checkout -- {path}`)")
    return data


def _parse_csv(data: bytes, path: Path, error: type[Exception]) -> pd.DataFrame:
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
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise error(f"{path}: cannot be read as CSV ({' '.join(str(exc).split())}); fix the file") from None


def read_csv_text(path: Path, *, error: type[Exception] = TableError) -> pd.DataFrame:
    """A CSV file as strings (no NaN guessing); a missing, empty, non-UTF-8 or malformed file raises ``error``."""
    path = Path(path)
    return _parse_csv(_read_bytes(path, error), path, error)


#: Tables already read and checked, by (SHA-256 of the file's bytes, schema, required columns). A chapter or the
#: test suite reads the same few tables hundreds of times (the ledger's facts, the registry's term lists); parsing
#: and checking them again cost a sixth of `make test`. The key is the content, never a file's name or time, so an
#: edited file is read again however fast it was rewritten; a table that fails is never kept, so it fails again.
_CHECKED: dict[tuple[bytes, Schema, tuple[str, ...]], pd.DataFrame] = {}
_CHECKED_MAX = 512


def read_table(
    path: Path,
    *,
    required: Sequence[str] = (),
    error: type[Exception] = TableError,
    schema: Schema | None = None,
    more: More | None = None,
) -> pd.DataFrame:
    """Read a CSV as strings (no NaN guessing); check the ``required`` columns and the ``schema`` (with ``more``,
    see :func:`check_frame`).

    Every problem raises ``error`` with a message that names the file (and the line of a bad cell). The tables of
    ``data/`` are read through :func:`analysis.io.registry.read_registered`, which finds their schema. The caller
    gets its own copy: a table read again with the same bytes and schema (and no ``more``, whose checks read other
    tables) comes from :data:`_CHECKED`.
    """
    path = Path(path)
    data = _read_bytes(path, error)
    key = (hashlib.sha256(data).digest(), schema, tuple(required)) if schema is not None and more is None else None
    if key is not None and key in _CHECKED:
        return _CHECKED[key].copy()
    df = _parse_csv(data, path, error)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise error(f"{path}, line 1: missing column(s) {', '.join(missing)}; the header is {', '.join(df.columns)}")
    if schema is None:
        return df
    df = check_frame(df, schema, path, error=error, more=more)
    if key is not None:
        if len(_CHECKED) >= _CHECKED_MAX:
            _CHECKED.clear()
        _CHECKED[key] = df.copy()
    return df
