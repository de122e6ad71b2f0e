"""PDF and Word sources: the layout rules of :mod:`analysis.corpus.pdftext`, and SYNTHETIC PDF and .docx
files written in the test (``corpus_files``), served on 127.0.0.1 and imported with ``corpus import``."""

from __future__ import annotations

from pathlib import Path

import pytest

import corpus_files
from analysis.cli import main
from analysis.corpus import BinaryContentError, coverage, load_corpus
from analysis.corpus.cache import provenance
from analysis.corpus.docxtext import is_docx
from analysis.corpus.importing import import_file
from analysis.corpus.pdftext import (
    NoTextLayerError,
    clean_pages,
    is_page_number,
    join_lines,
    strip_running_lines,
)
from analysis.corpus.sources import fetch_url, text_from_bytes
from corpus_files import FAST, corpus_args, fetch_online, loopback_session, make_docx, make_pdf, serving

TITLE = "示例市人民政府关于印发示例市智能产业发展规划的通知"
LONG = "为推动示例市智能产业发展，提升生产效率，现将本规划印发给你们，请结合实际认真贯彻执行，维护国家"
PAGES = [
    ["示例市人民政府公报", TITLE, "各区人民政府，市政府各部门：", LONG, "安全和发展利益。", "一、总体要求", "- 1 -"],
    [
        "示例市人民政府公报",
        "（一）本条为合成测试文字，用于检验文本提取，并非任何文件的原文内容，用于检验跨页",
        "断行的处理。",
        "二、主要任务",
        "第 2 页 共 3 页",
    ],
    [
        "示例市人民政府公报",
        "（二）本条为合成测试文字，用于检验文本提取，并非任何文件的原文内容。",
        "示例市人民政府",
        "3/3",
    ],
]


def write_manifest(path: Path, rows: list[dict[str, str]]) -> Path:
    return corpus_files.write_manifest(path, rows, level="city", title_zh=TITLE, date="2018", min_chars="80")


# --------------------------------------------------------------------------- the rules, one by one


@pytest.mark.parametrize(
    "line", ["3", "- 3 -", "— 12 —", "第3页", "第 2 页 共 3 页", "3/10", "Page 3", "page 3 of 10", "iv"]
)
def test_page_numbers_are_recognised(line: str) -> None:
    assert is_page_number(line)


@pytest.mark.parametrize(
    "line", ["2030年", "一、总体要求", "3. Research", "第三条", "Section 3", "示例市人民政府", "civil", "vii."]
)
def test_text_is_not_a_page_number(line: str) -> None:
    assert not is_page_number(line)


def test_running_headers_and_footers_are_dropped() -> None:
    words = ["alpha", "beta", "gamma", "delta"]
    pages = [
        ["Report title", f"{w} opens", "more body", "and more", f"{w} closes", f"Draft of 2030 · page {i}"]
        for i, w in enumerate(words, 1)
    ]
    assert strip_running_lines(pages) == [[f"{w} opens", "more body", "and more", f"{w} closes"] for w in words]
    # a line repeated inside the page body (not at its edges) stays
    body = [
        ["Alpha", "opens", "more", "same", "text", "closes", "Beta"],
        ["Gamma", "starts", "other", "same", "words", "ends", "Delta"],
    ]
    assert strip_running_lines(body) == body


def test_english_hyphenation_is_undone() -> None:
    text = join_lines(
        [["The national secu-", "rity strategy and the well-", "known plan.", "Next para-", "Graph stays."]]
    )
    assert text.splitlines()[0] == "The national security strategy and the wellknown plan."
    assert "para-" in text  # a capital after the hyphen is not a broken word


def test_chinese_lines_broken_mid_sentence_are_joined() -> None:
    text = join_lines(
        [["第一行是一个很长的句子，它在版面的行尾被截断成了国家", "安全两个部分。", "一、标题不接", "（一）下一项"]]
    )
    assert text.splitlines() == [
        "第一行是一个很长的句子，它在版面的行尾被截断成了国家安全两个部分。",
        "一、标题不接",
        "（一）下一项",
    ]


def test_short_lines_and_sentence_ends_stay_apart() -> None:
    assert (
        join_lines([["一、总体要求", "很长的一行正文，用于确定这一页版面的宽度，到这里为止。", "下一段。"]]).count("\n")
        == 2
    )


def test_clean_pages_joins_across_pages_and_drops_furniture() -> None:
    text = clean_pages(["\n".join(p) for p in PAGES])
    lines = text.splitlines()
    assert "示例市人民政府公报" not in text and "- 1 -" not in text and "3/3" not in text and "第 2 页" not in text
    assert LONG + "安全和发展利益。" in lines
    assert any(line.endswith("用于检验跨页断行的处理。") for line in lines)
    assert "一、总体要求" in lines and "二、主要任务" in lines


# --------------------------------------------------------------------------- files: PDF, scanned PDF, DOCX


def test_a_pdf_becomes_text() -> None:
    acquired = text_from_bytes(
        "example_plan", make_pdf(PAGES), "example_plan: test.pdf", source="url", location="test.pdf"
    )
    assert acquired.encoding == "pdf"
    assert TITLE in acquired.text and "国家安全" in acquired.text.replace("\n", "x") and "公报" not in acquired.text


def test_a_scanned_pdf_without_text_layer_is_rejected() -> None:
    with pytest.raises(NoTextLayerError, match="no usable text layer") as info:
        text_from_bytes("example_plan", make_pdf([[], []]), "example_plan: scan.pdf", source="url", location="scan.pdf")
    assert info.value.kind == "no text layer" and "OCR" in str(info.value)


def test_a_damaged_pdf_is_a_clear_error() -> None:
    with pytest.raises(BinaryContentError, match="a PDF file that cannot be read"):
        text_from_bytes(
            "example_plan",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            "example_plan: bad.pdf",
            source="url",
            location="bad.pdf",
        )


def test_a_docx_becomes_text_in_body_order() -> None:
    data = make_docx(
        [TITLE, "各区人民政府：", LONG + "安全和发展利益。"], table=[["项目", "目标"], ["数据平台", "2030年建成"]]
    )
    assert is_docx(data) and not is_docx(b"PK\x03\x04" + b"\0" * 40)
    acquired = text_from_bytes("example_plan", data, "example_plan: test.docx", source="url", location="test.docx")
    assert acquired.encoding == "docx"
    lines = acquired.text.splitlines()
    assert lines[0] == TITLE and lines[-1].split() == ["数据平台", "2030年建成"]
    assert "页眉" not in acquired.text  # the page header is not body text


def test_a_damaged_docx_is_a_clear_error() -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document broken")
    with pytest.raises(BinaryContentError, match="a Word file that cannot be read"):
        text_from_bytes("example_plan", buf.getvalue(), "example_plan: bad.docx", source="url", location="bad.docx")


def test_pdf_and_docx_served_on_loopback_are_fetched(tmp_path: Path) -> None:
    with serving() as site:
        site.routes["/plan.pdf"] = (200, "application/pdf", make_pdf(PAGES))
        site.routes["/plan.docx"] = (
            200,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            make_docx([TITLE, LONG + "安全和发展利益。"]),
        )
        site.routes["/scan.pdf"] = (200, "application/pdf", make_pdf([[], [], []]))
        manifest = write_manifest(
            tmp_path / "manifest.csv",
            [
                {"doc_id": "from_pdf", "official_url": site.url("/plan.pdf")},
                {"doc_id": "scanned", "official_url": site.url("/scan.pdf")},
            ],
        )
        with loopback_session() as session:
            assert TITLE in fetch_url("a", site.url("/plan.docx"), session, FAST).text
            result = fetch_online(manifest, tmp_path / "raw", session, mirror="")
    actions = dict(zip(result["doc_id"], result["action"], strict=False))
    assert actions == {"from_pdf": "downloaded", "scanned": "rejected"}
    assert "body PDF" in result.iloc[0]["message"]
    cov = coverage("", manifest=manifest, cache_dir=tmp_path / "raw").set_index("doc_id")
    assert cov.loc["from_pdf", "status"] == "available" and cov.loc["from_pdf", "encoding"] == "pdf"
    assert cov.loc["scanned", "status"] == "rejected" and cov.loc["scanned", "failure"] == "no text layer"
    assert "no usable text layer" in cov.loc["scanned", "message"]


# --------------------------------------------------------------------------- corpus import of a PDF and a DOCX


def test_corpus_import_of_a_pdf_and_a_docx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = write_manifest(
        tmp_path / "manifest.csv",
        [
            {"doc_id": "plan_a"},
            {"doc_id": "plan_b", "title_zh": "示例县关于推进智能农业发展的实施意见"},
        ],
    )
    pdf = tmp_path / "saved.pdf"
    pdf.write_bytes(make_pdf(PAGES))
    docx_file = tmp_path / "saved.docx"
    docx_file.write_bytes(
        make_docx(["示例县关于推进智能农业发展的实施意见", LONG + "安全和发展利益。", "二、" + LONG + "。"])
    )
    assert main(["corpus", "import", str(pdf), "--doc", "plan_a", *corpus_args(manifest, tmp_path / "raw")]) == 0
    assert "plan_a: imported" in capsys.readouterr().out
    assert (
        import_file(docx_file, manifest=manifest, cache_dir=tmp_path / "raw").doc_id == "plan_b"
    )  # told from its title
    corpus = load_corpus("", manifest=manifest, cache_dir=tmp_path / "raw").set_index("doc_id")
    assert set(corpus["source"]) == {"imported"}
    meta = provenance("plan_b", tmp_path / "raw")
    assert meta is not None and meta["encoding"] == "docx" and meta["origin"] == "imported"
