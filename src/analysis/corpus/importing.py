"""Texts a reader saved by hand: ``python -m analysis corpus import FILE [--doc DOC_ID]`` and ``data/incoming/``.

A file (plain text, an HTML page saved from a browser, in any encoding the decoder knows, a PDF with a
text layer or a Word .docx file) passes the
same checks as a download: the hash where the manifest has one, else the acceptance checks of
:mod:`analysis.corpus.accept`. It is then normalised and cached with origin ``imported``.

Which document a file is: ``--doc``, else a file name that is a ``doc_id`` (``ngaidp_2017.html``), else
the document whose ``expected_sha256`` it matches, else the one manifest document the text is accepted
for. When that is not exactly one, the error lists the candidate ids. A text that is another document's
verified text is refused (:mod:`analysis.corpus.claims`); an import with ``--doc`` records ``doc_given``
in the provenance, which settles which of two unverified documents holding one text it is.
``make data`` imports every file of the git-ignored drop folder ``data/incoming/`` that is new or changed
since its last import; two files for one document there are refused together (:func:`import_incoming`).
A file that is not a regular file (a FIFO, a device) or is larger than
:data:`~analysis.corpus.sources.MAX_BYTES` is refused in one line before it is read; plain text and
Word XML have caps of their own (:mod:`analysis.corpus.sources`, :mod:`analysis.corpus.docxtext`).
:func:`opening_of_file` is ``corpus fingerprint``: the opening fingerprint of a saved copy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.corpus.accept import identifiers, rejection
from analysis.corpus.cache import provenance, remove_cache, write_cache
from analysis.corpus.claims import verified_hashes
from analysis.corpus.core import _cache_dir, _manifest, check_text, known_texts
from analysis.corpus.errors import CorpusError
from analysis.corpus.sources import Acquired, display_path, read_local_file, text_from_bytes
from analysis.io.paths import DATA_DIR

INCOMING_DIR = DATA_DIR / "incoming"
SUFFIXES = (".txt", ".text", ".htm", ".html", ".xhtml", ".pdf", ".docx")


class CorpusImportError(CorpusError):
    """A file that cannot be imported (unknown document, refused text, unreadable file)."""


@dataclass(frozen=True)
class Imported:
    doc_id: str
    path: str
    chars: int
    message: str


def _identify(text: str, manifest: pd.DataFrame, shown: str) -> str:
    verified = verified_hashes(manifest).get(_sha(text))
    if verified:  # the verified text of a document is that document's, whatever else it names
        return verified
    accepted = [
        row["doc_id"] for _, row in manifest.iterrows() if not row["expected_sha256"] and rejection(text, row) is None
    ]
    if len(accepted) == 1:
        return str(accepted[0])
    if accepted:
        raise CorpusImportError(
            f"{shown}: the text fits several documents ({', '.join(accepted)}); choose one with --doc DOC_ID"
        )
    compact = "".join(text.split())
    named = [
        row["doc_id"]
        for _, row in manifest.iterrows()
        if any("".join(w.split()) in compact for w in identifiers(row) if len("".join(w.split())) >= 4)
    ]
    hint = (
        f"candidates (their title or number occurs in it): {', '.join(named[:10])}"
        if named
        else "no manifest title or document number occurs in it"
    )
    raise CorpusImportError(
        f"{shown}: cannot tell which document this is; {hint}; run "
        f"`python -m analysis corpus import {shown} --doc DOC_ID` (ids: data/corpus/manifest.csv)"
    )


def _sha(text: str) -> str:
    from analysis.io.text import text_sha256

    return text_sha256(text)


def _read(file: Path, doc_id: str | None, df: pd.DataFrame) -> Acquired:
    """Read ``file`` (a regular file within the size cap), reduce it to its text and tell its document."""
    shown = display_path(file.resolve())
    ids = set(df["doc_id"])
    if doc_id is not None and doc_id not in ids:
        raise CorpusImportError(
            f"{shown}: --doc {doc_id} is not in the manifest (data/corpus/manifest.csv); check the id"
        )
    probe = doc_id or (file.stem if file.stem in ids else "unknown")
    data = read_local_file(file, shown)  # never waits on a FIFO, never reads more than the cap
    acquired = text_from_bytes(probe, data, f"{probe}: imported file {shown}", source="imported", location=shown)
    acquired.doc_id = doc_id or (file.stem if file.stem in ids else _identify(acquired.text, df, shown))
    return acquired


def _store(acquired: Acquired, file: Path, df: pd.DataFrame, cdir: Path, *, given: bool = False) -> Imported:
    doc_id, shown = acquired.doc_id, acquired.location
    row = df[df["doc_id"] == doc_id].iloc[0]
    check_text(acquired, row, f"{doc_id}: imported file {shown}", known_texts(df, cdir, None))
    stat = file.stat()
    extra: dict[str, object] = {
        "imported_file": shown,
        "imported_size": stat.st_size,
        "imported_mtime_ns": stat.st_mtime_ns,
    }
    if given:  # the reader named the document: settles which of two unverified documents holding one text it is
        extra["doc_given"] = True
    write_cache(acquired, cdir, extra)
    return Imported(doc_id, shown, acquired.chars, f"{doc_id}: imported {shown} ({acquired.chars} characters)")


def import_file(
    path: str | os.PathLike[str],
    doc_id: str | None = None,
    *,
    manifest: pd.DataFrame | str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Imported:
    """Check ``path``'s text and cache it as ``doc_id``'s (origin ``imported``); raises :class:`CorpusError`.

    ``path`` must be a regular file (not a FIFO, device or folder) of at most
    :data:`~analysis.corpus.sources.MAX_BYTES`; both are refused in one line before anything is read."""
    df = _manifest(manifest)
    file = Path(path)
    return _store(_read(file, doc_id, df), file, df, _cache_dir(cache_dir), given=doc_id is not None)


def _number(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def opening_of_file(
    path: str | os.PathLike[str], doc_id: str, *, manifest: pd.DataFrame | str | os.PathLike[str] | None = None
) -> str:
    """One line: the opening fingerprint of a saved copy (or opening) of ``doc_id`` for ``opening_sha256``.

    The file is read as an import reads it (HTML reduced to its body, traditional script converted,
    normalised); no acceptance check, since a web page may hold only the opening. The line names the
    anchor line, never the text."""
    from analysis.corpus.opening import FINGERPRINT_CHARS, opening_fingerprint

    df = _manifest(manifest)
    file = Path(path)
    shown = display_path(file.resolve())
    if doc_id not in set(df["doc_id"]):
        raise CorpusImportError(
            f"{shown}: --doc {doc_id} is not in the manifest (data/corpus/manifest.csv); check the id"
        )
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CorpusImportError(f"{shown}: cannot be read ({exc.strerror or exc}); check the path") from exc
    acquired = text_from_bytes(doc_id, data, f"{doc_id}: file {shown}", source="imported", location=shown)
    row = df[df["doc_id"] == doc_id].iloc[0]
    found = opening_fingerprint(acquired.text, identifiers(row), row["language"])
    if found is None:
        raise CorpusImportError(
            f"{shown}: no line in its first {FINGERPRINT_CHARS} characters begins with a title or number of {doc_id} "
            f"followed by a whole opening ({' | '.join(identifiers(row))}); save a copy that starts with the title"
        )
    anchor, sha = found
    return (
        f"{doc_id}: opening_sha256 {sha} (the opening after line {anchor.line + 1} of {shown}); "
        "put it in data/corpus/manifest.csv"
    )


def import_incoming(
    folder: str | os.PathLike[str] | None = None,
    *,
    manifest: pd.DataFrame | str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> list[tuple[str, str]]:
    """Import the new or changed files of the drop folder; ``[(action, message)]`` with action ``imported`` or
    ``refused``.

    Every file is first assigned its document (an imported, unchanged file by its provenance, a file named
    ``<doc_id>.*`` by its name, any other by its text). When two or more files are for one document, none
    of them is imported and one ``refused`` line names them all; a copy imported earlier from one of them is
    withdrawn from the cache, so the result does not depend on which file came first."""
    incoming = Path(folder) if folder is not None else INCOMING_DIR
    if not incoming.is_dir():
        return []
    df = _manifest(manifest)
    cdir = _cache_dir(cache_dir)
    ids = set(df["doc_id"])
    done: dict[str, tuple[int, int, str]] = {}
    for doc_id in df["doc_id"]:
        meta = provenance(doc_id, cdir)
        if meta and meta.get("origin") == "imported" and isinstance(meta.get("imported_file"), str):
            done[meta["imported_file"]] = (
                _number(meta.get("imported_size")),
                _number(meta.get("imported_mtime_ns")),
                doc_id,
            )
    out: list[tuple[str, str]] = []
    claims: dict[str, list[tuple[Path, Acquired | None, bool]]] = {}  # doc → [(file, text read, unchanged)]
    for file in sorted(incoming.iterdir()):
        if file.name.startswith(".") or not file.is_file():
            continue
        if file.suffix.lower() not in SUFFIXES:
            out.append(
                (
                    "refused",
                    f"{display_path(file)}: only {', '.join(SUFFIXES)} files are imported; save the text as UTF-8 .txt, .pdf or .docx",
                )
            )
            continue
        stat = file.stat()
        known = done.get(display_path(file.resolve()))
        if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
            claims.setdefault(known[2], []).append((file, None, True))
            continue
        if file.stem in ids:
            claims.setdefault(file.stem, []).append((file, None, False))
            continue
        try:
            acquired = _read(file, None, df)
        except CorpusError as exc:
            out.append(("refused", str(exc)))
            continue
        claims.setdefault(acquired.doc_id, []).append((file, acquired, False))
    for doc_id, files in claims.items():
        if len(files) > 1:
            out.append(("refused", _conflict(doc_id, [f for f, _, _ in files], cdir)))
            continue
        file, acquired, unchanged = files[0]
        if unchanged:
            continue
        try:
            out.append(("imported", _store(acquired or _read(file, doc_id, df), file, df, cdir).message))
        except CorpusError as exc:
            if getattr(exc, "errno", None) is not None:
                raise
            out.append(("refused", str(exc)))
    return out


def _conflict(doc_id: str, files: list[Path], cdir: Path) -> str:
    """Withdraw a copy imported earlier from one of ``files`` and say, in one line, why none is imported."""
    names = [display_path(f.resolve()) for f in files]
    meta = provenance(doc_id, cdir)
    withdrawn = ""
    if meta and meta.get("origin") == "imported" and meta.get("imported_file") in names:
        remove_cache(doc_id, cdir)
        withdrawn = f"; the copy imported earlier from {meta['imported_file']} is withdrawn"
    return (
        f"{doc_id}: {len(files)} files in {display_path(files[0].parent)}/ are for this document "
        f"({', '.join(names)}); none is imported{withdrawn}: keep the right one, move the other(s) away "
        "and run `make data`"
    )
