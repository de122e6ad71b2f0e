"""Keep the committed chapter notebooks clean and checkable.

Committed notebooks carry outputs only on cells tagged ``nbval-check-output``: those cells show
results that do not depend on which corpus a machine has (sourced fact tables, the article's
framework), and nbval compares them on every test run. All other outputs are computed when the
book is built, from the corpus present, and are never committed: that keeps primary text and
machine-specific results out of the repository.

:func:`refresh` executes a notebook in this environment and stores it in that clean form;
:func:`problems` lists what is not clean (used by the tests).
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat

from analysis.io.fileio import atomic_write_text
from analysis.io.paths import NOTEBOOKS_DIR

CHECK_TAG = "nbval-check-output"
# Tags that already decide whether a reader sees a cell's code; a cell carrying one keeps it.
# ``show-input`` is the book's own opt-out: the code stays visible (MyST-NB ignores the tag).
INPUT_TAGS = ("hide-input", "remove-input", "hide-cell", "remove-cell", "show-input")
_DISPLAY_CALLS = {"display", "print", "Markdown", "HTML", "glue", "show", "show_table", "table", "md"}
KERNEL = {"display_name": "Python 3 (securitization-of-ai-book)", "language": "python", "name": "python3"}


def chapter_notebooks() -> list[Path]:
    """Every notebook of the book, in file-name order."""
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _calls(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except SyntaxError:  # IPython magics and the like: not a plain Python cell, never a check or setup cell
        return None


def is_check_cell(source: str) -> bool:
    """True for a cell that only checks: it asserts, and shows nothing but perhaps a printed "checked ..." line
    (no display call, no value at its end).

    Such cells are test code: nbval runs them (tags do not stop it), the reader does not see them.
    """
    tree = _parse(source)
    if tree is None or not tree.body:
        return False
    if not any(isinstance(node, ast.Assert) for node in ast.walk(tree)):
        return False
    if _calls(tree) & (_DISPLAY_CALLS - {"print"}):
        return False
    last = tree.body[-1]
    return not isinstance(last, ast.Expr) or _is_call_to(last.value, "print")


def _is_call_to(node: ast.AST, *names: str) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) in names


def _is_configuration_call(node: ast.AST) -> bool:
    """``setup_plotting()``, ``pd.set_option(...)``, ``jieba.setLogLevel(...)``: calls whose name starts with "set"."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")).startswith("set")


def is_setup_cell(source: str) -> bool:
    """True for a cell of imports, assignments and configuration calls (names starting with "set") that shows nothing."""
    tree = _parse(source)
    if tree is None or not tree.body or _calls(tree) & _DISPLAY_CALLS:
        return False
    allowed = (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign)
    return all(
        isinstance(stmt, allowed) or (isinstance(stmt, ast.Expr) and _is_configuration_call(stmt.value))
        for stmt in tree.body
    )


def display_tags(cell: nbformat.NotebookNode, *, first_code_cell: bool) -> list[str]:
    """The cell's tags after the book's display rule (a code cell; idempotent).

    * a cell already tagged with one of :data:`INPUT_TAGS` keeps its tags;
    * a check cell (:func:`is_check_cell`) gets ``remove-cell``: it runs, under nbval and in the build,
      but the page does not show it;
    * the notebook's first code cell, when it is a setup cell (:func:`is_setup_cell`), gets ``remove-input``;
    * every other code cell gets ``hide-input``: the code sits behind the theme's "Show code cell source"
      toggle, its output is shown.
    """
    tags = _tags(cell)
    if any(tag in INPUT_TAGS for tag in tags):
        return tags
    if is_check_cell(cell.source):
        return [*tags, "remove-cell"]
    if first_code_cell and is_setup_cell(cell.source):
        return [*tags, "remove-input"]
    return [*tags, "hide-input"]


def apply_display_rule(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Tag every code cell of ``nb`` with :func:`display_tags` (in place; returns ``nb``)."""
    first = True
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = display_tags(cell, first_code_cell=first)
        first = False
        if tags:
            cell.setdefault("metadata", {})["tags"] = tags
    return nb


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep outputs only on ``nbval-check-output`` cells; drop volatile metadata.

    nbval refuses a stored output on a cell without an execution count ("Unrun reference cell has
    outputs"), so tagged cells get a fixed count: their 1-based position among the code cells. Untagged
    cells get none.
    """
    nb.metadata = {"kernelspec": KERNEL, "language_info": {"name": "python"}}
    apply_display_rule(nb)
    position = 0
    for cell in nb.cells:
        cell.pop("id", None)
        meta = cell.get("metadata", {})
        for key in ("execution", "collapsed", "scrolled", "ExecuteTime"):
            meta.pop(key, None)
        if cell.cell_type != "code":
            continue
        position += 1
        if CHECK_TAG in _tags(cell):
            cell.execution_count = position
            for out in cell.outputs:
                if "execution_count" in out:
                    out["execution_count"] = position
        else:
            cell.execution_count = None
            cell.outputs = []
    nb.nbformat, nb.nbformat_minor = 4, 4
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write ``nb`` to ``path`` atomically in nbformat's canonical JSON layout."""
    atomic_write_text(path, nbformat.writes(nb) + "\n")


def refresh(path: Path, *, timeout: int = 300) -> None:
    """Execute ``path`` top to bottom in this environment and save it clean."""
    from nbclient import NotebookClient

    from booktools.kernels import retry_start

    def execute(startup_timeout: float = 60) -> nbformat.NotebookNode:
        nb = nbformat.read(path, as_version=4)  # each start from the notebook as stored
        resources = {"metadata": {"path": str(path.parent)}}
        client = NotebookClient(
            nb, timeout=timeout, kernel_name="python3", resources=resources, startup_timeout=startup_timeout
        )
        return client.execute()

    nb = retry_start(execute, label=str(path), timeout_arg="startup_timeout")()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                raise RuntimeError(f"{path.name}: a cell wrote to stderr: {out.get('text', '')[:300]!r}")
    write(clean(nb), path)


def retag(path: Path) -> None:
    """Apply :func:`apply_display_rule` to the stored notebook ``path`` (outputs untouched, nothing executed)."""
    nb = nbformat.read(path, as_version=4)
    write(apply_display_rule(nb), path)


def problems(path: Path) -> list[str]:
    """What keeps ``path`` from being clean, one line each (empty when clean)."""
    nb = nbformat.read(path, as_version=4)
    found = []
    first = True
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        expected = display_tags(cell, first_code_cell=first)
        first = False
        if expected != _tags(cell):
            found.append(
                f"{path.name} cell {i}: tags {_tags(cell)} break the display rule, expected {expected} "
                "(run `make notebooks`, or `python -m analysis notebooks tag`)"
            )
        if cell.get("execution_count") is not None and CHECK_TAG not in _tags(cell):
            found.append(f"{path.name} cell {i}: has an execution count")
        if cell.get("outputs") and CHECK_TAG not in _tags(cell):
            found.append(f"{path.name} cell {i}: has outputs but is not tagged {CHECK_TAG}")
        if CHECK_TAG in _tags(cell) and not cell.get("outputs"):
            found.append(f"{path.name} cell {i}: is tagged {CHECK_TAG} but has no stored output (run `make notebooks`)")
        for out in cell.get("outputs", []):
            stderr = out.get("output_type") == "stream" and out.get("name") == "stderr"
            if out.get("output_type") == "error" or stderr:
                found.append(f"{path.name} cell {i}: stores an error or stderr output")
    return found
