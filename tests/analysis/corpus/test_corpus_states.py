"""The corpus in every data state: acceptance of texts, the mirror's manifest, the cache as one
atomic unit, deadlines and failure classes, warm builds without network, and short errors.

HTTP tests use a loopback server on 127.0.0.1 serving SYNTHETIC pages written here; no real
document text is used (titles and document numbers only).
"""

from __future__ import annotations

import errno
import json
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import (
    CacheWriteError,
    DownloadTimeoutError,
    HttpOptions,
    ManifestError,
    RedirectLoopError,
    coverage,
    fetch,
    load_corpus,
    load_manifest,
    synthetic_documents,
)
from analysis.corpus import cache as cache_module
from analysis.corpus.accept import DEFAULT_MIN_CHARS, rejection
from analysis.corpus.cache import read_cache
from analysis.corpus.sources import fetch_url
from analysis.evidence.facts import FactTableError, read_table
from analysis.io import fileio
from analysis.io.paths import PROJECT_ROOT, mirror_dir
from analysis.io.text import text_sha256
from corpus_files import (
    FAST,
    FIXTURE_MIRROR,
    LoopbackServer,
    copy_mirror,
    corpus_args,
    fetch_online,
    fill_disk_for,
    loopback_session,
    manifest_row,
    respond,
)

FIXTURE_MANIFEST = FIXTURE_MIRROR.parent / "manifest.csv"

SOFT_404 = "对不起，您访问的页面不存在或已被删除！请检查网址是否正确，或返回首页浏览。"
NAVIGATION = (
    "首页 | 政策 | 新闻 | 服务 | 互动 | 数据 当前位置：首页 > 政策 > 文件库 主办单位：示例市人民政府办公厅 "
    "版权所有 示ICP备00000000号 联系我们 网站地图 使用帮助 无障碍浏览"
)
NGAIDP_TITLE = "国务院关于印发新一代人工智能发展规划的通知"
#: A SYNTHETIC body (not the plan's text) long enough to pass the length floor of a plan (2,100 characters).
SYNTHETIC_BODY = "\n".join(
    f"第{i}条　本条为合成测试文字，用于检验接受检查，并非任何文件的原文内容。" for i in range(1, 81)
)


def html(body: str, charset: str = "utf-8") -> bytes:
    return (
        f'<html><head><meta charset="{charset}"><title>示例</title></head><body>'
        f'<div class="pages_content">{body}</div></body></html>'
    ).encode(charset)


def visible(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


class DocumentServer(LoopbackServer):
    """Static ``routes`` (path → HTML), a page that changes on every request, a trickling page, a redirect loop."""

    def __init__(self) -> None:
        super().__init__()
        self.routes: dict[str, bytes] = {}
        self.counter = 0

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        if request.path.startswith("/loop"):
            respond(request, 302, headers={"Location": request.path})
        elif request.path == "/changing.htm":
            self.counter += 1
            body = html(f"<p>{NGAIDP_TITLE}</p><p>版本{self.counter}</p>" + SYNTHETIC_BODY.replace("\n", "<br>"))
            respond(request, 200, body, {"Content-Type": "text/html"})
        elif request.path == "/trickle.htm":
            body = html("<p>" + NGAIDP_TITLE + "</p>" + SYNTHETIC_BODY)
            request.send_response(200)
            request.send_header("Content-Type", "text/html; charset=utf-8")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            try:
                for i in range(len(body)):
                    request.wfile.write(body[i : i + 1])
                    request.wfile.flush()
                    time.sleep(1.0)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif request.path in self.routes:
            respond(request, 200, self.routes[request.path], {"Content-Type": "text/html"})
        else:
            respond(request, 404)


@pytest.fixture(scope="module")
def server() -> Iterator[DocumentServer]:
    with DocumentServer() as srv:
        srv.routes.update(
            {
                "/soft404.htm": html(f"<p>{SOFT_404}</p>"),
                "/navigation.htm": html(f"<p>{NAVIGATION}</p>"),
                "/document.htm": html(
                    f"<p>{NGAIDP_TITLE}</p><p>国发〔2017〕35号</p>"
                    + "".join(f"<p>{line}</p>" for line in SYNTHETIC_BODY.split("\n"))
                ),
                # UTF-8 text that was once decoded as Latin-1 and stored again (double encoding): Latin letters, no Han
                "/mojibake-latin.htm": html(
                    "<p>" + (NGAIDP_TITLE + SYNTHETIC_BODY).encode("utf-8").decode("latin-1") + "</p>"
                ),
                # UTF-8 text that was once decoded as GBK: Han characters, but not the title's
                "/mojibake-gbk.htm": html(
                    "<p>" + (NGAIDP_TITLE + SYNTHETIC_BODY).encode("utf-8").decode("gbk", errors="replace") + "</p>"
                ),
            }
        )
        yield srv


def ngaidp_manifest(tmp_path: Path, url: str, **extra: str) -> Path:
    """The book's manifest reduced to ngaidp_2017 (its real title and number), with ``url`` as its official URL."""
    df = pd.read_csv(PROJECT_ROOT / "data" / "corpus" / "manifest.csv", dtype=str, keep_default_na=False)
    df = df[df["doc_id"] == "ngaidp_2017"].copy()
    df["official_url"] = url
    df[["chars_expected", "opening_sha256"]] = ""  # the pages here are synthetic: no real length or opening
    for key, value in extra.items():
        df[key] = value
    path = tmp_path / "manifest.csv"
    df.to_csv(path, index=False)
    return path


# --------------------------------------------------------------------------- acceptance


def test_test_pages_have_the_sizes_of_the_issue() -> None:
    assert len(SOFT_404) == 37 and visible(NAVIGATION) == 81


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/soft404.htm", "'page not found' page"),
        ("/navigation.htm", "too short to be the document: 81 characters"),
        ("/mojibake-latin.htm", "Han characters, too few for a Chinese text"),
        ("/mojibake-gbk.htm", "Han character pairs are dictionary words"),
    ],
)
def test_a_page_that_is_not_the_document_is_refused(
    server: DocumentServer, session: object, tmp_path: Path, path: str, reason: str
) -> None:
    manifest = ngaidp_manifest(tmp_path, server.url(path))
    cache = tmp_path / "raw"
    result = fetch_online(manifest, cache, session)
    assert result["action"].tolist() == ["rejected"] and reason in result["message"][0]
    assert "ngaidp_2017" in result["message"][0]
    cov = coverage(None, manifest=manifest, cache_dir=cache)
    assert (
        cov["status"].tolist() == ["rejected"]
        and cov["failure"].tolist() == ["rejected"]
        and reason in cov["message"][0]
    )
    assert load_corpus(None, manifest=manifest, cache_dir=cache).empty  # never reaches a count
    assert not list(cache.glob("*.doc.txt"))


def test_the_document_is_accepted_by_title_or_number(server: DocumentServer, session: object, tmp_path: Path) -> None:
    manifest = ngaidp_manifest(tmp_path, server.url("/document.htm"))
    result = fetch_online(manifest, tmp_path / "raw", session)
    assert result["action"].tolist() == ["downloaded"]
    row = load_manifest(manifest).iloc[0]
    text = load_corpus(None, manifest=manifest, cache_dir=tmp_path / "raw")["text"][0]
    assert rejection(text, row) is None
    assert rejection(text.replace(NGAIDP_TITLE, "示例"), row) is None  # the document number alone suffices
    assert "begins with the title, a short title or the document number" in str(
        rejection(text.replace(NGAIDP_TITLE, "示例").replace("国发〔2017〕35号", ""), row)
    )
    row = row.copy()
    row["short_titles"] = "示例合成短标题"
    assert rejection("示例合成短标题\n" + SYNTHETIC_BODY, row) is None


def test_an_expected_hash_still_decides(server: DocumentServer, session: object, tmp_path: Path) -> None:
    text = SOFT_404  # an implausible text, but it is the one the manifest's hash names
    manifest = ngaidp_manifest(tmp_path, server.url("/soft404.htm"), expected_sha256=text_sha256(text))
    result = fetch_online(manifest, tmp_path / "raw", session)
    assert result["action"].tolist() == ["downloaded"]


def test_min_chars_default_and_manifest_column() -> None:
    row = manifest_row(title_zh="示例")
    assert f"fewer than min_chars {DEFAULT_MIN_CHARS}" in str(rejection("示例" * 20, row))
    row["min_chars"] = "30"
    assert rejection("示例" * 20, row) is None


def _real_mirror() -> Path:
    for path in (mirror_dir(), (PROJECT_ROOT.parent / "shared" / "corpus").resolve()):
        if path is not None and (path / "manifest.csv").is_file():
            return path
    pytest.skip("not reproducible here: no corpus mirror (set CORPUS_MIRROR)")


def test_every_mirror_text_is_accepted(tmp_path: Path) -> None:
    mirror = _real_mirror()
    files = pd.read_csv(mirror / "manifest.csv", dtype=str, keep_default_na=False)
    with_text = set(files.loc[files["file"] != "", "doc_id"])
    cov = coverage(mirror, cache_dir=tmp_path).set_index("doc_id")
    assert set(cov.index[cov["status"] == "available"]) == with_text
    assert (cov["status"] == "rejected").sum() == 0


# --------------------------------------------------------------------------- one corpus for every reader


def test_fetch_puts_mirror_texts_into_the_cache_for_every_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "raw"
    fetch(FIXTURE_MIRROR, manifest=FIXTURE_MANIFEST, cache_dir=cache, progress=False, offline=True)
    monkeypatch.delenv("CORPUS_MIRROR", raising=False)  # a kernel started elsewhere: no mirror configured
    cov = coverage(manifest=FIXTURE_MANIFEST, cache_dir=cache).set_index("doc_id")
    assert cov.loc["synthetic_plan_a", "status"] == "available" and cov.loc["synthetic_plan_a", "source"] == "mirror"
    assert cov.loc["synthetic_plan_a", "location"].endswith("synthetic_plan_a.doc.txt")
    assert cov.loc["synthetic_mismatch_d", "status"] == "missing"  # a copy with the wrong hash is never cached
    assert load_corpus(manifest=FIXTURE_MANIFEST, cache_dir=cache)["doc_id"].tolist() == [
        "synthetic_plan_a",
        "synthetic_notice_b",
        "synthetic_order_e",
    ]


def test_topics_filter(tmp_path: Path) -> None:
    manifest = load_manifest(FIXTURE_MANIFEST)
    manifest.loc[manifest["doc_id"] == "synthetic_notice_b", "topic"] = "control"
    ai = load_corpus(FIXTURE_MIRROR, manifest=manifest, cache_dir=tmp_path, topics="ai")
    control = load_corpus(FIXTURE_MIRROR, manifest=manifest, cache_dir=tmp_path, topics=["control"])
    both = load_corpus(FIXTURE_MIRROR, manifest=manifest, cache_dir=tmp_path)
    assert ai["doc_id"].tolist() == ["synthetic_plan_a", "synthetic_order_e"] and control["doc_id"].tolist() == [
        "synthetic_notice_b"
    ]
    assert (
        len(both) == 3 and len(coverage(FIXTURE_MIRROR, manifest=manifest, cache_dir=tmp_path, topics="control")) == 1
    )
    with pytest.raises(Exception, match="unknown topic"):
        coverage(FIXTURE_MIRROR, manifest=manifest, cache_dir=tmp_path, topics="weather")


def synthetic_mirror(tmp_path: Path) -> Path:
    return copy_mirror(
        tmp_path,
        "doc_id,file,copy_source\n"
        "synthetic_plan_a,texts/synthetic_plan_a.txt,Synthetic fixture (generated)\n"
        "synthetic_notice_b,texts/synthetic_notice_b.txt,a real source\n",
        name="synthetic-mirror",
    )


def test_synthetic_marker_survives_the_cache(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    mirror, cache = synthetic_mirror(tmp_path), tmp_path / "raw"
    cov = coverage(mirror, manifest=FIXTURE_MANIFEST, cache_dir=cache).set_index("doc_id")
    assert cov.loc["synthetic_plan_a", "source"] == "synthetic" and cov.loc["synthetic_notice_b", "source"] == "mirror"
    fetch(mirror, manifest=FIXTURE_MANIFEST, cache_dir=cache, progress=False, offline=True)
    cov = coverage(None, manifest=FIXTURE_MANIFEST, cache_dir=cache).set_index("doc_id")  # read from the cache only
    assert cov.loc["synthetic_plan_a", "source"] == "synthetic" and cov.loc["synthetic_plan_a", "location"].endswith(
        ".doc.txt"
    )
    capfd.readouterr()
    assert synthetic_documents(None, manifest=FIXTURE_MANIFEST, cache_dir=cache) == ["synthetic_plan_a"]
    assert capfd.readouterr() == ("", "")
    # the real mirror's copy replaces the synthetic one at the next `make data`
    fetch(FIXTURE_MIRROR, manifest=FIXTURE_MANIFEST, cache_dir=cache, progress=False, offline=True)
    assert synthetic_documents(None, manifest=FIXTURE_MANIFEST, cache_dir=cache) == []


# --------------------------------------------------------------------------- the mirror's manifest


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "doc_id,file\nsynthetic_plan_a,texts/synthetic_plan_a.txt\nsynthetic_plan_a,texts/synthetic_notice_b.txt\n",
            "line 3, doc_id='synthetic_plan_a': appears more than once (lines 2, 3; every document appears once)",
        ),
        (
            "doc_id,file,sha256\nsynthetic_plan_a,,abc\nsynthetic_notice_b,,abc\n",
            "line 3, sha256='abc': appears more than once (lines 2, 3; two documents cannot share one text)",
        ),
        ("doc_id,file,colour\nsynthetic_plan_a,,red\n", "line 1: unknown column(s) colour"),
        (
            "doc_id,file\nsynthetic_plan_a,../outside.txt\n",
            "line 2, file='../outside.txt': the text of synthetic_plan_a points outside the mirror",
        ),
        (
            "doc_id,file\nsynthetic_plan_a,/etc/hostname\n",
            "line 2, file='/etc/hostname': the text of synthetic_plan_a points outside the mirror",
        ),
        ("", "the file is empty (0 bytes)"),
    ],
)
def test_mirror_manifest_is_validated(tmp_path: Path, content: str, message: str) -> None:
    mirror = copy_mirror(tmp_path, content)
    with pytest.raises(ManifestError) as info:
        coverage(mirror, manifest=FIXTURE_MANIFEST, cache_dir=tmp_path / "raw")
    assert message in str(info.value) and "manifest.csv" in str(info.value)


def test_a_mirror_document_the_book_does_not_know_is_ignored_with_one_warning(tmp_path: Path) -> None:
    from analysis.corpus.mirror import unknown_ids, unknown_ids_warning

    mirror = copy_mirror(tmp_path, "doc_id,file\nsynthetic_plan_a,\nno_such_document,\n")
    cov = coverage(mirror, manifest=FIXTURE_MANIFEST, cache_dir=tmp_path / "raw").set_index("doc_id")
    assert "no_such_document" not in cov.index and cov.loc["synthetic_plan_a", "status"] == "available"
    known = load_manifest(FIXTURE_MANIFEST)["doc_id"]
    assert unknown_ids(mirror, known) == ("no_such_document",)
    warning = unknown_ids_warning(mirror, known)
    assert warning is not None and "\n" not in warning
    assert warning.startswith("warning:") and "1 document(s)" in warning and "no_such_document" in warning


def test_two_documents_with_one_text_are_refused(tmp_path: Path) -> None:
    mirror = copy_mirror(tmp_path, "doc_id,file\nsynthetic_notice_b,texts/a.txt\nsynthetic_missing_c,texts/a.txt\n")
    shutil.copy(mirror / "texts" / "synthetic_notice_b.txt", mirror / "texts" / "a.txt")
    manifest = load_manifest(FIXTURE_MANIFEST)
    manifest.loc[manifest["doc_id"] == "synthetic_missing_c", "short_titles"] = (
        "示例部关于开展测试工作的通知"  # passes acceptance
    )
    cov = coverage(mirror, manifest=manifest, cache_dir=tmp_path / "raw").set_index("doc_id")
    # neither is verified: neither counts until `corpus import --doc` says which (tests/analysis/corpus/test_corpus_claims.py)
    assert cov.loc[["synthetic_notice_b", "synthetic_missing_c"], "status"].tolist() == ["rejected", "rejected"]
    assert "is also the text of synthetic_notice_b" in cov.loc["synthetic_missing_c", "message"]
    assert "neither counts until" in cov.loc["synthetic_notice_b", "message"]
    got = load_corpus(mirror, manifest=manifest, cache_dir=tmp_path / "raw")["doc_id"].tolist()
    assert "synthetic_missing_c" not in got and "synthetic_notice_b" not in got


# --------------------------------------------------------------------------- the cache: one atomic unit


def test_two_concurrent_fetches_of_a_changing_page(server: DocumentServer, tmp_path: Path) -> None:
    manifest = ngaidp_manifest(tmp_path, server.url("/changing.htm"))
    cache = tmp_path / "raw"
    errors: list[BaseException] = []

    def run() -> None:
        s = loopback_session()
        try:
            for _ in range(8):
                result = fetch_online(manifest, cache, s, force=True)
                assert result["action"].tolist() in (["downloaded"], ["kept"]), result["message"].tolist()
                got = read_cache("ngaidp_2017", cache)  # never "does not match its provenance"
                assert got is not None
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            s.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert server.counter >= 16
    cov = coverage(None, manifest=manifest, cache_dir=cache)
    assert cov["status"].tolist() == ["available"] and cov["source"].tolist() == ["url"]
    assert not [p for p in cache.iterdir() if p.name.endswith(".part")]


def test_provenance_write_failing_keeps_the_good_copy(
    server: DocumentServer, session: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = ngaidp_manifest(tmp_path, server.url("/changing.htm"))
    cache = tmp_path / "raw"
    fetch_online(manifest, cache, session)
    good = (cache / "ngaidp_2017.doc.txt").read_bytes()

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "input/output error (simulated)")

    monkeypatch.setattr(fileio.os, "fsync", failing_fsync)
    with pytest.raises(
        CacheWriteError, match="ngaidp_2017: cannot write .*ngaidp_2017.doc.txt .*previous copy, if any, is unchanged"
    ):
        fetch_online(manifest, cache, session, force=True)
    monkeypatch.undo()
    assert (cache / "ngaidp_2017.doc.txt").read_bytes() == good
    assert not [p for p in cache.iterdir() if p.name.endswith(".part")]
    assert read_cache("ngaidp_2017", cache) is not None


# --------------------------------------------------------------------------- deadlines and failure classes


def test_a_trickling_server_is_cut_off_at_the_deadline(server: DocumentServer, session: object) -> None:
    options = HttpOptions(connect_timeout=1.0, read_timeout=5.0, retries=0, backoff=0.0, deadline=2.0)
    start = time.monotonic()
    with pytest.raises(DownloadTimeoutError) as info:
        fetch_url("ngaidp_2017", server.url("/trickle.htm"), session, options)
    assert time.monotonic() - start < 8  # the page would take minutes at one byte a second
    assert info.value.kind == "deadline" and "deadline of 2 s" in str(info.value)


def test_redirect_loops_are_their_own_class_and_do_not_mark_the_network_down(
    server: DocumentServer, session: object, tmp_path: Path
) -> None:
    rows = [{"doc_id": f"loop{i}", "url": server.url(f"/loop{i}.htm")} for i in range(4)]
    df = pd.read_csv(PROJECT_ROOT / "data" / "corpus" / "manifest.csv", dtype=str, keep_default_na=False)
    template = df[df["doc_id"] == "ngaidp_2017"].iloc[0]
    frame = pd.DataFrame([template] * 5)
    frame[["chars_expected", "opening_sha256"]] = ""  # synthetic pages: no real length or opening
    frame["doc_id"] = [r["doc_id"] for r in rows] + ["ngaidp_2017"]
    frame["official_url"] = [r["url"] for r in rows] + [server.url("/document.htm")]
    frame.to_csv(tmp_path / "m.csv", index=False)
    with pytest.raises(RedirectLoopError):
        fetch_url("loop0", rows[0]["url"], session, FAST)
    result = fetch_online(tmp_path / "m.csv", tmp_path / "raw", session)
    assert result["action"].tolist() == ["failed"] * 4 + ["downloaded"]
    cov = coverage(None, manifest=tmp_path / "m.csv", cache_dir=tmp_path / "raw")
    assert cov["failure"].tolist()[:4] == ["redirect loop"] * 4 and "redirects in a loop" in cov["message"][0]
    record = json.loads((tmp_path / "raw" / "loop0.error.json").read_text(encoding="utf-8"))
    assert record["class"] == "redirect loop" and record["time"] and record["url"].endswith("/loop0.htm")


# --------------------------------------------------------------------------- warm builds


def test_warm_fetch_does_not_retry_failures_until_refresh(
    server: DocumentServer, session: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = ngaidp_manifest(tmp_path, server.url("/soft404.htm"))
    cache = tmp_path / "raw"
    fetch_online(manifest, cache, session)
    hits = server.hits["/soft404.htm"]
    again = fetch_online(manifest, cache, session)
    assert again["action"].tolist() == ["remembered"] and server.hits["/soft404.htm"] == hits
    retried = fetch_online(manifest, cache, session, refresh=True)
    assert retried["action"].tolist() == ["rejected"] and server.hits["/soft404.htm"] == hits + 1
    code = main(["corpus", "status", *corpus_args(manifest, cache)])
    out = capsys.readouterr().out
    assert code == 0 and "rejected" in out and "'page not found' page" in out and "Z]" in out  # class, reason and time


# --------------------------------------------------------------------------- short errors


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def offline_fetch(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, mirror: Path = FIXTURE_MIRROR
) -> tuple[int, str, str]:
    """``corpus fetch --offline`` of the fixture manifest from ``mirror`` into ``tmp_path / "raw"``."""
    args = corpus_args(FIXTURE_MANIFEST, tmp_path / "raw", mirror)
    return cli(capsys, "corpus", "fetch", "--offline", "--no-progress", *args)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "the file is empty (0 bytes)"),
        (b"doc_id,title_zh\nok,\xe7\xa4\xba\nbad,\xb0\xb2\xc8\xab\n", "line 3: byte 0xb0 at column 5"),
    ],
)
def test_bad_manifest_gives_one_line_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, words: str
) -> None:
    path = tmp_path / "manifest.csv"
    path.write_bytes(content)
    args = corpus_args(path, tmp_path / "raw")
    code, out, err = cli(capsys, "corpus", "status", *args)
    assert code == 2 and words in err and str(path) in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) <= 2
    with pytest.raises(ManifestError):
        main(["--debug", "corpus", "status", *args])


@pytest.mark.parametrize("error", ["LedgerError", "TermListError", "FactTableError"])
def test_read_table_names_the_line_of_bad_bytes_for_every_table(tmp_path: Path, error: str) -> None:
    from analysis import counting
    from analysis.evidence import facts, ledger

    cls = {
        "LedgerError": getattr(ledger, "LedgerError", None),
        "TermListError": getattr(counting, "TermListError", None),
        "FactTableError": facts.FactTableError,
    }[error]
    assert cls is not None
    empty, bad = tmp_path / "empty.csv", tmp_path / "bad.csv"
    empty.write_bytes(b"")
    bad.write_bytes("term,gloss\n安全,security\n".encode() + "国家安全,national security\n".encode("gbk"))
    with pytest.raises(cls, match=r"empty.csv: the file is empty \(0 bytes\)"):
        read_table(empty, error=cls)
    with pytest.raises(cls, match=r"bad.csv, line 3: byte 0xb9 at column 1 .* save the file as UTF-8"):
        read_table(bad, error=cls)


def test_read_table_signature_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert read_table(path, required=("a",), error=FactTableError).to_dict("records") == [{"a": "1", "b": "2"}]
    with pytest.raises(FactTableError, match="missing column"):
        read_table(path, required=("c",))


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_mirror_that_is_not_a_folder_gives_one_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    mirror = tmp_path / "no-such-mirror"
    if kind == "file":
        mirror.write_text("not a folder", encoding="utf-8")
    code, out, err = offline_fetch(capsys, tmp_path, mirror)
    what = "is a file, not a folder" if kind == "file" else "does not exist"
    assert code == 1 and len(err.strip().splitlines()) == 1 and what in err and "CORPUS_MIRROR" in err
    code, _out, err = cli(capsys, "corpus", "status", *corpus_args(FIXTURE_MANIFEST, tmp_path / "raw", mirror))
    assert code == 0 and what in err


def test_a_read_only_cache_stops_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(path: Path, data: bytes) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(cache_module, "atomic_write_bytes", denied)
    code, _out, err = offline_fetch(capsys, tmp_path)
    assert code == 2 and "Traceback" not in err
    assert "synthetic_plan_a: cannot write" in err and "Permission denied" in err and "writable" in err


def test_a_full_disk_names_the_document_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_disk_for(monkeypatch, "synthetic_plan_a")
    code, out, err = offline_fetch(capsys, tmp_path)
    assert code == 1 and "Traceback" not in err
    assert (
        "[disk] synthetic_plan_a: cannot write" in out
        and "No space left on device" in out
        and "free some disk space" in out
    )
    assert "[copied] synthetic_notice_b" in out and (tmp_path / "raw" / "synthetic_notice_b.doc.txt").is_file()


def test_cache_write_error_is_not_an_oserror_leak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        cache_module,
        "atomic_write_bytes",
        lambda p, d: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")),
    )
    from analysis.corpus.sources import Acquired

    with pytest.raises(
        CacheWriteError, match="x: cannot write .*x.doc.txt .*No space left on device.*free some disk space"
    ):
        cache_module.write_cache(Acquired("x", "示例", "url", "http://127.0.0.1/x"), tmp_path)
