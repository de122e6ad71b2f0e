"""What the browser test needs to know about the built site: its pages, its font, its chromium.

The pages are read from ``_toc.yml`` (so the test grows with the book), the intended font is the
``@font-face`` declared by ``booktools/static/cjk.css``, and the browser is Debian's
``chromium`` package.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from analysis.io.paths import PROJECT_ROOT
from booktools import STATIC_DIR

CHROMIUM = Path(os.environ.get("BOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# The CSS family the book declares for Chinese text, and the font families that family resolves to: the book's
# subset of Noto Sans CJK SC, or one of the reader's Simplified Chinese fonts that cjk.css names in local().
CJK_CSS_FAMILY = "Book CJK SC"
INTENDED_FONT_NAMES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "Noto Sans SC",
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _entries(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        yield node
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key) or []:
                yield from _entries(child)
    elif isinstance(node, list):
        for child in node:
            yield from _entries(child)


def toc_docnames(toc: Path = PROJECT_ROOT / "_toc.yml") -> list[str]:
    """Document names (``book/index``, ``notebooks/02_…``) of every file in a jb-book ``_toc.yml``, in order."""
    data = yaml.safe_load(Path(toc).read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or "root" not in data:
        raise ValueError(f"{toc} is not a Jupyter Book table of contents (no 'root' key)")
    names = [str(data["root"])]
    for entry in _entries({k: v for k, v in data.items() if k != "root"}):
        if "file" in entry:
            names.append(str(entry["file"]))
    out = []
    for name in names:
        name = re.sub(r"\.(md|ipynb|rst)$", "", name.strip("/"))
        if name not in out:
            out.append(name)
    return out


def declared_font_file(css: Path = STATIC_DIR / "cjk.css") -> str:
    """The font file that ``cjk.css`` downloads for the ``Book CJK SC`` face (a path relative to ``_static``)."""
    match = re.search(r'url\("([^"]+)"\)', Path(css).read_text(encoding="utf-8"))
    if match is None:
        raise ValueError(f"{css} declares no font url(...)")
    return match.group(1)


def local_font_names(css: Path = STATIC_DIR / "cjk.css") -> list[str]:
    """The reader's fonts that ``cjk.css`` tries, in order, before it downloads the book's font."""
    return re.findall(r'local\("([^"]+)"\)', Path(css).read_text(encoding="utf-8"))


def without_local_fonts(css_text: str) -> str:
    """``cjk.css`` as a reader without any of its local fonts gets it: every ``local()`` source dropped, so the
    browser downloads the book's font (the browser test measures page weight this way)."""
    return re.sub(r'local\("[^"]*"\),\s*', "", css_text)


def is_intended_font(name: str) -> bool:
    """True when a platform font name reported by the browser is the book's CJK font."""
    return any(name.startswith(intended) for intended in INTENDED_FONT_NAMES)
