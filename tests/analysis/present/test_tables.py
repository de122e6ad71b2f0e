"""The one table renderer (:func:`analysis.present.tables.table`): a numbered, captioned MyST table, a CSV download
of the table as computed, documents by title, "—" with its meaning for missing values, escaped cells, a LaTeX
longtable with the same caption and label, and the same bytes on every call."""

from __future__ import annotations

import base64
import re

import pandas as pd
import pytest
from docutils import nodes
from docutils.core import publish_doctree

from analysis.present.labels import document_labels
from analysis.present.tables import (
    LATEX_DOC,
    LATEX_MARK,
    NA_MARK,
    NO_ROWS,
    latex_table,
    relabel,
    show_table,
    table,
)
from booktools.sphinxext import _unnumbered_take_no_number

FRAME = pd.DataFrame(
    {
        "doc_id": ["synthetic_plan_a", "synthetic_notice_b"],
        "term": ["安全 (ānquán, security)", "x & y_z"],
        "count": [16, 3],
    }
).set_index("doc_id")


def _csv(markup: str, name: str) -> str:
    href = re.search(rf'download="{re.escape(name)}" href="data:text/csv;charset=utf-8;base64,([^"]+)"', markup)
    assert href, f"no download link named {name}"
    return base64.b64decode(href.group(1)).decode("utf-8-sig")


def _myst_doctree(markdown: str) -> nodes.document:
    """The Markdown as MyST-NB renders a Markdown output (myst-parser with the book's extensions)."""
    from myst_parser.parsers.docutils_ import Parser

    settings = {"myst_enable_extensions": ["dollarmath", "colon_fence", "deflist", "linkify"], "report_level": 4}
    return publish_doctree(markdown, parser=Parser(), settings_overrides=settings)


def test_a_table_is_numbered_and_captioned_in_myst():
    md = table(FRAME, "Counts in two synthetic documents", name="tbl-test-counts")._repr_mimebundle_()["text/markdown"]
    assert "````{table} Counts in two synthetic documents\n:name: tbl-test-counts\n" in md
    doctree = _myst_doctree(md)
    (tab,) = list(doctree.findall(nodes.table))
    assert tab["ids"] == ["tbl-test-counts"], "without a label Sphinx gives the table no number"
    assert tab.next_node(nodes.title).astext() == "Counts in two synthetic documents"
    rows = list(tab.findall(nodes.row))
    assert [e.astext() for e in rows[0].findall(nodes.entry)] == ["document", "term", "count"]  # one header row
    assert len(rows) == 3


def test_the_bundle_is_deterministic_and_has_every_form():
    a = table(FRAME, "Counts", name="tbl-test-counts")._repr_mimebundle_()
    b = table(FRAME.copy(), "Counts", name="tbl-test-counts")._repr_mimebundle_()
    assert a == b
    assert set(a) == {"text/markdown", "text/latex", "text/html", "text/plain"}
    joined = "".join(a.values())
    assert not re.search(r'id="T_|uuid|0x[0-9a-f]{8}', joined)
    assert 'class="book-table-scroll" tabindex="0" role="region" aria-label="Counts"' in a["text/markdown"]


def test_the_csv_link_holds_the_table_as_computed():
    frame = pd.DataFrame({"doc_id": ["ngaidp_2017", "x"], "n": [1.5, float("nan")]})
    md = table(frame, "Counts", name="tbl-test-csv", index=False)._repr_mimebundle_()["text/markdown"]
    assert _csv(md, "test-csv.csv").splitlines() == ["doc_id,n", "ngaidp_2017,1.5", "x,"]
    md = table(frame, "Counts", name="tbl-test-csv", csv="other.csv")._repr_mimebundle_()["text/markdown"]
    assert "Download this table as CSV (2 rows)" in md and _csv(md, "other.csv")
    assert "book-table-csv" not in table(frame, "Counts", name="tbl-test-csv", csv="").markdown()


def test_documents_are_named_by_title_in_cells_and_headers_but_not_in_the_csv():
    title = document_labels()["ngaidp_2017"]
    frame = pd.DataFrame({"doc_id": ["ngaidp_2017"], "explanation": ["count of 安全 in ngaidp_2017: 48"]})
    md = table(frame, "A claim", name="tbl-test-titles", index=False).markdown()
    body = md.split("````")[1]
    assert "ngaidp_2017" not in body.replace("ngaidp\\_2017", "ngaidp_2017")
    assert "| document | explanation |" in body and title.split(" (")[0] in body
    assert "ngaidp_2017" in _csv(md, "test-titles.csv")


@pytest.mark.parametrize("missing", [float("nan"), pd.NA, None, "<NA>"])
def test_a_missing_value_shows_a_dash_whose_meaning_the_caption_states(missing):
    frame = pd.DataFrame({"claim": ["a", "b"], "value": pd.array(["1", missing], dtype=object)})
    bundle = table(frame, "Claims", name="tbl-test-na", na="not computed in this build", index=False)
    md = bundle.markdown()
    assert f"| b | {NA_MARK} |" in md and "<NA>" not in md.replace("\\<NA\\>", "<NA>") and "nan" not in md
    assert "Claims. “—” means not computed in this build." in md
    assert "“—”" not in table(frame.iloc[:1], "Claims", name="tbl-test-na", index=False).markdown()


def test_no_index_row_and_an_informative_index_is_the_first_column():
    crosstab = pd.crosstab(pd.Series(["a", "b"], name="tier"), pd.Series(["x", "y"], name="status"))
    md = table(crosstab, "Tiers", name="tbl-test-index").markdown()
    assert "| tier | x | y |" in md and "status" not in md.split("````")[1].split(":name:")[1]
    plain = table(pd.DataFrame({"a": [1]}), "Plain", name="tbl-test-index").markdown()
    assert "| a |" in plain and "| index |" not in plain


def test_cells_are_literal_text_unless_a_column_is_markup():
    frame = pd.DataFrame({"data": ["*not emphasis* $x$ {term}`y` a_b | c"], "link": ["{doc}`ledger`"]})
    md = table(frame, "Escapes", name="tbl-test-escape", index=False, markup=("link",)).markdown()
    (tab,) = list(_myst_doctree(md).findall(nodes.table))
    cells = [e.astext() for e in list(tab.findall(nodes.row))[1].findall(nodes.entry)]
    assert cells[0] == "*not emphasis* $x$ {term}`y` a_b | c"
    assert "{doc}`ledger`" in md


def test_a_table_without_rows_keeps_its_number_and_says_so():
    empty = pd.DataFrame(columns=["document", "count"])
    md = table(empty, "Nothing here", name="tbl-test-empty").markdown()
    assert ":name: tbl-test-empty" in md and f"| {NO_ROWS} |  |" in md
    assert "Download this table as CSV (0 rows)" in md


@pytest.mark.parametrize(
    ("caption", "name"), [("", "tbl-x-y"), ("  ", "tbl-x-y"), ("A caption", "x-y"), ("A caption", "tbl_x")]
)
def test_a_table_needs_a_caption_and_a_label(caption, name):
    with pytest.raises(ValueError, match="caption|tbl-"):
        table(FRAME, caption, name=name)


def test_latex_is_a_numbered_escaped_longtable_that_fits_the_line():
    tex = table(FRAME, "Counts & more", name="tbl-test-latex").latex()
    assert tex.startswith(LATEX_MARK) and "\\begin{longtable}" in tex and "\\toprule" in tex
    assert f"\\caption{{Counts \\& more}} \\label{{\\detokenize{{{LATEX_DOC}:tbl-test-latex}}}}" in tex
    assert "x \\& y\\_z" in tex and "安全" in tex
    widths = [float(w) for w in re.findall(r"p\{([0-9.]+)\\linewidth\}", tex)]
    assert len(widths) == 3 and sum(widths) <= 1.0
    assert "\\addtocounter{table}{-1}" not in _unnumbered_take_no_number(tex)


def test_latex_without_caption_takes_no_number_and_split_groups_repeat_it():
    """longtable steps the table counter for every table: the PDF step takes it back for every longtable without
    a numbered caption (a DataFrame, a continued column group), so captioned tables are numbered one after another."""
    assert "\\addtocounter{table}{-1}\\begin{longtable}" in _unnumbered_take_no_number(latex_table(FRAME))
    wide = pd.DataFrame({f"column {i}": ["unbreakablewordsxyz"] for i in range(14)})  # 19 characters: no break
    tex = _unnumbered_take_no_number(latex_table(wide, caption="Wide", label="tbl-wide", index=False))
    assert tex.count("\\begin{longtable}") > 1
    assert tex.count("\\caption{Wide}") == 1 and "\\caption[]{Wide (continued)}" in tex
    assert tex.count("\\addtocounter{table}{-1}") == tex.count("\\begin{longtable}") - 1


def test_show_table_is_a_thin_wrapper_with_reader_cells():
    frame = pd.DataFrame({"doc_id": ["ngaidp_2017"], "n": [pd.NA]}).set_index("doc_id")
    md = show_table(frame, csv_name="x.csv").markdown()
    assert "{table}" not in md and f"| {NA_MARK} |" in md and "ngaidp\\_2017 |" not in md
    assert "ngaidp_2017" in _csv(md, "x.csv")


def test_rows_get_human_labels_and_unknown_ids_stay():
    labels = {"synthetic_plan_a": "Synthetic plan A (2016-05)"}
    out = relabel(FRAME, labels)
    assert out.index.tolist() == ["Synthetic plan A (2016-05)", "synthetic_notice_b"]
    col = relabel(FRAME.reset_index(), labels, column="doc_id")
    assert col["document"].tolist()[0] == "Synthetic plan A (2016-05)"


def test_long_tokens_break_in_latex_cells():
    from analysis.present.tables import latex_cell

    assert latex_cell("x & y_z") == "x \\& y\\_z"
    cell = latex_cell("https://www.federalregister.gov/documents/2019/10/09/2019-22210/addition")
    assert cell.count("\\allowbreak{}") >= 8 and "\\_" not in cell


def test_every_special_character_of_a_long_token_is_escaped():
    from analysis.present.tables import latex_cell

    cell = latex_cell("https://newton.com.tw/wiki/%E5%9C%8B_x#top&y~z")
    assert "%" not in cell.replace("\\%", "") and "#" not in cell.replace("\\#", "")
    assert "\\&" in cell and "\\textasciitilde{}" in cell


def test_ids_and_parameters_can_go_to_the_download_only():
    frame = pd.DataFrame({"claim": ["x"], "claim_id": ["s3-x"], "status": ["reproduced"]})
    shown = table(frame, "Claims", name="tbl-test-hidden", index=False, csv_only=("claim_id",))
    assert list(shown.frame.columns) == ["claim", "status"]
    assert _csv(shown.markdown(), "test-hidden.csv").splitlines()[0] == "claim,claim_id,status"


def test_a_wide_table_gets_column_widths_and_a_minimum_width():
    from analysis.present.tables import html_widths

    narrow = pd.DataFrame({"a": [1], "b": [2]})
    assert html_widths(narrow) == ((), ())
    prose = "a sentence of explanation that runs on for a while " * 3
    wide = pd.DataFrame({f"c{i}": [prose] for i in range(6)})
    classes, widths = html_widths(wide)
    assert classes[0] == "book-table-wide" and re.fullmatch(r"book-table-w\d+0", classes[1])
    assert widths == (16,) * 6
    md = table(wide, "Wide", name="tbl-test-wide", index=False).markdown()
    assert ":class: book-table-wide book-table-w" in md and ":widths: 16 16 16 16 16 16" in md
