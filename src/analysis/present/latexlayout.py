"""Column widths for the PDF's tables: every column at least as wide as its longest unbreakable word, the page
width shared by content, and a table too wide for an A4 page turned to landscape or split into column groups.

Widths are estimated from the text (a Latin character about half an em, a Han character one em, which xeCJK may
break after), not measured by TeX; ``booktools.pdf.check_pdf`` then fails the PDF when a cell still spills into
its neighbour or a box runs more than 20 pt past the margin. Used by :func:`analysis.present.tables.latex_table` (the
book's tables) and by ``booktools.sphinxext`` (tables written in Markdown).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Text width of an A4 page with Sphinx's 1 in margins, upright and turned (pdflscape), in TeX points.
PORTRAIT_PT = 450.0
LANDSCAPE_PT = 640.0
#: Font sizes (LaTeX command, size in pt), largest first.
SIZES: tuple[tuple[str, float], ...] = (
    ("\\small", 9.0),
    ("\\footnotesize", 8.0),
    ("\\scriptsize", 7.0),
)
LATIN_EM = 0.55  # a generous average width of a Latin letter or digit, in ems
_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LONG = 20  # tokens this long (URLs, ids, hashes) may break: after a separator, and inside any longer run
_CHUNK = 12
_BREAKS = re.compile(r"(?<=[/.\-_;:=?&%#,+])")


def token_pieces(token: str) -> list[str]:
    """``token`` cut where a line may break (:func:`analysis.present.tables.latex_cell` puts ``\\allowbreak`` there): a
    token shorter than 20 characters is whole; a longer one breaks after separators, and every 12 characters of
    a run without one (percent-encoded URLs, hashes)."""
    if len(token) < _LONG:
        return [token]
    pieces = []
    for part in _BREAKS.split(token):
        pieces.extend(part[i : i + _CHUNK] for i in range(0, len(part), _CHUNK))
    return [p for p in pieces if p]


def text_ems(text: str) -> float:
    """Width of ``text`` in ems (Latin characters :data:`LATIN_EM`, Han characters 1)."""
    han = len(_HAN.findall(text))
    return han + LATIN_EM * (len(text) - han)


def longest_word_ems(text: str) -> float:
    """The widest piece of ``text`` that cannot be broken across lines, in ems.

    Breaks: white space, after every Han character (xeCJK), and inside long tokens (:func:`token_pieces`).
    """
    widest = 0.0
    for token in str(text).split():
        for piece in token_pieces(token):
            for run in _HAN.sub(" ", piece).split():
                widest = max(widest, text_ems(run))
            if _HAN.search(piece):
                widest = max(widest, 1.0)
    return widest


def typical_ems(values: Sequence[str]) -> float:
    """A column's typical width (90th percentile of its cells, 4 to 60 ems): its claim on spare width."""
    lengths = sorted(text_ems(str(v)) for v in values) or [4.0]
    return max(4.0, min(60.0, lengths[int(0.9 * (len(lengths) - 1))]))


def share(weights: Sequence[float], minimum: Sequence[float], total: float) -> list[float]:
    """Split ``total`` in proportion to ``weights``, but give every column at least its ``minimum``."""
    widths = [0.0] * len(weights)
    free = set(range(len(weights)))
    remaining = total
    while free:
        claim = sum(weights[i] for i in free) or 1.0
        short = [i for i in free if remaining * weights[i] / claim < minimum[i]]
        if not short:
            for i in free:
                widths[i] = remaining * weights[i] / claim
            break
        for i in short:
            widths[i] = minimum[i]
            remaining -= minimum[i]
            free.discard(i)
    return widths


@dataclass(frozen=True)
class Layout:
    """How a table is set: font size, page orientation, the column groups (indices; the first column is
    repeated in every group after the first) and each column's width as a share of the line width."""

    size: str
    landscape: bool
    groups: tuple[tuple[int, ...], ...]
    fractions: tuple[tuple[float, ...], ...]


def layout(columns: Sequence[Sequence[str]], *, sep_pt: float = 6.0, fill: float = 0.98) -> Layout:
    """Fit a table whose ``columns`` each list the header, then the cells (as text).

    The largest size whose word minimums fit upright on the page wins (at most ``\\footnotesize`` beyond four
    columns, ``\\scriptsize`` beyond eight); else the same in landscape; else, at ``\\scriptsize`` in landscape,
    the columns are split into groups that fit, each repeating the first (key) column. A single column too wide
    even for that (one unbreakable word) still gets its group; the PDF check reports it.
    """
    words = [max((longest_word_ems(v) for v in col), default=1.0) for col in columns]
    weights = [max(typical_ems(list(col[1:])), min(text_ems(str(col[0])) if col else 0.0, 10.0)) for col in columns]
    n = len(columns)
    start = 0 if n <= 4 else 1 if n <= 8 else 2

    def fits(idx: Sequence[int], size_pt: float, width: float) -> bool:
        return sum(words[i] * size_pt + sep_pt for i in idx) <= width * fill

    def fractions(idx: Sequence[int], size_pt: float, width: float) -> tuple[float, ...]:
        usable = width * fill - sep_pt * len(idx)
        got = share([weights[i] for i in idx], [words[i] * size_pt for i in idx], usable)
        return tuple(round(w / width, 3) for w in got)

    everything = tuple(range(n))
    for landscape, width in ((False, PORTRAIT_PT), (True, LANDSCAPE_PT)):
        for name, size_pt in SIZES[start:]:
            if fits(everything, size_pt, width):
                return Layout(name, landscape, (everything,), (fractions(everything, size_pt, width),))
    name, size_pt = SIZES[-1]
    groups: list[tuple[int, ...]] = []
    current: list[int] = [0]
    for i in range(1, n):
        if len(current) == 1 or fits([*current, i], size_pt, LANDSCAPE_PT):
            current.append(i)  # a group holds at least one column beside the key, however wide
        else:
            groups.append(tuple(current))
            current = [0, i]
    groups.append(tuple(current))
    return Layout(name, True, tuple(groups), tuple(fractions(g, size_pt, LANDSCAPE_PT) for g in groups))
