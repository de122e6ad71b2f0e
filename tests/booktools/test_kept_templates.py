"""The compiled HTML templates kept between builds (booktools.sphinxbuild.keep_compiled_templates): a build that
loads them writes the same pages as one that compiles them, and a kept file that cannot be read is compiled
again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from booktools.sphinxbuild import keep_compiled_templates


@pytest.fixture
def site(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text("project = 'Kept templates'\nhtml_theme = 'alabaster'\n", encoding="utf-8")
    (src / "index.rst").write_text("Title\n=====\n\nA page.\n", encoding="utf-8")
    return tmp_path


def _build(site: Path, out: str, kept: Path, compiled: list[str] | None = None) -> tuple[str, Path | None]:
    """Build the site into ``site/out`` keeping templates in ``kept``; the names of the templates the page
    templates' environment compiled from files are added to ``compiled``."""
    with docutils_namespace():
        app = Sphinx(
            srcdir=site / "src",
            confdir=site / "src",
            outdir=site / out,
            doctreedir=site / out / ".doctrees",
            buildername="html",
            status=None,
            warning=None,
            freshenv=True,
        )
        folder = keep_compiled_templates(app.builder, kept)
        environment = app.builder.templates.environment
        compile_source = environment.compile

        def compile_and_count(source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
            if compiled is not None and name is not None:  # a template from a file (a string is never kept)
                compiled.append(name)
            return compile_source(source, name, *args, **kwargs)

        environment.compile = compile_and_count
        app.build(force_all=True)
    return (site / out / "index.html").read_text(encoding="utf-8"), folder


def test_a_build_from_kept_templates_compiles_none_and_writes_the_same_page(site: Path) -> None:
    kept = site / "kept"
    compiled: list[str] = []
    first, folder = _build(site, "first", kept, compiled)
    assert folder == kept and "page.html" in compiled
    assert len(list(kept.iterdir())) == len(compiled)  # each compiled template was kept
    again: list[str] = []
    second, _ = _build(site, "second", kept, again)
    assert again == [] and second == first


def test_an_unreadable_kept_template_is_compiled_again(site: Path) -> None:
    kept = site / "kept"
    first, _ = _build(site, "first", kept)
    sizes = {path.name: path.stat().st_size for path in kept.iterdir()}
    for path in kept.iterdir():
        path.write_bytes(path.read_bytes()[:20])  # cut short just after Jinja's header
    compiled: list[str] = []
    again, _ = _build(site, "again", kept, compiled)
    assert again == first and len(compiled) == len(sizes)
    assert {path.name: path.stat().st_size for path in kept.iterdir()} == sizes  # kept again, whole


def test_a_builder_without_templates_keeps_nothing(tmp_path: Path) -> None:
    assert keep_compiled_templates(object(), tmp_path / "kept") is None
    assert not (tmp_path / "kept").exists()
