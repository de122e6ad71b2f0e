"""From an HTML page to the document's main text (lxml).

Government pages wrap the document in navigation, a metadata table, share bars, "print / close"
bars and a long footer. :func:`extract_html` looks for the document body in a list of known
containers first (:data:`BODY_CONTAINERS`, gathered from gov.cn, ministry and provincial sites) and
records which one matched; only when none is present does it fall back to the element holding the
most paragraph text. Scripts, styles, forms and share/print widgets inside the body are dropped;
block elements (paragraphs, divs, table rows, line breaks) become line breaks. A page whose body
has fewer than :data:`MIN_BODY_CHARS` non-whitespace characters raises :class:`NoDocumentBodyError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from analysis.corpus.errors import NoDocumentBodyError

#: Known body containers, tried in this order (a simple ``#id`` / ``.class`` selector syntax).
BODY_CONTAINERS: tuple[str, ...] = (
    "#UCAP-CONTENT",
    ".pages_content",
    ".trs_editor_view",
    ".TRS_Editor",
    "#ivs_content",
    ".Article_content",
    ".article-content",
    ".xl_content",
    ".detail-content",
)
MIN_BODY_CHARS = 20
_DROP_TAGS = ("script", "style", "noscript", "iframe", "form", "button", "select", "input", "template", "svg")
_NOISE = re.compile(
    r"(^|[\s_-])(share|bdshare|fenxiang|print|dayin|jiucuo|close|guanbi|toolbar|gotop|back-?top)([\s_-]|$)", re.I
)
_BAR_LINE = re.compile(r"^(?:【[^】]{1,8}】\s*)+$")
_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dd",
    "dt",
    "center",
    "hr",
}


@dataclass(frozen=True)
class Extracted:
    """The main text of a page and the container it came from (``#UCAP-CONTENT``, ``fallback:<path>``)."""

    text: str
    container: str


def _xpath(selector: str) -> str:
    if selector.startswith("#"):
        return f"//*[@id='{selector[1:]}']"
    if selector.startswith("."):
        return f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {selector[1:]} ')]"
    raise ValueError(f"unsupported selector {selector!r}: use #id or .class")


def _text_of(element: etree._Element) -> str:
    """Text of ``element`` with block elements turned into line breaks, widgets and bars removed."""
    element = _copy(element)
    for bad in element.xpath(".//*[" + " or ".join(f"self::{t}" for t in _DROP_TAGS) + "]"):
        bad.drop_tree()
    for el in element.xpath(".//*[@class or @id]"):
        if (
            el is not element
            and _NOISE.search(f"{el.get('class', '')} {el.get('id', '')}")
            and len(el.text_content()) < 200
        ):
            el.drop_tree()
    for el in element.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in _BLOCK:
            el.tail = "\n" + (el.tail or "")
            if tag != "br":
                el.text = "\n" + (el.text or "")
        elif tag in ("td", "th"):
            el.tail = " " + (el.tail or "")
    lines = [line.strip() for line in element.text_content().split("\n")]
    return "\n".join(line for line in lines if line and not _BAR_LINE.match(line))


def _copy(element: etree._Element) -> etree._Element:
    return lxml.html.fromstring(lxml.html.tostring(element, encoding="unicode"))


def _visible_chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _fallback(root: etree._Element) -> tuple[etree._Element, str] | None:
    """The element whose direct ``<p>`` children hold the most text (a classic readability heuristic)."""
    best, best_score = None, 0
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag.lower() in ("body", "html"):
            continue
        score = sum(_visible_chars(p.text_content()) for p in el if isinstance(p.tag, str) and p.tag.lower() == "p")
        if score > best_score:
            best, best_score = el, score
    if best is None:
        return None
    return best, root.getroottree().getpath(best)


def extract_html(html: str, where: str) -> Extracted:
    """The main text of the HTML page ``html`` (read from ``where``, named in errors)."""
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise NoDocumentBodyError(f"{where}: the page cannot be parsed as HTML ({exc})") from exc
    for selector in BODY_CONTAINERS:
        for element in root.xpath(_xpath(selector)):
            text = _text_of(element)
            if _visible_chars(text) >= MIN_BODY_CHARS:
                return Extracted(text, selector)
    found = _fallback(root)
    if found is not None:
        element, path = found
        text = _text_of(element)
        if _visible_chars(text) >= MIN_BODY_CHARS:
            return Extracted(text, f"fallback:{path}")
    raise NoDocumentBodyError(
        f"{where}: no document body found in the HTML page (none of {', '.join(BODY_CONTAINERS)} holds text, and no "
        "block of paragraphs does); the URL may point to an index or error page: correct official_url in "
        "data/corpus/manifest.csv or put a text copy in the mirror"
    )


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML document."""
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<html" in head or "<body" in head
