"""Tests of analysis.corpus.cnki on synthetic CNKI exports (tests/fixtures/cnki/synthetic_*; invented records)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.corpus import cnki

FIXTURES = Path(__file__).parents[2] / "fixtures" / "cnki"
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


SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "cnki_samples"
ESTUDY = SAMPLES / "mrhelper_demo_cnki_202101_estudy.txt"
NOTEEXPRESS = SAMPLES / "CNKI_2_BibTeX_CoverAllTest15Entries_noteexpress.net"


def _sample(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"real CNKI sample {path.name} is not in ../shared/cnki_samples/ (read from there, never copied)")
    return path


def test_real_estudy_export_reads_20_records() -> None:
    export = cnki.parse_file(_sample(ESTUDY))
    assert len(export.records) == 20
    assert len(export.dated) == 20  # seven have no Year-年 and are dated by PubTime-出版时间
    assert export.skipped == ()
    assert {r.fmt for r in export.records} == {"cnki_fields"}
    assert all(r.is_journal_article and r.year == 2021 for r in export.records)
    assert export.caption_note() == "20 records read from 1 export file(s); none skipped"


def test_real_noteexpress_export_reads_15_records_12_dated() -> None:
    export = cnki.parse_file(_sample(NOTEEXPRESS))
    assert len(export.records) == 15
    assert len(export.dated) == 12  # {Year} or {Date}; yearbook entries and one standard have neither
    assert [(s.file, s.line) for s in export.skipped] == [
        (NOTEEXPRESS.name, 88),
        (NOTEEXPRESS.name, 95),
        (NOTEEXPRESS.name, 127),
    ]
    assert all("without a year" in s.reason for s in export.skipped)
    assert "3 skipped" in export.caption_note()
    assert sum(r.is_journal_article for r in export.records) == 5
    assert any(r.title.startswith("Does converting") for r in export.records)  # an English record
    frame = export.skipped_frame()
    assert frame.columns.tolist() == ["file", "line", "reason"] and len(frame) == 3


def test_refworks_continuation_lines_crlf_and_double_separators() -> None:
    export = cnki.parse_file(FIXTURES / "synthetic_refworks_continuation.txt")
    assert [(r.year, r.line) for r in export.records] == [(2020, 1), (2019, 14), (2018, 23)]
    first = dict(export.records[0].fields)
    assert first["AB"].startswith("合成测试摘要的第一行") and first["AB"].endswith("wraps too (synthetic).")
    assert "摘要在下一行继续" in first["AB"]
    assert first["DS"] == "CNKI"  # the field after the wrapped abstract is still its own field
    assert first["VO"] == ""  # CNKI's lower-case, empty volume tag is a field, not a continuation
    assert dict(export.records[1].fields)["AB"].endswith("on a second line.")
    assert export.skipped == ()
    assert not export.records[2].is_journal_article


def test_endnote_records_without_date_are_read_and_reported() -> None:
    export = cnki.parse_file(FIXTURES / "synthetic_endnote_no_date.txt")
    assert [r.year for r in export.records] == [None, 2019, None]
    assert [(s.line, "without a year" in s.reason) for s in export.skipped] == [(1, True), (15, True)]
    assert dict(export.records[0].fields)["%X"] == "合成测试摘要， 在下一行继续（虚构）。"
    counts = cnki.yearly_counts(export)
    assert int(counts["count"].sum()) == 1  # only the dated record reaches the figure


@pytest.mark.parametrize(
    ("name", "n_records", "skips"),
    [
        # A line that is no field continues the previous value (the journal name here).
        ("synthetic_malformed_cnki_fields.txt", 2, []),
        ("synthetic_malformed_refworks.txt", 2, [(6, "without a year")]),
        ("synthetic_malformed_endnote.txt", 1, [(4, "is not a year")]),
        # A record after a blank line that lacks its type marker is read, with no type.
        ("synthetic_malformed_noteexpress.net", 2, []),
        # A second title without a blank line starts a new record.
        ("synthetic_malformed_duplicate_title.txt", 2, []),
    ],
)
def test_untidy_exports_are_read_and_skips_name_file_and_line(name: str, n_records: int, skips: list) -> None:
    export = cnki.parse_file(FIXTURES / name)
    assert len(export.records) == n_records
    assert [(s.line, m in s.reason) for s, (_, m) in zip(export.skipped, skips, strict=False)] == [
        (line, True) for line, _ in skips
    ]
    assert len(export.skipped) == len(skips)
    assert all(str(s).startswith(f"{name}, line {s.line}: ") for s in export.skipped)


def test_stray_text_and_titleless_records_are_skipped() -> None:
    text = "%0 Journal Article\n%D 2019\n\n%0 Journal Article\n%T 合成测试记录二十（虚构）\n%D 2020\n"
    export = cnki.parse_text(text, filename="synthetic.txt")
    assert [r.year for r in export.records] == [2020]
    assert [(s.line, "without a title" in s.reason) for s in export.skipped] == [(1, True)]


def test_only_a_file_that_is_not_an_export_fails() -> None:
    name = "synthetic_malformed_unknown_format.txt"
    with pytest.raises(cnki.CnkiFormatError, match="not a CNKI export") as info:
        cnki.parse_file(FIXTURES / name)
    assert (info.value.filename, info.value.line) == (name, 1)
    assert str(info.value).startswith(f"{name}, line 1: ")


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
    export = cnki.parse_file(path)
    assert [r.title for r in export] == [r.title for r in cnki.parse_file(FIXTURES / "synthetic_endnote.txt")]
    assert export.encodings == (("synthetic_gb18030.txt", "gb18030"),)


def test_big5_exports_are_detected_and_decoded(tmp_path: Path) -> None:
    # A traditional-character export, as CNKI's Taiwan site writes it, in Big5 (synthetic records).
    text = (
        "SrcDatabase-來源庫: 期刊\nTitle-題名: 合成測試記錄：人工智能安全與國家治理（虛構）\nSource-文獻來源: 合成測試期刊\n"
        "Year-年: 2019\n\nSrcDatabase-來源庫: 期刊\nTitle-題名: 合成測試記錄：人工智能與網絡安全風險（虛構）\n"
        "Source-文獻來源: 合成測試期刊\nYear-年: 2020\n"
    )
    path = tmp_path / "synthetic_big5.txt"
    path.write_bytes(text.encode("big5"))
    raw = path.read_bytes()
    assert raw.decode("gb18030")  # Big5 bytes also "decode" as GB18030: mojibake that a naive reader accepts
    export = cnki.parse_file(path)
    assert export.encodings == (("synthetic_big5.txt", "big5"),)
    assert [r.title for r in export] == [
        "合成測試記錄：人工智能安全與國家治理（虛構）",
        "合成測試記錄：人工智能與網絡安全風險（虛構）",
    ]
    counts = cnki.yearly_counts(export).set_index("year")["count"]
    assert (int(counts[2019]), int(counts[2020])) == (1, 1)  # not counted as 0


def test_figure_draws_the_counts_and_names_its_source(plotting) -> None:
    from analysis.present.plotting import figure_bytes
    from analysis.present.plotting.audiences import cnki_yearly_figure

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


def test_skipped_records_reach_the_figure_caption() -> None:
    from analysis.present.plotting import setup_plotting
    from analysis.present.plotting.audiences import cnki_yearly_figure

    setup_plotting()
    export = cnki.parse_files([FIXTURES / "synthetic_endnote_no_date.txt", FIXTURES / "synthetic_refworks.txt"])
    fig = cnki_yearly_figure(cnki.yearly_counts(export), source_label=f"synthetic exports: {export.caption_note()}")
    caption = " ".join(t.get_text() for t in fig.texts)
    assert "6 records read from 2 export file(s); 2 skipped" in caption
    import matplotlib.pyplot as plt

    plt.close(fig)
