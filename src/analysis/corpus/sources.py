"""Texts from bytes, and from the official URLs.

:func:`text_from_bytes` turns the bytes of a file or an HTTP answer into an :class:`Acquired` text
(decoded, HTML reduced to its body, traditional script converted, normalised, hashed);
:func:`fetch_url` downloads a URL with a per-read timeout, retries and an overall deadline. Errors
are :class:`~analysis.corpus.errors.SourceError` subclasses whose message names the document, the
URL and the fix. Nothing here writes to stderr; only :func:`fetch_url` touches the network. The
cache is :mod:`analysis.corpus.cache`, the mirror :mod:`analysis.corpus.mirror`.

Size caps (each refused in one line, before the bytes are decoded or parsed; :class:`TooLargeError`):

* :data:`MAX_BYTES` (50 MiB) for a download, an imported file and a mirror file: the longest text of
  the mirror is 135 KB and an official PDF with images a few MB, so anything larger is not a
  document page; a local file is checked by its size before it is read, a download as it arrives.
* :data:`MAX_TEXT_BYTES` (8 MiB) for plain text and HTML: sixty times the longest text of the mirror,
  and room for the heaviest HTML page around it; decoding, extraction and normalisation take some
  30 times the size in memory (a 312 MB text file took 9.9 GB, issue 21), so 8 MiB stays near 250 MB.
* the Word XML cap of :mod:`analysis.corpus.docxtext` (16 MiB of ``word/document.xml``).
"""

from __future__ import annotations

import contextvars
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.corpus.decode import decode_bytes, to_simplified
from analysis.corpus.errors import (
    DownloadConnectionError,
    DownloadTimeoutError,
    EmptyDocumentError,
    HTTPStatusError,
    SourceError,
    TooLargeError,
    TruncatedDocumentError,
)
from analysis.corpus.extract import extract_html, looks_like_html
from analysis.io.paths import PROJECT_ROOT
from analysis.io.text import normalize_text, text_sha256

USER_AGENT = "securitization-of-ai-book corpus fetcher (+https://github.com/; research use)"
#: Largest download, imported file or mirror file read (see the module).
MAX_BYTES = 50 * 1024 * 1024
#: Largest plain-text or HTML content decoded (see the module).
MAX_TEXT_BYTES = 8 * 1024 * 1024


@dataclass
class Acquired:
    """A document's normalised text and where it came from."""

    doc_id: str
    text: str
    source: str  # origin: "mirror", "url", "imported" or "synthetic"
    location: str  # where it is read from: file path (relative to the book when possible) or URL
    encoding: str = "utf-8"
    container: str = ""  # HTML body container that matched; "" for plain text
    converted_t2s: bool = False
    origin: str = ""  # where it came from first (URL, mirror file, imported file); "" = location
    route: str = ""  # for a download: "official", "reprint" or "archive" (analysis.corpus.routes)
    route_kind: str = ""  # the route's kind: official, gazette, authoritative reprint, other reprint, archive
    final_url: str = ""  # for a download: the URL that answered, after redirects
    sha256: str = field(init=False)
    chars: int = field(init=False)

    def __post_init__(self) -> None:
        self.sha256 = text_sha256(self.text)
        # the same number as analysis.io.text.count_characters (non-whitespace characters), computed in C
        self.chars = len("".join(self.text.split()))


def display_path(path: Path) -> str:
    """``path`` relative to the book's root when it is inside the root or a sibling folder (such as
    ``../shared/corpus``), so that outputs do not depend on where the book is checked out; else absolute."""
    try:
        rel = os.path.relpath(path, PROJECT_ROOT)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith(os.path.join(os.pardir, os.pardir)) else rel


def _mib(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB"


def read_local_file(path: Path, where: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``path`` (named ``where`` in errors), refused in one line when it is
    not a regular file (a FIFO would block, a device never end) or holds more than ``limit`` bytes; a
    larger file is never read whole."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # opening a FIFO must not wait for a writer
    except OSError as exc:
        raise SourceError(
            f"{where}: cannot be read ({exc.strerror or exc}); check the path", kind="unreadable"
        ) from exc
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device"
            raise SourceError(f"{where}: is {what}, not a regular file; give the saved file itself", kind="not a file")
        if info.st_size > limit:
            raise _too_large(where, info.st_size, limit)
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise _too_large(where, len(data), limit)
    return data


def _too_large(where: str, size: int, limit: int) -> TooLargeError:
    return TooLargeError(
        f"{where}: refused, {_mib(size)} is more than the {_mib(limit)} a document file has "
        "(size caps: data/corpus/README.md); save the document's own text as UTF-8 .txt and use that"
    )


def text_from_bytes(
    doc_id: str, data: bytes, where: str, *, content_type: str | None = None, source: str, location: str
) -> Acquired:
    """Bytes of a file or HTTP response → :class:`Acquired` (decode, extract HTML, convert script, normalise).

    A PDF (:mod:`analysis.corpus.pdftext`) or Word file (:mod:`analysis.corpus.docxtext`) is recognised by
    its first bytes and reduced to its text first; its ``encoding`` is then ``pdf`` or ``docx``."""
    from analysis.corpus.docxtext import docx_text, is_docx
    from analysis.corpus.pdftext import is_pdf, pdf_text

    if is_pdf(data):
        text, encoding, container = pdf_text(data, where), "pdf", ""
    elif is_docx(data):
        text, encoding, container = docx_text(data, where), "docx", ""
    else:
        if len(data) > MAX_TEXT_BYTES:
            raise TooLargeError(
                f"{where}: refused, {_mib(len(data))} of text or HTML is more than the {_mib(MAX_TEXT_BYTES)} a "
                "document page has (the longest text of the mirror has 0.1 MiB; size caps: data/corpus/README.md); "
                "save the document's own text and use that"
            )
        decoded = decode_bytes(data, where, content_type=content_type)
        text, encoding, container = decoded.text, decoded.encoding, ""
        if (content_type and "html" in content_type.lower()) or looks_like_html(text):
            extracted = extract_html(text, where)
            text, container = extracted.text, extracted.container
    text, converted = to_simplified(text)
    text = normalize_text(text)
    if not text:
        raise EmptyDocumentError(
            f"{where}: no text left after normalisation (only whitespace); re-acquire the document"
        )
    return Acquired(doc_id, text, source, location, encoding, container, converted)


# --------------------------------------------------------------------------- network


@dataclass(frozen=True)
class HttpOptions:
    """Download settings: (connect, read) timeouts in seconds, retries, back-off factor and the overall
    ``deadline`` of one tier of a document's routes (official, archive, reprints: all their URLs and
    retries), in seconds, and the archive's base URL (:mod:`analysis.corpus.routes`)."""

    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    retries: int = 2
    backoff: float = 0.5
    user_agent: str = USER_AGENT
    deadline: float = 60.0
    #: Base URL of the Internet Archive (``None``: ``$CORPUS_ARCHIVE`` or https://web.archive.org/web/; ``""``: none).
    archive_base: str | None = None


#: Monotonic time by which the current download must end (set by :func:`fetch_url`, read by :class:`_DeadlineRetry`).
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("corpus_download_deadline", default=None)
#: Retries made by the current download (one item, counted by :class:`_DeadlineRetry`), for the error messages.
_RETRIES: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("corpus_download_retries", default=None)


class DeadlineExceeded(Exception):
    """Raised inside urllib3's retry loop when the download's deadline has passed."""


def _deadline_retry_class() -> type:
    from urllib3.exceptions import MaxRetryError, NameResolutionError
    from urllib3.util.retry import Retry

    class _DeadlineRetry(Retry):  # type: ignore[misc]
        """urllib3's Retry that gives up once the current download's deadline has passed."""

        def increment(self, *args: Any, **kwargs: Any) -> Any:
            deadline = _DEADLINE.get()
            if deadline is not None and time.monotonic() >= deadline:
                raise DeadlineExceeded()
            response, error = kwargs.get("response"), kwargs.get("error")
            if isinstance(error, NameResolutionError):
                # a host name that does not resolve does not resolve a second later either (and offline, no name
                # does): no retry, no back-off, so that an offline run costs no waiting per host
                url = args[1] if len(args) > 1 else kwargs.get("url")
                raise MaxRetryError(kwargs.get("_pool"), url, error) from error
            new = super().increment(*args, **kwargs)  # raises when the retries are spent
            redirect = error is None and response is not None and response.get_redirect_location()
            counter = _RETRIES.get()
            if counter is not None and not redirect:
                counter[0] += 1  # urllib3 follows a redirect through the same call: that is no retry
            return new

    return _DeadlineRetry


def make_session(options: HttpOptions | None = None) -> Any:
    """A :class:`requests.Session` retrying connection errors, read errors and 429/5xx answers (within the deadline)."""
    import requests
    from requests.adapters import HTTPAdapter

    options = options or HttpOptions()
    retry = _deadline_retry_class()(
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
    session.max_redirects = 10
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = options.user_agent
    return session


def _deadline_error(where: str, options: HttpOptions) -> DownloadTimeoutError:
    return DownloadTimeoutError(
        f"{where}: the download did not finish within its deadline of {options.deadline:g} s (the server is too slow); "
        "try again later (`make data REFRESH=1`, --deadline) or use the mirror",
        kind="deadline",
    )


def fetch_url(
    doc_id: str, url: str, session: Any, options: HttpOptions | None = None, *, deadline: float | None = None
) -> Acquired:
    """Download ``url`` and reduce it to ``doc_id``'s normalised text; raises a :class:`SourceError`.

    ``deadline`` is the monotonic time by which the download must end (default: now +
    ``options.deadline``); the body is read as it arrives, so a server that trickles bytes is cut
    off at the deadline, and no socket read waits longer than the time left.
    """
    import requests
    from urllib3.exceptions import ProtocolError, ReadTimeoutError

    from analysis.corpus.accept import check_snapshot_redirect

    options = options or HttpOptions()
    where = f"{doc_id}: {url}"
    deadline = deadline if deadline is not None else time.monotonic() + options.deadline
    left = deadline - time.monotonic()
    if left <= 0:
        raise _deadline_error(where, options)
    timeout = (min(options.connect_timeout, left), min(options.read_timeout, left))
    token = _DEADLINE.set(deadline)
    counter = [0]
    retries_token = _RETRIES.set(counter)
    final_url = ""

    def after() -> str:
        """`` (after N retries)`` when the download was retried, else ``""``."""
        n = counter[0]
        return f" (after {n} {'retry' if n == 1 else 'retries'})" if n else ""

    try:
        with session.get(url, timeout=timeout, stream=True) as resp:
            final_url = str(resp.url or "")
            if resp.status_code >= 400:
                raise HTTPStatusError(
                    f"{where}: HTTP {resp.status_code} {resp.reason or ''}".rstrip()
                    + after()
                    + (f" at {final_url}" if final_url and final_url != url else "")
                    + "; check official_url in data/corpus/manifest.csv or put a text copy in the mirror",
                    kind=f"http {resp.status_code}",
                )
            chunks, size = [], 0
            while True:
                if time.monotonic() >= deadline:
                    raise _deadline_error(where, options)
                chunk = resp.raw.read1(65536, decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BYTES:
                    raise SourceError(f"{where}: more than {MAX_BYTES} bytes; not a document page", kind="too large")
            data = b"".join(chunks)
            check_snapshot_redirect(where, url, str(resp.url or url))  # an archive snapshot of another site
            content_type = resp.headers.get("Content-Type")
            expected = resp.headers.get("Content-Length")
            if expected and expected.isdigit() and "Content-Encoding" not in resp.headers and len(data) < int(expected):
                raise TruncatedDocumentError(
                    f"{where}: got {len(data)} of {expected} bytes; the download was cut, try again"
                )
    except DeadlineExceeded as exc:
        raise _deadline_error(where, options) from exc
    except requests.exceptions.TooManyRedirects as exc:
        from analysis.corpus.errors import RedirectLoopError

        raise RedirectLoopError(
            f"{where}: the URL redirects in a loop (more than {session.max_redirects} redirects); "
            "correct official_url in data/corpus/manifest.csv or put a text copy in the mirror"
        ) from exc
    except requests.exceptions.ChunkedEncodingError as exc:
        raise TruncatedDocumentError(
            f"{where}: the connection closed before the whole page arrived ({_reason(exc)}); try again"
        ) from exc
    except requests.exceptions.ConnectTimeout as exc:
        raise DownloadTimeoutError(
            f"{where}: no connection within {timeout[0]:g} s{after()}; "
            "check the network or use the mirror (--offline, CORPUS_MIRROR)",
            kind="connect timeout",
        ) from exc
    except requests.exceptions.ReadTimeout as exc:
        raise DownloadTimeoutError(
            f"{where}: the server sent nothing for {timeout[1]:g} s{after()}; try again later or use the mirror"
        ) from exc
    except requests.exceptions.ConnectionError as exc:
        if _caused_by(exc, ReadTimeoutError):
            raise DownloadTimeoutError(
                f"{where}: the server stopped sending for {timeout[1]:g} s; try again later or use the mirror"
            ) from exc
        raise DownloadConnectionError(
            f"{where}: cannot connect ({_reason(exc)}){after()}; check the network, or work offline with the mirror "
            "(--offline, CORPUS_MIRROR)"
        ) from exc
    except ProtocolError as exc:
        raise TruncatedDocumentError(
            f"{where}: the connection closed before the whole page arrived ({_reason(exc)}); try again"
        ) from exc
    except (ReadTimeoutError, TimeoutError) as exc:
        raise DownloadTimeoutError(
            f"{where}: the server stopped sending for {timeout[1]:g} s; try again later or use the mirror"
        ) from exc
    except requests.exceptions.RequestException as exc:
        raise DownloadConnectionError(f"{where}: download failed ({_reason(exc)})") from exc
    finally:
        _DEADLINE.reset(token)
        _RETRIES.reset(retries_token)
    acquired = text_from_bytes(doc_id, data, where, content_type=content_type, source="url", location=url)
    acquired.final_url = final_url or url
    return acquired


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
            text = text[text.index(marker) :]
            break
    text = text.replace("Caused by ", "").strip("()")
    if "Connection refused" in text:
        return "connection refused"
    if "Failed to resolve" in text or "NameResolutionError" in text:
        return "host name not resolved"
    return " ".join(text.split())[:200]
