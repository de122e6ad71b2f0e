"""The execution cache is cleared when what the notebooks read changes, and kept otherwise."""

from __future__ import annotations

import json

from booktools import buildcache


def test_cache_is_cleared_only_when_inputs_change(tmp_path, monkeypatch):
    cache = tmp_path / "_build" / ".jupyter_cache"
    stamp = tmp_path / "_build" / ".jupyter_cache.inputs"
    monkeypatch.setattr(buildcache, "EXECUTION_CACHE", cache)
    monkeypatch.setattr(buildcache, "STAMP", stamp)
    doctrees = tmp_path / "_build" / ".doctrees"
    monkeypatch.setattr(buildcache, "DOCTREES", doctrees)
    data = tmp_path / "data"
    data.mkdir()
    (data / "terms.csv").write_text("term\n安全\n", encoding="utf-8")
    monkeypatch.setattr(buildcache, "DATA_DIR", data)

    assert "cleared (first build" in buildcache.check_execution_cache(mirror="")
    cache.mkdir(parents=True)
    (cache / "marker").write_text("x")
    doctrees.mkdir(parents=True)
    assert "kept" in buildcache.check_execution_cache(mirror="")
    assert (cache / "marker").exists() and doctrees.exists()

    (data / "terms.csv").write_text("term\n安全\n国防\n", encoding="utf-8")
    assert "cleared (inputs changed" in buildcache.check_execution_cache(mirror="")
    assert not cache.exists() and not doctrees.exists()


def test_fingerprint_depends_on_the_mirror(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "texts").mkdir(parents=True)
    (mirror / "texts" / "doc.txt").write_text("合成文本", encoding="utf-8")
    first = buildcache.inputs_fingerprint(mirror)
    (mirror / "texts" / "doc.txt").write_text("合成文本二", encoding="utf-8")
    assert buildcache.inputs_fingerprint(mirror) != first


def _digest(folder) -> str:
    import hashlib

    h = hashlib.sha256()
    buildcache.digest_files(h, "raw", folder)
    return h.hexdigest()


def test_a_failure_record_counts_without_its_time_and_message(tmp_path):
    """An offline ``make data`` that again cannot reach a host rewrites the record with a new time and a message
    worded for this run: the book is still up to date; a changed class, URL or hosts, a new record or a text still
    count, and the fetch's state never does."""
    raw = tmp_path / "raw"
    raw.mkdir()
    record = raw / "doc.error.json"
    base = {"class": "unreachable", "doc_id": "doc", "url": "https://a.example/1", "hosts": ["a.example:443"]}

    def write(**fields):
        record.write_text(json.dumps({**base, **fields}) + "\n")

    write(time="2026-12-06T10:00:00Z", message="doc: https://a.example/1: cannot connect (host name not resolved)")
    first = _digest(raw)
    write(
        time="2026-12-07T09:00:00Z", message="doc: https://a.example/1: not tried, a.example:443 could not be reached"
    )
    assert _digest(raw) == first
    (raw / ".fetch-state.json").write_text('{"fingerprint": "x"}\n')
    assert _digest(raw) == first
    for changed in ({"class": "not found"}, {"url": "https://b.example/1"}, {"hosts": ["b.example:443"]}):
        write(time="2026-12-07T09:00:00Z", **changed)
        assert _digest(raw) != first, changed
    record.write_text("not json")
    assert _digest(raw) != first
    (raw / "doc.doc.txt").write_text("合成文本", encoding="utf-8")
    assert _digest(raw) != first
