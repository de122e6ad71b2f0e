"""The reproducibility ledger, ``data/ledger/*.csv``: every file has the one header (:mod:`analysis.evidence.ledger`).

The methods and their parameters are a registry of functions (:mod:`analysis.evidence.methods`), so the ledger's
loader checks ``method`` and ``params`` against it; ``claim_id`` is unique across the files, which the loader checks
too."""

from __future__ import annotations

from analysis.io import vocabulary as v
from analysis.io.schemas import Column, Rule, Schema

NOT_COMPUTABLE = "not_computable"

LEDGER = Schema(
    (
        Column(
            "claim_id",
            filled=True,
            pattern=r"[A-Za-z0-9][A-Za-z0-9._-]*",
            unique=True,
            fix="letters, digits, . _ -, once each",
        ),
        Column("section", filled=True),
        Column("claim", filled=True),
        Column("article_value"),
        Column("method", filled=True),
        Column("params"),
        Column("article_ref", filled=True),
        Column("tier", filled=True, allowed=v.TIERS),
        Column("from_footnote", filled=True, allowed=v.YES_NO),
        Column("explanation"),
        Column("difference_explanation"),
        Column(
            "difference_sha256",
            pattern=r"[0-9a-f]{12,64}",
            fix="12 to 64 lower-case hex digits of a text's SHA-256",
        ),
    ),
    rules=(
        Rule(
            ("method", "explanation"),
            lambda df: (df["method"] != NOT_COMPUTABLE) | (df["explanation"].str.strip() != ""),
            "a not_computable claim needs an explanation",
        ),
        Rule(
            ("method", "article_value"),
            lambda df: (df["method"] == NOT_COMPUTABLE) | (df["article_value"].str.strip() != ""),
            "article_value is empty",
        ),
        Rule(
            ("difference_explanation", "difference_sha256"),
            lambda df: (df["difference_explanation"].str.strip() == "") == (df["difference_sha256"].str.strip() == ""),
            "difference_explanation and difference_sha256 go together: give both or neither",
        ),
    ),
    ordered=True,
)

TABLES: dict[str, Schema] = {"ledger/*.csv": LEDGER}
