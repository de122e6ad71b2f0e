"""Coverage, loading and verification of the corpus (no network, nothing written, nothing printed).

* :func:`coverage` and :func:`load_corpus` read the cache ``data/raw/`` (filled by ``make data``),
  then the mirror. Notebooks call them; every kernel sees the same corpus without environment
  variables once ``make data`` has run.
* :func:`verify` re-hashes every cached and mirrored copy against ``expected_sha256``.
* Acquisition (:func:`~analysis.corpus.fetching.fetch`) is in :mod:`analysis.corpus.fetching`.

Statuses: ``available`` (an accepted copy whose hash matches, or that has no expected hash yet),
``missing`` (no copy anywhere and no failed attempt recorded; the message names the places
searched and the URL), ``rejected`` (the copy is not the document: a "not found" page,
navigation only, mojibake, see :mod:`analysis.corpus.accept`; another document's text, or one text
held by two unverified documents, see :mod:`analysis.corpus.claims`; or the last download gave such a
page), ``hash mismatch`` (a copy exists but its hash differs) and ``failed`` (a copy exists but
cannot be read, or the last attempt failed: the ``failure`` column gives its class).

``source`` is the text's origin: ``mirror``, ``url``, ``imported``, ``synthetic`` or ``none``;
``location`` is the file (or URL) it is read from.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.corpus import select
from analysis.corpus.accept import RejectedError, caveats, check_acceptance
from analysis.corpus.cache import cache_file, provenance, read_cache, read_error_record
from analysis.corpus.claims import KnownTexts, compact, foreign_text, settle, verified_hashes
from analysis.corpus.errors import CorpusError, HashMismatchError, SourceError
from analysis.corpus.manifest import COLUMNS, load_manifest, urls
from analysis.corpus.mirror import (
    MirrorEntry,
    mirror_entries,
    mirror_path,
    read_mirror,
    usable,
)
from analysis.corpus.sources import Acquired, display_path
from analysis.io.paths import RAW_DIR, mirror_dir

STATUSES: tuple[str, ...] = ("available", "missing", "rejected", "hash mismatch", "failed")
SOURCES: tuple[str, ...] = ("mirror", "url", "imported", "synthetic", "none")
#: Failure classes of the ``failure`` column (``""`` when nothing failed).
FAILURE_CLASSES: tuple[str, ...] = (
    "redirect loop",
    "timeout",
    "http error",
    "rejected",
    "no text layer",
    "encrypted",
    "unreachable",
    "bad content",
    "hash mismatch",
    "unreadable",
    "disk",
)
COVERAGE_COLUMNS: tuple[str, ...] = (
    *COLUMNS,
    "status",
    "source",
    "location",
    "chars",
    "sha256",
    "encoding",
    "container",
    "converted_t2s",
    "message",
    "failure",
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
    failure: str = ""


def _cache_dir(cache_dir: str | os.PathLike[str] | None) -> Path:
    return Path(cache_dir) if cache_dir is not None else RAW_DIR


def _manifest(manifest: pd.DataFrame | str | os.PathLike[str] | None) -> pd.DataFrame:
    if isinstance(manifest, pd.DataFrame):
        return manifest
    return load_manifest(manifest)


def _select_topics(df: pd.DataFrame, topics: str | Iterable[str] | None) -> pd.DataFrame:
    """The rows of ``df`` whose ``topic`` is in ``topics`` (a name or several; ``None``: all)."""
    if topics is None:
        return df
    try:
        return df[select.is_topic(df, topics)]
    except ValueError as exc:
        raise CorpusError(f"topics={topics!r}: {exc}") from None


def check_hash(acquired: Acquired, expected: str) -> None:
    """Raise :class:`HashMismatchError` when ``expected`` is set and differs from the text's hash."""
    if expected and acquired.sha256 != expected:
        raise HashMismatchError(acquired.doc_id, acquired.source, acquired.location, expected, acquired.sha256)


def check_text(acquired: Acquired, row: pd.Series, where: str, known: KnownTexts | None = None) -> None:
    """The hash decides where the manifest gives one; else the acceptance checks and, with ``known``, the
    refusal of another document's text (:func:`analysis.corpus.claims.foreign_text`). Raises on refusal."""
    expected = row["expected_sha256"]
    if expected:
        check_hash(acquired, expected)
        return
    reason = foreign_text(row["doc_id"], acquired, known) if known is not None else None
    if reason:  # first: that a text is another document's is a fact, the other checks are plausibility
        raise RejectedError(f"{where}: rejected, {reason}")
    check_acceptance(acquired.text, row, where, acquired.chars)


def known_texts(
    manifest: pd.DataFrame, cache_dir: Path, mirror: Path | None, entries: dict[str, MirrorEntry] | None = None
) -> KnownTexts:
    """The verified hashes of ``manifest`` and (read when first needed) the verified texts in the cache or mirror."""

    def load() -> dict[str, str]:
        out = {}
        for _, row in manifest[manifest["expected_sha256"] != ""].iterrows():
            res = resolve(row, cache_dir, mirror, entries)
            if res.status == "available" and res.acquired is not None:
                out[row["doc_id"]] = compact(res.acquired.text)
        return out

    return KnownTexts(verified_hashes(manifest), load)


def failure_class(exc: BaseException) -> str:
    """The failure class (:data:`FAILURE_CLASSES`) of an acquisition error."""
    from analysis.corpus.errors import (
        CacheWriteError,
        DownloadConnectionError,
        DownloadTimeoutError,
        HTTPStatusError,
        NoDocumentBodyError,
        RedirectLoopError,
    )
    from analysis.corpus.pdftext import EncryptedPdfError, NoTextLayerError

    for cls, name in (
        (RedirectLoopError, "redirect loop"),
        (DownloadTimeoutError, "timeout"),
        (HTTPStatusError, "http error"),
        (NoTextLayerError, "no text layer"),
        (EncryptedPdfError, "encrypted"),
        (RejectedError, "rejected"),
        (NoDocumentBodyError, "rejected"),
        (DownloadConnectionError, "unreachable"),
        (HashMismatchError, "hash mismatch"),
        (CacheWriteError, "disk"),
    ):
        if isinstance(exc, cls):
            return name
    return "unreadable" if getattr(exc, "kind", "") == "bad cache" else "bad content"


def _status_of(failure: str) -> str:
    return {"rejected": "rejected", "no text layer": "rejected", "hash mismatch": "hash mismatch"}.get(
        failure, "failed"
    )


def _missing_message(row: pd.Series, cache_dir: Path, mirror: Path | None, entries: dict[str, MirrorEntry]) -> str:
    doc_id = row["doc_id"]
    where = f"not in the cache ({display_path(cache_file(doc_id, cache_dir))})"
    if mirror is None:
        where += ", no mirror configured (set CORPUS_MIRROR or pass --mirror)"
    elif not mirror.is_dir():
        where += f", mirror folder {display_path(mirror)} " + ("is a file" if mirror.exists() else "does not exist")
    else:
        where += f", not in the mirror ({display_path(mirror_path(doc_id, mirror, entries))})"
    links = urls(row["official_url"])
    fix = (
        f"official URL {' '.join(links)} (run `make data` with internet)"
        if links
        else "no official URL known (add one to data/corpus/manifest.csv, put a copy in the mirror or import one)"
    )
    return f"missing: {doc_id} — {where}; {fix}"


def resolve(
    row: pd.Series,
    cache_dir: Path,
    mirror: Path | None,
    entries: dict[str, MirrorEntry] | None = None,
    known: KnownTexts | None = None,
) -> Resolution:
    """Find ``row``'s text in the cache, then the mirror, and check it (with ``known``: also that it is not another
    document's, :func:`check_text`); never touches the network."""
    doc_id = row["doc_id"]
    entries = entries or {}
    problems: list[tuple[str, str, str, str]] = []  # (failure class, location, message, origin)
    readers: list[tuple[Any, Any, Any]] = [
        (
            lambda: display_path(cache_file(doc_id, cache_dir)),
            lambda: read_cache(doc_id, cache_dir),
            lambda: str((provenance(doc_id, cache_dir) or {}).get("origin") or "none"),
        )
    ]
    if usable(mirror) is not None:
        entry = entries.get(doc_id)
        readers.append(
            (
                lambda: display_path(mirror_path(doc_id, mirror, entries)),  # type: ignore[arg-type]
                lambda: read_mirror(doc_id, mirror, entries),  # type: ignore[arg-type]
                lambda: entry.origin if entry else "mirror",
            )
        )
    for where, read, origin_of in readers:
        try:
            acquired = read()
            if acquired is None:
                continue
            check_text(acquired, row, f"{doc_id}: {acquired.location}", known)
        except (CorpusError, OSError) as exc:
            try:
                location = where()
            except CorpusError:
                location = ""
            problems.append((failure_class(exc), location, str(exc), origin_of()))
            continue
        note = "" if row["expected_sha256"] else "; not verified: no expected_sha256 in the manifest yet"
        ignored = f" (ignored: {' | '.join(p[2] for p in problems)})" if problems else ""
        origin = f" (from {acquired.origin})" if acquired.origin and acquired.origin != acquired.location else ""
        route = f" (route {acquired.route}: {acquired.route_kind})" if acquired.route else ""
        caveat = "".join(f"; caveat: {c}" for c in caveats(acquired.text))
        return Resolution(
            doc_id,
            "available",
            acquired.source,
            acquired.location,
            f"{acquired.source} {acquired.location}{origin}{route}{note}{caveat}{ignored}",
            acquired,
        )
    for status in ("hash mismatch", "rejected", "failed"):
        found = [p for p in problems if _status_of(p[0]) == status]
        if found:
            return Resolution(
                doc_id, status, found[0][3], found[0][1], " | ".join(p[2] for p in problems), failure=found[0][0]
            )
    record = read_error_record(doc_id, cache_dir)
    if record:
        failure = str(record.get("class") or record.get("kind") or "bad content")
        return Resolution(
            doc_id,
            _status_of(failure),
            "none",
            str(record.get("url", "")),
            f"last attempt failed ({failure}): {record.get('message', '')}",
            failure=failure,
        )
    return Resolution(doc_id, "missing", "none", "", _missing_message(row, cache_dir, mirror, entries))


def _resolve_all(
    mirror: str | os.PathLike[str] | None,
    manifest: pd.DataFrame | str | os.PathLike[str] | None,
    cache_dir: str | os.PathLike[str] | None,
    topics: str | Iterable[str] | None = None,
) -> tuple[pd.DataFrame, list[Resolution]]:
    full = _manifest(manifest)
    mdir = mirror_dir(mirror)
    entries = mirror_entries(mdir, full["doc_id"]) if usable(mdir) is not None else {}
    cdir = _cache_dir(cache_dir)
    hashes = KnownTexts(verified_hashes(full))  # the verified texts themselves are compared in settle()
    resolutions = [resolve(row, cdir, mdir, entries, hashes) for _, row in full.iterrows()]
    settle(resolutions, full, cdir)
    df = _select_topics(full, topics)
    keep = set(df.index)
    return df, [r for i, r in zip(full.index, resolutions, strict=False) if i in keep]


def _coverage_frame(df: pd.DataFrame, resolutions: Iterable[Resolution]) -> pd.DataFrame:
    records = []
    for res in resolutions:
        a = res.acquired
        records.append(
            {
                "status": res.status,
                "source": res.source,
                "location": res.location,
                "chars": a.chars if a else None,
                "sha256": a.sha256 if a else "",
                "encoding": a.encoding if a else "",
                "container": a.container if a else "",
                "converted_t2s": a.converted_t2s if a else False,
                "message": res.message,
                "failure": res.failure,
            }
        )
    extra = pd.DataFrame.from_records(records, index=df.index, columns=list(COVERAGE_COLUMNS[len(COLUMNS) :]))
    extra["chars"] = extra["chars"].astype("Int64")
    extra["converted_t2s"] = extra["converted_t2s"].astype(bool)
    return pd.concat([df, extra], axis=1)[list(COVERAGE_COLUMNS)]


def coverage(
    mirror: str | os.PathLike[str] | None = None,
    *,
    manifest: pd.DataFrame | str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    topics: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Every manifest document (of ``topics``, default all), in manifest order, with its status in this build.

    Columns: the manifest's (:data:`analysis.corpus.manifest.COLUMNS`) then ``status`` (one of
    :data:`STATUSES`), ``source`` (origin: mirror/url/imported/synthetic/none), ``location`` (file
    or URL it is read from), ``chars`` (non-whitespace characters of the normalised text, ``<NA>``
    when not available), ``sha256``, ``encoding``, ``container`` (HTML body container),
    ``converted_t2s``, ``message`` (one line: what was found, or what is missing, where it was
    searched and how to get it) and ``failure`` (the failure class, :data:`FAILURE_CLASSES`). Reads
    the cache (``cache_dir``, default ``data/raw``) and the mirror (``mirror``, default
    ``$CORPUS_MIRROR``); never touches the network.
    """
    df, resolutions = _resolve_all(mirror, manifest, cache_dir, topics)
    return _coverage_frame(df, resolutions)


def load_corpus(
    mirror: str | os.PathLike[str] | None = None,
    *,
    manifest: pd.DataFrame | str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    topics: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per *available* document (of ``topics``, default all), in manifest order: manifest
    columns + ``text``, ``chars``, ``sha256``, ``source`` (origin).

    ``text`` is normalised (:func:`analysis.io.text.normalize_text`); ``chars`` counts its non-whitespace
    characters. Documents that are missing, rejected, failed or whose hash does not match are left
    out (see :func:`coverage`). Never touches the network, prints nothing.
    """
    df, resolutions = _resolve_all(mirror, manifest, cache_dir, topics)
    got = {r.doc_id: r.acquired for r in resolutions if r.acquired is not None and r.status == "available"}
    out = df[df["doc_id"].isin(got)].copy()
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
    raise CorpusError(
        f"{doc_id}: not in the manifest (data/corpus/manifest.csv); known ids start {', '.join(df['doc_id'][:5])} …"
    )


def synthetic_documents(
    mirror: str | os.PathLike[str] | None = None,
    *,
    manifest: pd.DataFrame | str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> list[str]:
    """Ids of the available documents whose text is synthetic (a test fixture), in manifest order.

    A page built from any of them must say so. No network, nothing printed.
    """
    cov = coverage(mirror, manifest=manifest, cache_dir=cache_dir)
    return cov.loc[(cov["status"] == "available") & (cov["source"] == "synthetic"), "doc_id"].tolist()


VERIFY_COLUMNS: tuple[str, ...] = ("doc_id", "source", "location", "expected_sha256", "sha256", "result", "message")


def verify(
    mirror: str | os.PathLike[str] | None = None,
    *,
    manifest: pd.DataFrame | str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Re-hash every cached and mirrored copy; ``result`` is ``ok``, ``mismatch``, ``unverified`` or ``unreadable``.

    ``source`` here says which copy was checked: ``cache`` or ``mirror``.
    """
    df = _manifest(manifest)
    mdir = usable(mirror_dir(mirror))
    entries = mirror_entries(mdir, df["doc_id"]) if mdir is not None else {}
    cdir = _cache_dir(cache_dir)
    rows = []
    for _, row in df.iterrows():
        doc_id, expected = row["doc_id"], row["expected_sha256"]
        readers: list[tuple[str, Any]] = [("cache", lambda d=doc_id: read_cache(d, cdir))]
        if mdir is not None:
            readers.append(("mirror", lambda d=doc_id: read_mirror(d, mdir, entries)))
        for copy, read in readers:
            try:
                acquired = read()
            except (SourceError, CorpusError, OSError) as exc:
                rows.append(
                    {
                        "doc_id": doc_id,
                        "source": copy,
                        "location": "",
                        "expected_sha256": expected,
                        "sha256": "",
                        "result": "unreadable",
                        "message": str(exc),
                    }
                )
                continue
            if acquired is None:
                continue
            if not expected:
                result, message = (
                    "unverified",
                    f"{doc_id}: no expected_sha256 in the manifest; sha256 is {acquired.sha256}",
                )
            elif acquired.sha256 == expected:
                result, message = "ok", ""
            else:
                result = "mismatch"
                message = str(HashMismatchError(doc_id, copy, acquired.location, expected, acquired.sha256))
            rows.append(
                {
                    "doc_id": doc_id,
                    "source": copy,
                    "location": acquired.location,
                    "expected_sha256": expected,
                    "sha256": acquired.sha256,
                    "result": result,
                    "message": message,
                }
            )
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
    return table[["doc_id", "title_en", "title_zh", "level", "date", "status", "source", "chars", "sha256"]].set_index(
        "doc_id"
    )


def status_counts(cov: pd.DataFrame) -> pd.DataFrame:
    """Documents by level (rows) and status (columns), with totals; every level and status is shown."""
    from analysis.corpus.manifest import LEVEL_LABELS, LEVELS

    labels = [LEVEL_LABELS[level] for level in LEVELS]
    counts = pd.crosstab(
        pd.Categorical(cov["level"].map(LEVEL_LABELS), categories=labels, ordered=True),
        pd.Categorical(cov["status"], categories=list(STATUSES), ordered=True),
        margins=True,
        margins_name="total",
        dropna=False,
    )
    counts.index.name, counts.columns.name = "level", "status"
    return counts
