"""The three context chapters (the article's sections 3.1–3.3): their tables, figures and sentences, each from one call.

* **historical** (``notebooks/historical_context.ipynb``): the industrial-revolution discourse as the article reports
  it (sourced tables and a timeline), and the revolution and history vocabulary where the texts have it;
* **geopolitical** (``notebooks/geopolitical_context.ipynb``): the US–China moves as sourced events and a timeline, the
  Entity List of October 2019, the pressure vocabulary (卡脖子, 打压, 遏制 …) and the sentences where 关键核心技术 and
  自主可控 meet 安全, AI against control texts;
* **domestic** (``notebooks/domestic_context.ipynb``): the security typology counted, regime security as content and as
  the object of the passage coding, AI against control texts stratum by stratum, on the categories the validation
  finds reliable only.

The computations live in :mod:`analysis.sections` (``typology``, ``vocabularies``, ``move``); this module captions,
labels and words them. Every function works on any corpus, the empty one included. ``texts`` is a corpus of every
topic a chapter reads (:func:`analysis.datastate.chapter_corpus`); each function picks the texts it needs.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown
from matplotlib.figure import Figure

from analysis import counting
from analysis.corpus import select
from analysis.evidence import ledger
from analysis.evidence.facts import load_facts
from analysis.present import chapters
from analysis.present.labels import name_documents
from analysis.present.pages.appendices import LEDGER_HEADERS, NOTHING_COMPUTED
from analysis.present.plotting import set_alt
from analysis.present.tables import BookTable, table
from analysis.sections import vocabularies

LEDGER_FILE = "section3_contexts.csv"
NOT_HERE = "not available in this build"
NO_CHINESE_AI = "**Not reproducible here:** no Chinese AI text is available in this build."
NO_COMPARED = "**Not reproducible here:** no Chinese AI or control text is available in this build."


def say(text: str) -> Markdown:
    """``text`` as Markdown, documents named by title."""
    return Markdown(str(name_documents(text)))


def count_of(n: int, what: str = "text") -> str:
    """``1 text``, ``3 texts``, ``2 matches``, ``4 categories``."""
    if n == 1:
        return f"{n} {what}"
    if what.endswith(("ch", "sh", "s", "x")):
        return f"{n} {what}es"
    return f"{n} {what[:-1]}ies" if what.endswith("y") and what[-2:-1] not in "aeiou" else f"{n} {what}s"


def listing(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``; "" for none."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def chinese(texts: pd.DataFrame, topic: str = select.AI) -> pd.DataFrame:
    """The Chinese texts of ``texts`` of one ``topic``, in order of issue."""
    return chapters.chinese_documents(select.select_topic(texts, topic))


def compared(texts: pd.DataFrame) -> pd.DataFrame:
    """The Chinese AI and control texts of ``texts`` (the two sides of every comparison), in order of issue."""
    return chapters.chinese_documents(select.select_topic(texts, (select.AI, select.CONTROL)))


def spread(per_document: pd.Series) -> str:
    """Where a count lies (``{doc_id: n}``): "in A" for one document, "3 in A and 1 in B" for several, "" for none."""
    items = [(d, int(n)) for d, n in per_document.items() if n]
    if len(items) == 1:
        return f"in {items[0][0]}"
    return listing([f"{n} in {d}" for d, n in items])


def facts_table(name: str, columns: list[str], caption: str, page: str, what: str) -> BookTable:
    """Columns of the sourced fact table ``name``, the first as index, numbered ``tbl-<page>-<what>``."""
    facts = load_facts(name)
    return table(facts.loc[:, columns].set_index(columns[0]), caption, name=f"tbl-{page}-{what}", csv=f"{name}.csv")


# ------------------------------------------------------------------------------------------------------- the ledger
def ledger_table(texts: pd.DataFrame, section: str, page: str) -> BookTable:
    """The ledger's claims of one section of the article, evaluated on the AI texts, with their status here."""
    claims = chapters.ledger_rows(ledger.evaluate_ledger(select.select_topic(texts, select.AI)), LEDGER_FILE, section)
    columns = ["claim", "article_value", "reproduced_value", "status", "explanation", "claim_id"]
    view = claims.loc[:, columns].replace({"reproduced_value": {"": pd.NA}}).rename(columns=LEDGER_HEADERS)
    counts = claims["status"].value_counts()
    tally = "; ".join(f"{counts[s]} {s}" for s in ledger.STATUSES if s in counts)
    return table(
        view.reset_index(drop=True),
        f"The claims of section {section} in the ledger ({tally}): the value the article reports, the value this "
        "build computes or finds in a sourced table, and the status.",
        name=f"tbl-{page}-ledger",
        na=NOTHING_COMPUTED,
        csv_only=("claim_id",),
        index=False,
    )


def availability(cover: pd.DataFrame, documents: dict[str, str]) -> Markdown:
    """One line per document of ``documents`` (``{doc_id: why it matters}``): available, or why not."""
    status = dict(zip(cover["doc_id"], cover["status"], strict=True))
    lines = [
        f"- **{doc_id}** ({why}): "
        + (
            "available."
            if status.get(doc_id) == "available"
            else f"*not reproducible here*, {NOT_HERE} ({status.get(doc_id, 'not in the manifest')})."
        )
        for doc_id, why in documents.items()
    ]
    return say("\n".join(lines))


# ---------------------------------------------------------------------------------------------- 3.1 historical context
#: The texts with a reason to speak of China's history and the industrial revolutions, and why they matter.
HISTORY_DOCUMENTS: dict[str, str] = {
    "xi_2016_tech_power_speech": "footnote 53: the speech on the missed revolutions that the article quotes",
    "ngaidp_2017": "footnote 45: AI as the core driving force of a new round of industrial transformation",
    "internet_plus_ai_2016": "the first of the two AI plans the article counts in",
    "strategic_emerging_13fyp_2016": "footnote 44: AI among the priorities of the 13th Five-Year Plan",
    "made_in_china_2025": "the industrial plan the AI plans continue",
}
REVOLUTION_CATEGORY = "technological_revolution"


def revolutions_table() -> BookTable:
    """The four industrial revolutions as the Chinese discourse frames them (as the article reports it)."""
    columns = [
        "revolution",
        "name_zh",
        "pinyin",
        "gloss_en",
        "period_as_reported",
        "defining_technologies_en",
        "leading_power_en",
        "china_situation_en",
        "china_outcome",
    ]
    return facts_table(
        "industrial_revolutions",
        columns,
        "The four industrial revolutions as the Chinese texts the article cites frame them (footnotes 45–57).",
        "historical",
        "revolutions",
    )


def periods_table() -> BookTable:
    """China's political periods against which the narrative is told (a standard history)."""
    return facts_table(
        "china_political_periods",
        ["period_key", "name_zh", "pinyin", "gloss_en", "start", "end", "note"],
        "China's political periods from the Qing to the People's Republic, from a standard history.",
        "historical",
        "periods",
    )


def history_sources_table() -> BookTable:
    """The source and note of every row of the two tables above."""
    rows = [
        load_facts(n).loc[:, ["name_zh", "source", "note"]]
        for n in ("industrial_revolutions", "china_political_periods")
    ]
    return table(
        pd.concat(rows, ignore_index=True).set_index("name_zh"),
        "Sources and notes of every row of the revolutions and periods tables.",
        name="tbl-historical-sources",
    )


def revolutions_figure() -> Figure:
    """:func:`~analysis.present.plotting.timelines.missed_revolutions_timeline`, with n in the title and alt text."""
    from analysis.present.plotting.timelines import missed_revolutions_timeline

    rev, per = load_facts("industrial_revolutions"), load_facts("china_political_periods")
    fig = missed_revolutions_timeline(rev, per)
    ax = fig.axes[0]
    ax.set_title(f"{ax.get_title()} (n = {len(rev)} revolutions, {len(per)} periods)", fontsize=11)
    bands = [f"{r.gloss_en} ({r.period_as_reported}): {r.china_outcome}" for r in rev.itertuples()]
    lanes = [f"{p.gloss_en} {p.start[:4]}–{p.end[:4] or 'today'}" for p in per.itertuples()]
    return set_alt(
        fig,
        f"Timeline of {len(rev)} industrial revolutions as the Chinese discourse frames them "
        f"({'; '.join(bands)}) above {len(per)} political periods of China ({'; '.join(lanes)}).",
    )


def revolution_terms_table() -> BookTable:
    """The revolution vocabulary of the book's term list, with pinyin, gloss and counting rule."""
    terms = counting.describe_terms(counting.terms_in(REVOLUTION_CATEGORY))
    return table(
        terms.set_index("term_zh"),
        f"The revolution vocabulary (data/terms.csv, category {REVOLUTION_CATEGORY}).",
        name="tbl-historical-terms",
    )


def revolution_sentence(texts: pd.DataFrame) -> Markdown:
    """Where the revolution vocabulary occurs in the Chinese AI texts: the documents that use it, and how many do not."""
    docs, terms = chinese(texts), counting.terms_in(REVOLUTION_CATEGORY)
    if docs.empty:
        return say(NO_CHINESE_AI)
    matrix = chapters.term_matrix(docs, terms)
    using = matrix[matrix.sum(axis=1) > 0]
    genres = listing(sorted(set(docs.loc[~docs["doc_id"].isin(using.index), "genre"])))
    found = [f"{d}: {', '.join(f'{t} {n}' for t, n in row.items() if n)}" for d, row in using.iterrows()]
    head = f"Of the {count_of(len(docs), 'Chinese AI text')} of this build ({chapters.issue_span(docs)}), "
    if using.empty:
        return say(head + f"none uses any of the {len(terms)} terms of the revolution vocabulary: they are {genres}.")
    rest = len(docs) - len(using)
    return say(
        head
        + f"{len(using)} {'uses' if len(using) == 1 else 'use'} the revolution vocabulary: {'; '.join(found)}."
        + (f" The other {rest} ({genres}) do not." if rest else "")
    )


def revolution_kwic_table(texts: pd.DataFrame) -> BookTable:
    """Every occurrence of the revolution vocabulary in the Chinese AI texts, in context."""
    lines = chapters.kwic_lines(chinese(texts), counting.terms_in(REVOLUTION_CATEGORY))
    return table(
        lines,
        f"The revolution vocabulary in context: {count_of(len(lines), 'line')}, one per counted match "
        "(inclusive counts, so a longer term and the term it contains both have a line).",
        name="tbl-historical-kwic",
        index=False,
    )


def history_texts(texts: pd.DataFrame) -> pd.DataFrame:
    """The texts of :data:`HISTORY_DOCUMENTS` that this build holds, in order of issue."""
    return chapters.chinese_documents(texts[texts["doc_id"].isin(list(HISTORY_DOCUMENTS))])


def history_table(texts: pd.DataFrame) -> BookTable:
    """The historical analogy's vocabulary counted in the texts with a reason to speak of history (only those)."""
    held = history_texts(texts)
    wide = vocabularies.vocabulary_wide(
        vocabularies.vocabulary_counts(held, "history_vocabulary"), "history_vocabulary"
    )
    return table(
        wide.T.rename_axis("term"),
        f"The vocabulary of the historical analogy (data/argument/history_vocabulary.csv) in the "
        f"{count_of(len(held))} with a reason to speak of history that this build holds, of {len(HISTORY_DOCUMENTS)}.",
        name="tbl-historical-analogy",
    )


def first_clause(text: str) -> str:
    """``text`` up to its first semicolon outside parentheses."""
    depth = 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == ";" and depth <= 0:
            return text[:i].strip()
    return text.strip()


def unshown_claims(texts: pd.DataFrame, section: str) -> Markdown:
    """How many of a section's ledger claims this build cannot reproduce, and the first reason each gives."""
    claims = chapters.ledger_rows(ledger.evaluate_ledger(select.select_topic(texts, select.AI)), LEDGER_FILE, section)
    out = claims[claims["status"] == ledger.NOT_REPRODUCIBLE]
    prefix = f"{ledger.NOT_REPRODUCIBLE}:"
    reasons = [r for r in dict.fromkeys(first_clause(e.removeprefix(prefix)) for e in out["explanation"]) if r]
    verb = "is" if len(out) == 1 else "are"
    head = f"{len(out)} of the {len(claims)} ledger claims of section {section} {verb} *{ledger.NOT_REPRODUCIBLE}*"
    return say(head + (":\n\n" + "\n".join(f"- {r}" for r in reasons) if reasons else "."))


# --------------------------------------------------------------------------------------------- 3.2 geopolitical context
RIVAL_VOCABULARY = "rival_vocabulary"
#: The remedies of the rival vocabulary, which the chapter pairs with 安全 sentence by sentence; the other terms are the
#: pressure a rival exerts (卡脖子, 打压, 遏制 …).
REMEDIES: tuple[str, ...] = ("关键核心技术", "自主可控")
PARTNER = "安全"
#: Contexts of a remedy are quoted in the sentence when the AI texts hold at most this many.
QUOTE_AT_MOST = 3
SIDES = {select.AI: "AI", select.CONTROL: "control"}
#: The texts on which the article's mirror argument turns, and why they matter.
GEOPOLITICAL_DOCUMENTS: dict[str, str] = {
    "us_preparing_future_ai_2016": "one of the three Obama reports of late 2016",
    "us_ai_rd_strategic_plan_2016": "one of the three Obama reports of late 2016",
    "us_ai_automation_economy_2016": "one of the three Obama reports of late 2016",
    "ngaidp_2017": "China's plan of July 2017, which the article reads as their mirror",
    "us_nscai_interim_2019": "the US commission's report that calls China the most serious strategic competitor",
}


def events_table() -> BookTable:
    """The moves and counter-moves of section 3.2, dated and sourced; ``answers`` by the answered events' labels."""
    events = load_facts("geopolitical_events")
    label = dict(zip(events["event_id"], events["label_en"], strict=True))
    shown = events.assign(answers=[listing([label[a] for a in s.split(";") if a]) for s in events["answers"]])
    columns = ["label_en", "date", "date_precision", "actor", "kind", "name_zh", "pinyin", "gloss_en", "answers"]
    return table(
        shown.loc[:, [*columns, "event_id"]].set_index("label_en"),
        "The US–China moves and counter-moves the article names, each dated when it became public; "
        "'answers' gives the moves the article says an event responds to.",
        name="tbl-geopolitical-events",
        csv="geopolitical_events.csv",
        csv_only=("event_id",),
    )


def event_sources_table() -> BookTable:
    """The description, article reference, source and note of every event."""
    return facts_table(
        "geopolitical_events",
        ["label_en", "event_en", "article_ref", "answers_ref", "source", "note"],
        "What each event was, where the article names it, and its sources.",
        "geopolitical",
        "event-sources",
    )


def mirror_figure() -> Figure:
    """:func:`~analysis.present.plotting.timelines.mirror_timeline`, with n in the title and alt text from the events."""
    from analysis.present.plotting.timelines import mirror_timeline

    events = load_facts("geopolitical_events")
    fig = mirror_timeline(events)
    ax = fig.axes[0]
    ax.set_title(f"{ax.get_title()} (n = {len(events)} events)", fontsize=11)
    by_actor = events.groupby("actor", sort=True)["label_en"].apply(lambda s: "; ".join(s))
    links = sum(len([a for a in s.split(";") if a]) for s in events["answers"])
    parts = [f"{actor} ({(events['actor'] == actor).sum()}): {names}" for actor, names in by_actor.items()]
    return set_alt(
        fig,
        f"Timeline of {len(events)} events, {events['year'].min()}–{events['year'].max()}, by actor: "
        f"{' | '.join(parts)}; {links} arrows link an event to the moves it answers.",
    )


def entity_list_table() -> BookTable:
    """The Chinese AI companies on the US Entity List (October 2019, with Huawei and Qihoo 360 for reference)."""
    return facts_table(
        "entity_list_ai_companies",
        ["name_en", "name_zh", "pinyin", "announced", "effective", "fr_citation", "national_context"],
        "Chinese AI and surveillance companies on the US Entity List: the eight of October 2019, with Huawei and "
        "Qihoo 360 added for reference.",
        "geopolitical",
        "entity-list",
    )


def entity_sources_table() -> BookTable:
    """The rule, Federal Register document, source and note of every listing."""
    return facts_table(
        "entity_list_ai_companies",
        ["name_en", "rule", "fr_document", "source", "note"],
        "The rule, Federal Register document and sources of every listing.",
        "geopolitical",
        "entity-sources",
    )


def entity_sentence() -> Markdown:
    """How many companies were listed on the day the article's sanctions refer to, and the others added."""
    firms = load_facts("entity_list_ai_companies")
    first = firms["announced"].value_counts().idxmax()
    others = firms[firms["announced"] != first]
    added = listing(
        [f"{n.split(' (')[0]} (announced {d})" for n, d in zip(others["name_en"], others["announced"], strict=True)]
    )
    return say(
        f"{(firms['announced'] == first).sum()} companies were announced on {first}; {added} "
        f"{'is' if len(others) == 1 else 'are'} added for reference."
    )


def by_side(texts: pd.DataFrame, name: str) -> pd.DataFrame:
    """The vocabulary ``name`` with its matches and documents in the Chinese AI and control texts, for readers."""
    table_ = vocabularies.vocabulary_by_topic(compared(texts), name, tuple(SIDES)).set_index("term")
    headers = {f"{t}_{what}": f"{side} texts: {what}" for t, side in SIDES.items() for what in ("matches", "documents")}
    return table_.rename(columns=headers)


def pressure_table(texts: pd.DataFrame) -> BookTable:
    """Every term of the rival vocabulary with its gloss: matches and documents in the AI and the control texts."""
    shown = by_side(texts, RIVAL_VOCABULARY).drop(columns="note")
    shown.insert(2, "kind", ["remedy" if t in REMEDIES else "pressure" for t in shown.index])
    docs = compared(texts)
    n_ai, n_ctl = (int(select.is_topic(docs, t).sum()) for t in SIDES)
    return table(
        shown,
        f"The vocabulary of an unnamed rival (data/argument/rival_vocabulary.csv): inclusive matches in the "
        f"{count_of(n_ai, 'Chinese AI text')} and the {count_of(n_ctl, 'control text')} of this build.",
        name="tbl-geopolitical-pressure",
    )


def pressure_sentence(texts: pd.DataFrame) -> Markdown:
    """The pressure vocabulary in the AI and control texts, then each remedy, quoted where it is rare."""
    docs = compared(texts)
    if docs.empty:
        return say(NO_COMPARED)
    n = {t: int(select.is_topic(docs, t).sum()) for t in SIDES}
    terms = vocabularies.vocabulary_by_topic(docs, RIVAL_VOCABULARY, tuple(SIDES))
    pressure = terms[~terms["term"].isin(REMEDIES)]
    k = {t: int(pressure[f"{t}_matches"].sum()) for t in SIDES}
    words = "、".join(pressure["term"])
    out = [
        f"The pressure vocabulary ({words}) occurs {count_of(k['ai'], 'time')} in the {count_of(n['ai'], 'Chinese AI text')} of "
        f"this build and {count_of(k['control'], 'time')} in the {count_of(n['control'], 'control text')}."
    ]
    ai = docs[select.is_topic(docs, select.AI)]
    gloss = dict(zip(terms["term"], terms["gloss_en"], strict=True))
    for term in REMEDIES:
        lines = counting.kwic(ai, term, width=12)
        where = spread(lines["doc_id"].value_counts(sort=False))
        said = f"{term} ({gloss[term]}) occurs {count_of(len(lines), 'time')} in the AI texts" + (
            f", {where}" if where else ""
        )
        if 0 < len(lines) <= QUOTE_AT_MOST:
            said += ": " + "; ".join(f"“…{r.left}**{r.keyword}**{r.right}…”" for r in lines.itertuples())
        out.append(said + ".")
    return say(" ".join(out))


def pressure_kwic_table(texts: pd.DataFrame) -> BookTable:
    """Every match of the rival vocabulary in the AI and control texts, in context, with the side it is on."""
    docs = compared(texts)
    lines = vocabularies.vocabulary_kwic(docs, RIVAL_VOCABULARY)
    lines.insert(1, "texts", lines["doc_id"].map(dict(zip(docs["doc_id"], docs["topic"], strict=True))).map(SIDES))
    return table(
        lines,
        f"The rival vocabulary in context: {count_of(len(lines), 'line')}, one per match.",
        name="tbl-geopolitical-pressure-kwic",
        index=False,
    )


def competition_sentence(texts: pd.DataFrame) -> Markdown:
    """竞争 (competition) in the Chinese AI texts, and how many of its matches are unfair market competition."""
    ai = chinese(texts)
    if ai.empty:
        return say(NO_CHINESE_AI)
    total = sum(counting.count_substring(t, "竞争") for t in ai["text"])
    unfair = sum(counting.count_substring(t, "不正当竞争") for t in ai["text"])
    between = sum(counting.count_substring(t, "国际竞争") for t in ai["text"])
    return say(
        f"竞争 (jìngzhēng, competition) occurs {count_of(total, 'time')} in the {count_of(len(ai), 'Chinese AI text')} of this "
        f"build: {unfair} of them in 不正当竞争 (unfair competition, between firms) and {between} in 国际竞争 "
        "(international competition)."
    )


def cooccurrence_table(texts: pd.DataFrame) -> BookTable:
    """Sentences holding 关键核心技术 or 自主可控, and of those the ones that also hold 安全, AI against control texts."""
    co = vocabularies.cooccurrence(compared(texts), REMEDIES, PARTNER, tuple(SIDES))
    gloss = dict(zip(*(vocabularies.load_vocabulary(RIVAL_VOCABULARY)[c] for c in ("term", "gloss_en")), strict=True))
    shown = pd.DataFrame(
        {
            "term": [f"{t} ({gloss[t]})" for t in co["term"]],
            "texts": co["topic"].map(SIDES),
            "documents with the term": co["documents"],
            "sentences with the term": co["sentences"],
            f"of them with {PARTNER}": co["with_partner"],
        }
    )
    return table(
        shown.set_index(["term", "texts"]),
        f"Sentence by sentence: where the remedies of dependence meet "
        f"{PARTNER} (ānquán, security), in the Chinese AI and control texts of this build.",
        name="tbl-geopolitical-cooccurrence",
    )


def cooccurrence_sentence(texts: pd.DataFrame) -> Markdown:
    """The co-occurrence table read: for each remedy and side, the sentences with the term and how many hold 安全."""
    if compared(texts).empty:
        return say(NO_COMPARED)
    co = vocabularies.cooccurrence(compared(texts), REMEDIES, PARTNER, tuple(SIDES))
    parts = [
        f"in the {SIDES[r.topic]} texts, {r.term} stands in {count_of(r.sentences, 'sentence')} of "
        f"{count_of(r.documents)}, {r.with_partner} of them with {PARTNER}"
        for r in co.itertuples()
    ]
    together = int(co["with_partner"].sum())
    head = (
        "No sentence of this build joins" if together == 0 else f"{count_of(together, 'sentence')} of this build join"
    )
    return say(f"{head} a remedy of dependence with {PARTNER}: " + "; ".join(parts) + ".")


def english_sentence(texts: pd.DataFrame) -> Markdown:
    """The US texts of this build, which are in English and not searched for Chinese terms."""
    us = select.select_topic(texts, select.AI)
    us = us[us["language"] != "zh"]
    if us.empty:
        return say("No US text is available in this build; {doc}`us_china_mirror` reads them where a build has them.")
    names = "; ".join(us["doc_id"])
    return say(
        f"The {count_of(len(us), 'US text')} of this build ({names}) are in English, so the Chinese vocabulary "
        "is not counted in them; {doc}`us_china_mirror` reads them."
    )
