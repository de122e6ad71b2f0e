"""The grammar of exceptionality: priority markers against balancing formulas, per text, AI against control.

A securitizing move, in the Copenhagen School's terms, lifts an issue above normal politics: it ranks it first,
makes it urgent, sets it beyond weighing. Chinese official language has a grammar for that: *priority markers*
(首要 *shǒuyào* foremost, 刻不容缓 brooks no delay, 生死存亡 life and death, 压倒一切 overriding everything, 一票否决
one-vote veto, 红线 red line, 底线 bottom line …). It also has a grammar of the opposite: *balancing formulas* that
hold security together with development (统筹发展和安全 coordinate development and security, 发展和安全并重 equal
weight to both, 包容审慎 inclusive and prudent regulation …), the grammar of normal regulation.

The markers are data (``data/argument/exceptionality_grammar.csv``: ``kind, marker, pattern, example, pinyin,
gloss_en, rationale``; ``kind`` is ``priority`` or ``balancing``). Each pattern is a regular expression that must
match its example. They are counted with :func:`analysis.evidence.beyond.common.rule_spans` (file order; a match
overlapping one already counted is not counted again, so 统筹发展和安全 is not counted again as 发展和安全) in the
text with names and citations masked (:mod:`analysis.counting.names`: a formula inside a cited title is that
law's words, not the issuer's).

The comparison is per text, AI texts against control texts (the topics of :mod:`analysis.corpus.select`; the
reference laws never enter it), with the counts per 10,000 characters and the number of texts that use each kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.corpus import select
from analysis.counting.names import load_name_rules, mask_names
from analysis.evidence.beyond.common import COMPARED, TOPIC_LABELS, chinese_documents, load_rules, rule_spans
from analysis.io import vocabulary
from analysis.io.paths import DATA_DIR
from analysis.io.text import count_characters

MARKERS_PATH: Path = DATA_DIR / "argument" / "exceptionality_grammar.csv"
TABLE = "argument/exceptionality_grammar.csv"
#: The two kinds of marker, with readers' labels (their home: :mod:`analysis.io.vocabulary`).
KINDS: dict[str, str] = vocabulary.MARKER_KINDS
PER = 10_000
TEXT_COLUMNS: tuple[str, ...] = (
    "doc_id", "topic", "level_group", "genre_group", "chars", "priority", "balancing", "priority_markers",
    "balancing_markers",
)  # fmt: skip


class GrammarRuleError(ValueError):
    """The marker file is malformed (the message names the file and line)."""


def load_markers(path: Path | None = None) -> pd.DataFrame:
    """The markers, validated (every pattern compiles and matches its example), in file order."""
    return load_rules(MARKERS_PATH if path is None else Path(path), TABLE, GrammarRuleError)


def marker_spans(
    text: str, markers: pd.DataFrame | None = None, name_rules: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every marker in ``text`` outside names and citations: ``start, end, rule, marker`` and ``kind``, by position."""
    markers = load_markers() if markers is None else markers
    masked = mask_names(text, load_name_rules() if name_rules is None else name_rules)
    spans = rule_spans(masked, markers, "marker")
    spans["kind"] = [str(markers["kind"].iloc[i]) for i in spans["rule"]]
    return spans


def _listing(found: pd.Series) -> str:
    counts = found.value_counts()
    return "; ".join(f"{m} ×{int(counts[m])}" for m in dict.fromkeys(found))


def grammar_counts(
    corpus: pd.DataFrame | Mapping[str, str],
    manifest: pd.DataFrame | None = None,
    *,
    markers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per Chinese AI and control text of ``corpus`` (by date): :data:`TEXT_COLUMNS`: the number of priority
    markers and of balancing formulas, and which (``marker ×n; …``, in order of first use)."""
    markers = load_markers() if markers is None else markers
    names = load_name_rules()
    docs = chinese_documents(corpus, manifest, COMPARED)
    rows = []
    for _, doc in docs.iterrows():
        spans = marker_spans(doc["text"], markers, names)
        row = {c: doc[c] for c in ("doc_id", "topic", "level_group", "genre_group")}
        row["chars"] = count_characters(doc["text"])
        for kind in KINDS:
            found = spans.loc[spans["kind"] == kind, "marker"]
            row[kind], row[f"{kind}_markers"] = len(found), _listing(found)
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(TEXT_COLUMNS))
    return out.astype({"chars": "int64", "priority": "int64", "balancing": "int64"})


def grammar_summary(counts: pd.DataFrame) -> pd.DataFrame:
    """Per topic (AI, control) and kind: ``texts`` (Chinese texts of the topic), ``texts_using`` (with at least one
    marker of the kind), ``occurrences``, ``per_10k`` (occurrences per 10,000 characters of the topic's texts; NaN
    without text). Both topics and both kinds are always listed."""
    rows = []
    for topic in COMPARED:
        part = select.select_topic(counts, topic)
        chars = int(part["chars"].sum())
        for kind in KINDS:
            n = int(part[kind].sum())
            rows.append(
                {
                    "topic": topic,
                    "kind": kind,
                    "texts": len(part),
                    "texts_using": int((part[kind] > 0).sum()),
                    "occurrences": n,
                    "per_10k": n / chars * PER if chars else float("nan"),
                }
            )
    return pd.DataFrame(rows).astype({"texts": "int64", "texts_using": "int64", "occurrences": "int64"})


def stratum_summary(counts: pd.DataFrame) -> pd.DataFrame:
    """Per topic, level group and genre group (:mod:`analysis.corpus.select`: like with like), the texts and how
    many use each kind: ``texts``, ``priority_texts``, ``balancing_texts``; only the strata this build holds."""
    grouped = counts.assign(
        priority_texts=counts["priority"] > 0, balancing_texts=counts["balancing"] > 0, texts=1
    ).groupby(["topic", "level_group", "genre_group"], sort=True)
    out = grouped[["texts", "priority_texts", "balancing_texts"]].sum().astype("int64")
    return out.reset_index()


def marker_table(counts: pd.DataFrame, markers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every marker of the file (file order) with its gloss and, per topic, the occurrences and the texts using it."""
    markers = load_markers() if markers is None else markers
    table = markers.loc[:, ["kind", "marker", "pinyin", "gloss_en"]].copy()
    for topic in COMPARED:
        part = select.select_topic(counts, topic)
        used: dict[str, list[int]] = {m: [] for m in table["marker"]}
        for kind in KINDS:
            for listing in part[f"{kind}_markers"]:
                for item in filter(None, str(listing).split("; ")):
                    marker, _, times = item.rpartition(" ×")
                    used[marker].append(int(times))
        table[f"{topic}_occurrences"] = [sum(used[m]) for m in table["marker"]]
        table[f"{topic}_texts"] = [len(used[m]) for m in table["marker"]]
    return table


def kind_value(counts: pd.DataFrame, topic: str, kind: str, measure: str = "occurrences") -> tuple[int, int]:
    """``(value, texts)`` for the ledger: the occurrences of ``kind`` in the Chinese texts of ``topic`` (or, with
    ``measure="texts"``, the number of those texts that use it), and the number of texts read."""
    part = select.select_topic(counts, topic)
    value = int(part[kind].sum()) if measure == "occurrences" else int((part[kind] > 0).sum())
    return value, len(part)


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def paragraph(counts: pd.DataFrame) -> str:
    """The computed paragraph of the chapter: how often each grammar appears in the AI and the control texts."""
    if counts.empty:
        return (
            "Not reproducible here: no Chinese AI or control text is available in this build, so no marker is counted."
        )
    summary = grammar_summary(counts).set_index(["topic", "kind"])
    parts = []
    for topic in COMPARED:
        n = int(summary.loc[(topic, "priority"), "texts"])
        if n == 0:
            parts.append(f"The build holds no Chinese {TOPIC_LABELS[topic].removesuffix('s')}.")
            continue
        p, b = summary.loc[(topic, "priority")], summary.loc[(topic, "balancing")]
        part = select.select_topic(counts, topic)
        which = "; ".join(sorted({i for v in part["priority_markers"] for i in str(v).split("; ") if i}))
        parts.append(
            f"In the {n} {TOPIC_LABELS[topic]}, priority markers occur {_times(int(p['occurrences']))} in "
            f"{int(p['texts_using'])} of them" + (f" ({which})" if which else "") + f"; balancing formulas occur "
            f"{_times(int(b['occurrences']))} in {int(b['texts_using'])}."
        )
    return " ".join(parts)


# ------------------------------------------------------------------------------------------- readers' tables


def reader_markers(counts: pd.DataFrame, markers: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`marker_table` for readers: each marker with its pinyin and gloss, and its use in each topic."""
    table = marker_table(counts, markers)
    out = pd.DataFrame(
        {
            "kind": table["kind"].map(KINDS),
            "marker": table["marker"],
            "pinyin": table["pinyin"],
            "meaning": table["gloss_en"],
            **{
                f"{TOPIC_LABELS[t]}: occurrences (texts)": [
                    f"{o} ({n})" for o, n in zip(table[f"{t}_occurrences"], table[f"{t}_texts"], strict=True)
                ]
                for t in COMPARED
            },
        }
    )
    return out.set_index(["kind", "marker"])


def reader_strata(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`stratum_summary` for readers: ``k of n`` texts per stratum and kind."""
    table = stratum_summary(counts)
    return pd.DataFrame(
        {
            "topic": table["topic"].map(TOPIC_LABELS),
            "level": table["level_group"],
            "genre": table["genre_group"],
            "texts": table["texts"],
            "with a priority marker": [
                f"{k} of {n}" for k, n in zip(table["priority_texts"], table["texts"], strict=True)
            ],
            "with a balancing formula": [
                f"{k} of {n}" for k, n in zip(table["balancing_texts"], table["texts"], strict=True)
            ],
        }
    ).set_index(["topic", "level", "genre"])


def reader_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`grammar_counts` for readers, indexed by document, with the counts per 10,000 characters."""
    out = pd.DataFrame(
        {
            "doc_id": counts["doc_id"],
            "topic": counts["topic"].map(TOPIC_LABELS),
            "level": counts["level_group"],
            "genre": counts["genre_group"],
            "characters": counts["chars"],
            "priority markers": counts["priority"],
            "which": counts["priority_markers"],
            "balancing formulas": counts["balancing"],
            "which ": counts["balancing_markers"],
            "balancing per 10,000 chars": [
                f"{b / c * PER:.1f}" if c else "–" for b, c in zip(counts["balancing"], counts["chars"], strict=True)
            ],
        }
    )
    return out.set_index("doc_id")
