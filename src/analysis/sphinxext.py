"""A small Sphinx extension: Chinese glyphs on every page, whatever fonts the reader has.

It also configures the jieba tokenizer that Sphinx's Chinese search index uses (silent, with the book's
user dictionary, cache in ``.cache/jieba``).

It adds ``cjk.css`` and the Noto Sans CJK SC font (from the ``mplfonts`` package, the same file
the figures use) to the HTML static files. The CSS declares a ``@font-face`` limited to CJK code
points that prefers a locally installed Noto/Source Han Sans SC and otherwise downloads the
bundled file, so Latin text keeps the theme's fonts and Chinese text never shows as boxes.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from analysis import __version__
from analysis.paths import RESOURCES_DIR
from analysis.plotting import cjk_font_path


def _add_static(app: Sphinx, config: Config) -> None:
    config.html_static_path = [*config.html_static_path, str(RESOURCES_DIR / "static"), str(cjk_font_path())]


def _configure_search(app: Sphinx, config: Config) -> None:
    """Sphinx's Chinese search splitter uses jieba's *global* tokenizer: make it silent, give it the
    book's user dictionary (so 国家安全 is indexed as a word) and keep its cache out of the shared /tmp."""
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a dependency; Sphinx then falls back to bigrams
        return
    import logging

    from analysis.paths import cache_path
    from analysis.text import USER_DICT

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(cache_path("jieba", "placeholder").parent)
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(USER_DICT.resolve())}


def _dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Drop ``<script>`` tags that a page would include twice.

    Sphinx 7.4 registers an inline (body-only) script added after ``Builder.init()`` once with filename
    ``None`` and once with ``''`` (fixed in Sphinx 8.2, sphinx-doc/sphinx#13402), so sphinx-thebe's
    ``const THEBE_JS_URL`` was declared twice and every page logged a SyntaxError in the browser.
    """
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for js in scripts:
        key = (getattr(js, "filename", js) or "", getattr(js, "priority", None),
               tuple(sorted(getattr(js, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _add_static)
    app.connect("config-inited", _configure_search)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.add_css_file("cjk.css")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
