"""``make data``: put every accepted text into the cache ``data/raw/``, with its provenance.

For each manifest document, in order:

1. a good cached copy is kept (a mirror copy is refreshed when the mirror's file changed);
2. the mirror's copy, when accepted, is copied into the cache (origin ``mirror`` or ``synthetic``);
3. otherwise the document's routes are downloaded in the order of
   :func:`~analysis.corpus.routes.plan_routes` – the official URLs, then their Internet Archive
   snapshots and archived copies, last the other reprints (``data/corpus/routes.csv``) – each tier
   with an overall deadline on top of the per-read timeout, and the first accepted text is cached
   (origin ``url``; provenance ``route``: official / reprint / archive, and ``route_kind``). A failure
   is recorded in the cache with its class (:data:`~analysis.corpus.core.FAILURE_CLASSES`), reason
   and time; the network is not tried again for that document until ``refresh`` (``make data REFRESH=1``).

So a warm ``make data`` reads the cache and the mirror and touches no network. After three
connection failures in a row the network is taken as unreachable and the remaining documents are
recorded as not tried (class ``unreachable``); redirect loops, timeouts, HTTP errors and rejected
pages are faults of one site and do not count. A full disk is reported per document and the others
go on; a cache that cannot be written at all (read-only) stops the run with one message.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.corpus.cache import (
    clear_error_record,
    legacy_files,
    provenance,
    read_error_record,
    write_cache,
    write_error_record,
)
from analysis.corpus.claims import KnownTexts
from analysis.corpus.core import (
    _cache_dir,
    _manifest,
    check_text,
    failure_class,
    known_texts,
    resolve,
)
from analysis.corpus.errors import (
    CacheWriteError,
    CorpusError,
    DownloadConnectionError,
    DownloadTimeoutError,
)
from analysis.corpus.manifest import urls
from analysis.corpus.mirror import (
    MirrorEntry,
    mirror_entries,
    mirror_stat,
    read_mirror,
    usable,
)
from analysis.corpus.routes import (
    Route,
    archive_base,
    load_routes,
    plan_routes,
    route_kinds,
)
from analysis.corpus.sources import Acquired, HttpOptions, display_path
from analysis.paths import mirror_dir

OFFLINE_ENV = "CORPUS_OFFLINE"
#: Consecutive connection failures after which ``fetch`` stops trying further URLs (the machine is offline).
OFFLINE_AFTER = 3
FETCH_COLUMNS: tuple[str, ...] = ("doc_id", "action", "source", "message")


def offline_requested(offline: bool | None = None) -> bool:
    """``offline`` if given, else true when ``$CORPUS_OFFLINE`` is set to 1/true/yes."""
    if offline is not None:
        return offline
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in ("1", "true", "yes")


def _row(doc_id: str, action: str, source: str, message: str) -> dict[str, str]:
    return {"doc_id": doc_id, "action": action, "source": source, "message": message}


def _sync_mirror(
    row: pd.Series, cdir: Path, mdir: Path | None, entries: dict[str, MirrorEntry], known: KnownTexts | None = None
) -> dict[str, str] | None:
    """Copy the mirror's accepted text of ``row`` into the cache when the cache lacks it or holds an
    older mirror copy. Returns a result row when something was copied, else ``None``."""
    doc_id = row["doc_id"]
    if mdir is None:
        return None
    found = mirror_stat(doc_id, mdir, entries)
    if found is None:
        return None
    path, size, mtime_ns = found
    meta = provenance(doc_id, cdir)
    stamp = {"mirror_file": display_path(path), "mirror_size": size, "mirror_mtime_ns": mtime_ns}
    if meta is not None:
        if meta.get("origin") not in ("mirror", "synthetic"):
            return None  # a downloaded or imported copy is never replaced by the mirror's
        if all(meta.get(k) == v for k, v in stamp.items()):
            return None  # the cache holds this very file already
    try:
        acquired = read_mirror(doc_id, mdir, entries)
        if acquired is None:
            return None
        check_text(acquired, row, f"{doc_id}: mirror file {acquired.location}", known)
    except CorpusError:
        return None  # resolve() reports it
    write_cache(acquired, cdir, stamp)
    return _row(
        doc_id,
        "copied",
        acquired.source,
        f"{doc_id}: copied {acquired.location} into the cache ({acquired.chars} characters)",
    )


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
    refresh: bool = False,
    routes: pd.DataFrame | str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Put every accepted text into the cache (see the module); one result row per document.

    ``action``: ``kept`` (a good copy is cached), ``copied`` (from the mirror), ``downloaded``,
    ``failed`` / ``rejected`` / ``hash mismatch`` (the attempt failed and is recorded),
    ``remembered`` (an earlier attempt failed; not tried again without ``refresh``), ``skipped``
    (offline, or the network proved unreachable), ``no url``, ``damaged`` (a local copy is unusable
    and nothing could replace it) or ``disk`` (the cache could not be written). ``force`` downloads
    again documents already available; ``refresh`` retries documents whose last attempt failed.
    ``routes`` is the routes table (default ``data/corpus/routes.csv``): it gives each URL's kind.
    """
    from tqdm import tqdm

    df = _manifest(manifest)
    mdir = usable(mirror_dir(mirror))
    entries = mirror_entries(mdir, df["doc_id"]) if mdir is not None else {}
    cdir = _cache_dir(cache_dir)
    offline = offline_requested(offline)
    options = options or HttpOptions()
    # a URL routes.csv does not list counts as official; tests/test_corpus_routes.py checks that the
    # committed routes describe the committed manifest (analysis.corpus.routes.check_routes)
    kinds = route_kinds(routes if isinstance(routes, pd.DataFrame) else load_routes(routes))
    archive = archive_base(options.archive_base)
    wanted = set(doc_ids) if doc_ids is not None else None
    rows: list[dict[str, str]] = []
    unreachable = 0
    known = known_texts(df, cdir, mdir, entries)  # another document's verified text is refused (claims.py)
    own: list[Any] = []
    try:
        bar = tqdm(list(df.iterrows()), desc="corpus", unit="doc", disable=(None if progress is None else not progress))
        for _, row in bar:
            doc_id = row["doc_id"]
            if wanted is not None and doc_id not in wanted:
                continue
            try:
                copied = _sync_mirror(row, cdir, mdir, entries, known)
            except CacheWriteError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                rows.append(_row(doc_id, "disk", "mirror", str(exc)))
                continue
            res = resolve(row, cdir, mdir, entries)
            if (
                res.status == "available"
                and res.acquired is not None
                and res.location == display_path(legacy_files(doc_id, cdir)[0])
            ):
                write_cache(res.acquired, cdir)  # a copy in the old cache layout, rewritten with its provenance
                res = resolve(row, cdir, mdir, entries)
            links = urls(row["official_url"])
            if res.status == "available" and not (force and links):
                rows.append(copied or _row(doc_id, "kept", res.source, res.message))
                continue
            if not links:
                action = {"missing": "no url", "available": "kept"}.get(res.status, "damaged")
                rows.append(_row(doc_id, action, res.source, res.message))
                continue
            record = read_error_record(doc_id, cdir)
            if record and not (refresh or force):
                rows.append(
                    _row(
                        doc_id,
                        "remembered",
                        "url",
                        f"{res.message}; not tried again (run `make data REFRESH=1` to retry)",
                    )
                )
                continue
            if offline:
                rows.append(
                    _row(
                        doc_id,
                        "skipped",
                        res.source,
                        f"{doc_id}: not downloaded, offline (--offline or CORPUS_OFFLINE=1); official URL {' '.join(links)}",
                    )
                )
                continue
            if unreachable >= OFFLINE_AFTER:
                message = (
                    f"{doc_id}: not tried, the network is unreachable ({OFFLINE_AFTER} connection failures in a row); "
                    f"official URL {' '.join(links)}"
                )
                if res.status == "available":
                    rows.append(_row(doc_id, "skipped", res.source, message))
                    continue
                rows.append(_record_failure(doc_id, cdir, "skipped", "unreachable", links[0], message))
                continue
            if not own:
                if session is None:
                    from analysis.corpus.sources import make_session

                    session = make_session(options)
                    own.append(session)
                else:
                    own.append(None)
            if record:
                clear_error_record(doc_id, cdir)
            bar.set_postfix_str(doc_id)
            plan = plan_routes(row, kinds.get(doc_id, {}), archive)
            result, connection = _download(
                row, plan, cdir, session, options, keep=res.status == "available", known=known
            )
            rows.append(result)
            unreachable = unreachable + 1 if connection else 0
    finally:
        for s in own:
            if s is not None:
                s.close()
    return pd.DataFrame(rows, columns=list(FETCH_COLUMNS))


def _record_failure(doc_id: str, cdir: Path, action: str, failure: str, url: str, message: str) -> dict[str, str]:
    try:
        write_error_record(doc_id, cdir, {"class": failure, "url": url, "message": message})
    except CacheWriteError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        return _row(doc_id, "disk", "url", f"{message}; and {exc}")
    return _row(doc_id, action, "url", message)


def _tier(route: Route) -> str:
    """The tier a route belongs to (each tier has its own deadline): official, archive or reprint."""
    return "archive" if route.route == "archive" else "reprint" if route.kind == "other reprint" else "official"


def _download(
    row: pd.Series,
    plan: list[Route],
    cdir: Path,
    session: Any,
    options: HttpOptions,
    *,
    keep: bool,
    known: KnownTexts | None = None,
) -> tuple[dict[str, str], bool]:
    """Try ``row``'s routes, tier by tier, each tier within its own deadline; cache the first accepted
    text with its route. Returns (result row, connection failure?)."""
    from analysis.corpus.sources import fetch_url

    doc_id = row["doc_id"]
    errors: list[BaseException] = []
    listed: list[BaseException] = []  # the errors of the listed URLs (not of archive snapshots)
    tier, deadline, skip = "", 0.0, False
    for route in plan:
        if _tier(route) != tier:
            tier, deadline, skip = _tier(route), time.monotonic() + options.deadline, False
        if skip:
            continue
        url = route.url
        try:
            acquired: Acquired = fetch_url(doc_id, url, session, options, deadline=deadline)
            acquired.route, acquired.route_kind = route.route, route.kind
            check_text(acquired, row, f"{doc_id}: {url} ({route.kind})", known)
        except CorpusError as exc:
            errors.append(exc)
            if not route.original:
                listed.append(exc)
            if failure_class(exc) == "timeout" and getattr(exc, "kind", "") == "deadline":
                skip = True  # the rest of this tier would time out too; the next tier gets its own deadline
            continue
        try:
            write_cache(acquired, cdir, {"archived_url": route.original} if route.original else None)
        except CacheWriteError as exc:
            if exc.errno != errno.ENOSPC:
                raise
            return _row(doc_id, "disk", "url", str(exc)), False
        note = "" if row["expected_sha256"] else f" (not verified: no expected_sha256; sha256 {acquired.sha256})"
        via = f"route {route.route} ({route.kind}" + (f", snapshot of {route.original})" if route.original else ")")
        body = acquired.container or {"pdf": "PDF", "docx": "Word file"}.get(acquired.encoding, "plain text")
        return _row(
            doc_id,
            "downloaded",
            "url",
            f"{doc_id}: downloaded {url}, {via}, {acquired.chars} characters, body "
            f"{body}"
            f"{', converted to simplified' if acquired.converted_t2s else ''}{note}",
        ), False
    last = (listed or errors)[-1]  # a missing snapshot does not hide why the listed URLs failed
    failure = failure_class(last)
    message = " | ".join(str(e) for e in errors)
    connection = all(
        isinstance(e, DownloadConnectionError)
        or (isinstance(e, DownloadTimeoutError) and getattr(e, "kind", "") == "connect timeout")
        for e in errors
    )
    if keep:  # --force on an available document: the good copy stays, nothing is recorded
        return _row(doc_id, "failed", "url", f"{message}; the good copy is kept, nothing recorded"), connection
    action = {"rejected": "rejected", "hash mismatch": "hash mismatch", "no text layer": "rejected"}.get(
        failure, "failed"
    )
    return _record_failure(doc_id, cdir, action, failure, plan[-1].url, message), connection
