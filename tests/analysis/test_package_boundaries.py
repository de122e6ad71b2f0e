"""The packages and their layers: ``analysis`` never imports ``booktools``; inside ``analysis`` every import points
down the layers (io → corpus → counting → evidence → sections → present → the chapters' façade and the command
line), no floor holds more than eight rooms, and ``python -m analysis`` has no import cycle between its command-line
modules."""

from __future__ import annotations

import ast
from pathlib import Path

import analysis

ANALYSIS_DIR = Path(analysis.__file__).resolve().parent
#: The layers of ``analysis``, lowest first: a module may import its own layer and those below it.
LAYERS: tuple[str, ...] = (
    "analysis.io",
    "analysis.corpus",
    "analysis.counting",
    "analysis.evidence",
    "analysis.sections",
    "analysis.present",
    "analysis.datastate",
    "analysis.cli",
    "analysis.__main__",
)


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


def _module(path: Path) -> str:
    parts = path.relative_to(ANALYSIS_DIR).with_suffix("").parts
    return ".".join(("analysis", *parts)).removesuffix(".__init__")


def _layer(module: str) -> int | None:
    return next((i for i, name in enumerate(LAYERS) if module == name or module.startswith(name + ".")), None)


def test_analysis_never_imports_booktools():
    offenders = [
        f"{path.relative_to(ANALYSIS_DIR.parent)} imports {name}"
        for path in sorted(ANALYSIS_DIR.rglob("*.py"))
        for name in sorted(_imported_modules(path))
        if name == "booktools" or name.startswith("booktools.")
    ]
    assert offenders == []


def test_every_module_has_a_layer_and_imports_point_down():
    modules = [p for p in sorted(ANALYSIS_DIR.rglob("*.py")) if _module(p) != "analysis"]
    assert all(_layer(_module(p)) is not None for p in modules), [
        _module(p) for p in modules if _layer(_module(p)) is None
    ]
    upward = [
        f"{_module(p)} imports {name}"
        for p in modules
        for name in sorted(_imported_modules(p))
        if name.startswith("analysis.") and (_layer(name) or 0) > (_layer(_module(p)) or 0)
    ]
    assert upward == [], "an import points up the layers: " + "; ".join(upward)


def test_no_floor_holds_more_than_eight_rooms():
    """A room is a module or a subpackage; each package's floor (its direct rooms) holds at most eight."""
    for package in [ANALYSIS_DIR, *sorted(p for p in ANALYSIS_DIR.rglob("*") if (p / "__init__.py").is_file())]:
        if package.name in ("corpus", "resources"):
            continue  # the corpus layer is one room of its own with a public API (analysis.corpus.__all__)
        rooms = [
            p
            for p in package.iterdir()
            if (p.suffix == ".py" and p.stem not in ("__init__", "__main__")) or (p / "__init__.py").is_file()
        ]
        assert len(rooms) <= 8, (
            f"{package.relative_to(ANALYSIS_DIR.parent)} holds {len(rooms)} rooms: {sorted(r.name for r in rooms)}"
        )


def test_the_command_lines_do_not_import_the_entry_point():
    for module in ("corpus/cli.py", "sections/move/cli.py"):
        assert not {"analysis.cli", "analysis.__main__"} & _imported_modules(ANALYSIS_DIR / module)


def test_no_build_tooling_left_in_analysis():
    for name in ("buildcache.py", "notebooks.py", "envfiles.py", "sphinxext.py"):
        assert not list(ANALYSIS_DIR.rglob(name)), f"{name} belongs in booktools"
    for folder in ("quality", "resources/static"):
        assert not list((ANALYSIS_DIR / folder).glob("*.*")), f"{folder}/ belongs in booktools"


def test_analysis_command_line_has_only_the_corpus_and_coding_commands(capsys):
    from analysis.cli import build_parser

    groups = next(a for a in build_parser()._actions if a.dest == "group")
    assert sorted(groups.choices) == ["coding", "corpus"]
