"""The data state of a build, as the chapters see it: which documents they study, and whether any text is synthetic.

* :func:`select_topic` (defined once, in :mod:`analysis.corpus.select`) keeps the documents of one ``topic``
  of the manifest. The chapters study the AI texts (``topic == "ai"``); the ``control`` texts (non-AI
  digital-governance regulations kept as a baseline) and the ``reference`` laws never enter their tables,
  counts, trends or ledger. :func:`chapter_corpus`,
  :func:`chapter_coverage` and :func:`chapter_manifest` are the corpus layer's ``load_corpus``,
  ``coverage`` and ``load_manifest`` with that selection applied; the chapters pass ``topic``.
* :func:`synthetic_documents` names the documents whose text comes from a synthetic fixture
  (``booktools.synthetic_corpus``). Any page built from such texts carries a banner
  (:mod:`booktools.sphinxext`) and such a build is never published.
* :func:`not_available` is the one sentence a chapter prints for a document it cannot show.
"""

from __future__ import annotations

import os

import pandas as pd

from analysis.corpus.select import AI as AI_TOPIC
from analysis.corpus.select import select_topic

__all__ = [
    "AI_TOPIC",
    "SYNTHETIC_BANNER",
    "chapter_corpus",
    "chapter_coverage",
    "chapter_manifest",
    "not_available",
    "select_topic",
    "synthetic_banner",
    "synthetic_documents",
]

#: ``copy_source`` (mirror manifest) and provenance values of synthetic texts start with this word.
SYNTHETIC_PREFIX = "synthetic"
#: The banner of every page built from synthetic texts.
SYNTHETIC_BANNER = (
    "SYNTHETIC TEXTS: this build used synthetic stand-ins for {n} document(s) (booktools.synthetic_corpus). "
    "Its numbers test the code; they are not findings about the documents. Never publish this build."
)


def chapter_corpus(topic: str | None = AI_TOPIC, **kwargs: object) -> pd.DataFrame:
    """:func:`analysis.corpus.load_corpus` restricted to ``topic`` (default: the AI texts)."""
    from analysis.corpus import load_corpus

    return select_topic(load_corpus(**kwargs), topic)  # type: ignore[arg-type]


def chapter_coverage(topic: str | None = AI_TOPIC, **kwargs: object) -> pd.DataFrame:
    """:func:`analysis.corpus.coverage` restricted to ``topic`` (default: the AI texts)."""
    from analysis.corpus import coverage

    return select_topic(coverage(**kwargs), topic)  # type: ignore[arg-type]


def chapter_manifest(topic: str | None = AI_TOPIC) -> pd.DataFrame:
    """:func:`analysis.corpus.load_manifest` restricted to ``topic`` (default: the AI texts)."""
    from analysis.corpus import load_manifest

    return select_topic(load_manifest(), topic)


def not_available(doc_id: str, what: str = "") -> str:
    """``not reproducible here: <what> (document <doc_id>) is not available in this build``."""
    thing = f"{what} (document {doc_id})" if what else f"document {doc_id}"
    return f"not reproducible here: {thing} is not available in this build"


# ------------------------------------------------------------------------------------------ synthetic texts


def synthetic_documents(
    mirror: str | os.PathLike[str] | None = None, *, cache_dir: str | os.PathLike[str] | None = None
) -> list[str]:
    """Sorted ids of the available documents whose text comes from a synthetic fixture.

    The corpus layer's answer (:func:`analysis.corpus.synthetic_documents`: provenance ``synthetic``, set
    from a mirror manifest whose ``copy_source`` starts with ``synthetic``, kept in the cache).
    """
    from analysis.corpus import synthetic_documents as corpus_synthetic

    return sorted(corpus_synthetic(mirror, cache_dir=cache_dir))


def synthetic_banner(documents: list[str]) -> str:
    """The banner text for a build with these synthetic documents ("" when there are none)."""
    return SYNTHETIC_BANNER.format(n=len(documents)) if documents else ""
