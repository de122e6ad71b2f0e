"""Exceptions of the corpus layer. Every message names the document, the file or URL, and the fix."""

from __future__ import annotations


class CorpusError(Exception):
    """Base class of every corpus error."""


class ManifestError(CorpusError, ValueError):
    """The manifest is missing, malformed or inconsistent (names the file, the line and the fix)."""


class SourceError(CorpusError):
    """A source (cache file, mirror file, URL) gave nothing usable for a document.

    ``kind`` is a short machine-readable label (``empty``, ``truncated``, ``binary``, ``undecodable``,
    ``no body``, ``http 404``, ``timeout``, ``connection`` …) shown in coverage messages.
    """

    kind = "error"

    def __init__(self, message: str, *, kind: str | None = None) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind


class EmptyDocumentError(SourceError):
    """The file or response has no text at all (zero bytes, or only whitespace)."""

    kind = "empty"


class TruncatedDocumentError(SourceError):
    """The bytes end early: fewer bytes than announced, or a multi-byte character cut at the end."""

    kind = "truncated"


class BinaryContentError(SourceError):
    """The bytes are not text (NUL bytes, a PDF, a ZIP/Office file, an image)."""

    kind = "binary"


class TooLargeError(SourceError):
    """A file or answer larger than a document can be (a size cap of :mod:`analysis.corpus.sources` or
    :mod:`analysis.corpus.docxtext`): refused before it is read whole."""

    kind = "too large"


class DecodingError(SourceError):
    """The bytes decode in none of the accepted encodings (UTF-8, GB18030/GBK, a verified declared charset)."""

    kind = "undecodable"


class NoDocumentBodyError(SourceError):
    """An HTML page in which no document body could be found (no known container, too little text)."""

    kind = "no body"


class HTTPStatusError(SourceError):
    """The server answered with an error status (404, 500 …) after the retries."""

    kind = "http error"


class DownloadTimeoutError(SourceError):
    """The server did not answer (connect or read) within the timeout, after the retries."""

    kind = "timeout"


class DownloadConnectionError(SourceError):
    """The connection could not be made: refused, host not found, network unreachable."""

    kind = "connection"


class RedirectLoopError(SourceError):
    """The URL redirects in a loop (or too many times); a fault of the site, not of the network."""

    kind = "redirect loop"


class CacheWriteError(CorpusError):
    """The cache ``data/raw/`` cannot be written (read-only folder, full disk); ``errno`` tells which."""

    def __init__(self, message: str, *, errno: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno


class HashMismatchError(CorpusError):
    """A text's SHA-256 (of the normalised text) differs from the manifest's ``expected_sha256``."""

    def __init__(self, doc_id: str, source: str, location: str, expected: str, actual: str) -> None:
        self.doc_id, self.source, self.location, self.expected, self.actual = doc_id, source, location, expected, actual
        super().__init__(
            f"{doc_id}: hash mismatch in the {source} copy ({location}): expected sha256 {expected}, got {actual}; "
            "the text is not used. If the source changed on purpose, check the text and update expected_sha256 "
            "in data/corpus/manifest.csv; otherwise delete the copy and run `python -m analysis corpus fetch`."
        )
