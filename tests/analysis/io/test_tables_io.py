"""The one CSV reader (analysis.io.schemas): strings only, a schema, and errors that name the file and line."""

from __future__ import annotations

import pytest

from analysis.io.schemas import INTEGER, ISO_DATE, Column, Schema, TableError, read_table, schema_problems

SCHEMA = Schema(
    (
        Column("key", filled=True, unique=True),
        Column("kind", allowed=("a", "b"), fix="use a or b"),
        Column("n", pattern=INTEGER),
        Column("date", pattern=ISO_DATE),
    ),
    unique=(("kind", "n"),),
)


def _write(tmp_path, text, name="synthetic.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_table_is_read_as_strings(tmp_path):
    path = _write(tmp_path, "key,kind,n,date,extra\nx,a,007,2017-07,NA\ny,,,,\n")
    df = read_table(path, schema=SCHEMA)
    assert df.loc[0, "n"] == "007" and df.loc[0, "extra"] == "NA" and df.loc[1, "kind"] == ""


def test_every_failure_names_its_line_column_and_value(tmp_path):
    path = _write(tmp_path, "key,kind,n,date\nx,a,1,2017\nx,c,one,July 2017\n,b,2,\nz,a,1,2018\n")
    with pytest.raises(TableError) as err:
        read_table(path, schema=SCHEMA)
    msg = str(err.value)
    assert msg.startswith(f"{path}: ")
    assert "line 3, kind='c': is not one of a, b (use a or b)" in msg
    assert "line 3, n='one': does not have the form \\d+" in msg
    assert "line 3, date='July 2017': does not have the form" in msg
    assert "line 4, key='': is empty" in msg
    assert "line 3, key='x': appears more than once (lines 2, 3)" in msg
    assert "line 5, kind='a', n='1': appears more than once (lines 2, 5)" in msg
    assert msg.count("appears more than once") == 2


def test_schema_problems_of_a_frame_without_failures_is_empty(tmp_path):
    df = read_table(_write(tmp_path, "key,kind,n,date\nx,a,1,2017\n"))
    assert schema_problems(df, SCHEMA) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty (0 bytes)"),
        ("key,kind\n安全,a\n".encode("gbk"), "line 2: byte 0xb0 at column 1"),
        (b"key,other\nx,y\n", "missing column(s) kind, n, date; the header is key, other"),
    ],
)
def test_unreadable_tables_give_one_clear_error(tmp_path, content, message):
    path = tmp_path / "synthetic.csv"
    path.write_bytes(content)
    with pytest.raises(TableError) as err:
        read_table(path, schema=SCHEMA)
    assert str(err.value).startswith(str(path)) and message in str(err.value)


def test_the_callers_error_class_and_a_missing_file(tmp_path):
    class SyntheticError(Exception):
        pass

    with pytest.raises(SyntheticError, match="file not found"):
        read_table(tmp_path / "absent.csv", error=SyntheticError)
