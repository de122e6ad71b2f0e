"""``make data``: put every accepted text into the cache ``data/raw/``, with its provenance.

For each manifest document, in order:

1. a good cached copy is kept (a mirror copy is refreshed when the mirror's file changed);
2. the mirror's copy, when accepted, is copied into the cache (origin ``mirror`` or ``synthetic``);
3. otherwise the document's routes are downloaded in the order of
   :func:`~analysis.corpus.routes.plan_routes` – the official URLs, then their Internet Archive
   snapshots and archived copies, last the other reprints (``data/corpus/routes.csv``) – each tier
   with an overall deadline on top of the per-read timeout, and the first accepted text is cached
   (origin ``url``; provenance ``route``: official / reprint / archive, ``route_kind`` and the
   ``final_url`` after redirects). A failure is recorded in the cache with its class
   (:data:`~analysis.corpus.core.FAILURE_CLASSES`), reason and time; the network is not tried again
   for that document until ``refresh`` (``make data REFRESH=1``) – except class ``unreachable``.

Reachability is per host (host and port): a host whose connection fails (refused, name not
resolved, no connection within the connect timeout, each after the session's retries) is not tried
again in this run, so its other documents are recorded as not tried (class ``unreachable``, with the
hosts), while documents on other hosts are fetched as usual; redirect loops, read timeouts, HTTP errors
and rejected pages are answers of the host and do not count. A document whose routes failed for want
of a connection, on any route, gets class ``unreachable``: that is no verdict on the document (unlike
a 404 or a refused page), so **every fetch that is not offline tries it again**, without ``refresh``;
an offline fetch (``--offline``, ``CORPUS_OFFLINE=1``) never does. Those retries come after the other
documents, oldest record first, and stop once :data:`PROBE_HOSTS` hosts have failed in the run with none
answering (the network is still down): the rest wait, recorded as they are, for the next run. The command line keeps a warm
``make data`` a no-op that touches no network when nothing changed, unless such records are left and
the run is not offline (:mod:`analysis.corpus.cli`).

A full disk is reported per document and the others go on, and nothing about it is recorded (it is
no verdict on a document); a cache that cannot be written at all (read-only) stops the run with one
message. A damaged failure record (``null``, ``42``, a list) counts as none and is removed.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from analysis.corpus.cache import (
    clear_error_record,
    error_record_problem,
    legacy_files,
    provenance,
    read_error_record,
    write_cache,
    write_error_record,
)
from analysis.corpus.claims import KnownTexts
from analysis.corpus.core import (
    Resolution,
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
from analysis.io.paths import mirror_dir, offline_requested

#: Connection failures in a row (each after the session's own retries) after which a host is not tried again in
#: a run. One: the session has retried the connection already, and a document skipped for it is no verdict (its
#: record is ``unreachable`` and tried again by the next fetch that is not offline), so waiting for more costs time
#: on every dead host and gains nothing.
HOST_DOWN_AFTER = 1
#: Hosts that must fail in a run, with none answering, before the documents of earlier ``unreachable`` records wait
#: for the next run (the network is taken as still down): a warm run offline without CORPUS_OFFLINE=1 then costs
#: three connection attempts, not one per host of the manifest.
PROBE_HOSTS = 3
FETCH_COLUMNS: tuple[str, ...] = ("doc_id", "action", "source", "message")


@dataclass
class Reach:
    """What a run has learnt of the network: connection failures in a row per host (``down``) and whether any
    host has answered at all (an HTTP answer of any status)."""

    down: dict[str, int] = field(default_factory=dict)
    answered: bool = False

    def is_down(self, host: str) -> bool:
        return self.down.get(host, 0) >= HOST_DOWN_AFTER

    def failed(self, host: str) -> None:
        self.down[host] = self.down.get(host, 0) + 1

    def answer(self, host: str) -> None:
        self.down.pop(host, None)
        self.answered = True

    def silent(self) -> bool:
        """No host has answered and :data:`PROBE_HOSTS` hosts have failed: the network is taken as down."""
        return not self.answered and len(self.down) >= PROBE_HOSTS


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


def _host(url: str) -> str:
    """The host of ``url`` with its port (``www.gov.cn:443``): the unit of reachability."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    return f"{parts.hostname or ''}:{port}"


def _unreached(exc: BaseException) -> bool:
    """True when ``exc`` says the host could not be reached at all (refused, not resolved, no connection in time)."""
    return isinstance(exc, DownloadConnectionError) or (
        isinstance(exc, DownloadTimeoutError) and getattr(exc, "kind", "") == "connect timeout"
    )


def _retried_anyway(record: dict[str, Any] | None) -> bool:
    """An ``unreachable`` record is no verdict on the document: it is tried again without ``refresh``."""
    return record is not None and record.get("class") == "unreachable"


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
    (offline, or every host of the document proved unreachable in this run), ``no url``, ``damaged``
    (a local copy is unusable and nothing could replace it) or ``disk`` (the cache could not be
    written). ``force`` downloads again documents already available; ``refresh`` retries documents
    whose last attempt failed (those of class ``unreachable`` are retried anyway when not offline).
    ``routes`` is the routes table (default ``data/corpus/routes.csv``): it gives each URL's kind.
    """
    from tqdm import tqdm

    df = _manifest(manifest)
    mdir = usable(mirror_dir(mirror))
    entries = mirror_entries(mdir, df["doc_id"]) if mdir is not None else {}
    cdir = _cache_dir(cache_dir)
    offline = offline_requested(offline)
    options = options or HttpOptions()
    # a URL routes.csv does not list counts as official; tests/analysis/corpus/test_corpus_routes.py checks that the
    # committed routes describe the committed manifest (analysis.corpus.routes.check_routes)
    kinds = route_kinds(routes if isinstance(routes, pd.DataFrame) else load_routes(routes))
    archive = archive_base(options.archive_base)
    wanted = set(doc_ids) if doc_ids is not None else None
    rows: dict[int, dict[str, str]] = {}  # manifest position → result row
    reach = Reach()
    pending: list[tuple[str, int, pd.Series, Resolution, list[str]]] = []  # unreachable records, tried last
    known = known_texts(df, cdir, mdir, entries)  # another document's verified text is refused (claims.py)
    own: list[Any] = []

    def attempt(row: pd.Series, res: Resolution, links: list[str]) -> dict[str, str]:
        nonlocal session
        doc_id = row["doc_id"]
        plan = plan_routes(row, kinds.get(doc_id, {}), archive)
        if all(reach.is_down(_host(r.url)) for r in plan):
            hosts = sorted({_host(r.url) for r in plan})
            message = (
                f"{doc_id}: not tried, its host(s) {', '.join(hosts)} could not be reached earlier in this run; "
                f"tried again by the next `make data` that is not offline; official URL {' '.join(links)}"
            )
            if res.status == "available":
                return _row(doc_id, "skipped", res.source, message)
            return _record_failure(doc_id, cdir, "skipped", "unreachable", links[0], message, hosts)
        if not own:
            if session is None:
                from analysis.corpus.sources import make_session

                session = make_session(options)
                own.append(session)
            else:
                own.append(None)
        # an earlier failure record stays until this attempt's outcome replaces it (an interrupted retry
        # must not forget it): write_cache removes it, _record_failure overwrites it
        return _download(row, plan, cdir, session, options, reach, keep=res.status == "available", known=known)

    try:
        bar = tqdm(list(df.iterrows()), desc="corpus", unit="doc", disable=(None if progress is None else not progress))
        for position, (_, row) in enumerate(bar):
            doc_id = row["doc_id"]
            if wanted is not None and doc_id not in wanted:
                continue
            if error_record_problem(doc_id, cdir):
                clear_error_record(doc_id, cdir)  # a damaged record is no record (the command line said so)
            try:
                copied = _sync_mirror(row, cdir, mdir, entries, known)
            except CacheWriteError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                rows[position] = _row(doc_id, "disk", "mirror", str(exc))
                continue
            res = resolve(row, cdir, mdir, entries)
            if (
                res.status == "available"
                and res.acquired is not None
                and res.location == display_path(legacy_files(doc_id, cdir)[0])
            ):
                try:
                    write_cache(res.acquired, cdir)  # a copy in the old cache layout, rewritten with its provenance
                except CacheWriteError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    rows[position] = _row(doc_id, "disk", res.source, str(exc))
                    continue
                res = resolve(row, cdir, mdir, entries)
            links = urls(row["official_url"])
            if res.status == "available" and not (force and links):
                rows[position] = copied or _row(doc_id, "kept", res.source, res.message)
                continue
            if not links:
                action = {"missing": "no url", "available": "kept"}.get(res.status, "damaged")
                rows[position] = _row(doc_id, action, res.source, res.message)
                continue
            record = read_error_record(doc_id, cdir)
            if record and not (refresh or force or _retried_anyway(record)):
                message = f"{res.message}; not tried again (run `make data REFRESH=1` to retry)"
                rows[position] = _row(doc_id, "remembered", "url", message)
                continue
            if offline:
                message = (
                    f"{doc_id}: not downloaded, offline (--offline or CORPUS_OFFLINE=1); official URL {' '.join(links)}"
                )
                rows[position] = _row(doc_id, "skipped", res.source, message)
                continue
            if record and not (refresh or force):
                pending.append((str(record.get("time", "")), position, row, res, links))
                continue
            bar.set_postfix_str(doc_id)
            rows[position] = attempt(row, res, links)
        # Documents whose hosts could not be reached last time, oldest record first (so that dead hosts take
        # turns): tried unless PROBE_HOSTS hosts have failed in this run and none has answered – the network is
        # then taken as still down, and they wait for the next run, recorded as they are.
        for _, position, row, res, links in sorted(pending, key=lambda p: (p[0], p[1])):
            if reach.silent():
                message = (
                    f"{res.message}; not tried: {len(reach.down)} hosts could not be reached in this run and none "
                    "answered (the network is still down?); tried again by the next `make data` that is not offline"
                )
                rows[position] = _row(row["doc_id"], "remembered", "url", message)
            else:
                rows[position] = attempt(row, res, links)
    finally:
        for s in own:
            if s is not None:
                s.close()
    return pd.DataFrame([rows[k] for k in sorted(rows)], columns=list(FETCH_COLUMNS))


def _record_failure(
    doc_id: str, cdir: Path, action: str, failure: str, url: str, message: str, hosts: list[str] | None = None
) -> dict[str, str]:
    record: dict[str, Any] = {"class": failure, "url": url, "message": message}
    if hosts:
        record["hosts"] = hosts
    try:
        write_error_record(doc_id, cdir, record)
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
    reach: Reach,
    *,
    keep: bool,
    known: KnownTexts | None = None,
) -> dict[str, str]:
    """Try ``row``'s routes, tier by tier, each tier within its own deadline, skipping hosts that ``reach``
    counts as unreachable (and telling it which hosts failed or answered); cache the first accepted text
    with its route; a text that is another document's verified text (``known``) is refused. Returns the
    result row."""
    from analysis.corpus.sources import fetch_url

    doc_id = row["doc_id"]
    errors: list[BaseException] = []
    listed: list[BaseException] = []  # the errors of the listed URLs (not of archive snapshots)
    unreached: set[str] = set()
    tier, deadline, skip = "", 0.0, False
    for route in plan:
        if _tier(route) != tier:
            tier, deadline, skip = _tier(route), time.monotonic() + options.deadline, False
        if skip:
            continue
        url, host = route.url, _host(route.url)
        try:
            if reach.is_down(host):
                raise DownloadConnectionError(f"{doc_id}: {url}: not tried, {host} could not be reached in this run")
            acquired: Acquired = fetch_url(doc_id, url, session, options, deadline=deadline)
            acquired.route, acquired.route_kind = route.route, route.kind
            check_text(acquired, row, f"{doc_id}: {url} ({route.kind})", known)
        except CorpusError as exc:
            errors.append(exc)
            if not route.original:
                listed.append(exc)
            if _unreached(exc):
                unreached.add(host)
                if not reach.is_down(host):
                    reach.failed(host)
            else:
                reach.answer(host)
            if failure_class(exc) == "timeout" and getattr(exc, "kind", "") == "deadline":
                skip = True  # the rest of this tier would time out too; the next tier gets its own deadline
            continue
        reach.answer(host)
        try:
            write_cache(acquired, cdir, {"archived_url": route.original} if route.original else None)
        except CacheWriteError as exc:
            if exc.errno != errno.ENOSPC:
                raise
            return _row(doc_id, "disk", "url", str(exc))
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
        )
    considered = listed or errors  # a missing snapshot does not hide why the listed URLs failed
    message = " | ".join(str(e) for e in errors)
    if keep:  # --force on an available document: the good copy stays, nothing is recorded
        return _row(doc_id, "failed", "url", f"{message}; the good copy is kept, nothing recorded")
    # a route that could not be reached is no verdict on the document: the record is `unreachable`, tried again
    failure = "unreachable" if any(_unreached(e) for e in considered) else failure_class(considered[-1])
    action = {"rejected": "rejected", "hash mismatch": "hash mismatch", "no text layer": "rejected"}.get(
        failure, "failed"
    )
    hosts = sorted(unreached) if failure == "unreachable" else None
    return _record_failure(doc_id, cdir, action, failure, plan[-1].url, message, hosts)
