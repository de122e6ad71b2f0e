"""Which text goes to which document (issue 21, F1): another document's verified text is refused, a verified
document keeps its text, and two unverified documents holding one text count only once ``corpus import
--doc`` says which it is (:mod:`analysis.corpus.claims`).

The EO 14110 and 2016 R&D plan cases use the real texts of the shared mirror, read at test time and never
written into the repository; the other texts are SYNTHETIC, written here. Loopback servers on 127.0.0.1
stand in for the official sites.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import CorpusError, coverage, load_corpus, load_manifest
from analysis.corpus.accept import rejection
from analysis.corpus.importing import import_file
from analysis.io.paths import PROJECT_ROOT
from analysis.io.text import normalize_text, text_sha256
from corpus_files import corpus_args, fetch_online, real_mirror, serving, write_manifest

BODY = "\n".join(f"第{i}条　本条为合成测试文字，用于检验文本归属，并非任何文件的原文内容。" for i in range(1, 101))
TITLE_A = "示例市人民政府关于印发示例市智能产业发展规划的通知"
TITLE_B = "示例市人民政府关于印发示例市数据产业发展规划的通知"
TEXT_A = normalize_text(f"{TITLE_A}\n{BODY}")


def real_manifest(*doc_ids: str, **urls: str) -> pd.DataFrame:
    df = pd.read_csv(PROJECT_ROOT / "data" / "corpus" / "manifest.csv", dtype=str, keep_default_na=False)
    df = df[df["doc_id"].isin(doc_ids)].copy()
    for doc_id, url in urls.items():
        df.loc[df["doc_id"] == doc_id, "official_url"] = url
    return df


def save(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False)
    return path


# --------------------------------------------------------------------------- the mirror's cases (real texts)


def test_eo_14110_imported_as_eo_13960_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    eo14110 = real_mirror() / "texts" / "us_eo14110_2023.txt"
    args = ["corpus", "import", str(eo14110), "--doc", "us_eo13960_2020", "--cache-dir", str(tmp_path / "raw")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "us_eo13960_2020: imported file" in err and "this is the text of us_eo14110_2023" in err
    assert "--doc us_eo14110_2023" in err and len(err.strip().splitlines()) <= 2
    assert not (tmp_path / "raw" / "us_eo13960_2020.doc.txt").exists()
    # without --doc (and under another name) the file is told by its hash, not by the documents it names
    copy = Path(shutil.copy(eo14110, tmp_path / "saved.txt"))
    assert import_file(copy, cache_dir=tmp_path / "raw").doc_id == "us_eo14110_2023"


def test_the_mirror_texts_no_longer_fit_the_documents_they_cite() -> None:
    mirror = real_mirror()
    table = load_manifest().set_index("doc_id", drop=False)
    for text_of, cited in (
        ("us_eo14110_2023", "us_eo13960_2020"),
        ("us_ai_rd_strategic_plan_2016", "us_preparing_future_ai_2016"),
    ):
        text = normalize_text((mirror / "texts" / f"{text_of}.txt").read_text(encoding="utf-8"))
        reason = rejection(text, table.loc[cited])
        assert reason is not None and "begins with the title" in reason, (text_of, cited)


def test_a_verified_document_keeps_its_text_whatever_the_order(tmp_path: Path) -> None:
    """The mirror names the EO 14110 file for both orders; EO 13960 comes first in the manifest."""
    real = real_mirror()
    mirror = tmp_path / "mirror"
    (mirror / "texts").mkdir(parents=True)
    shutil.copy(real / "texts" / "us_eo14110_2023.txt", mirror / "texts" / "eo.txt")
    (mirror / "manifest.csv").write_text(
        "doc_id,file\nus_eo13960_2020,texts/eo.txt\nus_eo14110_2023,texts/eo.txt\n", encoding="utf-8"
    )
    manifest = save(real_manifest("us_eo13960_2020", "us_eo14110_2023"), tmp_path / "m.csv")
    assert load_manifest(manifest)["doc_id"].tolist() == ["us_eo13960_2020", "us_eo14110_2023"]
    cov = coverage(mirror, manifest=manifest, cache_dir=tmp_path / "raw").set_index("doc_id")
    assert cov.loc["us_eo14110_2023", "status"] == "available"
    assert cov.loc["us_eo13960_2020", "status"] == "rejected"
    assert "us_eo14110_2023" in cov.loc["us_eo13960_2020", "message"]


def test_a_page_around_a_verified_text_is_refused_before_it_is_cached(tmp_path: Path, session: object) -> None:
    """A page that names EO 13960 at its head and then carries all of EO 14110 (the verified text in the mirror)."""
    real = real_mirror()
    eo14110 = normalize_text((real / "texts" / "us_eo14110_2023.txt").read_text(encoding="utf-8"))
    page = "Executive Order 13960 of December 3, 2020\nRelated document:\n" + eo14110
    with serving() as site:
        site.routes["/eo13960.txt"] = (200, "text/plain; charset=utf-8", page.encode("utf-8"))
        manifest = save(
            real_manifest("us_eo13960_2020", "us_eo14110_2023", us_eo13960_2020=site.url("/eo13960.txt")),
            tmp_path / "m.csv",
        )
        result = fetch_online(manifest, tmp_path / "raw", session, mirror=real).set_index("doc_id")
    assert result.loc["us_eo13960_2020", "action"] == "rejected"
    assert "contains the whole verified text of us_eo14110_2023" in result.loc["us_eo13960_2020", "message"]
    assert not (tmp_path / "raw" / "us_eo13960_2020.doc.txt").exists()


# --------------------------------------------------------------------------- synthetic cases


def synthetic_manifest(tmp_path: Path, url: str = "", verified_a: bool = True) -> Path:
    return write_manifest(
        tmp_path / "manifest.csv",
        [
            {"doc_id": "plan_a", "title_zh": TITLE_A, "expected_sha256": text_sha256(TEXT_A) if verified_a else ""},
            {"doc_id": "plan_b", "title_zh": TITLE_B, "short_titles": TITLE_A, "official_url": url},
        ],
        level="city",
    )


def synthetic_mirror(tmp_path: Path, texts: dict[str, str]) -> Path:
    mirror = tmp_path / "mirror"
    (mirror / "texts").mkdir(parents=True)
    rows = ["doc_id,file"]
    for doc_id, text in texts.items():
        (mirror / "texts" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        rows.append(f"{doc_id},texts/{doc_id}.txt")
    (mirror / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return mirror


def test_a_download_of_another_documents_verified_text_is_refused(tmp_path: Path, session: object) -> None:
    with serving() as site:
        site.routes["/b.htm"] = (200, "text/plain; charset=utf-8", TEXT_A.encode("utf-8"))
        manifest = synthetic_manifest(tmp_path, site.url("/b.htm"))
        result = fetch_online(manifest, tmp_path / "raw", session, mirror="").set_index("doc_id")
    assert result.loc["plan_b", "action"] == "rejected"
    message = result.loc["plan_b", "message"]
    assert "this is the text of plan_a (its expected_sha256)" in message and "\n" not in message
    assert not (tmp_path / "raw" / "plan_b.doc.txt").exists()


def test_a_copy_in_the_cache_that_is_another_documents_text_is_refused(tmp_path: Path) -> None:
    """A copy cached before the rule existed (or by hand) is refused when the corpus is read."""
    mirror = synthetic_mirror(tmp_path, {"plan_a": TEXT_A, "plan_b": TEXT_A})
    cov = coverage(mirror, manifest=synthetic_manifest(tmp_path), cache_dir=tmp_path / "raw").set_index("doc_id")
    assert cov["status"].to_dict() == {"plan_a": "available", "plan_b": "rejected"}
    assert "is the text of plan_a" in cov.loc["plan_b", "message"]


def test_a_page_containing_another_documents_verified_text_is_refused(tmp_path: Path) -> None:
    wrapped = f"{TITLE_B}\n附：\n{TEXT_A}"
    mirror = synthetic_mirror(tmp_path, {"plan_a": TEXT_A, "plan_b": wrapped})
    manifest = synthetic_manifest(tmp_path)
    cov = coverage(mirror, manifest=manifest, cache_dir=tmp_path / "raw").set_index("doc_id")
    assert cov.loc["plan_b", "status"] == "rejected"
    assert "contains the whole verified text of plan_a" in cov.loc["plan_b", "message"]
    unverified = load_manifest(manifest)
    unverified["expected_sha256"] = ""  # nothing verified: the same page is plan_b's
    cov = coverage(mirror, manifest=unverified, cache_dir=tmp_path / "raw2").set_index("doc_id")
    assert cov["status"].tolist() == ["available", "available"]


def test_two_unverified_documents_with_one_text_count_once_import_doc_settles_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mirror = synthetic_mirror(tmp_path, {"plan_a": TEXT_A, "plan_b": TEXT_A})
    manifest = synthetic_manifest(tmp_path, verified_a=False)
    cache = tmp_path / "raw"
    cov = coverage(mirror, manifest=manifest, cache_dir=cache).set_index("doc_id")
    assert cov["status"].tolist() == ["rejected", "rejected"]
    assert "is also the text of plan_b (none verified); neither counts until" in cov.loc["plan_a", "message"]
    assert main(["corpus", "status", *corpus_args(manifest, cache, mirror)]) == 0
    out = capsys.readouterr().out
    assert out.count("neither counts until `python -m analysis corpus import FILE --doc DOC_ID`") == 2
    assert load_corpus(mirror, manifest=manifest, cache_dir=cache).empty

    saved = tmp_path / "saved.txt"
    saved.write_text(TEXT_A, encoding="utf-8")
    assert import_file(saved, "plan_a", manifest=manifest, cache_dir=cache).doc_id == "plan_a"
    cov = coverage(mirror, manifest=manifest, cache_dir=cache).set_index("doc_id")
    assert cov["status"].to_dict() == {"plan_a": "available", "plan_b": "rejected"}
    assert cov.loc["plan_a", "source"] == "imported"
    assert "is the text of plan_a, as `corpus import --doc plan_a` settled" in cov.loc["plan_b", "message"]
    assert load_corpus(mirror, manifest=manifest, cache_dir=cache)["doc_id"].tolist() == ["plan_a"]


def test_an_import_without_doc_does_not_settle(tmp_path: Path) -> None:
    mirror = synthetic_mirror(tmp_path, {"plan_b": TEXT_A})
    manifest = synthetic_manifest(tmp_path, verified_a=False)
    saved = tmp_path / "plan_a.txt"  # named after the document: a drop-folder import, not a --doc statement
    saved.write_text(TEXT_A, encoding="utf-8")
    import_file(saved, manifest=manifest, cache_dir=tmp_path / "raw")
    cov = coverage(mirror, manifest=manifest, cache_dir=tmp_path / "raw").set_index("doc_id")
    assert cov["status"].tolist() == ["rejected", "rejected"]
    copy = Path(shutil.copy(saved, tmp_path / "copy.txt"))
    with pytest.raises(CorpusError, match="fits several documents"):
        import_file(copy, manifest=manifest, cache_dir=tmp_path / "raw")
