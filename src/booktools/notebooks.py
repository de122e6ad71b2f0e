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

from pathlib import Path

import nbformat

from analysis.fileio import atomic_write_text
from analysis.paths import NOTEBOOKS_DIR

CHECK_TAG = "nbval-check-output"
KERNEL = {"display_name": "Python 3 (securitization-of-ai-book)", "language": "python", "name": "python3"}


def chapter_notebooks() -> list[Path]:
    """Every notebook of the book, in file-name order."""
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep outputs only on ``nbval-check-output`` cells; drop volatile metadata.

    nbval refuses a stored output on a cell without an execution count ("Unrun reference cell has
    outputs"), so tagged cells get a fixed count: their 1-based position among the code cells. Untagged
    cells get none.
    """
    nb.metadata = {"kernelspec": KERNEL, "language_info": {"name": "python"}}
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

    nb = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources=resources)
    client.execute()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                raise RuntimeError(f"{path.name}: a cell wrote to stderr: {out.get('text', '')[:300]!r}")
    write(clean(nb), path)


def problems(path: Path) -> list[str]:
    """What keeps ``path`` from being clean, one line each (empty when clean)."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
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
