"""Where texts come from: the local cache (``data/raw/``), a mirror folder and the official URLs.

Every reader returns an :class:`Acquired` text (normalised, hashed) or raises a
:class:`~analysis.corpus.errors.SourceError` whose message names the document, the file or URL and
the fix. Nothing here writes to stderr; only :func:`fetch_url` touches the network.

Cache layout (git-ignored): ``data/raw/<doc_id>.txt`` holds the normalised text (UTF-8),
``data/raw/<doc_id>.json`` a sidecar with its provenance (source URL, raw encoding, body container,
whether traditional characters were converted, SHA-256, characters), and ``data/raw/<doc_id>.error.json``
the last failed download of a document that has no good copy. Writes are atomic
(:mod:`analysis.fileio`): a failed fetch leaves no partial file and never replaces a good one.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.corpus.decode import decode_bytes, to_simplified
from analysis.corpus.errors import (
    CorpusError,
    DownloadConnectionError,
    DownloadTimeoutError,
    EmptyDocumentError,
    HTTPStatusError,
    SourceError,
    TruncatedDocumentError,
)
from analysis.corpus.extract import extract_html, looks_like_html
from analysis.fileio import atomic_write_text
from analysis.paths import PROJECT_ROOT
from analysis.text import NORMALIZATION_VERSION, count_characters, normalize_text, text_sha256

USER_AGENT = "securitization-of-ai-book corpus fetcher (+https://github.com/; research use)"
MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Acquired:
    """A document's normalised text and where it came from."""

    doc_id: str
    text: str
    source: str  # "cache", "mirror" or "url"
    location: str  # file path (relative to the book when possible) or URL
    encoding: str = "utf-8"
    container: str = ""  # HTML body container that matched; "" for plain text
    converted_t2s: bool = False
    origin: str = ""  # for cached texts: the URL they were downloaded from
    sha256: str = field(init=False)
    chars: int = field(init=False)

    def __post_init__(self) -> None:
        self.sha256 = text_sha256(self.text)
        self.chars = count_characters(self.text)


def display_path(path: Path) -> str:
    """``path`` relative to the book's root when it is inside the root or a sibling folder (such as
    ``../shared/corpus``), so that outputs do not depend on where the book is checked out; else absolute."""
    try:
        rel = os.path.relpath(path, PROJECT_ROOT)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith(os.path.join(os.pardir, os.pardir)) else rel


def text_from_bytes(
    doc_id: str, data: bytes, where: str, *, content_type: str | None = None, source: str, location: str
) -> Acquired:
    """Bytes of a file or HTTP response → :class:`Acquired` (decode, extract HTML, convert script, normalise)."""
    decoded = decode_bytes(data, where, content_type=content_type)
    text, container = decoded.text, ""
    if (content_type and "html" in content_type.lower()) or looks_like_html(text):
        extracted = extract_html(text, where)
        text, container = extracted.text, extracted.container
    text, converted = to_simplified(text)
    text = normalize_text(text)
    if not text:
        raise EmptyDocumentError(f"{where}: no text left after normalisation (only whitespace); re-acquire the document")
    return Acquired(doc_id, text, source, location, decoded.encoding, container, converted)


# --------------------------------------------------------------------------- cache


def cache_files(doc_id: str, cache_dir: Path) -> tuple[Path, Path, Path]:
    """``(text, sidecar, error record)`` paths of ``doc_id`` in ``cache_dir``."""
    return cache_dir / f"{doc_id}.txt", cache_dir / f"{doc_id}.json", cache_dir / f"{doc_id}.error.json"


def read_cache(doc_id: str, cache_dir: Path) -> Acquired | None:
    """The cached text of ``doc_id``, ``None`` if there is none; raises if the cached copy is damaged."""
    txt, meta_path, _ = cache_files(doc_id, cache_dir)
    if not txt.is_file():
        return None
    where = f"{doc_id}: cached copy {display_path(txt)}"
    fix = f"delete {display_path(txt)} and run `python -m analysis corpus fetch`"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(f"{where} has no readable sidecar {display_path(meta_path)} ({exc}); {fix}", kind="bad cache") from exc
    data = txt.read_bytes()
    try:
        text = data.decode("utf-8")  # the cache is always written as UTF-8
    except UnicodeDecodeError as exc:
        cut = exc.reason == "unexpected end of data"
        raise (TruncatedDocumentError if cut else SourceError)(
            f"{where} is not valid UTF-8 at byte {exc.start}" + (" (it is truncated)" if cut else "") + f"; {fix}",
            **({} if cut else {"kind": "bad cache"}),
        ) from exc
    if text_sha256(text) != meta.get("sha256"):
        raise TruncatedDocumentError(
            f"{where} does not match its sidecar (sha256 {text_sha256(text)[:12]}…, sidecar "
            f"{str(meta.get('sha256'))[:12]}…): the file is truncated or was edited; {fix}"
        )
    return Acquired(
        doc_id,
        normalize_text(text),
        "cache",
        display_path(txt),
        str(meta.get("encoding", "")),
        str(meta.get("container", "")),
        bool(meta.get("converted_t2s", False)),
        str(meta.get("url", "")),
    )


def write_cache(acquired: Acquired, cache_dir: Path) -> Path:
    """Store a downloaded text and its sidecar atomically; clears the document's error record."""
    txt, meta_path, err = cache_files(acquired.doc_id, cache_dir)
    meta = {
        "doc_id": acquired.doc_id,
        "source": acquired.source,
        "url": acquired.location if acquired.source == "url" else acquired.origin,
        "encoding": acquired.encoding,
        "container": acquired.container,
        "converted_t2s": acquired.converted_t2s,
        "sha256": acquired.sha256,
        "chars": acquired.chars,
        "normalization_version": NORMALIZATION_VERSION,
    }
    atomic_write_text(txt, acquired.text)
    atomic_write_text(meta_path, json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    err.unlink(missing_ok=True)
    return txt


def write_error_record(doc_id: str, cache_dir: Path, record: dict[str, Any]) -> None:
    """Remember why the last download of ``doc_id`` failed (shown by ``coverage`` while no copy exists)."""
    atomic_write_text(cache_files(doc_id, cache_dir)[2], json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def read_error_record(doc_id: str, cache_dir: Path) -> dict[str, Any] | None:
    """The last failed download of ``doc_id``, if one is recorded."""
    path = cache_files(doc_id, cache_dir)[2]
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


# --------------------------------------------------------------------------- mirror


def mirror_files(mirror: Path) -> dict[str, str]:
    """``doc_id → relative file`` from the mirror's ``manifest.csv`` (``file`` column), if it has one."""
    path = mirror / "manifest.csv"
    if not path.is_file():
        return {}
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, OSError) as exc:
        raise CorpusError(f"{path}: the mirror's manifest cannot be read ({exc}); fix or remove it") from exc
    if "doc_id" not in df.columns or "file" not in df.columns:
        return {}
    return {d: f for d, f in zip(df["doc_id"], df["file"]) if f.strip()}


def mirror_path(doc_id: str, mirror: Path, files: dict[str, str] | None = None) -> Path:
    """Where the mirror keeps ``doc_id``: its manifest's ``file`` entry, else ``texts/<doc_id>.txt``."""
    rel = (files or {}).get(doc_id) or f"texts/{doc_id}.txt"
    path = (mirror / rel).resolve()
    if mirror.resolve() not in path.parents:
        raise CorpusError(f"{mirror / 'manifest.csv'}: file {rel!r} of {doc_id} points outside the mirror; fix the entry")
    return path


def read_mirror(doc_id: str, mirror: Path, files: dict[str, str] | None = None) -> Acquired | None:
    """The mirror's text of ``doc_id`` (a UTF-8/GBK text or HTML file), ``None`` if the mirror lacks it.

    Results are memoised per process on the file's path, size and modification time, so that a
    notebook calling :func:`~analysis.corpus.load_corpus` and :func:`~analysis.corpus.coverage`
    decodes each file once; a changed file is read again.
    """
    path = mirror_path(doc_id, mirror, files)
    try:
        stat = path.stat()
    except OSError:
        return None
    if not path.is_file():
        return None
    return _read_mirror_file(doc_id, str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=512)
def _read_mirror_file(doc_id: str, path: str, size: int, mtime_ns: int) -> Acquired:
    where = f"{doc_id}: mirror file {display_path(Path(path))}"
    return text_from_bytes(doc_id, Path(path).read_bytes(), where, source="mirror", location=display_path(Path(path)))


# --------------------------------------------------------------------------- network


@dataclass(frozen=True)
class HttpOptions:
    """Download settings: (connect, read) timeouts in seconds, retries and back-off factor."""

    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    retries: int = 2
    backoff: float = 0.5
    user_agent: str = USER_AGENT


def make_session(options: HttpOptions | None = None) -> Any:
    """A :class:`requests.Session` retrying connection errors, read errors and 429/5xx answers."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    options = options or HttpOptions()
    retry = Retry(
        total=options.retries,
        connect=options.retries,
        read=options.retries,
        status=options.retries,
        backoff_factor=options.backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = options.user_agent
    return session


def fetch_url(doc_id: str, url: str, session: Any, options: HttpOptions | None = None) -> Acquired:
    """Download ``url`` and reduce it to ``doc_id``'s normalised text; raises a :class:`SourceError`."""
    import requests
    from urllib3.exceptions import ReadTimeoutError

    options = options or HttpOptions()
    where = f"{doc_id}: {url}"
    timeout = (options.connect_timeout, options.read_timeout)
    try:
        with session.get(url, timeout=timeout, stream=True) as resp:
            if resp.status_code >= 400:
                raise HTTPStatusError(
                    f"{where}: HTTP {resp.status_code} {resp.reason or ''}".rstrip()
                    + f" (after {options.retries} retries); check official_url in data/corpus/manifest.csv "
                    "or put a text copy in the mirror",
                    kind=f"http {resp.status_code}",
                )
            chunks, size = [], 0
            for chunk in resp.iter_content(chunk_size=65536):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BYTES:
                    raise SourceError(f"{where}: more than {MAX_BYTES} bytes; not a document page", kind="too large")
            data = b"".join(chunks)
            content_type = resp.headers.get("Content-Type")
            expected = resp.headers.get("Content-Length")
            if expected and expected.isdigit() and "Content-Encoding" not in resp.headers and len(data) < int(expected):
                raise TruncatedDocumentError(f"{where}: got {len(data)} of {expected} bytes; the download was cut, try again")
    except requests.exceptions.ChunkedEncodingError as exc:
        raise TruncatedDocumentError(f"{where}: the connection closed before the whole page arrived ({_reason(exc)}); try again") from exc
    except requests.exceptions.ConnectTimeout as exc:
        raise DownloadTimeoutError(
            f"{where}: no connection within {options.connect_timeout:g} s (after {options.retries} retries); "
            "check the network or use the mirror (--offline, CORPUS_MIRROR)",
            kind="connect timeout",
        ) from exc
    except requests.exceptions.ReadTimeout as exc:
        raise DownloadTimeoutError(
            f"{where}: the server sent nothing for {options.read_timeout:g} s (after {options.retries} retries); "
            "try again later or use the mirror"
        ) from exc
    except requests.exceptions.ConnectionError as exc:
        if _caused_by(exc, ReadTimeoutError):
            raise DownloadTimeoutError(
                f"{where}: the server stopped sending for {options.read_timeout:g} s; try again later or use the mirror"
            ) from exc
        raise DownloadConnectionError(
            f"{where}: cannot connect ({_reason(exc)}); check the network, or work offline with the mirror "
            "(--offline, CORPUS_MIRROR)"
        ) from exc
    except requests.exceptions.RequestException as exc:
        raise DownloadConnectionError(f"{where}: download failed ({_reason(exc)})") from exc
    return text_from_bytes(doc_id, data, where, content_type=content_type, source="url", location=url)


def _caused_by(exc: BaseException, cls: type[BaseException]) -> bool:
    """True when ``cls`` appears among ``exc``'s arguments, ``reason`` or causes (requests wraps urllib3's errors)."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, cls):
            return True
        todo.extend([*item.args, getattr(item, "reason", None), item.__cause__, item.__context__])
    return False


def _reason(exc: BaseException) -> str:
    """The innermost useful reason of a requests/urllib3 exception, on one line."""
    text = str(exc)
    for marker in ("Caused by ", "Failed to resolve", "Connection refused", "IncompleteRead", "Read timed out"):
        if marker in text:
            text = text[text.index(marker):]
            break
    text = text.replace("Caused by ", "").strip("()")
    if "Connection refused" in text:
        return "connection refused"
    if "Failed to resolve" in text or "NameResolutionError" in text:
        return "host name not resolved"
    return " ".join(text.split())[:200]
