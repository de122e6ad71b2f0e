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

Regime security in the texts, AI against control texts (the domestic chapter):

* :func:`by_stratum` compares regime content (:data:`REGIME_VOCABULARY`, without :data:`EXCLUDED_CONTENT`) and every
  object of the passage coding stratum by stratum (:func:`analysis.sections.move.baseline.count_comparisons`);
* :func:`default_goal` finds the passages that are a goal only because the last object rule reads 国家安全 and its
  kin as one when nothing narrower applies (:func:`default_goal_rules`): an assumption, counted as such;
* :func:`technification` sets passages of the cyber kind against passages of the state by object.
"""

from __future__ import annotations

import pandas as pd

from analysis.counting import Corpus, corpus_documents, density, document_characters, vocabulary_count
from analysis.evidence.facts import FactTableError, load_facts
from analysis.evidence.uncertainty import share_interval
from analysis.io import registry, vocabulary
from analysis.io.schemas import check_frame
from analysis.sections.move import baseline, speech_acts
from analysis.sections.vocabularies import vocabulary_totals

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


# ------------------------------------------------------------------------------------------------------------------
# Regime security in the texts: content, the object of security, AI against control texts stratum by stratum
# ------------------------------------------------------------------------------------------------------------------

#: The vocabulary of regime security written as content (:mod:`analysis.sections.vocabularies`).
REGIME_VOCABULARY = "regime_content_vocabulary"
#: A term considered for that vocabulary and left out of it: ``{term: (pinyin, gloss)}``. 虚假信息 (false
#: information) is an item of the statutory list of prohibited content, but the item that protects economic and
#: social order, beside violence and pornography, which the vocabulary leaves out too; and in the AI texts it names a
#: harm to users that labels help them recognise. The chapter on the domestic context says so and counts it apart.
EXCLUDED_CONTENT: dict[str, tuple[str, str]] = {"虚假信息": ("xūjiǎ xìnxī", "false information")}
#: The measure names of :func:`stratum_measures`: regime content, then one per object of the passage coding.
REGIME = "regime_content"
OBJECT_PREFIX = "object_"


def stratum_measures(documents: pd.DataFrame, coded: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per-document counts to compare by stratum: :data:`REGIME` (matches of the regime-content vocabulary) and, for
    every object of :data:`~analysis.sections.move.speech_acts.OBJECTS`, ``object_<name>``: the passages of ``coded``
    (:func:`~analysis.sections.move.speech_acts.code_passages` of ``documents``) whose object it is."""
    totals = vocabulary_totals(documents, REGIME_VOCABULARY)
    measures = {REGIME: dict(zip(totals["doc_id"], totals["count"], strict=True))}
    for obj in speech_acts.OBJECTS:
        per_doc = coded.loc[coded["object"] == obj, "doc_id"].value_counts()
        measures[f"{OBJECT_PREFIX}{obj}"] = {str(d): int(n) for d, n in per_doc.items()}
    return measures


def by_stratum(documents: pd.DataFrame, coded: pd.DataFrame, strata: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`stratum_measures` of the AI and control texts compared stratum by stratum and pair by pair
    (:func:`analysis.sections.move.baseline.count_comparisons`: the document is the unit)."""
    return baseline.count_comparisons(documents, stratum_measures(documents, coded), strata)


def default_goal_rules(rules: pd.DataFrame) -> pd.DataFrame:
    """The object rules that read a word as a goal only when no narrower rule applies: the goal rules of the largest
    priority (``data/argument/security_objects.csv``: 国家安全, 政治安全, 国防 … outside a name)."""
    last = rules["priority"].max()
    return rules[(rules["object"] == "goal") & (rules["priority"] == last)]


DEFAULT_COLUMNS: tuple[str, ...] = ("doc_id", "topic", "start", "end", "keywords", "object", "without_default")


def default_goal(documents: pd.DataFrame) -> pd.DataFrame:
    """The passages of ``documents`` coded ``goal`` that are a goal only because of :func:`default_goal_rules`: coded
    again without those rules, their object changes (``without_default``). One row per such passage, in order."""
    rules = speech_acts.load_object_rules()
    narrower = rules.drop(index=default_goal_rules(rules).index)
    coded = speech_acts.code_passages(documents, object_rules=rules)
    again = speech_acts.code_passages(documents, object_rules=narrower)
    both = coded.merge(again[["doc_id", "start", "end", "object"]], on=["doc_id", "start", "end"], suffixes=("", "_n"))
    both = both[(both["object"] == "goal") & (both["object_n"] != "goal")]
    topic = dict(zip(documents["doc_id"], documents["topic"], strict=True))
    both = both.assign(topic=both["doc_id"].map(topic), without_default=both["object_n"])
    return both.loc[:, list(DEFAULT_COLUMNS)].reset_index(drop=True)


#: The technification test (the article with Hansen and Nissenbaum): passages whose security words are of the cyber,
#: data or information kind only, against passages whose words are of the state only.
CYBER_WORDS: tuple[str, ...] = ("网络安全", "数据安全", "信息安全", "网络空间安全")
STATE_WORDS: tuple[str, ...] = ("国家安全", "总体国家安全观", "政治安全", "制度安全", "政权安全")
CYBER_GROUP, STATE_GROUP = "cyber, data or information security", "national or political security"
#: The objects that read security as technical: a duty to carry out, or a quality of a system.
TECHNICAL_OBJECTS: tuple[str, ...] = ("compliance", "system_property")


def passage_group(keywords: str) -> str:
    """:data:`CYBER_GROUP` or :data:`STATE_GROUP` for a passage's ``+``-joined security words; "" for neither or both."""
    words = set(keywords.split("+"))
    cyber, state = bool(words & set(CYBER_WORDS)), bool(words & set(STATE_WORDS))
    return CYBER_GROUP if cyber and not state else STATE_GROUP if state and not cyber else ""


TECHNIFICATION_COLUMNS: tuple[str, ...] = (
    "group",
    "passages",
    "documents",
    "technical",
    "share",
    "share_lo",
    "share_hi",
)


def technification(coded: pd.DataFrame, level: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(objects, shares)``: the coded passages of each group (names and citations left out) by object, and per group
    the passages, the documents they come from, the technical ones (:data:`TECHNICAL_OBJECTS`) and their share with its
    exact (Clopper–Pearson) interval, which treats passages as independent and is therefore too narrow."""
    groups = (CYBER_GROUP, STATE_GROUP)
    c = coded.assign(group=coded["keywords"].map(passage_group))
    c = c[(c["group"] != "") & (c["object"] != "name_citation")]
    shown = [o for o in speech_acts.OBJECTS if o != "name_citation"]
    objects = pd.crosstab(c["group"], c["object"]).reindex(index=list(groups), columns=shown, fill_value=0)
    rows = []
    for g in groups:
        part = c[c["group"] == g]
        k = int(part["object"].isin(TECHNICAL_OBJECTS).sum())
        rows.append((g, len(part), part["doc_id"].nunique(), k, *share_interval(k, len(part), level)))
    return objects.astype("int64"), pd.DataFrame(rows, columns=list(TECHNIFICATION_COLUMNS))
