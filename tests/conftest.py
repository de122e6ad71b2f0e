"""Shared test settings: no test reaches the Internet Archive (``CORPUS_ARCHIVE`` empty); the tests of the
archive fallback point ``HttpOptions.archive_base`` at a loopback server on 127.0.0.1."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_internet_archive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORPUS_ARCHIVE", "")
