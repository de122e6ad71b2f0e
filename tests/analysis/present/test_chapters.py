"""Chapter helpers (analysis.present.chapters) on a synthetic corpus, and on a corpus with no document."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import counting
from analysis.present import chapters

COLUMNS = ["doc_id", "language", "level", "date", "year", "chars", "text"]


def _corpus() -> pd.DataFrame:
    rows = [
        ("synthetic_b", "zh", "central", "2017-07-20", 2017, 0, "国家安全和安全，国防。"),
        ("synthetic_a", "zh", "central", "2016-05-18", 2016, 0, "安全生产与安全。"),
        ("synthetic_local", "zh", "province", "2018", 2018, 0, "安全"),
        ("synthetic_us", "en", "federal", "2019-02-11", 2019, 0, "national security"),
    ]
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["chars"] = [len(t) for t in df["text"]]
    return df


EMPTY = pd.DataFrame(columns=COLUMNS)


def test_chinese_documents_in_order_of_issue():
    docs = chapters.chinese_documents(_corpus(), level="central")
    assert docs["doc_id"].tolist() == ["synthetic_a", "synthetic_b"] and docs.index.tolist() == [0, 1]
    assert chapters.chinese_documents(_corpus())["doc_id"].tolist() == ["synthetic_a", "synthetic_b", "synthetic_local"]
    assert chapters.issue_span(chapters.chinese_documents(_corpus())) == "issued 2016–2018"
    assert chapters.chinese_documents(EMPTY).empty and chapters.issue_span(EMPTY) == "none available"


def test_term_matrix_labelled_with_glosses_and_year():
    docs = chapters.chinese_documents(_corpus(), level="central")
    matrix = chapters.term_matrix(docs, ["安全", "国防"])
    assert matrix.index.tolist() == ["synthetic_a", "synthetic_b"] and matrix["安全"].tolist() == [2, 2]
    shown = chapters.labelled_matrix(matrix, docs)
    assert shown.columns.tolist() == ["year", "安全 security / safety", "国防 national defence"]
    assert shown["year"].tolist() == [2016, 2017]
    empty = chapters.labelled_matrix(chapters.term_matrix(EMPTY, ["安全"]), EMPTY)
    assert empty.empty and empty.columns.tolist() == ["year", "安全 security / safety"]


def test_count_modes_table():
    docs = chapters.chinese_documents(_corpus(), level="central")
    wide = chapters.count_modes_table(docs, ["安全"])
    assert wide.columns.tolist() == [
        "date",
        "chars",
        "安全 security / safety (inclusive)",
        "安全 security / safety (net)",
        "安全 security / safety (token)",
    ]
    assert wide.loc["synthetic_b"].tolist()[2:] == [2, 1, 1]  # 安全 inside 国家安全 is not net
    assert chapters.count_modes_table(EMPTY, ["安全"]).empty
    with_genre = chapters.count_modes_table(docs.assign(genre="plan"), ["安全"])
    assert with_genre.columns.tolist()[:3] == ["date", "genre", "chars"]


def test_kwic_lines_one_per_match_sorted():
    docs = chapters.chinese_documents(_corpus())
    lines = chapters.kwic_lines(docs, ["国家安全", "安全"])
    total = int(chapters.term_matrix(docs, ["国家安全", "安全"]).to_numpy().sum())
    assert len(lines) == total
    assert lines[["doc_id", "position"]].values.tolist() == sorted(lines[["doc_id", "position"]].values.tolist())
    first_b = lines[lines["doc_id"] == "synthetic_b"].head(2)
    assert first_b["keyword"].tolist() == ["国家安全", "安全"]  # same start: terms in the given order
    assert chapters.kwic_lines(EMPTY, ["安全"]).empty and chapters.kwic_lines(docs, []).columns.tolist() == list(
        chapters.KWIC_COLUMNS
    )


def test_in_order_follows_the_documents():
    docs = chapters.chinese_documents(_corpus(), level="central")
    summary = counting.sense_summary(docs.iloc[::-1])
    assert chapters.in_order(summary, docs)["doc_id"].tolist() == ["synthetic_a", "synthetic_b"]
    assert chapters.in_order(counting.sense_summary(EMPTY), EMPTY).empty


def test_ledger_rows_and_table():
    evaluated = pd.DataFrame(
        {
            "file": ["a.csv", "a.csv", "b.csv"],
            "section": ["3.1", "3.2", "3.1"],
            "claim": ["x", "y", "z"],
            "article_value": ["1", "2", "3"],
            "reproduced_value": ["1", "", "3"],
            "status": ["reproduced"] * 3,
            "explanation": [""] * 3,
        }
    )
    assert chapters.ledger_rows(evaluated, "a.csv")["claim"].tolist() == ["x", "y"]
    table = chapters.ledger_table(evaluated, "a.csv", "3.2")
    assert table.index.tolist() == ["y"] and table.columns.tolist() == list(chapters.LEDGER_COLUMNS[1:])
    assert chapters.ledger_table(evaluated, "c.csv").empty


@pytest.mark.parametrize("language", ["zh", "en"])
def test_glosses_cover_every_term(language):
    assert set(chapters.glosses(language)) == set(counting.load_terms(language=language)["term"])


def test_concept_kwic_english_first_with_glosses_limit_and_numbered_tables():
    """Issue 24: the concept concordance goes through the one renderer: every table numbered and captioned."""
    from analysis.present.tables import BookTable

    docs = pd.DataFrame(
        {
            "doc_id": ["synthetic_us", "synthetic_zh"],
            "language": ["en", "zh"],
            "text": ["China and China's rise. Beijing; China.", "美国和美国。"],
        }
    )
    blocks = chapters.concept_kwic(docs, "counterpart", name="tbl-test-kwic", limit=1)
    cmap = counting.load_concept_map()
    assert blocks[0] == f"**{cmap.loc[cmap['concept'] == 'counterpart', 'concept_en'].iloc[0]}**"
    tables = [b for b in blocks if isinstance(b, BookTable)]
    assert [t.name for t in tables] == [f"tbl-test-kwic-{i + 1}" for i in range(len(tables))]
    china = next(t for t in tables if t.caption.startswith("China in context"))
    assert "3 lines in the US documents of this build; at most 1 per document shown" in china.caption
    assert len(china.frame) == 1 and "3 lines" in china.markdown() and ":name: tbl-test-kwic-" in china.markdown()
    zh = [t for t in tables if t.caption.startswith("美国")]
    assert zh and "(Měiguó" in zh[0].caption and "2 lines in the Chinese documents" in zh[0].caption
    assert all(len(t.frame) == 1 for t in tables) and "document" in tables[0].frame.columns
    nothing = chapters.concept_kwic(EMPTY, "counterpart", name="tbl-test-kwic")
    assert nothing[0].startswith("**") and all(isinstance(b, str) and "no occurrence" in b for b in nothing[1:])


def test_the_one_setup_call_configures_figures_and_pandas():
    import matplotlib

    from analysis.present import chapter

    pd.set_option("display.max_colwidth", 50)
    chapter.setup()
    try:
        assert all(pd.get_option(k) == v for k, v in chapter.PANDAS_OPTIONS.items())
        assert matplotlib.rcParams["savefig.bbox"] == "tight" and matplotlib.rcParams["svg.hashsalt"]
    finally:
        for option in chapter.PANDAS_OPTIONS:
            pd.reset_option(option)


def test_md_names_documents_by_title():
    from analysis.present import chapter
    from analysis.present.labels import document_labels

    assert chapter.md("count in ngaidp_2017").data == f"count in {document_labels()['ngaidp_2017']}"
