"""The domestic-context chapter (``notebooks/domestic_context.ipynb``, the article's section 3.3), each output one call.

The chapter counts the article's typology of security in the Chinese AI texts, reads regime security as *content*
(the regime-content vocabulary) and as the *object* the passage coding gives security, and compares the AI texts with
the control texts stratum by stratum (:mod:`analysis.sections.move.baseline`: like with like, by issuer rank and
genre; the document is the unit). Object categories enter a verdict only when the blind validation finds them reliable
(:func:`analysis.sections.move.agreement.reliable_categories`); the function codes (claim, warn, request) enter none.
The computations are :mod:`analysis.sections.typology`'s; shared helpers come from
:mod:`analysis.present.pages.contexts`.
"""

from __future__ import annotations

import math

import pandas as pd
from IPython.display import Markdown
from matplotlib.figure import Figure

from analysis import counting
from analysis.corpus import select
from analysis.counting import names
from analysis.evidence.uncertainty import format_interval
from analysis.present import chapters
from analysis.present.labels import document_labels
from analysis.present.pages.contexts import (
    NO_CHINESE_AI,
    NO_COMPARED,
    SIDES,
    by_side,
    chinese,
    compared,
    count_of,
    facts_table,
    listing,
    say,
    spread,
)
from analysis.present.pages.move.validation import category_name
from analysis.present.plotting import set_alt
from analysis.present.tables import BookTable, table
from analysis.sections import typology, vocabularies
from analysis.sections.move import agreement, baseline, inference, reading, speech_acts
from analysis.sections.move.agreement import Agreement

PAGE = "domestic"
UNRELIABLE_MARK = " †"
NO_VERDICT = "no verdict: the category is not reliable"


def _type_names() -> dict[str, str]:
    types = typology.typology_types(typology.load_typology())
    return {k: f"{z} {e}" for k, z, e in zip(types["type_key"], types["type_zh"], types["type_en"], strict=True)}


# ------------------------------------------------------------------------------------------------------- the typology
def types_table() -> BookTable:
    """The article's typology as data: one row per type, its terms, and whether the article names it."""
    types = typology.typology_types(typology.load_typology())
    return table(
        types.set_index("type_en"),
        "The types of security of the typology (data/facts/security_typology.csv): "
        "traditional and non-traditional, with their Chinese terms and whether the article names them.",
        name="tbl-domestic-types",
    )


def terms_table() -> BookTable:
    """Every term of the typology with its pinyin, gloss, source and note."""
    columns = ["term_zh", "type_key", "pinyin", "gloss_en", "in_article", "source", "note"]
    return table(
        typology.load_typology().loc[:, columns].set_index("term_zh"),
        "Every term of the typology, with its source.",
        name="tbl-domestic-type-terms",
    )


def type_counts(texts: pd.DataFrame) -> pd.DataFrame:
    """Chinese AI texts (rows, in order of issue) × types: each type's matches, each counted once."""
    ai = chinese(texts)
    return typology.type_counts(ai, typology.load_typology()).reindex(ai["doc_id"])


def type_counts_table(counts: pd.DataFrame) -> BookTable:
    """:func:`type_counts` for readers, types by their Chinese and English names."""
    return table(
        counts.rename(columns=_type_names()),
        f"Matches of each type's vocabulary in the "
        f"{count_of(len(counts), 'Chinese AI text')} of this build, each match counted once.",
        name="tbl-domestic-type-counts",
    )


def names_table(texts: pd.DataFrame) -> BookTable:
    """Each type's matches in all the Chinese AI texts, with and without names and citations."""
    ai, typ = chinese(texts), typology.load_typology()
    with_, without = typology.type_counts(ai, typ).sum(), typology.type_counts(names.masked_corpus(ai), typ).sum()
    frame = pd.DataFrame({"with names": with_, "without names": without}).reindex(list(_type_names()), fill_value=0)
    frame = frame.astype(int).assign(removed=lambda f: f["with names"] - f["without names"]).rename(index=_type_names())
    return table(
        frame.rename_axis("type"),
        "Each type's matches in the Chinese AI texts, with and without those "
        "inside names and citations (titles of laws, agencies, the statutory list of prohibited content).",
        name="tbl-domestic-names",
    )


def typology_figure(counts: pd.DataFrame) -> Figure:
    """The heat map of :func:`type_counts`, documents by title, n in the title, alt text from the counts."""
    from analysis.present.plotting.typology import typology_heatmap

    shown = counts.rename(index=document_labels())
    title = f"各类安全词汇出现次数\nMatches of each security type's vocabulary (n = {count_of(len(counts), 'text')})"
    fig = typology_heatmap(shown, typology.load_typology(), title=title)
    totals, type_name = counts.sum(), _type_names()
    found = [f"{type_name[k]} {int(v)}" for k, v in totals.items() if v]
    if counts.empty:
        return set_alt(fig, "Heat map of security types: no Chinese AI text is available in this build.")
    return set_alt(
        fig,
        f"Heat map of {len(counts)} Chinese AI texts by {counts.shape[1]} security types; matches in all: "
        f"{'; '.join(found) or 'none'}; {len(counts.columns) - len(found)} types never named.",
    )


def typology_kwic_table(texts: pd.DataFrame) -> BookTable:
    """Every inclusive match of a typology term in the Chinese AI texts, with its type."""
    typ = typology.load_typology()
    lines = chapters.kwic_lines(chinese(texts), typ["term_zh"], width=12)
    lines.insert(0, "type", lines["keyword"].map(dict(zip(typ["term_zh"], typ["type_en"], strict=True))))
    return table(
        lines,
        f"The typology's terms in context: {count_of(len(lines), 'line')}, one per inclusive match "
        "(a term inside a longer term of the same type has a line of its own).",
        name="tbl-domestic-type-kwic",
        index=False,
    )


def typology_sentence(counts: pd.DataFrame) -> Markdown:
    """The types the Chinese AI texts name and those they never name."""
    if counts.empty:
        return say(NO_CHINESE_AI)
    type_name, totals = _type_names(), counts.sum()
    found = [type_name[k] for k, v in totals.items() if v]
    absent = [type_name[k] for k, v in totals.items() if not v]
    return say(
        f"In the {count_of(len(counts), 'Chinese AI text')} of this build, the types named are "
        f"{listing(found) or 'none'}; never named: {listing(absent) or 'none'}."
    )


# ---------------------------------------------------------------------------------------------- regime security as content
def regime_table(texts: pd.DataFrame) -> BookTable:
    """The regime-content vocabulary with its glosses: matches and documents in the AI and the control texts."""
    docs = compared(texts)
    n = {t: int(select.is_topic(docs, t).sum()) for t in SIDES}
    return table(
        by_side(texts, typology.REGIME_VOCABULARY),
        f"Regime security as content (data/argument/regime_content_vocabulary.csv): inclusive matches in the "
        f"{count_of(n['ai'], 'Chinese AI text')} and the {count_of(n['control'], 'control text')} of this build.",
        name="tbl-domestic-regime",
    )


def regime_sentence(texts: pd.DataFrame) -> Markdown:
    """Which AI and control texts carry regime content, and how often 政治安全 (political security) itself occurs."""
    docs = compared(texts)
    if docs.empty:
        return say(NO_COMPARED)
    totals = vocabularies.vocabulary_totals(docs, typology.REGIME_VOCABULARY)
    parts = []
    for topic, side in SIDES.items():
        part = totals[select.is_topic(totals, topic)]
        carrying = part[part["count"] > 0]
        named = listing(
            [f"{d} ({count_of(c, 'match')})" for d, c in zip(carrying["doc_id"], carrying["count"], strict=True)]
        )
        parts.append(
            f"{len(carrying)} of the {count_of(len(part), side + ' text')} carry regime content"
            + (f": {named}" if named else "")
        )
    political = sum(counting.count_substring(t, "政治安全") for t in docs["text"])
    return say(
        "; ".join(parts) + f". 政治安全 (political security) itself occurs {count_of(political, 'time')} in them all."
    )


def excluded_sentence(texts: pd.DataFrame) -> Markdown:
    """The term left out of the regime-content vocabulary: where it occurs, and what counting it would change."""
    docs = compared(texts)
    if docs.empty:
        return say(NO_COMPARED)
    out = []
    for term, (pinyin, gloss) in typology.EXCLUDED_CONTENT.items():
        lines = counting.kwic(docs, term)
        where = spread(lines["doc_id"].value_counts(sort=False))
        out.append(
            f"{term} ({pinyin}, {gloss}) occurs {count_of(len(lines), 'time')} in the Chinese AI and control "
            f"texts of this build" + (f", {where}" if where else "") + "."
        )
    return say(" ".join(out))


def excluded_kwic_table(texts: pd.DataFrame) -> BookTable:
    """Every occurrence of the excluded term(s), in context."""
    docs = compared(texts)
    lines = chapters.kwic_lines(docs, list(typology.EXCLUDED_CONTENT), width=25)
    return table(
        lines,
        f"{listing(list(typology.EXCLUDED_CONTENT))} in context: {count_of(len(lines), 'line')}.",
        name="tbl-domestic-excluded",
        index=False,
    )


# ------------------------------------------------------------------------------------ AI against control, by stratum
def coded(texts: pd.DataFrame) -> pd.DataFrame:
    """The passage coding (:func:`~analysis.sections.move.speech_acts.code_passages`) of the Chinese AI and control texts."""
    return speech_acts.code_passages(compared(texts))


def validation(texts: pd.DataFrame, passages: pd.DataFrame) -> Agreement:
    """The blind validation of the coding joined with the passages of this build (:func:`agreement.validate`)."""
    docs = compared(texts)
    return agreement.validate(passages, dict(zip(docs["doc_id"], docs["text"], strict=True)))


def _measure_label(measure: str, reliable: frozenset[tuple[str, str]]) -> str:
    if measure == typology.REGIME:
        return "regime-content matches"
    obj = measure.removeprefix(typology.OBJECT_PREFIX)
    mark = "" if ("object", obj) in reliable else UNRELIABLE_MARK
    return f"passages coded {obj.replace('_', ' ')}{mark}"


def _verdict(measure: str, row: pd.Series, reliable: frozenset[tuple[str, str]]) -> tuple[str, str]:
    obj = measure.removeprefix(typology.OBJECT_PREFIX)
    if measure != typology.REGIME and ("object", obj) not in reliable:
        return NO_VERDICT, "the blind validation does not find this category reliable"
    return str(row["verdict"]), str(row["reason"])


def stratum_table(texts: pd.DataFrame, passages: pd.DataFrame, reliable: frozenset[tuple[str, str]]) -> BookTable:
    """Regime content and every object of the coding, AI against control texts, comparison by comparison."""
    strata = baseline.load_strata()
    by = typology.by_stratum(compared(texts), passages, strata)
    label = dict(zip(strata["stratum"], strata["label"].map(reading.short_label), strict=True))
    rows = []
    for _, r in by.iterrows():
        word, why = _verdict(r["measure"], r, reliable)
        ratio = format_interval(r["qp_ratio"], r["qp_lo"], r["qp_hi"], 2)
        rows.append(
            {
                "comparison": label[r["comparison"]],
                "measure": _measure_label(r["measure"], reliable),
                "AI texts": r["ai_docs"],
                "control texts": r["control_docs"],
                "AI per 10,000": round(r["ai_per_10k"], 1),
                "control per 10,000": round(r["control_per_10k"], 1),
                "rate ratio [95% CI], document as unit": ratio if ratio != "–" else pd.NA,
                "verdict": word,
                "why": why,
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "comparison",
            "measure",
            "AI texts",
            "control texts",
            "AI per 10,000",
            "control per 10,000",
            "rate ratio [95% CI], document as unit",
            "verdict",
            "why",
        ],
    )
    return table(
        frame.set_index(["comparison", "measure"]),
        "Regime content and the object of security, AI against "
        "control texts in each comparison of data/argument/baseline_strata.csv that has both sides; "
        "†: a category the blind validation does not find reliable, which gets no verdict.",
        name="tbl-domestic-strata",
        na="no document-level interval (a side without matches or too few texts)",
    )


def stratum_paragraph(
    texts: pd.DataFrame, passages: pd.DataFrame, reliable: frozenset[tuple[str, str]], cover: pd.DataFrame
) -> Markdown:
    """The comparisons read: per comparison its sides and every verdict word (with leave-one-out), then what is
    missing; documents outside every stratum named."""
    strata, docs = baseline.load_strata(), compared(texts)
    by = typology.by_stratum(docs, passages, strata)
    label = dict(zip(strata["stratum"], strata["label"].map(reading.short_label), strict=True))
    out = [] if len(by) else ["- **Not reproducible here:** no comparison has AI and control texts in this build."]
    for comparison, g in by.groupby("comparison", sort=False):
        head = f"**{label[comparison].capitalize()}** ({g['ai_docs'].iloc[0]} AI, {g['control_docs'].iloc[0]} control)"
        said, why = [], []
        for m, r in zip(g["measure"], g.to_dict("records"), strict=True):
            word, reason = _verdict(m, r, reliable)
            if word in (inference.AI_HIGHER, inference.AI_LOWER):
                ratio = format_interval(r["qp_ratio"], r["qp_lo"], r["qp_hi"], 2)
                loo = r["loo_verdicts"].replace(";", " or ")
                said.append(f"{_measure_label(m, reliable)}: **{word}**, ratio {ratio} (one text left out: {loo})")
            elif word != NO_VERDICT:
                why.append(reason)
        rest = "; ".join(dict.fromkeys(why))
        tail = f"cannot tell on every other measure ({rest})" if said else f"cannot tell on any measure ({rest})"
        out.append(f"- {head}: " + "; ".join([*said, tail]) + ".")
    inside = set(baseline.assign_strata(docs, strata)["doc_id"])
    outside = docs[select.is_topic(docs, select.AI) & ~docs["doc_id"].isin(inside)]
    if len(outside):
        kinds = listing(sorted(set(outside["genre"])))
        out.append(
            f"- {count_of(len(outside), 'AI text')} ({kinds}) fall in no stratum: no control text is of their kind."
        )
    cov = baseline.stratum_coverage(cover, strata)
    cov = cov[cov["kind"] == "stratum"]  # a pair lacks what its stratum lacks
    out += [f"- {s}" for s in reading.missing_sentences(cov, strata, document_labels())]
    return say("\n".join(out))


def default_goal_sentence(texts: pd.DataFrame, passages: pd.DataFrame, val: Agreement) -> Markdown:
    """The assumption that reads 国家安全 and its kin as a goal, stated with what rests on it in this build."""
    rules = typology.default_goal_rules(speech_acts.load_object_rules())
    words = "、".join(w for p in rules["pattern"] for w in p.split("|"))
    docs = compared(texts)
    resting = typology.default_goal(docs)
    topic = dict(zip(docs["doc_id"], docs["topic"], strict=True))
    goal = passages[passages["object"] == "goal"].assign(topic=lambda f: f["doc_id"].map(topic))
    counts = [
        f"{select.is_topic(resting, t).sum()} of the {count_of(int(select.is_topic(goal, t).sum()), 'passage')} coded goal "
        f"in the {side} texts"
        for t, side in SIDES.items()
    ]
    became = listing(sorted(set(resting["without_default"]))) or "nothing else"
    cats = val.categories
    kappa = cats.loc[(cats["comparison"] == "object") & (cats["category"] == "goal"), "kappa"]
    k = f"κ {kappa.iloc[0]:.2f}" if len(kappa) and not math.isnan(kappa.iloc[0]) else "no κ in this build"
    rule = (
        f"**An assumption, not a finding.** The last rule of data/argument/security_objects.csv reads {words} outside a "
        "name as a *goal* (a protected interest) whenever no narrower rule applies, and the codebook tells the hand "
        f"coder the same, so the validation of the goal category ({k}) cannot test it."
    )
    if docs.empty:
        return say(f"{rule} {NO_COMPARED}")
    return say(
        f"{rule} In this build {listing(counts)} are goal only by this default; without it they would be coded {became}."
    )


def technification_table(passages: pd.DataFrame, reliable: frozenset[tuple[str, str]]) -> BookTable:
    """Passages of the cyber kind against passages of the state, by object, with the technical share."""
    objects, shares = typology.technification(passages)
    marked = objects.rename(
        columns=lambda o: o.replace("_", " ") + ("" if ("object", o) in reliable else UNRELIABLE_MARK)
    )
    share = [
        format_interval(s, lo, hi, 2)
        for s, lo, hi in zip(shares["share"], shares["share_lo"], shares["share_hi"], strict=True)
    ]
    marked["documents"] = shares.set_index("group")["documents"]
    marked["technical share [95% CI]"] = pd.Series(share, index=shares["group"]).replace("–", pd.NA)
    return table(
        marked.rename_axis("passages whose security words are of"),
        "Passages by the object of security: "
        f"security words of the cyber kind only ({'、'.join(typology.CYBER_WORDS)}) against those of the state "
        f"only ({'、'.join(typology.STATE_WORDS)}); technical: {' or '.join(typology.TECHNICAL_OBJECTS)}; "
        "†: not reliable.",
        name="tbl-domestic-technification",
        na="no passage in the group",
    )


def technification_sentence(passages: pd.DataFrame, reliable: frozenset[tuple[str, str]]) -> Markdown:
    """The technification test read: shares with exact intervals; a direction only when the categories are reliable
    and the intervals (too narrow: passages are not independent) do not overlap."""
    _, shares = typology.technification(passages)
    s = shares.set_index("group")
    cyber, state = s.loc[typology.CYBER_GROUP], s.loc[typology.STATE_GROUP]
    if min(cyber["passages"], state["passages"]) == 0:
        return say("**Not reproducible here:** this build lacks coded passages of one or both kinds.")
    unreliable = [o for o in typology.TECHNICAL_OBJECTS if ("object", o) not in reliable]
    if unreliable:
        word = f"gives no verdict: {listing(unreliable)} {'is' if len(unreliable) == 1 else 'are'} not reliable"
    elif cyber["share_lo"] > state["share_hi"]:
        word = "agrees with the claim: the cyber kind is the more technical"
    elif cyber["share_hi"] < state["share_lo"]:
        word = "goes against the claim: the state kind is the more technical"
    else:
        word = "cannot tell: the intervals overlap"
    shown = {g: format_interval(r["share"], r["share_lo"], r["share_hi"], 2) for g, r in s.iterrows()}
    return say(
        f"Technical objects: {shown[typology.CYBER_GROUP]} of {int(cyber['passages'])} passages of the cyber kind "
        f"({count_of(int(cyber['documents']))}), against {shown[typology.STATE_GROUP]} of {int(state['passages'])} "
        f"passages of the state ({count_of(int(state['documents']))}). The coding {word}. The intervals treat "
        "passages as independent, which they are not within a text, so even apart they would be a description of "
        "these texts, not a test of the article's period."
    )


# ---------------------------------------------------------------------------------------------- the quoted figures
def figures_table() -> BookTable:
    """The two numbers section 3.3 quotes, as each source reports them."""
    return facts_table(
        "domestic_figures",
        ["figure_id", "claim_en", "value", "unit", "qualifier", "reported_by", "date", "article_value"],
        "The numbers section 3.3 quotes (the 2019 data breach, the Capgemini survey), as each source reports them.",
        PAGE,
        "figures",
    )


def figures_sources_table() -> BookTable:
    """The topic, article reference, source and note of every figure."""
    return facts_table(
        "domestic_figures",
        ["figure_id", "topic", "article_ref", "source", "note"],
        "What each number refers to, where the article quotes it, and its sources.",
        PAGE,
        "figure-sources",
    )


def reliable(val: Agreement) -> frozenset[tuple[str, str]]:
    """The categories of the coding that the blind validation finds reliable in this build."""
    return agreement.reliable_categories(val.categories)


def unreliable_sentence(val: Agreement) -> Markdown:
    """The categories of the coding this build cannot rest a statement on, with their κ."""
    cats = val.categories
    if cats.empty:
        return say(
            "**Not reproducible here:** no validated passage can be joined with the texts of this build, so "
            "no category of the coding is reliable and no statement of this chapter rests on the coding."
        )
    bad = cats[cats["status"] != agreement.RELIABLE]
    named = [
        f"{category_name(c, k)} (κ {v:.2f}, {s})"
        for c, k, v, s in zip(bad["comparison"], bad["category"], bad["kappa"], bad["status"], strict=True)
    ]
    return say(
        f"The blind validation finds {count_of(len(bad), 'category')} of the coding not reliable in this build, so the chapter rests "
        f"no statement on {'it' if len(bad) == 1 else 'them'}: {listing(named) or 'none'}."
    )
