"""Invalidate the book's execution cache when anything a notebook reads has changed.

jupyter-cache keys a notebook on its code cells only, so a change to ``data/``, to the ``analysis``
package, to the lock file or to the corpus on disk would otherwise leave stale outputs in the book.
Before every build, :func:`check_execution_cache` hashes all of those inputs (and the ``execute:``
section of ``_config.yml``); when the hash differs from the one stored beside the cache, the cache and
Sphinx's saved environment are deleted, so every page is read again and every notebook runs again.

What is *not* an input of execution: book pages, the Markdown cells of notebooks, the rest of
``_config.yml``, ``_toc.yml`` and :mod:`booktools` (the Sphinx extension). Changing them rebuilds pages
(Sphinx tracks them) and never re-executes a notebook. :func:`digest_files` is shared with
:mod:`booktools.build`, whose stamp covers every input of the book.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import analysis
from analysis.io.fileio import atomic_write_text, files_under
from analysis.io.paths import (
    BUILD_DIR,
    DATA_DIR,
    PROJECT_ROOT,
    RAW_ATTEMPT_FIELDS,
    RAW_BOOKKEEPING,
    RAW_ERROR_SUFFIX,
    mirror_dir,
)

EXECUTION_CACHE = BUILD_DIR / ".jupyter_cache"
DOCTREES = BUILD_DIR / ".doctrees"  # Sphinx's environment: without it, every page is read (and executed) again
STAMP = BUILD_DIR / ".jupyter_cache.inputs"
_PACKAGE_DIR = Path(analysis.__file__).resolve().parent  # what the notebooks import
_SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints"}


def _files(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted, through symbolic links (:func:`analysis.io.fileio.files_under`)."""
    return files_under(folder, skip=_SKIP_PARTS)


def digest_files(h: hashlib._Hash, label: str, root: Path) -> None:
    """Feed ``h`` with the relative name and content hash of every file under ``root`` (a file or a folder),
    through symbolic links (a dangling link, or a file that vanished meanwhile, counts as its name alone)."""
    root = Path(root)
    h.update(f"\0{label}\0".encode())
    if root.is_file():
        h.update(hashlib.sha256(root.read_bytes()).digest())
        return
    if not root.is_dir():
        h.update(b"absent")
        return
    for path in _files(root):
        if path.name in RAW_BOOKKEEPING:  # the fetch's own state and its lock: never inputs
            continue
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        try:
            h.update(hashlib.sha256(_content(path)).digest())
        except OSError:  # a dangling link, a folder we cannot read, a file removed while we walk
            h.update(b"unreadable")


def _content(path: Path) -> bytes:
    """What of ``path`` a build depends on: its bytes, except for a failure record (``*.error.json``), whose
    attempt fields (:data:`analysis.io.paths.RAW_ATTEMPT_FIELDS`: its time and message) are left out. A ``make data``
    that again cannot reach a host rewrites the record, and words the message differently from run to run; that
    must not execute every notebook again. A record that is not a JSON object counts by its bytes."""
    data = path.read_bytes()
    if path.name.endswith(RAW_ERROR_SUFFIX):
        try:
            record = json.loads(data)
        except ValueError:
            return data
        if isinstance(record, dict):
            for field in RAW_ATTEMPT_FIELDS:
                record.pop(field, None)
            return json.dumps(record, sort_keys=True, ensure_ascii=False).encode()
    return data


def _execute_settings(config: Path) -> str:
    """The ``execute:`` section of ``_config.yml`` as canonical JSON (timeouts and error handling)."""
    import yaml

    if not config.is_file():
        return "{}"
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    return json.dumps(data.get("execute") or {}, sort_keys=True, default=str)


def inputs_fingerprint(mirror: str | os.PathLike[str] | None = None) -> str:
    """SHA-256 over what executed notebooks depend on: the ``analysis`` package, ``data/`` (with the acquired
    texts in ``data/raw``), the mirror, the lock file and the execution settings of ``_config.yml``."""
    h = hashlib.sha256()
    mdir = mirror_dir(mirror)
    h.update(f"mirror={mdir}\n".encode())
    digest_files(h, "package", _PACKAGE_DIR)
    digest_files(h, "data", DATA_DIR)
    if mdir is not None:
        digest_files(h, "mirror", mdir)
    digest_files(h, "requirements.lock", PROJECT_ROOT / "requirements.lock")
    h.update(b"\0execute\0" + _execute_settings(PROJECT_ROOT / "_config.yml").encode())
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


def drop_unreadable_executions(cache_path: Path | None = None) -> list[str]:
    """Remove the executions whose stored notebook cannot be read; returns their notebooks' paths.

    jupyter-cache creates a record before it writes the notebook beside it, so a build killed in between
    leaves a record that matches and a notebook that is missing or cut short; MyST-NB would then fail on it
    instead of executing. :func:`booktools.build.build` calls this after an interrupted build.
    """
    cache_path = EXECUTION_CACHE if cache_path is None else cache_path
    if not cache_path.exists():
        return []
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.cache.db import NbCacheRecord

    cache = get_cache(str(cache_path))
    dropped = []
    for record in cache.list_cache_records():
        path = cache._get_notebook_path_cache(record.hashkey)  # jupyter-cache has no public name for it
        try:
            nbformat.read(path, as_version=4)
        except Exception:  # missing, cut short, not JSON, not a notebook: never served
            shutil.rmtree(path.parent, ignore_errors=True)
            NbCacheRecord.remove_records([record.pk], cache.db)
            dropped.append(str(record.uri))
    return dropped
