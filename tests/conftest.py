"""Shared fixtures of the package tests.

* No test reaches the Internet Archive (``CORPUS_ARCHIVE`` empty); the tests of the archive fallback point
  ``HttpOptions.archive_base`` at a loopback server on 127.0.0.1.
* No test reads ``$CORPUS_MIRROR``: tests build their own mirrors or read the shared one beside the checkout.
* One backend and one set-up for every test that draws (:func:`plotting`).
* One download session for the corpus tests' loopback servers (:func:`session`).
* A synthetic fact table is declared in the schema registry for the test that writes it (:func:`declare_fact_table`):
  the loaders read only declared tables.
* In the synthetic data state (``.ci/run``, booktools.synthetic_corpus) the mirror holds a synthetic text for
  every document and the manifest's expected hashes are those of the synthetic texts; the tests that check
  properties of the *real* mirror (which texts it holds, which hashes are verified) skip there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import matplotlib
import pytest

matplotlib.use("Agg")  # before any test module imports pyplot: no display, byte-stable PNGs


@pytest.fixture(autouse=True)
def _no_internet_archive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORPUS_ARCHIVE", "")


@pytest.fixture(autouse=True)
def _no_mirror_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``make test`` exports ``CORPUS_MIRROR``; a test sees a mirror only when it names one (its own fixture
    mirror, or the shared one beside the checkout), so the same tests pass in every data state."""
    monkeypatch.delenv("CORPUS_MIRROR", raising=False)


@pytest.fixture
def plotting():
    """The book's figure settings (:func:`analysis.present.plotting.setup_plotting`: CJK font, sizes, PNG metadata);
    every figure is closed afterwards."""
    import matplotlib.pyplot as plt

    from analysis.present.plotting import setup_plotting

    setup_plotting()
    yield
    plt.close("all")


@pytest.fixture
def declare_fact_table(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``declare_fact_table(name)`` declares ``data/facts/<name>.csv`` in the schema registry for one test, with the
    columns every fact table has (a filled ``source``; ``checked``, yes or no, when present)."""
    from dataclasses import replace

    from analysis.io import registry
    from analysis.io.registry.facts import SOURCED
    from analysis.io.schemas import Schema

    def declare(name: str) -> None:
        schema = Schema((SOURCED[0], replace(SOURCED[1], required=False)))
        monkeypatch.setitem(registry.TABLES, f"facts/{name}.csv", schema)

    return declare


@pytest.fixture()
def session() -> Iterator[Any]:
    """A download session for the loopback servers of the corpus tests (``corpus_files.loopback_session``)."""
    from corpus_files import loopback_session

    s = loopback_session()
    yield s
    s.close()


REAL_MIRROR_ONLY = frozenset(
    {
        "test_real_mirror_texts_match_the_manifest",
        "test_same_documents_as_the_mirror_manifest",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from analysis.datastate import synthetic_documents

    if not synthetic_documents():
        return
    skip = pytest.mark.skip(
        reason="the mirror is synthetic (booktools.synthetic_corpus): this test checks the real mirror"
    )
    for item in items:
        if getattr(item, "originalname", item.name) in REAL_MIRROR_ONLY:
            item.add_marker(skip)
