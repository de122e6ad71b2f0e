"""Chapter helpers: the tables the chapter notebooks show, each from one call.

The chapters of sections 3 and 2 (notebooks 02–05 and 08) select documents, count a list of terms,
label the counts with English glosses, list keyword-in-context lines and pick their rows of the
ledger. Those steps live here as tested functions, so that a notebook is prose, one call, then a table
or figure. Every function accepts a corpus with no document (an empty build, or no Chinese document
available) and returns an empty table with its columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from analysis import counting
from analysis.present.tables import BookTable, table

#: The ledger columns the context chapters show, the claim as index.
LEDGER_COLUMNS: tuple[str, ...] = ("claim", "article_value", "reproduced_value", "status", "explanation")
KWIC_COLUMNS: tuple[str, ...] = ("doc_id", "position", "left", "keyword", "right")


def chinese_documents(corpus: pd.DataFrame, *, level: str | None = None) -> pd.DataFrame:
    """The Chinese documents of ``corpus`` (of one ``level``, e.g. ``central``, when given), in order of
    issue (``date``, then ``doc_id``), with a fresh index."""
    chosen = corpus["language"] == "zh"
    if level is not None:
        chosen &= corpus["level"] == level
    docs = corpus[chosen].sort_values(["date", "doc_id"], kind="mergesort")
    return docs.reset_index(drop=True)


def issue_span(docs: pd.DataFrame) -> str:
    """``issued 2016–2025``, or ``none available`` for no document."""
    return f"issued {docs['year'].min()}–{docs['year'].max()}" if len(docs) else "none available"


def glosses(language: str = "zh") -> dict[str, str]:
    """``{term: English gloss}`` of the Chinese term list (for English terms, their definition)."""
    table = counting.load_terms(language=language)
    return dict(zip(table["term"], table["gloss_en" if language == "zh" else "definition"], strict=False))


def term_matrix(docs: pd.DataFrame, terms: Sequence[str], *, mode: counting.Mode = "inclusive") -> pd.DataFrame:
    """Counts of ``terms`` (columns, in the given order) in ``docs`` (rows, in the order of ``docs``)."""
    return counting.document_term_matrix(docs, terms, mode=mode).reindex(docs["doc_id"])


def labelled_matrix(matrix: pd.DataFrame, docs: pd.DataFrame, *, first: str = "year") -> pd.DataFrame:
    """``matrix`` for display: each term column labelled ``term gloss``, the documents' ``first`` column
    (``year``, ``date`` …) and their ``genre`` (when ``docs`` has one) in front."""
    gloss = glosses()
    shown = matrix.rename(columns={t: f"{t} {gloss[t]}" for t in matrix.columns})
    shown.insert(0, first, docs.set_index("doc_id")[first])
    if "genre" in docs.columns:
        shown.insert(1, "genre", docs.set_index("doc_id")["genre"])
    return shown


def count_modes_table(docs: pd.DataFrame, terms: Sequence[str]) -> pd.DataFrame:
    """Per document (in the order of ``docs``): ``date``, ``genre`` (when ``docs`` has one), ``chars`` and the
    count of every term in every mode, columns labelled ``term gloss (mode)``."""
    table = counting.count_table(docs, terms)
    wide = table.pivot(index="doc_id", columns=["term", "mode"], values="count").reindex(docs["doc_id"])
    gloss = glosses()
    wide.columns = [f"{t} {gloss[t]} ({m})" for t, m in wide.columns]
    wide.insert(0, "date", docs.set_index("doc_id")["date"])
    if "genre" in docs.columns:
        wide.insert(1, "genre", docs.set_index("doc_id")["genre"])
    wide.insert(
        wide.columns.get_loc("date") + 1 + ("genre" in wide.columns),
        "chars",
        docs.set_index("doc_id")["chars"].astype(int),
    )
    return wide


def kwic_lines(docs: pd.DataFrame, terms: Iterable[str], *, width: int = 15) -> pd.DataFrame:
    """Keyword-in-context lines of every term in ``docs``, sorted by document and position (terms in the
    given order where two start at one position), one line per counted match."""
    frames = [counting.kwic(docs, t, width=width) for t in terms]
    lines = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(KWIC_COLUMNS))
    return lines.sort_values(["doc_id", "position"], kind="mergesort").reset_index(drop=True)


def concept_kwic(
    docs: pd.DataFrame,
    concept: str,
    *,
    name: str,
    limit: int | None = None,
    concept_map: pd.DataFrame | None = None,
    widths: tuple[tuple[str, int], ...] = (("en", 60), ("zh", 20)),
) -> list[str | BookTable]:
    """KWIC lines of every term of ``concept`` (:mod:`analysis.counting.concepts`), English documents first, as
    Markdown paragraphs and reader tables to show in turn (``chapter.show(*blocks)``): a bold line with the concept's
    English label, then per term a numbered, captioned table of its lines (:func:`analysis.present.tables.table`,
    named ``<name>-<n>``; at most ``limit`` lines per document when given), or a sentence when the term does not
    occur. A Chinese term is named with its pinyin and gloss; ``widths`` gives the context width of each language."""
    cmap = counting.load_concept_map() if concept_map is None else concept_map
    label = dict(zip(cmap["concept"], cmap["concept_en"], strict=False))
    gloss = {t: f"{t} ({p}, {g})" for t, p, g in zip(cmap["term"], cmap["pinyin"], cmap["gloss_en"], strict=False) if p}
    blocks: list[str | BookTable] = [f"**{label[concept]}**"]
    tables = 0
    for lang, width in widths:
        side = "US" if lang == "en" else "Chinese"
        part = docs[docs["language"] == lang]
        for term in counting.concept_terms(concept, lang, concepts=cmap):
            lines = counting.kwic(part, term, width=width)
            term_name = gloss.get(term, term)
            if lines.empty:
                blocks.append(f"{term_name}: no occurrence in the {side} documents of this build.")
                continue
            shown = lines.groupby("doc_id", sort=False).head(limit) if limit else lines
            cut = f"; at most {limit} per document shown" if len(shown) < len(lines) else ""
            tables += 1
            blocks.append(
                table(
                    shown.reset_index(drop=True),
                    f"{term_name} in context ({label[concept]}): {len(lines)} line{'' if len(lines) == 1 else 's'} "
                    f"in the {side} documents of this build{cut}.",
                    name=f"{name}-{tables}",
                    index=False,
                )
            )
    return blocks


def in_order(table: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` (one per ``doc_id``) in the order of ``docs``, with a fresh index."""
    order = {d: i for i, d in enumerate(docs["doc_id"])}
    return table.sort_values("doc_id", key=lambda s: s.map(order), kind="mergesort").reset_index(drop=True)


def ledger_rows(evaluated: pd.DataFrame, file: str, section: str | None = None) -> pd.DataFrame:
    """The evaluated ledger claims of one ledger ``file`` (and one article ``section``, when given)."""
    chosen = evaluated["file"] == file
    if section is not None:
        chosen &= evaluated["section"] == section
    return evaluated[chosen]


def ledger_table(evaluated: pd.DataFrame, file: str, section: str | None = None) -> pd.DataFrame:
    """:func:`ledger_rows` as the chapters show them: :data:`LEDGER_COLUMNS`, indexed by the claim."""
    return ledger_rows(evaluated, file, section)[list(LEDGER_COLUMNS)].set_index("claim")
