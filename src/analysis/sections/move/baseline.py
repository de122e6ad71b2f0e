"""A baseline: is AI framed in more security terms than other digital technologies, by the same kind of issuer?

The article counts security words in AI documents only, so it cannot say whether AI is singled out.
The manifest's ``topic`` column marks non-AI *control* texts: digital-governance regulations by the
same kinds of issuer in the same years. This module compares AI and control texts **like with like**:
only inside a *stratum*, a genre at one level of government (``data/argument/baseline_strata.csv``:
``stratum, label, level_group, genres, rationale``). Nothing is averaged across strata.

For each document (:func:`document_measures`): the raw count of a measure with its exact Poisson
interval, the density per 10,000 characters with the same interval, and the share of units (articles
条, or paragraphs / sentences when a text has no articles; :mod:`analysis.counting.passages`) that mention it,
with a bootstrap interval over units. For each stratum (:func:`stratum_comparison`): the pooled AI
and control densities and their rate ratio with an exact conditional interval.

Measures (:data:`MEASURES`), all on 安全 (ānquán, security / safety):

``all``
    every occurrence;
``without_names``
    occurrences outside names and citations (:mod:`analysis.counting.names`);
``security_without_names``
    of those, the ones the collocation rules read as *security* (:func:`analysis.counting.classify_occurrences`).
"""

from __future__ import annotations

import bisect
import math
from pathlib import Path

import pandas as pd

from analysis.corpus import select
from analysis.counting import classify_occurrences, substring_spans
from analysis.counting.names import classify_names, load_name_rules
from analysis.counting.passages import Unit, document_units
from analysis.evidence.uncertainty import (
    DEFAULT_SEED,
    bootstrap_units,
    density_interval,
    poisson_interval,
    rate_ratio_interval,
)
from analysis.io.paths import DATA_DIR
from analysis.io.schemas import read_table
from analysis.io.text import count_characters

STRATA_PATH = DATA_DIR / "argument" / "baseline_strata.csv"
STRATA_COLUMNS: tuple[str, ...] = ("stratum", "label", "level_group", "genres", "rationale")
#: The two sides of every comparison: AI texts and control texts (:mod:`analysis.corpus.select`); the reference
#: laws are neither.
TOPICS: tuple[str, ...] = (select.AI, select.CONTROL)
MEASURES: dict[str, str] = {
    "all": "安全, every occurrence",
    "without_names": "安全 outside names and citations",
    "security_without_names": "安全 in the security sense, outside names and citations",
}
DOC_COLUMNS: tuple[str, ...] = (
    "stratum", "topic", "doc_id", "date", "unit_kind", "units", "chars", "count", "count_lo", "count_hi",
    "per_10k", "per_10k_lo", "per_10k_hi", "share_units", "share_lo", "share_hi",
)  # fmt: skip


class BaselineError(ValueError):
    """The strata file is malformed (message names the file)."""


def load_strata(path: Path | None = None) -> pd.DataFrame:
    """The strata, validated: ``level_group`` is central or local; ``genres`` a ``;``-separated list."""
    p = STRATA_PATH if path is None else Path(path)
    df = read_table(p, required=STRATA_COLUMNS, error=BaselineError)
    bad = df.index[~df["level_group"].isin(["central", "local"])].tolist()
    if bad:
        raise BaselineError(f"{p}: line(s) {', '.join(str(i + 2) for i in bad)}: level_group must be central or local")
    if df["stratum"].duplicated().any():
        raise BaselineError(f"{p}: stratum names must be unique")
    return df.loc[:, list(STRATA_COLUMNS)]


def assign_strata(frame: pd.DataFrame, strata: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of ``frame`` (manifest, coverage or corpus) that fall in a stratum, with a ``stratum`` column.

    A row needs ``level``, ``genre``, ``language`` (Chinese only) and ``topic`` (ai or control).
    Rows keep their order; a row falls in the first stratum (file order) that matches.
    """
    strata = load_strata() if strata is None else strata
    out = frame.copy()
    if out.empty:
        out["stratum"] = pd.Series(dtype=str)
        return out
    groups = out["level"].map(select.level_group)
    chosen = pd.Series("", index=out.index, dtype=object)
    for name, lg, genres in zip(strata["stratum"], strata["level_group"], strata["genres"], strict=False):
        allowed = [g.strip() for g in genres.split(";") if g.strip()]
        hit = (
            (chosen == "")
            & (groups == lg)
            & out["genre"].isin(allowed)
            & (out["language"] == "zh")
            & out["topic"].isin(TOPICS)
        )
        chosen[hit] = name
    out["stratum"] = chosen
    return out[out["stratum"] != ""].reset_index(drop=True)


def measure_positions(text: str, measure: str, rules: pd.DataFrame | None = None) -> list[int]:
    """Start offsets of the occurrences of 安全 that ``measure`` counts (see :data:`MEASURES`)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; known: {', '.join(MEASURES)}")
    if measure == "all":
        return [s for s, _ in substring_spans(text, "安全")]
    names = classify_names(text, "安全", rules)
    outside = names.loc[names["name_kind"] == "", "position"].tolist()
    if measure == "without_names":
        return outside
    senses = classify_occurrences(text, "安全")
    security = set(senses.loc[senses["sense"] == "security", "position"])
    return [p for p in outside if p in security]


def unit_table(text: str, positions: list[int]) -> tuple[str, list[int], list[int]]:
    """The document's unit kind, occurrences per unit and characters per unit."""
    kind, units = document_units(text)
    counts = [0] * len(units)
    starts = [u.start for u in units]
    for p in positions:
        i = _find_unit(starts, units, p)
        if i is not None:
            counts[i] += 1
    chars = [count_characters(u.text(text)) for u in units]
    return kind, counts, chars


def _find_unit(starts: list[int], units: list[Unit], position: int) -> int | None:
    i = bisect.bisect_right(starts, position) - 1
    if i >= 0 and units[i].start <= position < units[i].end:
        return i
    return None


def document_measures(
    corpus: pd.DataFrame,
    measure: str = "without_names",
    *,
    strata: pd.DataFrame | None = None,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> pd.DataFrame:
    """One row per document of ``corpus`` that falls in a stratum, with counts, densities and shares and their intervals.

    Sorted by stratum (file order), topic (ai first), date, doc_id. Empty (with the columns) when no
    document falls in a stratum.
    """
    rules = load_name_rules()
    inside = assign_strata(corpus, strata)
    rows = []
    for _, r in inside.iterrows():
        text = r["text"]
        positions = measure_positions(text, measure, rules)
        kind, counts, chars = unit_table(text, positions)
        k, n = len(positions), count_characters(text)
        lo, hi = poisson_interval(k, level)
        d_lo, d_hi = density_interval(k, n, level)
        boot = bootstrap_units(counts, chars, seed=seed, level=level)
        rows.append(
            {
                "stratum": r["stratum"], "topic": r["topic"], "doc_id": r["doc_id"], "date": r["date"],
                "unit_kind": kind, "units": len(counts), "chars": n, "count": k, "count_lo": lo, "count_hi": hi,
                "per_10k": (k * 10_000 / n) if n else math.nan, "per_10k_lo": d_lo, "per_10k_hi": d_hi,
                "share_units": boot["share"], "share_lo": boot["share_lo"], "share_hi": boot["share_hi"],
            }
        )  # fmt: skip
    out = pd.DataFrame(rows, columns=list(DOC_COLUMNS))
    if out.empty:
        return out
    order = {s: i for i, s in enumerate((load_strata() if strata is None else strata)["stratum"])}
    out["_s"] = out["stratum"].map(order)
    out["_t"] = out["topic"].map({t: i for i, t in enumerate(TOPICS)})
    out = out.sort_values(["_s", "_t", "date", "doc_id"], kind="mergesort").drop(columns=["_s", "_t"])
    return out.astype({"units": "int64", "chars": "int64", "count": "int64"}).reset_index(drop=True)


COMPARISON_COLUMNS: tuple[str, ...] = (
    "stratum", "ai_docs", "control_docs", "ai_count", "ai_chars", "control_count", "control_chars",
    "ai_per_10k", "control_per_10k", "rate_ratio", "rate_ratio_lo", "rate_ratio_hi", "verdict",
)  # fmt: skip


def stratum_comparison(docs: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per stratum that has at least one AI and one control document: pooled densities and their rate ratio.

    The ratio is AI over control, with the exact conditional interval of
    :func:`analysis.evidence.uncertainty.rate_ratio_interval`, which treats occurrences as independent and so
    understates the uncertainty. ``verdict`` says only what the interval allows: ``AI higher``,
    ``AI lower`` or ``no clear difference``.
    """
    rows = []
    for stratum, g in docs.groupby("stratum", sort=False):
        ai, ctl = g[select.is_topic(g, select.AI)], g[select.is_topic(g, select.CONTROL)]
        if ai.empty or ctl.empty:
            continue
        k1, n1, k2, n2 = (
            int(ai["count"].sum()),
            int(ai["chars"].sum()),
            int(ctl["count"].sum()),
            int(ctl["chars"].sum()),
        )
        ratio, lo, hi = rate_ratio_interval(k1, n1, k2, n2, level) if n1 > 0 and n2 > 0 else (math.nan,) * 3
        verdict = "AI higher" if lo > 1 else "AI lower" if hi < 1 else "no clear difference"
        rows.append(
            {
                "stratum": stratum, "ai_docs": len(ai), "control_docs": len(ctl), "ai_count": k1, "ai_chars": n1,
                "control_count": k2, "control_chars": n2, "ai_per_10k": k1 * 10_000 / n1 if n1 else math.nan,
                "control_per_10k": k2 * 10_000 / n2 if n2 else math.nan,
                "rate_ratio": ratio, "rate_ratio_lo": lo, "rate_ratio_hi": hi, "verdict": verdict,
            }
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def stratum_coverage(coverage: pd.DataFrame, strata: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per stratum and topic: documents in the manifest and documents available in this build."""
    inside = assign_strata(coverage, strata)
    rows = []
    for (stratum, topic), g in inside.groupby(["stratum", "topic"], sort=True):
        avail = g[g["status"] == "available"] if "status" in g.columns else g
        rows.append({"stratum": stratum, "topic": topic, "in_manifest": len(g), "available": len(avail)})
    return pd.DataFrame(rows, columns=["stratum", "topic", "in_manifest", "available"])
