"""Tables for readers: one renderer, :func:`table`, for every table a chapter shows.

``table(frame, caption, name=...)`` returns a :class:`BookTable` (show it as a cell's last expression or with
``display``). What the reader gets, on the site and in the PDF:

* a **number and a caption**: on the site, the Markdown output wraps the table in a MyST ``{table}`` directive
  with ``:name:``, so Sphinx numbers it ("Table 4") and ``{numref}`` can point to it; in the PDF, a LaTeX
  ``longtable`` with ``\\caption`` and the same label;
* **reader cells**: the index becomes the first column (no index row); every ``doc_id`` in a cell or header
  becomes the document's short title and date (:func:`analysis.present.labels.name_documents`); a missing value
  (``NaN``, ``<NA>``, ``None``) shows as "—" and the caption says what "—" means (``na=``); cells are escaped
  Markdown (data never turns into markup) unless a column is declared ``markup``;
* **nothing cut**: prose cells wrap, left-aligned; a long table scrolls inside its box under a sticky header, a
  wide one sideways with a sticky first column (``book.css``); the PDF table wraps, turns to landscape or splits
  into column groups that repeat the first column (:mod:`analysis.present.latexlayout`);
* a **CSV download** of the table as computed (ids kept, empty cells for missing values), from a ``data:`` link;
* **byte-stable output**: no generated ids, no timestamps; the same frame gives the same bytes.

The bundle holds ``text/markdown`` (which MyST-NB renders for the HTML site), ``text/latex`` (which it picks for
the PDF; ``booktools.sphinxext`` passes it through as raw LaTeX) and ``text/html`` / ``text/plain`` for JupyterLab
and plain Jupyter. :func:`register_formatters` gives every other DataFrame a LaTeX table too.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.present.labels import document_labels, name_documents, relabel
from analysis.present.markdown import markdown_cell, markdown_table, table_directive

__all__ = [
    "LATEX_MARK",
    "NA_MARK",
    "BookTable",
    "document_labels",
    "download_link",
    "latex_table",
    "register_formatters",
    "relabel",
    "show_table",
    "table",
]

LATEX_MARK = "% book-table"
#: Placeholder for the page's name in a LaTeX label; ``booktools.sphinxext`` puts the docname there.
LATEX_DOC = "@BOOKDOC@"
#: What a missing value shows; the caption says what it means.
NA_MARK = "—"
#: Shown in the single row of a table without rows (the table keeps its number and caption in every build).
NO_ROWS = "none in this build"
_NAME = re.compile(r"[a-z][a-z0-9-]*")


def _trivial_index(frame: pd.DataFrame) -> bool:
    return isinstance(frame.index, pd.RangeIndex) and frame.index.name is None


def _with_index(frame: pd.DataFrame, index: bool) -> pd.DataFrame:
    """The index as the first column(s) when it carries information (and ``index``), else dropped."""
    data = frame.reset_index() if index and not _trivial_index(frame) else frame.reset_index(drop=True)
    data = data.copy()
    data.columns = [" / ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in data.columns]
    return data


def _text(value: Any) -> str:
    """A cell as text: integral floats without ``.0``, other floats to six decimals at most."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else str(round(value, 6))
    return str(value)


#: Text that a frame turned to strings left where a value was missing.
_MISSING_TEXT = frozenset({"<NA>", "nan", "NaN", "NaT", "None"})


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return value in _MISSING_TEXT
    return isinstance(value, float) and math.isnan(value)


def reader_frame(
    frame: pd.DataFrame, *, index: bool = True, documents: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame, bool]:
    """``frame`` as readers see it, all cells text: the index as first column, a ``doc_id`` column named
    ``document``, ids replaced by ``documents`` labels (None: none replaced), missing values as :data:`NA_MARK`.
    Also says whether any value was missing."""
    data = _with_index(frame, index).rename(columns={"doc_id": "document"})
    missing = data.map(_is_missing) if len(data.columns) else pd.DataFrame()
    any_missing = bool(missing.to_numpy().any()) if missing.size else False
    data = data.astype(object).where(~missing, NA_MARK) if missing.size else data
    data = data.map(_text) if len(data.columns) else data
    if documents:
        data = data.map(lambda v: name_documents(v, documents))
        data.columns = [str(name_documents(str(c), documents)) for c in data.columns]
    return data, any_missing


def na_note(meaning: str) -> str:
    """The sentence a caption adds when its table shows :data:`NA_MARK`: '“—” means <meaning>.'"""
    return f"“{NA_MARK}” means {meaning.strip().rstrip('.')}."


def download_link(frame: pd.DataFrame, name: str, text: str, *, index: bool = False) -> str:
    """An HTML link that downloads ``frame`` as the CSV file ``name`` (UTF-8 with a byte-order mark, so that
    spreadsheet programs read the Chinese); the data travel in the link itself, so the page needs no other file."""
    data = frame.to_csv(index=index and not _trivial_index(frame), lineterminator="\n").encode("utf-8")
    href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(b"\xef\xbb\xbf" + data).decode("ascii")
    return f'<a class="book-table-csv" download="{html.escape(name)}" href="{href}">{html.escape(text)}</a>'


def _csv_text(rows: int) -> str:
    return f"Download this table as CSV ({rows} row{'s' if rows != 1 else ''})"


# --------------------------------------------------------------------------------------------------- LaTeX
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


def latex_table(
    frame: pd.DataFrame, *, caption: str | None = None, index: bool = True, label: str | None = None
) -> str:
    """A ``longtable`` of ``frame`` that fits an A4 page: wrapping columns at least as wide as their longest word,
    sized by their content; a table too wide turns to landscape or is split into column groups that repeat the
    first column (:func:`analysis.present.latexlayout.layout`).

    With a ``caption`` the table is numbered (``label``: its name for ``{numref}``) and every further column
    group repeats the number with "(continued)" (``\\caption[]``). longtable steps the table counter for every
    table; ``booktools.sphinxext`` takes the step back before each one without a numbered caption."""
    from analysis.present.latexlayout import layout

    data = _with_index(frame, index)
    data = data.astype(object).where(data.notna(), "")
    fit = layout([[str(c), *map(str, data[c])] for c in data.columns])
    parts = [LATEX_MARK]
    if fit.landscape:
        parts.append("\\begin{landscape}")
    for number, (group, fractions) in enumerate(zip(fit.groups, fit.fractions, strict=True)):
        part = data.iloc[:, list(group)]
        spec = "".join(f">{{\\raggedright\\arraybackslash}}p{{{f:.3f}\\linewidth}}" for f in fractions)
        styler = part.style.hide(axis="index").format(latex_cell).format_index(latex_cell, axis=1)
        body = styler.to_latex(environment="longtable", hrules=True, column_format=spec)
        # pandas counts the columns of the "Continued on next page" line from the rows: 0 in an empty table
        body = body.replace("\\multicolumn{0}{r}", f"\\multicolumn{{{len(group)}}}{{r}}")
        head = "\\begin{longtable}{" + spec + "}\n"
        if caption and number == 0:
            tag = f" \\label{{\\detokenize{{{LATEX_DOC}:{label}}}}}" if label else ""
            body = body.replace(head, f"{head}\\caption{{{latex_cell(caption)}}}{tag} \\\\\n", 1)
        elif caption:
            body = body.replace(head, f"{head}\\caption[]{{{latex_cell(caption)} (continued)}} \\\\\n", 1)
        parts.append(f"\\begingroup{fit.size}\\setlength{{\\tabcolsep}}{{3pt}}\n{body}\\endgroup")
    if fit.landscape:
        parts.append("\\end{landscape}")
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------------------------------------------- HTML
#: A table wider than this (in rem, estimated from its content; the column is about 43 rem at 1280 px) is a wide
#: table: its columns get widths from their content and the table a minimum width (``book.css``:
#: ``book-table-w<rem>``), so it scrolls sideways in its box with the first column sticky, instead of squeezing
#: prose into narrow columns. A table a little wider than the column is left to the browser, which wraps it.
WIDE_REM = 56
_COLUMN_REM = (5, 16)  # a column's width, at least and at most (rem); its prose wraps beyond


def html_widths(frame: pd.DataFrame) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """``(classes, widths)`` for the site's table: none for a table that fits the column; for a wide one, the
    classes ``book-table-wide`` and ``book-table-w<rem>`` (its minimum width, to the nearest 10 rem) and each column's width
    in rem, from the typical width of its cells (:func:`analysis.present.latexlayout.typical_ems`)."""
    from analysis.present.latexlayout import text_ems, typical_ems

    low, high = _COLUMN_REM
    widths = []
    for column in frame.columns:
        cells = [str(v) for v in frame[column]]
        ems = max(typical_ems(cells), min(text_ems(str(column)), 6.0)) * 0.85 + 1.0  # 0.85em text, padding
        widths.append(int(max(low, min(high, math.ceil(ems)))))
    total = sum(widths)
    if total <= WIDE_REM:
        return (), ()
    return ("book-table-wide", f"book-table-w{min(120, max(50, round(total / 10) * 10))}"), tuple(widths)


def html_table(frame: pd.DataFrame, *, caption: str | None = None, csv_link: str = "") -> str:
    """The table for JupyterLab and plain Jupyter (the book renders the Markdown form): a static table in a
    focusable scroll region, the caption above, the CSV link below; deterministic markup."""
    table = frame.to_html(index=False, border=0, classes=["book-table-data"], na_rep="", escape=True)
    table = re.sub(r'\s*style="text-align: right;"', "", table)  # pandas' inline header style: the CSS decides
    label = html.escape(caption or "table", quote=True)
    parts = ['<div class="book-table">']
    if caption:
        parts.append(f'<p class="book-table-caption">{html.escape(caption)}</p>')
    # tabindex and a label: keyboard users can scroll the region (axe-core: scrollable-region-focusable).
    parts.append(f'<div class="book-table-scroll" tabindex="0" role="region" aria-label="{label}">')
    parts += [table, "</div>"]
    if csv_link:
        parts.append(csv_link)
    parts.append("</div>")
    return "\n".join(parts)


@dataclass(frozen=True)
class BookTable:
    """A reader table: ``frame`` as shown (text cells), ``data`` as downloaded, and how to caption it."""

    frame: pd.DataFrame
    caption: str | None = None
    name: str | None = None
    data: pd.DataFrame | None = None
    csv_name: str | None = None
    index: bool = True
    markup: tuple[str, ...] = ()
    links: tuple[str, ...] = ("source",)
    notes: tuple[str, ...] = field(default=())

    @property
    def full_caption(self) -> str | None:
        """The caption with its notes (e.g. what "—" means)."""
        if not self.caption:
            return None
        caption = self.caption.strip()
        if self.notes and caption[-1] not in ".!?":
            caption += "."
        return " ".join([caption, *self.notes])

    def _csv_link(self) -> str:
        if not self.csv_name or self.data is None:
            return ""
        return download_link(self.data, self.csv_name, _csv_text(len(self.data)), index=self.index)

    def markdown(self) -> str:
        """The MyST Markdown the site renders: the table (numbered and captioned when it has a caption and a
        name) in a focusable scroll region, the CSV link below it."""
        shown = self.frame
        if shown.empty and len(shown.columns):
            shown = pd.DataFrame([[NO_ROWS] + [""] * (len(shown.columns) - 1)], columns=shown.columns)
        body = markdown_table(
            shown,
            {c: c for c in shown.columns},
            link_columns=self.links,
            escape=True,
            markup_columns=self.markup,
        )
        caption = self.full_caption
        if caption and self.name:
            classes, widths = html_widths(shown)
            body = table_directive(
                body, markdown_cell(caption, escape=True), name=self.name, classes=classes, widths=widths
            )
        elif caption:  # a caption without a name (show_table): said above the table, not numbered
            body = f"**{markdown_cell(caption, escape=True)}**\n\n{body}"
        label = html.escape(caption or "table", quote=True)
        parts = [
            '<div class="book-table">',
            f'<div class="book-table-scroll" tabindex="0" role="region" aria-label="{label}">',
            "",
            body,
            "",
            "</div>",
        ]
        link = self._csv_link()
        if link:
            parts.append(link)
        parts.append("</div>")
        return "\n".join(parts) + "\n"

    def latex(self) -> str:
        return latex_table(self.frame, caption=self.full_caption, index=False, label=self.name)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {
            "text/markdown": self.markdown(),
            "text/latex": self.latex(),
            "text/html": html_table(self.frame, caption=self.full_caption, csv_link=self._csv_link()),
            "text/plain": self.frame.to_string(index=False),
        }


def table(
    frame: pd.DataFrame,
    caption: str,
    *,
    name: str,
    csv: str | None = None,
    na: str = "no value",
    index: bool = True,
    documents: bool = True,
    markup: Iterable[str] = (),
    links: Iterable[str] = ("source",),
    csv_only: Iterable[str] = (),
) -> BookTable:
    """``frame`` as a reader table, numbered and captioned (see the module's docstring for what readers get).

    ``caption``: one line, a sentence that says what the table shows. ``name``: its label, unique in the book,
    ``tbl-<page>-<what>`` (lower case, digits, hyphens; ``{numref}`` points to it). ``csv``: the download's file
    name (default: ``name`` without ``tbl-``, with ``.csv``; ``""``: no link). ``na``: what a missing value means
    (the caption adds "“—”: <na>." when the table has one). ``index``: keep an informative index as the first
    column. ``documents``: show documents by title, not ``doc_id``. ``markup``: columns written as MyST on purpose
    (``{doc}`` links, emphasis), shown unescaped. ``links``: columns whose URLs become links named by their host.
    ``csv_only``: columns (ids, parameters) that the download keeps and the page does not show.
    """
    if not caption or not caption.strip():
        raise ValueError("a reader table needs a caption: one sentence that says what it shows")
    if not _NAME.fullmatch(name or "") or not name.startswith("tbl-"):
        raise ValueError(f"table name {name!r}: write tbl-<page>-<what> (lower case, digits and hyphens)")
    hidden = [c for c in csv_only if c in frame.columns]
    shown, missing = reader_frame(
        frame.drop(columns=hidden), index=index, documents=document_labels() if documents else None
    )
    notes = (na_note(na),) if missing else ()
    csv_name = f"{name.removeprefix('tbl-')}.csv" if csv is None else csv
    data = _with_index(frame, index)
    return BookTable(
        shown,
        caption=" ".join(caption.split()),
        name=name,
        data=data,
        csv_name=csv_name or None,
        index=False,
        markup=tuple(markup),
        links=tuple(links),
        notes=notes,
    )


def show_table(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    csv_name: str | None = None,
    index: bool = True,
    labels: Mapping[str, str] | None = None,
    label_column: str | None = None,
) -> BookTable:
    """The chapters' former renderer, kept while they move to :func:`table`: the same reader cells (titles for
    ids, "—" for missing values, nothing cut), but no number unless a converted chapter gives a caption and name
    through :func:`table`."""
    if labels is not None:
        frame = relabel(frame, labels, column=label_column)
    shown, missing = reader_frame(frame, index=index, documents=document_labels())
    return BookTable(
        shown,
        caption=caption,
        data=_with_index(frame, index),
        csv_name=csv_name,
        index=False,
        notes=(na_note("no value"),) if missing and caption else (),
    )


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
