"""Numbers in prose are computed (booktools.prose): the detector on examples, the committed notebooks, and the
comparison of two data states' books."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.io.paths import NOTEBOOKS_DIR, PROJECT_ROOT
from booktools import prose

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb")) + [PROJECT_ROOT / "book" / "index.ipynb"]


@pytest.mark.parametrize(
    "sentence",
    [
        "On the Chinese side the mirror has ten central documents of 2021–2025.",
        "The corpus holds one local AI text so far: the regulation of Shenzhen.",
        "In this build, 3 of 12 texts name the other side.",
        "None of the three US documents present in this build mentions China.",
    ],
)
def test_a_typed_corpus_number_is_found(sentence: str) -> None:
    assert prose.corpus_number(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The same counts for every central document this build holds (the two plans are among them), under three modes.",
        "The figure puts every document of this build on one axis from 2015 to 2025 with five measures per 10,000 characters.",
        "The 2017 plan mentions security 48 times.",  # the article's number, no cue of the build
        "Section 3 of this build's ledger lists them.",
        "The answer to all three depends on which documents the build holds.",
        # the ledger's note on a missing text names the article's expected value (CI state 5 flagged it)
        "not reproducible here: document NSCAI interim report (2019-11) is not available in this build (the manifest "
        "records no copy); with its text the check is a count of at least 1 of the phrase under the English rule",
    ],
)
def test_numbers_that_do_not_depend_on_the_corpus_are_not_flagged(sentence: str) -> None:
    assert not prose.corpus_number(sentence)


def test_the_chapters_type_no_corpus_dependent_number() -> None:
    typed = prose.typed_numbers_in_markdown(NOTEBOOKS)
    assert not typed, "compute these numbers (glue them or print the sentence):\n" + "\n".join(typed)


def _site(folder: Path, sentence: str) -> Path:
    page = folder / "notebooks" / "chapter.html"
    page.parent.mkdir(parents=True)
    page.write_text(f'<div class="cell_output"><p>{sentence} A fixed sentence.</p></div>', encoding="utf-8")
    return folder


def test_a_printed_sentence_that_does_not_follow_the_data_is_found(tmp_path: Path) -> None:
    frozen = "In this build, ten central documents are present."
    a = _site(tmp_path / "a", frozen)
    b = _site(tmp_path / "b", frozen)
    assert prose.frozen_sentences(a, b) == [f"notebooks/chapter.html: {frozen}"]
    c = _site(tmp_path / "c", "In this build, 0 central documents are present.")
    assert prose.frozen_sentences(a, c) == []
