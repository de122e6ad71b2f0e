"""The mirror: a folder with ``manifest.csv`` and ``texts/`` (``CORPUS_MIRROR``, ``--mirror``).

The mirror's ``manifest.csv`` is optional (without it, ``texts/<doc_id>.txt`` is looked for) and is
checked like ours (its schema is declared in :mod:`analysis.io.registry`): a duplicate ``doc_id``, two
documents with the same ``sha256``, a column that the book does not know, or a ``file`` outside the mirror
(absolute, or climbing out with ``..``; symbolic links inside the mirror, such as a ``texts/`` that links to
another disk, are followed) raise a :class:`~analysis.corpus.errors.ManifestError`
naming the line. A row whose ``doc_id`` the book's manifest does not list is ignored, not an error: a
reader's mirror may hold more documents than ours knows (:func:`unknown_ids` names them, and
``corpus fetch`` says so in one warning line). A row whose ``copy_source`` starts
with ``synthetic`` (any case) marks a synthetic text: its origin is ``synthetic`` wherever it is
read from later.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.corpus.errors import CorpusError, ManifestError
from analysis.corpus.sources import Acquired, display_path, read_local_file, text_from_bytes
from analysis.io import registry

#: The registry's name of a mirror's manifest (:data:`analysis.io.registry.OUTSIDE`).
MIRROR_TABLE = "<mirror>/manifest.csv"
#: Columns a mirror manifest may have: ours, plus ``file`` (relative path of the text), ``chars`` and ``sha256``.
MIRROR_COLUMNS: frozenset[str] = frozenset(registry.schema_of(MIRROR_TABLE).names)
SYNTHETIC_PREFIX = "synthetic"


@dataclass(frozen=True)
class MirrorEntry:
    """One row of a mirror manifest."""

    file: str  # relative path; "" → texts/<doc_id>.txt
    origin: str  # "mirror" or "synthetic"
    line: int


def usable(mirror: Path | None) -> Path | None:
    """``mirror`` when it is a folder, else ``None``."""
    return mirror if mirror is not None and mirror.is_dir() else None


def mirror_entries(mirror: Path, known_ids: Iterable[str] | None = None) -> dict[str, MirrorEntry]:
    """The mirror's manifest, checked (see the module); ``{}`` when the mirror has none.

    With ``known_ids``, rows of other documents are left out (see :func:`unknown_ids`).
    """
    return _checked(mirror, known_ids)[0]


def unknown_ids(mirror: Path, known_ids: Iterable[str]) -> tuple[str, ...]:
    """The ids of the mirror's manifest that ``known_ids`` (the book's manifest) does not list, sorted."""
    return _checked(mirror, known_ids)[1]


def unknown_ids_warning(mirror: Path, known_ids: Iterable[str]) -> str | None:
    """One warning line naming the mirror's documents that the book does not know; ``None`` when there are none."""
    extra = unknown_ids(mirror, known_ids)
    if not extra:
        return None
    shown = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
    return (
        f"warning: {display_path(mirror / 'manifest.csv')} lists {len(extra)} document(s) that "
        f"the book's manifest does not: {shown}; they are ignored (add a row to data/corpus/manifest.csv to use one)"
    )


def _checked(mirror: Path, known_ids: Iterable[str] | None) -> tuple[dict[str, MirrorEntry], tuple[str, ...]]:
    path = mirror / "manifest.csv"
    try:
        stat = path.stat()
    except OSError:
        return {}, ()
    known = frozenset(known_ids) if known_ids is not None else None
    return _entries(str(path), stat.st_size, stat.st_mtime_ns, known)


@functools.lru_cache(maxsize=8)
def _entries(
    path_str: str, size: int, mtime_ns: int, known: frozenset[str] | None
) -> tuple[dict[str, MirrorEntry], tuple[str, ...]]:
    def outside(df: pd.DataFrame) -> list[str]:
        return [
            f"line {i + 2}, file={rel!r}: the text of {doc_id} points outside the mirror; give a path inside it "
            f"(texts/{doc_id}.txt)"
            for i, (doc_id, rel) in enumerate(zip(df["doc_id"], df["file"], strict=True))
            if rel and not _inside(rel) and (known is None or doc_id in known)
        ]

    # the schema (analysis.io.registry): the known columns, doc_id once, no sha256 twice; files inside the mirror
    df = registry.read_registered(MIRROR_TABLE, path=Path(path_str), error=ManifestError, more=outside)
    lines = {doc_id: i + 2 for i, doc_id in enumerate(df["doc_id"])}
    extra = sorted(d for d in lines if known is not None and d not in known)
    out = {
        doc_id: MirrorEntry(
            rel, "synthetic" if source.lower().startswith(SYNTHETIC_PREFIX) else "mirror", lines[doc_id]
        )
        for doc_id, rel, source in zip(df["doc_id"], df["file"], df["copy_source"], strict=True)
        if known is None or doc_id in known
    }
    return out, tuple(extra)


def _inside(rel: str) -> bool:
    """True when the relative path ``rel`` stays inside the folder it is relative to (as written: links are
    not followed, so a ``texts/`` that is a symbolic link is inside)."""
    norm = os.path.normpath(rel)
    return not os.path.isabs(rel) and norm != os.curdir and norm.split(os.sep)[0] != os.pardir


@functools.lru_cache(maxsize=16)
def _root(mirror: Path) -> Path:
    return mirror.resolve()


def mirror_path(doc_id: str, mirror: Path, entries: dict[str, MirrorEntry] | None = None) -> Path:
    """Where the mirror keeps ``doc_id``: its manifest's ``file`` entry, else ``texts/<doc_id>.txt``."""
    entry = (entries or {}).get(doc_id)
    rel = (entry.file if entry else "") or f"texts/{doc_id}.txt"
    root = _root(mirror)
    path = Path(os.path.normpath(root / rel))
    if not _inside(rel):
        raise CorpusError(
            f"{mirror / 'manifest.csv'}: file {rel!r} of {doc_id} points outside the mirror; fix the entry"
        )
    return path


def mirror_stat(
    doc_id: str, mirror: Path, entries: dict[str, MirrorEntry] | None = None
) -> tuple[Path, int, int] | None:
    """``(path, size, mtime_ns)`` of the mirror's file for ``doc_id``, ``None`` when it has none."""
    path = mirror_path(doc_id, mirror, entries)
    try:
        stat = path.stat()
    except OSError:
        return None
    if not path.is_file():
        return None
    return path, stat.st_size, stat.st_mtime_ns


def read_mirror(doc_id: str, mirror: Path, entries: dict[str, MirrorEntry] | None = None) -> Acquired | None:
    """The mirror's text of ``doc_id`` (a UTF-8/GBK text or HTML file), ``None`` if the mirror lacks it.

    Memoised per process on the file's path, size and modification time, so that a notebook calling
    :func:`~analysis.corpus.load_corpus` and :func:`~analysis.corpus.coverage` decodes each file once.
    """
    found = mirror_stat(doc_id, mirror, entries)
    if found is None:
        return None
    entry = (entries or {}).get(doc_id)
    return _read_mirror_file(doc_id, str(found[0]), found[1], found[2], entry.origin if entry else "mirror")


@functools.lru_cache(maxsize=512)
def _read_mirror_file(doc_id: str, path: str, size: int, mtime_ns: int, origin: str) -> Acquired:
    shown = display_path(Path(path))
    where = f"{doc_id}: mirror file {shown}"
    acquired = text_from_bytes(doc_id, read_local_file(Path(path), where), where, source=origin, location=shown)
    acquired.origin = shown
    return acquired
