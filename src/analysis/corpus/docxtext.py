"""From a Word file (.docx) to its text, with python-docx.

python-docx is the maintained reader of the Office Open XML word-processing format (MIT licence, pure
Python on lxml, already in the lock). The body is read in document order: each paragraph is a line,
each table row a line with its cells separated by a tab (a cell merged over several columns counts
once). Page headers and footers are kept out (they are not part of the body), so a Word file needs
none of the PDF rules of :mod:`analysis.corpus.pdftext`. Old binary ``.doc`` files are not read: they
stay :class:`~analysis.corpus.errors.BinaryContentError` ("an OLE file").
"""

from __future__ import annotations

import io
import zipfile

from analysis.corpus.errors import BinaryContentError


def is_docx(data: bytes) -> bool:
    """True when ``data`` is a ZIP archive holding ``word/document.xml`` (a .docx file)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def docx_text(data: bytes, where: str) -> str:
    """The body text of the .docx ``data`` (read from ``where``, named in errors), before normalisation."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, document).text)
            elif tag == "tbl":
                for row in Table(child, document).rows:
                    cells: list[str] = []
                    seen: list[object] = []
                    for cell in row.cells:
                        if any(cell._tc is s for s in seen):  # a merged cell is listed once per column it spans
                            continue
                        seen.append(cell._tc)
                        cells.append(cell.text.strip())
                    lines.append("\t".join(cells))
    except (
        KeyError,
        ValueError,
        AttributeError,
        zipfile.BadZipFile,
        OSError,
        PackageNotFoundError,
        etree.LxmlError,
    ) as exc:
        raise BinaryContentError(
            f"{where}: a Word file that cannot be read ({type(exc).__name__}: {exc}); save it again as .docx or as text, "
            "then import it (`python -m analysis corpus import FILE --doc DOC_ID`)"
        ) from exc
    return "\n".join(lines)
