"""Checks on the PDF built by ``make pdf`` (``jupyter-book build . --builder pdflatex``, xelatex).

xelatex does not fail when a font lacks a glyph: it logs ``Missing character: There is no 安 (U+5B89) in
font …`` and leaves a hole in the PDF. :func:`check_pdf` turns those lines into an error, so a PDF whose
Chinese vanished (no xeCJK, no Fandol fonts) does not pass.
"""

from __future__ import annotations

import re
from pathlib import Path

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
            missing = missing_characters(log.read_text(encoding="utf-8", errors="replace"))
            if missing:
                problems.append(
                    f"{pdf.name}: {len(missing)} characters missing from the fonts, e.g. " + "; ".join(missing[:5])
                )
    return problems
