"""The chapter on the securitizing move (``notebooks/securitizing_move.ipynb``): the name/citation class, the
baseline of AI against control texts and the coded move, each table, figure and sentence from one call.

:func:`compute` runs the computations of the names class and of the comparisons of
:mod:`analysis.sections.move.baseline` once, with the document as the unit; the functions below format its result for
readers. The coded sentences and their blind validation are computed once by
:func:`analysis.present.pages.move.validation.code`; the coded move's tables and figure are here, the validation's in
:mod:`analysis.present.pages.move.validation`. Every function works on any corpus, the empty one included: its tables
then say "none in this build" and its sentences say what cannot be shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from IPython.display import Markdown
from matplotlib.figure import Figure

from analysis.corpus import select
from analysis.counting import names
from analysis.evidence.uncertainty import format_interval
from analysis.present import chapters
from analysis.present.labels import document_labels
from analysis.present.pages.move import validation
from analysis.present.tables import BookTable, table
from analysis.sections.move import baseline, reading, speech_acts

#: The article's own texts for the move: the 2017 plan (its case), the 2016 plan and Xi Jinping's 2016 speech.
KEY_DOCS: tuple[str, ...] = ("ngaidp_2017", "internet_plus_ai_2016", "xi_2016_tech_power_speech")
TOPICS: tuple[str, ...] = (select.AI, select.CONTROL)
SIDES = {select.AI: "AI", select.CONTROL: "control"}
#: Short names of the measures, for table names.
MEASURE_NAMES = {"all": "all", "without_names": "without-names", "security_without_names": "security"}
NO_TEXT = "no Chinese AI or control text is available in this build"


@dataclass(frozen=True)
class Move:
    """What the chapter computes once: the Chinese AI and control texts (``zh``, in order of issue), the coverage of
    the manifest, the comparisons (``strata``, ``members``), and per measure the documents' measures (``docs``), the
    comparisons (``tables``) and leave-one-out (``loos``)."""

    zh: pd.DataFrame
    cover: pd.DataFrame
    strata: pd.DataFrame
    members: pd.DataFrame
    docs: Mapping[str, pd.DataFrame]
    tables: Mapping[str, pd.DataFrame]
    loos: Mapping[str, pd.DataFrame]

    @property
    def labels(self) -> dict[str, str]:
        return document_labels()

    @property
    def effect(self) -> pd.DataFrame:
        """:func:`analysis.counting.names.name_effect` of the texts, in their order of issue."""
        return chapters.in_order(names.name_effect(self.zh), self.zh)


def compute(corpus: pd.DataFrame, cover: pd.DataFrame) -> Move:
    """Every computation of the names class and the baseline on ``corpus`` (the AI and control texts of the build)
    and ``cover`` (their coverage: :func:`analysis.corpus.coverage` of the same topics)."""
    zh = chapters.chinese_documents(select.select_topic(corpus, TOPICS))
    strata = baseline.load_strata()
    members = baseline.membership(zh, strata)
    docs = {m: baseline.document_measures(zh, m, strata=strata) for m in baseline.MEASURES}
    tables = {m: baseline.comparison_table(docs[m], members) for m in baseline.MEASURES}
    loos = {m: baseline.leave_one_out_table(docs[m], members) for m in baseline.MEASURES}
    return Move(zh, select.select_topic(cover, TOPICS), strata, members, docs, tables, loos)


# ------------------------------------------------------------------------------------------------ what it holds
def holdings(move: Move) -> Markdown:
    """The Chinese texts of the build (AI and control) against the manifest, and the article's own texts."""
    zh, cover, labels = move.zh, move.cover, move.labels
    listed = int((cover["language"] == "zh").sum())
    counts = {t: int(select.is_topic(zh, t).sum()) for t in TOPICS}
    lines = [
        f"- Chinese texts available in this build: **{len(zh)}** of {listed} that the manifest lists "
        f"({counts[select.AI]} on AI, {counts[select.CONTROL]} non-AI control texts)."
    ]
    for doc_id in KEY_DOCS:
        state = "available" if doc_id in set(zh["doc_id"]) else "*not reproducible here*: not available in this build"
        lines.append(f"- {labels.get(doc_id, doc_id)}: {state}.")
    if zh.empty:
        lines.append(f"- **Not reproducible here:** {NO_TEXT}, so every table below is empty.")
    return Markdown("\n".join(lines))


# ------------------------------------------------------------------------------------------- names and citations
def name_rules_table() -> BookTable:
    """The rules of the name/citation class (``data/argument/names_citations.csv``)."""
    rules = names.load_name_rules()
    shown = rules.assign(kind=rules["kind"].map(names.KINDS)).rename(columns={"gloss_en": "what it catches"})
    return table(
        shown.loc[:, ["kind", "pattern", "what it catches", "rationale"]],
        "The rules that set an occurrence of 安全 apart as a name or citation (data/argument/names_citations.csv): "
        "the kind of name, the pattern (a regular expression), what it catches and why.",
        name="tbl-move-name-rules",
    )


EFFECT_HEADERS = {
    "all": "安全 all",
    **{k: f"in {v}" for k, v in names.KINDS.items()},
    "names_total": "in names or citations",
    "without_names": "安全 outside names",
    "security_sense_all": "security sense, all",
    "security_sense_without_names": "security sense, outside names",
}


def name_effect_table(move: Move) -> BookTable:
    """Per text: every 安全, those inside each kind of name or citation, the rest, and the security sense."""
    effect = move.effect
    shown = effect.rename(columns=EFFECT_HEADERS)
    shown.insert(1, "texts", effect["doc_id"].map(dict(zip(move.zh["doc_id"], move.zh["topic"], strict=True))))
    return table(
        shown.set_index("doc_id"),
        "安全 in each Chinese AI and control text of this build, in order of issue: every occurrence, those inside "
        "each kind of name or citation, those outside, and those read in the security sense before and after the "
        "names are set apart.",
        name="tbl-move-name-effect",
    )


def name_effect_summary(move: Move) -> Markdown:
    """How much the class takes out, by kind, and the texts it touches most."""
    effect, labels = move.effect, move.labels
    if effect.empty:
        return Markdown(f"Not reproducible here: {NO_TEXT}, so the class removes nothing to report.")
    total, removed = int(effect["all"].sum()), int(effect["names_total"].sum())
    by_kind = ", ".join(f"{int(effect[k].sum())} {v}" for k, v in names.KINDS.items() if effect[k].sum())
    share = f" ({removed / total:.0%})" if total else ""
    touched = effect[effect["names_total"] > 0]
    top = effect[effect["all"] > 0].assign(share=lambda t: t["names_total"] / t["all"])
    top = top[top["names_total"] > 0].sort_values(["share", "doc_id"], ascending=[False, True], kind="mergesort")
    lines = [
        f"- Across the {len(effect)} Chinese texts of this build, the class takes out **{removed} of {total}** "
        f"occurrences of 安全{share}" + (f": {by_kind}." if by_kind else "."),
        f"- {len(touched)} of the {len(effect)} texts lose at least one occurrence; the median text loses "
        f"{int(effect['names_total'].median())}.",
    ]
    if len(top):
        largest = "; ".join(
            f"{labels.get(d, d)}, {int(n)} of {int(a)}"
            for d, n, a in top.head(3)[["doc_id", "names_total", "all"]].values
        )
        lines.append(f"- The largest shares: {largest}.")
    return Markdown("\n".join(lines))


def name_audit_table(move: Move) -> BookTable:
    """Every occurrence the class takes out, with its kind and fifteen characters on either side."""
    lines = names.name_kwic(move.zh)
    shown = lines.assign(name_kind=lines["name_kind"].map(names.KINDS)).rename(columns={"name_kind": "kind"})
    return table(
        shown.drop(columns=["position"]),
        f"The audit of the class: every occurrence of 安全 inside a name or citation ({len(lines)} in this build), "
        "with its kind and fifteen characters on either side.",
        name="tbl-move-name-audit",
        csv="names_citations_audit.csv",
    )


# ------------------------------------------------------------------------------------------------- the baseline
def _short(move: Move) -> dict[str, str]:
    return dict(zip(move.strata["stratum"], move.strata["label"].map(reading.short_label), strict=True))


def strata_table(move: Move) -> BookTable:
    """The comparisons: strata and the pairs inside them, with their issuer ranks, match rule and rationale."""
    s, short = move.strata, _short(move)
    shown = pd.DataFrame({
        "comparison": s["label"], "kind": s["kind"], "inside": s["parent"].map(short),
        "issuer ranks": s["issuer_ranks"].str.replace("_", " ").str.replace(";", "; "),
        "matched on": s["match"].replace({"same_issuer": "the same issuer"}), "rationale": s["rationale"],
        "stratum": s["stratum"],
    })  # fmt: skip
    return table(
        shown,
        "The comparisons of AI and control texts (data/argument/baseline_strata.csv): each stratum (one genre at one "
        "level of government) and the narrower pairs inside it, with the issuer ranks they admit and why.",
        name="tbl-move-strata",
        na="no condition (every text of the stratum)",
        csv_only=("stratum",),
    )


def coverage_table(move: Move) -> BookTable:
    """Per comparison and side: the texts the manifest lists, those this build has, and the missing ones."""
    cover, short, labels = baseline.stratum_coverage(move.cover, move.strata), _short(move), move.labels
    missing = cover["missing"].map(lambda s: "; ".join(labels.get(d, d) for d in s.split(";")) if s else pd.NA)
    shown = pd.DataFrame({
        "comparison": cover["comparison"].map(short), "side": cover["topic"].map(SIDES),
        "listed in the manifest": cover["in_manifest"], "in this build": cover["available"], "missing": missing,
    })  # fmt: skip
    return table(
        shown,
        "Texts per comparison and side: those the manifest lists, those this build has, and the ones missing; a side "
        "the manifest does not list shows zeros, so a missing control is never silent.",
        name="tbl-move-coverage",
        na="none missing",
    )


def _share(a: float, lo: float, hi: float) -> object:
    """A share with its Clopper–Pearson interval in per cent (:func:`analysis.present.pages.move.validation.share_text`:
    never "0 % [0–0]"); missing for a text without units."""
    return pd.NA if a != a else validation.share_text(a, lo, hi)


def document_tables(move: Move) -> list[BookTable]:
    """One table per measure: each text of a stratum with its count, density and share of articles, each with its
    exact 95 % interval (Poisson for counts and densities, Clopper–Pearson for shares)."""
    out, short = [], _short(move)
    for measure, label in baseline.MEASURES.items():
        t = move.docs[measure]
        shown = pd.DataFrame({
            "stratum": t["stratum"].map(short), "doc_id": t["doc_id"], "side": t["topic"].map(SIDES),
            "issuer rank": t["issuer_rank"].str.replace("_", " "), "characters": t["chars"],
            "count [95 % CI]": [format_interval(k, lo, hi, 0) for k, lo, hi in t[["count", "count_lo", "count_hi"]].values],
            "per 10,000 characters [95 % CI]": [format_interval(*v) for v in t[["per_10k", "per_10k_lo", "per_10k_hi"]].values],
            "units that mention it": [f"{w} of {n} {k}s" for w, n, k in t[["units_with", "units", "unit_kind"]].values],
            "share of units [95 % CI]": [_share(*v) for v in t[["share_units", "share_lo", "share_hi"]].values],
        })  # fmt: skip
        out.append(
            table(
                shown.set_index("stratum"),
                f"{label.capitalize()}: each AI and control text of a stratum, with exact 95 % intervals that "
                "describe one text (every occurrence counted as independent).",
                name=f"tbl-move-documents-{MEASURE_NAMES[measure]}",
                csv=f"baseline_documents_{measure}.csv",
                na="the text has no units to count",
            )
        )
    return out


def documents_figure(move: Move) -> Figure:
    """Each text's rate of 安全 outside names and citations, per stratum (:func:`~analysis.present.plotting.argument.
    baseline_figure`)."""
    from analysis.present.plotting.argument import baseline_figure

    label = "安全 (ānquán, security) outside names and citations"
    return baseline_figure(move.docs["without_names"], list(move.strata["stratum"]), label, move.labels)


VERDICT_COLUMNS = (
    "AI texts", "control texts", "AI per 10,000", "control per 10,000", "rate ratio [95% CI], document as unit",
    "verdict", "why",
)  # fmt: skip
ROBUSTNESS_COLUMNS = (
    "χ²/df (df)", "χ²/df AI / control", "negative binomial [95% CI]", "permutation p, one-sided",
    "leave-one-out range", "occurrence-level [95% CI] (too narrow)",
)  # fmt: skip


def _comparisons(move: Move) -> pd.DataFrame:
    rows = reading.comparison_rows(move.tables, move.strata)
    return rows.reset_index() if len(rows) else pd.DataFrame(columns=["comparison", "measure"])


def verdict_table(move: Move) -> BookTable:
    """Every comparison under every measure: texts per side, pooled rates, the document-level ratio and the verdict."""
    rows = _comparisons(move)
    return table(
        rows.reindex(columns=["comparison", "measure", *VERDICT_COLUMNS]).set_index("comparison"),
        "AI against control texts, comparison by comparison and measure: texts per side, the pooled rates per 10,000 "
        "characters, the rate ratio with its quasi-Poisson 95 % interval (the document as the unit) and the verdict "
        "it allows.",
        name="tbl-move-verdicts",
        csv="baseline_comparisons_measures.csv",
    )


def robustness_table(move: Move) -> BookTable:
    """The other measures of every comparison: dispersion, negative binomial, permutation, leave-one-out and the
    occurrence-level interval a naive reading would use."""
    rows = _comparisons(move)
    return table(
        rows.reindex(columns=["comparison", "measure", *ROBUSTNESS_COLUMNS]).set_index("comparison"),
        "The same comparisons read with the other measures: the dispersion of the counts (χ²/df, 1 when they vary as "
        "Poisson allows), the negative binomial model, the permutation test over documents, the range of the ratio "
        "with one text left out, and the occurrence-level interval, which is too narrow and decides nothing.",
        name="tbl-move-robustness",
        na="not defined for these texts (one text on a side, or no variation)",
    )


def ratio_figure(move: Move) -> Figure:
    """The rate ratios with their document-level intervals (:func:`~analysis.present.plotting.argument.ratio_figure`)."""
    from analysis.present.plotting.argument import ratio_figure as draw

    return draw(reading.figure_rows(move.tables, move.strata))


def reading_paragraphs(move: Move) -> Markdown:
    """Every comparison read together (:mod:`analysis.sections.move.reading`), then what points the other way."""
    paragraphs = [
        reading.comparison_paragraph(c, lab, move.tables, move.loos, move.docs["all"], move.members, move.labels)
        for c, lab in zip(move.strata["stratum"], move.strata["label"], strict=True)
    ]
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        return Markdown(
            "Not reproducible here: no comparison holds both an AI and a control text in this build, so there is "
            "nothing to read."
        )
    turns = reading.reversals(move.tables, move.strata)
    other = "\n".join(f"- {t}" for t in turns) or "- Nothing: every measure and every comparison points the same way."
    return Markdown(f"{text}\n\n**What points the other way.**\n\n{other}")


def _ratio(r: float, lo: float, hi: float) -> str:
    if r != r:
        return "—"
    return format_interval(r, lo, hi, 2) if lo == lo else f"{r:.2f} (no interval)"


def leave_one_out_table(move: Move) -> BookTable:
    """The strictest measure with each text left out in turn."""
    strict, short = move.loos[reading.STRICTEST], _short(move)
    shown = pd.DataFrame({
        "comparison": strict["comparison"].map(short), "left out": strict["dropped"],
        "side": strict["side"].map(SIDES), "ratio [95% CI]": [_ratio(*v) for v in strict[["ratio", "lo", "hi"]].values],
        "verdict": strict["verdict"], "why": strict["reason"],
    })  # fmt: skip
    return table(
        shown.set_index("comparison"),
        "Leave-one-out on the strictest measure (安全 in the security sense, outside names and citations): the ratio "
        "AI / control and its verdict with each text of a comparison left out in turn.",
        name="tbl-move-leave-one-out",
        csv="baseline_leave_one_out.csv",
        na="no ratio (a side is left without texts)",
    )


# ---------------------------------------------------------------------------------------------- the coded move
def rules_tables() -> list[BookTable]:
    """The function rules and the object rules of the coding, as data."""
    functions, objects = speech_acts.load_function_rules(), speech_acts.load_object_rules()
    return [
        table(
            functions.loc[:, ["function", "pattern", "gloss_en"]].rename(columns={"gloss_en": "gloss"}),
            "The function rules (data/argument/speech_act_functions.csv): a sentence performs a claim, a warning or a "
            "request when one of the act's patterns occurs in it.",
            name="tbl-move-function-rules",
        ),
        table(
            objects.loc[:, ["object", "priority", "pattern", "gloss_en"]].rename(columns={"gloss_en": "gloss"}),
            "The object rules (data/argument/security_objects.csv): what security is for a security word, from the "
            "first rule by priority (smallest first) whose match covers it.",
            name="tbl-move-object-rules",
        ),
    ]


def summary_table(c: validation.Coded) -> BookTable:
    """Per text: sentences with security words, the act flags and the objects (only these columns: no primary
    function, no decoration), categories that are not reliable marked."""
    view = validation.summary_view(c.summary, c.reliable)
    return table(
        view.set_index("doc_id"),
        "The coded sentences of each Chinese AI and control text of this build, in order of issue: sentences with "
        f"security words, those the rules read as each act, and each sentence's object of security. {validation.UNRELIABLE_NOTE}",
        name="tbl-move-coding",
        csv="coding_summary.csv",
    )


def plan_passages(c: validation.Coded) -> list[str | BookTable]:
    """The 2017 plan's coded sentences in order (the article's case), or why they cannot be shown."""
    if c.coded.empty:
        return ["Not reproducible here: no Chinese text is available in this build, so no passage is coded."]
    if validation.CENTRE not in set(c.coded["doc_id"]):
        name = document_labels().get(validation.CENTRE, validation.CENTRE)
        return [
            f"Not reproducible here: the {name}, the article's own case, is not available in this build, so its "
            "passages cannot be coded. The coding runs on every text that is present; with the plan in the build its "
            "coded sentences are listed here, in order."
        ]
    plan = c.coded[c.coded["doc_id"] == validation.CENTRE]
    row = c.summary.set_index("doc_id").loc[validation.CENTRE]
    chars = max(int(c.zh.set_index("doc_id").at[validation.CENTRE, "chars"]), 1)

    def mark(cat: tuple[str, str]) -> str:
        return "" if cat in c.reliable else validation.UNRELIABLE_MARK

    objects = ", ".join(
        f"{o.replace('_', ' ')}{mark(('object', o))} {int(n)}" for o, n in plan["object"].value_counts().items()
    )
    acts = "; ".join(f"{validation.ACT_NOUNS[a]}{mark((a, a))}: {int(row[a])}" for a in validation.ACT_NOUNS)
    text = (
        f"**The 2017 plan, the article's case.** {len(plan)} sentences carry security vocabulary. {acts}. By object: "
        f"{objects}. The table lists them in order, with their place in the text (0 = start, 1 = end), so that a "
        "reader can see where claims and warnings stand relative to the requests."
    )
    shown = plan.assign(position=(plan["start"] / chars).round(2)).loc[
        :, ["sentence", "position", "keywords", "claim", "warn", "request", "object", "left", "keyword", "right"]
    ]
    return [
        text,
        table(
            shown.rename(columns={a: f"{a}{mark((a, a))}" for a in validation.ACT_NOUNS}),
            f"The coded sentences of the 2017 plan, in order. {validation.UNRELIABLE_NOTE}",
            name="tbl-move-plan-passages",
        ),
    ]


def objects_figure(c: validation.Coded) -> Figure:
    """Per text, the shares of its coded sentences by object, objects that are not reliable marked in the legend."""
    from analysis.present.plotting.argument import objects_figure as draw

    shown, objects = validation.marked_objects(c.summary, c.reliable)
    return draw(shown, objects, document_labels())


def rule_usage_table(c: validation.Coded) -> BookTable:
    """How many coded sentences each rule matches."""
    return table(
        speech_acts.rule_usage(c.zh).rename(columns={"gloss_en": "gloss", "passages": "sentences matched"}),
        "Each function and object rule with the number of coded sentences of this build that it matches.",
        name="tbl-move-rule-usage",
    )


def rule_audit_table(c: validation.Coded, per_rule: int = 5) -> BookTable:
    """Up to ``per_rule`` keyword-in-context lines for every rule."""
    examples = speech_acts.rule_examples(c.coded, c.zh, speech_acts.rule_usage(c.zh), per_rule=per_rule)
    return table(
        examples,
        f"The rules at work: for every rule, up to {per_rule} coded sentences where its pattern matches, with "
        f"{speech_acts.WINDOW} characters on either side of the match.",
        name="tbl-move-rule-audit",
        csv="coding_rules_audit.csv",
    )


# ------------------------------------------------------------------------------------------- what cannot be shown
def cannot_show(move: Move) -> Markdown:
    """What this build lacks for the chapter: the article's own texts, and the texts each comparison misses."""
    labels, present = move.labels, set(move.zh["doc_id"])
    lacking = [labels.get(d, d) for d in KEY_DOCS if d not in present]
    lines = []
    if lacking:
        lines.append(
            f"- **The article's own texts.** Not reproducible here: {'; '.join(lacking)} "
            f"{'is' if len(lacking) == 1 else 'are'} not available in this build, so the move the article reads in "
            "them cannot be coded or compared here."
        )
    if move.zh.empty:
        lines.append(f"- **Every table of this chapter.** Not reproducible here: {NO_TEXT}.")
    cover = baseline.stratum_coverage(move.cover, move.strata)
    lines += [f"- {s}" for s in reading.missing_sentences(cover, move.strata, labels)]
    return Markdown("\n".join(lines) or "- Every text the chapter uses is available in this build.")
