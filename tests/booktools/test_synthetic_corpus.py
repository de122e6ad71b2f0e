"""The synthetic corpus generator (booktools.synthetic_corpus): each plan's texts give the ledger exactly the statuses
the plan requires (derived from the plan alone), every document has a plausible, obviously synthetic text, and the
build recognises it as synthetic. These are tests of our computation on fixtures with known answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import load_corpus, load_manifest, select_topic
from analysis.datastate import synthetic_documents
from analysis.evidence import ledger
from analysis.io.text import count_characters, normalize_text
from booktools import synthetic_corpus as S
from booktools.cli import main

HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def _mirror_and_corpus(tmp: Path, plan: str) -> tuple[Path, pd.DataFrame]:
    mirror = tmp / "mirror"
    table = S.write_mirror(mirror, plan)
    S.write_book_manifest(tmp / "manifest.csv", table)  # the real manifest's verified hashes cannot match
    return mirror, load_corpus(mirror, manifest=tmp / "manifest.csv", cache_dir=tmp / "empty-cache")


@pytest.fixture(scope="module", params=sorted(S.PLANS))
def state(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, pd.DataFrame]:
    mirror, corpus = _mirror_and_corpus(tmp_path_factory.mktemp(request.param), request.param)
    return request.param, mirror, corpus


def test_the_ledger_shows_exactly_the_statuses_the_plan_requires(state: tuple[str, Path, pd.DataFrame]) -> None:
    plan, mirror, corpus = state
    record = json.loads((mirror / S.PLAN_FILE).read_text(encoding="utf-8"))
    evaluated = ledger.evaluate_ledger(select_topic(corpus)).set_index("claim_id")
    shown = {c: evaluated.at[c, "status"] for c in record["expected_statuses"]}
    assert shown == record["expected_statuses"]
    moved = set(S.PLANS[plan].moves)
    assert {c for c, s in shown.items() if s == "differs"} == moved  # differs for exactly the moved claims
    if plan == "partial":
        assert "not reproducible here" in shown.values() and "reproduced" in shown.values()


def test_documents_present_are_exactly_those_the_plan_keeps(state: tuple[str, Path, pd.DataFrame]) -> None:
    plan, mirror, corpus = state
    manifest = load_manifest()
    missing = set(S.missing_documents(S.PLANS[plan], manifest))
    assert corpus["doc_id"].tolist() == [d for d in manifest["doc_id"] if d not in missing]
    assert len(missing) == round(S.PLANS[plan].missing_share * len(manifest))
    table = pd.read_csv(mirror / "manifest.csv", dtype=str, keep_default_na=False)
    assert tuple(table.columns) == S.MIRROR_COLUMNS and table["copy_source"].str.startswith("synthetic").all()


def test_texts_pass_the_plausibility_checks(state: tuple[str, Path, pd.DataFrame]) -> None:
    plan, _, corpus = state
    for row in corpus.itertuples(index=False):
        text = row.text
        assert count_characters(text) >= S.MIN_CHARS, row.doc_id
        title = row.title_en if row.language == "en" else row.title_zh
        assert normalize_text(title) in text, row.doc_id
        for number in S.document_numbers(row.doc_number):
            assert normalize_text(number) in text, (row.doc_id, number)
        han, latin = len(HAN.findall(text)), len(LATIN.findall(text))
        share = han / (han + latin)
        assert share > 0.8 if row.language == "zh" else share < 0.05, row.doc_id
        first = text.splitlines()[0]
        assert "SYNTHETIC" in first and f"plan {plan}" in first


def test_texts_are_deterministic_and_distinct(tmp_path: Path) -> None:
    a = S.write_mirror(tmp_path / "a", "dissent")
    b = S.write_mirror(tmp_path / "b", "dissent")
    assert a["sha256"].tolist() == b["sha256"].tolist()
    assert a["sha256"].is_unique


def test_plant_counts_and_plan_validation() -> None:
    assert S.plant_counts({"安全": 48, "国家安全": 8}) == {"安全": 40, "国家安全": 8}
    with pytest.raises(ValueError, match="cannot all hold"):
        S.plant_counts({"安全": 1, "国家安全": 2})
    table = ledger.load_ledger()
    with pytest.raises(ValueError, match="still agrees with the article"):
        S.validate(S.Plan("x", "a move that moves nothing", moves={"s3-ngaidp2017-anquan": "48"}), table)
    with pytest.raises(ValueError, match="not a text claim"):
        S.validate(S.Plan("x", "a fact claim cannot be planted", moves={"s4-team-size": "16"}), table)


def test_the_build_knows_its_texts_are_synthetic(tmp_path: Path) -> None:
    mirror = tmp_path / "m"
    table = S.write_mirror(mirror, "article")
    found = synthetic_documents(mirror, cache_dir=tmp_path / "raw")
    manifest = load_manifest()
    hashes = dict(zip(table["doc_id"], table["sha256"], strict=True))
    chars = dict(zip(table["doc_id"], table["chars"].astype(int), strict=True))
    openings = dict(zip(table["doc_id"], table["opening_sha256"], strict=True))
    # Used (and so marked) when the manifest has no verified hash for it; against a real hash it stays out, as
    # against the real text's opening fingerprint or a real length it falls far short of (analysis.corpus.accept).
    # In a synthetic data state (.ci/run) the scratch manifest holds the synthetic texts' hashes, openings and
    # lengths (booktools.synthetic_corpus.write_book_manifest): there every text is usable.
    usable = [
        d
        for d, h, opening, length in zip(
            manifest["doc_id"],
            manifest["expected_sha256"],
            manifest["opening_sha256"],
            manifest["chars_expected"],
            strict=True,
        )
        if h in ("", hashes[d]) and opening in ("", openings[d]) and (not length or chars[d] >= 0.8 * int(length))
    ]
    assert found == sorted(usable)


def test_never_overwrites_a_mirror_or_a_checked_out_manifest(tmp_path: Path) -> None:
    S.write_mirror(tmp_path / "m", "article")
    with pytest.raises(FileExistsError):
        S.write_mirror(tmp_path / "m", "article")
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    (checkout / "data" / "corpus").mkdir(parents=True)
    target = checkout / "data" / "corpus" / "manifest.csv"
    target.write_text("unchanged\n", encoding="utf-8")
    with pytest.raises(ValueError, match="refusing"):
        S.write_book_manifest(target, pd.DataFrame({"doc_id": [], "sha256": []}))
    assert target.read_text(encoding="utf-8") == "unchanged\n"


def test_cli_writes_a_mirror_and_checks_a_ledger_page(tmp_path: Path) -> None:
    assert main(["synthetic-corpus", str(tmp_path / "m"), "--plan", "partial"]) == 0
    n = len(load_manifest())
    assert len(list((tmp_path / "m" / "texts").glob("*.txt"))) == n - round(S.PLANS["partial"].missing_share * n)
    assert main(["synthetic-corpus", str(tmp_path / "m")]) == 2  # not into a folder that already holds a mirror
    record = json.loads((tmp_path / "m" / S.PLAN_FILE).read_text(encoding="utf-8"))
    rows = pd.DataFrame(
        {"claim_id": list(record["expected_statuses"]), "status": list(record["expected_statuses"].values())}
    )
    page = tmp_path / "ledger.html"
    from analysis.present.tables import download_link

    page.write_text(download_link(rows, "ledger.csv", "the ledger"), encoding="utf-8")
    assert main(["synthetic-corpus", str(tmp_path / "m"), "--check-ledger", str(page)]) == 0
    rows.loc[0, "status"] = "corroborated"
    page.write_text(download_link(rows, "ledger.csv", "the ledger"), encoding="utf-8")
    assert main(["synthetic-corpus", str(tmp_path / "m"), "--check-ledger", str(page)]) == 1
