"""The ledger and data-provenance appendices (:mod:`analysis.present.pages.appendices`) on the corpus this build has,
whatever it is: the checks the two notebooks once ran in hidden cells, and their reader tables (numbered, captioned,
documents by title, ids only in the CSV downloads)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import STATUSES as CORPUS_STATUSES
from analysis.corpus import coverage, load_corpus, load_manifest
from analysis.datastate import chapter_corpus
from analysis.evidence import ledger
from analysis.present.pages import appendices as page
from analysis.present.tables import BookTable


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return chapter_corpus(topic="ai")


@pytest.fixture(scope="module")
def evaluated(corpus: pd.DataFrame) -> pd.DataFrame:
    return ledger.evaluate_ledger(corpus)


@pytest.fixture(scope="module")
def cov() -> pd.DataFrame:
    return coverage("")  # the cache of this build, no mirror (tests never read $CORPUS_MIRROR)


def _doc_ids_shown(shown: BookTable) -> set[str]:
    ids = set(load_manifest()["doc_id"])
    cells = [*map(str, shown.frame.columns), *shown.frame.astype(str).to_numpy().ravel()]
    words = {
        w for cell in cells for w in re.findall(r"[A-Za-z0-9_]+", re.sub(r"`[^`]*`|<[^>]*>|\(<[^>]*>\)", "", cell))
    }
    return words & ids


def test_every_claim_has_one_status_and_an_explanation(evaluated: pd.DataFrame) -> None:
    assert len(evaluated) > 0 and evaluated["claim_id"].is_unique
    assert evaluated["tier"].isin(ledger.TIERS).all()
    assert evaluated["status"].isin(ledger.STATUSES).all()
    assert (evaluated["explanation"].str.strip() != "").all()
    not_here = evaluated[evaluated["status"] == ledger.NOT_REPRODUCIBLE]
    assert not_here["explanation"].str.startswith("not reproducible here").all()


def test_the_ledger_tables_add_up_and_name_no_document_by_id(corpus: pd.DataFrame, evaluated: pd.DataFrame) -> None:
    sections = page.sections_table(evaluated)
    assert int(sections.data.set_index("section").loc["all sections", "total"]) == len(evaluated)
    tiers = page.tiers_table(evaluated)
    assert tiers.data["total"].sum() == len(evaluated)
    core = page.core_claims_table(evaluated)
    assert len(core.frame) == int((evaluated["tier"] == "core").sum())
    assert list(core.frame.columns[:2]) == ["claim", "as reported by the article"]  # no claim_id, no index
    tables = [tiers, core, page.local_plans_table(corpus), sections, *page.section_tables(evaluated)]
    assert all(t.caption and t.name for t in tables)
    assert len({t.name for t in tables}) == len(tables)
    assert {t.name: _doc_ids_shown(t) for t in tables if _doc_ids_shown(t)} == {}
    shown = sum(len(t.frame) for t in page.section_tables(evaluated)) + len(page.extension_table(evaluated).frame)
    assert shown == len(evaluated)


def test_the_whole_ledger_download_keeps_ids_for_the_synthetic_state_check(evaluated: pd.DataFrame, tmp_path: Path):
    from booktools.synthetic_corpus import ledger_from_page

    html = page.ledger_download(evaluated).data
    (tmp_path / "ledger.html").write_text(html, encoding="utf-8")
    downloaded = ledger_from_page(tmp_path / "ledger.html")
    assert downloaded["claim_id"].tolist() == evaluated["claim_id"].tolist()
    assert downloaded["status"].tolist() == evaluated["status"].tolist()


def test_coverage_lists_every_manifest_document_once_and_hashes_match(cov: pd.DataFrame) -> None:
    manifest = load_manifest()
    assert cov["doc_id"].tolist() == manifest["doc_id"].tolist() and cov["doc_id"].is_unique
    assert set(cov["status"]) <= set(CORPUS_STATUSES)
    available = cov[cov["status"] == "available"]
    checked = available[available["expected_sha256"] != ""]
    assert (checked["sha256"] == checked["expected_sha256"]).all()
    assert (cov.loc[cov["status"] != "available", "sha256"] == "").all()


def test_the_chapters_load_exactly_the_available_texts(cov: pd.DataFrame) -> None:
    corpus = load_corpus("")
    available = cov[cov["status"] == "available"]
    assert corpus["doc_id"].tolist() == available["doc_id"].tolist()
    assert corpus["chars"].tolist() == available["chars"].tolist()
    assert (corpus["chars"] == corpus["text"].map(lambda t: sum(1 for ch in t if not ch.isspace()))).all()


def test_the_provenance_tables(cov: pd.DataFrame) -> None:
    manifest = load_manifest()
    tables = [
        page.manifest_table(manifest),
        page.coverage_reader_table(cov),
        page.status_table(cov),
        page.routes_table(manifest),
        page.missing_table(cov),
    ]
    assert all(t.caption and t.name and t.name.startswith("tbl-provenance-") for t in tables)
    assert {t.name: _doc_ids_shown(t) for t in tables if _doc_ids_shown(t)} == {}
    coverage_csv = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', tables[1].markdown()).group(1)
    assert base64.b64decode(coverage_csv).decode("utf-8-sig").startswith("doc_id,")  # ids stay in the download
    missing = tables[-1]
    assert len(missing.data) == int((cov["status"] != "available").sum())
    text = page.availability(cov).data
    assert f"{int((cov['status'] == 'available').sum())} of {len(cov)} manifest documents" in text


def test_the_missing_texts_table_links_every_route_in_every_data_state(tmp_path: Path) -> None:
    empty = coverage("", cache_dir=tmp_path / "empty")  # no text at all: every document is missing
    shown = page.missing_table(empty)
    assert len(shown.frame) == len(empty)
    routes = shown.frame["routes (tried in this order)"]
    assert routes.str.contains(r"\]\(<https?://").any() and routes.str.contains("no route known").any()
    assert shown.frame["import a copy saved by hand"].str.match(r"`python -m analysis corpus import FILE --doc ").all()
