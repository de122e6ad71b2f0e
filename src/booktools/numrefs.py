"""Faster ``{numref}``: a target is looked up in its page's skeleton, or the page is unpickled once per build.

Sphinx 7 resolves every ``{numref}`` in :meth:`sphinx.domains.std.StandardDomain._resolve_numref_xref` by calling
``env.get_doctree(docname)``, which unpickles the *whole* target page each time, only to look up one node by id.
Every table and figure of this book is numbered and referred to, and a chapter's doctree carries its executed
outputs, so ``make bench`` showed half of a prose edit's Sphinx time (22 of 43 s profiled with py-spy) in these
unpickles. This module wraps the method so that, during one call, ``env.get_doctree`` returns a doctree kept for
the rest of the write phase; the lookup reads the doctree and never changes it, so the HTML is byte-identical
(``make repro`` and ``make stale-test`` compare builds byte by byte). The kept doctrees are dropped when the
environment is updated and when the build ends, so a page read again is never looked up in an old copy.

Most targets are not even unpickled: a numbered node or a section is looked up in the page's skeleton, which
:mod:`booktools.numfig` keeps in the environment with each such node's class, ids, attributes and children (all
that the resolution reads: the node's type, its first id, whether it holds a literal block); other nodes of the
skeleton are not looked up there. Only a label on
another node unpickles the page. Measured on a clean build: 0.3 s less on Sphinx's main process while it writes.
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


class _Targets:
    """A page as numref resolution reads it (``page.ids.get(labelid)``): the node from the page's skeleton
    (:mod:`booktools.numfig`, which keeps every section and numbered node with its ids and children), or, for an
    id the skeleton lacks, from the whole page, unpickled then."""

    def __init__(self, skeleton: Any, faithful: Callable[[Any], bool], unpickle: Callable[[], Any]) -> None:
        from docutils import nodes

        self._skeleton = {
            i: node for node in skeleton.findall(nodes.Element) if faithful(node) for i in node.get("ids", ())
        }
        self._unpickle = unpickle
        self._page: Any = None
        self.ids = self  # Sphinx reads ``doctree.ids.get(labelid)``

    def get(self, labelid: str, default: Any = None) -> Any:
        node = self._skeleton.get(labelid)
        if node is not None:
            return node
        if self._page is None:
            self._page = self._unpickle()
        return self._page.ids.get(labelid, default)


def _resolve_numref_xref(self: StandardDomain, env: Any, *args: Any, **kwargs: Any) -> Any:
    from docutils import nodes

    from booktools.numfig import ENV_ATTR, numbered  # here: numfig imports this module

    unpickle = env.get_doctree
    skeletons = getattr(env, ENV_ATTR, {})

    def faithful(node: Any) -> bool:  # kept whole enough: a section, or a node numfig numbers
        return isinstance(node, nodes.section) or numbered(env, node)

    def kept(docname: str) -> Any:
        if docname not in _DOCTREES:
            skeleton = skeletons.get(docname)
            if skeleton is None:
                _DOCTREES[docname] = unpickle(docname)
            else:
                _DOCTREES[docname] = _Targets(skeleton, faithful, lambda: unpickle(docname))
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
