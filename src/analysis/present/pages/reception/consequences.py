"""The chapter on success, failure and consequences (``notebooks/success_and_consequences.ipynb``, the article's
sections 5 and 6): its tables, figure and sentences, each from one call.

The chapter turns the five consequences into data and an argument map, joins the national AI team with the US
Entity List, reads the measures the AI rules enable as policy instruments against the control rules and against the
same issuer's non-AI rules (:mod:`analysis.sections.consequences`), and dates the candidate extraordinary measures
against the State Council plan. Every function works on any corpus, the empty one included.
"""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import Markdown
from matplotlib.figure import Figure

from analysis.corpus import select
from analysis.evidence.facts import load_facts
from analysis.io.dates import STATE_COUNCIL_PLAN
from analysis.present.chapter import md
from analysis.present.labels import document_labels
from analysis.present.pages.reception.audiences import claims_table
from analysis.present.tables import BookTable, table
from analysis.sections import audiences, consequences

#: The consequence whose box carries the sourced count (the US Entity List).
ENTITY_CONSEQUENCE = "e"
XINJIANG = "Xinjiang"


def article_claims_table(evaluated: pd.DataFrame) -> BookTable:
    """The claims of sections 5 and 6 in the ledger, with their status in this build."""
    return claims_table(
        evaluated,
        ("5", "6"),
        name="tbl-consequences-claims",
        caption="The article's claims of sections 5 and 6 in the ledger: as reported, as computed in this build, and "
        "their status.",
    )


# ---------------------------------------------------------------------------------------- the five consequences


def _consequences() -> pd.DataFrame:
    return load_facts("consequences").set_index("consequence_id")


def mechanisms_table() -> BookTable:
    """Each consequence's mechanism and the objective it undermines (a sourced table of the article's argument)."""
    shown = _consequences().loc[:, ["consequence", "mechanism", "objective_undermined", "objective_basis"]]
    return table(
        shown.rename(
            columns={
                "mechanism": "mechanism (our words)",
                "objective_undermined": "objective undermined",
                "objective_basis": "basis",
            }
        ).rename_axis("consequence (article)"),
        "The five consequences of securitization (article sections 1 and 6): mechanism and the objective each "
        "undermines.",
        name="tbl-consequences-mechanisms",
    )


def evidence_table() -> BookTable:
    """Each consequence's evidence in the article, an observable indicator (our suggestion) and where it is argued."""
    shown = _consequences().loc[:, ["article_evidence", "indicator_proposed", "computed_here", "article_ref"]]
    return table(
        shown.rename(
            columns={
                "article_evidence": "evidence the article gives",
                "indicator_proposed": "observable indicator (our suggestion)",
                "computed_here": "computed here",
                "article_ref": "in the article",
            }
        ).rename_axis("consequence (article)"),
        "The five consequences: the article's evidence, an observable indicator (our suggestion) and where the "
        "article makes the argument.",
        name="tbl-consequences-evidence",
    )


def _team_listings() -> tuple[pd.DataFrame, pd.DataFrame]:
    team = audiences.load_national_ai_team()
    return team, consequences.team_on_entity_list(team, load_facts(consequences.ENTITY_LIST_TABLE))


def argument_map() -> Figure:
    """The argument map of section 6; box (e) says what the sourced count shows and what it does not."""
    from analysis.present.plotting.argument_map import consequences_argument_map

    team, listed = _team_listings()
    n, xinjiang = listed["company_key"].nunique(), int(listed["national_context"].str.contains(XINJIANG).sum())
    note = f"sourced: {n} of {len(team)} team members on the US Entity List, {xinjiang} of them listed over {XINJIANG}"
    return consequences_argument_map(load_facts("consequences"), notes={ENTITY_CONSEQUENCE: note})


# --------------------------------------------------------------------------- consequence (e): the Entity List


def entity_list_table() -> BookTable:
    """National AI team members on the US Entity List, with team and listing dates, citation, stated context."""
    _, listed = _team_listings()
    view = listed.assign(company=listed["company_en"] + " (" + listed["company_zh"] + ")")
    columns = {
        "company": "company",
        "field_en": "team field",
        "date_announced": "joined the team",
        "announced": "listing announced",
        "effective": "listing effective",
        "listed_after_joining": "listed after joining",
        "fr_citation": "Federal Register",
        "national_context": "stated context",
        "listing_source": "source",
    }
    return table(
        view.loc[:, list(columns)].rename(columns=columns),
        "National AI team members on the US Entity List: the date each joined the team, the listing (announced and "
        "effective), the Federal Register citation, the stated context, and the sources of the listing.",
        name="tbl-consequences-entity-list",
        index=False,
        links=("source",),
    )


def entity_list_sentence() -> Markdown:
    """How many team members are listed, how many after joining, and how many listings cite Xinjiang."""
    team, listed = _team_listings()
    after = int((listed["listed_after_joining"] == "yes").sum())
    xinjiang = int(listed["national_context"].str.contains(XINJIANG).sum())
    return md(
        f"{listed['company_key'].nunique()} of the {len(team)} members of the national AI team are on the US Entity "
        f"List ({{numref}}`tbl-consequences-entity-list`); {after} of them were listed after they joined the team, and "
        f"{xinjiang} of the {len(listed)} listings cite {XINJIANG} (surveillance and human rights), not ties to the state."
    )


def reasons_table() -> BookTable:
    """The reasons the listing documents give, with the number of team members listed for each."""
    _, listed = _team_listings()
    reasons = listed["national_context"].value_counts().rename("team members listed")
    return table(
        reasons.rename_axis("reason stated in the listing").to_frame(),
        "The reasons the US listing documents give for the team members they list.",
        name="tbl-consequences-reasons",
    )


# ---------------------------------------------------------------------------------- measures as instruments


def instrument_rules_table() -> BookTable:
    """The instruments the book codes (``data/argument/policy_instruments.csv``): kind, term, gloss, rationale."""
    rules = consequences.load_instruments()
    shown = rules.assign(kind=rules["kind"].map(consequences.INSTRUMENT_KINDS)).loc[
        :, ["instrument", "pinyin", "gloss_en", "kind", "rationale"]
    ]
    return table(
        shown.rename(columns={"instrument": "instrument (Chinese)", "gloss_en": "gloss"}),
        "The policy instruments coded in the binding rules (data/argument/policy_instruments.csv), after Balzacq's "
        "distinction of regulatory instruments and capacity tools, each with its gloss and why it is coded.",
        name="tbl-consequences-instrument-rules",
        index=False,
    )


def instrument_labels() -> dict[str, str]:
    """Instrument → "Chinese (short English gloss)", e.g. "算法备案 (algorithm filing)"."""
    rules = consequences.load_instruments()
    return {i: f"{i} ({g})" for i, g in zip(rules["instrument"], rules["gloss_en"], strict=True)}


def instrument_counts(corpus: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.sections.consequences.instrument_counts` (``corpus`` must hold the control texts)."""
    return consequences.instrument_counts(corpus)


def _rules_span(counts: pd.DataFrame, topic: str) -> str:
    return f"{int(select.is_topic(counts, topic).sum())} {'AI' if topic == select.AI else 'control'}"


def instrument_summary_table(counts: pd.DataFrame) -> BookTable:
    """Per instrument: how many AI rules and how many control rules of this build use it."""
    summary = consequences.instrument_summary(counts)
    shown = pd.DataFrame(
        {
            "instrument": summary["instrument"].map(instrument_labels()),
            "kind": summary["kind"].map(consequences.INSTRUMENT_KINDS),
            "AI rules using it": [f"{k} of {n}" for k, n in zip(summary["ai_using"], summary["ai_rules"], strict=True)],
            "control rules using it": [
                f"{k} of {n}" for k, n in zip(summary["control_using"], summary["control_rules"], strict=True)
            ],
        }
    )
    return table(
        shown.set_index("instrument"),
        f"Policy instruments in the binding rules of this build ({_rules_span(counts, select.AI)} and "
        f"{_rules_span(counts, select.CONTROL)} rules; regulations, provisions and measures, outside names and "
        "citations): how many rules of each side use each instrument.",
        name="tbl-consequences-instruments",
        csv="consequences_instruments.csv",
    )


def instrument_summary_sentence(counts: pd.DataFrame, manifest: pd.DataFrame) -> Markdown:
    """Which instruments the AI rules of this build use and no control rule does, and the caution that the controls
    come from other issuers."""
    summary = consequences.instrument_summary(counts)
    if not select.is_topic(counts, select.AI).any():
        return md("*Not reproducible here*: no AI rule is available in this build, so no instrument is counted.")
    labels = instrument_labels()
    only_ai = [
        labels[i] for i in summary.loc[(summary["ai_using"] > 0) & (summary["control_using"] == 0), "instrument"]
    ]
    both = [labels[i] for i in summary.loc[(summary["ai_using"] > 0) & (summary["control_using"] > 0), "instrument"]]
    ai, control = select.select_topic(counts, select.AI), select.select_topic(counts, select.CONTROL)
    shared = set(ai["lead_issuer"]) & set(control["lead_issuer"])
    others = "for the other issuers, " if shared else ""
    glosses = issuer_glosses(manifest)
    caution = (
        f"Only {'; '.join(glosses.get(i, i) for i in sorted(shared))} issued both AI and control rules here; "
        if shared
        else ""
    ) + (
        f"{others}an instrument the controls lack is not yet shown to be new: only the same issuer's non-AI rules can "
        "show it (below)."
    )
    caution = caution[0].upper() + caution[1:]
    return md(
        f"Used by AI rules of this build and by none of its control rules: {'; '.join(only_ai) or 'none'}. Used on both "
        f"sides: {'; '.join(both) or 'none'}. {caution}"
    )


def instrument_counts_table(counts: pd.DataFrame) -> BookTable:
    """Per binding rule of this build: its side, issuer and the count of every instrument."""
    labels = instrument_labels()
    shown = counts.loc[:, ["doc_id", "topic", "lead_issuer", *labels]].rename(
        columns={"topic": "AI or control", "lead_issuer": "first issuer", **labels}
    )
    return table(
        shown.set_index("doc_id"),
        "Every binding rule of this build (AI and control) with the number of times it names each instrument, "
        "outside names and citations.",
        name="tbl-consequences-instrument-counts",
        csv="consequences_instrument_counts.csv",
    )


def issuer_glosses(manifest: pd.DataFrame) -> dict[str, str]:
    """The first issuer's Chinese name → "name (English)", from the manifest's ``issuer`` glosses: a document the issuer
    issued alone, else the first item of a co-issued document's gloss when it lists one name per issuer."""
    found: dict[str, str] = {}
    for issuer in manifest["issuer"].astype(str):
        zh = select.issuer_name(issuer)
        gloss = re.search(r"\(([^()]*)\)\s*$", issuer)
        if not gloss:
            continue
        names, english = zh.split("、"), [g.strip() for g in gloss.group(1).split(",")]
        lead = select.lead_issuer(issuer)
        if len(names) == 1:
            found[lead] = f"{lead} ({gloss.group(1)})"
        elif len(english) == len(names) and lead not in found:
            found[lead] = f"{lead} ({english[0]})"
    return found


def same_issuer(counts: pd.DataFrame, manifest: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.sections.consequences.same_issuer_test` (``manifest``: all topics, for the listed controls)."""
    return consequences.same_issuer_test(counts, manifest)


def same_issuer_table(test: pd.DataFrame, manifest: pd.DataFrame) -> BookTable:
    """Each instrument of the AI rules against the non-AI rules of the same first issuer: listed, present, using it."""
    glosses = issuer_glosses(manifest)
    shown = test.assign(
        lead_issuer=test["lead_issuer"].map(lambda i: glosses.get(i, i)),
        instrument=test["instrument"].map(instrument_labels()),
        ai_rules=test["ai_rules"].str.replace(";", "; "),
    ).rename(
        columns={
            "lead_issuer": "first issuer",
            "ai_rules": "AI rules using it",
            "controls_listed": "issuer's non-AI rules in the manifest",
            "controls_available": "of them in this build",
            "controls_using": "of those, using it",
        }
    )
    return table(
        shown.drop(columns=["kind"]),
        "Is an instrument of the AI rules extraordinary, absent from the comparable non-AI rules of the same first "
        "issuer? Each instrument the AI rules of an issuer use, against that issuer's non-AI rules.",
        name="tbl-consequences-same-issuer",
        csv="consequences_same_issuer.csv",
        csv_only=("controls_missing",),
    )


def same_issuer_sentence(counts: pd.DataFrame, test: pd.DataFrame, manifest: pd.DataFrame) -> Markdown:
    """What the same-issuer test can say in this build, per issuer: which instruments are ordinary, which absent,
    and which controls are missing (by title)."""
    if not select.is_topic(counts, select.AI).any():
        return md("*Not reproducible here*: no AI rule is available in this build, so no instrument can be tested.")
    if test.empty:
        return md("No coded instrument occurs in the AI rules of this build, so none can be tested.")
    labels, glosses = document_labels(), issuer_glosses(manifest)
    parts = []
    for issuer, rows in test.groupby("lead_issuer", sort=True):
        reading = rows["reading"].value_counts()
        said = "; ".join(f"{r} ({_n(int(reading[r]))})" for r in consequences.READINGS.values() if r in reading.index)
        missing = [labels.get(d, d) for d in dict.fromkeys(";".join(rows["controls_missing"]).split(";")) if d]
        gap = f" Missing here: {'; '.join(missing)}." if missing else ""
        parts.append(f"- **{glosses.get(issuer, issuer)}**: {said}.{gap}")
    return md("\n".join(parts))


def _n(k: int) -> str:
    return f"{k} instrument" + ("" if k == 1 else "s")


# ------------------------------------------------------------------------------- candidate extraordinary measures


def measures_table() -> BookTable:
    """The candidate extraordinary measures (a sourced table), whole, each dated against the 2017 plan."""
    measures = consequences.measures_against_plan(load_facts("extraordinary_measures"))
    columns = {
        "name_zh": "measure (Chinese)",
        "pinyin": "pinyin",
        "gloss_en": "gloss",
        "kind": "kind",
        "date": "date",
        "against_plan": "against the 2017 plan",
        "what_it_is": "what it is",
        "why_it_would_count": "why it would count (our reading)",
        "source": "source",
    }
    return table(
        measures.loc[:, list(columns)].rename(columns=columns),
        "Candidate extraordinary measures, each with its sources and its date against the State Council plan of July "
        '2017; "why it would count" is our reading, not a sourced fact.',
        name="tbl-consequences-measures",
        index=False,
        links=("source",),
    )


def before_the_plan_sentence() -> Markdown:
    """The measures dated before the 2017 plan, which cannot be its effect (the military-civil fusion commission)."""
    measures = consequences.measures_against_plan(load_facts("extraordinary_measures"))
    before = measures[measures["against_plan"] == "before"]
    if before.empty:
        return md("No candidate measure of the table is dated before the State Council plan of July 2017.")
    signed = STATE_COUNCIL_PLAN.signed
    items = [f"the {r.gloss_en} ({r.name_zh}), dated {r.date}" for r in before.itertuples()]
    return md(
        f"Dated before the State Council signed its plan ({signed.isoformat()}): {'; '.join(items)}. A measure that "
        "came before the plan cannot be its effect. The article itself places the commission in military-civil "
        'fusion, "a national strategy since 2015", which the plan joined.'
    )


# --------------------------------------------------------------------------------------- what cannot be shown


def cannot_show(counts: pd.DataFrame, test: pd.DataFrame) -> Markdown:
    """What this build cannot check in sections 5 and 6, computed from the rules it holds."""
    untestable = int(test["reading"].str.startswith("cannot tell").sum()) if len(test) else 0
    lines = [
        "- **Acceptance by the audiences.** The article says the effect of the move cannot be measured; nothing in "
        "the texts of this build measures it either.",
        "- **Consequences (a) to (d).** No sourced series in this build; their indicators "
        "({numref}`tbl-consequences-evidence`) say what data would test them.",
    ]
    if not select.is_topic(counts, select.AI).any():
        lines.append(
            "- **Extraordinary, by the same issuer.** *Not reproducible here*: no AI rule is available in this build."
        )
    elif test.empty:
        lines.append(
            "- **Extraordinary, by the same issuer.** No coded instrument occurs in the AI rules of this build."
        )
    else:
        lines.append(
            f"- **Extraordinary, by the same issuer.** {untestable} of the {len(test)} instrument readings of the AI "
            "rules of this build cannot tell, for want of the issuer's non-AI rules"
            + ("." if untestable == 0 else "; the rules named above would decide them.")
        )
    return md("\n".join(lines))
