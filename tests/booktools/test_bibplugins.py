"""booktools.bibplugins: pybtex's plugin lookups scan the installed entry points once per question."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

import pybtex.plugin
import pytest

from booktools.bibplugins import remember_entry_points


@pytest.fixture
def restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pybtex.plugin, "entry_points", entry_points)  # undone after the test


def test_each_lookup_scans_once_and_finds_what_pybtex_finds(restored: None) -> None:
    uncached = {
        (group, name): pybtex.plugin.find_plugin(group, name)
        for group, name in [("pybtex.backends", "plaintext"), ("pybtex.style.formatting", "plain")]
    }
    scans: list[dict[str, Any]] = []

    def counted(**params: Any) -> Any:
        scans.append(params)
        return entry_points(**params)

    remember_entry_points(counted)
    for _ in range(3):
        for (group, name), plugin in uncached.items():
            assert pybtex.plugin.find_plugin(group, name) is plugin
    assert sorted(tuple(sorted(p.items())) for p in scans) == [
        (("group", "pybtex.backends"), ("name", "plaintext")),
        (("group", "pybtex.style.formatting"), ("name", "plain")),
    ]
    with pytest.raises(pybtex.plugin.PluginNotFound):  # an unknown plugin is still unknown
        pybtex.plugin.find_plugin("pybtex.backends", "no-such-backend")


def test_setting_up_twice_keeps_one_cache(restored: None) -> None:
    first = remember_entry_points()
    assert remember_entry_points() is first
    assert pybtex.plugin.entry_points is first
