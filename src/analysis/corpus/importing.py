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
since its last import. :func:`opening_of_file` is ``corpus fingerprint``: the opening fingerprint of a saved copy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.corpus.accept import identifiers, rejection
from analysis.corpus.cache import provenance, write_cache
from analysis.corpus.claims import verified_hashes
from analysis.corpus.core import _cache_dir, _manifest, check_text, known_texts
from analysis.corpus.errors import CorpusError
from analysis.corpus.sources import display_path, text_from_bytes
from analysis.paths import DATA_DIR

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
    from analysis.text import text_sha256

    return text_sha256(text)


def import_file(
    path: str | os.PathLike[str],
    doc_id: str | None = None,
    *,
    manifest: pd.DataFrame | str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Imported:
    """Check ``path``'s text and cache it as ``doc_id``'s (origin ``imported``); raises :class:`CorpusError`."""
    df = _manifest(manifest)
    file = Path(path)
    shown = display_path(file.resolve())
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CorpusImportError(f"{shown}: cannot be read ({exc.strerror or exc}); check the path") from exc
    ids = set(df["doc_id"])
    if doc_id is not None and doc_id not in ids:
        raise CorpusImportError(
            f"{shown}: --doc {doc_id} is not in the manifest (data/corpus/manifest.csv); check the id"
        )
    given = doc_id is not None
    probe = doc_id or (file.stem if file.stem in ids else "unknown")
    acquired = text_from_bytes(probe, data, f"{probe}: imported file {shown}", source="imported", location=shown)
    if doc_id is None:
        doc_id = file.stem if file.stem in ids else _identify(acquired.text, df, shown)
        acquired.doc_id = doc_id
    row = df[df["doc_id"] == doc_id].iloc[0]
    cdir = _cache_dir(cache_dir)
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
    """Import the new or changed files of the drop folder; ``[(action, message)]`` with action ``imported`` or ``refused``."""
    incoming = Path(folder) if folder is not None else INCOMING_DIR
    if not incoming.is_dir():
        return []
    df = _manifest(manifest)
    cdir = _cache_dir(cache_dir)
    done: dict[str, tuple[int, int]] = {}
    for doc_id in df["doc_id"]:
        meta = provenance(doc_id, cdir)
        if meta and meta.get("origin") == "imported" and meta.get("imported_file"):
            done[str(meta["imported_file"])] = (
                int(meta.get("imported_size", -1)),
                int(meta.get("imported_mtime_ns", -1)),
            )
    out: list[tuple[str, str]] = []
    for file in sorted(incoming.iterdir()):
        if file.name.startswith(".") or not file.is_file():
            continue
        stat = file.stat()
        if done.get(display_path(file.resolve())) == (stat.st_size, stat.st_mtime_ns):
            continue
        if file.suffix.lower() not in SUFFIXES:
            out.append(
                (
                    "refused",
                    f"{display_path(file)}: only {', '.join(SUFFIXES)} files are imported; save the text as UTF-8 .txt, .pdf or .docx",
                )
            )
            continue
        try:
            out.append(("imported", import_file(file, manifest=df, cache_dir=cdir).message))
        except CorpusError as exc:
            if getattr(exc, "errno", None) is not None:
                raise
            out.append(("refused", str(exc)))
    return out
