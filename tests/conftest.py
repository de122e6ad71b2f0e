"""Shared fixtures of the package tests."""

from __future__ import annotations

# --- figures (structure branch): one backend and one set-up for every test that draws -------------
import matplotlib
import pytest

matplotlib.use("Agg")  # before any test module imports pyplot: no display, byte-stable PNGs


@pytest.fixture
def plotting():
    """The book's figure settings (:func:`analysis.plotting.setup_plotting`: CJK font, sizes, PNG metadata);
    every figure is closed afterwards."""
    import matplotlib.pyplot as plt

    from analysis.plotting import setup_plotting

    setup_plotting()
    yield
    plt.close("all")


# --- end of the figure fixtures ---------------------------------------------------------------------
