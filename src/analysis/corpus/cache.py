"""The local cache ``data/raw/`` (git-ignored): every accepted text with its provenance, and failed attempts.

Layout:

``<doc_id>.doc.txt``
    One file per document: a first line ``#provenance {json}`` then the normalised text (UTF-8).
    The provenance names the origin (``mirror``, ``url``, ``imported`` or ``synthetic``), where the
    text came from (URL, mirror file, imported file), for a download the ``route`` that served it
    (``official``, ``reprint`` or ``archive``), its ``route_kind`` and, for an Internet Archive
    snapshot, the ``archived_url``, the raw encoding, the HTML body container,
    whether traditional characters were converted, the SHA-256 and length of the text, and for
    mirror copies the mirror file's size and modification time (so a warm ``make data`` need not
    decode it again). Text and provenance are one file, so they are replaced together, in one
    ``os.replace``; a failed or interrupted write leaves the previous copy as it was.
``<doc_id>.error.json``
    The last failed attempt to acquire a document that has no good copy: failure class, reason,
    URL, the hosts that could not be reached (class ``unreachable``) and time. ``make data`` does not
    try the network again for it until ``--refresh``, except for class ``unreachable``, which is no
    verdict on the document (see :mod:`analysis.corpus.fetching`). A file that is not such a record
    (``null``, ``42``, a list, not JSON) is treated as missing, and :func:`error_record_problem` says so in one line.
``.lock``
    The lock (:mod:`filelock`) held while a document's files are written, so two fetches cannot
    interleave.

Copies written before this layout (``<doc_id>.txt`` with a ``<doc_id>.json`` sidecar) are read too,
and ``make data`` rewrites them in the new layout.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from pathlib import Path
from typing import Any

from analysis.corpus.accept import caveats
from analysis.corpus.errors import CacheWriteError, SourceError, TruncatedDocumentError
from analysis.corpus.sources import Acquired, display_path
from analysis.io.fileio import atomic_write_bytes, atomic_write_text
from analysis.io.paths import RAW_ERROR_SUFFIX, RAW_LOCK_FILE, RAW_TEXT_SUFFIX
from analysis.io.text import NORMALIZATION_VERSION, text_sha256

HEADER = "#provenance "
LOCK_TIMEOUT = 120.0


def cache_file(doc_id: str, cache_dir: Path) -> Path:
    """The cached copy of ``doc_id`` (text with its provenance header)."""
    return cache_dir / f"{doc_id}{RAW_TEXT_SUFFIX}"


def error_file(doc_id: str, cache_dir: Path) -> Path:
    """The record of ``doc_id``'s last failed acquisition."""
    return cache_dir / f"{doc_id}{RAW_ERROR_SUFFIX}"


def legacy_files(doc_id: str, cache_dir: Path) -> tuple[Path, Path]:
    """``(text, sidecar)`` of the layout used before provenance headers."""
    return cache_dir / f"{doc_id}.txt", cache_dir / f"{doc_id}.json"


def provenance(doc_id: str, cache_dir: Path) -> dict[str, Any] | None:
    """The provenance header of ``doc_id``'s cached copy (first line only), ``None`` when absent or unreadable
    (not JSON, or JSON that is not an object, such as ``#provenance [1, 2]``)."""
    try:
        with cache_file(doc_id, cache_dir).open("rb") as fh:
            first = fh.readline().decode("utf-8")
        meta = json.loads(first[len(HEADER) :]) if first.startswith(HEADER) else None
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def _from_meta(doc_id: str, text: str, meta: dict[str, Any], location: str) -> Acquired:
    return Acquired(
        doc_id,
        text,
        str(meta.get("origin") or ("url" if meta.get("url") else "mirror")),
        location,
        str(meta.get("encoding", "")),
        str(meta.get("container", "")),
        bool(meta.get("converted_t2s", False)),
        str(meta.get("origin_location") or meta.get("url", "")),
        str(meta.get("route", "")),
        str(meta.get("route_kind", "")),
        str(meta.get("final_url", "")),
    )


def read_cache(doc_id: str, cache_dir: Path) -> Acquired | None:
    """The cached text of ``doc_id``, ``None`` if there is none; raises if the cached copy is damaged."""
    path = cache_file(doc_id, cache_dir)
    if not path.is_file():
        return None
    where = f"{doc_id}: cached copy {display_path(path)}"
    fix = f"delete {display_path(path)} and run `make data`"
    data = path.read_bytes()
    head, sep, body = data.partition(b"\n")
    try:
        header = head.decode("utf-8")
        meta = json.loads(header[len(HEADER) :]) if header.startswith(HEADER) else None
    except (UnicodeDecodeError, ValueError):
        meta = None
    if not isinstance(meta, dict) or not sep:
        raise SourceError(f"{where} has no readable provenance header; {fix}", kind="bad cache")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        cut = exc.reason == "unexpected end of data"
        raise (TruncatedDocumentError if cut else SourceError)(
            f"{where} is not valid UTF-8 at byte {exc.start + len(head) + 1}"
            + (" (it is truncated)" if cut else "")
            + f"; {fix}",
            **({} if cut else {"kind": "bad cache"}),
        ) from exc
    if text_sha256(text) != meta.get("sha256"):
        raise TruncatedDocumentError(
            f"{where} does not match its provenance (sha256 {text_sha256(text)[:12]}…, recorded "
            f"{str(meta.get('sha256'))[:12]}…): the file is truncated or was edited; {fix}"
        )
    return _from_meta(doc_id, text, meta, display_path(path))


def _lock(cache_dir: Path) -> Any:
    from filelock import FileLock

    return FileLock(str(cache_dir / RAW_LOCK_FILE), timeout=LOCK_TIMEOUT)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _write_error(doc_id: str, path: Path, exc: OSError) -> CacheWriteError:
    why = os.strerror(exc.errno) if exc.errno else str(exc)
    if exc.errno == errno.ENOSPC:
        fix = "free some disk space and run `make data` again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = f"make {display_path(path.parent)} writable (or remove it) and run `make data` again"
    else:
        fix = "check the folder and run `make data` again"
    return CacheWriteError(
        f"{doc_id}: cannot write {display_path(path)} ({why}); the previous copy, if any, is unchanged; {fix}",
        errno=exc.errno,
    )


def write_cache(acquired: Acquired, cache_dir: Path, extra: dict[str, Any] | None = None) -> Path:
    """Store an accepted text with its provenance in one atomic replace, under the cache lock.

    Clears the document's error record and any copy in the old layout. Raises
    :class:`CacheWriteError` (naming the document, the file and the fix) when the cache cannot be written.
    """
    path = cache_file(acquired.doc_id, cache_dir)
    meta = {
        "doc_id": acquired.doc_id,
        "origin": acquired.source,
        "origin_location": acquired.origin or acquired.location,
        "encoding": acquired.encoding,
        "container": acquired.container,
        "converted_t2s": acquired.converted_t2s,
        "sha256": acquired.sha256,
        "chars": acquired.chars,
        "normalization_version": NORMALIZATION_VERSION,
        "acquired_at": _now(),
        **(extra or {}),
    }
    if acquired.source == "url":
        meta["url"] = meta["origin_location"]
    if acquired.route:
        meta["route"], meta["route_kind"] = acquired.route, acquired.route_kind
    if acquired.final_url:
        meta["final_url"] = acquired.final_url  # after redirects
    found = caveats(acquired.text)
    if found:
        meta["caveats"] = found
    data = (HEADER + json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n" + acquired.text).encode("utf-8")
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with _lock(cache_dir):
            atomic_write_bytes(path, data)
            error_file(acquired.doc_id, cache_dir).unlink(missing_ok=True)
            for old in legacy_files(acquired.doc_id, cache_dir):
                old.unlink(missing_ok=True)
    except OSError as exc:
        raise _write_error(acquired.doc_id, path, exc) from exc
    return path


def remove_cache(doc_id: str, cache_dir: Path) -> None:
    """Remove ``doc_id``'s cached copy (under the lock), e.g. an import withdrawn because two files claim it."""
    path = cache_file(doc_id, cache_dir)
    try:
        with _lock(cache_dir):
            path.unlink(missing_ok=True)
    except OSError as exc:
        raise _write_error(doc_id, path, exc) from exc


def write_error_record(doc_id: str, cache_dir: Path, record: dict[str, Any]) -> None:
    """Remember why the last attempt to acquire ``doc_id`` failed (``class``, ``message``, ``url``; ``time`` is added)."""
    path = error_file(doc_id, cache_dir)
    record = {"doc_id": doc_id, "time": _now(), **record}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with _lock(cache_dir):
            atomic_write_text(path, json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    except OSError as exc:
        raise _write_error(doc_id, path, exc) from exc


def _error_record(doc_id: str, cache_dir: Path) -> tuple[dict[str, Any] | None, str | None]:
    """``(record, problem)``: the failure record of ``doc_id``, or ``None`` and one line saying why a file
    that is there is not a record (``(None, None)`` when there is no file)."""
    path = error_file(doc_id, cache_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        what = f"cannot be read ({exc.strerror or exc})"
    else:
        try:
            record = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            what = "is not JSON"
        else:
            kind = record.get("class", record.get("kind")) if isinstance(record, dict) else None
            if isinstance(kind, str) and kind:
                return record, None
            shown = json.dumps(record, ensure_ascii=False)
            what = f"holds {shown[:40]}{'…' if len(shown) > 40 else ''}, not a failure record with a class"
    return None, (
        f"warning: {display_path(path)} {what}; ignored, {doc_id} counts as never tried "
        "(the next `make data` replaces the file)"
    )


def read_error_record(doc_id: str, cache_dir: Path) -> dict[str, Any] | None:
    """The last failed acquisition of ``doc_id``, if one is recorded (a damaged record counts as none)."""
    return _error_record(doc_id, cache_dir)[0]


def error_record_problem(doc_id: str, cache_dir: Path) -> str | None:
    """One warning line when ``doc_id``'s failure record is there but damaged (it is treated as missing)."""
    return _error_record(doc_id, cache_dir)[1]


def clear_error_record(doc_id: str, cache_dir: Path) -> None:
    """Forget ``doc_id``'s failed attempt (``--refresh`` does this before trying again)."""
    try:
        error_file(doc_id, cache_dir).unlink(missing_ok=True)
    except OSError:
        pass
