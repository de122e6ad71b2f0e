"""Central–local text reuse, passage by passage: the audience test of section 4.

If local governments are the audience of the centre's securitizing move, their plans should take up
its security clauses, not only its industrial targets. This module measures, for each sentence of a
local text, how much of it is copied from a central source text, and whether the sentence carries
security vocabulary.

Method: a sentence (:func:`analysis.counting.passages.sentences`) is reduced to its Han characters and cut into
character *n*-grams (shingles, ``n`` = :data:`SHINGLE`). Its *containment* in the source is the share
of its shingles that occur anywhere in the source text. A sentence with at least :data:`MIN_SHINGLES`
shingles whose containment reaches :data:`THRESHOLD` is counted as reused. Containment, not
Jaccard similarity, because a local plan copies a clause into a longer sentence of its own.
The thresholds are choices, stated here and in the chapter; they are not tuned on the texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from analysis.counting import security_vocabulary
from analysis.counting.passages import sentences

SHINGLE = 8
THRESHOLD = 0.5
MIN_SHINGLES = 5
_NON_HAN = re.compile(r"[^\u4e00-\u9fff]")


def shingles(text: str, n: int = SHINGLE) -> set[str]:
    """Character n-grams of the Han characters of ``text`` (punctuation, digits and Latin letters dropped)."""
    han = _NON_HAN.sub("", text)
    return {han[i : i + n] for i in range(len(han) - n + 1)}


def containment(sentence: str, source: set[str], n: int = SHINGLE) -> tuple[float, int]:
    """Share of the sentence's shingles found in ``source``, and the number of its shingles."""
    own = shingles(sentence, n)
    if not own:
        return 0.0, 0
    return len(own & source) / len(own), len(own)


REUSE_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "sentences",
    "reused",
    "security_sentences",
    "security_reused",
    "other_sentences",
    "other_reused",
)


def reuse_summary(
    source_text: str,
    targets: Sequence[tuple[str, str]],
    *,
    n: int = SHINGLE,
    threshold: float = THRESHOLD,
    vocabulary: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per target document: sentences long enough to judge, how many are reused, split by security vocabulary.

    ``targets`` are ``(doc_id, text)`` pairs; a *security* sentence holds any term of ``vocabulary``
    (default :func:`analysis.counting.security_vocabulary`).
    """
    vocab = list(security_vocabulary() if vocabulary is None else vocabulary)
    source = shingles(source_text, n)
    rows = []
    for doc_id, text in targets:
        counts = dict.fromkeys(REUSE_COLUMNS[1:], 0)
        for unit in sentences(text):
            sent = unit.text(text)
            share, size = containment(sent, source, n)
            if size < MIN_SHINGLES:
                continue
            reused = share >= threshold
            kind = "security" if any(t in sent for t in vocab) else "other"
            counts["sentences"] += 1
            counts["reused"] += int(reused)
            counts[f"{kind}_sentences"] += 1
            counts[f"{kind}_reused"] += int(reused)
        rows.append({"doc_id": doc_id, **counts})
    out = pd.DataFrame(rows, columns=list(REUSE_COLUMNS))
    return out.astype({c: "int64" for c in REUSE_COLUMNS[1:]})
