"""The PDF as readers of the site expect it (``make pdf``; hooks registered by :mod:`booktools.sphinxext`).

* **Numbering as on the site.** The site numbers only the chapters of the numbered part of ``_toc.yml`` (1 to 9);
  the front matter (how to read, methods) and the appendices carry no number. LaTeX would number every chapter,
  so each inlined document starts with ``\\booknumbered`` or ``\\bookunnumbered`` (``secnumdepth`` switched off
  and back), from the section numbers Sphinx gave the site (``env.toc_secnumbers``).
* **Folded outputs stay folded.** A cell whose output the HTML folds (``hide-output``, ``hide-cell``) prints no
  output; the PDF cannot unfold it.
* **Tables that fit.** A table written in Markdown gets column widths from its content
  (:func:`analysis.present.latexlayout.layout`), a smaller size, or landscape when it is wide. (The book's own tables
  get the same from :func:`analysis.present.tables.latex_table`.)
* The preamble adds ``pdflscape`` (landscape pages) and ``xurl`` (URLs break anywhere rather than run into the
  next column or the margin).
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config

PREAMBLE = r"""
% booktools.pdfbook: landscape pages for wide tables, URLs that break anywhere, chapters numbered as on the site
\usepackage{pdflscape}
\usepackage{xurl}
\newcounter{booksecnumdepth}
\AtBeginDocument{\setcounter{booksecnumdepth}{\value{secnumdepth}}}
\newcommand{\bookunnumbered}{\setcounter{secnumdepth}{-1}}
\newcommand{\booknumbered}{\setcounter{secnumdepth}{\value{booksecnumdepth}}}
"""
FOLDED_OUTPUT_TAGS = ("tag_hide-output", "tag_hide-cell")


def add_preamble(app: Sphinx, config: Config) -> None:
    elements = dict(config.latex_elements or {})
    elements["preamble"] = str(elements.get("preamble", "")) + PREAMBLE
    config.latex_elements = elements


def drop_folded_outputs(doctree: nodes.Node) -> int:
    """Remove the outputs of cells whose output the HTML folds; returns how many were removed."""
    removed = 0
    for cell in list(doctree.findall(nodes.container)):
        if any(tag in cell.get("classes", []) for tag in FOLDED_OUTPUT_TAGS):
            for child in [c for c in cell.children if "cell_output" in c.get("classes", [])]:
                cell.remove(child)
                removed += 1
    return removed


def _columns(table: nodes.table) -> list[list[str]] | None:
    """The text of each column (header first), or None for a table with spanning cells."""
    tgroup = next(iter(table.findall(nodes.tgroup)), None)
    if tgroup is None:
        return None
    width = int(tgroup.get("cols", 0))
    columns: list[list[str]] = [[] for _ in range(width)]
    for row in tgroup.findall(nodes.row):
        entries = [e for e in row.children if isinstance(e, nodes.entry)]
        if len(entries) != width or any(e.get("morecols") or e.get("morerows") for e in entries):
            return None
        for i, entry in enumerate(entries):
            columns[i].append(entry.astext())
    return columns if width else None


def fit_tables(doctree: nodes.Node) -> int:
    """Column widths from the content for every table of the document (LaTeX); returns how many were fitted."""
    from analysis.present.latexlayout import LANDSCAPE_PT, PORTRAIT_PT, layout

    fitted = 0
    for table in list(doctree.findall(nodes.table)):
        columns = _columns(table)
        if not columns or "colwidths-given" in table.get("classes", []):
            continue
        fit = layout(columns, sep_pt=12.0)  # Sphinx's tables: \tabcolsep 6 pt on each side
        width = LANDSCAPE_PT if fit.landscape else PORTRAIT_PT
        # one group: a Markdown table is not split; Sphinx's \X{a}{b} subtracts the column separation itself
        share = [f + 12.0 / width for f in fit.fractions[0]] if len(fit.groups) == 1 else [1.0] * len(columns)
        for colspec, part in zip(table.findall(nodes.colspec), share, strict=False):
            colspec["colwidth"] = max(1, round(part * 1000))
        table["classes"] = [*table.get("classes", []), "colwidths-given"]
        before, after = f"\\begingroup{fit.size}", "\\endgroup"
        if fit.landscape:
            before, after = "\\begin{landscape}" + before, after + "\\end{landscape}"
        parent = table.parent
        at = parent.index(table)
        parent.insert(at + 1, nodes.raw("", after, format="latex"))
        parent.insert(at, nodes.raw("", before, format="latex"))
        fitted += 1
    return fitted


def number_as_on_site(app: Sphinx, doctree: nodes.Node, docname: str) -> None:
    """In the PDF's single tree, switch chapter numbers on for the documents the site numbers, off for others."""
    if app.builder is None or app.builder.format != "latex" or docname != app.config.root_doc:
        return
    numbered = {name for name, numbers in (app.env.toc_secnumbers or {}).items() if numbers}
    for start in doctree.findall(addnodes.start_of_file):
        switch = "\\booknumbered" if start["docname"] in numbered else "\\bookunnumbered"
        start.insert(0, nodes.raw("", switch + "\n", format="latex"))
    # the landing page's own text (before the first chapter) is front matter too
    doctree.insert(0, nodes.raw("", "\\bookunnumbered\n", format="latex"))


def setup(app: Sphinx) -> None:
    app.connect("config-inited", add_preamble)
    app.connect("doctree-resolved", number_as_on_site)
