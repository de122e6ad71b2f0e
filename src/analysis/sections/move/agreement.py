"""The rules checked against the blind hand codes: the join, κ with a bootstrap interval, and the reliable categories.

The validation sample (:mod:`analysis.sections.move.sample`) was drawn and written without the rules' output, coded by
hand from the codebook alone (:mod:`analysis.sections.move.coding`) and frozen in ``data/argument/validation_codes.csv``
before anything here ran. This module joins the hand codes with the codes the rules
(:func:`analysis.sections.move.speech_acts.code_passages`) give the same passages in the texts of this build, and measures
how far they agree (the statistics are :mod:`analysis.evidence.reliability`).

Comparisons
-----------
Each of :data:`COMPARISONS` sets a hand code against a rule column, through the codebook's ``rule_code`` mapping:
the **primary function** (the most directive act; the hand coder's ``none`` is the rules' ``unmarked``), the three
**act flags** (does the passage perform a claim, a warning, a request?) and the **object** of security. The reference is
the hand coder: precision is the share of the passages the rules put in a class that the coder put there too, recall
the share of the coder's passages of a class that the rules found.

Weights
-------
The sample is stratified on the rules' codes, with rare codes and the AI texts oversampled, so raw sample shares
over-represent them. Every figure except the counts is therefore **design-weighted** (each passage by its weight
``N_h / n_h`` from ``validation_design.csv``): it estimates the figure for every passage of the AI and control texts
from which the sample was drawn. The unweighted κ of the sample is shown beside it. Intervals are percentile intervals
of :data:`REPLICATES` Rao–Wu bootstrap replicates within the design's strata, seeded (:data:`BOOTSTRAP_SEED`).

The reliability rule
--------------------
A **category** (a class of a comparison; for a flag, the flag) is judged by its category κ (that class against all
others, design-weighted): **too few cases** when fewer than :data:`MIN_CASES` sampled passages are in it by either
coder, **unreliable** when κ is below :data:`RELIABLE_KAPPA` (or undefined), **reliable** otherwise.
:func:`reliable_categories` returns the reliable ones; a statement that counts a category should rest on nothing else.

Passages that cannot be joined (their document is missing from this build, its text is not the text that was coded,
or the rules no longer give a passage at the same offsets) are counted and left out; with none joined there is no
figure at all, and every category is unreliable by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.evidence import reliability
from analysis.evidence.uncertainty import DEFAULT_SEED
from analysis.io.schemas import TableError
from analysis.sections.move import coding, sample

RELIABLE_KAPPA = 0.6
MIN_CASES = 5
REPLICATES = 2000
LEVEL = 0.95
BOOTSTRAP_SEED = DEFAULT_SEED
RELIABLE, UNRELIABLE, TOO_FEW = "reliable", "unreliable", "too few cases"
JOINED = "joined"
JOIN_STATUSES: tuple[str, ...] = (JOINED, "document missing", "text changed", "not coded by the rules")
HAND_ONLY: tuple[str, ...] = ("strand", "threat_direction")


@dataclass(frozen=True)
class Comparison:
    """A hand code set against a rule column: ``classes`` in order; a ``flag`` has two, the act and its absence."""

    name: str
    label: str
    classes: tuple[str, ...]
    flag: bool = False


def _flag(act: str, label: str) -> Comparison:
    return Comparison(act, label, (act, f"no {act}"), flag=True)


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("function", "primary function (the most directive act)", coding.RULE_CODES["function"]),
    _flag("claim", "performs a claim"),
    _flag("warn", "performs a warning"),
    _flag("request", "performs a request"),
    Comparison("object", "object of security", coding.RULE_CODES["object"]),
)


class AgreementError(TableError):
    """The validation files do not fit together (the message names the file and the fix)."""


def read_validation(
    sample_path: Path = sample.SAMPLE_PATH,
    design_path: Path = sample.DESIGN_PATH,
    codes_path: Path = sample.CODES_PATH,
    codebook: coding.Codebook | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The committed sample, design and hand codes, validated against one another and the codebook."""
    book = coding.load_codebook() if codebook is None else codebook
    smp, design = sample.read_sample(sample_path), sample.read_design(design_path)
    codes = sample.read_codes(
        codes_path,
        book.hand_columns(),
        AgreementError,
        more=lambda frame: sample.codes_problems(frame, smp) + coding.answer_problems(book, frame),
    )
    if sorted(design["passage_id"]) != sorted(smp["passage_id"]):
        raise AgreementError(f"{design_path}: its passages are not those of {sample_path}; restore both from git")
    return smp, design, codes


def _hand_values(codes: pd.DataFrame, book: coding.Codebook) -> pd.DataFrame:
    fmap, omap = book.rule_map("function"), book.rule_map("object")
    cols = dict(zip(book.dimensions["dimension"], book.dimensions["hand_column"], strict=True))
    acts = [[fmap[a] for a in book.parse("function", v)] for v in codes[cols["function"]]]
    out = pd.DataFrame({"passage_id": codes["passage_id"], "function_hand": [a[0] for a in acts]})
    for c in COMPARISONS[1:4]:
        out[f"{c.name}_hand"] = [c.classes[0] if c.name in a else c.classes[1] for a in acts]
    out["object_hand"] = [omap[book.primary("object", v)] for v in codes[cols["object"]]]
    for dim in HAND_ONLY:
        out[f"{dim}_hand"] = [book.primary(dim, v) for v in codes[cols[dim]]]
    return out


def _rule_values(coded: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"doc_id": coded["doc_id"], "start": coded["start"], "end": coded["end"]})
    out["function_rules"] = coded["function"].astype(str)
    for c in COMPARISONS[1:4]:
        out[f"{c.name}_rules"] = np.where(coded[c.name].astype(bool), c.classes[0], c.classes[1])
    out["object_rules"] = coded["object"].astype(str)
    return out.drop_duplicates(["doc_id", "start", "end"])


def _status(doc_id: str, start: int, end: int, fp: str, texts: Mapping[str, str], keys: set) -> str:
    if doc_id not in texts:
        return JOIN_STATUSES[1]
    if sample.fingerprint(texts[doc_id][start:end]) != fp:
        return JOIN_STATUSES[2]
    return JOINED if (doc_id, start, end) in keys else JOIN_STATUSES[3]


def join_codes(
    smp: pd.DataFrame,
    design: pd.DataFrame,
    codes: pd.DataFrame,
    coded: pd.DataFrame,
    texts: Mapping[str, str],
    codebook: coding.Codebook | None = None,
) -> pd.DataFrame:
    """One row per sampled passage (by passage id): ``passage_id, doc_id, group, stratum, weight, status``, the hand
    codes (``<comparison>_hand`` in the rules' classes, ``strand_hand``, ``threat_direction_hand``) and, for joined
    passages, the rules' codes (``<comparison>_rules``; empty otherwise). ``coded`` is
    :func:`~analysis.sections.move.speech_acts.code_passages` over the texts, ``texts`` ``{doc_id: normalised text}``."""
    book = coding.load_codebook() if codebook is None else codebook
    groups = sample.decode_strata(design["stratum"])
    base = smp.merge(design, on="passage_id", how="inner").merge(_hand_values(codes, book), on="passage_id")
    base["group"] = [groups.get(s, "").split("|")[0] or "unknown" for s in base["stratum"]]
    rules = _rule_values(coded)
    keys = set(zip(rules["doc_id"], rules["start"], rules["end"], strict=True))
    base["status"] = [
        _status(d, int(s), int(e), fp, texts, keys)
        for d, s, e, fp in zip(base["doc_id"], base["start"], base["end"], base["passage_sha256"], strict=True)
    ]
    out = base.merge(rules, on=["doc_id", "start", "end"], how="left")
    rule_cols = [f"{c.name}_rules" for c in COMPARISONS]
    out.loc[out["status"] != JOINED, rule_cols] = ""
    out[rule_cols] = out[rule_cols].fillna("")
    head = ["passage_id", "doc_id", "group", "stratum", "weight", "status"]
    hand = [f"{c.name}_hand" for c in COMPARISONS] + [f"{d}_hand" for d in HAND_ONLY]
    return out.loc[:, head + hand + rule_cols].sort_values("passage_id", kind="mergesort").reset_index(drop=True)


def _indices(joined: pd.DataFrame, c: Comparison) -> tuple[np.ndarray, np.ndarray]:
    pos = {v: i for i, v in enumerate(c.classes)}
    return joined[f"{c.name}_hand"].map(pos).to_numpy(int), joined[f"{c.name}_rules"].map(pos).to_numpy(int)


@dataclass(frozen=True)
class Agreement:
    """The join and its figures: ``dimensions`` (one row per comparison), ``categories`` (one per category)."""

    joined: pd.DataFrame
    dimensions: pd.DataFrame
    categories: pd.DataFrame

    @property
    def agreed(self) -> pd.DataFrame:
        """The joined passages only."""
        return self.joined[self.joined["status"] == JOINED]


DIMENSION_COLUMNS = (
    "comparison", "label", "passages", "kappa", "kappa_lo", "kappa_hi", "kappa_sample", "agreement", "majority",
    "majority_agreement",
)  # fmt: skip
CATEGORY_COLUMNS = (
    "comparison", "category", "hand", "rules", "both", "precision", "recall", "kappa", "kappa_lo", "kappa_hi", "status",
)  # fmt: skip


def category_status(cases: int, kappa: float) -> str:
    """The reliability rule: too few cases below :data:`MIN_CASES`, unreliable below :data:`RELIABLE_KAPPA` or NaN."""
    if cases < MIN_CASES:
        return TOO_FEW
    return RELIABLE if kappa == kappa and kappa >= RELIABLE_KAPPA else UNRELIABLE


def _figures(joined: pd.DataFrame, replicates: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    w = joined["weight"].to_numpy(float)
    reps = reliability.rescaled_bootstrap_weights(joined["stratum"].tolist(), w, replicates, seed)
    dims, cats = [], []
    for c in COMPARISONS:
        h, r = _indices(joined, c)
        k = len(c.classes)
        m, counts = reliability.confusion_matrix(h, r, k, w), reliability.confusion_matrix(h, r, k)
        stack = reliability.confusion_stack(h, r, k, reps)
        hand_share = m.sum(axis=1) / m.sum() if m.sum() else np.full(k, np.nan)
        top = int(np.nanargmax(hand_share)) if m.sum() else 0
        lo, hi = reliability.percentile_interval(reliability.kappa(stack), LEVEL)
        dims.append((c.name, c.label, len(joined), reliability.kappa(m), lo, hi, reliability.kappa(counts),
                     reliability.observed_agreement(m), c.classes[top], hand_share[top]))  # fmt: skip
        precision, recall = reliability.precision_recall(m)
        for i, category in enumerate(c.classes[:1] if c.flag else c.classes):
            one = reliability.kappa(reliability.one_vs_rest(m, i))
            lo, hi = reliability.percentile_interval(reliability.kappa(reliability.one_vs_rest(stack, i)), LEVEL)
            n_hand, n_rules, n_both = int(counts[i].sum()), int(counts[:, i].sum()), int(counts[i, i])
            cases = n_hand + n_rules - n_both
            cats.append((c.name, category, n_hand, n_rules, n_both, precision[i], recall[i], one, lo, hi,
                         category_status(cases, one)))  # fmt: skip
    return pd.DataFrame(dims, columns=list(DIMENSION_COLUMNS)), pd.DataFrame(cats, columns=list(CATEGORY_COLUMNS))


def agreement(joined: pd.DataFrame, *, replicates: int = REPLICATES, seed: int = BOOTSTRAP_SEED) -> Agreement:
    """Every figure of the joined passages (see the module); empty tables when none is joined."""
    ok = joined[joined["status"] == JOINED].reset_index(drop=True)
    if ok.empty:
        empty = (pd.DataFrame(columns=list(DIMENSION_COLUMNS)), pd.DataFrame(columns=list(CATEGORY_COLUMNS)))
        return Agreement(joined, *empty)
    return Agreement(joined, *_figures(ok, replicates, seed))


def validate(coded: pd.DataFrame, texts: Mapping[str, str], **kwargs: int) -> Agreement:
    """The committed validation files joined with the rules' codes of ``coded`` and measured (:func:`agreement`)."""
    smp, design, codes = read_validation()
    return agreement(join_codes(smp, design, codes, coded, texts), **kwargs)


def reliable_categories(categories: pd.DataFrame) -> frozenset[tuple[str, str]]:
    """``{(comparison, category)}`` of the categories judged reliable; empty when nothing could be measured."""
    ok = categories[categories["status"] == RELIABLE]
    return frozenset(zip(ok["comparison"], ok["category"], strict=True))


def confusion_table(joined: pd.DataFrame, name: str) -> pd.DataFrame:
    """Sampled passages (unweighted counts) by the hand code (rows) and the rules' code (columns), with totals; all
    zeros when no passage is joined."""
    c = next(x for x in COMPARISONS if x.name == name)
    h, r = _indices(joined[joined["status"] == JOINED], c)
    m = reliability.confusion_matrix(h, r, len(c.classes)).astype("int64")
    m = np.vstack([np.column_stack([m, m.sum(axis=1)]), np.r_[m.sum(axis=0), m.sum()]])
    rows = [f"hand: {v}" for v in c.classes] + ["all (rules)"]
    return pd.DataFrame(m, index=rows, columns=[f"rules: {v}" for v in c.classes] + ["all (hand)"])


def hand_shares(joined: pd.DataFrame, dimension: str, codebook: coding.Codebook | None = None) -> pd.DataFrame:
    """One coder's reading of a dimension the rules do not code: per code (codebook order), the sampled passages
    (``n``) and the design-weighted share of the passages of the AI texts, the control texts and both, each with its
    interval (:func:`analysis.evidence.reliability.weighted_share`: ``<group>``, ``<group>_lo``, ``<group>_hi``).
    Every sampled passage counts, joined or not: no text is needed."""
    book = coding.load_codebook() if codebook is None else codebook
    rows = []
    for code in book.codes_of(dimension):
        row: dict[str, object] = {"code": code, "n": int((joined[f"{dimension}_hand"] == code).sum())}
        for group in (*sample.GROUPS, "all"):
            part = joined if group == "all" else joined[joined["group"] == group]
            hit = (part[f"{dimension}_hand"] == code).to_numpy()
            share, lo, hi = reliability.weighted_share(hit, part["weight"].to_numpy(float), LEVEL)
            row.update({group: share, f"{group}_lo": lo, f"{group}_hi": hi})
        rows.append(row)
    return pd.DataFrame(rows)


def strata(design: pd.DataFrame) -> pd.DataFrame:
    """One row per stratum of the design (by name): ``group``, ``code`` (the rules' code that defines it: the
    passage's rarest), ``passages`` in the texts when the sample was drawn, ``drawn`` and ``weight``."""
    names = sample.decode_strata(design["stratum"])
    per = design.drop_duplicates("stratum")
    name = per["stratum"].map(names)
    out = pd.DataFrame({
        "group": name.str.split("|").str[0], "code": name.str.split("|").str[1],
        "passages": per["stratum_passages"], "drawn": per["stratum_sampled"], "weight": per["weight"],
    })  # fmt: skip
    return out.sort_values(["group", "code"], kind="mergesort").reset_index(drop=True)
