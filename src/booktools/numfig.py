"""Faster figure numbering: Sphinx numbers tables and figures from a skeleton of each page, not the whole page.

Whenever any page is read again, Sphinx 7 re-assigns every table and figure number of the book
(:meth:`sphinx.environment.collectors.toctree.TocTreeCollector.assign_figure_numbers`): it unpickles the doctree
of *every* page, executed outputs and all, only to walk its sections, toctrees and numbered nodes. On this book
that walk was a fifth of a prose edit's build (22 doctrees, 1.1 s of 6 s measured). This module keeps, for each
page as it is read, a *skeleton*: a copy of its doctree that holds only what the walk looks at, namely

- sections and toctrees (with their attributes: ids, entries),
- every node some domain numbers (table, figure, code block …), with its attributes and its direct children
  (captions and titles whole, the others as empty copies, so "has a caption" and "holds a literal block" read
  the same), or whole when its domain reads the title with a function of its own,
- and the elements on the way down to any of these.

During the walk, ``env.get_doctree`` returns the skeleton (kept in the environment, so it survives incremental
builds), and the walk itself is Sphinx's own code. A page without a skeleton (an environment saved before this
module, or a page no reader saw) is unpickled as before. The numbers are the same: ``tests/booktools/test_numfig.py``
compares them with Sphinx's on a project of sections, toctrees, captioned and uncaptioned tables, figures and
code blocks; ``make repro`` and ``make stale-test`` compare whole builds byte by byte.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors.toctree import TocTreeCollector

from booktools.numrefs import doctrees_from

#: attribute of the BuildEnvironment holding docname -> skeleton doctree
ENV_ATTR = "booktools_numfig_skeletons"
_ORIGINAL = TocTreeCollector.assign_figure_numbers


def _figtype(env: BuildEnvironment, node: nodes.Node) -> str | None:
    """The type Sphinx numbers ``node`` as, or None (the rule of ``assign_figure_numbers``' own ``get_figtype``)."""
    for domain in env.domains.values():
        figtype = domain.get_enumerable_node_type(node)
        if domain.name == "std" and not domain.get_numfig_title(node):  # type: ignore[attr-defined]
            continue
        if figtype:
            return figtype
    return None


def numbered(env: BuildEnvironment, node: nodes.Node) -> bool:
    """Whether ``node`` is one the figure numbering counts (not a section): its skeleton keeps it whole enough for
    :mod:`booktools.numrefs` to look it up."""
    return not isinstance(node, nodes.section) and _figtype(env, node) is not None


def _has_title_getter(env: BuildEnvironment, node: nodes.Node) -> bool:
    std = env.domains["std"]
    return bool(std.enumerable_nodes.get(node.__class__, (None, None))[1])  # type: ignore[attr-defined]


def skeleton(env: BuildEnvironment, node: nodes.Element) -> nodes.Element | None:
    """What of ``node`` the figure-numbering walk reads (see the module docstring), or None when nothing.

    The skeleton is detached from the page: docutils' ``copy`` and ``deepcopy`` keep a reference to the page's
    ``document``, and through it the whole page would be saved with the environment (it was: 8.9 of the book's
    9.4 MB ``environment.pickle``, which every build loads and saves). Their ``rawsource`` goes too.
    """
    kept = _skeleton(env, node)
    if kept is not None:
        for part in kept.findall():  # elements and their text
            part.document = None
            if isinstance(part, nodes.Element):
                part.rawsource = ""  # the source of a whole table or cell, which the walk never reads
    return kept


def _skeleton(env: BuildEnvironment, node: nodes.Element) -> nodes.Element | None:
    kids = [_skeleton(env, child) for child in node.children if isinstance(child, nodes.Element)]
    kept = [kid for kid in kids if kid is not None]
    counted = numbered(env, node)
    if not (counted or kept or isinstance(node, (nodes.section, addnodes.toctree, nodes.document))):
        return None
    if counted and _has_title_getter(env, node):
        return node.deepcopy()
    # The page itself becomes a plain element: a document's copy would carry its settings, and with them the
    # environment it is stored in.
    copy = nodes.Element() if isinstance(node, nodes.document) else node.copy()
    if counted:
        by_child = dict(zip((id(c) for c in node.children if isinstance(c, nodes.Element)), kids, strict=True))
        for child in node.children:
            if isinstance(child, (nodes.caption, nodes.title)):
                copy += child.deepcopy()
            elif isinstance(child, nodes.Element):
                copy += by_child[id(child)] or child.copy()
    else:
        copy.extend(kept)
    return copy


def _keep(app: Sphinx, doctree: nodes.document) -> None:
    if not app.config.numfig:
        return
    skeletons = _skeletons(app.env)
    skeletons[app.env.docname] = skeleton(app.env, doctree)


def _skeletons(env: BuildEnvironment) -> dict[str, Any]:
    if not hasattr(env, ENV_ATTR):
        setattr(env, ENV_ATTR, {})
    return getattr(env, ENV_ATTR)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _skeletons(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    mine, theirs = _skeletons(env), _skeletons(other)
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def assign_figure_numbers(self: TocTreeCollector, env: BuildEnvironment) -> list[str]:
    """Sphinx's walk, reading skeletons where it would unpickle whole doctrees."""
    skeletons = _skeletons(env)
    unpickle = env.get_doctree

    def get_doctree(docname: str) -> Any:
        kept = skeletons.get(docname)  # the walk reads the doctree and never changes it
        return kept if kept is not None else unpickle(docname)

    with doctrees_from(env, get_doctree):
        return _ORIGINAL(self, env)


def setup(app: Sphinx) -> dict[str, Any]:
    TocTreeCollector.assign_figure_numbers = assign_figure_numbers  # type: ignore[method-assign]
    app.connect("doctree-read", _keep, priority=900)  # after every other handler changed the page
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
