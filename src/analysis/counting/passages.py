"""Split a normalised Chinese text into units: articles (条), paragraphs and sentences.

Counts of a word say how often it occurs; a *share of units* says how widely it is spread. A regulation
that mentions security in one long article and one that mentions it in every article can have the same
count. The units here give both the denominators for shares (:func:`document_units`) and the passages
that are coded as speech acts (:func:`sentences`).

Every unit is a :class:`Unit` with character offsets into the text it came from, so a unit can be
traced back to its place (and to keyword-in-context lines) without copying text.

Rules
-----
article (条)
    A unit starts at a marker 第…条 (Chinese or Arabic numerals) that begins a line, follows
    sentence-final punctuation (。；！？：) or whitespace, or follows a chapter heading 第…章 plus a
    short title on the same line. A marker preceded by other Han characters is a cross-reference
    (依照本办法第十条) and does not start a unit. The text before the first marker (title, preamble,
    promulgation order) is its own unit, kind ``preamble``.
paragraph
    A maximal run of non-blank lines is *not* a paragraph: every non-blank line is one, because the
    mirror's texts put one paragraph on a line.
sentence
    Ends at 。！？； or a line break (the semicolon too, because regulations list their items as
    clauses separated by semicolons, and each item is a separate statement).

:func:`document_units` picks the unit a document is best measured in: articles when it has at least
:data:`MIN_UNITS` of them (regulations, measures, provisions), else paragraphs when there are at least
:data:`MIN_UNITS` (plans, notices), else sentences (texts stored as one line).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Literal

UnitKind = Literal["article", "preamble", "paragraph", "sentence"]
MIN_UNITS = 3

_NUM = r"[一二三四五六七八九十百零〇两\d]+"
_ARTICLE = re.compile(rf"第{_NUM}条")
_CHAPTER_HEADING = re.compile(rf"第{_NUM}[章节][^。；！？\n]{{0,20}}$")
_BEFORE_ARTICLE = set("。；！？：\n\r\t 　")
_SENTENCE_END = re.compile(r"[。！？；\n]")


@dataclass(frozen=True)
class Unit:
    """A unit of a text: ``kind``, 0-based index among units of that split, and offsets ``[start, end)``."""

    kind: UnitKind
    index: int
    start: int
    end: int

    def text(self, source: str) -> str:
        """The unit's characters in ``source`` (the text it was split from)."""
        return source[self.start : self.end]


def article_starts(text: str) -> list[int]:
    """Offsets of the 第…条 markers that start an article (cross-references excluded)."""
    starts = []
    for m in _ARTICLE.finditer(text):
        s = m.start()
        if s == 0 or text[s - 1] in _BEFORE_ARTICLE:
            starts.append(s)
            continue
        line_start = text.rfind("\n", 0, s) + 1
        if _CHAPTER_HEADING.search(text[line_start:s]):
            starts.append(s)
    return starts


def articles(text: str) -> list[Unit]:
    """Article units (条), preceded by a ``preamble`` unit when text stands before the first marker.

    Returns an empty list when the text has no article marker.
    """
    starts = article_starts(text)
    if not starts:
        return []
    units: list[Unit] = []
    if text[: starts[0]].strip():
        units.append(Unit("preamble", 0, 0, starts[0]))
    bounds = [*starts, len(text)]
    for i, (s, e) in enumerate(itertools.pairwise(bounds)):
        units.append(Unit("article", i, s, e))
    return units


def paragraphs(text: str) -> list[Unit]:
    """One unit per non-blank line (offsets exclude the line break)."""
    units: list[Unit] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            units.append(Unit("paragraph", len(units), pos, pos + len(line)))
        pos += len(line) + 1
    return units


def sentences(text: str) -> list[Unit]:
    """Sentences: runs ending at 。！？； or a line break, the end mark included, blank runs left out."""
    units: list[Unit] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end() if m.group() != "\n" else m.start()
        if text[start:end].strip():
            units.append(Unit("sentence", len(units), start, end))
        start = m.end()
    if text[start:].strip():
        units.append(Unit("sentence", len(units), start, len(text)))
    return units


def document_units(text: str, min_units: int = MIN_UNITS) -> tuple[str, list[Unit]]:
    """The unit a document is measured in and its units: ``("article", …)``, ``("paragraph", …)`` or ``("sentence", …)``.

    Articles when there are at least ``min_units`` of them (the preamble is then kept as one more
    unit), else paragraphs, else sentences. An empty text gives ``("sentence", [])``.
    """
    arts = articles(text)
    if sum(u.kind == "article" for u in arts) >= min_units:
        return "article", arts
    paras = paragraphs(text)
    if len(paras) >= min_units:
        return "paragraph", paras
    return "sentence", sentences(text)


def unit_of(position: int, units: list[Unit]) -> int | None:
    """Index in ``units`` of the unit that holds character ``position`` (None if none does)."""
    for i, u in enumerate(units):
        if u.start <= position < u.end:
            return i
    return None
