"""Reader tables: human labels, deterministic HTML in a focusable scroll box with a CSV link, a LaTeX longtable."""

from __future__ import annotations

import base64
import re

import pandas as pd

from analysis.present.tables import (
    LATEX_MARK,
    document_labels,
    latex_table,
    relabel,
    show_table,
)

FRAME = pd.DataFrame(
    {
        "doc_id": ["synthetic_plan_a", "synthetic_notice_b"],
        "term": ["安全 (ānquán, security)", "x & y_z"],
        "count": [16, 3],
    }
).set_index("doc_id")


def test_bundle_has_html_latex_and_text_and_is_deterministic():
    a = show_table(FRAME, caption="Counts", csv_name="counts.csv")._repr_mimebundle_()
    b = show_table(FRAME.copy(), caption="Counts", csv_name="counts.csv")._repr_mimebundle_()
    assert a == b
    assert set(a) == {"text/html", "text/latex", "text/plain"}
    assert 'class="book-table-scroll" tabindex="0" role="region" aria-label="Counts"' in a["text/html"]
    assert not re.search(r'id="T_|uuid', a["text/html"])


def test_csv_link_holds_the_whole_table():
    html = show_table(FRAME, csv_name="counts.csv")._repr_mimebundle_()["text/html"]
    href = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', html).group(1)
    text = base64.b64decode(href).decode("utf-8-sig")
    assert text.splitlines() == [
        "doc_id,term,count",
        'synthetic_plan_a,"安全 (ānquán, security)",16',
        "synthetic_notice_b,x & y_z,3",
    ]
    assert 'download="counts.csv"' in html


def test_latex_is_an_escaped_longtable_that_fits_the_line():
    tex = latex_table(FRAME)
    assert tex.startswith(LATEX_MARK) and "\\begin{longtable}" in tex and "\\toprule" in tex
    assert "x \\& y\\_z" in tex and "安全" in tex
    widths = [float(w) for w in re.findall(r"p\{([0-9.]+)\\linewidth\}", tex)]
    assert len(widths) == 3 and sum(widths) <= 1.0


def test_rows_get_human_labels_and_unknown_ids_stay():
    labels = {"synthetic_plan_a": "Synthetic plan A (2016-05)"}
    out = relabel(FRAME, labels)
    assert out.index.tolist() == ["Synthetic plan A (2016-05)", "synthetic_notice_b"]
    col = relabel(FRAME.reset_index(), labels, column="doc_id")
    assert col["document"].tolist()[0] == "Synthetic plan A (2016-05)"


def test_document_labels_from_a_manifest():
    manifest = pd.DataFrame({"doc_id": ["a", "b"], "title_en": ["Plan", ""], "date": ["2017-07-08", ""]})
    assert document_labels(manifest) == {"a": "Plan (2017-07-08)", "b": "b"}


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
