"""The schema registry (analysis.io.registry): every CSV under data/ is declared and valid, every declaration has its
file, every loader reads through it, and every schema refuses a broken copy of its table, naming the file and line."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from analysis.io import registry, vocabulary
from analysis.io.paths import DATA_DIR, PROJECT_ROOT
from analysis.io.registry.corpus import date_problem
from analysis.io.schemas import Column, Schema, TableError, read_csv_text

TABLES = registry.data_tables()


# ------------------------------------------------------------------------------------------------ coverage


def test_the_coverage_checks_find_a_table_without_schema_and_a_schema_without_table(tmp_path: Path) -> None:
    assert registry.undeclared(["facts/new_table.csv", "terms.csv", "ledger/new_section.csv"]) == [
        "facts/new_table.csv"
    ]
    assert registry.undeclared(["<mirror>/manifest.csv"]) == ["<mirror>/manifest.csv"]  # not a table of data/
    without_one = [n for n in TABLES if n != "facts/cnki_query.csv"]
    assert registry.unused(without_one) == ["facts/cnki_query.csv"]
    assert registry.unused([n for n in TABLES if not n.startswith("ledger/")]) == ["ledger/*.csv"]
    for ignored in ("raw", "incoming"):
        (tmp_path / ignored).mkdir()
        (tmp_path / ignored / "cached.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "t.csv").write_text("a\n1\n", encoding="utf-8")
    assert registry.data_tables(tmp_path) == ["facts/t.csv"]  # raw/ and incoming/ hold texts, not data


def test_every_csv_under_data_is_declared_and_every_declaration_has_its_file() -> None:
    assert len(TABLES) >= 41 and "corpus/manifest.csv" in TABLES and "ledger/section4_6.csv" in TABLES
    assert registry.undeclared(TABLES) == []
    assert registry.unused(TABLES) == []


@pytest.mark.parametrize("name", TABLES)
def test_every_committed_table_is_valid(name: str) -> None:
    df = registry.read_registered(name)
    schema = registry.schema_of(name)
    assert len(df) > 0
    assert set(c.name for c in schema.columns if c.required) <= set(df.columns)
    if schema.strict:
        assert list(df.columns) == [c for c in df.columns if c in schema.names]


def test_an_undeclared_table_is_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(TableError, match=r"data/facts/nothing\.csv is not declared in the schema registry; add it"):
        registry.read_registered("facts/nothing.csv", path=tmp_path / "nothing.csv")
    with pytest.raises(KeyError, match="not declared"):
        registry.schema_of("facts/nothing.csv")


# ------------------------------------------------------------------------------------------ every loader


_SOURCES = [
    *sorted((PROJECT_ROOT / "src" / "analysis").rglob("*.py")),
    *sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb")),
    PROJECT_ROOT / "book" / "index.ipynb",
]
_READER = PROJECT_ROOT / "src" / "analysis" / "io" / "schemas.py"


def test_no_table_is_read_by_hand_outside_the_one_reader() -> None:
    by_hand = re.compile(r"\bread_csv\(|\bcsv\.(?:DictReader|reader)\(|[^_.]\bread_table\(")
    found = [
        f"{path.relative_to(PROJECT_ROOT)}:{i}"
        for path in _SOURCES
        if path != _READER and path.parent.name != "registry"
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if by_hand.search(line) and "def read_table" not in line
    ]
    assert found == [], "read the table with analysis.io.registry.read_registered"


# ---------------------------------------------------------------------------------------- one vocabulary


def test_every_word_a_timeline_draws_has_its_style() -> None:
    from analysis.present.plotting import timelines

    assert set(timelines.KIND_MARKERS) == set(vocabulary.EVENT_KINDS)
    assert set(timelines.ACTOR_COLORS) == set(vocabulary.EVENT_ACTORS)
    assert set(timelines.OUTCOMES) == set(vocabulary.REVOLUTION_OUTCOMES)


# --------------------------------------------------------------------------------------- broken copies

#: Values tried, in order, for a cell that must be refused: the first its column's declaration refuses is used.
_BAD_VALUES = ("__not_allowed__!", "(", " padded ", "two  spaces", "2019-02-30", "0" * 65)


def _bad_value(col: Column) -> str | None:
    return next((v for v in _BAD_VALUES if col.item_problem(v) is not None), None)


def _cases(name: str) -> list[tuple[str, str, object, str]]:
    """``(table, kind, edit, expected)``: a broken copy of a committed table, and what its error must say."""
    schema: Schema = registry.schema_of(name)
    df = read_csv_text(DATA_DIR / name)
    out: list[tuple[str, str, object, str]] = []
    first = next(c for c in schema.columns if c.required)
    expected = "line 1: the header must be" if schema.ordered else f"line 1: missing column(s) {first.name}"
    out.append((name, "missing column", ("drop", first.name), expected))
    for col in schema.columns:
        bad = _bad_value(col) if col.name in df.columns else None
        if bad is not None:
            out.append((name, "bad value", ("set", col.name, 0, bad), f"line 2, {col.name}={bad!r}: "))
            break
    for col in schema.columns:
        if col.check is date_problem and col.name in df.columns:
            out.append((name, "bad date", ("set", col.name, 0, "2019-02-30"), f"line 2, {col.name}='2019-02-30': "))
            break
    keys = [(c.name,) for c in schema.columns if c.unique and c.name in df.columns] + list(schema.unique)
    for key in keys:
        filled = df.index[(df[list(key)] != "").all(axis=1)]
        if len(filled) and len(df) > 1:
            i = int(filled[0])
            j = 1 if i == 0 else 0
            lines = sorted((i + 2, j + 2))
            out.append(
                (name, "duplicate key", ("copy", key, i, j), f"appears more than once (lines {lines[0]}, {lines[1]}")
            )
            break
    if schema.strict or schema.ordered:
        expected = "line 1: the header must be" if schema.ordered else "line 1: unknown column(s) zz_undeclared"
        out.append((name, "unknown column", ("add", "zz_undeclared"), expected))
    return out


_ALL = [case for name in TABLES for case in _cases(name)]


def test_every_table_is_broken_in_several_ways() -> None:
    kinds: dict[str, set[str]] = {}
    for name, kind, _, _ in _ALL:
        kinds.setdefault(name, set()).add(kind)
    assert sorted(kinds) == TABLES
    assert all({"missing column", "bad value", "duplicate key"} <= k for k in kinds.values())
    count = Counter(kind for _, kind, _, _ in _ALL)
    assert count["bad date"] >= 7 and count["unknown column"] >= 35, count


def _broken(df: pd.DataFrame, edit: tuple) -> pd.DataFrame:  # type: ignore[type-arg]
    df = df.copy()
    if edit[0] == "drop":
        return df.drop(columns=[edit[1]])
    if edit[0] == "add":
        return df.assign(**{edit[1]: "x"})
    if edit[0] == "set":
        _, column, row, value = edit
        df.loc[row, column] = value
        return df
    _, key, i, j = edit
    df.loc[j, list(key)] = df.loc[i, list(key)].to_numpy()
    return df


@pytest.mark.parametrize(("name", "kind", "edit", "expected"), _ALL, ids=[f"{n}-{k}" for n, k, _, _ in _ALL])
def test_a_broken_copy_is_refused_naming_file_line_and_fix(
    tmp_path: Path,
    name: str,
    kind: str,
    edit: tuple,
    expected: str,  # type: ignore[type-arg]
) -> None:
    copy = tmp_path / Path(name).name
    _broken(read_csv_text(DATA_DIR / name), edit).to_csv(copy, index=False)
    with pytest.raises(TableError) as err:
        registry.read_registered(name, path=copy)
    message = str(err.value)
    assert message.startswith(str(copy)) and "line " in message
    assert expected in message, message


def test_a_table_read_again_is_the_same_table_and_a_rewritten_one_is_read_anew(tmp_path: Path) -> None:
    from analysis.io import schemas

    schema = Schema(columns=(Column("term", filled=True, unique=True), Column("gloss")))
    path = tmp_path / "terms.csv"
    path.write_text("term,gloss\n安全,security\n", encoding="utf-8")
    first = schemas.read_table(path, schema=schema)
    first.loc[0, "gloss"] = "changed by the caller"
    again = schemas.read_table(path, schema=schema)
    assert again.loc[0, "gloss"] == "security"  # each caller gets its own copy
    # Same size, rewritten at once (same mtime tick on coarse file systems): the content decides.
    path.write_text("term,gloss\n国防,defence\n", encoding="utf-8")
    assert schemas.read_table(path, schema=schema).loc[0, "term"] == "国防"
    path.write_text("term,gloss\n国防,defence\n国防,twice\n", encoding="utf-8")
    for _ in range(2):  # a table that fails is never kept: it fails every time
        with pytest.raises(TableError, match="line 3"):
            schemas.read_table(path, schema=schema)
