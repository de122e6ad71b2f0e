"""One numbering: the chapters are numbered by the table of contents alone, so prose and data never type a chapter
number ("chapter 5", "chapters 3 to 5", "ch. 2b"); a reference to another page is a link ({doc}, {numref}, {ref})."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from analysis.io.paths import PROJECT_ROOT

TYPED = re.compile(r"\b(?:[Cc]hapters?|[Cc]h\.)\s+\d+[a-z]?\b")
PAGES = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb")) + [PROJECT_ROOT / "book" / "index.ipynb"]
TEXTS = sorted((PROJECT_ROOT / "book").glob("*.md")) + sorted((PROJECT_ROOT / "data").rglob("*.csv"))
TEXTS += sorted((PROJECT_ROOT / "data").glob("*.md")) + [PROJECT_ROOT / "README.md"]


def _sources(path: Path) -> list[tuple[str, str]]:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return [(f"{path.name} cell {i}", c.source) for i, c in enumerate(nb.cells)]
    return [(path.name, path.read_text(encoding="utf-8"))]


def typed_chapter_numbers(text: str) -> list[str]:
    return TYPED.findall(text)


@pytest.mark.parametrize("text", ["see chapter 5", "Chapters 3 to 5 treat them", "the hand check in chapter 2b"])
def test_a_typed_chapter_number_is_found(text: str) -> None:
    assert typed_chapter_numbers(text)


def test_no_page_or_data_file_types_a_chapter_number() -> None:
    found = [
        f"{where}: {hit}"
        for path in [*PAGES, *TEXTS]
        for where, text in _sources(path)
        for hit in typed_chapter_numbers(text)
    ]
    assert found == [], "link the chapter ({doc}`name`) instead of typing its number: " + "; ".join(found)


def test_every_doc_link_names_a_page_of_the_book() -> None:
    toc = yaml.safe_load((PROJECT_ROOT / "_toc.yml").read_text(encoding="utf-8"))

    def walk(entries):
        for entry in entries:
            yield entry["file"]
            yield from walk(entry.get("sections", []))

    pages = {toc["root"], *(f for part in toc["parts"] for f in walk(part["chapters"]))}
    link = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`")
    broken = []
    for path in PAGES + sorted((PROJECT_ROOT / "book").glob("*.md")):
        folder = path.parent.relative_to(PROJECT_ROOT)
        for where, text in _sources(path):
            for target in link.findall(text):
                resolved = (folder / target).as_posix() if not target.startswith("/") else target.lstrip("/")
                resolved = str(Path(resolved)).replace("\\", "/")
                parts = []
                for part in resolved.split("/"):
                    if part == "..":
                        parts.pop()
                    elif part != ".":
                        parts.append(part)
                if "/".join(parts) not in pages:
                    broken.append(f"{where}: {target}")
    assert broken == []
