"""Did the article count an English translation? Counts in the New America translation of the 2017 plan.

The article reports that in the 2017 plan "the word 'security' appears 48 times including 8
references to 'national security'" and that the plan "mentions 'national defense' 11 times". Its
prose writes British "defence", but that sentence spells "national defense" the American way, as
the New America translation does. If the counts match the translation better than the Chinese text,
the article probably counted the translation. This module counts the English terms in the
translation (manifest row :data:`TRANSLATION_DOC`, used only when it is available) with the book's
English rule (:func:`analysis.counting.english_spans`: case-insensitive, whole words, every
occurrence, nested ones included: "security" counts the "security" of "national security").
"""

from __future__ import annotations

import pandas as pd

from analysis.counting import english_spans

TRANSLATION_DOC = "ngaidp_2017_en"
SOURCE_DOC = "ngaidp_2017"
#: English terms counted, with the article's reported count where it gives one (expected values from
#: Zeng 2021, section 3; never inputs to the computation).
TERMS: dict[str, int | None] = {
    "security": 48,
    "national security": 8,
    "national defense": 11,
    "national defence": None,
    "defense": None,
    "defence": None,
}
ARTICLE_SOURCE = "Zeng 2021, section 3 (pp. 423–424)"


def translation_counts(text: str | None) -> pd.DataFrame:
    """``term, count, article_reports, difference`` for :data:`TERMS`; ``count`` is missing (NA) when ``text`` is None."""
    rows = []
    for term, reported in TERMS.items():
        count = len(english_spans(text, term)) if text is not None else None
        diff = None if count is None or reported is None else count - reported
        rows.append({"term": term, "count": count, "article_reports": reported, "difference": diff})
    out = pd.DataFrame(rows, columns=["term", "count", "article_reports", "difference"])
    return out.astype({"count": "Int64", "article_reports": "Int64", "difference": "Int64"})
