"""The corpus manifest: one row per document the book uses (``data/corpus/manifest.csv``).

Columns (all text in the CSV; see ``data/corpus/README.md``):

``doc_id``
    Stable identifier (``[a-z0-9_]+``), e.g. ``ngaidp_2017``; the file name in the cache and the mirror.
``title_zh``, ``title_en``
    Chinese title as issued (empty for US documents) and an English title.
``issuer``, ``level``, ``region``
    Issuing body; ``central``, ``province``, ``municipality`` (province-level city), ``city`` or
    ``federal`` (US); region (``national``, a province, ``Province/City``, ``United States``).
``doc_number``
    Document number (发文字号, e.g. 国发〔2017〕35号, or ``Executive Order 14110``), parsed from the
    title where it carries one; empty when unknown.
``date_issued``
    The date as the secondary sources give it, with its caveats (``2018 (day not seen)``).
``date``
    The sortable part of ``date_issued``: ISO ``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when only
    that is known; empty when unknown. :func:`load_manifest` adds ``year`` (nullable ``Int64``).
``genre``, ``language``, ``topic``
    Kind of document (``plan``, ``action plan``, ``opinions``, ``measures``, ``notice``, ``guidelines``,
    ``Q&A``, ``principles``, ``norms``, ``initiative``, ``white paper``, ``speech``, ``strategy``,
    ``executive order``, ``report``, ``regulation``, ``provisions``, ``law``, ``translation``: an unofficial
    translation of another manifest document), language of the text (``zh`` or ``en``)
    and topic (``ai``; ``control`` for a non-AI digital-governance text kept as a baseline; ``reference`` for a
    law the AI texts cite, read only to trace where their security clauses come from).
``official_url``
    The routes to the text, several separated by spaces, best first: official URLs, then reprints
    (empty when none was found). ``data/corpus/routes.csv`` records each URL's kind (official, gazette,
    authoritative reprint, other reprint, archive) and how it was found, and for a document without
    any what was searched (:mod:`analysis.corpus.routes`).
``expected_sha256``
    SHA-256 of the *normalised* text (:func:`analysis.io.text.normalize_text` then
    :func:`analysis.io.text.text_sha256`); empty until a copy has been checked.
``completeness``, ``copy_source``, ``notes``
    Caveats carried over from the metadata sources: how complete the known copy is, where it came
    from, unverified dates, garbled reposts.
``date_source`` (optional column)
    Where the issue date was seen in a source that can settle it (the issuer's page, a gazette, the document's own
    dateline): a URL or a note. Empty: the date comes from secondary metadata and is not checked; the ledger never
    *corroborates* a claim that rests on unchecked dates (:mod:`analysis.evidence.methods`).
``short_titles``, ``min_chars``, ``chars_expected``, ``opening_sha256`` (optional columns)
    What an acquired text is checked against (:mod:`analysis.corpus.accept`): other titles a line at its
    head may begin with, separated by ``|`` (e.g. the plan's name inside a 关于印发《…》的通知 notice); the
    fewest non-whitespace characters a real copy has (empty: the floor of the genre,
    ``data/corpus/length_floors.csv``); the non-whitespace characters of a full copy, where a source
    states the length or a copy was seen (a copy under 80 % of it is partial); and the fingerprint of
    the document's opening (:mod:`analysis.corpus.opening`).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from analysis.corpus import select
from analysis.corpus.errors import ManifestError
from analysis.io import registry, vocabulary
from analysis.io.paths import CORPUS_DATA_DIR

MANIFEST_PATH: Path = CORPUS_DATA_DIR / "manifest.csv"

#: The manifest's schema (:mod:`analysis.io.registry`): columns, allowed values, forms, uniqueness.
SCHEMA = registry.schema_of("corpus/manifest.csv")
MANIFEST_COLUMNS: tuple[str, ...] = tuple(c.name for c in SCHEMA.columns if c.required)
#: Optional columns: read when present, else empty (manifests written before they existed stay valid).
OPTIONAL_COLUMNS: tuple[str, ...] = tuple(c.name for c in SCHEMA.columns if not c.required)
#: Columns of :func:`load_manifest`'s frame, in order (``year`` is derived from ``date``).
_AFTER_DATE = MANIFEST_COLUMNS.index("date") + 1
COLUMNS: tuple[str, ...] = (*MANIFEST_COLUMNS[:_AFTER_DATE], "year", *MANIFEST_COLUMNS[_AFTER_DATE:], *OPTIONAL_COLUMNS)
#: The vocabularies of ``level``, ``language``, ``topic`` and ``genre`` (one home: :mod:`analysis.io.vocabulary`,
#: reasoned with in :mod:`analysis.corpus.select`).
LEVELS: tuple[str, ...] = vocabulary.LEVELS
LANGUAGES: tuple[str, ...] = vocabulary.LANGUAGES
TOPICS: tuple[str, ...] = select.TOPICS
GENRES: tuple[str, ...] = vocabulary.GENRES


def urls(value: str) -> list[str]:
    """The official URLs of a manifest cell (space separated), in order."""
    return [u for u in value.split() if u]


def load_manifest(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the corpus manifest; one row per document, in manifest order.

    All columns are strings (empty string when unknown) except ``year``, a nullable ``Int64``
    taken from ``date``. Raises :class:`ManifestError` naming the file and the offending lines.
    """
    path = Path(path) if path is not None else MANIFEST_PATH
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is None or not path.is_file():
        raise ManifestError(f"{path}: manifest not found; it is committed with the book (data/corpus/manifest.csv)")
    return _load_manifest(str(path), stat.st_size, stat.st_mtime_ns).copy()


@functools.lru_cache(maxsize=8)
def _load_manifest(path_str: str, size: int, mtime_ns: int) -> pd.DataFrame:
    """:func:`load_manifest`'s work, memoised per process on the file's size and modification time."""
    df = registry.read_registered("corpus/manifest.csv", path=path_str, error=ManifestError)
    df = df[[*MANIFEST_COLUMNS, *OPTIONAL_COLUMNS]]
    year = df["date"].str.slice(0, 4).where(df["date"] != "", None)
    df.insert(MANIFEST_COLUMNS.index("date") + 1, "year", pd.array(pd.to_numeric(year), dtype="Int64"))
    return df.reset_index(drop=True)


LEVEL_LABELS: dict[str, str] = {
    "central": "central (national bodies)",
    "province": "province",
    "municipality": "province-level municipality",
    "city": "city or district",
    "federal": "US federal",
}


def manifest_summary(manifest: pd.DataFrame) -> pd.DataFrame:
    """Documents per administrative level: count, languages, year range, official URLs and verified hashes.

    Rows follow :data:`LEVELS` (levels absent from the manifest are left out), then a ``total`` row.
    """

    def summarize(df: pd.DataFrame) -> dict[str, object]:
        years = df["year"].dropna()
        return {
            "documents": len(df),
            "language": ", ".join(sorted(set(df["language"]))),
            "first_year": int(years.min()) if len(years) else pd.NA,
            "last_year": int(years.max()) if len(years) else pd.NA,
            "with_official_url": int((df["official_url"] != "").sum()),
            "with_verified_hash": int((df["expected_sha256"] != "").sum()),
        }

    rows = {
        LEVEL_LABELS.get(level, level): summarize(manifest[manifest["level"] == level])
        for level in LEVELS
        if (manifest["level"] == level).any()
    }
    rows["total"] = summarize(manifest)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "level"
    return out.astype({"first_year": "Int64", "last_year": "Int64"})
