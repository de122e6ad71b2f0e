"""The security/safety reading of 安全.

安全 means both "security" and "safety". :func:`classify_occurrences` gives every occurrence of 安全
a sense (``security``, ``safety`` or ``ambiguous``) from collocation rules in
``data/anquan_senses.csv`` (``pattern, sense, priority, gloss_en, rationale``): an occurrence takes
the sense of the rule whose pattern covers it with the smallest ``priority`` number, ties broken by
the longer pattern and then the pattern text; an occurrence that no rule covers is ``ambiguous``
with the rule ``(no rule)``. :func:`sense_summary` shows how a "security" count changes with the
choice (all occurrences, security only, security plus ambiguous).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.counting.matching import substring_spans
from analysis.counting.measures import Corpus, corpus_documents, kwic
from analysis.counting.terms import TermListError
from analysis.io import registry, vocabulary
from analysis.io.paths import DATA_DIR

SENSE_RULES_PATH: Path = DATA_DIR / "anquan_senses.csv"
SENSE_COLUMNS: tuple[str, ...] = registry.schema_of("anquan_senses.csv").names
SENSES: tuple[str, ...] = vocabulary.SENSES
NO_RULE = "(no rule)"


def load_sense_rules(path: Path | None = None, *, term: str = "安全") -> pd.DataFrame:
    """The collocation rules (``data/anquan_senses.csv``), validated and sorted by precedence.

    Precedence: ``priority`` ascending, then longer pattern first, then pattern text. Every pattern
    must contain ``term``; ``sense`` is one of security / safety / ambiguous.
    """
    path = Path(path) if path is not None else SENSE_RULES_PATH

    def outside(df: pd.DataFrame) -> list[str]:  # the schema checks 安全, the term of the file; another term here
        return [
            f"line {i + 2}, pattern={p!r}: does not contain {term}"
            for i, p in enumerate(df["pattern"])
            if term not in p
        ]

    df = registry.read_registered(
        "anquan_senses.csv", path=path, error=TermListError, more=None if term == "安全" else outside
    )
    df = df.loc[:, list(SENSE_COLUMNS)].copy()
    df["priority"] = df["priority"].astype(int)
    df["_len"] = -df["pattern"].str.len()
    df = df.sort_values(["priority", "_len", "pattern"], kind="mergesort").drop(columns="_len")
    return df.reset_index(drop=True)


def classify_occurrences(text: str, term: str = "安全", rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every inclusive occurrence of ``term`` with its sense: ``position, sense, pattern, gloss_en``.

    The rule that applies is the first, in precedence order, whose pattern occurs in ``text`` so
    that it covers the occurrence; occurrences no rule covers are ``ambiguous`` / ``(no rule)``.
    """
    rules = load_sense_rules(term=term) if rules is None else rules
    compiled = []
    for pattern, sense, gloss in zip(rules["pattern"], rules["sense"], rules["gloss_en"], strict=False):
        offsets = [s for s, _ in substring_spans(pattern, term, overlapping=True)]
        compiled.append((pattern, sense, gloss, offsets))
    rows = []
    for s, _e in substring_spans(text, term):
        chosen = (NO_RULE, "ambiguous", "no collocation rule covers this occurrence")
        for pattern, sense, gloss, offsets in compiled:
            if any(s - k >= 0 and text.startswith(pattern, s - k) for k in offsets):
                chosen = (pattern, sense, gloss)
                break
        rows.append((s, chosen[1], chosen[0], chosen[2]))
    out = pd.DataFrame(rows, columns=["position", "sense", "pattern", "gloss_en"])
    out["position"] = out["position"].astype("int64")
    return out


def sense_kwic(
    corpus: Corpus, term: str = "安全", *, width: int = 15, rules: pd.DataFrame | None = None
) -> pd.DataFrame:
    """:func:`kwic` lines of ``term`` with their ``sense`` and the ``pattern`` that decided it."""
    rules = load_sense_rules(term=term) if rules is None else rules
    lines = kwic(corpus, term, width=width)
    senses = []
    for doc_id, text in corpus_documents(corpus):
        c = classify_occurrences(text, term, rules)
        c.insert(0, "doc_id", doc_id)
        senses.append(c)
    cols = ["doc_id", "position", "sense", "pattern"]
    table = pd.concat(senses, ignore_index=True) if senses else pd.DataFrame(columns=[*cols, "gloss_en"])
    table = table.loc[:, cols]
    if not table.empty:
        table["position"] = table["position"].astype("int64")
    return lines.merge(table, on=["doc_id", "position"], how="left", validate="one_to_one")


def sense_summary(corpus: Corpus, term: str = "安全", *, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per document: ``all, security, safety, ambiguous, unmatched, security_or_ambiguous`` counts of ``term``.

    ``all`` is the inclusive count; ``unmatched`` (part of ``ambiguous``) is the number of occurrences
    no rule covers. Sorted by ``doc_id``.
    """
    rules = load_sense_rules(term=term) if rules is None else rules
    rows = []
    for doc_id, text in corpus_documents(corpus):
        c = classify_occurrences(text, term, rules)
        n = {s: int((c["sense"] == s).sum()) for s in SENSES}
        rows.append(
            {
                "doc_id": doc_id,
                "all": len(c),
                "security": n["security"],
                "safety": n["safety"],
                "ambiguous": n["ambiguous"],
                "unmatched": int((c["pattern"] == NO_RULE).sum()),
                "security_or_ambiguous": n["security"] + n["ambiguous"],
            }
        )
    cols = ["doc_id", "all", "security", "safety", "ambiguous", "unmatched", "security_or_ambiguous"]
    return pd.DataFrame(rows, columns=cols).astype({c: "int64" for c in cols[1:]})


def sense_rule_usage(corpus: Corpus, term: str = "安全", *, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """How often each rule decided an occurrence: ``pattern, sense, gloss_en, occurrences`` (rules in precedence order)."""
    rules = load_sense_rules(term=term) if rules is None else rules
    counts: dict[str, int] = {}
    for _doc, text in corpus_documents(corpus):
        for p in classify_occurrences(text, term, rules)["pattern"]:
            counts[p] = counts.get(p, 0) + 1
    out = rules.loc[:, ["pattern", "sense", "gloss_en"]].copy()
    out["occurrences"] = [counts.get(p, 0) for p in out["pattern"]]
    extra = pd.DataFrame(
        [
            {
                "pattern": NO_RULE,
                "sense": "ambiguous",
                "gloss_en": "no collocation rule covers it",
                "occurrences": counts.get(NO_RULE, 0),
            }
        ]
    )
    return pd.concat([out, extra], ignore_index=True).astype({"occurrences": "int64"})
