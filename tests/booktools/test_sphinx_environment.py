"""The saved Sphinx environment (booktools.sphinxbuild.environment_key) and the kept numref doctrees
(booktools.numrefs): both must change speed only, never the HTML."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sphinx.domains.std import StandardDomain

from booktools import numrefs
from booktools.sphinxbuild import environment_key


def test_the_environment_key_follows_the_configuration() -> None:
    assert environment_key("a") == environment_key("a")
    assert environment_key("a") != environment_key("b")


def test_a_numref_target_is_unpickled_once_and_the_environment_keeps_its_method(monkeypatch: Any) -> None:
    calls: list[str] = []

    class Env:
        def get_doctree(self, docname: str) -> Any:
            calls.append(docname)
            return SimpleNamespace(name=docname)

    def original(self: Any, env: Any, target: str) -> Any:
        return env.get_doctree(target)

    monkeypatch.setattr(numrefs, "_ORIGINAL", original)
    numrefs._forget()
    env = Env()
    first = numrefs._resolve_numref_xref(StandardDomain.__new__(StandardDomain), env, "page")
    again = numrefs._resolve_numref_xref(StandardDomain.__new__(StandardDomain), env, "page")
    assert first is again and calls == ["page"]
    assert "get_doctree" not in vars(env)  # the shadowing attribute is gone after each call
    numrefs._forget()  # a new write phase unpickles again
    numrefs._resolve_numref_xref(StandardDomain.__new__(StandardDomain), env, "page")
    assert calls == ["page", "page"]
