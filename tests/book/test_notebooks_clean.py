"""Committed notebooks are stored clean: outputs only on nbval-check-output cells, no errors, no stderr."""

from __future__ import annotations

import nbformat
import pytest

from analysis.io.paths import PROJECT_ROOT
from booktools import notebooks

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


# ------------------------------------------------------------------ the display rule (what code the reader sees)
_SHOWN = ("hide-input", "remove-input", "hide-cell", "remove-cell")


def test_chapter_code_is_folded_and_no_assert_is_visible():
    visible, total, asserts = 0, 0, []
    for path in notebooks.chapter_notebooks():
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type != "code":
                continue
            total += 1
            tags = cell.get("metadata", {}).get("tags", [])
            if not any(tag in tags for tag in _SHOWN):
                visible += 1
                if "assert " in cell.source:
                    asserts.append(f"{path.name} cell {i}")
    assert total > 0
    assert visible <= 0.10 * total, f"{visible} of {total} code inputs are shown without a click"
    assert not asserts, f"assertions shown to the reader: {asserts}"


@pytest.mark.parametrize(
    "source, check",
    [
        ("assert x == 1\nassert y", True),
        ("for t in terms:\n    assert n[t] >= 0\nprint(f'checked {len(terms)} terms')", True),
        ("# a comment\nx = f(a)\nassert x > 0", True),
        ("ratios = f(figures)\nassert (ratios > 2).all()\nratios", False),  # shows a table: the reader's
        ("glue('n', 3, display=False)\nassert n == 3", False),
        ("display(table)\nassert len(table)", False),
        ("x = 1", False),
        ("%timeit f()", False),
    ],
)
def test_check_cells(source, check):
    assert notebooks.is_check_cell(source) is check


@pytest.mark.parametrize(
    "source, setup",
    [
        ("from analysis.present.plotting import setup_plotting\n\nsetup_plotting();", True),
        ("import pandas as pd\nsetup_plotting()\npd.set_option('display.max_rows', 5)", True),
        ("manifest = load_manifest()\nmanifest_summary(manifest)", False),  # shows a table
        ("import pandas as pd\npd.DataFrame()", False),
    ],
)
def test_setup_cells(source, setup):
    assert notebooks.is_setup_cell(source) is setup


def test_display_rule_tags_and_keeps_explicit_choices():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("import pandas as pd\npd.set_option('display.max_rows', 9)"),
        nbformat.v4.new_code_cell("table = f()\ntable"),
        nbformat.v4.new_code_cell("assert table is not None"),
        nbformat.v4.new_code_cell("shown()", metadata={"tags": ["show-input"]}),
        nbformat.v4.new_code_cell("import os", metadata={"tags": ["nbval-check-output"]}),
    ]
    notebooks.apply_display_rule(nb)
    tags = [c.metadata.get("tags") for c in nb.cells]
    assert tags == [
        None,
        ["remove-input"],
        ["hide-input"],
        ["remove-cell"],
        ["show-input"],
        ["nbval-check-output", "hide-input"],
    ]  # only the first code cell is the setup cell
    before = nbformat.writes(nb)
    assert nbformat.writes(notebooks.apply_display_rule(nb)) == before  # idempotent


def test_problems_report_a_cell_against_the_rule(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = compute()\nx")]
    path = tmp_path / "shown.ipynb"
    nbformat.write(nb, path)
    assert any("display rule" in line for line in notebooks.problems(path))
    notebooks.retag(path)
    assert notebooks.problems(path) == []


# ------------------------------------------------------------------ chapters as chapters (issue 24, item 1)
MAX_CODE_LINES, MAX_CELL_LINES = 60, 10
ALL_NOTEBOOKS = [PROJECT_ROOT / "book" / "index.ipynb", *notebooks.chapter_notebooks()]


def _code_lines(cell) -> int:
    return sum(1 for line in cell.source.splitlines() if line.strip() and not line.strip().startswith("#"))


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_starts_with_the_one_setup_call(path):
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "from analysis.present import chapter" in first.source and "chapter.setup()" in first.source, (
        f"{path.name}: its first code cell must call `chapter.setup()` (CONTRIBUTING.md, 'Chapter notebooks')"
    )
    later = "\n".join(c.source for c in nb.cells if c.cell_type == "code" and c is not first)
    assert "setup_plotting" not in later and "display.max_colwidth" not in later, f"{path.name}: setup drifts"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_a_chapter_is_prose_and_one_call_per_output(path):
    """Every page of the book, the landing page included: prose, then one call per table, figure or sentence."""
    name = path.stem
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "remove-cell" not in c.metadata.get("tags", [])]
    total = sum(_code_lines(c) for c in cells)
    assert total <= MAX_CODE_LINES, f"{name}: {total} code lines (at most {MAX_CODE_LINES})"
    long = [_code_lines(c) for c in cells if _code_lines(c) > MAX_CELL_LINES]
    assert not long, f"{name}: code cells of {long} lines (at most {MAX_CELL_LINES})"
    code = "\n".join(c.source for c in cells)
    assert "assert " not in code, f"{name}: checks of curated facts belong in tests/"
    for old in ("show_table(", "display(", "HTML(", "Markdown(", "set_index(", ".rename("):
        assert old not in code, f"{name}: {old} in a converted chapter; a function of analysis.present.pages shows it"
