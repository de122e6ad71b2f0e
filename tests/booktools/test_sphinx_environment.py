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


def test_an_id_the_skeleton_lacks_is_looked_up_in_the_page_unpickled_once() -> None:
    from docutils import nodes

    skeleton = nodes.Element()
    skeleton += nodes.table(ids=["tab-a"])
    skeleton += nodes.paragraph(ids=["para-kept"])  # in the skeleton, but not a node it keeps whole enough
    page = SimpleNamespace(ids={"tab-a": "page table", "para-kept": "page paragraph", "para-b": "page other"})
    unpickled: list[str] = []
    targets = numrefs._Targets(skeleton, lambda n: isinstance(n, nodes.table), lambda: unpickled.append("p") or page)
    assert isinstance(targets.ids.get("tab-a"), nodes.table) and unpickled == []
    assert targets.ids.get("para-kept") == "page paragraph" and unpickled == ["p"]
    assert targets.ids.get("para-b") == "page other" and targets.ids.get("none") is None and unpickled == ["p"]
