"""Appendix A (the reproducibility ledger, ``notebooks/ledger.ipynb``) and Appendix B (data and provenance,
``notebooks/data_provenance.ipynb``): their tables and sentences, each from one call.

Every function takes what the page computed once (the evaluated ledger, the coverage of the build, the
manifest) and returns a numbered, captioned reader table (:func:`analysis.present.tables.table`) or Markdown.
Documents are named by title (:mod:`analysis.present.labels`); ``doc_id``\\ s stay in the CSV downloads.
"""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import HTML, Markdown

from analysis.corpus import load_manifest
from analysis.corpus.core import coverage_table, status_counts
from analysis.corpus.manifest import manifest_summary
from analysis.corpus.routes import load_routes, missing_texts, route_coverage
from analysis.counting.measures import local_plan_mentions
from analysis.evidence import ledger
from analysis.present.labels import document_labels
from analysis.present.tables import BookTable, download_link, table

#: The ledger's columns for readers, in order, with their headers.
LEDGER_HEADERS: dict[str, str] = {
    "claim": "claim",
    "tier": "tier",
    "article_value": "as reported by the article",
    "reproduced_value": "computed in this build",
    "status": "status",
    "explanation": "explanation",
    "source": "source",
    "method": "method",
    "article_ref": "where in the article",
    "from_footnote": "from a footnote",
}
CORE_COLUMNS = ("claim", "article_value", "reproduced_value", "status", "explanation", "source", "from_footnote")
NOTHING_COMPUTED = "nothing was computed in this build (the explanation says why)"


def _claims_view(claims: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Claims as a reader reads them: the claim first, nothing computed shown as missing; ``claim_id`` last (for
    the download only)."""
    view = claims.loc[:, [*columns, "claim_id"]].replace({"reproduced_value": {"": pd.NA}, "source": {"": pd.NA}})
    return view.rename(columns=LEDGER_HEADERS).reset_index(drop=True)


def tiers_table(evaluated: pd.DataFrame) -> BookTable:
    """Claims per tier (rows: core, supporting, context) and status, with totals."""
    counts = pd.crosstab(evaluated["tier"], evaluated["status"])
    counts = counts.reindex(index=list(ledger.TIERS), columns=list(ledger.STATUSES), fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts.index.name, counts.columns.name = "tier", None
    return table(counts, "The ledger's claims by tier and by their status in this build.", name="tbl-ledger-tiers")


def core_claims_table(evaluated: pd.DataFrame) -> BookTable:
    """The core claims (the counts and claims the article's argument rests on) with their status and explanation."""
    core = evaluated[evaluated["tier"] == "core"]
    return table(
        _claims_view(core, CORE_COLUMNS),
        f"The {len(core)} core claims of the article: the value it reports, the value this build computes, the status "
        "and why.",
        name="tbl-ledger-core",
        na=NOTHING_COMPUTED,
        csv_only=("claim_id",),
    )


def local_plans_table(corpus: pd.DataFrame, manifest: pd.DataFrame | None = None) -> BookTable:
    """The local AI plans present in this build and their count of 国家安全 (the data of the local-plan claims);
    ``manifest`` defaults to the book's."""
    from analysis.counting import corpus_documents

    manifest = load_manifest() if manifest is None else manifest
    local = local_plan_mentions(dict(corpus_documents(corpus)), manifest)
    shown = local.loc[:, ["doc_id", "level", "region", "count"]].rename(
        columns={"count": "国家安全 (national security)"}
    )
    return table(
        shown,
        "Local AI plans present in this build and their count of 国家安全 (guójiā ānquán, national security): the data "
        "behind the local-plan claims (section 5, footnote 109). Without any, those claims are not reproducible here.",
        name="tbl-ledger-local-plans",
        index=False,
    )


def sections_table(evaluated: pd.DataFrame) -> BookTable:
    """Claims per section of the article and status, with a row that adds them up."""
    summary = ledger.status_summary(evaluated)
    summary.loc["all sections"] = summary.sum()
    summary.index.name = "section"
    files = ", ".join(f"data/ledger/{f}" for f in sorted(evaluated["file"].unique()))
    return table(
        summary,
        f"Claims by section of the article and status in this build: {len(evaluated)} claims from "
        f"{evaluated['file'].nunique()} ledger files ({files}).",
        name="tbl-ledger-sections",
    )


def ledger_download(evaluated: pd.DataFrame) -> HTML:
    """The link that downloads the whole evaluated ledger as ``ledger.csv`` (ids kept; CI's synthetic-state check
    reads it from the page: ``booktools.synthetic_corpus.ledger_from_page``)."""
    text = f"Download the whole ledger ({len(evaluated)} claims, each with its status in this build) as CSV"
    return HTML(download_link(evaluated.drop(columns=["file", "line"]), "ledger.csv", text))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def section_tables(evaluated: pd.DataFrame) -> list[BookTable]:
    """One table per section of the article (in section order), its claims in ledger order."""
    tables = []
    article = evaluated[evaluated["tier"] != ledger.EXTENSION]
    for section in sorted(article["section"].unique(), key=ledger.section_key):
        part = article[article["section"] == section]
        counts = part["status"].value_counts()
        tally = "; ".join(f"{counts.get(s, 0)} {s}" for s in ledger.STATUSES)
        tables.append(
            table(
                _claims_view(part, tuple(LEDGER_HEADERS)),
                f"Section {section} of the article: {len(part)} claims ({tally}).",
                name=f"tbl-ledger-section-{_slug(section)}",
                csv=f"ledger_section_{section}.csv",
                na=NOTHING_COMPUTED,
                csv_only=("claim_id",),
            )
        )
    return tables


def extension_table(evaluated: pd.DataFrame) -> BookTable:
    """The book's own findings (tier *extension*): our finding as the book states it (``article_value``), the value
    this build computes, the status and why."""
    ours = evaluated[evaluated["tier"] == ledger.EXTENSION]
    view = _claims_view(ours, ("claim", "article_value", "reproduced_value", "status", "explanation", "method"))
    view = view.rename(columns={LEDGER_HEADERS["article_value"]: "our finding (on the offline mirror)"})
    return table(
        view,
        f"The book's own findings ({len(ours)} claims of tier extension, not the article's): each as the book states "
        "it on the offline mirror's texts, and evaluated again on this build's texts with the same rule.",
        name="tbl-ledger-extension",
        csv="ledger_extension.csv",
        na=NOTHING_COMPUTED,
        csv_only=("claim_id",),
    )


# ------------------------------------------------------------------------------------ Appendix B: provenance
def manifest_table(manifest: pd.DataFrame) -> BookTable:
    """Documents of the manifest by level: count, languages, years, official URLs and verified hashes."""
    return table(
        manifest_summary(manifest),
        "The documents of the manifest by administrative level: how many, in which languages, issued in which years, "
        "how many with an official URL and how many with a verified hash of their text.",
        name="tbl-provenance-manifest",
        na="no dated document",
    )


def coverage_reader_table(cov: pd.DataFrame) -> BookTable:
    """Every manifest document with its status, origin, length and hash prefix in this build."""
    shown = coverage_table(cov).drop(columns=["title_en"])
    return table(
        shown,
        "Every document of the manifest in this build: its status, where its text came from (source), its length in "
        "characters and the first 12 hexadecimal digits of its hash.",
        name="tbl-provenance-coverage",
        csv="corpus_coverage.csv",
    )


def status_table(cov: pd.DataFrame) -> BookTable:
    """Documents by level and status in this build, with totals."""
    counts = status_counts(cov)
    counts.columns = [str(c) for c in counts.columns]
    return table(counts, "Documents by level and by status in this build.", name="tbl-provenance-status")


def availability(cov: pd.DataFrame) -> Markdown:
    """How many documents this build has, by origin, and how many were converted from traditional characters."""
    available = cov["status"] == "available"
    lines = [f"This build has {int(available.sum())} of {len(cov)} manifest documents available:", ""]
    for source in ("mirror", "url", "imported", "synthetic"):
        lines.append(f"- from the {source}: {int((available & (cov['source'] == source)).sum())}")
    lines.append(f"- texts converted from traditional characters: {int(cov['converted_t2s'].sum())}")
    return Markdown("\n".join(lines))


def routes_table(manifest: pd.DataFrame, routes: pd.DataFrame | None = None) -> BookTable:
    """Documents with at least one route, by the kind of their best route, for parts of the manifest (``routes``:
    the committed routes table by default)."""
    return table(
        route_coverage(manifest, load_routes() if routes is None else routes, labelled=True),
        "For each part of the manifest, the documents with at least one route to their text, the kind of their best "
        "route, and how many have a known document number.",
        name="tbl-provenance-routes",
    )


def _routes_markup(routes: tuple[tuple[str, str], ...]) -> str:
    if not routes:
        return "no route known (what was searched: `data/corpus/routes.csv`)"
    return "<br>".join(f"[{label}](<{url}>)" for label, url in routes)


def missing_table(cov: pd.DataFrame, routes: pd.DataFrame | None = None) -> BookTable:
    """Every document not available in this build, with every route as a link (in the order ``make data`` tries
    them), its document number and the command that imports a copy saved by hand."""
    missing = missing_texts(cov, routes)
    labels = document_labels()
    shown = pd.DataFrame(
        {
            "document": [labels.get(d, d) for d in missing["doc_id"]],
            "title (Chinese)": missing["title_zh"].tolist(),
            "document number": missing["doc_number"].replace("", pd.NA).tolist(),
            "status": missing["status"].tolist(),
            "routes (tried in this order)": [_routes_markup(r) for r in missing["routes"]],
            "import a copy saved by hand": [f"`{c}`" for c in missing["import_command"]],
        }
    )
    return table(
        shown,
        f"The {len(missing)} of {len(cov)} manifest documents not available in this build, with every route to their "
        "text and the command that imports a copy saved by hand (with the full corpus, none).",
        name="tbl-provenance-missing",
        na="no document number known",
        markup=("routes (tried in this order)", "import a copy saved by hand"),
    )
