"""Sections 5 and 6 of the article: what would count as success, and one consequence that sourced data measure.

* **Consequence (e).** :func:`team_on_entity_list` joins the national AI team
  (:func:`analysis.sections.audiences.load_national_ai_team`) with the US Entity List listings of Chinese AI companies
  (``data/facts/entity_list_ai_companies.csv``, :data:`ENTITY_LIST_TABLE`) on ``company_key``.
* **Measures as instruments.** Following Balzacq, the measures a securitization enables are read as policy
  instruments: *regulatory instruments* that normalize the behaviour of those they target, and *capacity tools* that
  equip the state to act. The instruments are data (``data/argument/policy_instruments.csv``: ``kind, instrument,
  pattern, example, pinyin, gloss_en, rationale``; each pattern must match its example) and are counted in the
  binding rules of the build, AI against control (:func:`instrument_counts`, :func:`instrument_summary`). An
  instrument of an AI rule is *extraordinary* only if it is absent from the comparable non-AI rules of the same
  (leading) issuer (:func:`same_issuer_test`); where those rules are missing from the build, the test says it cannot
  tell.
* **Candidate extraordinary measures** (a sourced fact table) are dated against the State Council plan of July 2017
  (:func:`measures_against_plan`): a measure that came before the plan cannot be its effect.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.corpus import select
from analysis.counting.names import load_name_rules, mask_names
from analysis.evidence.beyond.common import COMPARED, chinese_documents, load_rules, rule_spans
from analysis.io import vocabulary
from analysis.io.dates import STATE_COUNCIL_PLAN, date_window, timing_relative
from analysis.io.paths import DATA_DIR

#: The fact table of Entity List listings of Chinese AI companies.
ENTITY_LIST_TABLE = "entity_list_ai_companies"


def team_on_entity_list(team: pd.DataFrame, listings: pd.DataFrame) -> pd.DataFrame:
    """National AI team members that appear in ``listings`` (one row per member and listing).

    ``listings`` is the Entity List fact table; it needs ``company_key`` and ``source`` and should
    carry the listing date. Output columns: ``company_key, company_en, company_zh, field_en,
    date_announced`` (from the team) followed by every other column of ``listings`` (its ``source``
    renamed ``listing_source``; its own name columns dropped) and, when the listing date is known,
    ``listed_after_joining`` (``yes`` when the listing date, ISO text, is later than the date the
    company joined the team); sorted by listing date (see :func:`listing_date_column`) and company key.
    """
    for name, frame in (("team", team), ("listings", listings)):
        if "company_key" not in frame.columns:
            raise ValueError(f"the {name} table needs a company_key column")
    left = team.loc[:, ["company_key", "company_en", "company_zh", "field_en", "date_announced"]]
    right = listings.rename(columns={"source": "listing_source"})
    right = right.drop(
        columns=[c for c in ("company_en", "company_zh", "field_en", "date_announced") if c in right.columns]
    )
    joined = left.merge(right, on="company_key", how="inner", validate="one_to_many")
    date_column = listing_date_column(listings)
    if date_column:
        joined["listed_after_joining"] = [
            "yes" if str(listed) > str(joined_team) else "no"
            for listed, joined_team in zip(joined[date_column], joined["date_announced"], strict=False)
        ]
    keys = ([date_column] if date_column else []) + ["company_key"]
    return joined.sort_values(keys, kind="mergesort").reset_index(drop=True)


#: Column names that hold the listing date in an Entity List table, in order of preference.
LISTING_DATE_COLUMNS: tuple[str, ...] = ("effective", "date_effective", "listed", "date_listed", "announced", "date")


def listing_date_column(listings: pd.DataFrame) -> str | None:
    """The column of ``listings`` that holds the listing date (see :data:`LISTING_DATE_COLUMNS`), if any."""
    return next((c for c in LISTING_DATE_COLUMNS if c in listings.columns), None)


def count_team_on_entity_list(team: pd.DataFrame, listings: pd.DataFrame) -> int:
    """How many distinct national AI team members are on the Entity List."""
    return int(team_on_entity_list(team, listings)["company_key"].nunique())


# ---------------------------------------------------------------------------------------------
# Measures as instruments (Balzacq): what the rules do, AI against control, the same issuer's rules
# ---------------------------------------------------------------------------------------------

INSTRUMENTS_PATH: Path = DATA_DIR / "argument" / "policy_instruments.csv"
#: Balzacq's two kinds of policy tool, with readers' labels (one home: :mod:`analysis.io.vocabulary`).
INSTRUMENT_KINDS: dict[str, str] = vocabulary.INSTRUMENT_KINDS
#: The texts that create instruments: binding rules (:data:`analysis.corpus.select.GENRE_GROUPS`).
RULES = "rules"
COUNT_COLUMNS: tuple[str, ...] = ("doc_id", "topic", "level_group", "lead_issuer", "date")


class InstrumentRuleError(ValueError):
    """The instrument file is malformed (the message names the file and line)."""


def load_instruments(path: Path | None = None) -> pd.DataFrame:
    """The instruments (``data/argument/policy_instruments.csv``), validated: every pattern compiles and matches its
    example; in file order (a longer instrument listed first, 算法备案, is not counted again by a shorter one, 备案)."""
    return load_rules(
        INSTRUMENTS_PATH if path is None else Path(path), "argument/policy_instruments.csv", InstrumentRuleError
    )


def instrument_counts(corpus: pd.DataFrame, *, instruments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per Chinese AI and control text of ``corpus`` that is a binding rule (by date): :data:`COUNT_COLUMNS` and,
    per instrument, how often the text names it outside names and citations (a clause citing the title of the
    CAC's 2018 assessment provisions does not set up an assessment). Empty, with its columns, without such text."""
    instruments = load_instruments() if instruments is None else instruments
    names = load_name_rules()
    docs = chinese_documents(corpus, None, COMPARED)
    docs = docs[docs["genre_group"] == RULES]
    rows = []
    for _, doc in docs.iterrows():
        spans = rule_spans(mask_names(doc["text"], names), instruments, "instrument")
        found = spans["instrument"].value_counts()
        row = {c: doc[c] for c in ("doc_id", "topic", "level_group", "date")}
        row["lead_issuer"] = select.lead_issuer(doc["issuer"])
        rows.append({**row, **{i: int(found.get(i, 0)) for i in instruments["instrument"]}})
    out = pd.DataFrame(rows, columns=[*COUNT_COLUMNS, *instruments["instrument"]])
    return out.astype({i: "int64" for i in instruments["instrument"]})


def instrument_summary(counts: pd.DataFrame, instruments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per instrument (file order): its kind, and for the AI and the control rules, how many rules use it and how
    many there are (``ai_using``, ``ai_rules``, ``control_using``, ``control_rules``)."""
    instruments = load_instruments() if instruments is None else instruments
    ai, control = select.select_topic(counts, select.AI), select.select_topic(counts, select.CONTROL)
    rows = [
        {
            "instrument": i, "kind": k, "ai_using": int((ai[i] > 0).sum()), "ai_rules": len(ai),
            "control_using": int((control[i] > 0).sum()), "control_rules": len(control),
        }
        for i, k in zip(instruments["instrument"], instruments["kind"], strict=True)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["instrument", "kind", "ai_using", "ai_rules", "control_using", "control_rules"])


#: The readings of the same-issuer test, in the order the chapter reports them.
READINGS: dict[str, str] = {
    "ordinary": "also in the issuer's non-AI rules",
    "absent": "absent from the issuer's non-AI rules available here",
    "missing": "cannot tell: none of the issuer's non-AI rules is available here",
    "unlisted": "cannot tell: the manifest lists no non-AI rule of this issuer",
}
SAME_ISSUER_COLUMNS: tuple[str, ...] = (
    "lead_issuer", "instrument", "kind", "ai_rules", "controls_listed", "controls_available", "controls_using",
    "controls_missing", "reading",
)  # fmt: skip


def _control_rules(manifest: pd.DataFrame) -> pd.DataFrame:
    chosen = select.select_topic(manifest[select.is_chinese(manifest)], select.CONTROL)
    chosen = chosen[chosen["genre"].map(select.genre_group) == RULES]
    return chosen.assign(
        lead_issuer=chosen["issuer"].map(select.lead_issuer), level_group=chosen["level"].map(select.level_group)
    )


def same_issuer_test(
    counts: pd.DataFrame, manifest: pd.DataFrame, instruments: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Is each instrument of the AI rules *extraordinary*, i.e. absent from comparable non-AI rules of the same
    issuer? Per lead issuer of an AI rule and instrument its AI rules use: the AI rules (ids, ``;``), the control
    rules of that issuer and level group the manifest lists, those this build has, how many use the instrument, the
    missing ones (ids), and the reading (:data:`READINGS`). An instrument is called extraordinary only against
    controls that are present: a missing control never makes an instrument look new."""
    instruments = load_instruments() if instruments is None else instruments
    kinds = dict(zip(instruments["instrument"], instruments["kind"], strict=True))
    controls = _control_rules(manifest)
    present = select.select_topic(counts, select.CONTROL)
    rows = []
    ai = select.select_topic(counts, select.AI)
    for (issuer, group), rules in ai.groupby(["lead_issuer", "level_group"], sort=True):
        listed = controls[(controls["lead_issuer"] == issuer) & (controls["level_group"] == group)]
        have = present[present["doc_id"].isin(listed["doc_id"])]
        missing = [d for d in listed["doc_id"] if d not in set(have["doc_id"])]
        for instrument in instruments["instrument"]:
            using = rules[rules[instrument] > 0]
            if using.empty:
                continue
            n_using = int((have[instrument] > 0).sum())
            reading = "unlisted" if listed.empty else "missing" if have.empty else "ordinary" if n_using else "absent"
            rows.append(
                {
                    "lead_issuer": issuer, "instrument": instrument, "kind": kinds[instrument],
                    "ai_rules": ";".join(using["doc_id"]), "controls_listed": len(listed),
                    "controls_available": len(have), "controls_using": n_using, "controls_missing": ";".join(missing),
                    "reading": READINGS[reading],
                }
            )  # fmt: skip
    return pd.DataFrame(rows, columns=list(SAME_ISSUER_COLUMNS))


# ---------------------------------------------------------------------------------------------
# Candidate extraordinary measures (a sourced table) against the date of the 2017 plan
# ---------------------------------------------------------------------------------------------


def measures_against_plan(measures: pd.DataFrame) -> pd.DataFrame:
    """The sourced table of candidate extraordinary measures (``extraordinary_measures``) with ``against_plan``: the
    measure's date against the State Council plan (signed 2017-07-08, published 2017-07-20), by the rule of
    :func:`analysis.io.dates.timing_relative` (a date known to the year only is a window). A measure dated before
    the plan cannot be its effect."""
    windows = [date_window(str(d)) for d in measures["date"]]
    return measures.assign(against_plan=[timing_relative(w, STATE_COUNCIL_PLAN) for w in windows])
