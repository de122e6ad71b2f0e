"""Markdown rendering of tables for the chapters.

A table is displayed with ``IPython.display.Markdown``; MyST-NB renders it with the cell metadata
``mystnb: {markdown_format: myst}``, so ``{term}`` and ``{doc}`` roles work inside it. Cells are escaped
(pipes, line breaks) and URLs become links named by their host.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.io.text import URL_PATTERN


def _link(match: re.Match[str]) -> str:
    url = match.group(0).rstrip(".,;:)")
    tail = match.group(0)[len(url) :]
    host = re.sub(r"^www\.", "", url.split("/")[2])
    return f"[{host}]({url}){tail}"


def markdown_cell(value: object, *, links: bool = False) -> str:
    """One table cell: pipes escaped, line breaks flattened, URLs turned into links named by their host."""
    text = re.sub(r"\s+", " ", str(value)).strip().replace("|", "\\|")
    return URL_PATTERN.sub(_link, text) if links else text


def markdown_table(frame: pd.DataFrame, columns: dict[str, str], *, link_columns: tuple[str, ...] = ("source",)) -> str:
    """A Markdown (GFM/MyST) table of ``frame``: ``columns`` maps column names to headers, in order."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the table lacks column(s) {', '.join(missing)}")
    lines = ["| " + " | ".join(columns.values()) + " |", "|" + "---|" * len(columns)]
    for _, row in frame.iterrows():
        cells = [markdown_cell(row[c], links=c in link_columns) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
