"""Every page of a build from synthetic texts carries the banner; the answer is kept under the inputs' fingerprint."""

from __future__ import annotations

import json

import pytest

import analysis.datastate
import analysis.io.paths
import booktools.buildcache
from booktools.sphinxext import synthetic_state


@pytest.fixture
def state(tmp_path, monkeypatch):
    """synthetic_state with its cache in ``tmp_path``, the fingerprint and the corpus's answer under the test's control."""
    monkeypatch.setattr(analysis.io.paths, "cache_path", lambda *parts: tmp_path.joinpath(*parts))
    (tmp_path / "synthetic").mkdir()
    inputs = {"fingerprint": "a" * 64, "documents": ["ngaidp_2017"], "asked": 0}

    def documents() -> list[str]:
        inputs["asked"] += 1
        return list(inputs["documents"])

    monkeypatch.setattr(booktools.buildcache, "inputs_fingerprint", lambda mirror=None: inputs["fingerprint"])
    monkeypatch.setattr(analysis.datastate, "synthetic_documents", documents)
    return inputs, tmp_path / "synthetic"


def test_the_answer_is_asked_once_per_state_of_the_inputs(state):
    inputs, folder = state
    documents, banner = synthetic_state()
    assert documents == ["ngaidp_2017"] and banner == analysis.datastate.synthetic_banner(["ngaidp_2017"])
    assert "SYNTHETIC" in banner and inputs["asked"] == 1
    [kept] = folder.iterdir()
    assert json.loads(kept.read_text(encoding="utf-8"))["documents"] == ["ngaidp_2017"]

    assert synthetic_state() == (documents, banner) and inputs["asked"] == 1  # kept: the corpus is not read again

    inputs["fingerprint"], inputs["documents"] = "b" * 64, []  # real texts now: asked again, no banner
    assert synthetic_state() == ([], "") and inputs["asked"] == 2
    [now] = folder.iterdir()
    assert now.name != kept.name


def test_an_unreadable_kept_answer_is_asked_again(state):
    inputs, folder = state
    synthetic_state()
    [kept] = folder.iterdir()
    kept.write_text('{"documents": "not a list", "banner": ""}', encoding="utf-8")
    assert synthetic_state()[0] == ["ngaidp_2017"] and inputs["asked"] == 2
