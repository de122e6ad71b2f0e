"""Checks on the PDF built by ``make pdf`` (``jupyter-book build . --builder pdflatex``, xelatex).

xelatex does not fail when a font lacks a glyph: it logs ``Missing character: There is no 安 (U+5B89) in
font …`` and leaves a hole in the PDF. Nor does it fail when a line or a table runs into the margin
(``Overfull \\hbox (907.1pt too wide)``), or when a table cell holds a word wider than its column, which then
runs into the next cell ("1334" and "0" printed as "13340"). :func:`check_pdf` turns all three into errors:
a missing glyph; any overfull box wider than :data:`OVERFULL_LIMIT_PT`; and any cell of a table (a line of the
``.tex`` inside ``longtable``, ``tabular`` or ``tabulary``) overfull by more than :data:`CELL_SPILL_PT`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: An overfull box wider than this fails the PDF (issue 23: 144 boxes over 20 pt, the worst 907 pt).
OVERFULL_LIMIT_PT = 20.0
#: A table cell overfull by more than this reaches into its neighbour: the book's tables leave 6 pt between
#: columns (``\\tabcolsep`` 3 pt on each side), Sphinx's own 12 pt.
CELL_SPILL_PT = 3.0
_TABLE_ENVS = ("longtable", "tabular", "tabulary", "tabularx")
_OVERFULL = re.compile(
    r"^Overfull \\hbox \((?P<pt>[0-9.]+)pt too wide\) (?P<where>in paragraph|in alignment|detected) "
    r"at lines? (?P<line>[0-9]+)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Overfull:
    """One overfull line box of the xelatex log: how far it runs out, and where (a line of the ``.tex``)."""

    points: float
    where: str
    line: int
    in_table: bool


def table_lines(tex_text: str) -> set[int]:
    """The line numbers (from 1) of ``tex_text`` inside a table environment."""
    inside: set[int] = set()
    depth = 0
    pattern = re.compile(r"\\(begin|end)\{(" + "|".join(_TABLE_ENVS) + r")\*?\}")
    for number, line in enumerate(tex_text.splitlines(), start=1):
        starts_inside = depth > 0
        for m in pattern.finditer(line):
            depth += 1 if m.group(1) == "begin" else -1
        if starts_inside or depth > 0:
            inside.add(number)
    return inside


def overfull_boxes(log_text: str, tex_text: str = "") -> list[Overfull]:
    """Every overfull ``\\hbox`` of the log, in order; ``in_table`` when its lines are inside a table of the tex."""
    tables = table_lines(tex_text)
    return [
        Overfull(float(m["pt"]), m["where"], int(m["line"]), int(m["line"]) in tables)
        for m in _OVERFULL.finditer(log_text)
    ]


def overfull_summary(boxes: list[Overfull]) -> str:
    """``"N overfull boxes (M over 20 pt, the worst X pt; K in table cells)"``."""
    worst = max((b.points for b in boxes), default=0.0)
    over = sum(b.points > OVERFULL_LIMIT_PT for b in boxes)
    cells = sum(b.in_table for b in boxes)
    return f"{len(boxes)} overfull boxes ({over} over {OVERFULL_LIMIT_PT:g} pt, the worst {worst:.1f} pt; {cells} in tables)"


def layout_problems(name: str, boxes: list[Overfull]) -> list[str]:
    """The overfull boxes that fail the PDF, one line per kind (with up to five tex lines as examples)."""
    problems = []
    wide = [b for b in boxes if b.points > OVERFULL_LIMIT_PT]
    if wide:
        where = ", ".join(f"{b.points:.0f} pt at line {b.line}" for b in sorted(wide, key=lambda b: -b.points)[:5])
        problems.append(f"{name}: {len(wide)} boxes run more than {OVERFULL_LIMIT_PT:g} pt into the margin ({where})")
    spill = [b for b in boxes if b.in_table and b.where == "in paragraph" and b.points > CELL_SPILL_PT]
    if spill:
        where = ", ".join(f"{b.points:.1f} pt at line {b.line}" for b in spill[:5])
        problems.append(
            f"{name}: {len(spill)} table cells hold a word wider than their column, which runs into the next "
            f"cell ({where}); widen the column (analysis.present.latexlayout) or let the word break"
        )
    return problems


_MISSING = re.compile(
    r"Missing character: There is no (?P<char>.+?) (?:\((?P<code>U\+[0-9A-Fa-f]+)\) )?in font (?P<font>[^!/:]+)"
)


def missing_characters(log_text: str) -> list[str]:
    """``"<char> (<code>) in <font>"`` for every distinct glyph xelatex could not find, in first-seen order."""
    found: list[str] = []
    for m in _MISSING.finditer(log_text):
        item = f"{m['char']} ({m['code'] or '?'}) in {m['font'].strip()}"
        if item not in found:
            found.append(item)
    return found


def check_pdf(latex_dir: Path) -> list[str]:
    """Problems with the PDF in ``latex_dir`` (empty when it is fine): no PDF, or glyphs missing from its fonts."""
    latex_dir = Path(latex_dir)
    pdfs = sorted(latex_dir.glob("*.pdf"))
    if not pdfs:
        return [f"no PDF in {latex_dir}: the LaTeX run failed (see {latex_dir}/*.log)"]
    problems = []
    for pdf in pdfs:
        if pdf.stat().st_size == 0 or not pdf.read_bytes()[:5] == b"%PDF-":
            problems.append(f"{pdf} is not a PDF file")
        log = pdf.with_suffix(".log")
        if log.is_file():
            log_text = log.read_text(encoding="utf-8", errors="replace")
            missing = missing_characters(log_text)
            if missing:
                problems.append(
                    f"{pdf.name}: {len(missing)} characters missing from the fonts, e.g. " + "; ".join(missing[:5])
                )
            tex = pdf.with_suffix(".tex")
            tex_text = tex.read_text(encoding="utf-8", errors="replace") if tex.is_file() else ""
            problems.extend(layout_problems(pdf.name, overfull_boxes(log_text, tex_text)))
    return problems


def pdf_summary(latex_dir: Path) -> list[str]:
    """One line per PDF: its pages and paper size (from the log) and its overfull boxes."""
    lines = []
    for pdf in sorted(Path(latex_dir).glob("*.pdf")):
        log = pdf.with_suffix(".log")
        text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
        tex = pdf.with_suffix(".tex")
        tex_text = tex.read_text(encoding="utf-8", errors="replace") if tex.is_file() else ""
        pages = re.search(r"Output written on .*?\((\d+) pages", text, re.DOTALL)
        paper = "A4" if "a4paper" in tex_text[:4000] else "not A4"
        count = f"{pages.group(1)} pages" if pages else "pages unknown"
        lines.append(f"{pdf}: {count}, {paper}; {overfull_summary(overfull_boxes(text, tex_text))}")
    return lines
