"""The README's chapter map agrees with the table of contents (numbers, order, notebooks) and names real modules."""

from __future__ import annotations

import importlib
import re

import yaml

from analysis.io.paths import PROJECT_ROOT


def _numbered_chapters() -> list[str]:
    toc = yaml.safe_load((PROJECT_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    part = next(p for p in toc["parts"] if p.get("numbered"))
    return [entry["file"] for entry in part["chapters"]]


def _map_rows() -> list[list[str]]:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index("<!-- chapter-map:start -->") : text.index("<!-- chapter-map:end -->")]
    rows = [line.strip("|").split("|") for line in block.splitlines() if line.startswith("| ") and "---" not in line]
    return [[c.strip() for c in row] for row in rows[1:]]


def test_the_map_lists_every_numbered_chapter_in_order() -> None:
    rows = _map_rows()
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
    assert [r[2].strip("`").removesuffix(".ipynb") for r in rows] == _numbered_chapters()


def test_the_map_names_modules_that_exist_and_notebooks_that_call_them() -> None:
    for row in _map_rows():
        notebook = (PROJECT_ROOT / row[2].strip("`")).read_text(encoding="utf-8")
        for module in re.findall(r"`([a-z_.]+)`", row[4]):
            importlib.import_module(f"analysis.{module}")
            package, _, name = f"analysis.{module}".rpartition(".")
            assert f"analysis.{module}" in notebook or (f"from {package} import" in notebook and name in notebook), (
                row[2],
                module,
            )
