"""The corpus: which documents the book uses, where their texts come from, and whether they are here.

Public API (other modules and the notebooks use only these):

* :func:`load_manifest` – the committed manifest ``data/corpus/manifest.csv``, one row per document.
* :func:`load_corpus` – one row per *available* document with its normalised ``text``.
* :func:`coverage` – every manifest document with its status (available / missing / hash mismatch /
  failed), the source it came from, characters, hash and a one-line message.
* :func:`fetch` and :func:`verify` – used by ``python -m analysis corpus fetch | verify``.

Texts are looked for in this order: the local cache ``data/raw/`` (git-ignored), the mirror folder
(``mirror=`` argument, else ``$CORPUS_MIRROR``), then – only in :func:`fetch` – the official URL.
:func:`load_corpus` and :func:`coverage` never touch the network and never write to stderr, so
notebooks can call them while the book builds. Primary texts are never committed.

Submodules: :mod:`~analysis.corpus.manifest` (columns, checks), :mod:`~analysis.corpus.decode`
(binary/truncation checks, encoding detection, traditional → simplified),
:mod:`~analysis.corpus.extract` (HTML → main text), :mod:`~analysis.corpus.sources` (cache, mirror,
HTTP), :mod:`~analysis.corpus.core` (coverage, loading, fetching, verification),
:mod:`~analysis.corpus.errors` (exceptions).
"""

from analysis.corpus.core import (
    COVERAGE_COLUMNS,
    CORPUS_COLUMNS,
    STATUSES,
    coverage,
    fetch,
    load_corpus,
    load_text,
    verify,
)
from analysis.corpus.errors import (
    BinaryContentError,
    CorpusError,
    DecodingError,
    DownloadConnectionError,
    DownloadTimeoutError,
    EmptyDocumentError,
    HashMismatchError,
    HTTPStatusError,
    ManifestError,
    NoDocumentBodyError,
    SourceError,
    TruncatedDocumentError,
)
from analysis.corpus.manifest import COLUMNS, MANIFEST_PATH, load_manifest
from analysis.corpus.sources import HttpOptions

__all__ = [
    "BinaryContentError",
    "COLUMNS",
    "CORPUS_COLUMNS",
    "COVERAGE_COLUMNS",
    "CorpusError",
    "DecodingError",
    "DownloadConnectionError",
    "DownloadTimeoutError",
    "EmptyDocumentError",
    "HTTPStatusError",
    "HashMismatchError",
    "HttpOptions",
    "MANIFEST_PATH",
    "ManifestError",
    "NoDocumentBodyError",
    "STATUSES",
    "SourceError",
    "TruncatedDocumentError",
    "coverage",
    "fetch",
    "load_corpus",
    "load_manifest",
    "load_text",
    "verify",
]
