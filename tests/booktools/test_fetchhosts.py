"""The publishing workflow's corpus steps (booktools.fetchhosts): documents grouped by host, hosts fetched side
by side within a time budget, and the core texts required. The fetch command is replaced by a synthetic one."""

from __future__ import annotations

import sys

import pandas as pd

from booktools import fetchhosts

MANIFEST = pd.DataFrame(
    {
        "doc_id": ["synthetic_a", "synthetic_b", "synthetic_c", "synthetic_d"],
        "official_url": [
            "http://www.example.gov.cn/a.htm",
            "https://WWW.EXAMPLE.GOV.CN/b.htm; https://mirror.example.org/b",
            "",
            "https://other.example.org/d.pdf",
        ],
    }
)


def test_host_of_the_first_url():
    assert fetchhosts.host_of("https://WWW.EXAMPLE.GOV.CN/b.htm; https://mirror.example.org/b") == "www.example.gov.cn"
    assert fetchhosts.host_of("  ") == "" and fetchhosts.host_of(None) == ""


def test_documents_are_grouped_by_host_in_manifest_order():
    assert fetchhosts.host_groups(MANIFEST) == {
        "other.example.org": ["synthetic_d"],
        "www.example.gov.cn": ["synthetic_a", "synthetic_b"],
    }


def _synthetic_fetch(doc_ids, args):
    """A stand-in for `corpus fetch`: documents named slow_* sleep past any budget, the others print their ids."""
    if any(d.startswith("slow") for d in doc_ids):
        return [sys.executable, "-c", "import time; time.sleep(60)"]
    return [sys.executable, "-c", f"print('fetched', {' '.join(doc_ids)!r}, {list(args)!r})"]


def test_hosts_run_side_by_side_and_a_slow_host_is_stopped_by_the_budget():
    groups = {"slow.example.org": ["slow_1", "slow_2", "slow_3"], "fast.example.org": ["fast_1"]}
    runs = fetchhosts.fetch_by_host(groups, budget=1.5, jobs=2, args=["--refresh"], command=_synthetic_fetch)
    assert [r.host for r in runs] == ["fast.example.org", "slow.example.org"]
    fast, slow = runs
    # the slow host starts first (the largest group); the fast one still ran beside it
    assert fast.returncode == 0 and "fetched fast_1 ['--refresh']" in fast.output
    assert slow.returncode is None and "time budget" in slow.output
    text = fetchhosts.report(runs)
    assert "slow.example.org: 3 documents, stopped by the time budget" in text
    assert "fast.example.org: 1 documents, exit 0" in text


def test_a_host_left_without_time_is_not_started():
    groups = {"slow.example.org": ["slow_1", "slow_2"], "fast.example.org": ["fast_1"]}
    runs = fetchhosts.fetch_by_host(groups, budget=0.5, jobs=1, command=_synthetic_fetch)
    assert all(r.returncode is None for r in runs)
    assert "not started" in runs[0].output


def test_missing_core_texts_are_named_with_their_status(tmp_path, monkeypatch):
    monkeypatch.setenv("CORPUS_MIRROR", "")
    missing = fetchhosts.missing_core(["ngaidp_2017", "no_such_document"], cache_dir=tmp_path)
    assert missing == {"ngaidp_2017": "missing", "no_such_document": "not in the manifest"}
