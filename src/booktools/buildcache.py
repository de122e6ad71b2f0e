"""Invalidate the book's execution cache when anything a notebook reads has changed.

jupyter-cache keys a notebook on its code cells only, so a change to ``data/``, to this package,
to the lock file or to the corpus on disk would otherwise leave stale outputs in the book. Before
every build, :func:`check_execution_cache` hashes all of those inputs; when the hash differs from the
one stored beside the cache, the cache and Sphinx's saved environment are deleted, so every page is
read again and every notebook runs again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import analysis
from analysis.fileio import atomic_write_text
from analysis.paths import BUILD_DIR, DATA_DIR, PROJECT_ROOT, mirror_dir

EXECUTION_CACHE = BUILD_DIR / ".jupyter_cache"
DOCTREES = BUILD_DIR / ".doctrees"  # Sphinx's environment: without it, every page is read (and executed) again
STAMP = BUILD_DIR / ".jupyter_cache.inputs"
_PACKAGE_DIR = Path(analysis.__file__).resolve().parent  # what the notebooks import


def _files(folder: Path, patterns: Iterable[str] = ("**/*",)) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in folder.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return sorted(found)


def inputs_fingerprint(mirror: str | os.PathLike[str] | None = None) -> str:
    """SHA-256 over the package, committed data, acquired texts, the mirror and the lock file."""
    h = hashlib.sha256()
    roots = [_PACKAGE_DIR, DATA_DIR]
    mdir = mirror_dir(mirror)
    if mdir is not None and mdir.is_dir():
        roots.append(mdir)
    h.update(f"mirror={mdir}\n".encode())
    for root in roots:
        for path in _files(root):
            h.update(str(path.relative_to(root)).encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    for name in ("requirements.lock", "_config.yml"):
        path = PROJECT_ROOT / name
        if path.is_file():
            h.update(name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def check_execution_cache(mirror: str | os.PathLike[str] | None = None) -> str:
    """Clear the execution cache if its inputs changed; returns a one-line report."""
    current = inputs_fingerprint(mirror)
    previous = STAMP.read_text(encoding="utf-8").strip() if STAMP.is_file() else None
    if previous == current:
        return f"execution cache kept (inputs {current[:12]} unchanged)"
    # Both go: an emptied execution cache alone would not make Sphinx re-read notebooks whose source is unchanged.
    for stale in (EXECUTION_CACHE, DOCTREES):
        if stale.exists():
            shutil.rmtree(stale)
    atomic_write_text(STAMP, current + "\n")
    reason = "first build" if previous is None else "inputs changed"
    return f"execution cache cleared ({reason}; inputs now {current[:12]})"
