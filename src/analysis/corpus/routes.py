"""Routes to the texts: the committed record ``data/corpus/routes.csv``, the order in which routes are
tried, Internet Archive snapshots, route coverage and the list of texts a reader still has to get.

``routes.csv`` has one row per route (``doc_id, url, kind, found_by``), in the order of the manifest's
``official_url`` cell (best first), and one row of kind ``none`` (empty ``url``) for a document without
any route, whose ``found_by`` says what was searched. ``kind`` is one of :data:`KINDS`:

``official``
    the issuing body's own page (or, for a translation, its publisher's own page);
``gazette``
    the issuer's official gazette (政府公报);
``authoritative reprint``
    another government body's site, People's Daily, Xinhua, a party or state newspaper;
``other reprint``
    policy-compilation sites, legal databases, association and university sites, reposts: routes of
    last resort (see below);
``archive``
    a snapshot or text dump of a page that has gone.

:func:`plan_routes` orders a document's routes in three tiers: first the official tier (``official``,
``gazette``, ``authoritative reprint``, in manifest order), then the archive tier (the Internet Archive's
raw snapshot of every official-tier URL, :func:`archive_url`, and the ``archive`` routes), last the
``other reprint`` routes. Every route's text passes the same acceptance checks
(:mod:`analysis.corpus.accept`); the cache's provenance records the ``route`` that served it
(``official``, ``reprint`` or ``archive``) and its ``route_kind``.

The archive's base URL is ``$CORPUS_ARCHIVE`` (default :data:`DEFAULT_ARCHIVE`; empty: no archive
routes), or :attr:`analysis.corpus.sources.HttpOptions.archive_base`; tests point it at a loopback server.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.corpus import select
from analysis.corpus.errors import ManifestError
from analysis.corpus.manifest import urls
from analysis.io import registry, vocabulary
from analysis.io.paths import CORPUS_DATA_DIR

ROUTES_PATH: Path = CORPUS_DATA_DIR / "routes.csv"
ROUTE_COLUMNS: tuple[str, ...] = registry.schema_of("corpus/routes.csv").names
KINDS: tuple[str, ...] = vocabulary.ROUTE_KINDS
#: The provenance ``route`` of each kind.
ROUTE_OF_KIND: dict[str, str] = {
    "official": "official",
    "gazette": "official",
    "authoritative reprint": "reprint",
    "other reprint": "reprint",
    "archive": "archive",
}
OFFICIAL_TIER: frozenset[str] = frozenset({"official", "gazette", "authoritative reprint"})
ARCHIVE_ENV = "CORPUS_ARCHIVE"
DEFAULT_ARCHIVE = "https://web.archive.org/web/"


@dataclass(frozen=True)
class Route:
    """One URL to try for a document: its ``kind`` (:data:`KINDS`), provenance ``route`` and, for an
    archive snapshot, the ``original`` URL it is a snapshot of."""

    url: str
    kind: str
    route: str
    original: str = ""


def archive_base(configured: str | None = None) -> str:
    """The archive's base URL: ``configured`` when given, else ``$CORPUS_ARCHIVE``, else :data:`DEFAULT_ARCHIVE`;
    ``""`` means no archive routes."""
    if configured is not None:
        return configured.strip()
    return os.environ.get(ARCHIVE_ENV, DEFAULT_ARCHIVE).strip()


def archive_url(url: str, year: int | None, base: str = DEFAULT_ARCHIVE) -> str:
    """The Internet Archive's raw snapshot of ``url`` nearest to ``year`` (``<base><year>id_/<url>``).

    ``id_`` asks for the page as it was archived, without the archive's toolbar or rewritten links;
    the archive answers with the snapshot closest to the timestamp, so the year of issue finds the page
    as first published (or the nearest later copy). Without a year the archive's earliest copy is asked for.
    """
    stamp = f"{year:04d}" if year else "1996"
    return f"{base.rstrip('/')}/{stamp}id_/{url}"


def plan_routes(row: pd.Series, kinds: dict[str, str] | None = None, archive: str = DEFAULT_ARCHIVE) -> list[Route]:
    """``row``'s routes in the order they are tried (see the module). ``kinds`` maps URL → kind (from
    :func:`route_kinds`); a URL it does not know counts as ``official``. ``archive`` is the archive's base
    URL (``""``: no snapshots)."""
    kinds = kinds or {}
    year = row.get("year")
    year = int(year) if year is not None and not pd.isna(year) else None
    listed = [(u, kinds.get(u, "official")) for u in urls(str(row.get("official_url", "")))]
    official = [Route(u, k, ROUTE_OF_KIND[k]) for u, k in listed if k in OFFICIAL_TIER]
    snapshots = (
        [Route(archive_url(r.url, year, archive), "archive", "archive", r.url) for r in official] if archive else []
    )
    archived = [Route(u, k, "archive") for u, k in listed if k == "archive"]
    reprints = [Route(u, k, "reprint") for u, k in listed if k == "other reprint"]
    return [*official, *snapshots, *archived, *reprints]


def load_routes(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check ``data/corpus/routes.csv`` (strings; empty ``url`` for kind ``none``).

    Raises :class:`~analysis.corpus.errors.ManifestError` naming the file and the lines. A missing file
    gives an empty table (every URL then counts as ``official``)."""
    path = Path(path) if path is not None else ROUTES_PATH
    try:
        stat = path.stat()
    except OSError:
        return pd.DataFrame(columns=list(ROUTE_COLUMNS))
    return _load_routes(str(path), stat.st_size, stat.st_mtime_ns).copy()


@functools.lru_cache(maxsize=4)
def _load_routes(path_str: str, size: int, mtime_ns: int) -> pd.DataFrame:
    # the schema (analysis.io.registry): kinds, URLs, a 'none' row without url, no URL twice for a document
    df = registry.read_registered("corpus/routes.csv", path=path_str, error=ManifestError)
    return df.loc[:, list(ROUTE_COLUMNS)].reset_index(drop=True)


def check_routes(manifest: pd.DataFrame, routes: pd.DataFrame, path: str | Path = ROUTES_PATH) -> None:
    """Raise :class:`ManifestError` unless ``routes`` describes exactly the manifest's URLs: every document
    has its URLs in ``official_url`` order, or one ``none`` row when it has none, and no unknown id."""
    problems: list[str] = []
    by_doc = {d: g for d, g in routes.groupby("doc_id", sort=False)}
    for _, row in manifest.iterrows():
        doc_id, listed = row["doc_id"], urls(row["official_url"])
        group = by_doc.get(doc_id)
        if group is None:
            problems.append(f"{doc_id}: no row; add its routes (or a 'none' row saying what was searched)")
            continue
        recorded = [u for u in group["url"] if u]
        if recorded != listed:
            problems.append(
                f"{doc_id}: routes {recorded} differ from the manifest's official_url {listed}; keep both in the same order"
            )
        if not listed and "none" not in set(group["kind"]):
            problems.append(f"{doc_id}: no URL, so it needs a 'none' row saying what was searched")
    unknown = sorted(set(routes["doc_id"]) - set(manifest["doc_id"]))
    if unknown:
        problems.append(f"unknown doc_id(s) {', '.join(unknown)}: not in data/corpus/manifest.csv")
    if problems:
        raise ManifestError(f"{path}: " + "; ".join(problems))


def route_kinds(routes: pd.DataFrame) -> dict[str, dict[str, str]]:
    """``{doc_id: {url: kind}}`` of the routes table."""
    out: dict[str, dict[str, str]] = {}
    for doc_id, url, kind in routes[["doc_id", "url", "kind"]].itertuples(index=False):
        if url:
            out.setdefault(doc_id, {})[url] = kind
    return out


def _best_kind(kinds: list[str]) -> str:
    for kind in KINDS:
        if kind in kinds:
            return kind
    return "none"


ROUTE_COVERAGE_COLUMNS: tuple[str, ...] = (
    "documents",
    "with_route",
    "with_route_pct",
    "best_official",
    "best_gazette",
    "best_authoritative_reprint",
    "best_other_reprint",
    "best_archive",
    "no_route",
    "with_doc_number",
)


#: Column labels of :func:`route_coverage` for readers (``labelled=True``).
ROUTE_COVERAGE_LABELS: dict[str, str] = {
    "documents": "documents",
    "with_route": "with at least one route",
    "with_route_pct": "with a route (%)",
    "best_official": "best route: official",
    "best_gazette": "best route: gazette",
    "best_authoritative_reprint": "best route: authoritative reprint",
    "best_other_reprint": "best route: other reprint",
    "best_archive": "best route: archive",
    "no_route": "no route",
    "with_doc_number": "document number known",
}


def route_coverage(manifest: pd.DataFrame, routes: pd.DataFrame, *, labelled: bool = False) -> pd.DataFrame:
    """Route coverage: documents with at least one route, by the kind of their best route, and with a
    document number; rows ``whole manifest``, ``local plans`` (:func:`analysis.corpus.select.is_local_ai_plan`), ``central (China)``,
    ``US federal``. ``labelled``: columns named for readers (:data:`ROUTE_COVERAGE_LABELS`)."""
    kinds = route_kinds(routes)
    best = manifest["doc_id"].map(lambda d: _best_kind(list(kinds.get(d, {}).values())))
    subsets = {
        "whole manifest": pd.Series(True, index=manifest.index),
        "local plans": select.is_local_ai_plan(manifest),
        "central (China)": select.is_central(manifest),
        "US federal": manifest["level"] == "federal",
    }
    rows = {}
    for name, mask in subsets.items():
        b = best[mask]
        n = int(mask.sum())
        with_route = int((b != "none").sum())
        rows[name] = {
            "documents": n,
            "with_route": with_route,
            "with_route_pct": round(100 * with_route / n, 1) if n else 0.0,
            **{f"best_{k.replace(' ', '_')}": int((b == k).sum()) for k in KINDS if k != "none"},
            "no_route": int((b == "none").sum()),
            "with_doc_number": int((manifest.loc[mask, "doc_number"] != "").sum()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")[list(ROUTE_COVERAGE_COLUMNS)]
    out.index.name = "part of the manifest"
    return out.rename(columns=ROUTE_COVERAGE_LABELS) if labelled else out


MISSING_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "title_en",
    "title_zh",
    "doc_number",
    "status",
    "routes",
    "import_command",
)


def missing_texts(cov: pd.DataFrame, routes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every document of the coverage table ``cov`` that is not available in this build (missing,
    rejected, hash mismatch, failed), in manifest order, with what a reader needs to get it.

    Columns: ``doc_id``, ``title_en``, ``title_zh``, ``doc_number``, ``status`` (with the failure class when
    it says more), ``routes`` (tuple of ``(label, url)`` in the order they are tried: the routes of
    ``routes.csv`` and the Internet Archive snapshot of each official-tier URL, labelled by kind) and
    ``import_command`` (``python -m analysis corpus import FILE --doc DOC_ID``). Works in every data
    state: with no texts every document is listed, with a full corpus none.
    """
    routes = load_routes() if routes is None else routes
    kinds = route_kinds(routes)
    rows = []
    for _, row in cov[cov["status"] != "available"].iterrows():
        failure = str(row.get("failure", "") or "")
        status = row["status"] + (f" ({failure})" if failure and failure != row["status"] else "")
        plan = plan_routes(row, kinds.get(row["doc_id"], {}), DEFAULT_ARCHIVE)
        links = tuple((f"{r.kind} (Internet Archive copy)" if r.original else r.kind, r.url) for r in plan)
        rows.append(
            {
                "doc_id": row["doc_id"],
                "title_en": row["title_en"],
                "title_zh": row["title_zh"],
                "doc_number": row["doc_number"],
                "status": status,
                "routes": links,
                "import_command": f"python -m analysis corpus import FILE --doc {row['doc_id']}",
            }
        )
    return pd.DataFrame(rows, columns=list(MISSING_COLUMNS))
