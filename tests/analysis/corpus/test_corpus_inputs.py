"""Inputs that must not break or mislead (issue 21, F4–F16): two files for one document in data/incoming/,
Word files with nested tables, content controls and tracked changes, encrypted PDFs, size caps, damaged
failure records and provenance headers, a full disk, a mirror whose texts/ is a link, ZIP files, pypdf's
stray warnings, a closed pipe, Ctrl-C and a FIFO. Every file is SYNTHETIC and written here."""

from __future__ import annotations

import io
import logging
import os
import shutil
import sys
import threading
import tracemalloc
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import analysis.corpus
import corpus_files
from analysis.cli import main
from analysis.corpus import BinaryContentError, coverage, docxtext, errors, importing, pdftext, sources
from analysis.corpus.importing import import_file, import_incoming
from analysis.corpus.sources import MAX_BYTES, text_from_bytes
from corpus_files import FIXTURE_MIRROR, corpus_args, fetch_online, fill_disk_for, make_docx_xml, make_pdf, serving

FIXTURE_MANIFEST = FIXTURE_MIRROR.parent / "manifest.csv"
TITLE = "示例市人民政府关于推进智能产业发展的实施意见"
BODY = [f"第{i}条　本条为合成测试文字，用于检验导入检查，并非任何文件的原文内容。" for i in range(1, 21)]


def manifest(tmp_path: Path, *doc_ids: str) -> Path:
    rows = [
        {"doc_id": d, "title_zh": TITLE if i == 0 else f"示例县关于第{i}项工作的通知"} for i, d in enumerate(doc_ids)
    ]
    return corpus_files.write_manifest(tmp_path / "manifest.csv", rows, min_chars="200")


@pytest.fixture()
def fixture_manifest(tmp_path: Path) -> Path:
    """The fixture mirror's manifest without synthetic_mismatch_d (whose wrong hash makes every fetch exit 1)."""
    df = pd.read_csv(FIXTURE_MANIFEST, dtype=str, keep_default_na=False)
    path = tmp_path / "fixture-manifest.csv"
    df[df["doc_id"] != "synthetic_mismatch_d"].to_csv(path, index=False)
    return path


def fetch_offline(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["corpus", "fetch", "--offline", "--no-progress", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


# --------------------------------------------------------------------------- F4: two files for one document


def test_two_incoming_files_for_one_document_are_refused_together(tmp_path: Path) -> None:
    path, cache, incoming = manifest(tmp_path, "plan_a", "notice_b"), tmp_path / "raw", tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "plan_a.txt").write_text("\n".join([TITLE, *BODY]), encoding="utf-8")  # told by its name
    (incoming / "saved.txt").write_text("\n".join([TITLE, *BODY[:15]]), encoding="utf-8")  # told by its text
    for _ in range(3):  # the same on every run: they do not take turns
        out = import_incoming(incoming, manifest=path, cache_dir=cache)
        assert [a for a, _ in out] == ["refused"]
        assert "plan_a: 2 files in" in out[0][1] and "plan_a.txt" in out[0][1] and "saved.txt" in out[0][1]
        assert "none is imported" in out[0][1]
        assert not (cache / "plan_a.doc.txt").exists()


def test_a_second_incoming_file_withdraws_the_first_import(tmp_path: Path) -> None:
    path, cache, incoming = manifest(tmp_path, "plan_a"), tmp_path / "raw", tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "plan_a.txt").write_text("\n".join([TITLE, *BODY]), encoding="utf-8")
    assert [a for a, _ in import_incoming(incoming, manifest=path, cache_dir=cache)] == ["imported"]
    (incoming / "copy.txt").write_text("\n".join([TITLE, *BODY, "附：合成测试的另一份副本。"]), encoding="utf-8")
    out = import_incoming(incoming, manifest=path, cache_dir=cache)
    assert [a for a, _ in out] == ["refused"] and "withdrawn" in out[0][1]
    assert not (cache / "plan_a.doc.txt").exists()  # the same state as when both came at once
    (incoming / "copy.txt").unlink()
    assert [a for a, _ in import_incoming(incoming, manifest=path, cache_dir=cache)] == ["imported"]


# --------------------------------------------------------------------------- F5: Word files


PLANTED = (
    '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>标记一正文段落</w:t></w:r></w:p>'
    '<w:p><w:r><w:t xml:space="preserve">已有文字，</w:t></w:r><w:ins w:id="1" w:author="x"><w:r><w:t>标记二修订插入'
    '</w:t></w:r></w:ins><w:del w:id="2" w:author="x"><w:r><w:delText>删除的文字不读</w:delText></w:r></w:del></w:p>'
    '<w:sdt><w:sdtPr><w:alias w:val="控件"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>标记三块级内容控件</w:t></w:r>'
    "</w:p></w:sdtContent></w:sdt>"
    "<w:p><w:r><w:t>前文</w:t></w:r><w:sdt><w:sdtContent><w:r><w:t>标记四行内内容控件</w:t></w:r></w:sdtContent>"
    "</w:sdt></w:p>"
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>标记五表格单元</w:t></w:r></w:p></w:tc><w:tc><w:tbl><w:tr><w:tc><w:p><w:r>"
    "<w:t>标记六嵌套表格</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr>"
    "<w:sdt><w:sdtContent><w:tr><w:tc><w:p><w:r><w:t>标记七控件中的表格行</w:t></w:r></w:p></w:tc></w:tr></w:sdtContent>"
    "</w:sdt></w:tbl>"
    '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t>'
    "</w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框"
    "</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    "<w:p><w:moveFrom><w:r><w:t>移走的文字</w:t></w:r></w:moveFrom><w:r><w:instrText> PAGE </w:instrText></w:r>"
    "<w:r><w:t>尾</w:t></w:r></w:p>"
)


def test_word_reads_nested_tables_content_controls_and_tracked_insertions() -> None:
    text = text_from_bytes("x", make_docx_xml(PLANTED), "x: planted.docx", source="imported", location="p").text
    for marker in ("标记一", "标记二", "标记三", "标记四", "标记五", "标记六", "标记七", "文本框"):
        assert text.count(marker) == 1, marker  # each planted marker read, once
    assert "删除的文字不读" not in text and "移走的文字" not in text and "PAGE" not in text
    lines = text.splitlines()
    assert lines[:4] == ["标记一正文段落", "已有文字，标记二修订插入", "标记三块级内容控件", "前文标记四行内内容控件"]
    assert lines[4].startswith("标记五表格单元") and "标记六嵌套表格" in lines[4]


# --------------------------------------------------------------------------- F7: encrypted PDFs


def encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([[TITLE, *BODY]]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_aes_pdf_with_an_empty_user_password_is_read() -> None:
    text = text_from_bytes("x", encrypted_pdf(""), "x: aes.pdf", source="url", location="aes.pdf").text
    assert text.startswith(TITLE) and text.splitlines()[-1].startswith("第20条")


def test_a_pdf_that_needs_a_password_is_class_encrypted_and_the_fetch_goes_on(tmp_path: Path, session) -> None:  # type: ignore[no-untyped-def]
    with serving() as site:
        site.routes["/locked.pdf"] = (200, "application/pdf", encrypted_pdf("secret"))
        site.routes["/open.pdf"] = (200, "application/pdf", make_pdf([[TITLE, *BODY]]))
        rows = [{"doc_id": "locked", "official_url": site.url("/locked.pdf")}]
        rows.append({"doc_id": "open", "title_zh": TITLE, "official_url": site.url("/open.pdf")})
        path = corpus_files.write_manifest(tmp_path / "m.csv", rows, title_zh=TITLE, min_chars="200")
        result = fetch_online(path, tmp_path / "raw", session)
    assert result["action"].tolist() == ["failed", "downloaded"]
    cov = coverage(None, manifest=path, cache_dir=tmp_path / "raw").set_index("doc_id")
    assert cov.loc["locked", "failure"] == "encrypted" and "encrypted" in cov.loc["locked", "message"]
    with pytest.raises(pdftext.EncryptedPdfError, match="cannot be opened without a password"):
        text_from_bytes("x", encrypted_pdf("secret"), "x: locked.pdf", source="url", location="locked.pdf")


def test_a_bad_file_in_incoming_never_breaks_make_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    monkeypatch.setattr(importing, "INCOMING_DIR", incoming)
    (incoming / "locked.pdf").write_bytes(encrypted_pdf("secret"))
    (incoming / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n" * 3)
    (incoming / "plan_a.pdf").write_bytes(encrypted_pdf(""))  # AES, empty user password: read
    path = manifest(tmp_path, "plan_a")
    code, out, err = fetch_offline(capsys, *corpus_args(path, tmp_path / "raw"))
    assert code == 0 and "Traceback" not in err + out and err == ""
    assert "[imported] plan_a: imported" in out
    assert out.count("[refused]") == 2 and "encrypted" in out and "broken.pdf" in out


# --------------------------------------------------------------------------- F9: size caps


def test_the_caps_are_the_stated_ones() -> None:
    assert (MAX_BYTES, sources.MAX_TEXT_BYTES, docxtext.MAX_XML_BYTES) == (50 * 2**20, 8 * 2**20, 16 * 2**20)


def test_a_file_over_the_import_cap_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "plan_a.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: no disk, and no memory unless it is read
    df = corpus_files.manifest_row(doc_id="plan_a", title_zh=TITLE).to_frame().T
    tracemalloc.start()
    try:
        with pytest.raises(errors.TooLargeError, match=r"refused, 50.0 MiB is more than the 50.0 MiB") as info:
            import_file(big, manifest=df, cache_dir=tmp_path / "raw")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20 and len(str(info.value).splitlines()) == 1


def test_plain_text_over_the_cap_is_refused_before_decoding() -> None:
    with pytest.raises(errors.TooLargeError, match=r"8.0 MiB of text or HTML is more than the 8.0 MiB"):
        text_from_bytes("x", b"a" * (sources.MAX_TEXT_BYTES + 1), "x: big.txt", source="imported", location="big.txt")


def test_word_xml_over_the_cap_is_refused_before_it_is_inflated() -> None:
    paragraph = "<w:p><w:r><w:t>重复的合成文字</w:t></w:r></w:p>"
    data = make_docx_xml(paragraph * (docxtext.MAX_XML_BYTES // len(paragraph.encode()) + 1))
    assert len(data) < 2**20  # a small file holding more than the cap of XML
    with pytest.raises(errors.TooLargeError, match=r"word/document.xml\) is 16 MiB of XML, more than the 16 MiB"):
        text_from_bytes("x", data, "x: bomb.docx", source="imported", location="bomb.docx")


def test_an_oversized_import_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(("合成" * (sources.MAX_TEXT_BYTES // 6 + 1)).encode())
    path = manifest(tmp_path, "plan_a")
    assert main(["corpus", "import", str(big), "--doc", "plan_a", *corpus_args(path, tmp_path / "raw")]) == 2
    err = capsys.readouterr().err
    assert "refused" in err and "MiB" in err and "Traceback" not in err and len(err.splitlines()) == 2


# --------------------------------------------------------------------------- F10: damaged records and headers


@pytest.mark.parametrize("content", ["null", "42", "[1, 2]", "{not json", '{"class": 5}'])
def test_a_damaged_failure_record_is_one_line_and_treated_as_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, fixture_manifest: Path
) -> None:
    cache = tmp_path / "raw"
    cache.mkdir()
    (cache / "synthetic_notice_b.error.json").write_text(content, encoding="utf-8")
    cov = coverage(None, manifest=fixture_manifest, cache_dir=cache).set_index("doc_id")
    assert cov.loc["synthetic_notice_b", "status"] == "missing"
    assert main(["corpus", "status", *corpus_args(fixture_manifest, cache)]) == 0
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "synthetic_notice_b.error.json" in err and "ignored" in err
    code, _out, err = fetch_offline(capsys, *corpus_args(fixture_manifest, cache, FIXTURE_MIRROR))
    assert code == 0 and "Traceback" not in err and not (cache / "synthetic_notice_b.error.json").exists()


def test_a_damaged_provenance_header_is_one_line_and_the_copy_is_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fixture_manifest: Path
) -> None:
    cache = tmp_path / "raw"
    cache.mkdir()
    (cache / "synthetic_plan_a.doc.txt").write_text("#provenance [1, 2]\n示例文字\n", encoding="utf-8")
    (cache / ".fetch-state.json").write_text("[1, 2]", encoding="utf-8")  # a damaged state is no state
    cov = coverage(None, manifest=fixture_manifest, cache_dir=cache).set_index("doc_id")
    assert cov.loc["synthetic_plan_a", "failure"] == "unreadable"
    assert "no readable provenance header" in cov.loc["synthetic_plan_a", "message"]
    assert main(["corpus", "status", *corpus_args(fixture_manifest, cache)]) == 0
    capsys.readouterr()
    code, out, err = fetch_offline(capsys, *corpus_args(fixture_manifest, cache, FIXTURE_MIRROR))
    assert code == 0 and "[copied] synthetic_plan_a" in out and "Traceback" not in err
    assert coverage(None, manifest=fixture_manifest, cache_dir=cache).set_index("doc_id").loc[
        "synthetic_plan_a", "status"
    ] == ("available")


# --------------------------------------------------------------------------- F11: a full disk is no verdict


def test_after_a_full_disk_make_data_copies_once_space_is_freed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fixture_manifest: Path
) -> None:
    args = corpus_args(fixture_manifest, tmp_path / "raw", FIXTURE_MIRROR)
    fill_disk_for(monkeypatch, "synthetic_plan_a")
    code, out, _err = fetch_offline(capsys, *args)
    assert code == 1 and "[disk] synthetic_plan_a" in out
    monkeypatch.undo()  # space freed
    code, out, _err = fetch_offline(capsys, *args)
    assert code == 0 and "[copied] synthetic_plan_a" in out and "nothing changed" not in out
    assert "nothing changed" in fetch_offline(capsys, *args)[1]


# --------------------------------------------------------------------------- F12: texts/ as a link


def test_a_mirror_whose_texts_folder_is_a_symlink_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fixture_manifest: Path
) -> None:
    elsewhere = Path(shutil.copytree(FIXTURE_MIRROR / "texts", tmp_path / "disk" / "texts"))
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    shutil.copy(FIXTURE_MIRROR / "manifest.csv", mirror / "manifest.csv")
    (mirror / "texts").symlink_to(elsewhere, target_is_directory=True)
    args = corpus_args(fixture_manifest, tmp_path / "raw", mirror)
    code, out, err = fetch_offline(capsys, *args)
    assert code == 0 and err == "" and "[copied] synthetic_plan_a" in out
    assert "nothing changed" in fetch_offline(capsys, *args)[1]
    os.utime(elsewhere / "synthetic_notice_b.txt", ns=(1, 1))  # a text changed behind the link: noticed
    assert "[copied] synthetic_notice_b" in fetch_offline(capsys, *args)[1]
    outside = pd.read_csv(mirror / "manifest.csv", dtype=str).assign(file="../disk/texts/synthetic_plan_a.txt")
    outside.to_csv(mirror / "manifest.csv", index=False)
    code, _out, err = fetch_offline(capsys, *args)
    assert code == 2 and "points outside the mirror" in err  # climbing out with .. is still refused


# --------------------------------------------------------------------------- F14–F16: the small ones


def test_a_zip_that_is_not_a_word_file_says_so() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(BinaryContentError) as info:
        text_from_bytes("x", buf.getvalue(), "x: table.xlsx", source="imported", location="table.xlsx")
    message = str(info.value)
    assert "not a Word .docx file" in message and "not supported" not in message and "PDF" in message


def test_pypdf_warnings_are_not_printed(capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    damaged = make_pdf([[TITLE, *BODY]]).replace(b"%%EOF", b"")
    capfd.readouterr()
    with caplog.at_level(logging.DEBUG), pytest.raises(BinaryContentError, match="a PDF file that cannot be read"):
        text_from_bytes("x", damaged, "x: damaged.pdf", source="url", location="damaged.pdf")
    # no stray "EOF marker not found": not on stderr, and not to a handler (outside pytest, Python's last-resort
    # handler prints every warning that reaches no handler to stderr)
    assert capfd.readouterr().err == "" and not [r for r in caplog.records if r.name.startswith("pypdf")]


def test_status_into_a_closed_pipe_is_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    read, write = os.pipe()
    os.close(read)  # the reader (`| head`) has gone
    pipe = open(write, "w", encoding="utf-8")  # noqa: SIM115 - block-buffered like a pipe; closed below
    monkeypatch.setattr(sys, "stdout", pipe)
    try:  # the book's manifest: more lines than the 8 KiB buffer, so that a print, not the last flush, meets the pipe
        code = main(["corpus", "status", "--cache-dir", str(tmp_path / "raw"), "--mirror", ""])
    finally:
        monkeypatch.undo()
        pipe.close()
    assert code == 141 and capsys.readouterr().err == ""


def test_ctrl_c_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(analysis.corpus, "coverage", interrupted)
    try:
        code = main(["corpus", "status", *corpus_args(FIXTURE_MANIFEST, tmp_path / "raw")])
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C escaped the command with a traceback")
    err = capsys.readouterr().err
    assert code == 130 and err.startswith("interrupted (Ctrl-C): stopped;") and len(err.splitlines()) == 1


def test_import_of_a_fifo_does_not_hang(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "plan_a.txt"
    os.mkfifo(fifo)
    done = threading.Event()

    def writer() -> None:  # without the fix, import would wait for a writer for ever: give it one
        while not done.wait(0.1):
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue
            os.write(fd, "\n".join([TITLE, *BODY]).encode())
            os.close(fd)
            return

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        code = main(["corpus", "import", str(fifo), *corpus_args(manifest(tmp_path, "plan_a"), tmp_path / "raw")])
    finally:
        done.set()
        thread.join(5)
    err = capsys.readouterr().err
    assert code == 2 and "is a FIFO, not a regular file" in err and "Traceback" not in err
