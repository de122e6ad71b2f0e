"""The audiences chapter (``notebooks/audiences.ipynb``, the article's section 4): its tables, figures and sentences,
each from one call.

The chapter dates the local AI plans of the manifest against the State Council plan of July 2017, compares the
security vocabulary of the local plans with the central plans', reads Shenzhen's AI regulation (2022) against the
local regulations of its own genre (:func:`analysis.sections.audiences.like_genre_regulations`), measures how much
of the local plans is copied from the 2017 plan (:mod:`analysis.counting.reuse`), and sets out the sourced tables of
the national AI team, the CNKI search behind the article's Figure 1 and the figures on the public. Every function
works on any corpus, the empty one included: its table then says "none in this build", its sentence what is missing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from IPython.display import Markdown
from matplotlib.figure import Figure

from analysis.corpus import cnki, select
from analysis.counting import names, reuse
from analysis.evidence import ledger
from analysis.evidence.facts import load_facts
from analysis.io.paths import RAW_DIR
from analysis.present.chapter import md
from analysis.present.labels import document_labels
from analysis.present.pages.appendices import LEDGER_HEADERS
from analysis.present.tables import BookTable, table
from analysis.sections import audiences

LEDGER_FILE = "section4_6.csv"
#: The 2017 plan, the source the local plans' sentences are compared with.
PLAN = "ngaidp_2017"
NOT_AVAILABLE = "the document is not available in this build"
CNKI_DIR = RAW_DIR / "cnki"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else "none"


def _count(n: int, word: str) -> str:
    """``1 plan``, ``2 plans``, ``3 companies``."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else f"{n} {word}s"


# --------------------------------------------------------------------------------------- the article's claims


def claims_table(evaluated: pd.DataFrame, sections: tuple[str, ...], *, name: str, caption: str) -> BookTable:
    """The ledger claims of :data:`LEDGER_FILE` for the article's ``sections``: the value the article reports, the
    value this build computes, the status and why (``claim_id`` in the download only)."""
    claims = evaluated[(evaluated["file"] == LEDGER_FILE) & evaluated["section"].isin(sections)]
    columns = ["claim", "article_value", "reproduced_value", "status", "explanation", "claim_id"]
    view = claims.loc[:, columns].replace({"reproduced_value": {"": pd.NA}}).rename(columns=LEDGER_HEADERS)
    return table(
        view.reset_index(drop=True),
        caption,
        name=name,
        na="nothing was computed in this build (the explanation says why)",
        csv_only=("claim_id",),
    )


def article_claims_table(evaluated: pd.DataFrame) -> BookTable:
    """The claims of sections 4 and 5 on the audiences, with their status in this build."""
    return claims_table(
        evaluated,
        ("4", "5"),
        name="tbl-audiences-claims",
        caption="The article's claims on the audiences (sections 4 and 5) in the ledger: as reported, as computed in "
        "this build, and their status.",
    )


# ---------------------------------------------------------------------------------------- local governments


def timeline(manifest: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.sections.audiences.local_plans_timeline` of ``manifest``: every local AI plan, dated."""
    return audiences.local_plans_timeline(manifest)


def timing_table(timeline_: pd.DataFrame) -> BookTable:
    """The local AI plans by timing relative to the State Council plan (every class listed)."""
    summary = audiences.timing_summary(timeline_).rename(columns={"documents": "local AI plans"})
    return table(
        summary.set_index("timing"),
        f"The {len(timeline_)} local AI plans of the manifest by their timing relative to the State Council plan "
        "(signed 8 July, published 20 July 2017), each date read as a window of possible dates.",
        name="tbl-audiences-timing",
    )


def timeline_figure(timeline_: pd.DataFrame) -> Figure:
    """:func:`analysis.present.plotting.audiences.local_plans_timeline_figure` (alt text and n from the data)."""
    from analysis.present.plotting.audiences import local_plans_timeline_figure

    return local_plans_timeline_figure(timeline_)


def _bounded(timeline_: pd.DataFrame) -> pd.DataFrame:
    return timeline_[timeline_["caveats"].str.contains("bounded by an earlier document", regex=False)]


def timing_sentence(timeline_: pd.DataFrame) -> Markdown:
    """How many local plans came after, before or undetermined; how many dates are exact or qualified; which plans are
    dated after the State Council plan because their title implements it."""
    counts = audiences.timing_summary(timeline_).set_index("timing")["documents"]
    bounded = _bounded(timeline_)
    regions = _join(list(dict.fromkeys(bounded["region"])))
    implement = (
        f" {_count(len(bounded), 'plan')} ({regions}) {'is' if len(bounded) == 1 else 'are'} known only by "
        "year, but {} titled as implementing the State Council plan, and so dated after its publication.".format(
            "is" if len(bounded) == 1 else "are"
        )
        if len(bounded)
        else ""
    )
    return md(
        f"The manifest lists {_count(len(timeline_), 'local AI plan')}: {int(counts['after'])} were issued after the "
        f"State Council plan, {int(counts['before'])} before it, and {int(counts['undetermined'])} cannot be placed "
        f"({{numref}}`fig-audiences-local-plans`). {int((timeline_['precision'] == 'day').sum())} dates are known to the "
        f"day, and {int((timeline_['caveats'] != '').sum())} carry a caveat in the manifest.{implement}"
    )


def right_after_sentence() -> Markdown:
    """The ledger's reading of "immediately after" (claim ``s5-local-plans-right-after``), computed from the manifest."""
    return md("**Immediately after?** " + ledger.claim_sentence("s5-local-plans-right-after"))


def local_plans_table(timeline_: pd.DataFrame) -> BookTable:
    """Every local AI plan with its date as the manifest gives it, the window of possible dates and its timing."""
    view = timeline_.assign(
        window=[f"{a} to {b}" if a != b else a for a, b in zip(timeline_["earliest"], timeline_["latest"], strict=True)]
    )
    shown = view.loc[:, ["doc_id", "region", "level", "date_issued", "window", "precision", "caveats", "timing"]]
    return table(
        shown.rename(columns={"date_issued": "date in the manifest", "window": "possible dates", "caveats": "caveat"}),
        "Every local AI plan of the manifest: its date as the manifest records it, the window of possible issue dates, "
        "the precision, the manifest's caveat and the timing relative to the State Council plan.",
        name="tbl-audiences-local-plans",
        index=False,
    )


def vocabulary(corpus: pd.DataFrame, manifest: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.sections.audiences.security_vocabulary_table` with and without names and citations."""
    plain = audiences.security_vocabulary_table(corpus, manifest)
    masked = audiences.security_vocabulary_table(names.masked_corpus(corpus), manifest)
    measures = ["security_vocabulary", "anquan", "guojia_anquan"]
    return plain.merge(
        masked.loc[:, ["doc_id", *measures]], on="doc_id", how="left", suffixes=("", "_without_names")
    ).astype({f"{m}_without_names": "int64" for m in measures})


def vocabulary_table(vocabulary_: pd.DataFrame, corpus: pd.DataFrame, manifest: pd.DataFrame) -> BookTable:
    """The security vocabulary of the central plans and of every available local plan, with and without names."""
    available, listed = audiences.local_texts_status(corpus, manifest)
    headers = {
        "group": "level",
        "chars": "characters",
        "security_vocabulary": "security terms",
        "per_10k": "security terms per 10,000 characters",
        "anquan": "安全 (security / safety)",
        "guojia_anquan": "国家安全 (national security)",
        "security_vocabulary_without_names": "security terms without names",
        "anquan_without_names": "安全 without names",
        "guojia_anquan_without_names": "国家安全 without names",
    }
    return table(
        vocabulary_.rename(columns=headers).set_index("doc_id"),
        f"Security vocabulary of the central plans of 2016 and 2017 and of the local AI plans available in this build "
        f"({available} of {listed} local plans), with and without names and citations (titles of laws, agency names).",
        name="tbl-audiences-vocabulary",
        csv="audiences_vocabulary.csv",
    )


def guangdong_sentence(vocabulary_: pd.DataFrame) -> Markdown:
    """Footnote 109: Guangdong's 2018 plan beside the other available local plans, or why it cannot be read."""
    label = document_labels()[audiences.GUANGDONG_2018]
    try:
        check = audiences.guangdong_exception(vocabulary_)
    except LookupError:
        return md(f"**Guangdong, footnote 109.** *Not reproducible here*: {label} is not available in this build.")
    others = (
        f"the median of the {check.other_local_plans} other local plans available here is "
        f"{check.other_local_per_10k_median:.1f}"
        if check.other_local_per_10k_median is not None
        else "no other local plan is available here to compare it with"
    )
    return md(
        f"**Guangdong, footnote 109.** {label} mentions 国家安全 (national security) "
        f"{_count(check.guangdong_guojia_anquan, 'time')}, and uses {check.guangdong_per_10k:.1f} security terms per "
        f"10,000 characters; {others}."
    )


def like_genre(corpus: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.sections.audiences.like_genre_regulations` (``corpus`` must hold the control texts)."""
    return audiences.like_genre_regulations(corpus)


LIKE_HEADERS = {
    "topic": "AI or control",
    "comparisons": "pair with the AI regulation",
    "chars": "characters",
    "all_per_10k": "安全 per 10,000 characters",
    "without_names": "安全 outside names",
    "without_names_per_10k": "outside names, per 10,000",
    "interval": "95 % interval (exact)",
    "security_without_names_per_10k": "security sense outside names, per 10,000",
}


def like_genre_table(like: pd.DataFrame) -> BookTable:
    """Shenzhen's AI regulation and the local regulations of its genre: 安全 per 10,000 characters, three measures."""
    shown = like.assign(
        interval=[
            f"{lo:.1f}–{hi:.1f}" for lo, hi in zip(like["without_names_lo"], like["without_names_hi"], strict=True)
        ],
        topic=like["topic"].map({select.AI: "AI", select.CONTROL: "control"}),
    )
    columns = ["doc_id", *LIKE_HEADERS]
    shown = shown.loc[:, columns].rename(columns=LIKE_HEADERS).set_index("doc_id").round(1)
    return table(
        shown,
        "Shenzhen's AI industry regulation (2022) and the local regulations of its genre in this build (regulations of "
        "a people's congress standing committee, 地方性法规 dìfāngxìng fǎguī): 安全 (ānquán) per 10,000 characters, "
        "every occurrence, outside names and citations (with its exact interval), and in the security sense.",
        name="tbl-audiences-like-genre",
        na="the text is not in any pair with the AI regulation",
        csv="audiences_like_genre.csv",
    )


def like_genre_sentence(like: pd.DataFrame) -> Markdown:
    """Where Shenzhen's AI regulation stands among its like-genre regulations, outside names and citations."""
    labels = document_labels()
    name = labels[audiences.SHENZHEN_2022]
    rows = like.set_index("doc_id")
    if audiences.SHENZHEN_2022 not in rows.index:
        return md(
            f"*Not reproducible here*: {name} is not available in this build, so it cannot be set beside its genre."
        )
    own = rows.at[audiences.SHENZHEN_2022, "without_names_per_10k"]
    controls = rows[select.is_topic(rows, select.CONTROL)]
    if controls.empty:
        return md(
            f"{name} has {own:.1f} 安全 per 10,000 characters outside names and citations; *not reproducible here*: no "
            "local regulation of its genre is available in this build to compare it with."
        )

    def pair(label: str) -> str:
        part = controls[controls["comparisons"].str.contains(label, regex=False)]
        listed = [f"{labels.get(d, d)} {v:.1f}" for d, v in part["without_names_per_10k"].items()]
        return f"{label}: {_join(listed)}" if listed else f"{label}: none available here"

    higher = int((controls["without_names_per_10k"] > own).sum())
    return md(
        f"Outside names and citations, {name} has {own:.1f} 安全 per 10,000 characters. Its like-genre texts: "
        f"{pair('same issuer')}; {pair('promotion regulation')}. {higher} of the {len(controls)} control regulations "
        f"of its genre in this build {'has' if higher == 1 else 'have'} a higher density, {len(controls) - higher} a "
        "lower or equal one. Each "
        "density carries an interval; whether the difference is more than the spread between documents is tested in "
        "{doc}`securitizing_move`."
    )


def reused(corpus: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.counting.reuse.reuse_summary` of every available local AI plan against the 2017 plan (no row
    when either is missing)."""
    local = select.local_ai_plans(corpus)
    source = str(corpus.set_index("doc_id")["text"].get(PLAN, ""))
    return reuse.reuse_summary(source, list(zip(local["doc_id"], local["text"], strict=True)) if source else [])


REUSE_HEADERS = {
    "sentences": "sentences judged",
    "reused": "reused from the 2017 plan",
    "security_sentences": "with security vocabulary",
    "security_reused": "with security vocabulary, reused",
    "other_sentences": "other sentences",
    "other_reused": "other, reused",
}


def reuse_table(reused_: pd.DataFrame) -> BookTable:
    """Per available local AI plan: sentences judged, and how many are reused from the 2017 plan, by kind."""
    return table(
        reused_.rename(columns=REUSE_HEADERS).set_index("doc_id"),
        f"Sentences of each local AI plan reused from the 2017 plan (at least half of their {reuse.SHINGLE}-character "
        "sequences found in it), with and without security vocabulary.",
        name="tbl-audiences-reuse",
    )


def reuse_sentence(reused_: pd.DataFrame, corpus: pd.DataFrame) -> Markdown:
    """The reuse totals across the local plans, or which of the two sides is missing."""
    sides = (
        ("the 2017 plan", PLAN in set(corpus["doc_id"])),
        ("a local AI plan", len(select.local_ai_plans(corpus)) > 0),
    )
    missing = [what for what, ok in sides if not ok]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        return md(f"*Not reproducible here*: {_join(missing)} {verb} not available in this build.")
    totals = reused_.sum(numeric_only=True)

    def share(kind: str) -> str:
        n, k = int(totals[f"{kind}_sentences"]), int(totals[f"{kind}_reused"])
        return f"{k} of {n} ({k / n:.0%})" if n else "none of 0"

    return md(
        f"Across {_count(len(reused_), 'local AI plan')}: {share('security')} sentences with security vocabulary are "
        f"reused from the 2017 plan, against {share('other')} other sentences."
    )


# ------------------------------------------------------------------------------------------------- market actors


def team_table() -> BookTable:
    """The national AI team (a sourced fact table): company, field, batch, date, note and source."""
    team = audiences.load_national_ai_team()
    view = pd.DataFrame(
        {
            "company": team["company_en"] + " (" + team["company_zh"] + ")",
            "field (Chinese, pinyin)": team["field_zh"] + " " + team["field_pinyin"],
            "field (English)": team["field_en"],
            "batch": team["batch"],
            "announced": team["date_announced"],
            "note": team["note"],
            "source": team["source"],
            "company_key": team["company_key"],
        }
    )
    return table(
        view,
        "The national AI team: host companies of the national new-generation AI open innovation platforms, with their "
        "assigned fields, batch and date; the note says where a source is weak.",
        name="tbl-audiences-national-team",
        index=False,
        na="no note",
        csv_only=("company_key",),
    )


def team_sentence() -> Markdown:
    """The team's size and batches, from the sourced table."""
    team = audiences.load_national_ai_team()
    batches = team.groupby("batch", sort=False)["date_announced"].agg(["size", "min"]).sort_values("min")
    parts = [f"{b}, {r['min'][:7]}: {_count(int(r['size']), 'company')}" for b, r in batches.iterrows()]
    return md(f"The sourced table counts {_count(len(team), 'member')} ({'; '.join(parts)}).")


# -------------------------------------------------------------------------------------------------- the public


def public_table() -> BookTable:
    """The figures on the public that section 4 quotes, with their sources (millions of people)."""
    figures = load_facts("public_figures")
    shown = figures.loc[:, ["quantity", "value", "as_of", "article_value", "note", "source"]].rename(
        columns={"value": "value (million)", "as_of": "as of", "article_value": "the article"}
    )
    return table(
        shown,
        "Figures on the public quoted in section 4, with sources; values in millions of people.",
        name="tbl-audiences-public",
        index=False,
    )


def internet_ratio_table() -> BookTable:
    """China's internet users divided by each US figure (the article: "twice more")."""
    ratios = audiences.internet_user_ratios(load_facts("public_figures"))
    shown = ratios.rename(
        columns={
            "us_figure": "US figure",
            "us_users_million": "US users (million)",
            "cn_users_million": "Chinese users (million)",
        }
    )
    return table(
        shown.set_index("US figure"),
        'China\'s internet users in 2019 over each US figure we have: the article says "twice more".',
        name="tbl-audiences-internet-ratio",
    )


# --------------------------------------------------------------------------------------- what cannot be shown


def cannot_show(corpus: pd.DataFrame, manifest: pd.DataFrame) -> Markdown:
    """What this build cannot check in section 4, computed from the texts it holds."""
    labels = document_labels()
    available, listed = audiences.local_texts_status(corpus, manifest)
    held = set(corpus["doc_id"])
    lines = [
        f"- **The local plans' words.** {available} of the {listed} local AI plans of the manifest are available in "
        "this build" + (": the vocabulary and reuse tests above are empty." if available == 0 else "."),
        f"- **{labels[PLAN]}.** "
        + (
            "Available."
            if PLAN in held
            else f"*Not reproducible here*: {NOT_AVAILABLE}, so no local sentence can be traced to it."
        ),  # fmt: skip
        f"- **{labels[audiences.GUANGDONG_2018]}** (footnote 109). "
        + ("Available." if audiences.GUANGDONG_2018 in held else f"*Not reproducible here*: {NOT_AVAILABLE}."),
        "- **Plans before the centre's.** " + ledger.claim_sentence("s5-local-plans-before"),
        f"- **Figure 1.** The CNKI counts are not public; {_count(len(_cnki_exports()), 'CNKI export')} in "
        "`data/raw/cnki/` in this build.",
    ]
    return md("\n".join(lines))


def _cnki_exports() -> list[Any]:
    if not CNKI_DIR.is_dir():
        return []
    return sorted(p for p in CNKI_DIR.glob("*") if p.is_file() and not p.name.startswith("."))


def cnki_query_table() -> BookTable:
    """The literature search behind Figure 1, the article's words beside our reading."""
    query = load_facts("cnki_query").loc[:, ["parameter", "value", "basis", "article_wording"]]
    query = query.rename(columns={"article_wording": "the article's wording"})
    return table(
        query.set_index("parameter"),
        'The literature search behind the article\'s Figure 1 (footnote 115: "the author\'s brief search"); "our '
        'reading" marks what the article leaves unstated.',
        name="tbl-audiences-cnki-query",
    )


def cnki_context_table() -> BookTable:
    """Published yearly CNKI counts of a related search (AI in the title, core journals): context, not Figure 1."""
    related = load_facts("cnki_related_counts").loc[:, ["year", "articles", "what_it_counts", "query", "source"]]
    related = related.rename(columns={"what_it_counts": "what is counted"})
    return table(
        related.set_index("year"),
        "Context only, not Figure 1: yearly CNKI counts of articles with 人工智能 (AI) in the title in core and CSSCI "
        "journals, as published by Xu and Li (2021).",
        name="tbl-audiences-cnki-context",
    )


def _export() -> cnki.CnkiExport | None:
    exports = _cnki_exports()
    return cnki.parse_files(exports) if exports else None


def cnki_status() -> list[Any]:
    """Whether the reader supplied CNKI exports (``data/raw/cnki/``) and, if any records were skipped, which."""
    export = _export()
    if export is None:
        return [md("No CNKI export in `data/raw/cnki/`: Figure 1 is not drawn in this build.")]
    out: list[Any] = [md(f"CNKI exports read: {export.caption_note()}.")]
    if export.skipped:
        out.append(
            table(
                export.skipped_frame(),
                "Records of the CNKI exports that the parser skipped, with file, line and reason.",
                name="tbl-audiences-cnki-skipped",
                index=False,
            )
        )
    return out


def cnki_figure() -> Figure | None:
    """The article's Figure 1 rebuilt from the reader's CNKI exports; None (nothing drawn) without exports."""
    from analysis.present.plotting.audiences import cnki_yearly_figure

    export = _export()
    if export is None:
        return None
    label = f"CNKI exports in data/raw/cnki/, supplied by the reader: {export.caption_note()}"
    return cnki_yearly_figure(cnki.yearly_counts(export), source_label=label)
