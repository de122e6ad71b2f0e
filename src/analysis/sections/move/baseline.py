"""A baseline: is AI framed in more security terms than other digital technologies, by the same kind of issuer?

The article counts security words in AI documents only, so it cannot say whether AI is singled out.
The manifest's ``topic`` column marks non-AI *control* texts. This module compares AI and control texts **like
with like**, in the comparisons of ``data/argument/baseline_strata.csv`` (columns :data:`STRATA_COLUMNS`):

* a **stratum** (``kind = stratum``) is one genre group at one level, from issuers of the ranks it lists
  (:func:`analysis.corpus.select.issuer_rank`): every Chinese AI or control text falls in at most one (the first
  that matches), and nothing is averaged across strata;
* a **pair** (``kind = pair``) is a narrower comparison inside a stratum (``parent``), reported on its own: the
  documents of the stratum whose issuer rank is in ``issuer_ranks`` (when given) and that satisfy ``match``:
  ``same_issuer`` (AI and control texts of one issuer) or ``title:<regex>`` (both sides' Chinese titles match).

For each document (:func:`document_measures`): the count of a measure with its exact Poisson interval, the
density per 10,000 characters with the same interval, and the share of units (articles 条, or paragraphs /
sentences when a text has no articles; :mod:`analysis.counting.passages`) that mention it, with its exact Clopper–Pearson
interval. For each comparison (:func:`comparison_table`): the pooled densities, the occurrence-level interval a
naive reading would use, and the document-level measures of :mod:`analysis.sections.move.inference`, which decide the verdict.

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
import re
from pathlib import Path

import pandas as pd

from analysis.corpus import select
from analysis.counting import classify_occurrences, substring_spans
from analysis.counting.names import classify_names, load_name_rules
from analysis.counting.passages import Unit, document_units
from analysis.evidence.uncertainty import (
    DEFAULT_SEED,
    density_interval,
    poisson_interval,
    rate_ratio_interval,
    share_interval,
)
from analysis.io import registry, vocabulary
from analysis.io.paths import DATA_DIR
from analysis.io.text import count_characters
from analysis.sections.move import inference

STRATA_PATH = DATA_DIR / "argument" / "baseline_strata.csv"
STRATA_COLUMNS: tuple[str, ...] = registry.schema_of("argument/baseline_strata.csv").names
KINDS: tuple[str, ...] = vocabulary.STRATUM_KINDS
#: The two sides of every comparison: AI texts and control texts (:mod:`analysis.corpus.select`); the reference
#: laws are neither.
TOPICS: tuple[str, ...] = (select.AI, select.CONTROL)
MEASURES: dict[str, str] = {
    "all": "安全, every occurrence",
    "without_names": "安全 outside names and citations",
    "security_without_names": "安全 in the security sense, outside names and citations",
}
DOC_COLUMNS: tuple[str, ...] = (
    "stratum", "topic", "doc_id", "date", "issuer_rank", "unit_kind", "units", "units_with", "chars", "count",
    "count_lo", "count_hi", "per_10k", "per_10k_lo", "per_10k_hi", "share_units", "share_lo", "share_hi",
)  # fmt: skip
MEMBER_COLUMNS: tuple[str, ...] = ("comparison", "kind", "doc_id", "topic")


class BaselineError(ValueError):
    """The strata file is malformed (message names the file)."""


def _split(cell: str) -> list[str]:
    return [x.strip() for x in str(cell).split(";") if x.strip()]


def load_strata(path: Path | None = None) -> pd.DataFrame:
    """The comparisons, validated by their schema (:mod:`analysis.io.registry`): kinds, parents, level groups, genres,
    ranks and match rules."""
    p = STRATA_PATH if path is None else Path(path)
    df = registry.read_registered("argument/baseline_strata.csv", path=p, error=BaselineError)
    return df.loc[:, list(STRATA_COLUMNS)].reset_index(drop=True)


def _needs(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in ("title_zh", "issuer"):
        if col not in out.columns:
            out[col] = ""
    return out


def assign_strata(frame: pd.DataFrame, strata: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of ``frame`` (manifest, coverage or corpus) that fall in a stratum, with a ``stratum`` column.

    A row needs ``level``, ``genre``, ``language`` (Chinese only), ``topic`` (ai or control) and ``issuer``.
    Rows keep their order; a row falls in the first stratum (file order) that matches.
    """
    strata = load_strata() if strata is None else strata
    out = _needs(frame)
    if out.empty:
        out["stratum"] = pd.Series(dtype=str)
        return out
    groups = out["level"].map(select.level_group)
    ranks = select.issuer_ranks(out)
    chosen = pd.Series("", index=out.index, dtype=object)
    for _, s in strata[strata["kind"] == "stratum"].iterrows():
        hit = (chosen == "") & (groups == s["level_group"]) & out["genre"].isin(_split(s["genres"]))
        hit &= select.is_chinese(out) & select.is_topic(out, TOPICS)
        if _split(s["issuer_ranks"]):
            hit &= ranks.isin(_split(s["issuer_ranks"]))
        chosen[hit] = s["stratum"]
    out["stratum"] = chosen
    return out[out["stratum"] != ""].reset_index(drop=True)


def membership(frame: pd.DataFrame, strata: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which documents of ``frame`` belong to which comparison: one row per (comparison, document), file order."""
    strata = load_strata() if strata is None else strata
    inside = assign_strata(frame, strata)
    rows: list[dict[str, str]] = []
    for _, c in strata.iterrows():
        stratum = c["stratum"] if c["kind"] == "stratum" else c["parent"]
        g = inside[inside["stratum"] == stratum]
        if _split(c["issuer_ranks"]):
            g = g[select.issuer_ranks(g).isin(_split(c["issuer_ranks"])).astype(bool)]
        g = _match(g, str(c["match"]).strip())
        rows += [{"comparison": c["stratum"], "kind": c["kind"], "doc_id": d, "topic": t}
                 for d, t in zip(g["doc_id"], g["topic"], strict=True)]  # fmt: skip
    return pd.DataFrame(rows, columns=list(MEMBER_COLUMNS))


def _match(g: pd.DataFrame, rule: str) -> pd.DataFrame:
    if rule == "":
        return g
    if rule == "same_issuer":
        names = g["issuer"].map(select.issuer_name)
        ai = set(names[select.is_topic(g, select.AI)])
        ctl = set(names[select.is_topic(g, select.CONTROL)])
        return g[names.isin(ai & ctl).astype(bool)]
    pattern = re.compile(rule.removeprefix("title:"))
    return g[g["title_zh"].astype(str).map(lambda t: bool(pattern.search(t))).astype(bool)]


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
    level: float = 0.95,
) -> pd.DataFrame:
    """One row per document of ``corpus`` that falls in a stratum: count, density and share of units, each with its
    exact interval (:mod:`analysis.evidence.uncertainty`).

    Sorted by stratum (file order), topic (ai first), date, doc_id. Empty (with the columns) when no document falls
    in a stratum.
    """
    strata = load_strata() if strata is None else strata
    rules = load_name_rules()
    inside = assign_strata(corpus, strata)
    rows = []
    for _, r in inside.iterrows():
        text = r["text"]
        positions = measure_positions(text, measure, rules)
        kind, counts, _ = unit_table(text, positions)
        k, n = len(positions), count_characters(text)
        lo, hi = poisson_interval(k, level)
        d_lo, d_hi = density_interval(k, n, level)
        with_k = sum(c > 0 for c in counts)
        share, s_lo, s_hi = share_interval(with_k, len(counts), level)
        rows.append(
            {
                "stratum": r["stratum"], "topic": r["topic"], "doc_id": r["doc_id"], "date": r["date"],
                "issuer_rank": select.issuer_rank(r["level"], r["issuer"]), "unit_kind": kind, "units": len(counts),
                "units_with": with_k, "chars": n, "count": k, "count_lo": lo, "count_hi": hi,
                "per_10k": (k * 10_000 / n) if n else math.nan, "per_10k_lo": d_lo, "per_10k_hi": d_hi,
                "share_units": share, "share_lo": s_lo, "share_hi": s_hi,
            }
        )  # fmt: skip
    out = pd.DataFrame(rows, columns=list(DOC_COLUMNS))
    if out.empty:
        return out
    order = {s: i for i, s in enumerate(strata["stratum"])}
    out["_s"] = out["stratum"].map(order)
    out["_t"] = out["topic"].map({t: i for i, t in enumerate(TOPICS)})
    out = out.sort_values(["_s", "_t", "date", "doc_id"], kind="mergesort").drop(columns=["_s", "_t"])
    return out.astype({"units": "int64", "units_with": "int64", "chars": "int64", "count": "int64"}).reset_index(
        drop=True
    )


COMPARISON_COLUMNS: tuple[str, ...] = (
    "comparison", "kind", "ai_docs", "control_docs", "ai_count", "ai_chars", "control_count", "control_chars",
    "ai_per_10k", "control_per_10k", "occ_lo", "occ_hi", *inference.COMPARE_KEYS,
)  # fmt: skip


def comparison_table(
    docs: pd.DataFrame,
    members: pd.DataFrame,
    *,
    level: float = 0.95,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """One row per comparison (file order) that has at least one AI and one control document among ``docs``.

    ``docs`` is :func:`document_measures` of one measure, ``members`` :func:`membership`. Pooled densities; the
    occurrence-level interval (``occ_lo``, ``occ_hi``: :func:`analysis.evidence.uncertainty.rate_ratio_interval`, every
    occurrence an independent draw, too narrow); and every document-level measure of :func:`analysis.sections.move.inference.compare`,
    whose ``verdict`` is the only one the book prints.
    """
    rows = []
    indexed = docs.set_index("doc_id")
    for (comparison, kind), m in members.groupby(["comparison", "kind"], sort=False):
        g = indexed.loc[[d for d in m["doc_id"] if d in indexed.index]]
        is_ai = select.is_topic(g, select.AI).to_numpy()
        if not is_ai.any() or is_ai.all():
            continue
        k1, n1 = int(g.loc[is_ai, "count"].sum()), int(g.loc[is_ai, "chars"].sum())
        k2, n2 = int(g.loc[~is_ai, "count"].sum()), int(g.loc[~is_ai, "chars"].sum())
        _, occ_lo, occ_hi = rate_ratio_interval(k1, n1, k2, n2, level)
        measures = inference.compare(g["count"].tolist(), g["chars"].tolist(), is_ai.tolist(), g.index.tolist(),
                                     level=level, seed=seed)  # fmt: skip
        rows.append(
            {
                "comparison": comparison, "kind": kind, "ai_docs": int(is_ai.sum()), "control_docs": int((~is_ai).sum()),
                "ai_count": k1, "ai_chars": n1, "control_count": k2, "control_chars": n2,
                "ai_per_10k": k1 * 10_000 / n1, "control_per_10k": k2 * 10_000 / n2, "occ_lo": occ_lo, "occ_hi": occ_hi,
                **measures,
            }
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def leave_one_out_table(docs: pd.DataFrame, members: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """:func:`analysis.sections.move.inference.leave_one_out` for every comparison with both sides: ``comparison`` plus its columns."""
    frames = []
    indexed = docs.set_index("doc_id")
    for comparison, m in members.groupby("comparison", sort=False):
        g = indexed.loc[[d for d in m["doc_id"] if d in indexed.index]]
        is_ai = select.is_topic(g, select.AI).to_numpy()
        if not is_ai.any() or is_ai.all():
            continue
        loo = inference.leave_one_out(g["count"].tolist(), g["chars"].tolist(), is_ai.tolist(), g.index.tolist(), level)
        frames.append(loo.assign(comparison=comparison))
    columns = ["comparison", *inference.LOO_COLUMNS]
    return pd.concat(frames, ignore_index=True).loc[:, columns] if frames else pd.DataFrame(columns=columns)


COVERAGE_COLUMNS: tuple[str, ...] = ("comparison", "kind", "topic", "in_manifest", "available", "missing")


def stratum_coverage(coverage: pd.DataFrame, strata: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per comparison and side: documents the manifest lists, documents this build has, and the missing ids.

    ``coverage`` is :func:`analysis.corpus.coverage` (a ``status`` column; without one, every row counts as
    available). A side the manifest does not list at all has a row with zeros, so a missing control is never silent.
    """
    strata = load_strata() if strata is None else strata
    members = membership(coverage, strata)
    states = coverage["status"] if "status" in coverage.columns else pd.Series("available", index=coverage.index)
    status = dict(zip(coverage["doc_id"], states, strict=True))
    rows = []
    for _, c in strata.iterrows():
        m = members[members["comparison"] == c["stratum"]]
        for topic in TOPICS:
            ids = m.loc[select.is_topic(m, topic), "doc_id"].tolist()
            missing = [d for d in ids if status.get(d) != "available"]
            rows.append({"comparison": c["stratum"], "kind": c["kind"], "topic": topic, "in_manifest": len(ids),
                         "available": len(ids) - len(missing), "missing": ";".join(missing)})  # fmt: skip
    return pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))


def count_comparisons(
    documents: pd.DataFrame, measures: dict[str, dict[str, int]], strata: pd.DataFrame | None = None
) -> pd.DataFrame:
    """:func:`comparison_table` of any per-document counts: one row per measure (in the given order) and comparison
    (file order) with at least one AI and one control document, ``measure`` first.

    ``documents`` holds the texts to compare (the manifest's columns and ``text``); ``measures`` maps a measure's name
    to ``{doc_id: count}`` (a document it does not list counts 0). The exposure is the document's characters."""
    strata = load_strata() if strata is None else strata
    members = membership(documents, strata)
    base = pd.DataFrame({"doc_id": documents["doc_id"], "topic": documents["topic"]}).reset_index(drop=True)
    base["chars"] = [count_characters(t) for t in documents["text"]]
    frames = []
    for name, counts in measures.items():
        docs = base.assign(count=[int(counts.get(d, 0)) for d in base["doc_id"]])
        frames.append(comparison_table(docs[docs["chars"] > 0], members).assign(measure=name))
    columns = ["measure", *COMPARISON_COLUMNS]
    return pd.concat(frames, ignore_index=True).loc[:, columns] if frames else pd.DataFrame(columns=columns)
