"""The chapter beyond the count (``notebooks/beyond_the_count.ipynb``): who is told security things, how exceptional
the language is, whose words it repeats; each table, figure and sentence from one call.

:func:`compute` runs the three analyses of :mod:`analysis.evidence.beyond` once on the build's Chinese AI, control
and reference texts; the functions below give each result to readers, documents by title. Every function works on
the empty corpus too (its tables then say "none in this build", its sentences what cannot be shown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from IPython.display import Markdown
from matplotlib.figure import Figure

from analysis.corpus import select
from analysis.evidence import ledger
from analysis.evidence.beyond import addressees, common, grammar, provenance
from analysis.present.labels import document_labels, name_documents
from analysis.present.tables import BookTable, table

#: The article's own plans, which enter these analyses only with a reader's full corpus.
PLANS: tuple[str, ...] = ("internet_plus_ai_2016", "ngaidp_2017")
_CODE_ID = re.compile(r"`([a-z0-9_]+)`")


def _titles(text: str) -> Markdown:
    """``text`` as Markdown with every document id (bare or in a code span) replaced by its title."""
    labels = document_labels()
    text = _CODE_ID.sub(lambda m: labels.get(m.group(1), m.group(0)), text)
    return Markdown(str(name_documents(text, labels)))


@dataclass(frozen=True)
class Beyond:
    """The three analyses of one corpus: clauses and their addressees, markers per text, 安全 by provenance."""

    corpus: pd.DataFrame
    clauses: pd.DataFrame
    recipients: pd.DataFrame
    counts: pd.DataFrame
    occurrences: pd.DataFrame

    @property
    def summary(self) -> pd.DataFrame:
        return addressees.addressee_summary(self.clauses)

    @property
    def texts(self) -> pd.DataFrame:
        return provenance.text_summary(self.occurrences)


def compute(corpus: pd.DataFrame) -> Beyond:
    """The three analyses on ``corpus`` (the AI, control and reference texts of the build)."""
    return Beyond(
        corpus,
        addressees.addressee_table(corpus),
        addressees.document_recipients(corpus),
        grammar.grammar_counts(corpus),
        provenance.provenance_table(corpus),
    )


def holdings(b: Beyond) -> Markdown:
    """:func:`analysis.evidence.beyond.common.holdings`: the Chinese AI, control and reference texts, laws by title."""
    return _titles(common.holdings(b.corpus))


# ---------------------------------------------------------------------------------------------------- addressees
def addressee_rules_table() -> BookTable:
    """The addressee rules (``data/argument/addressees.csv``)."""
    return table(
        addressees.rules_table(),
        "The addressee rules (data/argument/addressees.csv): each class of addressee with an example, its pinyin and "
        "gloss, and the pattern that names it in subject position.",
        name="tbl-beyond-addressee-rules",
    )


def addressee_table(b: Beyond) -> BookTable:
    """Security language by addressee, AI against control texts."""
    return table(
        addressees.reader_summary(b.summary),
        "Security language by the addressee of the clause, in the AI and the control texts: clauses, clauses with "
        "security words, 安全 outside names and citations (count and share of the topic's), 国家安全 and all "
        "security words.",
        name="tbl-beyond-addressees",
        csv="addressees_by_class.csv",
        na="no 安全 outside names in these texts",
    )


def addressee_figure(b: Beyond) -> Figure:
    """:func:`analysis.present.plotting.beyond.addressee_figure` of the build."""
    from analysis.present.plotting.beyond import addressee_figure as draw

    return draw(b.summary, addressees.LABELS)


def addressee_paragraph(b: Beyond) -> Markdown:
    """:func:`analysis.evidence.beyond.addressees.paragraph`, documents by title."""
    return _titles(addressees.paragraph(b.clauses, b.recipients))


def recipients_table(b: Beyond) -> BookTable:
    """Per text: the organs its 主送机关 names and the security language it carries."""
    return table(
        addressees.reader_recipients(b.recipients),
        "Each AI and control text of this build: the organs its recipient line (主送机关) names, and the security "
        "language it carries.",
        name="tbl-beyond-recipients",
        csv="addressees_by_text.csv",
        na="no recipient line (a regulation has none)",
    )


def addressee_audit_table(b: Beyond) -> BookTable:
    """Every clause with security words, its addressee, why, and its opening characters."""
    return table(
        addressees.audit(b.clauses, b.corpus),
        "The audit: every clause with security words, the addressee it was given and on what basis, and its opening "
        "characters.",
        name="tbl-beyond-addressee-audit",
        csv="addressees_audit.csv",
    )


# ------------------------------------------------------------------------------------------------------- grammar
def markers_table(b: Beyond) -> BookTable:
    """Priority markers and balancing formulas, and their use in each topic."""
    return table(
        grammar.reader_markers(b.counts),
        "Priority markers and balancing formulas (data/argument/exceptionality_grammar.csv), each with its pinyin and "
        "meaning, and its occurrences (texts) in the AI and the control texts of this build.",
        name="tbl-beyond-markers",
        csv="exceptionality_markers.csv",
    )


def grammar_texts_table(b: Beyond) -> BookTable:
    """Per text: the markers of each kind it uses."""
    return table(
        grammar.reader_counts(b.counts),
        "Each AI and control text: its level and genre group, length, and the priority markers and balancing "
        "formulas it uses.",
        name="tbl-beyond-grammar-texts",
        csv="exceptionality_by_text.csv",
    )


def grammar_strata_table(b: Beyond) -> BookTable:
    """Per stratum (level and genre group) and topic: how many texts use each grammar."""
    return table(
        grammar.reader_strata(b.counts),
        "Like with like: the texts of each stratum (level of government and group of genres) and how many of them "
        "use each grammar.",
        name="tbl-beyond-grammar-strata",
        csv="exceptionality_by_stratum.csv",
    )


def grammar_figure(b: Beyond) -> Figure:
    """:func:`analysis.present.plotting.beyond.grammar_figure` of the build."""
    from analysis.present.plotting.beyond import grammar_figure as draw

    return draw(grammar.grammar_summary(b.counts), grammar.KINDS)


def grammar_paragraph(b: Beyond) -> Markdown:
    """:func:`analysis.evidence.beyond.grammar.paragraph`."""
    return _titles(grammar.paragraph(b.counts))


# ---------------------------------------------------------------------------------------------------- provenance
def provenance_table(b: Beyond) -> BookTable:
    """Per text: its 安全 in names, shared with an earlier law or control text, or new."""
    return table(
        provenance.reader_texts(b.texts),
        "Where each text's 安全 comes from: inside names and citations, in a phrase shared with an earlier reference "
        "law or control text, or new to this build's sources.",
        name="tbl-beyond-provenance",
        csv="provenance_by_text.csv",
        na="no 安全 outside names to judge",
    )


def provenance_figure(b: Beyond) -> Figure:
    """:func:`analysis.present.plotting.beyond.provenance_figure` of the build."""
    from analysis.present.plotting.beyond import provenance_figure as draw

    return draw(b.texts, document_labels(), provenance.STATUSES)


def provenance_paragraph(b: Beyond) -> Markdown:
    """:func:`analysis.evidence.beyond.provenance.paragraph`, the sources by title."""
    docs = common.chinese_documents(b.corpus, topics=provenance.SOURCE_TOPICS)
    sources = [s.doc_id for s in provenance.load_sources(docs)]
    return _titles(provenance.paragraph(b.occurrences, sources))


def provenance_audit_table(b: Beyond) -> BookTable:
    """Every shared occurrence with its source, the shared phrase and its context."""
    return table(
        provenance.audit(b.occurrences, b.corpus),
        "The audit: every 安全 in a phrase shared with an earlier text, with its source, the shared 8-character phrase "
        "and fourteen characters on either side.",
        name="tbl-beyond-provenance-audit",
        csv="provenance_audit.csv",
    )


# -------------------------------------------------------------------------------------------- ledger and limits
def ledger_table(b: Beyond) -> BookTable:
    """The extension tier of the ledger, evaluated on the build's AI texts."""
    claims = ledger.load_ledger()
    ours = ledger.evaluate_ledger(
        select.select_topic(b.corpus, select.AI), ledger=claims[claims["tier"] == ledger.EXTENSION]
    )
    shown = ours.loc[:, ["claim", "article_value", "reproduced_value", "status", "explanation", "claim_id"]]
    return table(
        shown.rename(columns={"article_value": "our finding", "reproduced_value": "computed in this build"}),
        "The book's own findings as the ledger states them (tier extension, data/ledger/extension.csv), with the value "
        "computed in this build and their status.",
        name="tbl-beyond-ledger",
        csv="extension_claims.csv",
        na="nothing computed in this build (the explanation says why)",
        csv_only=("claim_id",),
    )


def cannot_show(b: Beyond) -> Markdown:
    """What this build lacks for the three analyses: texts of each topic, the reference laws, the article's plans."""
    docs = common.chinese_documents(b.corpus, None, (*common.COMPARED, select.REFERENCE))
    labels, present = document_labels(), set(docs["doc_id"])
    lines = []
    for topic, what in ((select.AI, "AI text"), (select.CONTROL, "control text"), (select.REFERENCE, "reference law")):
        if not select.is_topic(docs, topic).any():
            lines.append(f"- Not reproducible here: {common.NO_TEXT.format(what=what)}.")
    plans = [labels.get(d, d) for d in PLANS if d not in present]
    if plans:
        lines.append(
            f"- The article's plans are not available in this build ({'; '.join(plans)}): the analyses speak to the "
            "regulatory texts the build holds, not to the 2017 move itself."
        )
    return Markdown("\n".join(lines) or "- Every kind of text these analyses read is available in this build.")
