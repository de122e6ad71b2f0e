"""SYNTHETIC PDF and Word files for the corpus tests, written here, and a tiny loopback HTTP server.

:func:`make_pdf` writes a minimal PDF by hand: every line is placed with its own text matrix in a
Type0 font whose ``ToUnicode`` map sends each two-byte code to the Unicode character of the same
number, so pypdf reads the text layer back (Chinese and English) without any font file. A page
without lines has no text layer, like a scanned page. :func:`make_docx` writes a .docx with
python-docx. :func:`write_manifest` writes a synthetic manifest. No real document is used.
"""

from __future__ import annotations

import io
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd

from analysis.corpus.manifest import MANIFEST_COLUMNS, OPTIONAL_COLUMNS

PAGE_HEIGHT = 842


def write_manifest(path: Path, rows: list[dict[str, str]], **defaults: str) -> Path:
    """A synthetic manifest CSV: every row gets ``defaults`` (a Chinese AI plan unless overridden), then its own values."""
    columns = [*MANIFEST_COLUMNS, *OPTIONAL_COLUMNS]
    base = {c: "" for c in columns}
    base.update(
        {
            "level": "province",
            "region": "Example",
            "genre": "plan",
            "language": "zh",
            "topic": "ai",
            "title_en": "synthetic",
            **defaults,
        }
    )
    pd.DataFrame([{**base, **r} for r in rows], columns=columns).to_csv(path, index=False)
    return path


def _stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream"


def _to_unicode(chars: set[str]) -> bytes:
    codes = sorted(ord(c) for c in chars)
    blocks = []
    for i in range(0, len(codes), 100):
        chunk = codes[i : i + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(f"<{c:04X}> <{c:04X}>" for c in chunk) + "\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode()


def make_pdf(pages: list[list[str]], size: int = 10) -> bytes:
    """A PDF whose pages hold the given lines, top to bottom (an empty page: no text layer)."""
    chars = {c for page in pages for line in page for c in line} | {" "}
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # pages, filled below
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SynthSans /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        (
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SynthSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
            b"/Supplement 0 >> /FontDescriptor 6 0 R /DW 1000 >>"
        ),
        _stream(_to_unicode(chars)),
        (
            b"<< /Type /FontDescriptor /FontName /SynthSans /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 "
            b"/Descent -120 /CapHeight 700 /StemV 80 >>"
        ),
    ]
    kids = []
    for page in pages:
        ops = []
        for i, line in enumerate(page):
            y = PAGE_HEIGHT - 60 - i * (size + 6)
            ops.append(f"BT /F1 {size} Tf 1 0 0 1 50 {y} Tm <{''.join(f'{ord(c):04X}' for c in line)}> Tj ET")
        content = _stream("\n".join(ops).encode())
        objects.append(content)
        content_id = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 {PAGE_HEIGHT}] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {content_id} 0 R >>".encode()
        )
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A .docx with the paragraphs, then a table (rows of cells), written with python-docx."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉不属于正文"
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class Server:
    """A threaded HTTP server on 127.0.0.1 answering ``routes``: path → (status, content type, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.hits: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.hits[self.path] += 1
                status, ctype, body = server.routes.get(
                    self.path, (404, "text/html", b"<html><body>404 Not Found</body></html>")
                )
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


@contextmanager
def serving() -> Iterator[Server]:
    server = Server()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        thread.join(timeout=5)
