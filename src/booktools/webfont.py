"""The web font: a WOFF2 subset of Noto Sans CJK SC holding the CJK characters of the pages, read and written.

The full font (the ``mplfonts`` OTF that the figures use, 16.4 MB) is too heavy for a web page. After the HTML
builder has written every page, :func:`write_webfont` collects the characters of every page that fall in the
``unicode-range`` of ``cjk.css`` (the only characters the face is used for) and subsets the font to them with
fontTools (WOFF2, brotli): about 800 characters, well under 1 MB. ``cjk.css`` tries the reader's own CJK
fonts first (``local()``) and downloads this file only when none is installed.

Same pages, same font → byte-identical file: fontTools keeps the font's own timestamps
(``recalc_timestamp`` is off by default) and brotli is deterministic. A subset is cached under
``.cache/webfont/`` by the digest of its inputs, so a prose edit that adds no new character costs no subsetting.

The subset can be started before the pages are written (:class:`PendingSubset`, in a process of its own), from
the characters of the pages Sphinx has read (:func:`doctree_characters`): subsetting and WOFF2 compression take
2.5 s, which a clean build then spends while Sphinx writes its pages instead of after them. The font holds the
characters of the pages read *and* written, so a page that shows a character its doctree lacks still gets it
(the subset started early is then not the one used, and the font is subset again, as before).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from booktools import STATIC_DIR

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The file ``cjk.css`` downloads (relative to ``_static``) when no local CJK font matches.
WEBFONT_FILE = "book-cjk-sc.woff2"
_RANGE = re.compile(r"U\+([0-9A-Fa-f]{1,6})(?:-([0-9A-Fa-f]{1,6}))?")


def unicode_ranges(css: Path = STATIC_DIR / "cjk.css") -> list[tuple[int, int]]:
    """The code point ranges of the ``unicode-range`` descriptor in ``css`` (inclusive bounds)."""
    text = Path(css).read_text(encoding="utf-8")
    match = re.search(r"unicode-range\s*:\s*([^;]+);", text)
    if match is None:
        raise ValueError(f"{css} declares no unicode-range: the web font would hold nothing")
    return [(int(a, 16), int(b or a, 16)) for a, b in _RANGE.findall(match.group(1))]


def in_ranges(char: str, ranges: list[tuple[int, int]]) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in ranges)


def page_characters(html_dir: Path, ranges: list[tuple[int, int]]) -> str:
    """The distinct characters within ``ranges`` in every ``.html`` file under ``html_dir``, sorted.

    Whole files are read (text, ``alt`` and ``title`` attributes alike), with character references resolved,
    so the set is a superset of what a page can show.
    """
    found: set[str] = set()
    for path in sorted(Path(html_dir).rglob("*.html")):
        found |= characters_in(html.unescape(path.read_text(encoding="utf-8", errors="replace")), ranges)
    return "".join(sorted(found))


def characters_in(text: str, ranges: list[tuple[int, int]]) -> set[str]:
    """The distinct characters of ``text`` within ``ranges``."""
    return {ch for ch in set(text) if ord(ch) > 0x2E7F and in_ranges(ch, ranges)}


def doctree_characters(doctree: Any, ranges: list[tuple[int, int]]) -> str:
    """The distinct characters within ``ranges`` in the text and the string attributes (``alt``, ``title``…) of
    every node of a docutils ``doctree``, sorted."""
    from docutils import nodes

    found: set[str] = set()
    for node in doctree.findall():
        if isinstance(node, nodes.Text):
            found |= characters_in(str(node), ranges)
        else:
            for value in node.attributes.values():
                if isinstance(value, str):
                    found |= characters_in(value, ranges)
    return "".join(sorted(found))


def _digest(source: Path, chars: str) -> str:
    """The cache key of a subset: the font file (name, size and modification time: hashing 16 MB on every build
    would cost a prose edit 0.1 s), the characters and the fontTools version."""
    import fontTools

    stat = Path(source).stat()
    h = hashlib.sha256(f"{Path(source).name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    h.update(chars.encode("utf-8"))
    h.update(fontTools.version.encode("ascii"))
    return h.hexdigest()[:32]


def subset_font(source: Path, chars: str, dest: Path) -> None:
    """Write the WOFF2 subset of ``source`` holding ``chars`` (and ``.notdef``) to ``dest``, atomically."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # vertical forms, locale variants: what the full font does with these glyphs
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options, dontLoadGlyphNames=True)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(ch) for ch in chars])
        subsetter.subset(font)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
        os.close(fd)
        try:
            subset.save_font(font, tmp, options)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    finally:
        font.close()


class PendingSubset:
    """The subset of ``source`` for ``chars`` in ``cache_dir``, being made by ``python -m booktools.webfont`` while
    this process goes on; nothing is started when the cache holds it already."""

    def __init__(self, source: Path, chars: str, cache_dir: Path) -> None:
        chars = "".join(sorted(set(chars)))  # as write_webfont orders them, so that the digests agree
        self.chars = chars
        self.path = Path(cache_dir) / f"{_digest(Path(source), chars)}.woff2"
        self._process: subprocess.Popen[bytes] | None = None
        if not self.path.is_file():
            self._process = subprocess.Popen(
                [sys.executable, "-m", "booktools.webfont", str(source), str(self.path)], stdin=subprocess.PIPE
            )
            assert self._process.stdin is not None
            self._process.stdin.write(chars.encode("utf-8"))
            self._process.stdin.close()

    @property
    def started(self) -> bool:
        return self._process is not None

    def wait(self) -> None:
        """Until the subset is written (or its process failed: the cache then lacks it)."""
        if self._process is not None:
            self._process.wait()


def write_webfont(
    html_dir: Path,
    source: Path,
    cache_dir: Path,
    css: Path = STATIC_DIR / "cjk.css",
    read: PendingSubset | None = None,
) -> tuple[Path, int]:
    """Put the subset of ``source`` for the pages of ``html_dir`` into ``html_dir/_static``; return it and its
    number of characters. A subset already made for the same font and characters is copied from ``cache_dir``.

    ``read``: the subset started from the characters of the pages read (:class:`PendingSubset`); the font then
    holds those characters too, and is that subset when the written pages add none."""
    chars = "".join(sorted(set(page_characters(html_dir, unicode_ranges(css))) | set(read.chars if read else "")))
    cached = Path(cache_dir) / f"{_digest(Path(source), chars)}.woff2"
    made = False
    if read is not None:
        read.wait()
        made = read.started and read.path == cached
    if not cached.is_file():
        subset_font(Path(source), chars, cached)
        made = True
    if made:
        for old in Path(cache_dir).glob("*.woff2"):  # one subset is kept: the cache does not grow with each edit
            if old != cached:
                old.unlink(missing_ok=True)
    dest = Path(html_dir) / "_static" / WEBFONT_FILE
    if not dest.is_file() or dest.read_bytes() != cached.read_bytes():
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, dest)
    return dest, len(chars)


# --------------------------------------------------------------------------- the Sphinx extension

#: the subset started when Sphinx had read the pages (:func:`_start_subset`), used when the build finishes
_PENDING: list[PendingSubset] = []


def _cache_dir() -> Path:
    from analysis.io.paths import cache_path

    return cache_path("webfont", "placeholder").parent


def _read_characters(app: Sphinx, doctree: Any) -> None:
    """Keep the CJK characters of each page read (``env.booktools_cjk``), for :func:`_start_subset`."""
    if app.builder.format != "html":
        return
    if not hasattr(app.env, "booktools_cjk"):
        app.env.booktools_cjk = {}
    app.env.booktools_cjk[app.env.docname] = doctree_characters(doctree, unicode_ranges())


def _purge_characters(app: Sphinx, env: Any, docname: str) -> None:
    getattr(env, "booktools_cjk", {}).pop(docname, None)


def _merge_characters(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    if not hasattr(env, "booktools_cjk"):
        env.booktools_cjk = {}
    env.booktools_cjk.update({d: c for d, c in getattr(other, "booktools_cjk", {}).items() if d in docnames})


def _start_subset(app: Sphinx, env: Any) -> None:
    """Once every page is read: start the subset for their characters (:class:`PendingSubset`), so that it is
    made while Sphinx writes the pages."""
    _PENDING.clear()
    if app.builder.format != "html":
        return
    from analysis.io.paths import cjk_font_path

    chars = "".join(sorted(set().union(*getattr(env, "booktools_cjk", {}).values())))
    _PENDING.append(PendingSubset(cjk_font_path(), chars, _cache_dir()))


def _write(app: Sphinx, exception: Exception | None) -> None:
    """The web font for the pages read and written (all pages of the output folder, not only the rewritten
    ones), into ``_static``."""
    pending = _PENDING.pop() if _PENDING else None
    if exception is not None or app.builder is None or app.builder.format != "html":
        if pending is not None:
            pending.wait()  # no process is left behind
        return
    from analysis.io.paths import cjk_font_path

    font = cjk_font_path()
    write_webfont(Path(app.builder.outdir), font, _cache_dir(), read=pending)
    (Path(app.builder.outdir) / "_static" / font.name).unlink(missing_ok=True)  # the full font of older builds


def setup(app: Sphinx) -> dict[str, Any]:
    """Set up by :mod:`booktools.sphinxext`."""
    app.connect("doctree-read", _read_characters)
    app.connect("env-purge-doc", _purge_characters)
    app.connect("env-merge-info", _merge_characters)
    app.connect("env-updated", _start_subset)
    app.connect("build-finished", _write)
    # env_version: an environment saved before pages kept their CJK characters (env.booktools_cjk) is not reused
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}


def _main(argv: Iterable[str]) -> int:
    """``python -m booktools.webfont SOURCE DEST``: the subset of the font SOURCE for the characters on standard
    input, written to DEST (:class:`PendingSubset`)."""
    source, dest = list(argv)
    subset_font(Path(source), sys.stdin.buffer.read().decode("utf-8"), Path(dest))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
