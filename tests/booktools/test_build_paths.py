"""The fast paths of ``make book`` are correct: every kind of input, changed in turn, rebuilds the book, and
re-executes exactly the notebooks whose results can depend on it.

The decisions are the build's own functions, on a synthetic project in a temporary folder:

* whether ``make book`` is a no-op: :func:`booktools.build.book_digest` (the stamp it compares);
* whether every notebook is executed again and every page re-read: :func:`booktools.buildcache.check_execution_cache`
  (clears the execution cache and Sphinx's environment when an input of execution changed);
* which notebooks are executed: :func:`booktools.build.missing_from_cache` (the same jupyter-cache match MyST-NB makes).

A change to the data, the corpus, the ``analysis`` package or the lock must re-execute every chapter; a change
to prose, pages, the book's presentation settings or the Sphinx extension must execute nothing.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from booktools import build, buildcache, tokenwarm

NOTEBOOKS = ("notebooks/01_synthetic_counts.ipynb", "notebooks/02_synthetic_prose.ipynb")


def _notebook(path: Path, code: str, prose: str) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(prose), nbformat.v4.new_code_cell(code)])
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A synthetic book: two notebooks, a page, config, data, an acquired text, packages, a lock and a mirror."""
    root = tmp_path / "book"
    _write(root / "_config.yml", "title: Synthetic\nexecute:\n  execute_notebooks: cache\n  timeout: 300\n")
    _write(
        root / "_toc.yml",
        "format: jb-book\nroot: book/index\nchapters:\n"
        + "".join(f"  - file: {nb.removesuffix('.ipynb')}\n" for nb in NOTEBOOKS),
    )
    _write(root / "book/index.md", "# Synthetic book\n")
    _notebook(root / NOTEBOOKS[0], "import pandas as pd\npd.read_csv('../data/counts.csv')", "# Counts")
    _notebook(root / NOTEBOOKS[1], "print('synthetic')", "# Prose")
    _write(root / "data/counts.csv", "term,count\nsynthetic,1\n")
    _write(root / "data/raw/synthetic_doc.txt", "synthetic acquired text\n")
    _write(root / "src/analysis/counting.py", "WEIGHT = 1\n")
    _write(root / "src/booktools/sphinxext.py", "CSS = 'a'\n")
    _write(root / "requirements.lock", "pandas==2.2.3\n")
    _write(root / "pyproject.toml", "[project]\nname = 'synthetic'\n")
    _write(tmp_path / "mirror/texts/synthetic_mirror_doc.txt", "synthetic mirror text\n")
    build_dir = root / "_build"
    for key in ("CORPUS_OFFLINE", "CORPUS_FETCH_FLAGS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr(buildcache, "PROJECT_ROOT", root)
    monkeypatch.setattr(buildcache, "DATA_DIR", root / "data")
    monkeypatch.setattr(buildcache, "_PACKAGE_DIR", root / "src/analysis")
    monkeypatch.setattr(buildcache, "EXECUTION_CACHE", build_dir / ".jupyter_cache")
    monkeypatch.setattr(buildcache, "DOCTREES", build_dir / ".doctrees")
    monkeypatch.setattr(buildcache, "STAMP", build_dir / ".jupyter_cache.inputs")
    return root


def _mirror(root: Path) -> Path:
    return root.parent / "mirror"


def _fake_build(root: Path) -> str:
    """What a successful build leaves: the execution stamp, every notebook in the cache, Sphinx's environment."""
    buildcache.check_execution_cache(_mirror(root))
    cache = get_cache(str(buildcache.EXECUTION_CACHE))
    for name in NOTEBOOKS:
        nb = nbformat.read(root / name, as_version=4)
        cache.cache_notebook_bundle(CacheBundleIn(nb, str(root / name)), check_validity=False, overwrite=True)
    (buildcache.DOCTREES / "environment.pickle").parent.mkdir(parents=True, exist_ok=True)
    (buildcache.DOCTREES / "environment.pickle").write_bytes(b"synthetic")
    return build.book_digest(("-W",), mirror=_mirror(root), root=root)


def _what_make_book_does(root: Path, stamp: str) -> tuple[bool, bool, set[str]]:
    """(the book is rebuilt, every page is re-read, the notebooks executed) after a change."""
    rebuilt = build.book_digest(("-W",), mirror=_mirror(root), root=root) != stamp
    if not rebuilt:
        return False, False, set()
    buildcache.check_execution_cache(_mirror(root))
    reread_all = not buildcache.DOCTREES.exists()
    executed = build.missing_from_cache([root / n for n in NOTEBOOKS], buildcache.EXECUTION_CACHE)
    return True, reread_all, {p.relative_to(root.resolve()).as_posix() for p in executed}


def _edit_cell(cell_type: str, name: str = NOTEBOOKS[0]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        nb = nbformat.read(root / name, as_version=4)
        cell = next(c for c in nb.cells if c.cell_type == cell_type)
        cell.source += "\n# edited" if cell_type == "code" else " (edited)"
        nbformat.write(nb, root / name)

    return edit


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / rel if not rel.startswith("../") else root.parent / rel[3:]
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def _replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    return edit


ALL = set(NOTEBOOKS)
CASES: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "a notebook code cell": (_edit_cell("code"), {NOTEBOOKS[0]}),
    "a notebook markdown cell": (_edit_cell("markdown"), set()),
    "a book page": (_append("book/index.md", "More synthetic prose.\n"), set()),
    "_config.yml, presentation": (_replace("_config.yml", "title: Synthetic", "title: Synthetic, retitled"), set()),
    "_config.yml, execution settings": (_replace("_config.yml", "timeout: 300", "timeout: 600"), ALL),
    "_toc.yml": (_append("_toc.yml", "# a comment\n"), set()),
    "a data/ CSV": (_append("data/counts.csv", "security,2\n"), ALL),
    "an analysis module": (_append("src/analysis/counting.py", "WEIGHT = 2\n"), ALL),
    "the Sphinx extension": (_append("src/booktools/sphinxext.py", "CSS = 'b'\n"), set()),
    "the lock": (_replace("requirements.lock", "2.2.3", "2.2.4"), ALL),
    "a corpus text in data/raw": (_append("data/raw/synthetic_doc.txt", "more\n"), ALL),
    "a corpus text in the mirror": (_append("../mirror/texts/synthetic_mirror_doc.txt", "more\n"), ALL),
}


@pytest.mark.parametrize("change", list(CASES), ids=lambda c: c.replace(" ", "-"))
def test_each_input_rebuilds_and_re_executes_what_depends_on_it(project, change):
    stamp = _fake_build(project)
    edit, expected = CASES[change]
    edit(project)
    rebuilt, reread_all, executed = _what_make_book_does(project, stamp)
    assert rebuilt, f"a change to {change} must rebuild the book"
    assert executed == expected
    # When every notebook must run again, Sphinx's environment goes too, so every page is read again.
    assert reread_all == (expected == ALL)


def _digests(root: Path, mirror: Path | None) -> tuple[str, str]:
    """(make book's digest, the execution cache's fingerprint); ``None``: no mirror."""
    arg = "" if mirror is None else mirror
    return build.book_digest(("-W",), mirror=arg, root=root), buildcache.inputs_fingerprint(arg)


def _move_and_link(path: Path, target: Path) -> None:
    """Move ``path`` to ``target`` and leave a symbolic link to it in its place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    path.rename(target)
    path.symlink_to(target, target_is_directory=target.is_dir())


@pytest.mark.parametrize("linked", ["data/raw", "data/raw/synthetic_doc.txt"])
def test_symlinks_in_data_raw_are_followed(project, linked):
    """F3 of issue 21: a symlinked ``data/raw`` was not looked into, so an imported text left the book stale."""
    _move_and_link(project / linked, project.parent / "elsewhere" / Path(linked).name)
    before = _digests(project, None)
    _append("../elsewhere/raw/synthetic_doc.txt" if linked == "data/raw" else "../elsewhere/synthetic_doc.txt", "x")(
        project
    )
    after = _digests(project, None)
    assert after[0] != before[0] and after[1] != before[1]
    if linked == "data/raw":
        _write(project.parent / "elsewhere/raw/ngaidp_2017.doc.txt", "synthetic imported text\n")
        assert _digests(project, None)[0] != after[0]


@pytest.mark.parametrize("linked", ["mirror", "mirror/texts", "mirror/texts/synthetic_mirror_doc.txt"])
def test_symlinks_in_the_mirror_are_followed(project, linked):
    _move_and_link(project.parent / linked, project.parent / "elsewhere" / Path(linked).name)
    before = _digests(project, _mirror(project))
    text = next((project.parent / "elsewhere").rglob("synthetic_mirror_doc.txt"))
    text.write_text("synthetic mirror text, edited\n", encoding="utf-8")
    assert all(a != b for a, b in zip(_digests(project, _mirror(project)), before, strict=True))


def test_link_loops_and_dangling_links_end(project):
    (project / "data/raw/loop").symlink_to(project / "data", target_is_directory=True)
    (project / "data/raw/gone.txt").symlink_to(project.parent / "nowhere.txt")
    first = _digests(project, None)
    assert _digests(project, None) == first
    (project / "data/raw/gone.txt").unlink()
    assert _digests(project, None) != first


@pytest.mark.parametrize("key, value", [("CORPUS_OFFLINE", "1"), ("CORPUS_FETCH_FLAGS", "--offline")])
def test_going_online_after_an_offline_build_is_not_a_no_op(project, monkeypatch, key, value):
    monkeypatch.setenv(key, value)
    offline = _digests(project, None)[0]
    monkeypatch.delenv(key)
    assert _digests(project, None)[0] != offline


def test_nothing_changed_is_a_no_op(project):
    stamp = _fake_build(project)
    assert _what_make_book_does(project, stamp) == (False, False, set())


def test_a_change_to_the_data_re_executes_a_chapter_whose_code_is_unchanged(project):
    """The critical property: jupyter-cache alone would serve the stale outputs of an unchanged notebook."""
    stamp = _fake_build(project)
    assert build.missing_from_cache([project / NOTEBOOKS[0]], buildcache.EXECUTION_CACHE) == []
    _append("data/counts.csv", "security,2\n")(project)
    _, _, executed = _what_make_book_does(project, stamp)
    assert NOTEBOOKS[0] in executed


def test_the_stamp_covers_flags_and_builder(project):
    assert build.book_digest(("-W",), root=project) != build.book_digest((), root=project)
    assert build.book_digest((), "html", root=project) != build.book_digest((), "pdflatex", root=project)


def test_cached_sphinx_configuration_is_jupyter_books(tmp_path):
    """booktools.sphinxbuild runs Sphinx with exactly the values `jupyter-book build` computes from _config.yml,
    and computes them again when _config.yml changes."""
    from jupyter_book.config import get_final_config

    from analysis.io.paths import PROJECT_ROOT
    from booktools import sphinxbuild

    root = tmp_path / "book"
    root.mkdir()
    for name in ("_config.yml", "_toc.yml"):
        (root / name).write_bytes((PROJECT_ROOT / name).read_bytes())
    cache = tmp_path / "config.pickle"
    overrides = {"external_toc_path": (root / "_toc.yml").as_posix(), "latex_individualpages": False, "nitpicky": True}
    expected, _ = get_final_config(
        user_yaml=root / "_config.yml", cli_config=overrides, sourcedir=root, use_external_toc=True
    )
    assert sphinxbuild.final_config(root, True, cache) == expected  # computed
    assert sphinxbuild.final_config(root, True, cache) == expected  # read back
    assert "nitpicky" not in sphinxbuild.final_config(root, False, cache)
    with (root / "_config.yml").open("a", encoding="utf-8") as fh:
        fh.write("\nsphinx:\n  config:\n    html_title: Synthetic retitled\n")
    assert sphinxbuild.final_config(root, True, cache)["html_title"] == "Synthetic retitled"


def test_build_flags_are_those_of_jupyter_book():
    from booktools import sphinxbuild

    assert sphinxbuild.parse_flags(["-W", "-n", "--keep-going"]) == {
        "warningiserror": True,
        "nitpicky": True,
        "keep_going": True,
        "freshenv": False,
    }
    with pytest.raises(ValueError, match="unsupported build flags"):
        sphinxbuild.parse_flags(["-j", "2"])


def test_make_chapter_forgets_exactly_one_execution(project):
    _fake_build(project)
    message = build.forget_execution(project / NOTEBOOKS[1], buildcache.EXECUTION_CACHE)
    assert "dropped" in message
    missing = build.missing_from_cache([project / n for n in NOTEBOOKS], buildcache.EXECUTION_CACHE)
    assert [p.name for p in missing] == [Path(NOTEBOOKS[1]).name]
    assert "not in the execution cache" in build.forget_execution(project / NOTEBOOKS[1], buildcache.EXECUTION_CACHE)


def test_executions_cache_what_succeeds_and_report_what_fails(tmp_path):
    """Worker processes execute while the caller goes on; :meth:`Executions.collect` caches each success as
    MyST-NB would (found by its match afterwards) and reports a failure without caching it."""
    good, bad = tmp_path / "good.ipynb", tmp_path / "bad.ipynb"
    _notebook(good, "print(6 * 7)", "# Good")
    _notebook(bad, "raise ValueError('synthetic failure')", "# Bad")
    cache = tmp_path / "cache"
    running = build.Executions(cache, jobs=2, timeout=60, echo=False)
    for nb in (good, bad):
        running.submit(nb)
    done = {e.path.name: e for e in running.collect()}
    assert done["good.ipynb"].error is None
    assert done["bad.ipynb"].error is not None and "synthetic failure" in done["bad.ipynb"].error
    assert build.missing_from_cache([good, bad], cache) == [bad.resolve()]
    record = get_cache(str(cache)).match_cache_notebook(nbformat.read(good, as_version=4))
    stored = get_cache(str(cache)).get_cache_bundle(record.pk).nb
    assert stored.cells[0].outputs[0]["text"] == "42\n"  # the cache keeps the code cells
    assert running.collect() == list(done.values())  # collected once; asking again gives the same answer


def test_texts_are_shared_evenly_among_the_workers():
    texts = ["a" * 9, "b" * 5, "c" * 4, "d" * 3, "e" * 1]
    assert tokenwarm.shares(texts, 2) == [["a" * 9, "d" * 3], ["b" * 5, "c" * 4, "e"]]
    assert tokenwarm.shares(texts[:1], 2) == [["a" * 9]]  # no empty share
    assert tokenwarm.shares([], 2) == []
    running = build.Executions(jobs=2, echo=False)
    try:
        assert running.map(len, tokenwarm.shares(texts, 2)) == [2, 3]  # in the worker processes, in order
    finally:
        running.cancel()


def test_the_newest_notebook_is_matched_first(tmp_path):
    paths = [tmp_path / f"{name}.ipynb" for name in ("a", "b", "c")]
    for i, path in enumerate(paths):
        _notebook(path, f"print({i})", f"# {i}")
        os.utime(path, ns=(10**18 + i, 10**18 + [1, 3, 2][i]))
    assert build.newest_first(paths) == [paths[1], paths[2], paths[0]]


def test_make_test_runs_every_test_module_and_every_notebook_once():
    """``make test`` splits the work into halves: together they cover every test module and every notebook of
    the table of contents, each exactly once."""
    from analysis.io.paths import PROJECT_ROOT
    from booktools.build import toc_notebooks

    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", ".venv/.installed", "test-package-1", "test-package-2"]
        + ["test-notebooks-1", "test-notebooks-2"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    modules = sorted(p.relative_to(PROJECT_ROOT).as_posix() for p in (PROJECT_ROOT / "tests").rglob("test_*.py"))
    notebooks = sorted(p.relative_to(PROJECT_ROOT).as_posix() for p in toc_notebooks())
    assert sorted(w for w in dry if w.startswith("tests/")) == modules
    assert sorted(w for w in dry if w.endswith(".ipynb")) == notebooks
