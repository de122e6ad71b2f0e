"""The Markdown layer of the book's tables: cells, pipe tables and the MyST ``{table}`` directive that numbers
and captions them.

Every Markdown output of a chapter is read as MyST (``nb_render_markdown_format: myst`` in ``_config.yml``), so
``{term}`` and ``{doc}`` roles and directives work inside it. Cells are escaped for Markdown (data never turns into
markup: ``*``, ``_``, ``$``, backticks …) unless a column is declared as markup, pipes and line breaks always;
URLs become links named by their host. :func:`analysis.present.tables.table` is the renderer chapters call;
:func:`markdown_table` is its Markdown layer (and still serves tables written inside a Markdown string).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from analysis.io.text import URL_PATTERN

#: Characters that Markdown (CommonMark with MyST's extensions: roles, dollar math, substitutions) may read as
#: markup; a backslash makes each literal.
_MARKUP = re.compile(r"([\\`*_\[\]{}<>$|~&#!])")


def _link(url: str, *, angle: bool = False) -> str:
    """A Markdown link to ``url`` named by its host (trailing punctuation stays outside); ``angle`` writes the
    destination in angle brackets, so that parentheses and underscores in it are safe."""
    bare = url.rstrip(".,;:)")
    host = re.sub(r"^www\.", "", bare.split("/")[2])
    target = f"<{bare}>" if angle else bare
    return f"[{host}]({target}){url[len(bare) :]}"


def escape_markdown(text: str) -> str:
    """``text`` with every character Markdown could read as markup escaped by a backslash."""
    return _MARKUP.sub(r"\\\1", text)


def markdown_cell(value: object, *, links: bool = False, escape: bool = False) -> str:
    """One table cell: line breaks flattened, pipes escaped (everything Markdown could read as markup, with
    ``escape``), URLs turned into links named by their host (with ``links``)."""
    text = re.sub(r"\s+", " ", str(value)).strip()
    if not escape:
        text = text.replace("|", "\\|")
        return URL_PATTERN.sub(lambda m: _link(m.group(0)), text) if links else text
    if not links:
        return escape_markdown(text)
    parts, last = [], 0
    for match in URL_PATTERN.finditer(text):
        parts.append(escape_markdown(text[last : match.start()]))
        parts.append(_link(match.group(0), angle=True))
        last = match.end()
    parts.append(escape_markdown(text[last:]))
    return "".join(parts)


def markdown_table(
    frame: pd.DataFrame,
    columns: dict[str, str],
    *,
    link_columns: Iterable[str] = ("source",),
    escape: bool = False,
    markup_columns: Iterable[str] = (),
) -> str:
    """A Markdown (GFM/MyST) pipe table of ``frame``: ``columns`` maps column names to headers, in order.

    With ``escape``, cells and headers are literal text, except the cells of ``markup_columns`` (MyST written
    on purpose, e.g. ``{doc}`` links); cells of ``link_columns`` get their URLs as links.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the table lacks column(s) {', '.join(missing)}")
    links, markup = set(link_columns), set(markup_columns)
    headers = [markdown_cell(h, escape=escape) for h in columns.values()]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(columns)]
    for row in frame.loc[:, list(columns)].itertuples(index=False, name=None):
        cells = [
            markdown_cell(value, links=c in links, escape=escape and c not in markup)
            for c, value in zip(columns, row, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table_directive(
    body: str, caption: str, *, name: str, classes: Iterable[str] = (), widths: Iterable[int] = ()
) -> str:
    """``body`` (a pipe table) inside a MyST ``{table}`` directive: Sphinx numbers it ("Table 3") and shows
    ``caption`` (one line of Markdown) above it; ``name`` is its label for ``{numref}``; ``widths`` are the
    columns' relative widths."""
    options = [f":name: {name}"]
    if classes:
        options.append(f":class: {' '.join(classes)}")
    widths = list(widths)
    if widths:
        options.append(f":widths: {' '.join(str(int(w)) for w in widths)}")
    head = " ".join(caption.split())
    return "\n".join([f"````{{table}} {head}", *options, "", body, "````"])
