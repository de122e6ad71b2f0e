"""The mirror chapter (``notebooks/us_china_mirror.ipynb``, the article's section 2 as an extension): US federal AI
documents beside China's, each table, figure and sentence from one call.

The chapter says which US and Chinese documents the build holds, counts security vocabulary on both sides (Chinese
per 10,000 characters, English per 10,000 words, never on one scale), counts the English terms one by one, asks
whether each side names the other (with keyword-in-context lines through the one table renderer,
:func:`analysis.present.chapters.concept_kwic`), and gives the section 2 claims of the ledger. Every function works
on any corpus, the empty one included.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown
from matplotlib.figure import Figure

from analysis import counting
from analysis.corpus import select
from analysis.present import chapters
from analysis.present.chapter import md
from analysis.present.labels import document_labels
from analysis.present.pages.appendices import LEDGER_HEADERS
from analysis.present.tables import BookTable, table
from analysis.sections import profiles

LEDGER_FILE = "section2_mirror.csv"
SIDES: dict[str, str] = {"zh": "China", "en": "US"}
#: The lanes of the coverage figure, top to bottom: (lane, Chinese label, English label).
LANES: tuple[tuple[str, str, str], ...] = (
    ("us_federal", "美国联邦", "US federal"),
    ("zh_central", "中国中央", "Chinese central"),
    ("zh_local", "中国地方", "Chinese local (provinces, cities)"),
)
#: The concepts of "does each side name the other?", the other side first.
NAMING: tuple[str, ...] = ("counterpart", "foreign", "adversary", "threat", "competition")
#: Concepts whose keyword-in-context lines are shown, with the most lines per term and document (None: all).
KWIC_CONCEPTS: tuple[tuple[str, int | None], ...] = (
    ("counterpart", None),
    ("foreign", 20),
    ("adversary", 20),
    ("threat", 20),
)
NOT_COUNTED = "the document is not available in this build"


def _lane(level: str) -> str:
    group = select.level_group(level)
    return "us_federal" if group == "federal" else "zh_central" if group == "central" else "zh_local"


# --------------------------------------------------------------------------------------------- what the build holds


def holdings(cover: pd.DataFrame) -> Markdown:
    """Per side (US federal, Chinese central, Chinese local): documents in the manifest, available, missing."""
    originals = cover[cover["genre"] != "translation"]
    lines = []
    for lane, _, label in LANES:
        part = originals[originals["level"].map(_lane) == lane]
        n = int((part["status"] == "available").sum())
        lines.append(
            f"- **{label}**: {len(part)} documents in the manifest, {n} available in this build, {len(part) - n} not."
        )
    if not (cover["status"] == "available").any():
        lines.append(
            "- *Not reproducible here: no document of the manifest is available in this build*; the tables and figures "
            "below are empty and say so."
        )
    return md("\n".join(lines))


def us_documents_table(cover: pd.DataFrame, corpus: pd.DataFrame) -> BookTable:
    """Every US federal document of the manifest: date, genre, status and, when available, its length in words."""
    us = cover[cover["level"] == select.FEDERAL_LEVEL].sort_values(["date", "doc_id"], kind="mergesort")
    texts = corpus.set_index("doc_id")["text"] if len(corpus) else pd.Series(dtype=object)
    words = [int(counting.count_words(texts[d])) if d in texts.index else pd.NA for d in us["doc_id"]]
    shown = us.loc[:, ["doc_id", "date", "genre", "status"]].assign(words=words)
    return table(
        shown.replace({"date": {"": pd.NA}}),
        "The US federal AI documents of the manifest, with their status in this build and their length in words.",
        name="tbl-mirror-us-documents",
        index=False,
        na="not known (no date in the manifest, or the text is not available in this build)",
    )


def coverage_figure(cover: pd.DataFrame) -> Figure:
    """:func:`analysis.present.plotting.mirror.plot_coverage` of every original document (translations left out)."""
    from analysis.present.plotting.mirror import plot_coverage

    originals = cover[cover["genre"] != "translation"]
    return plot_coverage(
        originals.assign(lane=originals["level"].map(_lane)), list(LANES), start_year=2015, end_year=2025
    )


def coverage_notes(cover: pd.DataFrame, corpus: pd.DataFrame) -> Markdown:
    """The US documents missing here, the documents the figure leaves out for want of a date, and the Chinese local
    texts available (by title)."""
    labels = document_labels()
    us = cover[cover["level"] == select.FEDERAL_LEVEL]
    missing = us[us["status"] != "available"].sort_values(["date", "doc_id"], kind="mergesort")
    undated = cover[cover["date"].astype(str).str.strip() == ""].sort_values("doc_id")
    local = corpus[select.is_local(corpus)] if len(corpus) else corpus

    def names(ids: pd.Series) -> str:
        return "; ".join(labels.get(d, d) for d in ids) or "none"

    local_text = "; ".join(f"{labels.get(d, d)} ({g})" for d, g in zip(local["doc_id"], local["genre"], strict=True))
    return md(
        f"US federal documents missing here: {names(missing['doc_id'])}.\n\n"
        f"Left out of {{numref}}`fig-mirror-coverage` for want of a date in the manifest: {names(undated['doc_id'])}.\n\n"
        f"Chinese local texts available (the comparison below takes central documents only): {local_text or 'none'}."
    )


# ------------------------------------------------------------------------------------------- terms and concepts


def terms_table() -> BookTable:
    """The English term list (``data/terms_en.csv``): definition, category, rule, and whether it is security vocabulary."""
    terms = counting.load_terms(language="en").loc[:, ["term", "definition", "category", "rule"]]
    in_vocabulary = terms["category"].isin(counting.SECURITY_VOCABULARY_CATEGORIES_EN).map({True: "yes", False: "no"})
    return table(
        terms.assign(**{"security vocabulary": in_vocabulary}).rename(columns={"term": "term (English)"}),
        "The book's English term list (data/terms_en.csv): each term's definition, category and matching rule, and "
        "whether it counts as English security vocabulary.",
        name="tbl-mirror-terms",
        index=False,
    )


def concepts_table() -> BookTable:
    """The concept map (``data/concept_map.csv``): each concept with its Chinese and English terms."""
    concepts = counting.concept_table().drop(columns="concept")
    headers = {"concept_en": "concept", "terms_zh": "Chinese terms", "terms_en": "English terms"}
    return table(
        concepts.rename(columns=headers).set_index("concept"),
        "The concepts that set the Chinese and the English term lists side by side (data/concept_map.csv): an "
        "analytical choice, not a translation.",
        name="tbl-mirror-concepts",
    )


# ------------------------------------------------------------------------------ security vocabulary on one axis


def documents(corpus: pd.DataFrame) -> pd.DataFrame:
    """The Chinese central and US federal documents of ``corpus`` (no translation), by date."""
    chosen = corpus[
        corpus["language"].isin(list(SIDES))
        & corpus["level"].isin([select.CENTRAL_LEVEL, select.FEDERAL_LEVEL])
        & (corpus["genre"] != "translation")
    ]
    return chosen.sort_values(["date", "doc_id"], kind="mergesort").reset_index(drop=True)


def profile(docs: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.sections.profiles.mirror_profile` of ``docs`` in their order, numbered, with side, date, genre."""
    out = profiles.mirror_profile(docs).set_index("doc_id").reindex(docs["doc_id"]).reset_index()
    out.insert(0, "no.", [str(i + 1) for i in range(len(out))])
    return out.assign(side=out["language"].map(SIDES), date=docs["date"].tolist(), genre=docs["genre"].tolist())


DENSITY_HEADERS = {
    "security_vocabulary": "security vocabulary",
    "security_vocabulary_per_10k": "security vocabulary per 10k",
    "security_vocabulary_with_offices_per_10k": "… office names included, per 10k",
    "national_security": "国家安全 / national security",
    "national_security_per_10k": "国家安全 / national security per 10k",
}


def density_table(profile_: pd.DataFrame) -> BookTable:
    """Per document: side, date, genre, size and the security vocabulary per 10,000 characters or words."""
    shown = profile_.loc[:, ["no.", "doc_id", "side", "date", "genre", "size", "unit", *DENSITY_HEADERS]]
    return table(
        shown.rename(columns=DENSITY_HEADERS).set_index("no.").round(1),
        "Security vocabulary of every available Chinese central and US federal document, per 10,000 characters "
        "(Chinese) or words (English), by date; the numbers key the figure.",
        name="tbl-mirror-density",
        csv="mirror_density.csv",
    )


def genres_table(profile_: pd.DataFrame) -> BookTable:
    """Available documents by type and side."""
    genres = pd.crosstab(profile_["genre"], profile_["side"]).reindex(columns=list(SIDES.values()), fill_value=0)
    genres.columns.name = None
    return table(
        genres.rename_axis("document type"),
        "The available documents of the comparison by type (the manifest's genre) and side.",
        name="tbl-mirror-genres",
    )


def genres_sentence(profile_: pd.DataFrame) -> Markdown:
    """Which document types occur on both sides; none: every comparison across the panels compares unlike documents."""
    genres = pd.crosstab(profile_["genre"], profile_["side"]).reindex(columns=list(SIDES.values()), fill_value=0)
    shared = [g for g in genres.index if (genres.loc[g] > 0).all()]
    if profile_.empty:
        return md("*Not reproducible here*: no Chinese central or US federal document is available in this build.")
    if shared:
        return md(f"Types found on both sides: {', '.join(shared)}.")
    return md(
        "**No document type occurs on both sides in this build**, so every comparison across the two panels of "
        "{numref}`fig-mirror-density` compares unlike documents."
    )


def density_figure(profile_: pd.DataFrame) -> Figure:
    """:func:`analysis.present.plotting.mirror.plot_mirror_density`, documents numbered as in the density table."""
    from analysis.present.plotting.mirror import plot_mirror_density

    return plot_mirror_density(profile_, labels=dict(zip(profile_["doc_id"], profile_["no."], strict=True)))


# ---------------------------------------------------------------------------------- term by term, US documents


def us_terms_table(docs: pd.DataFrame) -> BookTable:
    """Every English term in every available US document: the inclusive count and the net count beside it."""
    us = docs[docs["language"] == "en"]
    terms = counting.load_terms(language="en")
    inclusive = counting.document_term_matrix(us, terms["term"].tolist()).T
    net = counting.document_term_matrix(us, terms["term"].tolist(), mode="net", longer=terms["term"].tolist()).T
    wide = pd.concat({"inclusive": inclusive, "net": net}, axis=1).swaplevel(axis=1)
    wide = wide.reindex(columns=[(d, m) for d in us["doc_id"] for m in ("inclusive", "net")])
    wide.columns = [f"{d} ({m})" for d, m in wide.columns]
    wide.insert(0, "category", terms.set_index("term")["category"].reindex(wide.index))
    return table(
        wide.rename_axis("term"),
        "Every English term in every available US document: the inclusive count (every whole-word match) and the "
        "net count (matches inside longer listed terms left out).",
        name="tbl-mirror-us-terms",
        csv="mirror_us_terms.csv",
    )


def words_sentence(docs: pd.DataFrame) -> Markdown:
    """The length in words of every available US document (by title)."""
    labels = document_labels()
    words = counting.document_words(docs[docs["language"] == "en"])
    listed = ", ".join(f"{labels.get(d, d)} {n:,}" for d, n in words.items())
    return md(f"Words per US document: {listed or 'no US document in this build'}.")


# ------------------------------------------------------------------------------------------ naming the other side


def naming(docs: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.counting.concept_counts` of :data:`NAMING` in ``docs`` (one row per document and concept)."""
    return counting.concept_counts(docs, list(NAMING))


def naming_table(docs: pd.DataFrame, counts: pd.DataFrame) -> BookTable:
    """Per document: side, type and the matches of each naming concept."""
    label = dict(zip(*[counting.load_concept_map()[c] for c in ("concept", "concept_en")], strict=False))
    wide = counts.pivot(index="doc_id", columns="concept", values="count").reindex(
        index=docs["doc_id"], columns=list(NAMING)
    )
    wide.columns = [label[c] for c in NAMING]
    meta = docs.set_index("doc_id")
    wide.insert(0, "side", meta["language"].map(SIDES))
    wide.insert(1, "type", meta["genre"])
    return table(
        wide,
        'Matches of the concept "naming the other side" and four neighbouring concepts in every available document, '
        "each term counted once within its concept.",
        name="tbl-mirror-naming",
        csv="mirror_naming.csv",
    )


def naming_sides(counts: pd.DataFrame) -> Markdown:
    """Per side: how many documents name the other, and how many mentions in all."""
    named = counts[counts["concept"] == "counterpart"]
    lines = []
    for lang, side, other in (("en", "US", "China"), ("zh", "Chinese", "the United States")):
        part = named[named["language"] == lang]
        if part.empty:
            lines.append(f"- No {side} document in this build.")
            continue
        n, mentions = int((part["count"] > 0).sum()), int(part["count"].sum())
        lines.append(f"- {side} documents that name {other}: {n} of {len(part)} ({mentions} mentions in all).")
    return md("\n".join(lines))


def naming_by_type_table(docs: pd.DataFrame, counts: pd.DataFrame) -> BookTable:
    """Per side and type: the documents, those naming the other side, and the mentions."""
    meta = docs.set_index("doc_id")
    named = counts[counts["concept"] == "counterpart"].assign(
        side=lambda d: d["doc_id"].map(meta["language"]).map(SIDES), type=lambda d: d["doc_id"].map(meta["genre"])
    )
    grouped = named.groupby(["side", "type"], sort=True)["count"]
    shown = grouped.agg(documents="size", naming_the_other=lambda s: int((s > 0).sum()), mentions="sum")
    return table(
        shown.rename(columns={"naming_the_other": "naming the other side"}),
        "Documents of this build by side and type, those that name the other side at least once, and the mentions.",
        name="tbl-mirror-naming-types",
    )


def kwic_blocks(docs: pd.DataFrame) -> list[str | BookTable]:
    """The keyword-in-context lines of :data:`KWIC_CONCEPTS`, each term's lines a numbered table."""
    cmap = counting.load_concept_map()
    blocks: list[str | BookTable] = []
    for concept, limit in KWIC_CONCEPTS:
        blocks += chapters.concept_kwic(docs, concept, name=f"tbl-mirror-kwic-{concept}", limit=limit, concept_map=cmap)
    return blocks


def naming_summary(counts: pd.DataFrame) -> Markdown:
    """:func:`analysis.sections.profiles.naming_summary`: the finding in words, for the texts of this build."""
    return md(profiles.naming_summary(counts))


# ------------------------------------------------------------------------------------------------ the claims


def claims_table(evaluated: pd.DataFrame) -> BookTable:
    """The section 2 claims of the ledger, with their status in this build."""
    claims = chapters.ledger_rows(evaluated, LEDGER_FILE)
    columns = ["claim", "section", "article_value", "reproduced_value", "status", "explanation", "claim_id"]
    view = claims.loc[:, columns].replace({"reproduced_value": {"": pd.NA}}).rename(columns=LEDGER_HEADERS)
    return table(
        view.reset_index(drop=True),
        "The article's section 2 claims in the ledger: as reported, as computed in this build, and their status.",
        name="tbl-mirror-claims",
        na="nothing was computed in this build (the explanation says why)",
        csv_only=("claim_id",),
    )


def cannot_show(cover: pd.DataFrame, profile_: pd.DataFrame) -> Markdown:
    """What the comparison cannot show in this build, computed from what it holds."""
    labels = document_labels()
    status = cover.set_index("doc_id")["status"]
    cited = ("us_nscai_interim_2019", "us_crs_ai_natsec_2020")
    missing = [labels[d] for d in cited if status.get(d) != "available"]
    dated = profile_["date"].astype(str).str[:4]
    before = int((dated <= "2020").sum())
    lines = [
        "- **The article's section 2 evidence.** "
        + (
            f"*Not reproducible here*: {'; '.join(missing)} {'is' if len(missing) == 1 else 'are'} not available in "
            "this build, nor the commentary it quotes."
            if missing
            else "The reports it cites are available."
        ),  # fmt: skip
        "- **Levels across languages.** Characters and words are different units, and the concept map pairs terms by "
        "analytical choice, not as translations: no Chinese density is ever set on an English scale.",
        f"- **The period the article studies.** {before} of the {len(profile_)} documents compared here were issued "
        "up to 2020; the rest are later than the article."
        if len(profile_)
        else "- **The period the article studies.** *Not reproducible here*: no document is compared in this build.",
    ]
    return md("\n".join(lines))
