"""Shared analysis package for *Securitization of AI in China*, the executable book.

The package owns every side effect of the book: where files live (:mod:`analysis.io.paths`),
how texts are normalised and tokenised (:mod:`analysis.io.text`), how figures are drawn
(:mod:`analysis.present.plotting`) and how sourced fact tables are read (:mod:`analysis.evidence.facts`).
Notebooks only call into it.
"""

__version__ = "0.1.0"
