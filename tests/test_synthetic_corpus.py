"""The synthetic full-corpus stand-in (tests/synthetic_corpus.py): the article's numbers hold exactly, every
document has a plausible, obviously synthetic text, and the build recognises it as synthetic."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from tests import synthetic_corpus as S

from analysis import audiences, counting, ledger
from analysis.corpus import load_corpus, load_manifest
from analysis.datastate import select_topic, synthetic_documents
from analysis.text import count_characters, normalize_text

HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic-mirror")
    S.write_mirror(out)
    return out


@pytest.fixture(scope="module")
def corpus(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    # The real manifest's expected hashes cannot match synthetic texts: use the generator's adjusted copy.
    manifest_copy = tmp_path_factory.mktemp("book") / "manifest.csv"
    S.write_book_manifest(manifest_copy, pd.read_csv(mirror / "manifest.csv", dtype=str, keep_default_na=False))
    return load_corpus(mirror, manifest=manifest_copy, cache_dir=tmp_path_factory.mktemp("empty-cache"))


def test_a_text_for_every_manifest_document(mirror: Path, corpus: pd.DataFrame) -> None:
    manifest = load_manifest()
    table = pd.read_csv(mirror / "manifest.csv", dtype=str, keep_default_na=False)
    assert tuple(table.columns) == S.MIRROR_COLUMNS
    assert table["doc_id"].tolist() == manifest["doc_id"].tolist()
    assert table["copy_source"].str.startswith("synthetic").all()
    assert corpus["doc_id"].tolist() == manifest["doc_id"].tolist()  # all available, hashes verified


def test_texts_pass_the_plausibility_checks(corpus: pd.DataFrame) -> None:
    for row in corpus.itertuples(index=False):
        text = row.text
        assert count_characters(text) >= 1000, row.doc_id
        title = row.title_en if row.language == "en" else row.title_zh
        assert normalize_text(title) in text, row.doc_id  # the corpus layer compares normalized texts
        for number in S.document_numbers(row.doc_number):
            assert normalize_text(number) in text, (row.doc_id, number)
        han, latin = len(HAN.findall(text)), len(LATIN.findall(text))
        if row.language == "zh":
            assert han > 0.8 * (han + latin), row.doc_id
        else:
            assert latin > 0.95 * (han + latin), row.doc_id
        assert "SYNTHETIC" in text.splitlines()[0]


def test_texts_are_deterministic_and_distinct() -> None:
    manifest = load_manifest()
    rows = [r for _, r in manifest.iterrows()]
    first = [S.synthetic_text(r) for r in rows]
    assert first == [S.synthetic_text(r) for r in rows]
    assert len(set(first)) == len(first)


@pytest.mark.parametrize(("doc", "term", "expected"), S.ARTICLE_COUNTS)
def test_article_counts_hold_exactly(corpus: pd.DataFrame, doc: str, term: str, expected: int) -> None:
    texts = dict(counting.corpus_documents(corpus))
    assert counting.count_term(texts[doc], term, "inclusive") == expected


def test_ledger_reproduces_the_six_article_counts(corpus: pd.DataFrame) -> None:
    evaluated = ledger.evaluate_ledger(select_topic(corpus))
    counts = evaluated[evaluated["method"] == "term_count"]
    six = counts[counts["params"].str.contains("doc=internet_plus_ai_2016|doc=ngaidp_2017", regex=True)]
    assert len(six) == 6
    assert (six["status"] == "reproduced").all(), six[["claim_id", "reproduced_value", "status"]]


def test_guangdong_is_the_exception_among_local_plans(corpus: pd.DataFrame) -> None:
    ai = select_topic(corpus)
    table = audiences.security_vocabulary_table(ai, select_topic(load_manifest()))
    check = audiences.guangdong_exception(table)
    local = table[table["group"] == "local"]
    assert check.guangdong_guojia_anquan >= 1
    assert check.guangdong_per_10k > check.other_local_per_10k_median
    naming = local[local["guojia_anquan"] > 0]["doc_id"].tolist()
    assert audiences.GUANGDONG_2018 in naming and len(naming) < len(local) / 2  # most local plans do not


def test_the_build_knows_its_texts_are_synthetic(mirror: Path, tmp_path: Path) -> None:
    found = synthetic_documents(mirror, cache_dir=tmp_path)
    manifest = load_manifest()
    table = pd.read_csv(mirror / "manifest.csv", dtype=str).set_index("doc_id")
    hashes, chars = table["sha256"].to_dict(), table["chars"].astype(int).to_dict()
    # A synthetic text is used (and so marked) when the manifest has no verified hash for it, or when the hash is
    # the synthetic text's own (the synthetic state's scratch manifest); against a real hash it fails and stays out,
    # as against the real text's opening fingerprint or a real length it falls far short of (analysis.corpus.accept).
    usable = [
        d
        for d, h, opening, length in zip(
            manifest["doc_id"],
            manifest["expected_sha256"],
            manifest["opening_sha256"],
            manifest["chars_expected"],
            strict=True,
        )
        if h in ("", hashes[d]) and not opening and (not length or chars[d] >= 0.8 * int(length))
    ]
    assert found == sorted(usable)


def test_never_overwrites_a_mirror_or_a_checked_out_manifest(mirror: Path, tmp_path: Path) -> None:
    with pytest.raises(FileExistsError):
        S.write_mirror(mirror)
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    (checkout / "data" / "corpus").mkdir(parents=True)
    target = checkout / "data" / "corpus" / "manifest.csv"
    target.write_text("unchanged\n", encoding="utf-8")
    with pytest.raises(ValueError, match="refusing"):
        S.write_book_manifest(target, pd.DataFrame({"doc_id": [], "sha256": []}))
    assert target.read_text(encoding="utf-8") == "unchanged\n"


def test_cli_writes_a_mirror(tmp_path: Path) -> None:
    assert S.main([str(tmp_path / "m"), "--book-manifest", str(tmp_path / "manifest.csv")]) == 0
    assert len(list((tmp_path / "m" / "texts").glob("*.txt"))) == len(load_manifest())
    assert S.main([str(tmp_path / "m")]) == 2  # not into a folder that already holds a mirror


def test_counts_come_from_the_ledger_and_match_the_article() -> None:
    from tests.test_article_counts import (
        ARTICLE_COUNTS as EXPECTED,  # the article's numbers, listed independently
    )

    assert sorted(S.ARTICLE_COUNTS) == sorted(EXPECTED)
    assert S.plant_counts([("d", "安全", 48), ("d", "国家安全", 8)]) == {"d": {"安全": 40, "国家安全": 8}}
    with pytest.raises(ValueError, match="cannot all hold"):
        S.plant_counts([("d", "安全", 1), ("d", "国家安全", 2)])
