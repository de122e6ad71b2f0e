"""Committed notebooks are stored clean: outputs only on nbval-check-output cells, no errors, no stderr."""

from __future__ import annotations

import nbformat
import pytest

from booktools import notebooks
from analysis.paths import PROJECT_ROOT

TOC = (PROJECT_ROOT / "_toc.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", notebooks.chapter_notebooks(), ids=lambda p: p.name)
def test_notebook_is_stored_clean(path):
    assert notebooks.problems(path) == []


@pytest.mark.parametrize("path", notebooks.chapter_notebooks(), ids=lambda p: p.name)
def test_every_notebook_is_in_the_toc(path):
    assert f"notebooks/{path.stem}" in TOC


def test_problems_are_reported(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="oops\n")]
    cell.execution_count = 3
    nb.cells = [cell]
    path = tmp_path / "dirty.ipynb"
    nbformat.write(nb, path)
    found = notebooks.problems(path)
    assert any("execution count" in line for line in found)
    assert any("not tagged" in line for line in found)
    assert any("stderr" in line for line in found)
    notebooks.write(notebooks.clean(nbformat.read(path, as_version=4)), path)
    assert notebooks.problems(path) == []
