"""The security typology of section 3.3 as data: traditional versus non-traditional security.

The article divides AI's impact on China's national security into traditional (military) and
non-traditional security (political or regime, economic, ideological, cyber …). The typology lives
in the sourced fact table ``data/facts/security_typology.csv``, one row per (type, Chinese term):
``type_order, type_key, category, type_zh, type_pinyin, type_en, term_zh, pinyin, gloss_en,
in_article, source, note``. This module turns it into term lists and counts them in the corpus
with the shared counting functions of :mod:`analysis.counting` (no counting logic here):

* :func:`load_typology` reads and checks the table;
* :func:`typology_types` gives one row per type (its terms joined, whether the article names it);
* :func:`typology_terms` gives ``{type_key: [terms]}`` in type order;
* :func:`type_counts` counts each type's vocabulary in every document with
  :func:`analysis.counting.vocabulary_count` (each match once: a term inside a longer term of the
  same type, or of ``data/terms.csv``, is not counted twice);
* :func:`analysis.present.plotting.typology.typology_heatmap` draws documents × types.
"""

from __future__ import annotations

import pandas as pd

from analysis.counting import Corpus, corpus_documents, density, document_characters, vocabulary_count
from analysis.evidence.facts import FactTableError, load_facts
from analysis.io import registry, vocabulary
from analysis.io.schemas import check_frame

TABLE = "security_typology"
#: The table's schema (:mod:`analysis.io.registry`): its columns, a term in one type, a type's rows agreeing.
SCHEMA = registry.schema_of(f"facts/{TABLE}.csv")
COLUMNS: tuple[str, ...] = SCHEMA.names
#: The categories of the typology (their home: :mod:`analysis.io.vocabulary`).
CATEGORIES: tuple[str, ...] = vocabulary.TYPOLOGY_CATEGORIES


def check_typology(df: pd.DataFrame, *, where: str = TABLE) -> pd.DataFrame:
    """Validate a typology table against its schema; raise :class:`FactTableError` naming every problem and its line."""
    return check_frame(df, SCHEMA, where, error=FactTableError)


def load_typology() -> pd.DataFrame:
    """``data/facts/security_typology.csv``, checked, sorted by ``type_order`` (file order within a type)."""
    df = load_facts(TABLE)
    df = df.assign(_o=df["type_order"].astype(int), _r=range(len(df)))
    return df.sort_values(["_o", "_r"], kind="mergesort").drop(columns=["_o", "_r"]).reset_index(drop=True)


def typology_types(typology: pd.DataFrame) -> pd.DataFrame:
    """One row per type in type order: ``type_key, category, type_zh, type_pinyin, type_en, terms_zh, in_article``.

    ``terms_zh`` joins the type's terms with ``、``; ``in_article`` is ``yes`` when the article names
    any of the type's terms or the type itself.
    """
    rows = []
    for key in dict.fromkeys(typology["type_key"]):
        group = typology[typology["type_key"] == key]
        first = group.iloc[0]
        rows.append(
            {
                "type_key": key,
                "category": first["category"],
                "type_zh": first["type_zh"],
                "type_pinyin": first["type_pinyin"],
                "type_en": first["type_en"],
                "terms_zh": "、".join(group["term_zh"]),
                "in_article": "yes" if (group["in_article"] == "yes").any() else "no",
            }
        )
    return pd.DataFrame(
        rows, columns=["type_key", "category", "type_zh", "type_pinyin", "type_en", "terms_zh", "in_article"]
    )


def typology_terms(typology: pd.DataFrame) -> dict[str, list[str]]:
    """``{type_key: [term_zh, …]}`` in type order, terms in table order."""
    return {
        key: typology.loc[typology["type_key"] == key, "term_zh"].tolist()
        for key in dict.fromkeys(typology["type_key"])
    }


def type_counts(corpus: Corpus, typology: pd.DataFrame, *, per_10k: bool = False) -> pd.DataFrame:
    """Documents (rows, by ``doc_id``) × types (columns, in type order): matches of each type's vocabulary.

    Each match is counted once (:func:`analysis.counting.vocabulary_count`). With ``per_10k`` the
    counts are divided by the document's non-whitespace characters, per 10,000 characters.
    """
    terms = typology_terms(typology)
    docs = corpus_documents(corpus)
    counts = pd.DataFrame(
        [[vocabulary_count(text, vocab) for vocab in terms.values()] for _, text in docs],
        index=pd.Index([d for d, _ in docs], name="doc_id"),
        columns=pd.Index(list(terms), name="type_key"),
        dtype="int64",
    )
    if not per_10k:
        return counts
    chars = document_characters(corpus).reindex(counts.index)
    return pd.DataFrame(
        [[density(int(c), int(n)) for c in row] for row, n in zip(counts.to_numpy(), chars, strict=False)],
        index=counts.index,
        columns=counts.columns,
        dtype="float64",
    )
