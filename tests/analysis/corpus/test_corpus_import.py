"""``corpus import`` and the drop folder ``data/incoming/``: texts saved by hand (SYNTHETIC pages written here)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import CorpusError, coverage, importing, load_corpus
from analysis.corpus.importing import import_file
from analysis.io.paths import PROJECT_ROOT
from corpus_files import corpus_args

TITLE = "国务院关于印发新一代人工智能发展规划的通知"
BODY = "\n".join(f"第{i}条　本条为合成测试文字，用于检验导入检查，并非任何文件的原文内容。" for i in range(1, 81))


def saved_page(body: str) -> bytes:
    """An HTML page as a browser saves it (GBK, with navigation around the text)."""
    return (
        '<html><head><meta charset="gbk"><title>示例</title></head><body><div class="nav">首页 | 政策</div>'
        f'<div id="UCAP-CONTENT"><p>{body.replace(chr(10), "</p><p>")}</p></div><div class="footer">版权所有</div></body></html>'
    ).encode("gbk")


@pytest.fixture()
def manifest(tmp_path: Path) -> Path:
    df = pd.read_csv(PROJECT_ROOT / "data" / "corpus" / "manifest.csv", dtype=str, keep_default_na=False)
    df = df[df["doc_id"].isin(["ngaidp_2017", "internet_plus_ai_2016"])].copy()
    df[["chars_expected", "opening_sha256"]] = ""  # the pages here are synthetic: no real length or opening
    path = tmp_path / "manifest.csv"
    df.to_csv(path, index=False)
    return path


def test_import_with_doc(tmp_path: Path, manifest: Path) -> None:
    page = tmp_path / "saved.html"
    page.write_bytes(saved_page(TITLE + "\n" + BODY))
    result = import_file(page, "ngaidp_2017", manifest=manifest, cache_dir=tmp_path / "raw")
    assert result.doc_id == "ngaidp_2017"
    cov = coverage("", manifest=manifest, cache_dir=tmp_path / "raw").set_index("doc_id")
    assert cov.loc["ngaidp_2017", "status"] == "available" and cov.loc["ngaidp_2017", "source"] == "imported"
    assert cov.loc["ngaidp_2017", "encoding"] == "gb18030"
    text = load_corpus("", manifest=manifest, cache_dir=tmp_path / "raw")["text"][0]
    assert "首页" not in text and "版权所有" not in text  # reduced to the document body


def test_import_tells_the_document_from_its_text_or_file_name(tmp_path: Path, manifest: Path) -> None:
    page = tmp_path / "saved.html"
    page.write_bytes(saved_page(TITLE + "\n" + BODY))
    assert import_file(page, manifest=manifest, cache_dir=tmp_path / "raw").doc_id == "ngaidp_2017"
    named = tmp_path / "internet_plus_ai_2016.txt"
    named.write_text("“互联网+”人工智能三年行动实施方案\n" + BODY, encoding="utf-8")
    assert import_file(named, manifest=manifest, cache_dir=tmp_path / "raw").doc_id == "internet_plus_ai_2016"


def test_a_file_whose_document_cannot_be_told_lists_candidates(
    tmp_path: Path, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "unknown.txt"
    page.write_text("示例合成文本\n" + BODY, encoding="utf-8")
    with pytest.raises(CorpusError, match="cannot tell which document this is; no manifest title"):
        import_file(page, manifest=manifest, cache_dir=tmp_path / "raw")
    short = tmp_path / "short.txt"
    short.write_text(TITLE + "\n第一条　合成。", encoding="utf-8")  # names the plan but is far too short
    code = main(["corpus", "import", str(short), "--manifest", str(manifest), "--cache-dir", str(tmp_path / "raw")])
    err = capsys.readouterr().err
    assert code == 2 and "candidates (their title or number occurs in it): ngaidp_2017" in err and "--doc DOC_ID" in err
    assert "Traceback" not in err


def test_an_imported_page_that_is_not_the_document_is_refused(
    tmp_path: Path, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "soft404.html"
    page.write_bytes(saved_page("对不起，您访问的页面不存在或已被删除！请检查网址是否正确，或返回首页浏览。"))
    code = main(
        [
            "corpus",
            "import",
            str(page),
            "--doc",
            "ngaidp_2017",
            "--manifest",
            str(manifest),
            "--cache-dir",
            str(tmp_path / "raw"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "ngaidp_2017: imported file" in err and "rejected, a 'page not found' page" in err
    assert not (tmp_path / "raw" / "ngaidp_2017.doc.txt").exists()


def test_the_incoming_folder_is_imported_by_make_data(
    tmp_path: Path, manifest: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    monkeypatch.setattr(importing, "INCOMING_DIR", incoming)
    (incoming / "plan.html").write_bytes(saved_page(TITLE + "\n" + BODY))
    (incoming / "notes.docx").write_bytes(b"PK\x03\x04")
    args = ["corpus", "fetch", "--offline", "--no-progress", *corpus_args(manifest, tmp_path / "raw")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "[imported] ngaidp_2017: imported" in out and "[refused]" in out and "notes.docx" in out
    assert main([*args, "--refresh"]) == 0  # the same file is not imported twice
    assert "[imported]" not in capsys.readouterr().out
    cov = coverage("", manifest=manifest, cache_dir=tmp_path / "raw").set_index("doc_id")
    assert cov.loc["ngaidp_2017", "source"] == "imported"
