"""From a Word file (.docx) to its text: the main part ``word/document.xml``, read with zipfile and lxml.

The body is read in document order, with these rules:

* each paragraph (``w:p``) is a line: its text runs (``w:t``), tabs and line breaks, wherever they sit
  (runs, hyperlinks, fields, inline content controls, tracked insertions ``w:ins`` and moves
  ``w:moveTo``, text boxes);
* each table row is a line with its cells separated by a tab; a cell holds block content of its own,
  so a table nested in a cell is read inside that cell (a cell merged over several columns is one
  ``w:tc``; the continuation of a vertically merged cell is empty, so merged text is read once);
* content controls (``w:sdt``) and custom XML around paragraphs, rows or cells are read through;
* left out: tracked deletions (``w:del``, ``w:delText``) and moves away (``w:moveFrom``): the text as it
  now reads; field codes (``w:instrText``) but not their results; paragraph and run properties
  (their ``w:tab`` elements are tab stops, not text); the ``mc:Fallback`` copy of a drawing (its
  ``mc:Choice`` is read, so a text box counts once); page headers and footers and footnotes (other
  parts, not the body).

Why not python-docx (still used by the tests to write .docx files): ``Paragraph.text`` reads only the
runs directly in a paragraph or hyperlink, so text inside tracked insertions and inline content
controls is lost, the body's block-level content controls are skipped, and ``cell.text`` leaves out
nested tables (4 of 7 planted markers lost, issue 21); and ``docx.Document`` loads every part of the
package into memory. No maintained reader in the lock reads all three; the walk below is short and
each rule is tested (tests/analysis/corpus/test_corpus_pdf_docx.py).

Size cap: a ``word/document.xml`` of more than :data:`MAX_XML_BYTES` uncompressed (as the ZIP directory
declares it; zipfile never inflates past the declared size) is refused before it is inflated. The XML
of a 300-page report is a few MB; parsing takes about ten times the XML's size in memory, so the cap
keeps a hostile file (a few hundred KB of ZIP holding 100 MB of XML) far from the machine's memory.
Old binary ``.doc`` files are not read: they stay :class:`~analysis.corpus.errors.BinaryContentError`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

from analysis.corpus.errors import BinaryContentError, TooLargeError

MAIN_PART = "word/document.xml"
#: Largest uncompressed ``word/document.xml`` read (16 MiB; see the module).
MAX_XML_BYTES = 16 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: Elements that wrap block content, rows or cells and are read through.
_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo", f"{_W}smartTag"})
#: Elements never read: deleted or moved-away text, field codes, properties, ruby guides, the VML copy of a drawing.
_SKIPPED = frozenset(
    {
        f"{_W}{name}"
        for name in (
            "del",
            "moveFrom",
            "delText",
            "instrText",
            "delInstrText",
            "pPr",
            "rPr",
            "sectPr",
            "tblPr",
            "tblGrid",
            "trPr",
            "tcPr",
            "sdtPr",
            "sdtEndPr",
            "rt",
        )
    }
    | {f"{_MC}Fallback"}
)


def is_docx(data: bytes) -> bool:
    """True when ``data`` is a ZIP archive holding ``word/document.xml`` (a .docx file)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return MAIN_PART in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _inline(element: object, out: list[str]) -> None:
    """Append the text of a paragraph's content to ``out`` (see the module for what is read)."""
    for child in element:  # type: ignore[attr-defined]
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == f"{_W}t":
            out.append(child.text or "")
        elif tag == f"{_W}tab":
            out.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            out.append("-")
        elif tag == f"{_W}txbxContent":  # a text box: its own paragraphs, on lines of their own
            out.append("\n" + "\n".join(_blocks(child)) + "\n")
        else:  # runs, hyperlinks, fields, content controls, insertions, drawings …
            _inline(child, out)


def _paragraph(p: object) -> str:
    out: list[str] = []
    _inline(p, out)
    return "".join(out)


def _children(element: object, name: str) -> Iterator[object]:
    """The children of ``element`` called ``name`` (``tr``, ``tc``), also inside content controls and custom XML."""
    for child in element:  # type: ignore[attr-defined]
        if child.tag == f"{_W}{name}":
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, name)


def _deleted_row(tr: object) -> bool:
    props = tr.find(f"{_W}trPr")  # type: ignore[attr-defined]
    return props is not None and props.find(f"{_W}del") is not None


def _blocks(element: object) -> Iterator[str]:
    """The lines of block content (body, table cell, text box, content control), in document order."""
    for child in element:  # type: ignore[attr-defined]
        tag = child.tag
        if tag == f"{_W}p":
            yield _paragraph(child)
        elif tag == f"{_W}tbl":
            for tr in _children(child, "tr"):
                if not _deleted_row(tr):
                    yield "\t".join("\n".join(_blocks(tc)).strip() for tc in _children(tr, "tc"))
        elif tag in _WRAPPERS:
            yield from _blocks(child)


def _main_part(data: bytes, where: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(MAIN_PART)
        if info.file_size > MAX_XML_BYTES:
            raise TooLargeError(
                f"{where}: refused, the Word file's text part ({MAIN_PART}) is {info.file_size / 2**20:.0f} MiB of XML, "
                f"more than the {MAX_XML_BYTES // 2**20} MiB a document has (a report of 300 pages has a few); "
                "save the document's text as UTF-8 .txt and import that"
            )
        with archive.open(info) as fh:
            return fh.read(MAX_XML_BYTES + 1)


def docx_text(data: bytes, where: str) -> str:
    """The body text of the .docx ``data`` (read from ``where``, named in errors), before normalisation."""
    from lxml import etree

    try:
        xml = _main_part(data, where)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser=parser)
        body = root.find(f"{_W}body")
        if body is None:
            raise ValueError(f"no w:body in {MAIN_PART}")
        return "\n".join(_blocks(body))
    except TooLargeError:
        raise
    except (
        KeyError,
        ValueError,
        NotImplementedError,
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        etree.LxmlError,
    ) as exc:
        raise BinaryContentError(
            f"{where}: a Word file that cannot be read ({type(exc).__name__}: {' '.join(str(exc).split())[:200]}); "
            "save it again as .docx or as text, then import it (`python -m analysis corpus import FILE --doc DOC_ID`)"
        ) from exc
