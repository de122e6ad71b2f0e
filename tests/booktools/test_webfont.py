"""The web font (booktools.webfont): the CJK characters of the built pages, subset into a byte-stable WOFF2.

The font here is synthetic (fontTools' FontBuilder, a few box glyphs), so the tests take milliseconds; the book's
own 16 MB font is subset by every build and measured by ``make browser-test``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from booktools import webfont

CHARS = "安全国家A"


def _synthetic_font(path: Path) -> Path:
    """A TrueType font with a box glyph for each of CHARS (named so: it is a test fixture, not a real font)."""
    names = [".notdef"] + [f"g{ord(ch):04X}" for ch in CHARS]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(ch): f"g{ord(ch):04X}" for ch in CHARS})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0))
        pen.lineTo((100, 700))
        pen.lineTo((900, 700))
        pen.lineTo((900, 0))
        pen.closePath()
        glyphs[name] = pen.glyph()
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({name: (1000, 100) for name in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "Synthetic Test CJK", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(path))
    return path


def _pages(root: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return root


def _book(tmp_path: Path, page: str) -> tuple[Path, Path, Path, Path]:
    """A synthetic font, a CSS limited to the CJK ideographs, one page showing ``page`` and an empty cache folder."""
    font = _synthetic_font(tmp_path / "synthetic.ttf")
    css = tmp_path / "cjk.css"
    css.write_text("@font-face { unicode-range: U+4E00-9FFF; }", encoding="utf-8")
    return font, css, _pages(tmp_path / "html", {"index.html": page}), tmp_path / "cache"


def test_unicode_ranges_are_read_from_the_css(tmp_path):
    css = tmp_path / "cjk.css"
    css.write_text("@font-face { unicode-range: U+3000-303F, U+4E00-9FFF, U+FF01; }", encoding="utf-8")
    assert webfont.unicode_ranges(css) == [(0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF01, 0xFF01)]
    css.write_text("@font-face { src: url(x.woff2); }", encoding="utf-8")
    with pytest.raises(ValueError, match="no unicode-range"):
        webfont.unicode_ranges(css)


def test_the_book_css_covers_han_and_cjk_punctuation():
    ranges = webfont.unicode_ranges()
    assert all(webfont.in_ranges(ch, ranges) for ch in "安全，。《》（）")
    assert not any(webfont.in_ranges(ch, ranges) for ch in "Aé—“")


def test_page_characters_are_those_of_every_page_in_the_range(tmp_path):
    html = _pages(
        tmp_path / "html",
        {
            "index.html": "国家 security <img alt='安全'>",
            "notebooks/ch.html": "&#x5168;面 — “quoted”",  # a character reference counts too
            "_static/x.js.html": "技",
        },
    )
    (html / "searchindex.js").write_text("不", encoding="utf-8")  # not a page
    assert webfont.page_characters(html, webfont.unicode_ranges()) == "".join(sorted("国家安全面技"))


def test_subset_holds_exactly_the_characters_and_is_byte_stable(tmp_path):
    font = _synthetic_font(tmp_path / "synthetic.ttf")
    one, two = tmp_path / "a" / "one.woff2", tmp_path / "b" / "two.woff2"
    webfont.subset_font(font, "安全", one)
    webfont.subset_font(font, "安全", two)
    assert one.read_bytes() == two.read_bytes()
    with TTFont(str(one)) as subset:
        assert subset.flavor == "woff2"
        assert sorted(subset.getBestCmap()) == sorted(map(ord, "安全"))
        assert subset["name"].getDebugName(1) == "Synthetic Test CJK"  # the family the browser test recognises
    assert not list(one.parent.glob(".one.woff2.*")), "a temporary file was left behind"


def test_write_webfont_reuses_the_cached_subset(tmp_path, monkeypatch):
    font, css, html, cache = _book(tmp_path, "国家安全")
    dest, count = webfont.write_webfont(html, font, cache, css)
    assert dest == html / "_static" / webfont.WEBFONT_FILE and count == 4
    first = dest.read_bytes()

    def no_subsetting(*args, **kwargs):
        raise AssertionError("the same pages and font must not be subset again")

    monkeypatch.setattr(webfont, "subset_font", no_subsetting)
    dest.unlink()
    assert webfont.write_webfont(html, font, cache, css) == (dest, 4)
    assert dest.read_bytes() == first
    # a new character makes a new subset, and the old one leaves the cache
    monkeypatch.undo()
    _pages(html, {"more.html": "全"})
    webfont.write_webfont(html, font, cache, css)
    assert len(list(cache.glob("*.woff2"))) == 1
    with TTFont(str(dest)) as subset:
        assert ord("全") in subset.getBestCmap()


def test_doctree_characters_read_text_and_attributes():
    from docutils import nodes

    doc = nodes.document(None, None)
    para = nodes.paragraph("", "国家 and security")
    para += nodes.image(uri="x.png", alt="安全")
    doc += para
    doc += nodes.literal_block("", "A")
    assert webfont.doctree_characters(doc, webfont.unicode_ranges()) == "".join(sorted("国家安全"))


def test_a_subset_started_early_is_the_font_when_the_pages_add_no_character(tmp_path, monkeypatch):
    font, css, html, cache = _book(tmp_path, "国家")
    webfont.subset_font(font, "国家", cache / "stale.woff2")  # an older subset, to be dropped

    pending = webfont.PendingSubset(font, "国家安", cache)  # in a process of its own
    assert pending.started

    def no_subsetting(*args, **kwargs):
        raise AssertionError("the subset started early holds every character of the pages")

    monkeypatch.setattr(webfont, "subset_font", no_subsetting)
    dest, count = webfont.write_webfont(html, font, cache, css, read=pending)
    assert count == 3  # the characters read count, though no page written shows 安
    assert [p.name for p in cache.glob("*.woff2")] == [pending.path.name]
    monkeypatch.undo()
    webfont.subset_font(font, "国家安", tmp_path / "direct.woff2")
    assert dest.read_bytes() == (tmp_path / "direct.woff2").read_bytes()  # as made in this process

    # the same characters again: nothing is started, the cached subset is used
    assert not webfont.PendingSubset(font, "国家安", cache).started


def test_a_page_showing_a_character_its_doctree_lacked_gets_it(tmp_path):
    font, css, html, cache = _book(tmp_path, "国家全")
    pending = webfont.PendingSubset(font, "国家", cache)
    dest, count = webfont.write_webfont(html, font, cache, css, read=pending)
    assert count == 3
    with TTFont(str(dest)) as subset:
        assert sorted(subset.getBestCmap()) == sorted(map(ord, "国家全"))
    made = f"{webfont._digest(font, ''.join(sorted('国家全')))}.woff2"
    assert [p.name for p in cache.glob("*.woff2")] == [made]  # the early subset is dropped too


def test_the_characters_of_each_page_read_are_kept_purged_and_merged():
    from types import SimpleNamespace

    from docutils import nodes

    env = SimpleNamespace(docname="a")
    app = SimpleNamespace(builder=SimpleNamespace(format="html"), env=env)
    doc = nodes.document(None, None)
    doc += nodes.paragraph("", "国家 security")
    webfont._read_characters(app, doc)
    assert env.booktools_cjk == {"a": "".join(sorted("国家"))}
    other = SimpleNamespace(booktools_cjk={"b": "安", "c": "全"})  # a parallel reader's environment
    webfont._merge_characters(app, env, {"b"}, other)
    assert env.booktools_cjk == {"a": "".join(sorted("国家")), "b": "安"}
    webfont._purge_characters(app, env, "a")
    assert env.booktools_cjk == {"b": "安"}
    app.builder.format = "latex"  # the PDF keeps none
    env.docname = "d"
    webfont._read_characters(app, doc)
    assert "d" not in env.booktools_cjk
