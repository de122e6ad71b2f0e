"""The two packages stay apart: ``analysis`` (the analysis) never imports ``booktools`` (build tooling),
and ``python -m analysis`` has no import cycle between its command-line modules."""

from __future__ import annotations

import ast
from pathlib import Path

import analysis

ANALYSIS_DIR = Path(analysis.__file__).resolve().parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_analysis_never_imports_booktools():
    offenders = [
        f"{path.relative_to(ANALYSIS_DIR.parent)} imports {name}"
        for path in sorted(ANALYSIS_DIR.rglob("*.py"))
        for name in sorted(_imported_modules(path))
        if name == "booktools" or name.startswith("booktools.")
    ]
    assert offenders == []


def test_corpus_commands_do_not_import_the_entry_point():
    for module in ("corpus_cli.py", "coding_cli.py"):
        assert not {"analysis.cli", "analysis.__main__"} & _imported_modules(ANALYSIS_DIR / module)


def test_no_build_tooling_left_in_analysis():
    for name in ("buildcache.py", "notebooks.py", "envfiles.py", "sphinxext.py"):
        assert not (ANALYSIS_DIR / name).exists(), f"{name} belongs in booktools"
    for folder in ("quality", "resources/static"):
        assert not list((ANALYSIS_DIR / folder).glob("*.*")), f"{folder}/ belongs in booktools"


def test_analysis_command_line_has_only_the_corpus_and_coding_commands(capsys):
    from analysis.cli import build_parser

    groups = next(a for a in build_parser()._actions if a.dest == "group")
    assert sorted(groups.choices) == ["coding", "corpus"]
