"""Atomic file writes: a failed write leaves no partial file and never replaces a good one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, then ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """UTF-8 text version of :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def files_under(folder: Path, skip: Iterable[str] = ()) -> list[Path]:
    """Every entry under ``folder`` that is not a folder, sorted, following symbolic links: a symlinked folder
    (``data/raw`` itself, or ``texts/`` in a mirror) is read like a real one, and a symlinked file is its target.
    Each real folder is entered once, so a link loop ends; folders named in ``skip`` are not entered."""
    skipped = set(skip)
    found: list[Path] = []
    seen: set[str] = set()
    for top, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if d not in skipped)
        found.extend(Path(top, name) for name in names)
    return sorted(found)
