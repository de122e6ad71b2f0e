"""Figure numbers from skeletons (booktools.numfig) equal Sphinx's own, and the walk unpickles no page."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path
from typing import Any

import pytest
from sphinx.application import Sphinx
from sphinx.environment.collectors.toctree import TocTreeCollector

from booktools import numfig

INDEX = """\
Book
====

.. toctree::
   :numbered:

   one
   two

.. table:: A table on the root page

   ===  ===
   a    b
   ===  ===
"""

ONE = """\
One
===

.. figure:: missing.png

   A captioned figure

.. figure:: missing.png

.. code-block:: python
   :caption: A captioned code block

   x = 1

.. code-block:: python

   y = 2

Section
-------

.. table:: A table in a section

   ===  ===
   a    b
   ===  ===

===  ===
no   caption
===  ===

.. list-table:: A list table
   :header-rows: 1

   * - c
   * - d

.. note::

   .. table:: A table inside a note

      ===  ===
      e    f
      ===  ===
"""

TWO = """\
Two
===

.. toctree::

   three

.. figure:: missing.png
   :name: named

   Another figure

Deep
----

Deeper
^^^^^^

.. table:: A table two sections down

   ===  ===
   g    h
   ===  ===
"""

THREE = """\
Three
=====

.. code-block:: text
   :caption: The last code block

   z
"""


def _build(tmp_path: Path, extensions: list[str]) -> Sphinx:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(f"extensions = {extensions!r}\nnumfig = True\n", encoding="utf-8")
    for name, text in {"index": INDEX, "one": ONE, "two": TWO, "three": THREE}.items():
        (src / f"{name}.rst").write_text(textwrap.dedent(text), encoding="utf-8")
    app = Sphinx(src, src, tmp_path / "out", tmp_path / "doctrees", "html", status=None, warning=None)
    app.build()
    return app


@pytest.fixture
def restore_sphinx() -> Any:
    yield
    TocTreeCollector.assign_figure_numbers = numfig._ORIGINAL  # type: ignore[method-assign]


@pytest.mark.usefixtures("restore_sphinx")
def test_skeleton_numbers_equal_sphinx_numbers_and_no_page_is_unpickled(tmp_path: Path) -> None:
    app = _build(tmp_path, ["booktools.numfig"])
    env = app.env
    fast = env.toc_fignumbers
    assert sorted(getattr(env, numfig.ENV_ATTR)) == ["index", "one", "three", "two"]
    counts = {kind: sum(len(v.get(kind, {})) for v in fast.values()) for kind in ("figure", "table", "code-block")}
    # Only captioned nodes are numbered: 2 figures, 5 tables (one inside a note), 2 code blocks.
    assert counts == {"figure": 2, "table": 5, "code-block": 2}, counts

    def no_unpickling(docname: str) -> Any:
        raise AssertionError(f"{docname} was unpickled")

    env.get_doctree = no_unpickling  # type: ignore[method-assign]
    collector = TocTreeCollector()
    assert numfig.assign_figure_numbers(collector, env) == []  # nothing changed, nothing to rewrite
    del env.get_doctree
    assert env.toc_fignumbers == fast

    slow = numfig._ORIGINAL(collector, env)  # Sphinx's walk over the whole pickled pages
    assert slow == [] and env.toc_fignumbers == fast


@pytest.mark.usefixtures("restore_sphinx")
def test_a_page_without_a_skeleton_is_unpickled(tmp_path: Path) -> None:
    app = _build(tmp_path, ["booktools.numfig"])
    env = app.env
    expected = {k: dict(v) for k, v in env.toc_fignumbers.items()}
    getattr(env, numfig.ENV_ATTR).pop("two")  # e.g. an environment saved before the skeletons existed
    numfig.assign_figure_numbers(TocTreeCollector(), env)
    assert env.toc_fignumbers == expected


def test_the_skeleton_is_small_and_keeps_what_the_walk_reads(tmp_path: Path) -> None:
    app = _build(tmp_path, [])
    doctree = app.env.get_doctree("one")
    kept = numfig.skeleton(app.env, doctree)
    assert kept is not None
    assert len(list(kept.findall())) < len(list(doctree.findall())) / 2
    titles = [n.astext() for n in kept.findall(lambda n: n.__class__.__name__ in {"caption", "title"})]
    assert "A captioned figure" in titles and "A table in a section" in titles
    assert "x = 1" not in kept.astext()  # the code itself is not kept
    # Detached: no part of it leads back to the page, which would otherwise be saved with the environment.
    assert all(part.document is None for part in kept.findall())
    page = pickle.dumps(doctree.deepcopy().children, protocol=pickle.HIGHEST_PROTOCOL)
    assert len(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)) < len(page) / 2


REFS = """

Numbered references: :numref:`tab-one`, :numref:`named`, :numref:`sec-deep`, :numref:`code-last`,
:numref:`fig-one`, and one with its own words: :numref:`Figure {number} ({name}) <named>`.
"""


def _labelled(tmp_path: Path, extensions: list[str]) -> Sphinx:
    """The small book with labels on a table, a section, a figure and a code block, referred to from the root."""
    src = tmp_path / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(f"extensions = {extensions!r}\nnumfig = True\n", encoding="utf-8")
    pages = {
        "index": INDEX + REFS,
        "one": ONE.replace(
            ".. figure:: missing.png\n\n   A captioned", ".. _fig-one:\n\n.. figure:: missing.png\n\n   A captioned"
        ).replace(".. table:: A table in a section", ".. _tab-one:\n\n.. table:: A table in a section"),
        "two": TWO.replace("Deep\n----", ".. _sec-deep:\n\nDeep\n----"),
        "three": THREE.replace(
            "   :caption: The last code block", "   :caption: The last code block\n   :name: code-last"
        ),
    }
    for name, text in pages.items():
        (src / f"{name}.rst").write_text(textwrap.dedent(text), encoding="utf-8")
    app = Sphinx(src, src, tmp_path / "out", tmp_path / "doctrees", "html", status=None, warning=None)
    app.build()
    return app


@pytest.mark.usefixtures("restore_sphinx")
def test_numbered_references_from_skeletons_equal_sphinx_and_unpickle_no_page(tmp_path: Path, monkeypatch) -> None:
    from sphinx.domains.std import StandardDomain

    from booktools import numrefs

    monkeypatch.setattr(StandardDomain, "_resolve_numref_xref", numrefs._ORIGINAL)
    _labelled(tmp_path / "plain", [])
    expected = (tmp_path / "plain" / "out" / "index.html").read_text(encoding="utf-8")
    resolved = ("Table 1.1", "Fig. 2.1", "Section 2.2", "Listing 2.1", "Fig. 1.1", "Figure 2.1 (Another figure)")
    for number in resolved:  # as Sphinx numbers them
        assert number in expected, number

    looked_up: dict[str, Any] = {}
    forget = numrefs._forget

    def keep_then_forget(*args: Any) -> None:  # env-updated and build-finished: returns nothing, as Sphinx expects
        looked_up.update(numrefs._DOCTREES)
        forget()

    monkeypatch.setattr(numrefs, "_forget", keep_then_forget)
    _labelled(tmp_path / "fast", ["booktools.numfig", "booktools.numrefs"])
    assert (tmp_path / "fast" / "out" / "index.html").read_text(encoding="utf-8") == expected
    assert sorted(looked_up) == ["one", "three", "two"]
    assert all(isinstance(t, numrefs._Targets) and t._page is None for t in looked_up.values()), "a page was unpickled"
