"""Faster ``{numref}``: each target page's doctree is unpickled once per build, not once per reference.

Sphinx 7 resolves every ``{numref}`` in :meth:`sphinx.domains.std.StandardDomain._resolve_numref_xref` by calling
``env.get_doctree(docname)``, which unpickles the *whole* target page each time, only to look up one node by id.
Every table and figure of this book is numbered and referred to, and a chapter's doctree carries its executed
outputs, so ``make bench`` showed half of a prose edit's Sphinx time (22 of 43 s profiled with py-spy) in these
unpickles. This module wraps the method so that, during one call, ``env.get_doctree`` returns a doctree kept for
the rest of the write phase; the lookup reads the doctree and never changes it, so the HTML is byte-identical
(``make repro`` and ``make stale-test`` compare builds byte by byte). The kept doctrees are dropped when the
environment is updated and when the build ends, so a page read again is never looked up in an old copy.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain

#: docname -> the doctree unpickled for numref lookups in the current write phase
_DOCTREES: dict[str, Any] = {}
_ORIGINAL = StandardDomain._resolve_numref_xref


@contextlib.contextmanager
def doctrees_from(env: Any, get_doctree: Callable[[str], Any]) -> Iterator[None]:
    """While the block runs, ``env.get_doctree`` is ``get_doctree``: an instance attribute that shadows the method
    (and a shadow already there), removed or put back afterwards. Used here and by :mod:`booktools.numfig`."""
    shadowed = vars(env).get("get_doctree")
    env.get_doctree = get_doctree
    try:
        yield
    finally:
        if shadowed is None:
            del env.get_doctree
        else:
            env.get_doctree = shadowed


def _resolve_numref_xref(self: StandardDomain, env: Any, *args: Any, **kwargs: Any) -> Any:
    unpickle = env.get_doctree

    def kept(docname: str) -> Any:
        if docname not in _DOCTREES:
            _DOCTREES[docname] = unpickle(docname)
        return _DOCTREES[docname]

    with doctrees_from(env, kept):
        return _ORIGINAL(self, env, *args, **kwargs)


def _forget(*_: Any) -> None:
    _DOCTREES.clear()


def setup(app: Sphinx) -> dict[str, Any]:
    StandardDomain._resolve_numref_xref = _resolve_numref_xref  # type: ignore[method-assign]
    app.connect("env-updated", _forget)
    app.connect("build-finished", _forget)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
