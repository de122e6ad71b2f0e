"""The chapter on the securitizing move (:mod:`analysis.present.pages.move.securitizing_move` and
:mod:`analysis.present.pages.move.validation`) on the corpus this build has, whatever it is: the consistency checks the
notebook once ran in hidden cells, the issue-22 fixes (no decoration, n on every figure, no zero-width interval, no
statement on an unreliable category), and every output in a build without texts. Never an article value."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.corpus import CORPUS_COLUMNS, load_manifest
from analysis.datastate import chapter_corpus, chapter_coverage
from analysis.present.pages.move import securitizing_move as page
from analysis.present.pages.move import validation
from analysis.present.plotting import figure_alt
from analysis.present.tables import NO_ROWS, BookTable
from analysis.sections.move import agreement, baseline, inference, speech_acts

TOPICS = ("ai", "control")


@pytest.fixture(scope="module")
def move() -> page.Move:
    return page.compute(chapter_corpus(topic=TOPICS), chapter_coverage(topic=TOPICS))


@pytest.fixture(scope="module")
def empty() -> page.Move:
    cover = chapter_coverage(topic=TOPICS).assign(status="missing")
    return page.compute(pd.DataFrame(columns=list(CORPUS_COLUMNS)), cover)


@pytest.fixture(scope="module")
def coded(move: page.Move) -> validation.Coded:
    return validation.code(move.zh)


def _tables(move: page.Move, coded: validation.Coded) -> list[BookTable]:
    return [
        page.name_rules_table(), page.name_effect_table(move), page.name_audit_table(move), page.strata_table(move),
        page.coverage_table(move), *page.document_tables(move), page.verdict_table(move), page.robustness_table(move),
        page.leave_one_out_table(move), *page.rules_tables(), page.summary_table(coded), page.rule_usage_table(coded),
        page.rule_audit_table(coded), validation.design_table(coded), validation.kappa_table(coded),
        validation.categories_table(coded), *validation.confusion_tables(coded), validation.hand_table(coded, "strand"),
        validation.hand_table(coded, "threat_direction"),
    ]  # fmt: skip


def _shown_ids(shown: BookTable) -> set[str]:
    cells = [*map(str, shown.frame.columns), *shown.frame.astype(str).to_numpy().ravel()]
    return {w for cell in cells for w in re.findall(r"[A-Za-z0-9_]+", cell)} & set(load_manifest()["doc_id"])


def test_the_name_class_adds_up(move: page.Move) -> None:
    effect = move.effect.set_index("doc_id")
    for doc_id, text in zip(move.zh["doc_id"], move.zh["text"], strict=True):
        row = effect.loc[doc_id]
        assert row["all"] == text.count("安全")
        assert row["names_total"] + row["without_names"] == row["all"]
        assert row["security_sense_without_names"] <= row["security_sense_all"]
    assert len(page.name_audit_table(move).data) == int(effect["names_total"].sum())


def test_every_interval_holds_its_value_and_none_is_zero_width(move: page.Move) -> None:
    for table in move.docs.values():
        assert ((table["count_lo"] <= table["count"]) & (table["count"] <= table["count_hi"])).all()
        assert set(table["topic"]) <= set(TOPICS)
        assert (table["share_hi"].fillna(1) > 0).all()  # a zero share gets an upper bound
    for shown in page.document_tables(move):
        assert not shown.frame.astype(str).apply(lambda c: c.str.contains(r"\[0(?:\.0)?–0(?:\.0)?\]")).any().any()


@pytest.mark.parametrize("value, lo, hi", [(0.0, 0.0, 0.08), (0.0, 0.0, 0.003), (0.0, 0.0, 0.00004), (0.5, 0.2, 0.8)])
def test_a_share_never_reads_zero_to_zero(value: float, lo: float, hi: float) -> None:
    for text in (validation.share_text(value, lo, hi), str(page._share(value, lo, hi))):
        assert not re.search(r"\[0(?:\.0+)?–0(?:\.0+)?\]", text), text


def test_a_verdict_word_only_where_both_sides_have_documents(move: page.Move) -> None:
    for t in move.tables.values():
        both = (t["ai_docs"] >= inference.MIN_DOCS) & (t["control_docs"] >= inference.MIN_DOCS)
        assert (t.loc[~both, "verdict"] == inference.CANNOT_TELL).all()
        assert set(t["verdict"]) <= set(inference.VERDICTS)
        assert ((t["perm_p"] >= t["perm_smallest_p"] - 1e-12) | t["perm_p"].isna()).all()
    shown = page.verdict_table(move)
    assert set(shown.data["verdict"]) <= set(inference.VERDICTS)


def test_the_coding_and_its_validation_fit_together(coded: validation.Coded) -> None:
    assert set(coded.coded["function"]) <= {*speech_acts.FUNCTIONS, speech_acts.UNMARKED}
    assert set(coded.coded["object"]) <= set(speech_acts.OBJECTS)
    result = coded.result
    assert set(result.joined["status"]) <= set(agreement.JOIN_STATUSES) and len(result.joined) == len(coded.smp)
    assert coded.reliable <= set(zip(result.categories["comparison"], result.categories["category"], strict=True))
    assert result.dimensions.empty == result.agreed.empty
    assert (result.dimensions["kappa"] <= 1).all() or result.dimensions.empty


def test_no_decoration_and_every_unreliable_category_marked(coded: validation.Coded) -> None:
    assert "claim_warn_request" not in speech_acts.coding_summary(coded.coded).columns
    shown = page.summary_table(coded)
    assert not any("function" in c or "no act" in c for c in shown.frame.columns)
    for column, (_label, category) in validation.SUMMARY_COLUMNS.items():
        if category is None or column not in coded.summary.columns:
            continue
        marked = [c for c in shown.frame.columns if c.endswith(validation.UNRELIABLE_MARK.strip())]
        is_marked = any(c.startswith(validation.SUMMARY_COLUMNS[column][0]) for c in marked)
        assert is_marked == (category not in coded.reliable), column


def test_no_sentence_counts_an_unreliable_category(coded: validation.Coded) -> None:
    words = validation.move_reading_text(coded).data
    acts = {"claim": "claims", "warn": "warnings", "request": "requests"}
    readable = next((s for s in words.split(". ") if "can be read as acts" in s), "")
    holds = next((s for s in words.split(". ") if "object coding holds for" in s), "")
    for act, noun in acts.items():
        if (act, act) not in coded.reliable:
            assert noun not in readable
    for category in validation.coding.RULE_CODES["object"]:
        if ("object", category) not in coded.reliable:
            assert category.replace("_", " ") not in holds.split(":")[0]
    for item in page.plan_passages(coded):
        text = item if isinstance(item, str) else item.full_caption
        for act, noun in acts.items():
            if (act, act) not in coded.reliable and f"{noun}:" in text:
                assert f"{noun}{validation.UNRELIABLE_MARK}:" in text


def test_reader_tables_are_numbered_and_name_documents_by_title(move: page.Move, coded: validation.Coded) -> None:
    tables = _tables(move, coded)
    names = [t.name for t in tables]
    assert len(set(names)) == len(names) and all(n.startswith("tbl-move-") for n in names)
    assert all(t.caption for t in tables)
    assert not set().union(*(_shown_ids(t) for t in tables))


def test_every_figure_shows_n_and_has_computed_alt_text(plotting, move: page.Move, coded: validation.Coded) -> None:
    for fig in (page.documents_figure(move), page.ratio_figure(move), page.objects_figure(coded)):
        alt = figure_alt(fig)
        assert not alt.startswith(("Figure:", "Figure of this chapter"))
        texts = " ".join(t.get_text() for t in fig.findobj(plt.Text))
        assert "n =" in texts.replace("\u00a0", " ") or "in this build" in texts
        plt.close(fig)


def test_every_output_in_a_build_without_texts(plotting, empty: page.Move) -> None:
    assert "not reproducible here" in page.holdings(empty).data.lower()
    for shown in (page.name_effect_table(empty), page.verdict_table(empty), *page.document_tables(empty)):
        assert NO_ROWS in shown.markdown()
    assert page.name_effect_summary(empty).data.startswith("Not reproducible here")
    assert page.reading_paragraphs(empty).data.startswith("Not reproducible here")
    for fig in (page.documents_figure(empty), page.ratio_figure(empty)):
        assert "in this build" in figure_alt(fig)
        plt.close(fig)
    lacking = page.cannot_show(empty).data
    assert lacking.count("Not reproducible here") >= 2 and "ngaidp_2017" not in lacking
    assert set(baseline.stratum_coverage(empty.cover, empty.strata)["available"]) == {0}


#: A synthetic stand-in for the 2017 plan (not its text): a claim, a warning and a request around 国家安全.
SYNTHETIC_PLAN = (
    "人工智能已成为国际竞争的新焦点。我国人工智能整体发展水平与发达国家相比仍存在差距，面临安全风险。"
    "必须加快发展人工智能，维护国家安全。"
)


def test_the_plans_coded_sentences_are_listed_when_the_build_has_it() -> None:
    zh = pd.DataFrame(
        [{"doc_id": validation.CENTRE, "topic": "ai", "genre": "plan", "language": "zh", "date": "2017-07-08",
          "text": SYNTHETIC_PLAN, "chars": len(SYNTHETIC_PLAN)}]
    )  # fmt: skip
    coded = validation.code(zh)
    text, shown = page.plan_passages(coded)
    assert text.startswith("**The 2017 plan") and f"{len(coded.coded)} sentences" in text
    assert (
        shown.name == "tbl-move-plan-passages" and len(shown.data) == len(coded.coded) == 2
    )  # the first sentence has no security word
    for act in ("claim", "warn", "request"):  # nothing is joined, so no act is reliable: every act is marked
        assert f"{act}{validation.UNRELIABLE_MARK}" in shown.frame.columns
