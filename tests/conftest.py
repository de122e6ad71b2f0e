"""Shared test configuration: tests that compare the corpus with the real mirror skip on a synthetic one.

In the synthetic data state (``.ci/run``, tests/synthetic_corpus.py) the mirror holds a synthetic text for
every document, and the manifest's expected hashes are those of the synthetic texts; the tests below check
properties of the *real* mirror (which texts it holds, which hashes are verified) and skip there.
"""

from __future__ import annotations

import pytest

REAL_MIRROR_ONLY = frozenset({
    "test_real_mirror_texts_match_the_manifest",
    "test_same_documents_as_the_mirror_manifest",
})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from analysis.datastate import synthetic_documents

    if not synthetic_documents():
        return
    skip = pytest.mark.skip(reason="the mirror is synthetic (tests/synthetic_corpus.py): this test checks the real mirror")
    for item in items:
        if item.originalname in REAL_MIRROR_ONLY if hasattr(item, "originalname") else item.name in REAL_MIRROR_ONLY:
            item.add_marker(skip)
