"""From a PDF to the document's running text (pypdf), with layout rules applied before normalisation.

Why pypdf: it is pure Python (no system libraries, so it installs from the lock file on every
platform and in CI), actively maintained, BSD-licensed, and its text-layer extraction is adequate for
the born-digital PDFs governments publish (reports, plans, notices): one line of text per line on
the page, Chinese through the fonts' ``ToUnicode`` maps. pdfminer.six's layout analysis gives finer
control over columns but costs several times the time on long reports, and the rules below are
needed anyway; PyMuPDF is faster but AGPL-licensed and ships a compiled MuPDF.

The rules, in this order, work on the lines of each page (:func:`clean_pages`; each is a function
tested on its own):

1. **Page numbers** (:func:`is_page_number`): among the first and last :data:`EDGE_LINES` lines of a
   page, a line that is only a page number is dropped: ``3``, ``- 3 -``, ``— 3 —``, ``第3页``,
   ``第 3 页 共 10 页``, ``3/10``, ``Page 3``, ``Page 3 of 10``, ``iii``.
2. **Running headers and footers** (:func:`strip_running_lines`): a line among the first and last
   :data:`EDGE_LINES` lines of a page whose text, digits replaced by ``#``, recurs at the same place
   (first line, second line, last line …) on at least half of the pages (and on two pages at least)
   is dropped: a title repeated on every page, "国务院公报", a date or a footer with a page count.
3. **Hyphenation** (:func:`join_lines`): an English line ending in a lower-case letter and ``-`` whose next line
   starts with a lower-case letter is joined without the hyphen (``secu-`` + ``rity`` →
   ``security``). A compound broken at its own hyphen (``well-`` / ``known``) loses its hyphen too;
   the word count is the same.
4. **Line and column breaks** (:func:`join_lines`): a line that fills the column (at least
   :data:`FULL_LINE` of the widest line of its page, Han characters counting double) and does not end
   a sentence (``。！？；：`` … or ``.!?:;``) is joined to the next line, unless the next line opens a
   numbered item (``一、``, ``（一）``, ``1.``, ``第三条``, ``第二章``). Chinese is joined without a space, so
   a term split over two lines (国家 / 安全) is counted again; Latin text is joined with one space. The
   last line of a page and the first of the next are joined by the same rule (a sentence broken by
   the page end).

A PDF whose pages give fewer than :data:`MIN_CHARS_PER_PAGE` non-whitespace characters per page on
average has no usable text layer (a scan): :class:`NoTextLayerError`, failure class ``no text
layer``. A file pypdf cannot read raises :class:`~analysis.corpus.errors.BinaryContentError`.

An encrypted PDF is opened with the empty user password (many official PDFs are encrypted only to
forbid editing or printing; RC4 and AES, the latter through ``cryptography``); one that needs a
password raises :class:`EncryptedPdfError`, failure class ``encrypted``. pypdf's warnings about
damaged files ("EOF marker not found" …) are kept off stderr: the error, if any, says what matters.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator

from analysis.corpus.accept import RejectedError
from analysis.corpus.errors import BinaryContentError

EDGE_LINES = 2
FULL_LINE = 0.85
MIN_CHARS_PER_PAGE = 20
_SENTENCE_END = tuple("。！？；：…”’」』）)】.!?:;")
_ITEM_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|第[一二三四五六七八九十百零\d]+[条章节部分]|[•·●▪■-]\s)"
)
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—－]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*共\s*\d{1,4}\s*页)?(?:\s*[-–—－])?$"
    r"|^\d{1,4}\s*/\s*\d{1,4}$"
    r"|^page\s+\d{1,4}(?:\s+of\s+\d{1,4})?$"
    r"|^(?=[ivxlc]+$)c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$",
    re.IGNORECASE,
)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HYPHENATED = re.compile(r"[a-z]-$")


class NoTextLayerError(RejectedError):
    """A PDF without a usable text layer (scanned pages): rejected, failure class ``no text layer``."""

    kind = "no text layer"


class EncryptedPdfError(BinaryContentError):
    """A PDF that cannot be opened without a password: failure class ``encrypted``."""

    kind = "encrypted"


def is_pdf(data: bytes) -> bool:
    """True when ``data`` starts like a PDF file (``%PDF``, possibly after a few junk bytes)."""
    return b"%PDF-" in data[:1024]


def is_page_number(line: str) -> bool:
    """True when ``line`` is only a page number (see rule 1 of the module)."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))


def _edges(lines: list[str]) -> dict[int, str]:
    """The edge lines of a page: index → position (``top0``, ``top1`` …, ``bottom0`` = last line …)."""
    n = len(lines)
    out = {n - 1 - i: f"bottom{i}" for i in range(min(EDGE_LINES, n))}
    out.update({i: f"top{i}" for i in range(min(EDGE_LINES, n))})
    return out


def strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and running headers/footers from the edge lines of each page (rules 1 and 2).

    A running line is one whose shape (digits as ``#``) recurs at the same position (first, second,
    last or second-to-last line) on at least half of the pages, and on two pages at least."""
    pages = [
        [line for i, line in enumerate(page) if not (i in _edges(page) and is_page_number(line))] for page in pages
    ]
    counts: Counter[tuple[str, str]] = Counter()
    for page in pages:
        counts.update({(where, _shape(page[i])) for i, where in _edges(page).items()})
    threshold = max(2, (len(pages) + 1) // 2)
    running = {key for key, n in counts.items() if n >= threshold and key[1]}
    return [
        [line for i, line in enumerate(page) if (_edges(page).get(i), _shape(line)) not in running] for page in pages
    ]


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _separator(left: str, right: str) -> str:
    """``""`` when either side of the join is Han (or CJK punctuation), else one space."""
    a, b = left[-1:], right[:1]
    if _HAN.match(a) or _HAN.match(b) or _width(a) == 2 or _width(b) == 2:
        return ""
    return " "


def join_lines(pages: list[list[str]]) -> str:
    """Join the lines broken by the layout (rules 3 and 4); paragraphs stay on lines of their own."""
    out: list[str] = []
    glue = hyphen = False  # the last line of `out` continues on the next line (across a page end too)
    for page in pages:
        widest = max((_width(line) for line in page), default=0)
        for line in page:
            if out and hyphen and line[:1].islower():
                out[-1] = out[-1][:-1] + line
            elif out and glue and not _ITEM_START.match(line):
                out[-1] = out[-1] + _separator(out[-1], line) + line
            else:
                out.append(line)
            glue = _width(line) >= FULL_LINE * widest and not line.endswith(_SENTENCE_END)
            hyphen = bool(_HYPHENATED.search(line))
    return "\n".join(out)


def clean_pages(page_texts: list[str]) -> str:
    """The running text of a PDF from the text of its pages (rules 1–4 of the module)."""
    pages = [[line.strip() for line in text.splitlines() if line.strip()] for text in page_texts]
    pages = strip_running_lines(pages)
    return join_lines(pages)


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs what it repairs in a damaged file ("EOF marker not found"); without a handler Python prints
    it to stderr. Silence the ``pypdf`` logger and its warnings while a file is read."""
    logger = logging.getLogger("pypdf")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


def _encrypted(where: str, detail: str) -> EncryptedPdfError:
    return EncryptedPdfError(
        f"{where}: the PDF is encrypted and cannot be opened without a password ({detail}); save its text by hand "
        "(or print it to an unencrypted PDF) and import it (`python -m analysis corpus import FILE --doc DOC_ID`)"
    )


def pdf_text(data: bytes, where: str) -> str:
    """The text of the PDF ``data`` (read from ``where``, named in errors), before normalisation."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise _encrypted(where, "the empty user password does not open it")
            page_texts = [page.extract_text() or "" for page in reader.pages]
    except EncryptedPdfError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise _encrypted(where, f"{type(exc).__name__}: {exc}") from exc
    except Exception as exc:
        # A damaged or hostile file can make pypdf raise almost anything (PdfReadError, ValueError, KeyError,
        # zlib.error, struct.error, RecursionError …): it is a bad file, never a traceback that stops the fetch.
        raise BinaryContentError(
            f"{where}: a PDF file that cannot be read ({type(exc).__name__}: {' '.join(str(exc).split())[:200]}); "
            "download it again, or save its text by hand and put it in the mirror or import it "
            "(`python -m analysis corpus import FILE --doc DOC_ID`)"
        ) from exc
    chars = sum(len("".join(t.split())) for t in page_texts)
    if not page_texts or chars < MIN_CHARS_PER_PAGE * len(page_texts):
        raise NoTextLayerError(
            f"{where}: rejected, the PDF has no usable text layer ({chars} characters on {len(page_texts)} page(s): "
            "scanned images); run OCR on it and import the text (`python -m analysis corpus import FILE --doc DOC_ID`)"
        )
    return clean_pages(page_texts)
