"""Serve a built book on 127.0.0.1 with an ephemeral port, from a background thread.

The browser test needs HTTP rather than ``file://`` (the site search loads ``searchindex.js`` with a
script tag and fonts load with CORS rules that ``file://`` does not satisfy). ``.ipynb`` is served as
``application/x-ipynb+json`` so that a browser downloads the notebook instead of showing it.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MIME_TYPES: dict[str, str] = {
    ".ipynb": "application/x-ipynb+json",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".json": "application/json",
    ".inv": "application/octet-stream",
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that logs nothing and knows the book's file types."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        pass


@contextlib.contextmanager
def serve_directory(root: Path, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``root`` over HTTP on ``host`` and a free port; yields the base URL (ending with ``/``)."""
    root = Path(root).resolve()
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"{root} has no index.html: build the book first (`make book`)")
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
