"""The coded move and the validation of its coding as readers see them: tables, figures and the sentences the chapter
on the securitizing move prints (``notebooks/securitizing_move.ipynb``).

:func:`code` codes every passage of the build's Chinese AI and control texts and joins the blind hand codes once
(:mod:`analysis.sections.move.speech_acts`, :mod:`analysis.sections.move.agreement`); the functions that take its
result give one table, figure or paragraph each. Everything here formats what those modules compute; no number is
typed. Every category that the validation does not find reliable is marked :data:`UNRELIABLE_MARK` wherever it is
counted, and no sentence rests on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
from IPython.display import Markdown

from analysis.counting import corpus_documents
from analysis.present.labels import name_documents
from analysis.present.tables import BookTable, table
from analysis.sections.move import agreement, coding, sample, speech_acts
from analysis.sections.move.agreement import Agreement

GROUP_NAMES = {"ai": "AI", "control": "control", "unknown": "unknown"}
ACT_NOUNS = {"claim": "claims", "warn": "warnings", "request": "requests"}
RULE_CODE_NAMES = {"flag": "{} flag", "function": "primary function: {}", "object": "object: {}"}
#: The columns of :func:`analysis.sections.move.speech_acts.coding_summary` the chapter shows, with their category.
SUMMARY_COLUMNS: dict[str, tuple[str, tuple[str, str] | None]] = {
    "passages": ("sentences with security words", None),
    "claim": ("perform a claim", ("claim", "claim")),
    "warn": ("perform a warning", ("warn", "warn")),
    "request": ("perform a request", ("request", "request")),
    **{f"object_{o}": (f"object: {o.replace('_', ' ')}", ("object", o)) for o in coding.RULE_CODES["object"]},
}
UNRELIABLE_MARK = " †"


def _num(x: float, digits: int = 2) -> str:
    return "–" if x != x else f"{x:.{digits}f}".replace("-", "−")


def _pct(x: float) -> str:
    return "–" if x != x else f"{100 * x:.0f} %"


def _plural(items: list[str], one: str, many: str) -> str:
    return one if len(items) == 1 else many


def kappa_text(value: float, lo: float, hi: float) -> str:
    """``0.80 [0.67–0.91]``; ``to`` between the bounds when one is negative; ``–`` for an undefined κ."""
    if value != value:
        return "–"
    if lo != lo:
        return f"{_num(value)} [no interval]"
    sep = " to " if min(lo, hi) < 0 else "–"
    return f"{_num(value)} [{_num(lo)}{sep}{_num(hi)}]"


def _kappas(frame: pd.DataFrame) -> list[str]:
    return [kappa_text(*v) for v in zip(frame["kappa"], frame["kappa_lo"], frame["kappa_hi"], strict=True)]


def category_name(comparison: str, category: str) -> str:
    """``the claim flag``, ``primary function request``, ``object goal`` (for sentences and tables)."""
    if comparison in ACT_NOUNS:
        return f"the {comparison} flag"
    return f"{'primary function' if comparison == 'function' else comparison} *{category.replace('_', ' ')}*"


def design_view(design: pd.DataFrame) -> pd.DataFrame:
    """The design's strata for readers: texts, the rule code that defines the stratum, passages, drawn, weight."""
    s = agreement.strata(design)
    kind = s["code"].str.split(":")
    return pd.DataFrame({
        "texts": s["group"].map(GROUP_NAMES),
        "stratum (the passage's rarest rule code)": [RULE_CODE_NAMES[k].format(v.replace("_", " ")) for k, v in kind],
        "passages in the texts": s["passages"], "drawn": s["drawn"], "weight": s["weight"].round(2),
    }).set_index(["texts", "stratum (the passage's rarest rule code)"])  # fmt: skip


def design_paragraph(design: pd.DataFrame, smp: pd.DataFrame) -> str:
    """The design in words, every number from the committed files."""
    s = agreement.strata(design)
    drawn = s.groupby("group")["drawn"].sum()
    split = " and ".join(f"{int(drawn.get(g, 0))} from the {GROUP_NAMES[g]} texts" for g in sample.GROUPS)
    return (
        f"The sample holds **{len(smp)} passages** of {smp['doc_id'].nunique()} texts ({split}), drawn in {len(s)} "
        f"strata from the {int(s['passages'].sum())} passages with security words that the AI and control texts held "
        "when the sample was made. A "
        "stratum is a group of texts and one code of the rules: each passage falls in the stratum of its rarest code, so "
        "every category of the rules, claims and warnings included, is in the sample. Each stratum gave at least "
        f"{sample.MIN_PER_STRATUM} passages (all, when it had fewer), and {100 * sample.AI_SHARE:.0f} % of the sample was "
        "reserved for the AI texts, which hold fewer passages. A passage's weight is its stratum's passages over those "
        f"drawn ({s['weight'].min():.2f} to {s['weight'].max():.2f}). The figures below are weighted by it, so that "
        "they estimate every passage of these texts rather than the oversampled sample."
    )


def dimension_view(dimensions: pd.DataFrame) -> pd.DataFrame:
    """The κ table: κ (design-weighted) with its interval, the sample's κ, raw agreement and the majority coder's."""
    majority = [
        _pct(a) + f" ({m.replace('_', ' ')})"
        for a, m in zip(dimensions["majority_agreement"], dimensions["majority"], strict=True)
    ]
    return pd.DataFrame({
        "rules against the coder": dimensions["label"], "passages": dimensions["passages"],
        "κ, weighted [95 % CI]": _kappas(dimensions), "κ of the sample, unweighted": [_num(k) for k in dimensions["kappa_sample"]],
        "raw agreement": [_pct(a) for a in dimensions["agreement"]], "a coder who always writes the commonest code": majority,
    }).set_index("rules against the coder")  # fmt: skip


def category_view(categories: pd.DataFrame) -> pd.DataFrame:
    """Per category: passages by each coder and by both (counts), precision and recall (weighted), κ, status."""
    return pd.DataFrame({
        "category": [category_name(c, k).replace("*", "") for c, k in zip(categories["comparison"], categories["category"], strict=True)],
        "coder": categories["hand"], "rules": categories["rules"], "both": categories["both"],
        "precision": [_pct(x) for x in categories["precision"]], "recall": [_pct(x) for x in categories["recall"]],
        "category κ [95 % CI]": _kappas(categories), "status": categories["status"],
    }).set_index("category")  # fmt: skip


def hand_view(shares: pd.DataFrame, dimension: str, codebook: coding.Codebook | None = None) -> pd.DataFrame:
    """:func:`~analysis.sections.move.agreement.hand_shares` for readers: code, meaning, n, three weighted shares."""
    book = coding.load_codebook() if codebook is None else codebook
    rows = book.codes[book.codes["dimension"] == dimension]
    labels = dict(zip(rows["code"], rows["label_en"], strict=True))
    out = pd.DataFrame({"code": shares["code"], "meaning": shares["code"].map(labels), "passages coded": shares["n"]})
    for group, head in (("ai", "AI texts"), ("control", "control texts"), ("all", "both")):
        out[f"{head}: share [95 % CI]"] = [
            share_text(v, lo, hi)
            for v, lo, hi in zip(shares[group], shares[f"{group}_lo"], shares[f"{group}_hi"], strict=True)
        ]
    return out.set_index("code")


def share_text(value: float, lo: float, hi: float) -> str:
    """``12 % [4–23]``; a share whose upper bound rounds to 0 gets a decimal, so that an interval is never
    "0 % [0–0]"; ``–`` for no passages."""
    if value != value:
        return "–"
    digits = 0
    while 0 < hi and round(100 * hi, digits) == 0 and digits < 4:
        digits += 1
    return f"{100 * value:.{digits}f} % [{100 * lo:.{digits}f}–{100 * hi:.{digits}f}]"


def _category_list(cats: pd.DataFrame) -> str:
    rows = cats[["comparison", "category", "kappa", "kappa_lo", "kappa_hi"]].itertuples(index=False)
    return "; ".join(f"{category_name(c, k)} (κ {kappa_text(v, lo, hi)})" for c, k, v, lo, hi in rows)


def _majority_phrase(comparison: str, majority: str) -> str:
    if comparison in ACT_NOUNS:
        verb = "always marks" if majority == comparison else "never marks"
        return f"a coder who {verb} a {'warning' if comparison == 'warn' else comparison}"
    return f"a coder who always writes *{majority.replace('_', ' ')}*"


def reading(result: Agreement, genres: Mapping[str, str], coded_docs: Iterable[str]) -> str:
    """The validation in words: the join, κ against the majority coder, the reliable, unreliable and too rare
    categories, and which genres the sample covers. ``genres``: ``{doc_id: genre}``; ``coded_docs``: the texts with
    coded passages in this build."""
    joined, n = result.agreed, len(result.joined)
    status = result.joined["status"].value_counts()
    if joined.empty:
        why = ", ".join(f"{k}: {v}" for k, v in status.items())
        return (
            "**Not reproducible here:** no sampled passage can be joined with the rules' codes in this build, so the "
            f"rules cannot be checked, and no category of the coding counts as reliable. The {n} sampled passages: {why}."
        )
    left = ", ".join(f"{k}: {v}" for k, v in status.items() if k != agreement.JOINED)
    out = [
        f"All {n} sampled passages are in this build's texts, unchanged, and joined with the rules' codes."
        if len(joined) == n
        else f"{len(joined)} of the {n} sampled passages are joined with the rules' codes; the others are left out ({left})."
    ]
    for d in result.dimensions.itertuples(index=False):
        than = "less often than" if d.majority_agreement > d.agreement else "more often than"
        out.append(
            f"- *{d.label}*: κ {kappa_text(d.kappa, d.kappa_lo, d.kappa_hi)}. The rules agree with the coder on "
            f"{_pct(d.agreement)} of passages, {than} {_majority_phrase(d.comparison, d.majority)} "
            f"({_pct(d.majority_agreement)})."
        )
    cats = result.categories
    good, bad, few = (cats[cats["status"] == s] for s in (agreement.RELIABLE, agreement.UNRELIABLE, agreement.TOO_FEW))
    out.append(
        f"\n**Reliable** (category κ at least {agreement.RELIABLE_KAPPA}, at least {agreement.MIN_CASES} sampled "
        f"passages in the category by either coder): {_category_list(good) if len(good) else 'none'}."
    )
    shaky = [category_name(c, k) for c, k, lo in zip(good["comparison"], good["category"], good["kappa_lo"], strict=True)
             if not lo >= agreement.RELIABLE_KAPPA]  # fmt: skip
    if shaky:
        out.append(
            f"Of these, {', '.join(shaky)} {_plural(shaky, 'passes', 'pass')} on the point estimate only: "
            f"{_plural(shaky, 'its', 'their')} interval reaches below {agreement.RELIABLE_KAPPA}."
        )
    out.append(f"\n**Unreliable** (κ below {agreement.RELIABLE_KAPPA}): {_category_list(bad) if len(bad) else 'none'}.")
    if len(few):
        out.append(f"\n**Too few cases to judge** (fewer than {agreement.MIN_CASES}): {_category_list(few)}.")
    sampled = sorted({genres.get(d, "unknown") for d in result.joined["doc_id"]})
    others = sorted({d for d in coded_docs if genres.get(d, "unknown") not in sampled})
    out.append(
        f"\nThe sampled passages come from texts of these genres: {', '.join(sampled)}. "
        + (
            f"Coded passages of other genres in this build are not validated: {', '.join(others)}."
            if others
            else "Every text with coded passages in this build is of one of them."
        )
    )
    return "\n".join(out)


def move_reading(result: Agreement) -> str:
    """What the coded move can and cannot show, given the reliable categories."""
    ok = agreement.reliable_categories(result.categories)
    acts = [c.name for c in agreement.COMPARISONS if c.flag]
    good = [a for a in acts if (a, a) in ok]
    bad = [ACT_NOUNS[a] for a in acts if a not in good]
    lines = []
    if bad:
        lines.append(
            f"The rules' counts of {' and '.join([', '.join(bad[:-1]), bad[-1]] if len(bad) > 1 else bad)} are their "
            "output, not evidence of those acts. So the directive sequence (claim, warning, request) cannot be read from "
            "the rules' codes; only a reading of the texts can show it."
        )
    if good:
        lines.append(f"The rules' counts of {', '.join(ACT_NOUNS[a] for a in good)} can be read as acts.")
    objs = [k for c, k in sorted(ok) if c == "object"]
    weak = [o.replace("_", " ") for o in coding.RULE_CODES["object"] if o not in objs]
    if objs:
        lines.append(
            f"The object coding holds for {', '.join(o.replace('_', ' ') for o in objs)}: those shares can be compared "
            "between texts."
        )
    if weak:
        lines.append(
            f"{'It' if objs else 'The object coding'} does not hold for {', '.join(weak)}: "
            f"{_plural(weak, 'that share is', 'those shares are')} the rules' output only."
        )
    return " ".join(lines)


def summary_view(summary: pd.DataFrame, reliable: frozenset[tuple[str, str]]) -> pd.DataFrame:
    """The per-document coding table without its decoration (only :data:`SUMMARY_COLUMNS`), each column of a category
    that is not reliable marked :data:`UNRELIABLE_MARK`."""
    labels = {
        col: label + ("" if cat is None or cat in reliable else UNRELIABLE_MARK)
        for col, (label, cat) in SUMMARY_COLUMNS.items()
    }
    keep = [c for c in summary.columns if c not in SUMMARY_COLUMNS and not c.startswith(("function_", "object_"))]
    return summary.loc[:, keep + [c for c in SUMMARY_COLUMNS if c in summary.columns]].rename(columns=labels)


def marked_objects(summary: pd.DataFrame, reliable: frozenset[tuple[str, str]]) -> tuple[pd.DataFrame, list[str]]:
    """``summary`` with each ``object_<o>`` column of an object that is not reliable renamed ``object_<o> †``, and the
    object names to draw, so that a figure's legend carries the same mark as the tables."""
    names = [o + ("" if ("object", o) in reliable else UNRELIABLE_MARK) for o in coding.RULE_CODES["object"]]
    renamed = {f"object_{o}": f"object_{n}" for o, n in zip(coding.RULE_CODES["object"], names, strict=True)}
    return summary.rename(columns=renamed), names


# ---------------------------------------------------------------------------------------------- the chapter's calls
#: The article's own case: the 2017 plan, whose coded passages the chapter lists when the build has it.
CENTRE = "ngaidp_2017"
UNRELIABLE_NOTE = (
    f"A column marked{UNRELIABLE_MARK} counts a category the validation does not find reliable: its counts are the "
    "rules' output, not evidence of the act or object it names."
)


@dataclass(frozen=True)
class Coded:
    """The coded passages of the build's Chinese AI and control texts (``zh``), their summary per text, and the
    validation joined on them (``result``; ``smp`` and ``design`` the committed sample and design)."""

    zh: pd.DataFrame
    coded: pd.DataFrame
    result: Agreement
    smp: pd.DataFrame
    design: pd.DataFrame

    @property
    def reliable(self) -> frozenset[tuple[str, str]]:
        """The categories a statement may count (:func:`analysis.sections.move.agreement.reliable_categories`)."""
        return agreement.reliable_categories(self.result.categories)

    @property
    def summary(self) -> pd.DataFrame:
        """:func:`~analysis.sections.move.speech_acts.coding_summary` per text, in order of issue, with its topic and genre."""
        summary = speech_acts.coding_summary(self.coded)
        order = {d: i for i, d in enumerate(self.zh["doc_id"])}
        summary = summary.sort_values("doc_id", key=lambda d: d.map(order), kind="mergesort").reset_index(drop=True)
        rows = self.zh.set_index("doc_id")
        summary.insert(1, "topic", summary["doc_id"].map(rows["topic"]))
        summary.insert(2, "genre", summary["doc_id"].map(rows["genre"]))
        return summary


def code(zh: pd.DataFrame) -> Coded:
    """Code every passage of ``zh`` (the Chinese AI and control texts, in order of issue) and join the blind hand
    codes on the same passages."""
    coded = speech_acts.code_passages(zh)
    smp, design, _codes = agreement.read_validation()
    return Coded(zh, coded, agreement.validate(coded, dict(corpus_documents(zh))), smp, design)


def design_text(c: Coded) -> Markdown:
    """:func:`design_paragraph` of the committed sample."""
    return Markdown(design_paragraph(c.design, c.smp))


def design_table(c: Coded) -> BookTable:
    """The sample's strata: texts, the rule code that defines each, passages, drawn and weight."""
    return table(
        design_view(c.design),
        "The strata of the validation sample: the group of texts and the rules' code that defines each stratum, the "
        "passages it held when the sample was drawn, those drawn, and the weight of each drawn passage.",
        name="tbl-move-validation-design",
        csv="validation_design.csv",
    )


def measurement_text() -> Markdown:
    """How agreement is measured and the reliability rule, with the rule's constants."""
    return Markdown(
        "Each interval is the 95 % percentile interval of "
        f"{agreement.REPLICATES:,} bootstrap replicates drawn within the strata, seeded (the Rao–Wu rescaling "
        "bootstrap, which corrects for strata of only a few passages) {cite}`rao1988resampling`.\n\n"
        "**The rule.** A category is judged by its own κ (that code against all others): **unreliable** when κ is below "
        f"{agreement.RELIABLE_KAPPA}, **too few cases** when fewer than {agreement.MIN_CASES} sampled passages are in "
        "it by either coder, **reliable** otherwise. The list of reliable categories is data "
        "(`analysis.sections.move.agreement.reliable_categories`): the marks"
        f"{UNRELIABLE_MARK} of this chapter and every statement that counts a category use it, and no statement "
        "rests on a category outside it."
    )


def kappa_table(c: Coded) -> BookTable:
    """κ per comparison, with the sample's κ, raw agreement and a constant coder's agreement."""
    return table(
        dimension_view(c.result.dimensions),
        "The rules against the blind coder, comparison by comparison: κ weighted by the design with its bootstrap 95 % "
        "interval, the sample's unweighted κ, raw agreement, and the agreement of a coder who always writes the "
        "commonest code.",
        name="tbl-move-kappa",
        csv="validation_kappa.csv",
    )


def categories_table(c: Coded) -> BookTable:
    """Per category: passages by each coder and both, precision, recall, κ and the verdict of the rule."""
    return table(
        category_view(c.result.categories),
        "Each category of the coding: sampled passages the coder put in it, those the rules put in it and those both "
        "did (counts of the sample); precision and recall (weighted); the category's κ with its interval; and its "
        "status under the reliability rule.",
        name="tbl-move-categories",
        csv="validation_categories.csv",
    )


def confusion_tables(c: Coded) -> list[BookTable]:
    """The confusion table of every comparison: sampled passages by the coder's code and the rules' code."""
    return [
        table(
            agreement.confusion_table(c.result.joined, comp.name).rename_axis("coder's code"),
            f"Sampled passages (counts, unweighted) by the coder's code (rows) and the rules' code (columns): {comp.label}.",
            name=f"tbl-move-confusion-{comp.name}",
        )
        for comp in agreement.COMPARISONS
    ]


def reading_text(c: Coded, cover: pd.DataFrame) -> Markdown:
    """:func:`reading` of the validation (``cover``: the coverage, for the texts' genres)."""
    genres = dict(zip(cover["doc_id"], cover["genre"], strict=True))
    return Markdown(str(name_documents(reading(c.result, genres, sorted(set(c.coded["doc_id"]))))))


def move_reading_text(c: Coded) -> Markdown:
    """:func:`move_reading`: what the coded move can and cannot show."""
    return Markdown(move_reading(c.result))


HAND_CAPTIONS = {
    "strand": "The strand of securitization of the sampled passages, as one coder read them (not validated)",
    "threat_direction": "The direction of the threat in the sampled passages, as one coder read them (not validated)",
}


def hand_table(c: Coded, dimension: str) -> BookTable:
    """One coder's reading of a dimension the rules do not code, weighted, with exact intervals."""
    return table(
        hand_view(agreement.hand_shares(c.result.joined, dimension), dimension),
        f"{HAND_CAPTIONS[dimension]}: per code, the passages coded and the weighted share of the passages of the AI "
        "texts, the control texts and both, with a Clopper–Pearson 95 % interval on the effective sample size.",
        name=f"tbl-move-{dimension.replace('_', '-')}",
        csv=f"validation_{dimension}.csv",
    )
