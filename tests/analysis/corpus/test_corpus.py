"""Coverage and loading from the cache and the mirror, the command line, and the real mirror when present.

Everything except the last section uses the SYNTHETIC fixtures in ``tests/fixtures/corpus/``.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import (
    CORPUS_COLUMNS,
    COVERAGE_COLUMNS,
    CorpusError,
    ManifestError,
    coverage,
    load_corpus,
    load_manifest,
    load_text,
    verify,
)
from analysis.corpus.cache import write_cache
from analysis.corpus.sources import Acquired
from analysis.io.paths import PROJECT_ROOT, mirror_dir
from analysis.io.text import normalize_text, text_sha256
from corpus_files import copy_mirror

FIXTURES = Path(__file__).parents[2] / "fixtures" / "corpus"
MANIFEST = FIXTURES / "manifest.csv"
MIRROR = FIXTURES / "mirror"
PLAN_A = "示例市农业数据平台建设方案（合成测试文本）\n一、总体要求\n到2030年，建成农业数据平台。\n二、安全保障\n完善数据安全管理制度。"


@pytest.fixture()
def cache(tmp_path: Path) -> Path:
    return tmp_path / "raw"


@pytest.fixture()
def mirror(tmp_path: Path) -> Path:
    """A writable copy of the synthetic mirror."""
    return copy_mirror(tmp_path)


def cov_of(mirror: Path | None, cache: Path, manifest: Path = MANIFEST) -> pd.DataFrame:
    return coverage(mirror, manifest=manifest, cache_dir=cache).set_index("doc_id")


# --------------------------------------------------------------------------- mirror


def test_fixture_manifest_hashes_are_those_of_the_fixture_texts() -> None:
    text = (MIRROR / "texts" / "synthetic_plan_a.txt").read_text(encoding="utf-8")
    assert normalize_text(text) == PLAN_A
    assert load_manifest(MANIFEST).set_index("doc_id").loc["synthetic_plan_a", "expected_sha256"] == text_sha256(PLAN_A)


def test_coverage_from_the_mirror(cache: Path) -> None:
    cov = cov_of(MIRROR, cache)
    assert list(cov.reset_index().columns) == list(COVERAGE_COLUMNS)
    assert cov["status"].to_dict() == {
        "synthetic_plan_a": "available",
        "synthetic_notice_b": "available",
        "synthetic_missing_c": "missing",
        "synthetic_mismatch_d": "hash mismatch",
        "synthetic_order_e": "available",
    }
    assert cov["source"].to_dict() == {
        "synthetic_plan_a": "mirror",
        "synthetic_notice_b": "mirror",
        "synthetic_missing_c": "none",
        "synthetic_mismatch_d": "mirror",
        "synthetic_order_e": "mirror",
    }
    assert cov.loc["synthetic_plan_a", "chars"] == sum(1 for c in PLAN_A if not c.isspace())
    assert cov.loc["synthetic_plan_a", "sha256"] == text_sha256(PLAN_A)
    assert pd.isna(cov.loc["synthetic_missing_c", "chars"]) and cov.loc["synthetic_missing_c", "sha256"] == ""
    assert str(cov["chars"].dtype) == "Int64"
    assert "not verified" in cov.loc["synthetic_notice_b", "message"]


def test_missing_document_gives_one_clear_line(cache: Path) -> None:
    message = cov_of(MIRROR, cache).loc["synthetic_missing_c", "message"]
    assert "\n" not in message
    assert message.startswith("missing: synthetic_missing_c — ")
    assert "tests/fixtures/corpus/mirror/texts/synthetic_missing_c.txt" in message  # the mirror path searched
    assert "http://127.0.0.1:9/synthetic_missing_c.htm" in message  # its official URL
    assert "make data" in message


def test_hash_mismatch_names_expected_actual_and_source(cache: Path) -> None:
    row = cov_of(MIRROR, cache).loc["synthetic_mismatch_d"]
    actual = text_sha256(normalize_text((MIRROR / "texts" / "synthetic_mismatch_d.txt").read_text(encoding="utf-8")))
    assert f"expected sha256 {'a' * 64}, got {actual}" in row["message"]
    assert "mirror copy" in row["message"] and "not used" in row["message"]
    assert row["sha256"] == ""  # the text is not used


def test_load_corpus_returns_available_documents_only(cache: Path) -> None:
    corpus = load_corpus(MIRROR, manifest=MANIFEST, cache_dir=cache)
    assert list(corpus.columns) == list(CORPUS_COLUMNS)
    assert corpus["doc_id"].tolist() == ["synthetic_plan_a", "synthetic_notice_b", "synthetic_order_e"]
    assert corpus.loc[0, "text"] == PLAN_A and corpus.loc[0, "source"] == "mirror"
    assert all(corpus["text"].map(normalize_text) == corpus["text"])
    assert all(corpus["sha256"] == corpus["text"].map(text_sha256))
    assert corpus["year"].tolist() == [2030, 2030, 2030] and str(corpus["year"].dtype) == "Int64"
    assert load_text("synthetic_plan_a", MIRROR, manifest=MANIFEST, cache_dir=cache) == PLAN_A
    assert load_text("synthetic_missing_c", MIRROR, manifest=MANIFEST, cache_dir=cache) is None
    with pytest.raises(CorpusError, match="not in the manifest"):
        load_text("no_such_doc", MIRROR, manifest=MANIFEST, cache_dir=cache)


def test_mirror_from_environment_variable(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORPUS_MIRROR", str(MIRROR))
    assert (coverage(manifest=MANIFEST, cache_dir=cache)["status"] == "available").sum() == 3


def test_no_mirror_configured(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORPUS_MIRROR", raising=False)
    cov = cov_of(None, cache)
    assert set(cov["status"]) == {"missing"}
    assert "no mirror configured (set CORPUS_MIRROR or pass --mirror)" in cov.loc["synthetic_plan_a", "message"]


def test_mirror_folder_that_does_not_exist(cache: Path, tmp_path: Path) -> None:
    cov = cov_of(tmp_path / "nowhere", cache)
    assert set(cov["status"]) == {"missing"}
    assert "nowhere does not exist" in cov.loc["synthetic_plan_a", "message"]


def test_mirror_without_manifest_uses_texts_folder(mirror: Path, cache: Path) -> None:
    (mirror / "manifest.csv").unlink()
    assert cov_of(mirror, cache).loc["synthetic_plan_a", "status"] == "available"


def test_mirror_manifest_file_column_is_followed(mirror: Path, cache: Path) -> None:
    (mirror / "texts" / "synthetic_plan_a.txt").rename(mirror / "elsewhere.txt")
    manifest = (
        (mirror / "manifest.csv").read_text(encoding="utf-8").replace("texts/synthetic_plan_a.txt", "elsewhere.txt")
    )
    (mirror / "manifest.csv").write_text(manifest, encoding="utf-8")
    row = cov_of(mirror, cache).loc["synthetic_plan_a"]
    assert row["status"] == "available" and row["location"].endswith("elsewhere.txt")


def test_gbk_mirror_file_is_decoded(mirror: Path, cache: Path) -> None:
    path = mirror / "texts" / "synthetic_plan_a.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    row = cov_of(mirror, cache).loc["synthetic_plan_a"]
    assert row["status"] == "available" and row["encoding"] == "gb18030"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\n \r\n\t", "empty"),
        (b"%PDF-1.4\n", "PDF"),
        (b"\x00\x01binary\x00", "NUL bytes"),
        ("合成测试文本".encode()[:-1], "truncated"),
        ("合成测试文本，第二句。".encode() + b"\xff" + "尾部".encode(), "invalid byte sequence"),
        (bytes([0x80, 0xFF]) * 40, "not valid UTF-8"),
    ],
    ids=["empty", "blank", "pdf", "nul", "truncated", "damaged-utf8", "undecodable"],
)
def test_bad_mirror_files_fail_with_clear_messages(mirror: Path, cache: Path, content: bytes, words: str) -> None:
    (mirror / "texts" / "synthetic_notice_b.txt").write_bytes(content)
    row = cov_of(mirror, cache).loc["synthetic_notice_b"]
    assert row["status"] == "failed" and row["source"] == "mirror"
    assert words in row["message"] and "synthetic_notice_b.txt" in row["message"]
    assert "synthetic_notice_b" not in load_corpus(mirror, manifest=MANIFEST, cache_dir=cache)["doc_id"].tolist()


def test_mirror_path_outside_the_mirror_is_refused(mirror: Path, cache: Path) -> None:
    manifest = (
        (mirror / "manifest.csv").read_text(encoding="utf-8").replace("texts/synthetic_plan_a.txt", "../../etc/passwd")
    )
    (mirror / "manifest.csv").write_text(manifest, encoding="utf-8")
    with pytest.raises(
        ManifestError,
        match=r"manifest.csv: line 2, file='../../etc/passwd': the text of synthetic_plan_a points outside the mirror",
    ):
        cov_of(mirror, cache)


# --------------------------------------------------------------------------- cache


def test_cache_comes_before_the_mirror(cache: Path) -> None:
    write_cache(Acquired("synthetic_plan_a", PLAN_A, "url", "http://127.0.0.1/a.htm"), cache)
    row = cov_of(MIRROR, cache).loc["synthetic_plan_a"]
    assert (
        row["status"] == "available" and row["source"] == "url" and row["location"].endswith("synthetic_plan_a.doc.txt")
    )
    assert "from http://127.0.0.1/a.htm" in row["message"]


def test_damaged_cache_falls_back_to_the_mirror(cache: Path) -> None:
    write_cache(Acquired("synthetic_plan_a", PLAN_A, "url", "http://127.0.0.1/a.htm"), cache)
    path = cache / "synthetic_plan_a.doc.txt"
    path.write_bytes(path.read_bytes()[:-10])  # cut short behind the provenance header's back
    row = cov_of(MIRROR, cache).loc["synthetic_plan_a"]
    assert row["status"] == "available" and row["source"] == "mirror"
    assert "ignored" in row["message"] and "truncated" in row["message"]


def test_damaged_cache_without_other_copy_is_failed(cache: Path) -> None:
    write_cache(Acquired("synthetic_missing_c", "合成缓存文本", "url", "http://127.0.0.1/c.htm"), cache)
    path = cache / "synthetic_missing_c.doc.txt"
    path.write_bytes(path.read_bytes().partition(b"\n")[2])  # the provenance header lost
    row = cov_of(MIRROR, cache).loc["synthetic_missing_c"]
    assert row["status"] == "failed" and row["location"].endswith("synthetic_missing_c.doc.txt")
    assert "provenance" in row["message"] and row["failure"] == "unreadable"


def test_cached_text_with_wrong_hash_is_not_used(cache: Path) -> None:
    write_cache(Acquired("synthetic_order_e", "An altered synthetic text.", "url", "http://127.0.0.1/e.htm"), cache)
    row = cov_of(None, cache).loc["synthetic_order_e"]
    assert row["status"] == "hash mismatch" and row["source"] == "url" and "synthetic_order_e.doc.txt" in row["message"]
    # with the mirror, its good copy is used instead and the cache problem is mentioned
    row = cov_of(MIRROR, cache).loc["synthetic_order_e"]
    assert row["status"] == "available" and row["source"] == "mirror" and "hash mismatch" in row["message"]


# --------------------------------------------------------------------------- silence and no network


def test_loading_is_silent_and_offline(
    cache: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("load_corpus/coverage must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    capfd.readouterr()
    (tmp := cache.parent / "m").mkdir()
    bad = tmp / "texts"
    shutil.copytree(MIRROR / "texts", bad)
    (bad / "synthetic_notice_b.txt").write_bytes(bytes([0x80, 0xFF]) * 40)  # exercises the encoding detector too
    load_corpus(MIRROR, manifest=MANIFEST, cache_dir=cache)
    coverage(tmp, manifest=MANIFEST, cache_dir=cache)
    out = capfd.readouterr()
    assert out.err == "" and out.out == ""


# --------------------------------------------------------------------------- command line


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_status(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "corpus", "status", "--mirror", str(MIRROR), "--manifest", str(MANIFEST), "--cache-dir", str(cache)
    )
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["doc_id", "level", "date", "status", "source", "failure", "chars", "sha256"]
    assert lines[1].split() == [
        "synthetic_plan_a",
        "city",
        "2030-01-02",
        "available",
        "mirror",
        "60",
        text_sha256(PLAN_A)[:12],
    ]
    assert any(line.startswith("missing: synthetic_missing_c — ") for line in lines)
    assert "3 of 5 available (missing 1, rejected 0, hash mismatch 1, failed 0)" in lines


def test_cli_verify(cache: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "corpus", "verify", "--mirror", str(MIRROR), "--manifest", str(MANIFEST), "--cache-dir", str(cache)
    )
    assert code == 1  # synthetic_mismatch_d
    assert "verify: ok 2, mismatch 1, unverified 1, unreadable 0" in out
    assert f"expected sha256 {'a' * 64}" in out
    good = load_manifest(MANIFEST)
    good = good[good["doc_id"] != "synthetic_mismatch_d"].drop(columns="year")
    good.to_csv(tmp_path / "good.csv", index=False)
    mirror = mirror_without(tmp_path, "synthetic_mismatch_d")
    code, out, _ = run(
        capsys,
        "corpus",
        "verify",
        "--mirror",
        str(mirror),
        "--manifest",
        str(tmp_path / "good.csv"),
        "--cache-dir",
        str(cache),
    )
    assert code == 0 and "verify: ok 2, mismatch 0, unverified 1, unreadable 0" in out


def mirror_without(tmp_path: Path, doc_id: str) -> Path:
    """A copy of the fixture mirror without ``doc_id`` (its manifest may name only the book's documents)."""
    lines = (MIRROR / "manifest.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    manifest = "".join(line for line in lines if not line.startswith(doc_id + ","))
    return copy_mirror(tmp_path, manifest, name=f"mirror-without-{doc_id}")


def test_verify_checks_cache_and_mirror_copies(cache: Path) -> None:
    write_cache(Acquired("synthetic_plan_a", PLAN_A, "url", "http://127.0.0.1/a.htm"), cache)
    result = verify(MIRROR, manifest=MANIFEST, cache_dir=cache)
    rows = result[result["doc_id"] == "synthetic_plan_a"]
    assert rows["source"].tolist() == ["cache", "mirror"] and rows["result"].tolist() == ["ok", "ok"]


def test_cli_fetch_offline(cache: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = ["corpus", "fetch", "--offline", "--no-progress", "--mirror", str(MIRROR), "--cache-dir", str(cache)]
    code, out, err = run(capsys, *args, "--manifest", str(MANIFEST))
    assert code == 1  # the mirror's copy of synthetic_mismatch_d is damaged: a local fault
    assert "damaged local copy: synthetic_mismatch_d" in out and err == ""
    assert "coverage: 3 of 5 available" in out
    assert "[skipped] synthetic_missing_c: not downloaded, offline" in out
    good = load_manifest(MANIFEST)
    good = good[good["doc_id"] != "synthetic_mismatch_d"].drop(columns="year")
    good.to_csv(tmp_path / "good.csv", index=False)
    args[args.index("--mirror") + 1] = str(mirror_without(tmp_path, "synthetic_mismatch_d"))
    code, out, _ = run(capsys, *args, "--manifest", str(tmp_path / "good.csv"))
    assert code == 0  # a missing document is a normal state offline
    assert "fetch: copied 3, skipped 1" in out  # another mirror folder: its copies replace the first mirror's
    code, out, _ = run(capsys, *args, "--manifest", str(tmp_path / "good.csv"))
    assert code == 0 and "nothing changed since the last `make data`" in out and "coverage: 3 of 4 available" in out
    assert "[copied]" not in out
    code, out, _ = run(capsys, *args, "--manifest", str(tmp_path / "good.csv"), "--refresh")  # no shortcut when asked
    assert code == 0 and "fetch: kept 3, skipped 1" in out


# --------------------------------------------------------------------------- the real mirror (skipped when absent)


def _real_mirror() -> Path:
    found = mirror_dir()
    candidates = [found] if found is not None else []
    candidates.append((PROJECT_ROOT.parent / "shared" / "corpus").resolve())
    for path in candidates:
        if path is not None and (path / "manifest.csv").is_file():
            return path
    pytest.skip("not reproducible here: no corpus mirror (set CORPUS_MIRROR)")


def test_real_mirror_texts_match_the_manifest(tmp_path: Path) -> None:
    mirror = _real_mirror()
    cov = coverage(mirror, cache_dir=tmp_path / "empty-cache")
    manifest = load_manifest()
    assert cov["doc_id"].tolist() == manifest["doc_id"].tolist()
    available = cov[cov["status"] == "available"]
    assert set(cov["status"]) <= {"available", "missing"}
    # every text the mirror holds is available and verified; every verified document is in the mirror
    in_mirror = {p.stem for p in (mirror / "texts").glob("*.txt")} & set(manifest["doc_id"])
    assert set(available["doc_id"]) == in_mirror
    assert (available["sha256"] == available["expected_sha256"]).all()
    assert set(manifest.loc[manifest["expected_sha256"] != "", "doc_id"]) == in_mirror
    corpus = load_corpus(mirror, cache_dir=tmp_path / "empty-cache")
    assert (corpus["chars"] == corpus["text"].map(lambda t: sum(1 for c in t if not c.isspace()))).all()


def test_coverage_table_and_status_counts_on_the_mirror():
    from analysis.corpus.core import coverage_table, status_counts
    from analysis.io.paths import PROJECT_ROOT

    mirror = PROJECT_ROOT / "../shared/corpus"
    if not (mirror / "manifest.csv").is_file():
        pytest.skip("the shared corpus mirror is not beside the repository")
    cov = coverage(mirror)
    table = coverage_table(cov)
    assert table.index.is_unique and len(table) == len(cov)
    assert set(table["sha256"].str.len()) <= {0, 12}
    counts = status_counts(cov)
    assert counts.loc["total", "total"] == len(cov)
    assert counts.loc["total", "available"] == (cov["status"] == "available").sum()
