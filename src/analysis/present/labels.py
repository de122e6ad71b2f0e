"""Documents as readers know them: a short English title and the month of issue, never a ``doc_id``.

:func:`document_labels` is THE source of the names that reader-facing tables, figure axes and sentences give
documents, e.g. "New Generation AI Development Plan (2017-07)". The short titles are curated in
``data/corpus/short_titles.csv`` (``doc_id,short_en``: a few words taken from the manifest's ``title_en``); a
document missing there gets :func:`short_title` of its ``title_en``. ``doc_id``\\ s stay in code and in the CSV
downloads: :func:`name_documents` puts the labels in their place inside a sentence (a ledger explanation, a
source), and the table renderer (:func:`analysis.present.tables.table`) does it for every cell it shows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.io.paths import CORPUS_DATA_DIR
from analysis.io.registry import read_registered
from analysis.io.registry.corpus import MAX_SHORT_TITLE

SHORT_TITLES_PATH: Path = CORPUS_DATA_DIR / "short_titles.csv"
#: A short title is a label on a figure axis: at most this many characters (the date comes on top).
MAX_SHORT = MAX_SHORT_TITLE
_WRAPPERS = re.compile(
    r"^(?:Full Translation:\s*|Notice of the State Council on Issuing\s+(?:the\s+)?|Notice on Issuing\s+(?:the\s+)?)",
    re.IGNORECASE,
)
_AI = re.compile(r"\bArtificial Intelligence\b", re.IGNORECASE)
_PARENTHESES = re.compile(r"\s*\([^()]*\)")


def short_title(title: str) -> str:
    """``title`` (a manifest ``title_en``) shortened by rule, for a document without a curated short title: the
    wrapper of a notice dropped ("Notice of the State Council on Issuing the …"), "Artificial Intelligence" as
    "AI", parenthesised remarks dropped."""
    text = _AI.sub("AI", _WRAPPERS.sub("", " ".join(str(title).split())))
    return _PARENTHESES.sub("", text).strip() or text


def load_short_titles(path: Path = SHORT_TITLES_PATH) -> dict[str, str]:
    """``doc_id`` → curated short title (``data/corpus/short_titles.csv``); errors name the file and line."""
    table = read_registered("corpus/short_titles.csv", path=path)
    return dict(zip(table["doc_id"], table["short_en"], strict=True))


def labels_from_manifest(manifest: pd.DataFrame, short: Mapping[str, str] | None = None) -> dict[str, str]:
    """``doc_id`` → ``"<short title> (<YYYY-MM>)"`` for every row of ``manifest`` (columns ``doc_id``, ``title_en``,
    ``date``); ``short`` gives curated short titles (others are shortened by :func:`short_title`). A document with
    neither title is named by its id. Two labels that would be equal get the full date of issue."""
    short = short or {}
    rows = list(zip(manifest["doc_id"].astype(str), manifest["title_en"], manifest["date"], strict=True))

    def label(doc_id: str, title: object, date: object, full_date: bool = False) -> str:
        name = short.get(doc_id) or (short_title(str(title)) if str(title).strip() else doc_id)
        when = str(date).strip() if full_date else str(date).strip()[:7]
        return f"{name} ({when})" if when else name

    labels = {d: label(d, t, w) for d, t, w in rows}
    counts = pd.Series(list(labels.values()), dtype=object).value_counts()
    for d, t, w in rows:
        if counts.get(labels[d], 0) > 1:
            labels[d] = label(d, t, w, full_date=True)
    return labels


@functools.lru_cache(maxsize=1)
def _book_labels() -> dict[str, str]:
    from analysis.corpus import load_manifest

    return labels_from_manifest(load_manifest(), load_short_titles())


def document_labels(manifest: pd.DataFrame | None = None) -> dict[str, str]:
    """``doc_id`` → the reader's name of every document of ``manifest`` (default: the book's manifest and curated
    short titles, read once per process)."""
    return dict(_book_labels()) if manifest is None else labels_from_manifest(manifest)


@functools.lru_cache(maxsize=8)
def _id_pattern(ids: tuple[str, ...]) -> re.Pattern[str] | None:
    if not ids:
        return None
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])")


#: Code spans, link destinations in angle brackets and URLs: ids there are code or addresses, and stay.
_PROTECTED = re.compile(r"(`+)[^`]*?\1|<[^<>\s]+>|https?://\S+")


def name_documents(text: object, labels: Mapping[str, str] | None = None) -> object:
    """``text`` with every ``doc_id`` of ``labels`` (default: :func:`document_labels`) replaced by its label, as a
    whole word: "count of 安全 in ngaidp_2017" → "count of 安全 in New Generation AI Development Plan (2017-07)".
    Ids inside code spans (Markdown backticks), ``<…>`` and URLs stay. Anything but a string is returned as it is."""
    if not isinstance(text, str):
        return text
    labels = document_labels() if labels is None else labels
    pattern = _id_pattern(tuple(labels))
    if pattern is None:
        return text
    parts, last = [], 0
    for match in _PROTECTED.finditer(text):
        parts.append(pattern.sub(lambda m: labels[m.group(0)], text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(pattern.sub(lambda m: labels[m.group(0)], text[last:]))
    return "".join(parts)


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
