"""Shared fixtures of the package tests.

* No test reaches the Internet Archive (``CORPUS_ARCHIVE`` empty); the tests of the archive fallback point
  ``HttpOptions.archive_base`` at a loopback server on 127.0.0.1.
* No test reads ``$CORPUS_MIRROR``: tests build their own mirrors or read the shared one beside the checkout.
* One backend and one set-up for every test that draws (:func:`plotting`).
"""

from __future__ import annotations

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
    """The book's figure settings (:func:`analysis.plotting.setup_plotting`: CJK font, sizes, PNG metadata);
    every figure is closed afterwards."""
    import matplotlib.pyplot as plt

    from analysis.plotting import setup_plotting

    setup_plotting()
    yield
    plt.close("all")
