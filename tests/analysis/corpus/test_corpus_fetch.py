"""Acquisition from official URLs, against a real HTTP server on 127.0.0.1 serving SYNTHETIC pages.

The server (``PageServer``) serves gov.cn-like pages written for these tests
(``tests/fixtures/corpus/synthetic_*.html``: navigation, metadata table, share and print bars,
footer) in UTF-8, GBK and Big5, and broken answers: 404, 500, no document body, a slow page, an
empty body, binary bytes, undecodable bytes and a page cut in the middle. No real document is used.
"""

from __future__ import annotations

import dataclasses
import json
import socket
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

import corpus_files
from analysis.corpus import (
    BinaryContentError,
    CacheWriteError,
    DecodingError,
    DownloadConnectionError,
    DownloadTimeoutError,
    EmptyDocumentError,
    HttpOptions,
    HTTPStatusError,
    NoDocumentBodyError,
    TruncatedDocumentError,
    coverage,
    fetch,
    load_corpus,
)
from analysis.corpus.cache import read_cache, write_cache
from analysis.corpus.sources import Acquired, fetch_url
from analysis.io import fileio
from analysis.io.text import text_sha256
from corpus_files import LoopbackServer, fetch_online, loopback_session, respond

FIXTURES = Path(__file__).parents[2] / "fixtures" / "corpus"
MIRROR = FIXTURES / "mirror"

# The synthetic gov.cn page reduced to its body and normalised.
GOVCN_TEXT = "\n".join(
    [
        "示例市人民政府关于推进智能农业发展的实施方案",
        "示例政发〔2030〕1号",
        "各区人民政府，市政府各部门：",
        "为推动示例市智能农业发展，提升农业生产效率，制定本方案。",
        "一、总体要求",
        "到2030年，建成覆盖全市的农业数据平台，服务 AI2030 计划。",
        "二、主要任务",
        "（一）加强安全保障。完善数据安全管理制度，保障网络安全。",
        "（二）各部门要加强协调，抓好落实。",
        "示例市人民政府",
        "2030年1月2日",
    ]
)
TRADITIONAL_TEXT = "\n".join(
    [
        "示例县关于发展智慧农业的实施意见",
        "为推动农业数据平台建设，提升农业生产效率，现提出以下意见。",
        "一、加强数据安全管理，保障网络与资讯安全。",
        "二、各部门要加强协调，认真贯彻执行。",
    ]
)
PAGE_NOISE = (
    "首页",
    "当前位置",
    "索引号",
    "分享到",
    "微信",
    "打印",
    "关闭",
    "纠错",
    "版权所有",
    "ICP",
    "统计代码",
    "导航脚本",
    "color",
)

# --------------------------------------------------------------------------- the loopback server


def _page(name: str, charset: str) -> bytes:
    return (FIXTURES / name).read_text(encoding="utf-8").replace("{charset}", charset).encode(charset)


class PageServer(LoopbackServer):
    """The synthetic pages and broken answers, each route with an optional delay; a path in ``truncated``
    sends a third of the page, then closes the connection."""

    def __init__(self) -> None:
        super().__init__()
        html = "text/html"
        govcn = (FIXTURES / "synthetic_govcn_page.html").read_text(encoding="utf-8")
        self.routes: dict[str, tuple[int, dict[str, str], bytes, float]] = {
            "/utf8.htm": (
                200,
                {"Content-Type": f"{html}; charset=utf-8"},
                _page("synthetic_govcn_page.html", "utf-8"),
                0,
            ),
            # GBK bytes, no charset in the header; <meta> declares gbk
            "/gbk.htm": (200, {"Content-Type": html}, _page("synthetic_govcn_page.html", "gbk"), 0),
            # GBK bytes, but header and <meta> claim UTF-8: the declaration must not be trusted
            "/gbk-mislabelled.htm": (
                200,
                {"Content-Type": f"{html}; charset=utf-8"},
                govcn.replace("{charset}", "utf-8").encode("gbk"),
                0,
            ),
            "/ministry.htm": (200, {"Content-Type": html}, _page("synthetic_ministry_page.html", "utf-8"), 0),
            "/traditional-big5.htm": (200, {"Content-Type": html}, _page("synthetic_traditional_page.html", "big5"), 0),
            "/traditional-utf8.htm": (
                200,
                {"Content-Type": html},
                _page("synthetic_traditional_page.html", "utf-8"),
                0,
            ),
            "/fallback.htm": (200, {"Content-Type": html}, _page("synthetic_fallback_page.html", "utf-8"), 0),
            "/nobody.htm": (200, {"Content-Type": html}, _page("synthetic_no_body_page.html", "utf-8"), 0),
            "/plain.txt": (
                200,
                {"Content-Type": "text/plain; charset=utf-8"},
                "合成测试纯文本。\r\n\r\n第二行。\n".encode(),
                0,
            ),
            "/empty.htm": (200, {"Content-Type": html}, b"", 0),
            "/blank.htm": (200, {"Content-Type": html}, b" \r\n\t ", 0),
            "/file.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", 0),
            "/nul.bin": (200, {"Content-Type": "application/octet-stream"}, b"abc\x00\x01\x02def" * 10, 0),
            "/undecodable.txt": (200, {"Content-Type": "text/plain"}, bytes([0x80, 0xFF, 0x81, 0xFE]) * 50, 0),
            "/slow.htm": (200, {"Content-Type": html}, _page("synthetic_govcn_page.html", "utf-8"), 1.5),
            "/missing.htm": (404, {"Content-Type": html}, b"<html><body>404 Not Found</body></html>", 0),
            "/error.htm": (500, {"Content-Type": html}, b"<html><body>500 Internal Server Error</body></html>", 0),
        }
        self.routes["/swap.htm"] = self.routes["/utf8.htm"]
        self.truncated: set[str] = {"/truncated.htm"}

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        if request.path in self.truncated:
            body = _page("synthetic_govcn_page.html", "utf-8")
            request.send_response(200)
            request.send_header("Content-Type", "text/html; charset=utf-8")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body[: len(body) // 3])  # a third of the page, then the connection closes
            request.wfile.flush()
            request.close_connection = True
            return
        status, headers, body, delay = self.routes.get(request.path, (404, {}, b"not found", 0))
        if delay:
            time.sleep(delay)
        respond(request, status, body, headers)


@pytest.fixture(scope="module")
def server() -> Iterator[PageServer]:
    with PageServer() as srv:
        yield srv


#: The slow page (1.5 s) must time out well before it answers.
FAST = dataclasses.replace(corpus_files.FAST, read_timeout=0.4)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(server: PageServer, session, path: str, options: HttpOptions = FAST) -> Acquired:  # type: ignore[no-untyped-def]
    return fetch_url("synthetic_doc", server.url(path), session, options)


# --------------------------------------------------------------------------- pages that work


def test_utf8_govcn_page_is_reduced_to_its_body(server: PageServer, session) -> None:  # type: ignore[no-untyped-def]
    got = get(server, session, "/utf8.htm")
    assert got.text == GOVCN_TEXT
    assert got.container == "#UCAP-CONTENT"
    assert got.encoding == "utf-8" and got.source == "url" and got.converted_t2s is False
    assert not [w for w in PAGE_NOISE if w in got.text]
    assert got.sha256 == text_sha256(GOVCN_TEXT) and got.chars == sum(1 for c in GOVCN_TEXT if not c.isspace())


def test_gbk_page_gives_the_same_text_as_utf8(server: PageServer, session) -> None:  # type: ignore[no-untyped-def]
    got = get(server, session, "/gbk.htm")
    assert got.encoding == "gb18030"
    assert got.text == GOVCN_TEXT


def test_mislabelled_gbk_page_is_detected_not_trusted(server: PageServer, session) -> None:  # type: ignore[no-untyped-def]
    got = get(server, session, "/gbk-mislabelled.htm")
    assert got.encoding == "gb18030"
    assert got.text == GOVCN_TEXT


def test_ministry_page_uses_trs_editor_container(server: PageServer, session) -> None:  # type: ignore[no-untyped-def]
    got = get(server, session, "/ministry.htm")
    assert got.container == ".TRS_Editor"
    assert got.text.splitlines()[0] == "示例部办公厅关于开展测试工作的通知"
    # table cells are separated by a space, which normalisation removes between two Han characters
    assert "序号事项" in got.text.splitlines() and "1 正文提取" in got.text.splitlines()
    assert "版权所有" not in got.text and "返回顶部" not in got.text and "发文字号" not in got.text


@pytest.mark.parametrize("path", ["/traditional-big5.htm", "/traditional-utf8.htm"])
def test_traditional_page_is_converted_to_simplified(server: PageServer, session, path: str) -> None:  # type: ignore[no-untyped-def]
    got = get(server, session, path)
    assert got.converted_t2s is True
    assert got.text == TRADITIONAL_TEXT
    assert got.encoding == ("big5" if "big5" in path else "utf-8")


def test_simplified_page_is_not_converted(server: PageServer, session) -> None:  # type: ignore[no-untyped-def]
    assert get(server, session, "/gbk.htm").converted_t2s is False


def test_page_without_known_container_uses_the_paragraph_block(server: PageServer, session) -> None:  # type: ignore[no-untyped-def]
    got = get(server, session, "/fallback.htm")
    assert got.container.startswith("fallback:")
    assert got.text.splitlines() == [
        "示例区二〇三〇年工作要点",
        "一、推进农业数据平台建设，提升公共服务水平。",
        "二、完善安全管理制度，落实各项责任。",
        "三、加强督促检查，确保任务完成。",
    ]


def test_plain_text_answer_is_used_as_is(server: PageServer, session) -> None:  # type: ignore[no-untyped-def]
    got = get(server, session, "/plain.txt")
    assert got.text == "合成测试纯文本。\n第二行。" and got.container == ""


# --------------------------------------------------------------------------- pages that fail, each with a clear error


@pytest.mark.parametrize(
    ("path", "error", "words"),
    [
        ("/nobody.htm", NoDocumentBodyError, ["no document body", "official_url"]),
        ("/empty.htm", EmptyDocumentError, ["empty"]),
        ("/blank.htm", EmptyDocumentError, ["empty"]),
        ("/file.pdf", BinaryContentError, ["PDF", "mirror"]),
        ("/nul.bin", BinaryContentError, ["NUL bytes"]),
        ("/undecodable.txt", DecodingError, ["not valid UTF-8", "GB18030"]),
        ("/missing.htm", HTTPStatusError, ["HTTP 404", "official_url"]),
        ("/error.htm", HTTPStatusError, ["HTTP 500"]),
        ("/truncated.htm", TruncatedDocumentError, ["try again"]),
    ],
)
def test_broken_answers_raise_clear_errors(
    server: PageServer, session, path: str, error: type, words: list[str]
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as info:
        get(server, session, path)
    message = str(info.value)
    assert message.startswith("synthetic_doc: ") and server.url(path) in message
    for word in words:
        assert word in message


def test_http_status_error_kind_names_the_code(server: PageServer, session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(HTTPStatusError) as info:
        get(server, session, "/missing.htm")
    assert info.value.kind == "http 404"


def test_server_errors_are_retried(server: PageServer) -> None:
    options = HttpOptions(connect_timeout=1.0, read_timeout=1.0, retries=2, backoff=0.0)
    before = server.hits["/error.htm"]
    with loopback_session(options) as s, pytest.raises(HTTPStatusError, match="after 2 retries"):
        fetch_url("synthetic_doc", server.url("/error.htm"), s, options)
    assert server.hits["/error.htm"] - before == 3  # the first try and two retries


def test_slow_page_times_out_quickly(server: PageServer, session) -> None:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    with pytest.raises(DownloadTimeoutError) as info:
        get(server, session, "/slow.htm")
    assert time.monotonic() - start < 1.4
    assert "0.4 s" in str(info.value) and "mirror" in str(info.value)


def test_refused_connection_is_a_clear_error(session) -> None:  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{closed_port()}/doc.htm"
    with pytest.raises(DownloadConnectionError) as info:
        fetch_url("synthetic_doc", url, session, FAST)
    assert "connection refused" in str(info.value) and url in str(info.value) and "--offline" in str(info.value)


# --------------------------------------------------------------------------- fetch(): cache, coverage, offline


def write_manifest(path: Path, rows: list[dict[str, str]]) -> Path:
    return corpus_files.write_manifest(
        path, rows, level="central", region="national", genre="notice", short_titles="示例", min_chars="20"
    )


def order_e_mirror(tmp_path: Path) -> Path:
    """A copy of the fixture mirror holding only synthetic_order_e (a mirror manifest names only the book's documents)."""
    mirror = tmp_path / "mirror"
    (mirror / "texts").mkdir(parents=True)
    (mirror / "texts" / "synthetic_order_e.txt").write_bytes((MIRROR / "texts" / "synthetic_order_e.txt").read_bytes())
    (mirror / "manifest.csv").write_text(
        "doc_id,file\nsynthetic_order_e,texts/synthetic_order_e.txt\n", encoding="utf-8"
    )
    return mirror


@pytest.fixture(scope="module")
def fetched(server: PageServer, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One fetch over a synthetic manifest, shared by the tests that only read its results."""
    tmp_path = tmp_path_factory.mktemp("fetched")
    manifest = write_manifest(
        tmp_path / "manifest.csv",
        [
            {
                "doc_id": "good_utf8",
                "official_url": server.url("/utf8.htm"),
                "expected_sha256": text_sha256(GOVCN_TEXT),
            },
            {"doc_id": "good_gbk", "official_url": server.url("/missing.htm") + " " + server.url("/gbk.htm")},
            {"doc_id": "traditional", "official_url": server.url("/traditional-big5.htm")},
            {"doc_id": "gone", "official_url": server.url("/missing.htm")},
            {"doc_id": "bodyless", "official_url": server.url("/nobody.htm")},
            {"doc_id": "wrong_hash", "official_url": server.url("/utf8.htm"), "expected_sha256": "b" * 64},
            {"doc_id": "slow", "official_url": server.url("/slow.htm")},
            {"doc_id": "no_url"},
            {
                "doc_id": "synthetic_order_e",
                "language": "en",
                "level": "federal",
                "official_url": server.url("/missing.htm"),
            },
        ],
    )
    cache = tmp_path / "raw"
    mirror = order_e_mirror(tmp_path)
    with loopback_session() as session:
        result = fetch_online(manifest, cache, session, mirror=mirror, options=FAST)
    return manifest, cache, result, mirror


def test_fetch_actions(fetched) -> None:  # type: ignore[no-untyped-def]
    _, _, result, _ = fetched
    actions = dict(zip(result["doc_id"], result["action"], strict=False))
    assert actions == {
        "good_utf8": "downloaded",
        "good_gbk": "rejected",  # the first URL gives 404, the second is good_utf8's verified text: not good_gbk's
        "traditional": "downloaded",
        "gone": "failed",
        "bodyless": "rejected",  # a page without a document body is not the document
        "wrong_hash": "hash mismatch",
        "slow": "failed",  # a timeout, recorded
        "no_url": "no url",
        "synthetic_order_e": "copied",  # from the mirror into the cache: not downloaded
    }
    message = dict(zip(result["doc_id"], result["message"], strict=False))
    assert "HTTP 404" in message["gone"] and "no document body" in message["bodyless"]
    assert f"expected sha256 {'b' * 64}, got {text_sha256(GOVCN_TEXT)}" in message["wrong_hash"]


def test_fetch_writes_text_and_sidecar_atomically(fetched) -> None:  # type: ignore[no-untyped-def]
    _, cache, _, _ = fetched
    names = sorted(p.name for p in cache.iterdir())
    assert names == [
        ".lock",
        "bodyless.error.json",
        "gone.error.json",
        "good_gbk.error.json",
        "good_utf8.doc.txt",
        "slow.error.json",
        "synthetic_order_e.doc.txt",
        "traditional.doc.txt",
        "wrong_hash.error.json",
    ]  # no partial (.part) files, nothing for the mismatched text

    def header_and_text(name: str) -> tuple[dict[str, object], str]:
        head, _, text = (cache / name).read_text(encoding="utf-8").partition("\n")
        assert head.startswith("#provenance ")
        return json.loads(head[len("#provenance ") :]), text

    meta, text = header_and_text("good_utf8.doc.txt")
    assert text == GOVCN_TEXT and meta["origin"] == "url"
    assert (
        meta["encoding"] == "utf-8" and meta["container"] == "#UCAP-CONTENT" and str(meta["url"]).endswith("/utf8.htm")
    )
    assert meta["sha256"] == text_sha256(GOVCN_TEXT) and meta["converted_t2s"] is False
    assert header_and_text("traditional.doc.txt")[0]["converted_t2s"] is True
    meta, _ = header_and_text("synthetic_order_e.doc.txt")
    assert meta["origin"] == "mirror" and str(meta["origin_location"]).endswith("texts/synthetic_order_e.txt")
    record = json.loads((cache / "slow.error.json").read_text(encoding="utf-8"))
    assert record["class"] == "timeout" and record["time"].endswith("Z") and "slow.htm" in record["message"]


def test_coverage_after_fetch(fetched) -> None:  # type: ignore[no-untyped-def]
    manifest, cache, _, mirror = fetched
    cov = coverage(mirror, manifest=manifest, cache_dir=cache).set_index("doc_id")
    assert cov["status"].to_dict() == {
        "good_utf8": "available",
        "good_gbk": "rejected",
        "traditional": "available",
        "gone": "failed",
        "bodyless": "rejected",
        "wrong_hash": "hash mismatch",
        "slow": "failed",
        "no_url": "missing",
        "synthetic_order_e": "available",
    }
    assert cov.loc["good_utf8", "source"] == "url" and cov.loc["synthetic_order_e", "source"] == "mirror"
    assert cov.loc["synthetic_order_e", "location"].endswith("synthetic_order_e.doc.txt")  # read from the cache
    # the GBK page holds good_utf8's verified text: refused for good_gbk before it was cached (analysis.corpus.claims)
    assert "this is the text of good_utf8" in cov.loc["good_gbk", "message"]
    assert cov.loc["slow", "failure"] == "timeout" and cov.loc["gone", "failure"] == "http error"
    assert cov.loc["traditional", "converted_t2s"] and not cov.loc["good_gbk", "converted_t2s"]
    assert cov.loc["traditional", "encoding"] == "big5"
    assert "HTTP 404" in cov.loc["gone", "message"] and cov.loc["gone", "location"].endswith("/missing.htm")
    assert "expected sha256" in cov.loc["wrong_hash", "message"] and cov.loc["wrong_hash", "location"].endswith(
        "/utf8.htm"
    )
    assert "timeout" in cov.loc["slow", "message"]
    corpus = load_corpus(mirror, manifest=manifest, cache_dir=cache)
    assert corpus["doc_id"].tolist() == ["good_utf8", "traditional", "synthetic_order_e"]
    assert corpus.set_index("doc_id").loc["traditional", "text"] == TRADITIONAL_TEXT


def test_cached_copy_is_read_back(fetched) -> None:  # type: ignore[no-untyped-def]
    _, cache, _, _ = fetched
    got = read_cache("good_utf8", cache)
    assert got is not None and got.text == GOVCN_TEXT and got.source == "url" and got.origin.endswith("/utf8.htm")
    assert got.location.endswith("good_utf8.doc.txt")


def test_second_fetch_keeps_cached_documents(server: PageServer, fetched, session) -> None:  # type: ignore[no-untyped-def]
    manifest, cache, _, mirror = fetched
    before = server.hits["/utf8.htm"]
    result = fetch_online(manifest, cache, session, mirror=mirror, options=FAST, doc_ids=["good_utf8", "traditional"])
    assert result["action"].tolist() == ["kept", "kept"]
    assert server.hits["/utf8.htm"] == before


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_offline_fetch_never_touches_the_network(server: PageServer, tmp_path: Path, monkeypatch, how: str) -> None:  # type: ignore[no-untyped-def]
    manifest = write_manifest(tmp_path / "m.csv", [{"doc_id": "x", "official_url": server.url("/utf8.htm")}])
    before = sum(server.hits.values())
    if how == "environment":
        monkeypatch.setenv("CORPUS_OFFLINE", "1")
        result = fetch(None, manifest=manifest, cache_dir=tmp_path / "raw", progress=False)
    else:
        result = fetch(None, manifest=manifest, cache_dir=tmp_path / "raw", progress=False, offline=True)
    assert result["action"].tolist() == ["skipped"] and "offline" in result["message"][0]
    assert sum(server.hits.values()) == before
    assert not (tmp_path / "raw").exists() or not any((tmp_path / "raw").iterdir())


def test_an_unreachable_host_is_tried_once_per_run_and_again_next_run(tmp_path: Path, session) -> None:  # type: ignore[no-untyped-def]
    port = closed_port()
    manifest = write_manifest(
        tmp_path / "m.csv",
        [{"doc_id": f"doc{i}", "official_url": f"http://127.0.0.1:{port}/doc{i}.htm"} for i in range(6)],
    )
    result = fetch_online(manifest, tmp_path / "raw", session, options=FAST)
    assert result["action"].tolist() == ["failed"] + ["skipped"] * 5  # the host failed once: not tried again
    assert f"127.0.0.1:{port} could not be reached earlier in this run" in result["message"][5]
    cov = coverage(None, manifest=manifest, cache_dir=tmp_path / "raw")
    assert set(cov["status"]) == {"failed"} and set(cov["failure"]) == {"unreachable"}  # recorded, shown by status
    record = json.loads((tmp_path / "raw" / "doc3.error.json").read_text(encoding="utf-8"))
    assert record["class"] == "unreachable" and record["hosts"] == [f"127.0.0.1:{port}"]
    # no verdict on the documents: the next run that is not offline tries them again, without refresh
    again = fetch_online(manifest, tmp_path / "raw", session, options=FAST)
    assert again["action"].tolist() == ["failed"] + ["skipped"] * 5
    offline = fetch(None, manifest=manifest, cache_dir=tmp_path / "raw", progress=False, offline=True)
    assert offline["action"].tolist() == ["skipped"] * 6 and "offline" in offline["message"][0]


def test_failed_refetch_never_replaces_a_good_copy(server: PageServer, tmp_path: Path, session) -> None:  # type: ignore[no-untyped-def]
    manifest = write_manifest(tmp_path / "m.csv", [{"doc_id": "swap", "official_url": server.url("/swap.htm")}])
    cache = tmp_path / "raw"
    first = fetch_online(manifest, cache, session, options=FAST)
    assert first["action"].tolist() == ["downloaded"]
    good = {p.name: p.read_bytes() for p in cache.iterdir()}
    server.truncated.add("/swap.htm")  # the download now breaks off mid-page
    try:
        again = fetch_online(manifest, cache, session, options=FAST, force=True)
    finally:
        server.truncated.discard("/swap.htm")
    assert again["action"].tolist() == ["failed"] and "connection closed" in again["message"][0]
    assert {p.name: p.read_bytes() for p in cache.iterdir() if not p.name.endswith(".error.json")} == good
    assert not [p for p in cache.iterdir() if p.name.endswith(".part")]
    cov = coverage(None, manifest=manifest, cache_dir=cache)
    assert cov["status"].tolist() == ["available"] and cov["source"].tolist() == ["url"]


def test_failure_while_writing_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "raw"
    write_cache(Acquired("doc", "旧的合成文本", "url", "http://127.0.0.1/doc"), cache)
    old = (cache / "doc.doc.txt").read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(fileio.os, "replace", broken_replace)
    with pytest.raises(
        CacheWriteError, match="doc: cannot write .*doc.doc.txt .*simulated.*previous copy, if any, is unchanged"
    ):
        write_cache(Acquired("doc", "新的合成文本", "url", "http://127.0.0.1/doc"), cache)
    monkeypatch.undo()
    assert (cache / "doc.doc.txt").read_bytes() == old
    assert sorted(p.name for p in cache.iterdir()) == [".lock", "doc.doc.txt"]
    assert read_cache("doc", cache).text == "旧的合成文本"  # type: ignore[union-attr]


def test_fetch_prints_nothing_to_stderr_without_progress(fetched, capfd) -> None:  # type: ignore[no-untyped-def]
    manifest, cache, _, mirror = fetched
    capfd.readouterr()
    fetch(mirror, manifest=manifest, cache_dir=cache, progress=False, offline=True)
    assert capfd.readouterr().err == ""
