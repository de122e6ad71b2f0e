"""Coverage, loading, fetching and verification of the corpus.

* :func:`coverage` and :func:`load_corpus` never touch the network and never write to stderr: they
  read the cache, then the mirror. Notebooks call them.
* :func:`fetch` (``python -m analysis corpus fetch``) downloads what the cache and mirror lack from
  the official URLs, with timeouts, retries and a progress bar, and stores it in the cache.
* :func:`verify` re-hashes every cached and mirrored copy against ``expected_sha256``.

Statuses: ``available`` (a copy whose hash matches, or that has no expected hash yet),
``missing`` (no copy anywhere; the message names the cache and mirror paths searched and the URL),
``hash mismatch`` (a copy exists but its hash differs; the text is not used) and ``failed`` (a
copy exists but cannot be read, or the last download of the document failed for a reason that
retrying will not fix, e.g. HTTP 404 or a page without a document body).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.corpus.errors import (
    CorpusError,
    DownloadConnectionError,
    DownloadTimeoutError,
    HashMismatchError,
    SourceError,
)
from analysis.corpus.manifest import COLUMNS, load_manifest, urls
from analysis.corpus.sources import (
    Acquired,
    HttpOptions,
    cache_files,
    display_path,
    fetch_url,
    make_session,
    mirror_files,
    mirror_path,
    read_cache,
    read_error_record,
    read_mirror,
    write_cache,
    write_error_record,
)
from analysis.paths import RAW_DIR, mirror_dir

STATUSES: tuple[str, ...] = ("available", "missing", "hash mismatch", "failed")
SOURCES: tuple[str, ...] = ("cache", "mirror", "url", "none")
OFFLINE_ENV = "CORPUS_OFFLINE"
#: Consecutive connection failures after which ``fetch`` stops trying further URLs (the machine is offline).
OFFLINE_AFTER = 3
COVERAGE_COLUMNS: tuple[str, ...] = (
    *COLUMNS, "status", "source", "location", "chars", "sha256", "encoding", "container", "converted_t2s", "message",
)
CORPUS_COLUMNS: tuple[str, ...] = (*COLUMNS, "text", "chars", "sha256", "source")


@dataclass
class Resolution:
    """What the local sources (cache, mirror) hold for one document."""

    doc_id: str
    status: str
    source: str = "none"
    location: str = ""
    message: str = ""
    acquired: Acquired | None = None


def _cache_dir(cache_dir: str | os.PathLike[str] | None) -> Path:
    return Path(cache_dir) if cache_dir is not None else RAW_DIR


def _manifest(manifest: pd.DataFrame | str | os.PathLike[str] | None) -> pd.DataFrame:
    if isinstance(manifest, pd.DataFrame):
        return manifest
    return load_manifest(manifest)


def check_hash(acquired: Acquired, expected: str) -> None:
    """Raise :class:`HashMismatchError` when ``expected`` is set and differs from the text's hash."""
    if expected and acquired.sha256 != expected:
        raise HashMismatchError(acquired.doc_id, acquired.source, acquired.location, expected, acquired.sha256)


def _missing_message(row: pd.Series, cache_dir: Path, mirror: Path | None, files: dict[str, str]) -> str:
    doc_id = row["doc_id"]
    where = f"not in the cache ({display_path(cache_files(doc_id, cache_dir)[0])})"
    if mirror is None:
        where += ", no mirror configured (set CORPUS_MIRROR or pass --mirror)"
    elif not mirror.is_dir():
        where += f", mirror folder {display_path(mirror)} does not exist"
    else:
        where += f", not in the mirror ({display_path(mirror_path(doc_id, mirror, files))})"
    links = urls(row["official_url"])
    fix = (
        f"official URL {' '.join(links)} (run `python -m analysis corpus fetch` with internet)"
        if links
        else "no official URL known (add one to data/corpus/manifest.csv or put a copy in the mirror)"
    )
    return f"missing: {doc_id} — {where}; {fix}"


def resolve(
    row: pd.Series, cache_dir: Path, mirror: Path | None, files: dict[str, str] | None = None
) -> Resolution:
    """Find ``row``'s text in the cache, then the mirror; never touches the network."""
    doc_id, expected = row["doc_id"], row["expected_sha256"]
    files = files or {}
    problems: list[tuple[str, str, str, str]] = []  # (status, source, location, message)
    readers: list[tuple[str, Any]] = [("cache", lambda: read_cache(doc_id, cache_dir))]
    if mirror is not None and mirror.is_dir():
        readers.append(("mirror", lambda: read_mirror(doc_id, mirror, files)))
    for source, read in readers:
        try:
            acquired = read()
            if acquired is None:
                continue
            check_hash(acquired, expected)
        except HashMismatchError as exc:
            problems.append(("hash mismatch", source, exc.location, str(exc)))
            continue
        except CorpusError as exc:
            problems.append(("failed", source, "", str(exc)))
            continue
        note = "" if expected else "; not verified: no expected_sha256 in the manifest yet"
        ignored = f" (ignored: {' | '.join(p[3] for p in problems)})" if problems else ""
        return Resolution(doc_id, "available", source, acquired.location, f"{source} {acquired.location}{note}{ignored}", acquired)
    for status in ("hash mismatch", "failed"):
        found = [p for p in problems if p[0] == status]
        if found:
            return Resolution(doc_id, status, found[0][1], found[0][2], " | ".join(p[3] for p in problems))
    record = read_error_record(doc_id, cache_dir)
    if record:
        status = "hash mismatch" if record.get("kind") == "hash mismatch" else "failed"
        return Resolution(doc_id, status, "url", str(record.get("url", "")), f"last download failed: {record.get('message', '')}")
    return Resolution(doc_id, "missing", "none", "", _missing_message(row, cache_dir, mirror, files))


def _resolve_all(
    mirror: str | os.PathLike[str] | None,
    manifest: pd.DataFrame | str | os.PathLike[str] | None,
    cache_dir: str | os.PathLike[str] | None,
) -> tuple[pd.DataFrame, list[Resolution]]:
    df = _manifest(manifest)
    mdir = mirror_dir(mirror)
    files = mirror_files(mdir) if mdir is not None and mdir.is_dir() else {}
    cdir = _cache_dir(cache_dir)
    return df, [resolve(row, cdir, mdir, files) for _, row in df.iterrows()]


def _coverage_frame(df: pd.DataFrame, resolutions: Iterable[Resolution]) -> pd.DataFrame:
    records = []
    for res in resolutions:
        a = res.acquired
        records.append({
            "status": res.status,
            "source": res.source,
            "location": res.location,
            "chars": a.chars if a else None,
            "sha256": a.sha256 if a else "",
            "encoding": a.encoding if a else "",
            "container": a.container if a else "",
            "converted_t2s": a.converted_t2s if a else False,
            "message": res.message,
        })
    extra = pd.DataFrame.from_records(records, index=df.index, columns=list(COVERAGE_COLUMNS[len(COLUMNS):]))
    extra["chars"] = extra["chars"].astype("Int64")
    extra["converted_t2s"] = extra["converted_t2s"].astype(bool)
    return pd.concat([df, extra], axis=1)[list(COVERAGE_COLUMNS)]


def coverage(
    mirror: str | os.PathLike[str] | None = None,
    *,
    manifest: pd.DataFrame | str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Every manifest document, in manifest order, with its status in this build.

    Columns: the manifest's (:data:`analysis.corpus.manifest.COLUMNS`) then ``status`` (one of
    :data:`STATUSES`), ``source`` (cache/mirror/url/none), ``location`` (file or URL), ``chars``
    (non-whitespace characters of the normalised text, ``<NA>`` when not available), ``sha256``,
    ``encoding``, ``container`` (HTML body container), ``converted_t2s`` and ``message`` (one line:
    what was found, or what is missing, where it was searched and how to get it). Reads the cache
    (``cache_dir``, default ``data/raw``) and the mirror (``mirror``, default ``$CORPUS_MIRROR``);
    never touches the network.
    """
    df, resolutions = _resolve_all(mirror, manifest, cache_dir)
    return _coverage_frame(df, resolutions)


def load_corpus(
    mirror: str | os.PathLike[str] | None = None,
    *,
    manifest: pd.DataFrame | str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """One row per *available* document, in manifest order: manifest columns + ``text``, ``chars``, ``sha256``, ``source``.

    ``text`` is normalised (:func:`analysis.text.normalize_text`); ``chars`` counts its non-whitespace
    characters. Documents that are missing, failed or whose hash does not match are left out (see
    :func:`coverage`). Never touches the network, prints nothing.
    """
    df, resolutions = _resolve_all(mirror, manifest, cache_dir)
    keep = [i for i, r in zip(df.index, resolutions) if r.acquired is not None and r.status == "available"]
    out = df.loc[keep].copy()
    got = {r.doc_id: r.acquired for r in resolutions if r.acquired is not None}
    out["text"] = [got[d].text for d in out["doc_id"]]  # type: ignore[union-attr]
    out["chars"] = pd.array([got[d].chars for d in out["doc_id"]], dtype="Int64")  # type: ignore[union-attr]
    out["sha256"] = [got[d].sha256 for d in out["doc_id"]]  # type: ignore[union-attr]
    out["source"] = [got[d].source for d in out["doc_id"]]  # type: ignore[union-attr]
    return out.reset_index(drop=True)[list(CORPUS_COLUMNS)]


def load_text(doc_id: str, mirror: str | os.PathLike[str] | None = None, **kwargs: Any) -> str | None:
    """The normalised text of one document, or ``None`` when it is not available here."""
    df, resolutions = _resolve_all(mirror, kwargs.get("manifest"), kwargs.get("cache_dir"))
    for res in resolutions:
        if res.doc_id == doc_id:
            return res.acquired.text if res.acquired is not None and res.status == "available" else None
    raise CorpusError(f"{doc_id}: not in the manifest (data/corpus/manifest.csv); known ids start {', '.join(df['doc_id'][:5])} …")


def offline_requested(offline: bool | None = None) -> bool:
    """``offline`` if given, else true when ``$CORPUS_OFFLINE`` is set to 1/true/yes."""
    if offline is not None:
        return offline
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in ("1", "true", "yes")


FETCH_COLUMNS: tuple[str, ...] = ("doc_id", "action", "source", "message")


def fetch(
    mirror: str | os.PathLike[str] | None = None,
    *,
    offline: bool | None = None,
    manifest: pd.DataFrame | str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    options: HttpOptions | None = None,
    session: Any = None,
    progress: bool | None = None,
    doc_ids: Iterable[str] | None = None,
    force: bool = False,
) -> pd.DataFrame:
    """Acquire every document that the cache and mirror lack from its official URL(s).

    With ``force``, documents already available are downloaded again too (a failed download then
    leaves the existing copy untouched).

    Returns one row per document with ``action``: ``kept`` (already available from cache or mirror),
    ``downloaded``, ``hash mismatch`` (downloaded but not stored), ``failed`` (the last error is
    recorded and shown by :func:`coverage`), ``network`` (timeout/refused: nothing recorded),
    ``skipped`` (offline, or the network proved unreachable), ``no url``, or ``damaged`` (a local
    copy is unreadable or mismatched and no URL could replace it). ``progress`` shows a tqdm bar on
    stderr (default: when stderr is a terminal).
    """
    from tqdm import tqdm

    df = _manifest(manifest)
    mdir = mirror_dir(mirror)
    files = mirror_files(mdir) if mdir is not None and mdir.is_dir() else {}
    cdir = _cache_dir(cache_dir)
    offline = offline_requested(offline)
    options = options or HttpOptions()
    wanted = set(doc_ids) if doc_ids is not None else None
    rows: list[dict[str, str]] = []
    connection_failures = 0
    own_session = session is None and not offline
    if own_session:
        session = make_session(options)
    try:
        bar = tqdm(list(df.iterrows()), desc="corpus", unit="doc", disable=(None if progress is None else not progress))
        for _, row in bar:
            doc_id = row["doc_id"]
            if wanted is not None and doc_id not in wanted:
                continue
            res = resolve(row, cdir, mdir, files)
            if res.status == "available" and not (force and urls(row["official_url"])):
                rows.append({"doc_id": doc_id, "action": "kept", "source": res.source, "message": res.message})
                continue
            links = urls(row["official_url"])
            if not links:
                action = {"missing": "no url", "available": "kept"}.get(res.status, "damaged")
                rows.append({"doc_id": doc_id, "action": action, "source": res.source, "message": res.message})
                continue
            if offline or connection_failures >= OFFLINE_AFTER:
                why = "offline (--offline or CORPUS_OFFLINE=1)" if offline else f"network unreachable ({OFFLINE_AFTER} connection failures in a row)"
                message = f"{doc_id}: not downloaded, {why}; official URL {' '.join(links)}"
                if res.status != "missing":
                    message += f"; {res.message}"
                rows.append({"doc_id": doc_id, "action": "skipped", "source": res.source, "message": message})
                continue
            bar.set_postfix_str(doc_id)
            rows.append(_download(row, links, cdir, session, options))
            connection_failures = connection_failures + 1 if rows[-1]["action"] == "network" else 0
    finally:
        if own_session:
            session.close()
    return pd.DataFrame(rows, columns=list(FETCH_COLUMNS))


def _download(row: pd.Series, links: list[str], cdir: Path, session: Any, options: HttpOptions) -> dict[str, str]:
    doc_id, expected = row["doc_id"], row["expected_sha256"]
    errors: list[SourceError | HashMismatchError] = []
    for url in links:
        try:
            acquired = fetch_url(doc_id, url, session, options)
            check_hash(acquired, expected)
        except (SourceError, HashMismatchError) as exc:
            errors.append(exc)
            continue
        write_cache(acquired, cdir)
        note = "" if expected else f" (not verified: no expected_sha256; sha256 {acquired.sha256})"
        return {"doc_id": doc_id, "action": "downloaded", "source": "url",
                "message": f"{doc_id}: downloaded {url}, {acquired.chars} characters, body {acquired.container or 'plain text'}"
                           f"{', converted to simplified' if acquired.converted_t2s else ''}{note}"}
    last = errors[-1]
    message = " | ".join(str(e) for e in errors)
    if all(isinstance(e, (DownloadConnectionError, DownloadTimeoutError)) for e in errors):
        return {"doc_id": doc_id, "action": "network", "source": "url", "message": message}
    kind = "hash mismatch" if isinstance(last, HashMismatchError) else last.kind
    write_error_record(doc_id, cdir, {"doc_id": doc_id, "url": links[-1], "kind": kind, "message": message})
    return {"doc_id": doc_id, "action": "hash mismatch" if kind == "hash mismatch" else "failed", "source": "url", "message": message}


VERIFY_COLUMNS: tuple[str, ...] = ("doc_id", "source", "location", "expected_sha256", "sha256", "result", "message")


def verify(
    mirror: str | os.PathLike[str] | None = None,
    *,
    manifest: pd.DataFrame | str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Re-hash every cached and mirrored copy; ``result`` is ``ok``, ``mismatch``, ``unverified`` or ``unreadable``."""
    df = _manifest(manifest)
    mdir = mirror_dir(mirror)
    files = mirror_files(mdir) if mdir is not None and mdir.is_dir() else {}
    cdir = _cache_dir(cache_dir)
    rows = []
    for _, row in df.iterrows():
        doc_id, expected = row["doc_id"], row["expected_sha256"]
        readers: list[tuple[str, Any]] = [("cache", lambda: read_cache(doc_id, cdir))]
        if mdir is not None and mdir.is_dir():
            readers.append(("mirror", lambda: read_mirror(doc_id, mdir, files)))
        for source, read in readers:
            try:
                acquired = read()
            except (SourceError, CorpusError) as exc:
                rows.append({"doc_id": doc_id, "source": source, "location": "", "expected_sha256": expected,
                             "sha256": "", "result": "unreadable", "message": str(exc)})
                continue
            if acquired is None:
                continue
            if not expected:
                result, message = "unverified", f"{doc_id}: no expected_sha256 in the manifest; sha256 is {acquired.sha256}"
            elif acquired.sha256 == expected:
                result, message = "ok", ""
            else:
                result = "mismatch"
                message = str(HashMismatchError(doc_id, source, acquired.location, expected, acquired.sha256))
            rows.append({"doc_id": doc_id, "source": source, "location": acquired.location, "expected_sha256": expected,
                         "sha256": acquired.sha256, "result": result, "message": message})
    return pd.DataFrame(rows, columns=list(VERIFY_COLUMNS))


def coverage_table(cov: pd.DataFrame) -> pd.DataFrame:
    """The coverage of a build for readers: one row per document, ordered by level, date and id,
    with characters formatted and the hash shortened to 12 hex digits."""
    from analysis.corpus.manifest import LEVEL_LABELS, LEVELS

    order = {level: i for i, level in enumerate(LEVELS)}
    table = cov.assign(
        level_order=cov["level"].map(order),
        level=cov["level"].map(LEVEL_LABELS),
        sha256=cov["sha256"].str.slice(0, 12),
        chars=cov["chars"].map(lambda n: "" if pd.isna(n) else f"{int(n):,}"),
    ).sort_values(["level_order", "date", "doc_id"], kind="mergesort")
    return table[["doc_id", "title_en", "title_zh", "level", "date", "status", "source", "chars", "sha256"]].set_index("doc_id")


def status_counts(cov: pd.DataFrame) -> pd.DataFrame:
    """Documents by level (rows) and status (columns), with totals; every level and status is shown."""
    from analysis.corpus.manifest import LEVEL_LABELS, LEVELS

    labels = [LEVEL_LABELS[level] for level in LEVELS]
    counts = pd.crosstab(
        pd.Categorical(cov["level"].map(LEVEL_LABELS), categories=labels, ordered=True),
        pd.Categorical(cov["status"], categories=list(STATUSES), ordered=True),
        margins=True, margins_name="total", dropna=False,
    )
    counts.index.name, counts.columns.name = "level", "status"
    return counts
