"""``make book`` never takes a stale book for an up-to-date one (issue 21, F3): the fast checks.

* ``make book REFRESH=1`` acquires again, and the Makefile passes ``CORPUS_FETCH_FLAGS`` to the digest (which
  follows symbolic links and covers the acquisition settings: ``tests/booktools/test_build_paths.py``);
* the stamp is removed before a build writes anything and written only after success, with a manifest of
  ``_build/html`` that the no-op check compares (a deleted page or ``_static`` is noticed);
* what an interrupted build left is not trusted (:func:`booktools.build.prepare_html`), jupyter-cache records
  without a readable notebook are dropped, Sphinx re-reads a page whose source changed in content, and
  figures no page uses are removed.

Whole builds against clean builds: ``tests/booktools/test_stale_book.py`` (``make stale-test``).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from booktools import build, buildcache, buildrecord, sphinxbuild
from booktools.sphinxbuild import SphinxRun

FLAGS = ("-W", "-n", "--keep-going")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_makefile_exports_the_fetch_flags_and_refresh_always_acquires():
    from analysis.io.paths import PROJECT_ROOT

    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "export CORPUS_FETCH_FLAGS" in makefile
    book = makefile[makefile.index("\nbook:") :].split("\n\n")[0]
    assert 'test -z "$(REFRESH)" && $(PY) -m booktools build --check' in book  # REFRESH=1 skips the no-op check


# ---------------------------------------------------------------- the stamp, the manifest and interrupted builds


@pytest.fixture
def book(tmp_path, monkeypatch) -> Path:
    """build.build() on a synthetic root with Sphinx, the executions and the digest's root replaced."""
    root = tmp_path / "root"
    _write(root / "_toc.yml", "format: jb-book\nroot: index\nchapters:\n  - file: page\n")
    out = root / "_build"
    paths = {
        "STAMP": out / ".book.inputs",
        "SPHINX_RECORD": out / ".doctrees/booktools-html.json",
        "HTML_DIR": out / "html",
        "DOCTREES": out / ".doctrees",
        "JUPYTER_EXECUTE": out / "jupyter_execute",
        "EXECUTION_CACHE": out / ".jupyter_cache",
    }
    for name, value in paths.items():
        monkeypatch.setattr(build, name, value, raising=False)
    monkeypatch.setattr(buildcache, "EXECUTION_CACHE", paths["EXECUTION_CACHE"])
    monkeypatch.setattr(build, "PROJECT_ROOT", root)
    monkeypatch.setattr(build, "check_execution_cache", lambda mirror=None: "execution cache kept (synthetic)")
    monkeypatch.setattr(build, "toc_notebooks", lambda root=None: [])
    monkeypatch.setattr(build.Executions, "start_workers", lambda self: None)
    monkeypatch.setattr(build, "book_digest", lambda flags=(), builder="html", mirror=None, root=None: "d" * 64)
    paths["EXECUTION_CACHE"].mkdir(parents=True)
    return root


def _sphinx(result: int | BaseException, pages: tuple[str, ...] = ("index", "page")):
    """A stand-in for sphinxbuild.build_html: writes the pages and a static file, then returns or raises."""

    def fake(root, flags=(), before_reading=None, previous_sources=None, processes=1):
        fake.processes = processes
        html = root / "_build/html"
        for name in pages:
            _write(html / f"{name}.html", f"<p>{name}</p>")
        _write(html / "_static/book.css", "body {}")
        _write(html / "_images/figure.png", "synthetic figure")
        if isinstance(result, BaseException):
            raise result
        return SphinxRun(code=result, completed=True, sources={"index": "1", "page": "2"})

    return fake


def test_a_successful_build_is_up_to_date_until_an_output_goes(book, monkeypatch):
    sphinx = _sphinx(0)
    monkeypatch.setattr(sphinxbuild, "build_html", sphinx)
    assert build.build(FLAGS, jobs=3) == 0
    assert sphinx.processes == 3  # Sphinx gets as many processes as the notebooks (`--jobs`)
    assert build.up_to_date(FLAGS)
    html = book / "_build/html"
    os.utime(html / "page.html", ns=(1, 1))  # a new time, the same content: still up to date
    assert build.up_to_date(FLAGS)
    for damage in (
        lambda: (html / "page.html").unlink(),
        lambda: (html / "_static/book.css").unlink(),
        lambda: (html / "_images/figure.png").write_text("synthetic FIGURE"),  # same size, other content
    ):
        build.build(FLAGS)
        assert build.up_to_date(FLAGS)
        damage()
        assert not build.up_to_date(FLAGS)


@pytest.mark.parametrize("where", ["prepare_html", "check_execution_cache"])
def test_the_stamp_goes_before_the_build_writes_anything(book, monkeypatch, where):
    monkeypatch.setattr(sphinxbuild, "build_html", _sphinx(0))
    build.build(FLAGS)
    assert build.STAMP.is_file()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build, where, interrupted)
    with pytest.raises(KeyboardInterrupt):
        build.build(FLAGS)
    assert not build.STAMP.exists() and not build.up_to_date(FLAGS)


def test_a_build_killed_in_sphinx_is_not_trusted_by_the_next(book, monkeypatch):
    monkeypatch.setattr(sphinxbuild, "build_html", _sphinx(0))
    build.build(FLAGS)
    monkeypatch.setattr(sphinxbuild, "build_html", _sphinx(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        build.build(FLAGS)
    assert not build.STAMP.exists() and not build.SPHINX_RECORD.exists()
    _write(book / "_build/.doctrees/environment.pickle", "synthetic")
    _write(book / "_build/jupyter_execute/page.ipynb", "{}")
    assert build.prepare_html() is None  # every page read again
    assert not any(p.exists() for p in (build.HTML_DIR, build.DOCTREES, build.JUPYTER_EXECUTE))


def test_a_failed_build_is_never_up_to_date_but_its_pages_are_kept(book, monkeypatch):
    monkeypatch.setattr(sphinxbuild, "build_html", _sphinx(1))
    assert build.build(FLAGS) == 1
    assert not build.STAMP.exists() and build.SPHINX_RECORD.is_file()
    assert build.prepare_html()["sources"] == {"index": "1", "page": "2"}
    assert (build.HTML_DIR / "page.html").is_file()  # Sphinx completed: its pages agree with its environment


def test_damaged_outputs_make_sphinx_write_every_page_again(book, monkeypatch):
    monkeypatch.setattr(sphinxbuild, "build_html", _sphinx(0))
    build.build(FLAGS)
    (build.HTML_DIR / "_images/figure.png").unlink()
    _write(book / "_build/.doctrees/environment.pickle", "synthetic")
    assert build.prepare_html() == {"sources": {"index": "1", "page": "2"}, "outputs": {}, "code": {}}
    assert not build.HTML_DIR.exists() and build.DOCTREES.exists()  # pages rewritten, nothing read again


def test_a_page_of_the_toc_missing_fails_the_build(book, monkeypatch):
    monkeypatch.setattr(sphinxbuild, "build_html", _sphinx(0, pages=("index",)))
    assert build.build(FLAGS) == 1
    assert not build.STAMP.exists()


def test_a_pdf_build_keeps_the_html_stamp_but_not_the_sphinx_record(book, monkeypatch):
    monkeypatch.setattr(sphinxbuild, "build_html", _sphinx(0))
    build.build(FLAGS)
    monkeypatch.setattr(build.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0))
    assert build.build(FLAGS, builder="pdflatex") == 0
    assert build.up_to_date(FLAGS)  # the HTML still matches its inputs
    assert not build.SPHINX_RECORD.exists()  # but Sphinx's environment moved on: the next HTML build reads again


def test_manifest_reuses_hashes_and_names_damage(tmp_path):
    html = tmp_path / "html"
    _write(html / "a.html", "a")
    _write(html / "_static/b.css", "b")
    files = buildrecord.manifest(html)
    assert sorted(files) == ["_static/b.css", "a.html"]
    assert buildrecord.damaged(html, files) == []
    reused = buildrecord.manifest(html, {rel: [*v[:2], "reused"] for rel, v in files.items()})
    assert {v[2] for v in reused.values()} == {"reused"}  # same size and time: not read again
    (html / "a.html").unlink()
    assert buildrecord.damaged(html, files) == ["a.html"]
    assert buildrecord.missing_pages(html, ["a", "b"]) == ["a", "b"]
    assert buildrecord.read(tmp_path / "absent.json") is None
    (tmp_path / "old.inputs").write_text("0" * 64 + "\n")  # the stamp of an older make book
    assert buildrecord.read(tmp_path / "old.inputs") is None


# ---------------------------------------------------------------- jupyter-cache and Sphinx


def test_executions_without_a_readable_notebook_are_dropped(tmp_path):
    cache_dir = tmp_path / "cache"
    cache = get_cache(str(cache_dir))
    for i in range(2):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"print({i})")])
        cache.cache_notebook_bundle(CacheBundleIn(nb, f"/synthetic/{i}.ipynb"), check_validity=False)
    records = sorted(cache.list_cache_records(), key=lambda r: r.uri)
    stored = cache._get_notebook_path_cache(records[0].hashkey)
    stored.write_text(stored.read_text()[:40])  # killed while jupyter-cache wrote it
    assert buildcache.drop_unreadable_executions(cache_dir) == ["/synthetic/0.ipynb"]
    assert [r.uri for r in get_cache(str(cache_dir)).list_cache_records()] == ["/synthetic/1.ipynb"]
    assert buildcache.drop_unreadable_executions(tmp_path / "none") == []


def test_source_hashes_see_content_not_times(tmp_path):
    _write(tmp_path / "page.md", "# Page\n")
    _write(tmp_path / "refs.bib", "@misc{a}")
    _write(tmp_path / "_build/jupyter_execute/fig.png", "png")
    env = SimpleNamespace(
        found_docs={"page"},
        srcdir=str(tmp_path),
        doc2path=lambda name, base=True: f"{name}.md",
        dependencies={"page": {"refs.bib", "_build/jupyter_execute/fig.png"}},
    )
    first = sphinxbuild.source_hashes(env, tmp_path / "_build")
    os.utime(tmp_path / "page.md", ns=(1, 1))
    _write(tmp_path / "_build/jupyter_execute/fig.png", "another png")  # written by the build itself
    assert sphinxbuild.source_hashes(env, tmp_path / "_build") == first
    _write(tmp_path / "refs.bib", "@misc{b}")
    assert sphinxbuild.source_hashes(env, tmp_path / "_build") != first


def test_outputs_no_page_uses_are_pruned(tmp_path):
    for rel in ("_images/new.png", "_images/old.png", "_downloads/abc/t.csv", "_downloads/def/t.csv", "p.html"):
        _write(tmp_path / rel, "x")
    app = SimpleNamespace(
        outdir=str(tmp_path),
        builder=SimpleNamespace(imagedir="_images"),
        env=SimpleNamespace(images={"src/new.png": ({"p"}, "new.png")}, dlfiles={"t.csv": ({"p"}, "abc/t.csv")}),
    )
    assert sphinxbuild.prune_outputs(app) == ["_images/old.png", "_downloads/def/t.csv"]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "_downloads/abc/t.csv",
        "_images/new.png",
        "p.html",
    ]


def test_words_no_page_holds_leave_the_search_index():
    """Sphinx's own prune keeps ``"word": []`` once the last page using the word was rewritten without it, and
    the index entries of pages that are gone."""
    from sphinx.search import IndexBuilder

    def index() -> SimpleNamespace:
        return SimpleNamespace(
            _titles={"a": "A", "b": "B"},
            _all_titles={"a": [], "b": []},
            _filenames={"a": "a.md", "b": "b.md"},
            _mapping={"kept": {"a", "b"}, "gone": {"b"}},
            _title_mapping={"b": {"b"}},
            _index_entries={"a": [("term", "term-a", "main")], "b": [("gone", "term-b", "main")]},
        )

    plain = index()
    IndexBuilder.prune(plain, {"a"})
    assert plain._mapping["gone"] == set()  # what Sphinx alone leaves behind
    with sphinxbuild.search_index_without_empty_terms():
        patched = index()
        IndexBuilder.prune(patched, {"a"})
    assert patched._mapping == {"kept": {"a"}} and patched._title_mapping == {}
    assert list(patched._index_entries) == ["a"]
    assert IndexBuilder.prune is not None and "search_index" not in IndexBuilder.prune.__qualname__


# ------------------------------------------------------------------------- the guess for the early kernel

REAL_START_WORKERS = build.Executions.start_workers


def _chapter(path: Path, code: str, prose: str) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(prose), nbformat.v4.new_code_cell(code)])
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nb, path)


def test_the_code_digest_follows_code_cells_and_the_kernel_only(tmp_path):
    path = tmp_path / "chapter.ipynb"
    _chapter(path, "print(1)", "# Prose")
    kernel, digest = buildrecord.notebook_code(path)
    assert kernel == "python3"
    _chapter(path, "print(1)", "# Prose, edited")
    assert buildrecord.notebook_code(path) == (kernel, digest)
    _chapter(path, "print(2)", "# Prose, edited")
    assert buildrecord.notebook_code(path)[1] != digest
    recorded = buildrecord.code_digests([path], tmp_path)
    assert recorded == {"chapter.ipynb": buildrecord.notebook_code(path)[1]}
    assert buildrecord.code_changed([path], recorded, tmp_path) == []
    assert buildrecord.code_changed([path], None, tmp_path) == []  # no record: no guess
    _chapter(path, "print(3)", "# Prose, edited")
    assert buildrecord.code_changed([path], recorded, tmp_path) == [path]
    path.write_text("{not json", encoding="utf-8")
    assert buildrecord.notebook_code(path) is None and buildrecord.code_changed([path], recorded, tmp_path) == []


def test_after_a_code_edit_the_edited_notebook_runs_on_the_kernel_started_early(book, monkeypatch, capsys):
    from booktools import kernels

    chapter = book / "chapter.ipynb"
    _chapter(chapter, "print(6 * 7)", "# Chapter")
    monkeypatch.setattr(build, "toc_notebooks", lambda root=None: [chapter])
    pools: list[str] = []  # one entry per worker pool started

    def counting_workers(self):
        if self._pool is None:
            pools.append("pool")
        REAL_START_WORKERS(self)

    monkeypatch.setattr(build.Executions, "start_workers", counting_workers)
    pages = _sphinx(0)

    def sphinx(root, flags=(), before_reading=None, previous_sources=None, processes=1):
        before_reading()  # where Sphinx waits for the executions, which are cached then
        return pages(root, flags, before_reading, previous_sources, processes)

    monkeypatch.setattr(sphinxbuild, "build_html", sphinx)
    started: list[Path] = []
    real_init = kernels.EarlyKernel.__init__

    def counting_init(self, notebook, kernel, execute):
        started.append(Path(notebook))
        real_init(self, notebook, kernel, execute)

    monkeypatch.setattr(kernels.EarlyKernel, "__init__", counting_init)
    assert build.build(FLAGS, jobs=1) == 0  # the first build: no record, no guess
    assert started == [] and "executing [booktools]" in capsys.readouterr().out
    assert len(pools) == 1
    _chapter(chapter, "print(6 * 7)  # edited", "# Chapter")
    assert build.build(FLAGS, jobs=1) == 0
    out = capsys.readouterr().out
    assert started == [chapter] and "executing on the kernel started early [booktools]" in out
    assert build.missing_from_cache([chapter], build.EXECUTION_CACHE) == []  # cached as the workers cache
    nb = nbformat.read(chapter, as_version=4)  # a prose edit keeps the cells (and their ids) as they are
    nb.cells[0].source += " (edited)"
    nbformat.write(nb, chapter)
    assert build.build(FLAGS, jobs=1) == 0
    assert started == [chapter] and "executing" not in capsys.readouterr().out  # a prose edit starts no kernel
    assert len(pools) == 1  # and no worker: neither the code edit (its kernel fits) nor the prose edit
