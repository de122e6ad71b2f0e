"""The landing page's scorecard: what this build reproduced, computed when the book is built.

:func:`scorecard` counts the ledger's claims by status (overall and for the core tier) and the manifest
documents available in this build; :func:`scorecard_markdown` renders it as a short MyST fragment for
the landing page (``book/index.ipynb``, a notebook whose one hidden cell calls it). It works in
every data state: with no text at all, every text-based claim is "not reproducible here" and the
scorecard says so; nothing in it is fixed in advance.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.evidence.ledger import (
    CORROBORATED,
    DIFFERS,
    EXTENSION,
    NOT_REPRODUCIBLE,
    REPRODUCED,
    STATUS_MEANINGS,
    STATUSES,
    TIERS,
)

LEDGER_DOC = "../notebooks/ledger"
PROVENANCE_DOC = "../notebooks/data_provenance"


@dataclass(frozen=True)
class Scorecard:
    """Claims by status (all and per tier) and documents available out of the manifest."""

    by_status: dict[str, int]
    by_tier: dict[str, dict[str, int]]
    documents_available: int
    documents_total: int

    @property
    def claims(self) -> int:
        return sum(self.by_status.values())

    @property
    def article_status(self) -> dict[str, int]:
        """Claims by status over the article's tiers (every tier but the book's own findings)."""
        return {s: sum(self.by_tier[t][s] for t in TIERS if t != EXTENSION) for s in STATUSES}


def scorecard(evaluated: pd.DataFrame, coverage: pd.DataFrame) -> Scorecard:
    """The scorecard of an evaluated ledger (:func:`analysis.evidence.ledger.evaluate_ledger`) and a coverage table.

    Pass the coverage of the documents the ledger evaluates (the AI texts: ``chapter_coverage(topic="ai")``), so
    that the document count and the claims rest on one selection.
    """

    def counts(frame: pd.DataFrame) -> dict[str, int]:
        vc = frame["status"].value_counts()
        return {s: int(vc.get(s, 0)) for s in STATUSES}

    by_tier = {t: counts(evaluated[evaluated["tier"] == t]) for t in TIERS}
    available = int((coverage["status"] == "available").sum()) if len(coverage) else 0
    return Scorecard(counts(evaluated), by_tier, available, len(coverage))


def _tally(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts[s]} {s}" for s in STATUSES)


def scorecard_markdown(card: Scorecard, *, ledger_doc: str = LEDGER_DOC, provenance_doc: str = PROVENANCE_DOC) -> str:
    """A short MyST fragment: the core tier first, then all claims, the documents, the statuses' meanings, links."""
    core = card.by_tier["core"]
    n_core = sum(core.values())
    lines = [
        f"**In this build** ({card.documents_available} of the manifest's {card.documents_total} documents about AI "
        "available):",
        "",
        f"- **The core claims** (the counts and claims the argument rests on, {n_core}): {_tally(core)}.",
        f"- **All {sum(card.article_status.values())} claims of the article**: {_tally(card.article_status)}.",
    ]
    for tier in TIERS[1:]:
        if tier != EXTENSION:
            lines.append(
                f"- {tier.capitalize()} claims ({sum(card.by_tier[tier].values())}): {_tally(card.by_tier[tier])}."
            )
    ours = card.by_tier[EXTENSION]
    lines.append(
        f"- **The book's own findings** (tier *extension*, {sum(ours.values())}: who is told security things, how "
        f"exceptional the language is, whose words it repeats): {_tally(ours)}; *reproduced* here means that this "
        "build's texts support the finding."
    )
    if card.documents_available == 0:
        lines += [
            "",
            (
                "No primary text is available in this build, so no count could be computed from one: every claim that needs "
                "a document is *not reproducible here*. The claims checked against the book's sourced fact tables are still "
                "shown."
            ),
        ]
    elif core[REPRODUCED] + core[DIFFERS] == 0:
        lines += ["", "None of the documents the core claims need is available in this build."]
    lines += [
        "",
        "What the statuses mean:",
        "",
        *[f"- *{s}*: {STATUS_MEANINGS[s]}." for s in (REPRODUCED, CORROBORATED, DIFFERS, NOT_REPRODUCIBLE)],
        "",
        (
            f"Every claim, with its value, source and explanation, is in {{doc}}`{ledger_doc}`. How to get the texts this "
            f'build lacks is explained in {{doc}}`{provenance_doc}` (section "Getting the missing texts").'
        ),
    ]
    return "\n".join(lines)
