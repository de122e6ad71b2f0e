"""The keyword chapter (``notebooks/labelling.ipynb``, the article's section 3): its tables, figures and sentences,
each from one call.

The chapter counts the chapter's terms (:data:`CHAPTER_TERMS`) in every central Chinese document of the build, under
three counting modes, with and without names and citations, and by the sense of 安全; it lists the keyword-in-context
lines behind every count and the density of security vocabulary over time. Every function works on any corpus,
the empty one included (its tables then say "none in this build").
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown
from matplotlib.figure import Figure

from analysis import counting
from analysis.counting import names
from analysis.evidence import ledger
from analysis.evidence.facts import load_facts
from analysis.present import chapters
from analysis.present.labels import document_labels
from analysis.present.tables import BookTable, table
from analysis.sections import profiles, translation

#: The two plans the article counts in, in order of issue.
PLANS: tuple[str, ...] = ("internet_plus_ai_2016", "ngaidp_2017")
#: The terms this chapter counts, in the order of its tables.
CHAPTER_TERMS: tuple[str, ...] = ("安全", "国家安全", "网络安全", "国防", "军民融合")
#: The measures of the density figure (:data:`analysis.sections.profiles.PROFILE_MEASURES`).
MEASURES: tuple[str, ...] = ("anquan_all", "anquan_security", "national_security", "security_vocabulary", "development")
#: Keyword-in-context lines shown per document and term.
KWIC_LIMIT = 40
LEDGER_FILE = "section3_labelling.csv"
NOT_COUNTED = "the document is not available in this build"


def central_documents(corpus: pd.DataFrame) -> pd.DataFrame:
    """The central Chinese documents of ``corpus``, in order of issue."""
    return chapters.chinese_documents(corpus, level="central")


def plan_availability(corpus: pd.DataFrame, cover: pd.DataFrame) -> Markdown:
    """One line per plan of :data:`PLANS`: available (its length and origin) or why not."""
    labels, rows = document_labels(), cover.set_index("doc_id")
    lines = []
    for doc_id in PLANS:
        row = rows.loc[doc_id]
        if doc_id in set(corpus["doc_id"]):
            lines.append(
                f"- **{labels[doc_id]}**: available ({int(row['chars']):,} characters, from the {row['source']})."
            )
        else:
            lines.append(f"- **{labels[doc_id]}**: *not reproducible here*, {NOT_COUNTED} ({row['status']}).")
    return Markdown("\n".join(lines))


def article_counts_table(evaluated: pd.DataFrame) -> BookTable:
    """The article's counts in the two plans (ledger claims of section 3) and the counts of this build."""
    claims = ledger.term_count_claims(evaluated, document_labels(), file=LEDGER_FILE)
    return table(
        claims.replace({"computed in this build": {"—": pd.NA}}),
        "The article's counts of security terms in the two plans, as reported, and as counted in this build.",
        name="tbl-labelling-article-counts",
        na=NOT_COUNTED,
        csv_only=("claim_id", "doc_id"),
    )


def translation_table(corpus: pd.DataFrame) -> BookTable:
    """The English counts in the translation of the 2017 plan, beside the numbers the article reports."""
    texts = corpus.set_index("doc_id")["text"]
    text = texts.get(translation.TRANSLATION_DOC)
    counts = translation.translation_counts(text).rename(
        columns={"count": "count in the translation (this build)", "article_reports": "the article reports"}
    )
    return table(
        counts.set_index("term"),
        "Counts in the New America translation of the 2017 plan (the book's English rule: whole words, "
        "case-insensitive, every occurrence) beside the numbers the article reports.",
        name="tbl-labelling-translation",
        na="the translation is not available in this build, so nothing is counted",
    )


def _span(docs: pd.DataFrame) -> str:
    if docs.empty:
        return "none is available in this build"
    return f"{len(docs)} documents issued {docs['date'].min()} to {docs['date'].max()}"


def counting_methods_table(central: pd.DataFrame) -> BookTable:
    """Per central document: date, genre, length and the count of every chapter term in every mode."""
    return table(
        chapters.count_modes_table(central, list(CHAPTER_TERMS)),
        f"The chapter's terms in every central Chinese document of this build ({_span(central)}), counted in the "
        "three modes: inclusive, net of longer listed terms, and as jieba tokens.",
        name="tbl-labelling-methods",
        csv="counting_methods.csv",
    )


def names_table(central: pd.DataFrame) -> BookTable:
    """Inclusive counts of the chapter's terms with and without names and citations (law titles, agencies …)."""
    counts = names.counts_with_without(central, list(CHAPTER_TERMS))
    wide = counts.pivot(index="doc_id", columns="term", values=["with_names", "without_names"])
    wide = wide.reindex(central["doc_id"])
    gloss = chapters.glosses()
    order = [(w, t) for t in CHAPTER_TERMS for w in ("with_names", "without_names") if (w, t) in wide.columns]
    wide = wide.loc[:, order]
    wide.columns = [f"{t} {gloss[t]} ({'with' if w == 'with_names' else 'without'} names)" for w, t in order]
    return table(
        wide,
        "Inclusive counts of the chapter's terms with and without the occurrences inside names and citations "
        "(rules in data/argument/names_citations.csv).",
        name="tbl-labelling-names",
        csv="names_with_without.csv",
    )


def terms_table() -> BookTable:
    """The term list (``data/terms.csv``): pinyin, gloss, category and counting rule of each term."""
    terms = counting.load_terms().loc[:, ["term", "pinyin", "gloss_en", "category", "rule"]]
    return table(
        terms.rename(columns={"term": "term (Chinese)", "gloss_en": "gloss"}),
        "The book's Chinese term list (data/terms.csv): each term with its pinyin, English gloss, category and "
        "counting rule.",
        name="tbl-labelling-terms",
        index=False,
    )


def sense_rules_table() -> BookTable:
    """The rules that give each occurrence of 安全 a sense (``data/anquan_senses.csv``)."""
    return table(
        counting.load_sense_rules().set_index("pattern"),
        "The rules that give an occurrence of 安全 a sense by its collocation (data/anquan_senses.csv), with their "
        "priority and rationale.",
        name="tbl-labelling-sense-rules",
    )


def senses(central: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.counting.sense_summary` of the central documents, in their order of issue."""
    return chapters.in_order(counting.sense_summary(central), central)


SENSE_HEADERS = {
    "all": "安全 all occurrences",
    "security_or_ambiguous": "security or ambiguous",
    "security": "security sense only",
    "safety": "safety sense",
    "unmatched": "no rule (counted ambiguous)",
}


def senses_table(summary: pd.DataFrame) -> BookTable:
    """Per document, the count of 安全 under three readings (all, security or ambiguous, security only)."""
    shown = summary.set_index("doc_id").loc[:, list(SENSE_HEADERS)].rename(columns=SENSE_HEADERS)
    return table(
        shown,
        "安全 in each central Chinese document: every occurrence, the occurrences in the security or an ambiguous "
        "sense, and in the security sense only.",
        name="tbl-labelling-senses",
        csv="anquan_senses_by_document.csv",
    )


#: The senses of 安全 as the table of senses by names calls them.
SENSE_NAMES = {"security": "security", "ambiguous": "ambiguous (or no rule)", "safety": "safety"}


def senses_by_names_table(central: pd.DataFrame) -> BookTable:
    """The occurrences of 安全 by sense and by where they stand: inside each kind of name or citation, or outside."""
    counts = names.senses_by_names(central)
    counts.columns = [
        f"inside: {names.KINDS[k]}" if k in names.KINDS else "outside names and citations" for k in counts
    ]
    counts["all"] = counts.sum(axis=1)
    counts.loc["all senses"] = counts.sum()
    counts.index = pd.Index([SENSE_NAMES.get(i, i) for i in counts.index], name="sense of 安全")
    return table(
        counts,
        f"安全 in the central Chinese documents of this build ({_span(central)}) by its sense and by where it stands: "
        "inside each kind of name or citation (the title of a law, an agency, the legal list of prohibited content "
        "…), or outside them.",
        name="tbl-labelling-senses-names",
        csv="anquan_senses_by_names.csv",
    )


def senses_figure(summary: pd.DataFrame) -> Figure:
    """:func:`analysis.present.plotting.counts.plot_sense_breakdown`, documents named by title."""
    from analysis.present.plotting.counts import plot_sense_breakdown

    return plot_sense_breakdown(summary, labels=document_labels())


def rule_usage_table(central: pd.DataFrame) -> BookTable:
    """The sense rules that decided occurrences in this build, most used first."""
    usage = counting.sense_rule_usage(central)
    usage = usage[usage["occurrences"] > 0]
    usage = usage.sort_values(["occurrences", "pattern"], ascending=[False, True], kind="mergesort")
    return table(
        usage.set_index("pattern"),
        "The sense rules that decided the occurrences of 安全 in this build, most used first (rules that never "
        "applied are left out).",
        name="tbl-labelling-rule-usage",
    )


def kwic_tables(central: pd.DataFrame, *, limit: int = KWIC_LIMIT) -> list[BookTable]:
    """One table of keyword-in-context lines per chapter term: at most ``limit`` lines per document, each line
    with its document, position and context (for 安全, its sense and the rule that decided it)."""
    gloss, out = chapters.glosses(), []
    for term in CHAPTER_TERMS:
        lines = counting.sense_kwic(central, term) if term == "安全" else counting.kwic(central, term)
        shown = lines.groupby("doc_id", sort=False).head(limit) if len(lines) else lines
        cut = f"; at most {limit} per document shown" if len(shown) < len(lines) else ""
        out.append(
            table(
                shown.reset_index(drop=True),
                f"{term} ({gloss[term]}) in context: {len(lines)} lines in all{cut}.",
                name=f"tbl-labelling-kwic-{CHAPTER_TERMS.index(term) + 1}",
                csv=f"kwic_{CHAPTER_TERMS.index(term) + 1}.csv",
                na="no rule applies",
            )
        )
    return out


def three_steps_table() -> BookTable:
    """The three steps of the 2017 plan with its industry targets (a sourced fact table)."""
    steps = load_facts("ngaidp_three_steps").set_index("step")
    columns = ["step_zh", "step_en", "year", "goal_en", "core_ai_industry_target_rmb_bn"]
    shown = steps.loc[:, [*columns, "related_industries_target_rmb_bn", "source"]].rename(
        columns={
            "core_ai_industry_target_rmb_bn": "core AI industry (RMB bn)",
            "related_industries_target_rmb_bn": "related industries (RMB bn)",
        }
    )
    return table(
        shown,
        "The three steps of the 2017 plan in our words, with the industry targets it sets (billions of yuan).",
        name="tbl-labelling-three-steps",
    )


def profile(central: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.sections.profiles.security_profile` of the central documents with their date and genre, in
    order of issue."""
    table_ = profiles.security_profile(central).join(central.set_index("doc_id")[["date", "genre"]], on="doc_id")
    return table_.sort_values(["date", "doc_id"], kind="mergesort").reset_index(drop=True)


def _measure_header(measure: str) -> str:
    zh, en = profiles.PROFILE_MEASURES[measure]
    return f"{zh} {en} per 10k".replace("\n", " ")


def profile_table(profile_: pd.DataFrame) -> BookTable:
    """Per central document: date, genre, length and the five measures per 10,000 characters."""
    columns = ["doc_id", "date", "genre", "chars", *(f"{m}_per_10k" for m in MEASURES)]
    shown = profile_[columns].rename(columns={f"{m}_per_10k": _measure_header(m) for m in MEASURES})
    return table(
        shown.set_index("doc_id").round(1),
        "Security vocabulary per 10,000 characters in every central Chinese document of this build, in order of issue.",
        name="tbl-labelling-profile",
        csv="security_profile.csv",
    )


def density_figure(profile_: pd.DataFrame) -> Figure:
    """:func:`analysis.present.plotting.counts.plot_density_timeline` of the five measures, 2015–2025."""
    from analysis.present.plotting.counts import plot_density_timeline

    series = [(f"{m}_per_10k", *profiles.PROFILE_MEASURES[m]) for m in MEASURES]
    return plot_density_timeline(profile_, series, start_year=2015, end_year=2025)


def density_summary(profile_: pd.DataFrame, cover: pd.DataFrame) -> Markdown:
    """The years the build covers and the central documents it lacks (by title)."""
    labels = document_labels()
    central = cover[(cover["level"] == "central") & (cover["language"] == "zh")]
    missing = central[central["status"] != "available"].sort_values(["date", "doc_id"], kind="mergesort")
    years = sorted(profile_["date"].str[:4].unique())
    lacking = "; ".join(labels.get(d, d) for d in missing["doc_id"]) or "none"
    lines = [
        f"- Central Chinese documents in this build: {len(profile_)}, issued in {', '.join(years) or 'no year'}.",
        f"- Central Chinese documents of the manifest not available here: {len(missing)} ({lacking}).",
    ]
    return Markdown("\n".join(lines))
