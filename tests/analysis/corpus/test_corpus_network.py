"""Downloads that must not mislead (issue 21): reachability per host, unreachable documents tried again once
the host is back (a 404 stays remembered), warm runs, retries counted, the final URL after redirects, and
a fetch stopped by SIGTERM. Loopback servers on 127.0.0.1 serve SYNTHETIC pages written here."""

from __future__ import annotations

import json
import signal
import socket
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

import corpus_files
from analysis.cli import main
from analysis.corpus import DownloadConnectionError, HttpOptions, HTTPStatusError, coverage
from analysis.corpus.cache import provenance, read_error_record, write_error_record
from analysis.corpus.sources import fetch_url
from corpus_files import LoopbackServer, corpus_args, fetch_online, loopback_session, respond, serving

TITLE = "示例市人民政府关于推进智能产业发展的实施意见"
HTML = "text/html; charset=utf-8"


def body(tag: str) -> str:
    """A SYNTHETIC document (not any real text): the title, then twenty numbered articles marked ``tag``."""
    return "\n".join(
        [TITLE]
        + [f"第{i}条　本条为合成测试文字（{tag}），用于检验下载检查，并非任何文件的原文内容。" for i in range(1, 21)]
    )


def page(tag: str) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in body(tag).splitlines())
    return f'<html><body><div class="pages_content">{paragraphs}</div></body></html>'.encode()


def manifest(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    return corpus_files.write_manifest(tmp_path / "manifest.csv", rows, title_zh=TITLE, min_chars="200")


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def actions(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return dict(zip(result["doc_id"], result["action"], strict=True))


# --------------------------------------------------------------------------- F6: reachability per host


@pytest.mark.parametrize("refresh", [False, True])
def test_one_hosts_failures_never_mark_another_host_unreachable(tmp_path: Path, session, refresh: bool) -> None:  # type: ignore[no-untyped-def]
    dead = f"http://127.0.0.1:{closed_port()}"
    with serving() as live:
        rows = [{"doc_id": f"dead{i}", "official_url": f"{dead}/d{i}.htm"} for i in range(4)]
        for i in range(3):
            live.routes[f"/l{i}.htm"] = (200, HTML, page(f"l{i}"))
            rows.append({"doc_id": f"live{i}", "official_url": live.url(f"/l{i}.htm")})
        live.routes["/reprint.htm"] = (200, HTML, page("reprint"))
        rows.append({"doc_id": "mixed", "official_url": f"{dead}/m.htm {live.url('/reprint.htm')}"})
        path = manifest(tmp_path, rows)
        result = fetch_online(path, tmp_path / "raw", session)
        if refresh:  # REFRESH=1 after the same run: the same, document by document
            for doc in ("live0", "live1", "live2", "mixed"):
                (tmp_path / "raw" / f"{doc}.doc.txt").unlink()
            result = fetch_online(path, tmp_path / "raw", session, refresh=True)
    assert actions(result) == {
        "dead0": "failed",
        "dead1": "skipped",  # its host failed in this run: not tried again
        "dead2": "skipped",
        "dead3": "skipped",
        "live0": "downloaded",  # another host: fetched as usual
        "live1": "downloaded",
        "live2": "downloaded",
        "mixed": "downloaded",  # the dead official host is passed over for the live reprint
    }
    cov = coverage(None, manifest=path, cache_dir=tmp_path / "raw").set_index("doc_id")
    assert set(cov.loc[["dead0", "dead1", "dead2", "dead3"], "failure"]) == {"unreachable"}


# --------------------------------------------------------------------------- unreachable is no verdict


def test_an_unreachable_document_is_fetched_once_its_host_is_back_and_a_404_stays_remembered(
    tmp_path: Path, session
) -> None:  # type: ignore[no-untyped-def]
    port = closed_port()
    with serving() as other:
        path = manifest(
            tmp_path,
            [
                {"doc_id": "back", "official_url": f"http://127.0.0.1:{port}/back.htm"},
                {"doc_id": "gone", "official_url": other.url("/gone.htm")},  # 404: a verdict on this URL
            ],
        )
        first = fetch_online(path, tmp_path / "raw", session)
        assert actions(first) == {"back": "failed", "gone": "failed"}
        assert read_error_record("back", tmp_path / "raw")["class"] == "unreachable"  # type: ignore[index]
        with serving(port) as back:
            back.routes["/back.htm"] = (200, HTML, page("back"))
            second = fetch_online(path, tmp_path / "raw", session)  # no refresh
    assert actions(second) == {"back": "downloaded", "gone": "remembered"}
    assert other.hits["/gone.htm"] == 1 and back.hits["/back.htm"] == 1


def test_a_warm_make_data_retries_unreachable_documents_only_when_not_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CORPUS_OFFLINE", raising=False)
    port = closed_port()
    path = manifest(tmp_path, [{"doc_id": "back", "official_url": f"http://127.0.0.1:{port}/back.htm"}])
    fast = ["--no-progress", "--retries", "0", "--connect-timeout", "1", "--archive", ""]
    online = ["corpus", "fetch", *fast, *corpus_args(path, tmp_path / "raw")]

    def run(*extra: str) -> str:
        assert main([*online, *extra]) == 0
        return capsys.readouterr().out

    assert "[failed] back:" in run()
    warm = run()  # nothing changed on disk, but the host may be back: tried again, not a no-op
    assert "tried again" in warm and "nothing changed" not in warm and "[skipped] back" not in warm
    with serving(port) as back:
        back.routes["/back.htm"] = (200, HTML, page("back"))
        assert "[skipped] back: not downloaded, offline" in run("--offline")
        assert "nothing changed" in run("--offline")  # a warm offline run stays a no-op
        assert back.hits["/back.htm"] == 0  # offline runs never touch the network
        assert "[downloaded] back" in run()
        assert "nothing changed" in run()  # no unreachable record left: a no-op again
    assert back.hits["/back.htm"] == 1


def test_while_no_host_answers_only_three_hosts_are_probed_and_they_take_turns(tmp_path: Path, session) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "raw"
    rows = [{"doc_id": f"doc{i}", "official_url": f"http://127.0.0.1:{closed_port()}/d.htm"} for i in range(5)]
    path = manifest(tmp_path, rows)
    for i, r in enumerate(rows):  # five dead hosts, remembered as unreachable, doc0's record the oldest
        record = {"class": "unreachable", "url": r["official_url"], "message": "x", "time": f"2020-01-01T00:00:0{i}Z"}
        write_error_record(r["doc_id"], cache, record)
    first = actions(fetch_online(path, cache, session))
    assert first == {"doc0": "failed", "doc1": "failed", "doc2": "failed", "doc3": "remembered", "doc4": "remembered"}
    second = actions(fetch_online(path, cache, session))  # the oldest records first: doc3 and doc4 get their turn
    assert second["doc3"] == second["doc4"] == "failed" and list(second.values()).count("remembered") == 2
    with serving() as live:  # a host that answers proves the network: every unreachable record is tried
        live.routes["/live.htm"] = (200, HTML, page("live"))
        path = manifest(tmp_path, [{"doc_id": "live", "official_url": live.url("/live.htm")}, *rows])
        third = actions(fetch_online(path, cache, session))
    assert third == {"live": "downloaded", **{f"doc{i}": "failed" for i in range(5)}}


# --------------------------------------------------------------------------- F13: retries said only when made


def test_a_request_that_was_not_retried_does_not_say_it_was(tmp_path: Path) -> None:
    options = HttpOptions(connect_timeout=1.0, read_timeout=1.0, retries=2, backoff=0.0, archive_base="")
    with serving() as site, loopback_session(options) as session:
        site.routes["/error.htm"] = (500, HTML, b"<html><body>500</body></html>")
        with pytest.raises(HTTPStatusError) as missing:
            fetch_url("doc", site.url("/missing.htm"), session, options)
        with pytest.raises(HTTPStatusError, match=r"HTTP 500 Internal Server Error \(after 2 retries\)"):
            fetch_url("doc", site.url("/error.htm"), session, options)
    assert "HTTP 404 Not Found;" in str(missing.value) and "retr" not in str(missing.value)
    assert site.hits["/missing.htm"] == 1 and site.hits["/error.htm"] == 3
    with loopback_session(options) as session, pytest.raises(DownloadConnectionError, match=r"\(after 2 retries\)"):
        fetch_url("doc", f"http://127.0.0.1:{closed_port()}/x.htm", session, options)


# --------------------------------------------------------------------------- F16: the final URL is kept


class RedirectServer(LoopbackServer):
    def answer(self, request: BaseHTTPRequestHandler) -> None:
        if request.path == "/old.htm":
            respond(request, 301, headers={"Location": "/new/doc.htm"})
        elif request.path == "/new/doc.htm":
            respond(request, 200, page("moved"), {"Content-Type": HTML})
        else:
            respond(request, 404)


def test_the_final_url_after_redirects_is_stored_in_the_provenance(tmp_path: Path, session) -> None:  # type: ignore[no-untyped-def]
    with RedirectServer() as site:
        path = manifest(tmp_path, [{"doc_id": "moved", "official_url": site.url("/old.htm")}])
        assert actions(fetch_online(path, tmp_path / "raw", session)) == {"moved": "downloaded"}
    meta = provenance("moved", tmp_path / "raw")
    assert meta is not None and meta["url"] == site.url("/old.htm") and meta["final_url"] == site.url("/new/doc.htm")


# --------------------------------------------------------------------------- F15: SIGTERM during REFRESH=1


class HangingServer(LoopbackServer):
    """Sends SIGTERM to the main thread (where the fetch runs) when asked for a page, and never answers."""

    def __init__(self) -> None:
        super().__init__()
        self.gone = threading.Event()

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        signal.pthread_kill(threading.main_thread().ident, signal.SIGTERM)  # type: ignore[arg-type]
        self.gone.wait(10)


def test_sigterm_during_a_refresh_keeps_the_remembered_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CORPUS_OFFLINE", raising=False)  # CI exports it; this fetch must reach the loopback server

    class Escaped(Exception):
        pass

    def escaped(signum: int, frame: object) -> None:
        raise Escaped("SIGTERM was not handled by the command")

    cache = tmp_path / "raw"
    previous = signal.signal(signal.SIGTERM, escaped)  # without main()'s own handler SIGTERM would end pytest
    try:
        with HangingServer() as site:
            path = manifest(tmp_path, [{"doc_id": "slow", "official_url": site.url("/slow.htm")}])
            write_error_record("slow", cache, {"class": "http error", "url": site.url("/slow.htm"), "message": "x"})
            before = (cache / "slow.error.json").read_bytes()
            args = ["corpus", "fetch", "--refresh", "--no-progress", "--retries", "0", "--archive", ""]
            try:
                code = main([*args, *corpus_args(path, cache)])
            finally:
                site.gone.set()
    finally:
        signal.signal(signal.SIGTERM, previous)
    err = capsys.readouterr().err
    assert code == 143 and err.startswith("terminated: stopped;") and "Traceback" not in err
    assert (cache / "slow.error.json").read_bytes() == before  # the remembered failure is not forgotten
    assert not [p for p in cache.iterdir() if p.name.endswith(".part")]
    assert json.loads(before)["class"] == "http error"


def test_what_the_book_shows_of_a_failure_does_not_depend_on_the_attempt(tmp_path: Path) -> None:
    """The build leaves a failure record's time and message out of its inputs (``RAW_ATTEMPT_FIELDS``), so the
    book's tables of the corpus must not show them: two records that differ only there give the same tables."""
    from analysis.corpus.core import coverage_table, status_counts
    from analysis.io.paths import RAW_ATTEMPT_FIELDS

    cache = tmp_path / "raw"
    path = manifest(tmp_path, [{"doc_id": "gone", "official_url": "http://a.example/gone.htm"}])
    shown = []
    for attempt in (
        {"time": "2026-12-06T10:00:00Z", "message": "gone: cannot connect (host name not resolved)"},
        {"time": "2026-12-07T09:00:00Z", "message": "gone: not tried, a.example:80 could not be reached"},
    ):
        assert set(attempt) == RAW_ATTEMPT_FIELDS
        record = {"class": "unreachable", "url": "http://a.example/gone.htm", "hosts": ["a.example:80"], **attempt}
        write_error_record("gone", cache, record)
        cov = coverage(manifest=path, cache_dir=cache)
        assert cov.loc[0, "status"] == "failed" and attempt["message"] in cov.loc[0, "message"]
        shown.append((coverage_table(cov), status_counts(cov)))
    for first, second in zip(*shown, strict=True):
        assert first.equals(second)
