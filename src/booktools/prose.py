"""Numbers in prose are computed, never typed: the checks that find a corpus-dependent number written by hand.

A number that depends on the texts of a build (how many documents it holds, how often a term occurs) must come
from the computation: a glued value (``{glue:text}``, rendered as ``span.pasted-text``) or a sentence a code cell
prints. Two checks find the typed ones:

* :func:`typed_numbers_in_markdown`, on the notebooks' Markdown cells (run by ``make test``): a sentence that
  speaks of the build's texts (:data:`CUES`: "this build", "the mirror", "available" …) and carries a number is
  typed, since a Markdown cell is the same in every data state;
* :func:`frozen_sentences`, on the books built in two data states (``.ci/run``: no texts, and a synthetic text for
  every document): a sentence the code printed that speaks of the build's texts, carries a number and reads the
  same in both states did not follow the data.

Numbers that never depend on the corpus are not flagged: years and dates, section, footnote, chapter, figure and
table numbers, "per 10,000", percentages of the article's own figures in quotation marks, and glued values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup

#: Words that tie a sentence to the texts of the build.
CUES = re.compile(
    r"\b(this build|the build holds|the offline mirror|in the mirror|with the mirror|mirror (?:has|holds)|available in this|"
    r"present in this|"
    r"the corpus holds|holds only|texts? (?:present|available)|documents? (?:present|available))\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty hundred none"
).split()
_COUNTED = (
    r"(?:documents?|texts?|plans?|occurrences?|mentions?|times|passages?|sentences?|regulations?|rules?|laws?|"
    r"controls?|reports?|orders?|speeches|notices?)"
)
#: A number that counts documents, texts or occurrences ("ten central documents", "3 of 12 texts", "none of the …").
_NUMBER = re.compile(
    r"\b(?:\d[\d,.]*|" + "|".join(_NUMBER_WORDS) + r")\b(?:\s+of(?:\s+the)?\s+\S+)?"
    r"(?:\s+(?!(?:on|which|that|of|is|are|was|were|has|have|depends?|in)\b)[\w’'-]+){0,3}?\s+" + _COUNTED + r"\b",
    re.IGNORECASE,
)
#: Numbers that never depend on the corpus (removed before looking for one).
_NOT_CORPUS = re.compile(
    r"\b(1[89]\d\d|20\d\d)(?:[–-]\d{2,4})?\b"  # years and year ranges
    r"|\b(?:section|sections|footnote|footnotes|chapter|chapters|figure|fig\.|table|step|steps|appendix|item)\s+[\d.]+"
    r"|\bper\s+10,000\b|\b10,000\b"
    r"|\b(?:one|each|every)\s+(?:line|row|column|cell|term|rule|per)\b"  # "one line per …", "each term"
    r"|\bthe check is [^;.]*"  # what a check would test with the text: the article's expected value, not the data
    r"|\bthe two (?:central )?plans\b|\bthe (?:2016 and 2017|2015–2017|2016–2017) plans\b"  # the article's plans, named
    r"|“[^”]*”|\"[^\"]*\"",  # the article's own words in quotation marks
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z*(“\"])")
_MYST_ROLES = re.compile(r"\{[a-z:]+\}`[^`]*`|`[^`]*`|\$[^$]*\$|\[([^\]]*)\]\([^)]*\)")


def sentences(text: str) -> list[str]:
    """``text`` split into sentences, whitespace collapsed."""
    flat = " ".join(text.split())
    return [s for s in _SENTENCE.split(flat) if s]


def corpus_number(sentence: str) -> bool:
    """Does ``sentence`` speak of the build's texts and carry a number that could depend on them?"""
    if not CUES.search(sentence):
        return False
    return bool(_NUMBER.search(_NOT_CORPUS.sub(" ", sentence)))


def markdown_sentences(path: Path) -> Iterator[tuple[int, str]]:
    """``(cell index, sentence)`` of the Markdown cells of a notebook, with roles, code and math removed
    (a glued value, ``{glue:text}``, is computed and so never counts)."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("#", ":", "```")))
        text = _MYST_ROLES.sub(lambda m: m.group(1) or " ", text)
        for sentence in sentences(text):
            yield i, sentence


def typed_numbers_in_markdown(paths: Iterable[Path]) -> list[str]:
    """Sentences of Markdown cells that type a corpus-dependent number: ``"<file> cell <i>: <sentence>"``."""
    return [f"{Path(p).name} cell {i}: {s}" for p in paths for i, s in markdown_sentences(Path(p)) if corpus_number(s)]


def output_sentences(page: Path) -> list[str]:
    """The sentences that code cells printed on a built page (Markdown and text outputs), glued values included."""
    soup = BeautifulSoup(Path(page).read_text(encoding="utf-8"), "html.parser")
    out: list[str] = []
    for block in soup.select("div.cell_output"):
        for element in block.find_all(["p", "li", "pre"]):
            out += sentences(element.get_text(" "))
    return out


def frozen_sentences(site_a: Path, site_b: Path) -> list[str]:
    """Printed sentences about the build's texts, with a number, that read the same in two data states' books.

    ``site_a`` and ``site_b`` are ``_build/html`` folders built from different corpora (no texts, and a text for
    every document); a sentence that should follow the data and does not is ``"<page>: <sentence>"``.
    """
    found = []
    for page in sorted(Path(site_a).rglob("*.html")):
        rel = page.relative_to(site_a)
        other = Path(site_b) / rel
        if "_static" in rel.parts or not other.is_file():
            continue
        same = set(output_sentences(page)) & set(output_sentences(other))
        found += [f"{rel}: {s}" for s in sorted(same) if corpus_number(s)]
    return found
