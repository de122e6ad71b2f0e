"""Fact tables refuse rows without a source, naming the file and the line."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.evidence import facts
from analysis.io.paths import FACTS_DIR as _FACTS_DIR


def test_unsourced_row_is_refused_with_file_and_line(tmp_path, monkeypatch, declare_fact_table):
    monkeypatch.setattr(facts, "FACTS_DIR", tmp_path)
    declare_fact_table("synthetic")
    (tmp_path / "synthetic.csv").write_text(
        "event,date,source\na,2019-01-01,https://example.org\nb,2019-02-01,\n", encoding="utf-8"
    )
    with pytest.raises(
        facts.FactTableError, match=r"synthetic\.csv: line 3, source='': is empty \(add the URL or reference"
    ):
        facts.load_facts("synthetic")


def test_missing_source_column_missing_file_and_undeclared_table(tmp_path, monkeypatch, declare_fact_table):
    monkeypatch.setattr(facts, "FACTS_DIR", tmp_path)
    for name in ("nosource", "absent"):
        declare_fact_table(name)
    (tmp_path / "nosource.csv").write_text("event,date\na,2019\n", encoding="utf-8")
    with pytest.raises(facts.FactTableError, match="missing column"):
        facts.load_facts("nosource")
    with pytest.raises(facts.FactTableError, match="file not found"):
        facts.load_facts("absent")
    (tmp_path / "undeclared.csv").write_text("event,source\na,ref\n", encoding="utf-8")
    with pytest.raises(facts.FactTableError, match="data/facts/undeclared.csv is not declared in the schema registry"):
        facts.load_facts("undeclared")


def test_values_stay_strings(tmp_path, monkeypatch, declare_fact_table):
    monkeypatch.setattr(facts, "FACTS_DIR", tmp_path)
    declare_fact_table("t")
    (tmp_path / "t.csv").write_text("n,code,source\n007,NA,ref\n", encoding="utf-8")
    df = facts.load_facts("t")
    assert df.loc[0, "n"] == "007" and df.loc[0, "code"] == "NA"


@pytest.mark.parametrize("path", sorted(facts.FACTS_DIR.glob("*.csv")), ids=lambda p: p.name)
def test_every_committed_fact_table_is_sourced(path):
    facts.load_facts(path.stem)


def test_unreadable_csv_names_the_file_and_uses_the_callers_error(tmp_path):
    bad = tmp_path / "gbk.csv"
    bad.write_bytes("term,source\n安全,参考\n".encode("gbk"))
    with pytest.raises(
        facts.FactTableError, match=r"gbk\.csv, line 2: byte 0xb0 at column 1 .* is not UTF-8; save the file as UTF-8"
    ):
        facts.read_table(bad)

    class SyntheticError(Exception):
        pass

    with pytest.raises(SyntheticError, match="missing column"):
        facts.read_table(_utf8(tmp_path), required=("absent",), error=SyntheticError)


def _utf8(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text("term,source\n安全,ref\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Every source resolves: a URL of valid syntax or a key of book/references.bib; every row says checked
# ---------------------------------------------------------------------------------------------


_TABLES = sorted(p.stem for p in _FACTS_DIR.glob("*.csv"))


@pytest.mark.parametrize("name", _TABLES)
def test_every_fact_source_resolves_and_says_whether_it_was_checked(name: str) -> None:
    table = facts.load_facts(name, required=("checked",))
    assert facts.unresolved_sources(table, facts.bib_keys()) == [], f"data/facts/{name}.csv"
    assert set(table["checked"]) <= {"yes", "no"}, f"data/facts/{name}.csv: checked must be yes or no"


def test_source_resolution_rejects_what_does_not_resolve() -> None:
    keys = frozenset({"zeng2021securitization"})
    assert facts.source_resolves("https://www.gov.cn/zhengce/content/2017-07/20/content_5211996.htm", keys)
    assert facts.source_resolves("Chinese name: http://example.org/a", keys)
    assert facts.source_resolves("zeng2021securitization, section 3.1, footnote 46", keys)
    assert facts.source_resolves("Spence 2013 [zeng2021securitization]", keys)
    assert not facts.source_resolves("Zeng 2021, section 3.1", keys)  # a key that is not in the bibliography
    assert not facts.source_resolves("http://localhost", keys)  # no host name with a dot
    assert not facts.source_resolves("htp://example.org", keys)
    table = pd.DataFrame({"source": ["zeng2021securitization ; nowhere2020, p. 3"]})
    assert facts.unresolved_sources(table, keys) == [(2, "nowhere2020, p. 3")]
