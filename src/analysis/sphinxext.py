"""A small Sphinx extension: Chinese glyphs on every page, whatever fonts the reader has.

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


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _add_static)
    app.add_css_file("cjk.css")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
