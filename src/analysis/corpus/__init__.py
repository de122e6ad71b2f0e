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

from importlib import import_module
from typing import Any

# The public names are imported on first use (PEP 562), so that a command that needs none of them, such as
# ``make data`` when nothing changed, does not pay for pandas (0.45 s of its 0.6 s). ``from analysis.corpus import
# coverage`` reads as before.
_HOMES: dict[str, str] = {  # each public name and the module it lives in, imported on first use
    "BinaryContentError": "errors",
    "CacheWriteError": "errors",
    "COLUMNS": "manifest",
    "CORPUS_COLUMNS": "core",
    "CorpusError": "errors",
    "coverage": "core",
    "COVERAGE_COLUMNS": "core",
    "DecodingError": "errors",
    "DownloadConnectionError": "errors",
    "DownloadTimeoutError": "errors",
    "EmptyDocumentError": "errors",
    "FAILURE_CLASSES": "core",
    "fetch": "fetching",
    "genre_group": "select",
    "HashMismatchError": "errors",
    "HttpOptions": "sources",
    "HTTPStatusError": "errors",
    "is_local_ai_plan": "select",
    "level_group": "select",
    "load_corpus": "core",
    "load_manifest": "manifest",
    "load_text": "core",
    "local_ai_plan_ids": "select",
    "local_ai_plans": "select",
    "MANIFEST_PATH": "manifest",
    "ManifestError": "errors",
    "NoDocumentBodyError": "errors",
    "RedirectLoopError": "errors",
    "RejectedError": "accept",
    "select_topic": "select",
    "SourceError": "errors",
    "SOURCES": "core",
    "STATUSES": "core",
    "synthetic_documents": "core",
    "TooLargeError": "errors",
    "TruncatedDocumentError": "errors",
    "verify": "core",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    try:
        home = _HOMES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
