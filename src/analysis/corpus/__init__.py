"""The corpus: which documents the book uses, where their texts come from, and whether they are here.

Public API (other modules and the notebooks use only these):

* :func:`load_manifest` – the committed manifest ``data/corpus/manifest.csv``, one row per document.
* :func:`load_corpus` – one row per *available* document with its normalised ``text``.
* :func:`coverage` – every manifest document with its status (available / missing / rejected /
  hash mismatch / failed), its origin (``source``: mirror / url / imported / synthetic / none), where
  it is read from (``location``), characters, hash, a one-line message and the failure class.
* :func:`synthetic_documents` – ids of the available documents whose text is synthetic.
* :func:`select_topic`, :func:`local_ai_plans`, :func:`local_ai_plan_ids`, :func:`is_local_ai_plan`,
  :func:`level_group`, :func:`genre_group` – the book's one definition of each kind of document
  (:mod:`~analysis.corpus.select`: topic, local AI plan, level and genre groups).
* :func:`fetch` and :func:`verify` – used by ``python -m analysis corpus fetch | verify`` (``make data``).

``make data`` puts every accepted text – from the mirror (``$CORPUS_MIRROR``), an official URL or an
import – into the cache ``data/raw/`` (git-ignored) with its provenance; from then on every kernel
(the build, nbval, JupyterLab, a script) reads the same corpus from the cache, with no environment
variable. :func:`load_corpus` and :func:`coverage` read the cache, then the mirror; they never touch
the network and never write to stderr, so notebooks can call them while the book builds. ``topics=``
(``"ai"``, ``"control"`` or both) selects documents by the manifest's ``topic``. Primary texts are
never committed.

Submodules: :mod:`~analysis.corpus.manifest` (columns, checks), :mod:`~analysis.corpus.decode`
(binary/truncation checks, encoding detection, traditional → simplified),
:mod:`~analysis.corpus.extract` (HTML → main text), :mod:`~analysis.corpus.accept` (is a text the
document?, with :mod:`~analysis.corpus.opening`: the title at the head and opening fingerprints, and
:mod:`~analysis.corpus.quality`: garbled layers and link lists), :mod:`~analysis.corpus.claims` (which
text goes to which document), :mod:`~analysis.corpus.sources` (bytes → text, HTTP), :mod:`~analysis.corpus.cache`
(the cache and its provenance), :mod:`~analysis.corpus.mirror` (the mirror and its manifest),
:mod:`~analysis.corpus.core` (coverage, loading, verification), :mod:`~analysis.corpus.fetching`
(``make data``), :mod:`~analysis.corpus.importing` (texts saved by hand),
:mod:`~analysis.corpus.routes` (the routes table ``data/corpus/routes.csv``, the order routes are tried in,
Internet Archive snapshots, route coverage, the missing texts of Appendix B),
:mod:`~analysis.corpus.pdftext` and :mod:`~analysis.corpus.docxtext` (PDF and Word files),
:mod:`~analysis.corpus.errors` (exceptions).
"""

from analysis.corpus.accept import RejectedError
from analysis.corpus.core import (
    CORPUS_COLUMNS,
    COVERAGE_COLUMNS,
    FAILURE_CLASSES,
    SOURCES,
    STATUSES,
    coverage,
    load_corpus,
    load_text,
    synthetic_documents,
    verify,
)
from analysis.corpus.errors import (
    BinaryContentError,
    CacheWriteError,
    CorpusError,
    DecodingError,
    DownloadConnectionError,
    DownloadTimeoutError,
    EmptyDocumentError,
    HashMismatchError,
    HTTPStatusError,
    ManifestError,
    NoDocumentBodyError,
    RedirectLoopError,
    SourceError,
    TooLargeError,
    TruncatedDocumentError,
)
from analysis.corpus.fetching import fetch
from analysis.corpus.manifest import COLUMNS, MANIFEST_PATH, load_manifest
from analysis.corpus.select import (
    genre_group,
    is_local_ai_plan,
    level_group,
    local_ai_plan_ids,
    local_ai_plans,
    select_topic,
)
from analysis.corpus.sources import HttpOptions

__all__ = [
    "BinaryContentError",
    "COLUMNS",
    "CORPUS_COLUMNS",
    "COVERAGE_COLUMNS",
    "CacheWriteError",
    "CorpusError",
    "DecodingError",
    "DownloadConnectionError",
    "DownloadTimeoutError",
    "EmptyDocumentError",
    "FAILURE_CLASSES",
    "HTTPStatusError",
    "HashMismatchError",
    "HttpOptions",
    "MANIFEST_PATH",
    "ManifestError",
    "NoDocumentBodyError",
    "RedirectLoopError",
    "RejectedError",
    "SOURCES",
    "STATUSES",
    "SourceError",
    "TooLargeError",
    "TruncatedDocumentError",
    "coverage",
    "fetch",
    "genre_group",
    "is_local_ai_plan",
    "level_group",
    "load_corpus",
    "load_manifest",
    "load_text",
    "local_ai_plan_ids",
    "local_ai_plans",
    "select_topic",
    "synthetic_documents",
    "verify",
]
