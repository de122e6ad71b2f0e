"""One setup call for every notebook of the book, and the names a chapter shows things with.

The first code cell of every notebook is::

    from analysis.present import chapter

    chapter.setup()

(plus the chapter's own imports). :func:`setup` configures figures (:func:`analysis.present.plotting.setup_plotting`:
the CJK font, byte-stable PNGs with alt text, a LaTeX table for every DataFrame) and pandas' display options, the
same in every chapter (:data:`PANDAS_OPTIONS`). The chapter then shows

* a table with ``chapter.table(frame, caption, name="tbl-<page>-<what>")`` (:func:`analysis.present.tables.table`:
  numbered, captioned, a CSV download, documents by title);
* a sentence or list computed from data with ``chapter.md(text)`` (MyST Markdown);
* a figure returned by a plotting function: the cell carries ``mystnb: figure: {caption, name}`` metadata (number
  and caption), the function gives the alt text (:func:`analysis.present.plotting.set_alt`);
* a document by :func:`document_labels` (short title and month), never by its ``doc_id``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.present.labels import document_labels, name_documents
from analysis.present.tables import BookTable, table

__all__ = ["PANDAS_OPTIONS", "BookTable", "document_labels", "md", "name_documents", "setup", "show", "table"]

#: pandas' display options of every chapter: nothing cut (no column width limit, every column), long tables shown
#: whole up to 500 rows (reader tables go through :func:`table`, which never cuts).
PANDAS_OPTIONS: dict[str, Any] = {
    "display.max_colwidth": None,
    "display.max_columns": None,
    "display.max_rows": 500,
}


def setup() -> None:
    """Configure a chapter's kernel: figures (font, theme, byte-stable output, alt text) and pandas' display."""
    from analysis.present.plotting import setup_plotting

    setup_plotting()
    for option, value in PANDAS_OPTIONS.items():
        pd.set_option(option, value)


def md(text: str) -> Any:
    """``text`` as a Markdown output (MyST: roles such as ``{doc}`` work), with documents named by title."""
    from IPython.display import Markdown

    return Markdown(str(name_documents(text)))


def show(*items: Any) -> None:
    """Display several outputs of one cell in turn (tables, Markdown, figures); a string is Markdown (:func:`md`)."""
    from IPython.display import display

    for item in items:
        display(md(item) if isinstance(item, str) else item)
