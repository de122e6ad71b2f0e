"""Tests of analysis.cnki on synthetic CNKI exports (tests/fixtures/cnki/synthetic_*; invented records)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import cnki

FIXTURES = Path(__file__).parent / "fixtures" / "cnki"
GOOD = ["synthetic_cnki_fields.txt", "synthetic_refworks.txt", "synthetic_endnote.txt", "synthetic_noteexpress.net"]


def test_fixtures_are_named_synthetic() -> None:
    files = sorted(p.name for p in FIXTURES.iterdir())
    assert files, "no fixtures found"
    assert all(name.startswith("synthetic_") for name in files), files


@pytest.mark.parametrize(
    ("name", "fmt", "n"),
    [
        ("synthetic_cnki_fields.txt", "cnki_fields", 5),
        ("synthetic_refworks.txt", "refworks", 3),
        ("synthetic_endnote.txt", "endnote", 2),
        ("synthetic_noteexpress.net", "noteexpress", 2),
        ("synthetic_zhiwang_yanxue.txt", "cnki_fields", 2),
    ],
)
def test_each_format_is_detected_and_parsed(name: str, fmt: str, n: int) -> None:
    path = FIXTURES / name
    assert cnki.detect_format(path.read_text(encoding="utf-8"), filename=name) == fmt
    records = cnki.parse_file(path)
    assert len(records) == n
    assert {r.fmt for r in records} == {fmt}
    assert all(r.file == name for r in records)
    assert all("合成测试记录" in r.title for r in records)  # every fixture record says it is synthetic


def test_fields_are_read_exactly() -> None:
    first, *_, fifth = cnki.parse_file(FIXTURES / "synthetic_cnki_fields.txt")
    assert first.title == "合成测试记录一：人工智能安全（虚构）"
    assert (first.year, first.doc_type, first.source, first.line) == (2016, "期刊", "合成测试期刊", 1)
    assert first.is_journal_article
    assert dict(first.fields)["Period-期"] == "05"
    # An empty Year-年 falls back on PubTime-发表时间.
    assert (fifth.year, fifth.line) == (2019, 27)
    refworks = cnki.parse_file(FIXTURES / "synthetic_refworks.txt")
    assert [(r.year, r.line) for r in refworks] == [(2019, 1), (2016, 9), (2000, 17)]
    thesis = cnki.parse_file(FIXTURES / "synthetic_endnote.txt")[1]
    assert thesis.doc_type == "Thesis" and not thesis.is_journal_article


def test_yearly_counts_of_the_synthetic_exports() -> None:
    records = cnki.parse_files(FIXTURES / name for name in GOOD)
    assert len(records) == 12
    counts = cnki.yearly_counts(records)
    assert list(counts.columns) == ["year", "count"]
    assert counts["year"].tolist() == list(range(2001, 2021))  # every year present, zero-filled
    nonzero = {int(y): int(c) for y, c in counts.itertuples(index=False) if c}
    assert nonzero == {2016: 2, 2018: 1, 2019: 2, 2020: 1}


def test_yearly_counts_options() -> None:
    records = cnki.parse_files(FIXTURES / name for name in GOOD)
    # Without de-duplication the record exported twice (CNKI fields and RefWorks) counts twice.
    assert int(cnki.yearly_counts(records, dedupe=False).set_index("year").loc[2016, "count"]) == 3
    # Theses count when journal_only is off.
    assert int(cnki.yearly_counts(records, journal_only=False)["count"].sum()) == 8
    # Without the title filter, record four (no 安全 in its title) counts too.
    assert int(cnki.yearly_counts(records, terms=None).set_index("year").loc[2018, "count"]) == 2
    wider = cnki.yearly_counts(records, years=(2000, 2021))
    assert int(wider["count"].sum()) == 8 and wider["year"].iloc[0] == 2000
    with pytest.raises(ValueError, match="first <= last"):
        cnki.yearly_counts(records, years=(2020, 2001))


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("synthetic_malformed_cnki_fields.txt", 9, "not a field of the cnki_fields format"),
        ("synthetic_malformed_refworks.txt", 6, "has no year"),
        ("synthetic_malformed_endnote.txt", 4, "is not a year"),
        ("synthetic_malformed_noteexpress.net", 5, "must begin with"),
        ("synthetic_malformed_duplicate_title.txt", 4, "appears twice"),
        ("synthetic_malformed_unknown_format.txt", 1, "unrecognised CNKI export format"),
    ],
)
def test_malformed_exports_name_file_and_line(name: str, line: int, message: str) -> None:
    with pytest.raises(cnki.CnkiFormatError, match=message) as info:
        cnki.parse_file(FIXTURES / name)
    assert info.value.filename == name
    assert info.value.line == line
    assert str(info.value).startswith(f"{name}, line {line}: ")


def test_empty_and_missing_files() -> None:
    with pytest.raises(cnki.CnkiFormatError, match="empty") as info:
        cnki.parse_file(FIXTURES / "synthetic_malformed_empty.txt")
    assert info.value.line is None and "synthetic_malformed_empty.txt" in str(info.value)
    with pytest.raises(cnki.CnkiFormatError, match="file not found"):
        cnki.parse_file(FIXTURES / "synthetic_does_not_exist.txt")


def test_gb18030_exports_are_read(tmp_path: Path) -> None:
    text = (FIXTURES / "synthetic_endnote.txt").read_text(encoding="utf-8")
    path = tmp_path / "synthetic_gb18030.txt"
    path.write_bytes(text.encode("gb18030"))
    assert [r.title for r in cnki.parse_file(path)] == [r.title for r in cnki.parse_file(FIXTURES / "synthetic_endnote.txt")]


def test_records_frame() -> None:
    frame = cnki.records_frame(cnki.parse_file(FIXTURES / "synthetic_endnote.txt"))
    assert frame.columns.tolist() == ["title", "year", "doc_type", "is_journal_article", "source", "fmt", "file", "line"]
    assert frame["is_journal_article"].tolist() == [True, False]


def test_figure_draws_the_counts_and_names_its_source(plotting) -> None:
    from analysis.plotting import figure_bytes
    from analysis.plotting.audiences import cnki_yearly_figure

    counts = cnki.yearly_counts(cnki.parse_files(FIXTURES / name for name in GOOD))
    fig = cnki_yearly_figure(counts, source_label="synthetic test fixture (invented records)")
    ax = fig.axes[0]
    heights = [int(round(p.get_height())) for p in ax.patches]
    assert heights == counts["count"].tolist()
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "synthetic test fixture" in texts
    assert "人工智能" in ax.get_title() and "security" in ax.get_title()
    # Deterministic: the same counts give the same bytes.
    again = cnki_yearly_figure(counts, source_label="synthetic test fixture (invented records)")
    assert figure_bytes(fig) == figure_bytes(again)
    import matplotlib.pyplot as plt

    plt.close(fig)
    plt.close(again)
    with pytest.raises(ValueError, match="source_label"):
        cnki_yearly_figure(counts, source_label=" ")
