"""Tables for readers: human row labels, a scroll box that never cuts a column off, a CSV download, and a
real LaTeX table in the PDF.

:func:`show_table` wraps a DataFrame in a :class:`BookTable`, whose ``_repr_mimebundle_`` gives

* ``text/html``: a static table in a focusable, labelled scroll region (wide or long tables scroll inside it,
  so nothing is cut off at any page width), with a link that downloads the table as CSV from a ``data:`` URL
  (no file to manage, nothing fetched). A static table, not itables: it needs no JavaScript, renders
  byte-identically on every build (no generated ids), and passes axe-core's rules without patching;
* ``text/latex``: a ``longtable`` with wrapping ``p{}`` columns, written by pandas' ``Styler.to_latex``
  (LaTeX-escaped), which MyST-NB picks for the PDF (``booktools.sphinxext`` passes it through as raw LaTeX);
* ``text/plain``: pandas' own text.

:func:`register_formatters` gives *every* DataFrame shown in a chapter the same ``text/latex`` form, so the
PDF never prints a DataFrame as monospace text. :func:`document_labels` turns manifest ids into the
titles readers know ("Title (2017-07-08)").
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

LATEX_MARK = "% book-table"
_MAX_HEIGHT = "32rem"


def document_labels(manifest: pd.DataFrame | None = None) -> dict[str, str]:
    """``doc_id`` → ``"<English title> (<date>)"`` for every manifest document."""
    if manifest is None:
        from analysis.corpus import load_manifest

        manifest = load_manifest()
    labels = {}
    for doc_id, title, date in zip(manifest["doc_id"], manifest["title_en"], manifest["date"], strict=False):
        title = str(title).strip() or str(doc_id)
        labels[str(doc_id)] = f"{title} ({date})" if str(date).strip() else title
    return labels


def relabel(
    frame: pd.DataFrame, labels: Mapping[str, str], *, column: str | None = None, name: str = "document"
) -> pd.DataFrame:
    """``frame`` with ids replaced by human labels: in ``column``, or in the index when ``column`` is None.

    Ids without a label are kept as they are, so no row ever loses its name.
    """
    if column is None:
        out = frame.rename(index=lambda key: labels.get(str(key), key))
        out.index.name = name
        return out
    return frame.assign(**{column: frame[column].map(lambda key: labels.get(str(key), key))}).rename(
        columns={column: name}
    )


def latex_table(frame: pd.DataFrame, *, caption: str | None = None, index: bool = True) -> str:
    """A ``longtable`` of ``frame`` that fits an A4 page: wrapping columns at least as wide as their longest word,
    sized by their content; a table too wide turns to landscape or is split into column groups that repeat the
    first column (:func:`analysis.present.latexlayout.layout`)."""
    from analysis.present.latexlayout import layout

    data = frame.reset_index() if index and not _trivial_index(frame) else frame.reset_index(drop=True)
    data = data.copy()
    data.columns = [" / ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in data.columns]
    data = data.astype(object).where(data.notna(), "")
    fit = layout([[str(c), *map(str, data[c])] for c in data.columns])
    parts = [LATEX_MARK]
    if fit.landscape:
        parts.append("\\begin{landscape}")
    for number, (group, fractions) in enumerate(zip(fit.groups, fit.fractions, strict=True)):
        part = data.iloc[:, list(group)]
        spec = "".join(f">{{\\raggedright\\arraybackslash}}p{{{f:.3f}\\linewidth}}" for f in fractions)
        styler = part.style.hide(axis="index").format(latex_cell).format_index(latex_cell, axis=1)
        label = caption if number == 0 else (f"{caption} (continued)" if caption else None)
        body = styler.to_latex(environment="longtable", hrules=True, column_format=spec, caption=label or None)
        # pandas counts the columns of the "Continued on next page" line from the rows: 0 in an empty table
        body = body.replace("\\multicolumn{0}{r}", f"\\multicolumn{{{len(group)}}}{{r}}")
        parts.append(f"\\begingroup{fit.size}\\setlength{{\\tabcolsep}}{{3pt}}\n{body}\\endgroup")
    if fit.landscape:
        parts.append("\\end{landscape}")
    return "\n".join(parts) + "\n"


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LONG_TOKEN = re.compile(r"\S{20,}")


def latex_cell(value: Any) -> str:
    """A cell for LaTeX: special characters escaped; long tokens (URLs, ids, hashes) may break after separators
    and inside long runs (:func:`analysis.present.latexlayout.token_pieces`, the same breaks the column widths assume)."""
    from analysis.present.latexlayout import token_pieces

    text = "" if value is None else str(value)

    def escape(token: str) -> str:
        return "".join(_LATEX_SPECIALS.get(ch, ch) for ch in token)

    def breakable(match: re.Match[str]) -> str:
        return r"\allowbreak{}".join(escape(piece) for piece in token_pieces(match.group(0)))

    parts = []
    last = 0
    for match in _LONG_TOKEN.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(breakable(match))
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def _trivial_index(frame: pd.DataFrame) -> bool:
    return isinstance(frame.index, pd.RangeIndex) and frame.index.name is None


def download_link(frame: pd.DataFrame, name: str, text: str, *, index: bool = False) -> str:
    """An HTML link that downloads ``frame`` as the CSV file ``name`` (UTF-8 with a byte-order mark, so that
    spreadsheet programs read the Chinese); the data travel in the link itself, so the page needs no other file."""
    data = frame.to_csv(index=index and not _trivial_index(frame), lineterminator="\n").encode("utf-8")
    href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(b"\xef\xbb\xbf" + data).decode("ascii")
    return f'<a class="book-table-csv" download="{html.escape(name)}" href="{href}">{html.escape(text)}</a>'


def _csv_link(frame: pd.DataFrame, name: str, index: bool) -> str:
    return download_link(frame, name, f"Download this table as CSV ({len(frame)} rows)", index=index)


def html_table(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    csv_name: str | None = None,
    index: bool = True,
    max_height: str = _MAX_HEIGHT,
) -> str:
    """The table in a focusable scroll region, with an optional CSV download link; deterministic markup."""
    # The index becomes the first column: one header row (pandas puts an index name on a row of its own).
    data = frame.reset_index() if index and not _trivial_index(frame) else frame
    table = data.to_html(index=False, border=0, classes=["book-table-data"], na_rep="", escape=True)
    table = re.sub(r'\s*style="text-align: right;"', "", table)  # pandas' inline header style: the CSS decides
    label = html.escape(caption or "table", quote=True)
    parts = ['<div class="book-table">']
    if caption:
        parts.append(f'<p class="book-table-caption">{html.escape(caption)}</p>')
    # tabindex and a label: keyboard users can scroll the region (axe-core: scrollable-region-focusable).
    parts.append(
        f'<div class="book-table-scroll" tabindex="0" role="region" aria-label="{label}" '
        f'style="max-height: {max_height}">'
    )
    parts.append(table)
    parts.append("</div>")
    if csv_name:
        parts.append(_csv_link(frame, csv_name, index))
    parts.append("</div>")
    return "\n".join(parts)


@dataclass(frozen=True)
class BookTable:
    """A DataFrame as the book shows it (HTML), prints it (LaTeX) and falls back to it (plain text)."""

    frame: pd.DataFrame
    caption: str | None = None
    csv_name: str | None = None
    index: bool = True
    max_height: str = _MAX_HEIGHT

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {
            "text/html": html_table(
                self.frame, caption=self.caption, csv_name=self.csv_name, index=self.index, max_height=self.max_height
            ),
            "text/latex": latex_table(self.frame, caption=self.caption, index=self.index),
            "text/plain": self.frame.to_string(index=self.index and not _trivial_index(self.frame)),
        }


def show_table(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    csv_name: str | None = None,
    index: bool = True,
    labels: Mapping[str, str] | None = None,
    label_column: str | None = None,
    max_height: str = _MAX_HEIGHT,
) -> BookTable:
    """``frame`` ready to show: the last expression of a cell, or ``display(show_table(...))``.

    ``labels`` (e.g. :func:`document_labels`) replaces ids in ``label_column`` (or the index) with names;
    ``csv_name`` adds a download link for the whole table. Nothing is cut: the HTML table scrolls inside its
    box, the PDF table wraps its cells.
    """
    if labels is not None:
        frame = relabel(frame, labels, column=label_column)
    return BookTable(frame, caption=caption, csv_name=csv_name, index=index, max_height=max_height)


def _dataframe_latex(frame: pd.DataFrame) -> str:
    return latex_table(frame)


def register_formatters() -> bool:
    """In IPython, give every DataFrame a ``text/latex`` form (:func:`latex_table`); True when registered."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - plain Python
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.display_formatter.formatters["text/latex"].for_type(pd.DataFrame, _dataframe_latex)
    return True
