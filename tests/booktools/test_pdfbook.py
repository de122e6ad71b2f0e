"""The PDF fit to hand out: table layout (analysis.present.latexlayout), the LaTeX hooks (booktools.pdfbook, the glossary
previews of booktools.sphinxext) and the PDF check (booktools.pdf: overfull boxes, cells that collide)."""

from __future__ import annotations

from types import SimpleNamespace

from docutils import nodes
from sphinx import addnodes

from analysis.present import latexlayout
from analysis.present.tables import latex_table
from booktools import pdf, pdfbook, sphinxext

# --------------------------------------------------------------------------- column layout


def test_long_tokens_break_after_separators_and_inside_long_runs():
    assert latexlayout.token_pieces("securitization") == ["securitization"]
    url = "https://example.org/%E5%AE%89%E5%85%A8%E5%AE%89%E5%85%A8"
    pieces = latexlayout.token_pieces(url)
    assert "".join(pieces) == url and max(map(len, pieces)) <= 12
    assert latexlayout.longest_word_ems("国家安全 security") == len("security") * latexlayout.LATIN_EM
    assert latexlayout.longest_word_ems("国家安全") == 1.0  # xeCJK breaks between Han characters


def test_share_gives_every_column_its_minimum():
    widths = latexlayout.share([1, 1, 8], [50, 10, 10], 200)
    assert widths[0] == 50 and abs(sum(widths) - 200) < 1e-9 and widths[2] > widths[1]


def _columns(n: int, word: str = "word", rows: int = 3) -> list[list[str]]:
    return [[f"h{i}", *[f"{word} {i}" for _ in range(rows)]] for i in range(n)]


def test_a_narrow_table_stays_upright_and_every_column_holds_its_longest_word():
    fit = latexlayout.layout(_columns(3, "securitization"))
    assert not fit.landscape and fit.groups == ((0, 1, 2),) and fit.size == "\\small"
    need = latexlayout.longest_word_ems("securitization") * 9.0 / latexlayout.PORTRAIT_PT
    assert all(f >= need - 1e-3 for f in fit.fractions[0]) and sum(fit.fractions[0]) <= 1.0


def test_a_wide_table_turns_to_landscape_and_a_wider_one_is_split_with_its_key_column():
    wide = latexlayout.layout(_columns(8, "transformation"))
    assert wide.landscape and len(wide.groups) == 1
    wider = latexlayout.layout(_columns(24, "transformations"))
    assert wider.landscape and len(wider.groups) > 1
    assert all(g[0] == 0 for g in wider.groups)
    assert sorted({i for g in wider.groups for i in g}) == list(range(24))
    assert all(sum(f) <= 1.0 for f in wider.fractions)


def test_latex_table_of_a_very_wide_frame_is_landscape_and_split():
    import pandas as pd

    frame = pd.DataFrame({f"column number {i}": ["transformations"] * 2 for i in range(24)})
    tex = latex_table(frame, caption="Synthetic")
    assert tex.count("\\begin{longtable}") > 1 and "\\begin{landscape}" in tex and "(continued)" in tex
    empty = latex_table(pd.DataFrame({"a": [], "b": []}))
    assert "\\multicolumn{2}{r}{Continued on next page}" in empty


# --------------------------------------------------------------------------- LaTeX hooks


def _cell(*tags: str) -> nodes.container:
    cell = nodes.container(classes=["cell", *[f"tag_{t}" for t in tags]])
    cell += nodes.container(classes=["cell_input"])
    cell += nodes.container("", nodes.paragraph("", "output"), classes=["cell_output"])
    return cell


def test_folded_outputs_are_left_out_of_the_pdf():
    doc = nodes.document(None, None)
    doc += [_cell("hide-output", "hide-input"), _cell("hide-cell"), _cell("hide-input")]
    assert pdfbook.drop_folded_outputs(doc) == 2
    outputs = [c for c in doc.findall(nodes.container) if "cell_output" in c["classes"]]
    assert len(outputs) == 1


def _table(rows: list[list[str]]) -> nodes.table:
    width = len(rows[0])
    tgroup = nodes.tgroup(cols=width)
    for _ in range(width):
        tgroup += nodes.colspec(colwidth=1)
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for text in cells:
            row += nodes.entry("", nodes.paragraph("", text))
        body += row
    tgroup += body
    return nodes.table("", tgroup)


def test_markdown_tables_get_widths_from_their_content():
    doc = nodes.document(None, None)
    section = nodes.section()
    section += _table([["id", "a long explanation of the claim that this row makes"], ["x", "short"]])
    section += _table([[f"column{i}" for i in range(20)]] * 2)
    doc += section
    assert pdfbook.fit_tables(doc) == 2
    narrow, wide = list(doc.findall(nodes.table))
    assert "colwidths-given" in narrow["classes"]
    first, second = (c["colwidth"] for c in narrow.findall(nodes.colspec))
    assert second > first
    raws = [r.astext() for r in doc.findall(nodes.raw)]
    assert any("\\begin{landscape}" in r for r in raws) and any("\\end{landscape}" in r for r in raws)


def test_chapters_are_numbered_as_on_the_site():
    doc = nodes.document(None, None)
    root = nodes.section()
    names = ["book/how_to_read", "notebooks/01", "notebooks/appendix_a"]
    for name in names:
        start = addnodes.start_of_file(docname=name)
        start += nodes.section()
        root += start
    doc += root
    env = SimpleNamespace(toc_secnumbers={"notebooks/01": {"": (1,)}, "book/how_to_read": {}})
    app = SimpleNamespace(
        builder=SimpleNamespace(format="latex"), config=SimpleNamespace(root_doc="book/index"), env=env
    )
    pdfbook.number_as_on_site(app, doc, "book/index")
    switches = [r.astext().strip() for r in doc.findall(nodes.raw)]
    assert switches == ["\\bookunnumbered", "\\bookunnumbered", "\\booknumbered", "\\bookunnumbered"]
    assert "\\newcommand{\\booknumbered}" in pdfbook.PREAMBLE and "{pdflscape}" in pdfbook.PREAMBLE


def test_glossary_terms_show_their_definition_on_hover():
    doc = nodes.document(None, None)
    para = nodes.paragraph()
    term = nodes.reference("", "", nodes.inline("", "audience", classes=["xref", "std", "std-term"]))
    term["refuri"] = "glossary.html#term-audience"
    other = nodes.reference("", "", nodes.inline("", "elsewhere"), refuri="x.html#term-audience")
    para += [term, other]
    doc += para
    app = SimpleNamespace(
        builder=SimpleNamespace(format="html"), _book_glossary={"term-audience": "Those who must accept"}
    )
    sphinxext._term_previews(app, doc, "notebooks/01")
    assert term["reftitle"] == "audience: Those who must accept" and "reftitle" not in other


# --------------------------------------------------------------------------- pdf-check

TEX = "\n".join(["\\chapter{One}", "text", "\\begin{longtable}{ll}", "a & b \\\\", "\\end{longtable}", "more text"])


def _log(*boxes: tuple[float, str, int]) -> str:
    return "\n".join(f"Overfull \\hbox ({pt}pt too wide) {where} at lines {line}--{line}" for pt, where, line in boxes)


def test_overfull_boxes_are_read_with_their_place():
    boxes = pdf.overfull_boxes(_log((907.1, "in paragraph", 2), (4.5, "in paragraph", 4)), TEX)
    assert [(b.points, b.in_table) for b in boxes] == [(907.1, False), (4.5, True)]
    assert pdf.table_lines(TEX) == {3, 4, 5}
    assert "2 overfull boxes (1 over 20 pt, the worst 907.1 pt; 1 in tables)" == pdf.overfull_summary(boxes)


def test_pdf_check_fails_on_wide_boxes_and_colliding_cells(tmp_path):
    (tmp_path / "book.pdf").write_bytes(b"%PDF-1.5 synthetic")
    (tmp_path / "book.tex").write_text(TEX, encoding="utf-8")
    log = tmp_path / "book.log"
    log.write_text(_log((2.0, "in paragraph", 4), (19.0, "in paragraph", 6)), encoding="utf-8")
    assert pdf.check_pdf(tmp_path) == []  # a 2 pt cell stays clear of its neighbour; 19 pt in prose is tolerated
    log.write_text(_log((21.0, "in paragraph", 6), (4.0, "in paragraph", 4)), encoding="utf-8")
    wide, cells = pdf.check_pdf(tmp_path)
    assert "1 boxes run more than 20 pt" in wide and "21 pt at line 6" in wide
    assert "1 table cells hold a word wider than their column" in cells
    (summary,) = pdf.pdf_summary(tmp_path)
    assert "not A4" in summary and "2 overfull boxes" in summary
