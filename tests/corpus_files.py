"""SYNTHETIC PDF and Word files for the corpus tests, written here, loopback HTTP servers, and the
scaffolding the corpus tests share: download options, sessions, fetches, manifests, mirrors and
command-line arguments.

:func:`make_pdf` writes a minimal PDF by hand: every line is placed with its own text matrix in a
Type0 font whose ``ToUnicode`` map sends each two-byte code to the Unicode character of the same
number, so pypdf reads the text layer back (Chinese and English) without any font file. A page
without lines has no text layer, like a scanned page. :func:`make_docx` writes a .docx with
python-docx. :func:`write_manifest` writes a synthetic manifest, :func:`manifest_row` makes one row
for the acceptance checks and :func:`copy_mirror` copies the synthetic mirror. :class:`LoopbackServer`
serves on 127.0.0.1 (:class:`Server`: a table of routes); :data:`FAST`, :func:`loopback_session` and
:func:`fetch_online` download from it. No real document is used.
"""

from __future__ import annotations

import io
import shutil
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

import pandas as pd

from analysis.corpus import HttpOptions, fetch
from analysis.corpus.manifest import MANIFEST_COLUMNS, OPTIONAL_COLUMNS
from analysis.corpus.sources import make_session

PAGE_HEIGHT = 842
#: The synthetic mirror of the corpus tests (``tests/fixtures/corpus/mirror``).
FIXTURE_MIRROR = Path(__file__).parent / "fixtures" / "corpus" / "mirror"

#: Download options for the loopback servers: no retries, a short deadline, never the Internet Archive.
FAST = HttpOptions(connect_timeout=1.0, read_timeout=2.0, retries=0, backoff=0.0, deadline=10.0, archive_base="")


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


def copy_mirror(tmp_path: Path, manifest: str | None = None, name: str = "mirror") -> Path:
    """A writable copy of :data:`FIXTURE_MIRROR` at ``tmp_path / name``; ``manifest``, when given, replaces its
    ``manifest.csv``."""
    mirror = Path(shutil.copytree(FIXTURE_MIRROR, tmp_path / name))
    if manifest is not None:
        (mirror / "manifest.csv").write_text(manifest, encoding="utf-8")
    return mirror


def manifest_row(**values: str) -> pd.Series:
    """One manifest row with the columns the acceptance checks read (a Chinese document without title,
    short titles, number or length floor of its own), then ``values``."""
    row = {"doc_id": "x", "language": "zh", "title_zh": "", "title_en": "", "short_titles": "", "doc_number": ""}
    return pd.Series({**row, "min_chars": "", **values})


def fill_disk_for(monkeypatch: Any, prefix: str) -> None:
    """Make every cache write of a file whose name starts with ``prefix`` fail as on a full disk (ENOSPC)."""
    import errno

    from analysis.corpus import cache

    real = cache.atomic_write_bytes

    def full(path: Path, data: bytes) -> None:
        if path.name.startswith(prefix):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(cache, "atomic_write_bytes", full)


def corpus_args(manifest: Path | str, cache_dir: Path, mirror: Path | str = "") -> list[str]:
    """The ``--manifest``, ``--cache-dir`` and ``--mirror`` arguments of a ``corpus`` command (``""``: no mirror)."""
    return ["--manifest", str(manifest), "--cache-dir", str(cache_dir), "--mirror", str(mirror)]


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


WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def make_docx_xml(body: str, *, compress: bool = True) -> bytes:
    """A .docx package whose ``word/document.xml`` holds ``body`` (WordprocessingML inside ``<w:body>``, prefixes
    ``w`` and ``mc``), written by hand for what python-docx cannot write (tracked changes, content controls)."""
    import zipfile

    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{WORD_NS}" '
        f'xmlns:mc="{MC_NS}"><w:body>{body}</w:body></w:document>'
    )
    out = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", method) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 (an ephemeral port, or ``port``) that counts the paths asked for
    (``hits``) and answers each request with :meth:`answer`; ``with`` serves while the block runs."""

    def __init__(self, port: int = 0) -> None:
        self.hits: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # keep stderr silent
                pass

            def do_GET(self) -> None:
                server.hits[self.path] += 1
                server.answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        # a short poll interval: shutdown() waits for it, and every test that serves stops a server
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def respond(
    request: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> None:
    """Send one whole answer: status, ``headers``, the length and ``body`` (a client that gave up is no error)."""
    request.send_response(status)
    for key, value in (headers or {}).items():
        request.send_header(key, value)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    try:
        request.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
        pass


class Server(LoopbackServer):
    """A loopback server answering ``routes``: path → (status, content type, body); any other path: 404."""

    def __init__(self, port: int = 0) -> None:
        super().__init__(port)
        self.routes: dict[str, tuple[int, str, bytes]] = {}

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        status, ctype, body = self.routes.get(
            request.path, (404, "text/html", b"<html><body>404 Not Found</body></html>")
        )
        respond(request, status, body, {"Content-Type": ctype})


def serving(port: int = 0) -> Server:
    """A :class:`Server` with no routes yet (on ``port``, default an ephemeral one), to use as ``with serving() as site:``."""
    return Server(port)


def loopback_session(options: HttpOptions = FAST) -> Any:
    """A download session with the retries of ``options`` and no proxy from the environment (for 127.0.0.1)."""
    session = make_session(options)
    session.trust_env = False
    return session


def fetch_online(
    manifest: Path, cache_dir: Path, session: Any, *, mirror: Path | str | None = None, **kwargs: Any
) -> pd.DataFrame:
    """:func:`analysis.corpus.fetch` with the network (never offline), no progress bar and ``options=FAST``
    unless ``kwargs`` say otherwise."""
    kwargs.setdefault("options", FAST)
    return fetch(
        mirror, manifest=manifest, cache_dir=cache_dir, session=session, progress=False, offline=False, **kwargs
    )


def real_mirror() -> Path:
    """The shared mirror of real texts beside the checkout (``../shared/corpus``); the calling test is skipped when
    there is none, or when this data state is synthetic (its manifest then carries the synthetic texts' hashes).
    Real texts are read from it at test time and never written into the repository."""
    import pytest

    from analysis.datastate import synthetic_documents
    from analysis.io.paths import PROJECT_ROOT

    mirror = (PROJECT_ROOT.parent / "shared" / "corpus").resolve()
    if not (mirror / "manifest.csv").is_file():
        pytest.skip("not reproducible here: no shared corpus mirror beside the checkout")
    if synthetic_documents():
        pytest.skip("the data state is synthetic: the manifest's hashes are those of the synthetic texts")
    return mirror
