"""What the last HTML build left in ``_build``, so that ``make book`` never takes a stale or damaged book for
an up-to-date one.

Two records, each one JSON file written in one ``os.replace``:

* :data:`STAMP` (``_build/.book.inputs``): written only after a successful HTML build, and removed before a
  build writes anything, so an interrupted or failed build is never taken for up to date. It holds the digest
  of the build's inputs (:func:`booktools.build.book_digest`) and a manifest of every file of ``_build/html``
  (size, modification time, SHA-256): :func:`damaged` stats each file and hashes only those whose size or time
  moved, so a deleted page, a deleted ``_static`` or an edited output is noticed in a few milliseconds.
* :data:`SPHINX_RECORD` (``_build/.doctrees/booktools-html.json``): written whenever Sphinx's HTML run
  completed (with errors too), removed when a build starts. It says that ``_build/html`` holds what Sphinx's
  saved environment describes, and keeps the SHA-256 of each page's source as Sphinx read it
  (:func:`booktools.sphinxbuild.source_hashes`). Without it (a build was interrupted, or ``make pdf`` ran Sphinx
  on the same environment), or when the output no longer matches its manifest, the next build does not trust
  what Sphinx kept (:func:`booktools.build.prepare_html`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analysis.io.fileio import atomic_write_text
from analysis.io.paths import BUILD_DIR

STAMP = BUILD_DIR / ".book.inputs"
SPHINX_RECORD = BUILD_DIR / ".doctrees" / "booktools-html.json"
HTML_DIR = BUILD_DIR / "html"

#: relative POSIX path → [size, mtime_ns, sha256]
Manifest = dict[str, list[Any]]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest(html_dir: Path, previous: Mapping[str, list[Any]] | None = None) -> Manifest:
    """Every file under ``html_dir`` with its size, modification time and SHA-256 (taken from ``previous``
    when size and time are unchanged)."""
    out: Manifest = {}
    previous = previous or {}
    for top, dirs, names in os.walk(html_dir):
        dirs.sort()
        for name in sorted(names):
            path = Path(top, name)
            rel = path.relative_to(html_dir).as_posix()
            st = path.stat()
            old = previous.get(rel)
            same = old is not None and old[0] == st.st_size and old[1] == st.st_mtime_ns
            out[rel] = [st.st_size, st.st_mtime_ns, old[2] if same else _sha256(path)]
    return out


def damaged(html_dir: Path, files: Mapping[str, list[Any]], *, first: bool = False) -> list[str]:
    """The files of ``files`` (a :func:`manifest`) that ``html_dir`` lacks or holds with other content (only
    the first one found with ``first``). A file whose size and time are unchanged is not read."""
    bad = []
    for rel, (size, mtime_ns, sha) in files.items():
        path = html_dir / rel
        try:
            st = path.stat()
            ok = st.st_size == size and (st.st_mtime_ns == mtime_ns or _sha256(path) == sha)
        except OSError:
            ok = False
        if not ok:
            bad.append(rel)
            if first:
                break
    return bad


def notebook_code(path: Path) -> tuple[str, str] | None:
    """``(kernel name, SHA-256 of the code cells' sources)`` of the notebook at ``path``, read as plain JSON (no
    schema check: a fraction of nbformat's cost); ``None`` when it cannot be read. Markdown cells do not count, so
    a prose edit leaves it unchanged. The build only uses it to guess which notebook will need a kernel
    (:class:`booktools.kernels.EarlyKernel`); jupyter-cache decides what is executed."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        kernel = str(nb.get("metadata", {}).get("kernelspec", {}).get("name", "python"))
        h = hashlib.sha256(kernel.encode() + b"\0")
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code":
                source = cell.get("source", "")
                h.update(("".join(source) if isinstance(source, list) else str(source)).encode() + b"\0")
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    return kernel, h.hexdigest()


def code_digests(notebooks: Iterable[Path], root: Path) -> dict[str, str]:
    """Path relative to ``root`` → code digest (:func:`notebook_code`) of each readable notebook."""
    out = {}
    for path in notebooks:
        code = notebook_code(path)
        if code is not None:
            out[Path(path).relative_to(root).as_posix()] = code[1]
    return out


def code_changed(notebooks: Iterable[Path], recorded: Mapping[str, Any] | None, root: Path) -> list[Path]:
    """The ``notebooks`` whose code differs from ``recorded`` (:func:`code_digests` of the last completed Sphinx run,
    kept in :data:`SPHINX_RECORD`), in the order given; none without a record (nor an unreadable notebook)."""
    if not recorded:
        return []
    notebooks = list(notebooks)
    now = code_digests(notebooks, root)
    relative = [Path(p).relative_to(root).as_posix() for p in notebooks]
    return [Path(p) for p, rel in zip(notebooks, relative, strict=True) if rel in now and recorded.get(rel) != now[rel]]


def missing_pages(html_dir: Path, docnames: Iterable[str]) -> list[str]:
    """The documents (``_toc.yml`` names) whose HTML page is not in ``html_dir``."""
    return [name for name in docnames if not (html_dir / f"{name}.html").is_file()]


def read(path: Path) -> dict[str, Any] | None:
    """A record as written by :func:`write`; ``None`` when it is missing or unreadable (an older format too)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write(path: Path, **fields: Any) -> None:
    """Replace the record at ``path`` with ``fields`` in one step."""
    atomic_write_text(Path(path), json.dumps(fields, sort_keys=True, separators=(",", ":")) + "\n")


def stamp_matches(digest: str, stamp: Path = STAMP, html_dir: Path = HTML_DIR) -> bool:
    """True when the stamp records ``digest`` and ``html_dir`` still holds every output it lists."""
    record = read(stamp)
    if record is None or record.get("inputs") != digest or not isinstance(record.get("outputs"), dict):
        return False
    return bool(record["outputs"]) and not damaged(html_dir, record["outputs"], first=True)
