"""The chapter beyond the count (:mod:`analysis.present.pages.move.beyond`) on the corpus this build has, whatever it is:
the consistency checks the notebook once ran in hidden cells, reader tables numbered with documents by title, and every
output in a build without texts. Never a finding asserted against the texts: a finding that differs is a result."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.corpus import CORPUS_COLUMNS, load_manifest
from analysis.datastate import chapter_corpus
from analysis.evidence import ledger
from analysis.evidence.beyond import addressees, provenance
from analysis.present.pages.move import beyond as page
from analysis.present.plotting import figure_alt
from analysis.present.tables import NO_ROWS


@pytest.fixture(scope="module")
def beyond() -> page.Beyond:
    return page.compute(chapter_corpus(topic=("ai", "control", "reference")))


@pytest.fixture(scope="module")
def empty() -> page.Beyond:
    return page.compute(pd.DataFrame(columns=list(CORPUS_COLUMNS)))


def _tables(b: page.Beyond) -> list:
    return [
        page.addressee_rules_table(), page.addressee_table(b), page.recipients_table(b), page.addressee_audit_table(b),
        page.markers_table(b), page.grammar_texts_table(b), page.grammar_strata_table(b), page.provenance_table(b),
        page.provenance_audit_table(b), page.ledger_table(b),
    ]  # fmt: skip


def test_the_three_computations_fit_together(beyond: page.Beyond) -> None:
    clauses, texts = beyond.clauses, beyond.texts
    assert set(clauses["addressee"]) <= set(addressees.LABELS) and set(clauses["basis"]) <= set(addressees.BASES)
    assert int(beyond.summary["anquan"].sum()) == int(clauses["anquan"].sum())
    assert set(beyond.counts["topic"]) <= {"ai", "control"} and set(beyond.occurrences["topic"]) <= {"ai", "control"}
    assert (texts[list(provenance.STATUSES)].sum(axis=1) == texts["anquan"]).all()
    assert int(beyond.occurrences["status"].ne("name").sum()) == int(clauses["anquan"].sum())  # the same 安全


def test_the_extension_claims_have_a_status(beyond: page.Beyond) -> None:
    shown = page.ledger_table(beyond)
    assert set(shown.data["status"]) <= set(ledger.STATUSES) and "claim_id" not in shown.frame.columns


def test_reader_tables_are_numbered_and_name_no_document_by_id(beyond: page.Beyond) -> None:
    tables = _tables(beyond)
    names = [t.name for t in tables]
    assert len(set(names)) == len(names) and all(
        n.startswith("tbl-beyond-") and t.caption for n, t in zip(names, tables, strict=True)
    )
    ids = set(load_manifest()["doc_id"])
    for t in tables:
        cells = [*map(str, t.frame.columns), *t.frame.astype(str).to_numpy().ravel()]
        assert not {w for c in cells for w in re.findall(r"[A-Za-z0-9_]+", c)} & ids, t.name
    for text in (page.holdings(beyond), page.addressee_paragraph(beyond), page.provenance_paragraph(beyond)):
        assert not set(re.findall(r"[A-Za-z0-9_]+", text.data)) & ids


def test_every_output_in_a_build_without_texts(plotting, empty: page.Beyond) -> None:
    assert "not reproducible here" in page.holdings(empty).data.lower()
    for shown in (page.recipients_table(empty), page.grammar_texts_table(empty), page.provenance_table(empty)):
        assert NO_ROWS in shown.markdown()
    for text in (page.addressee_paragraph(empty), page.grammar_paragraph(empty), page.provenance_paragraph(empty)):
        assert text.data.startswith("Not reproducible here")
    for fig in (page.addressee_figure(empty), page.grammar_figure(empty), page.provenance_figure(empty)):
        assert "in this build" in figure_alt(fig)
        plt.close(fig)
    assert page.cannot_show(empty).data.count("Not reproducible here") == 3
