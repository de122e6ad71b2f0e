"""Whose words: for every 安全, whether it sits in a phrase shared verbatim with an earlier law or control text.

The AI rules cite the Cybersecurity Law (2016), the Data Security Law (2021) and the Personal Information
Protection Law (2021), the *reference* laws of the manifest. A rule that copies its security clauses from them
says nothing new about AI; what it adds is what no earlier text says. This module traces each occurrence:

* the **phrases** of a text are its character 8-grams (shingles, ``n`` = :data:`analysis.counting.reuse.SHINGLE`)
  after normalization: each clause (:func:`analysis.counting.passages.sentences`) reduced to its Han characters,
  as :func:`analysis.counting.reuse.shingles` does (punctuation, digits, Latin letters and white space dropped), so
  no phrase runs across a clause boundary;
* an occurrence of 安全 sits in a **shared phrase** when one of the shingles of its clause that contains both its
  characters is also a shingle of a *source*: a reference law or a control text (:data:`SOURCE_TOPICS`) issued
  before the text (the source's latest possible date before the text's earliest, :func:`analysis.io.dates.date_window`;
  an undated source is never used). Only a text issued after a law can inherit from it;
* it is **attributed to the earliest source** that shares such a phrase (then by ``doc_id``), whether a law or a
  control: its status is ``reference`` or ``control``; otherwise ``new`` (in no earlier text of the build);
* occurrences **inside names and citations** (:mod:`analysis.counting.names`: 《网络安全法》, the legal list of
  prohibited content …) are set apart (status ``name``) before anything else: a cited title is shared with the
  law by construction, and the question is where the issuer's *own* security language comes from. A clause with
  fewer than eight Han characters cannot share an 8-gram: status ``short``.

Shares are of the occurrences judged (``reference + control + new``). A shared phrase shows common wording, not
copying; and ``new`` means new to this build's sources, so with fewer sources (a partial corpus) it is an upper
bound on what is new to AI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.corpus import select
from analysis.counting.names import classify_names, load_name_rules
from analysis.counting.passages import sentences
from analysis.counting.reuse import SHINGLE, shingles
from analysis.evidence.beyond.common import COMPARED, TOPIC_LABELS, chinese_documents
from analysis.io.dates import date_window

TERM = "安全"
#: The texts an occurrence can be inherited from: the reference laws and the control texts.
SOURCE_TOPICS: tuple[str, ...] = (select.REFERENCE, select.CONTROL)
#: The status of an occurrence, with readers' labels.
STATUSES: dict[str, str] = {
    "reference": "shared with an earlier reference law",
    "control": "shared with an earlier control text",
    "new": "new: in no earlier text of this build",
    "short": "in a clause too short to judge",
    "name": "inside a name or citation (set apart)",
}
JUDGED: tuple[str, ...] = ("reference", "control", "new")
OCCURRENCE_COLUMNS: tuple[str, ...] = ("doc_id", "topic", "position", "name_kind", "status", "source", "phrase")
_NON_HAN = re.compile(r"[^\u4e00-\u9fff]")


@dataclass(frozen=True)
class Source:
    """A text an occurrence can be inherited from: its id, topic, latest possible issue date and phrases."""

    doc_id: str
    topic: str
    latest: str
    phrases: frozenset[str]


def clause_shingles(text: str, n: int = SHINGLE) -> frozenset[str]:
    """The shingles of every clause of ``text`` (no shingle runs across a clause boundary)."""
    return frozenset().union(*(shingles(u.text(text), n) for u in sentences(text)))


def _window(date: str) -> tuple[str, str]:
    w = date_window(str(date))
    if w.earliest is None or w.latest is None:
        return "", ""
    return w.earliest.isoformat(), w.latest.isoformat()


def load_sources(docs: pd.DataFrame, n: int = SHINGLE) -> list[Source]:
    """The dated reference and control texts of ``docs`` (a :func:`chinese_documents` frame) as sources."""
    out = []
    for doc_id, topic, date, text in zip(docs["doc_id"], docs["topic"], docs["date"], docs["text"], strict=True):
        if topic in SOURCE_TOPICS and _window(date)[1]:
            out.append(Source(doc_id, topic, _window(date)[1], clause_shingles(text, n)))
    return sorted(out, key=lambda s: (s.latest, s.doc_id))


def _covering(clause: str, offset: int, n: int) -> list[str] | None:
    """The shingles of ``clause`` (after normalization) that hold the two characters at ``offset``; None when the
    clause has fewer than ``n`` Han characters."""
    han_positions = [i for i, ch in enumerate(clause) if not _NON_HAN.match(ch)]
    han = "".join(clause[i] for i in han_positions)
    if len(han) < n:
        return None
    h = han_positions.index(offset)
    return [han[i : i + n] for i in range(max(0, h + 2 - n), min(h, len(han) - n) + 1)]


def occurrence_provenance(
    text: str,
    date: str,
    sources: list[Source],
    *,
    doc_id: str = "",
    name_rules: pd.DataFrame | None = None,
    n: int = SHINGLE,
) -> pd.DataFrame:
    """Every occurrence of 安全 in ``text`` (issued on ``date``): ``position, name_kind, status`` (:data:`STATUSES`),
    ``source`` (the earliest earlier source sharing a phrase, or "") and ``phrase`` (the first shared shingle)."""
    names = classify_names(text, TERM, load_name_rules() if name_rules is None else name_rules)
    earliest = _window(date)[0]
    eligible = [s for s in sources if s.doc_id != doc_id and earliest and s.latest < earliest]
    units = sentences(text)
    rows = []
    for position, name_kind in zip(names["position"], names["name_kind"], strict=True):
        status, source, phrase = "name", "", ""
        if not name_kind:
            unit = next(u for u in units if u.start <= position < u.end)
            windows = _covering(unit.text(text), int(position) - unit.start, n)
            if windows is None:
                status = "short"
            else:
                hit = next(((s, w) for s in eligible for w in windows if w in s.phrases), None)
                status, source, phrase = ("new", "", "") if hit is None else (hit[0].topic, hit[0].doc_id, hit[1])
        rows.append((int(position), name_kind, status, source, phrase))
    out = pd.DataFrame(rows, columns=list(OCCURRENCE_COLUMNS[2:]))
    return out.astype({"position": "int64"})


def provenance_table(corpus: pd.DataFrame | Mapping[str, str], manifest: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`occurrence_provenance` of every Chinese AI and control text of ``corpus`` against the reference and
    control texts it holds (:data:`OCCURRENCE_COLUMNS`), texts by date."""
    docs = chinese_documents(corpus, manifest, (*COMPARED, select.REFERENCE))
    pool = load_sources(docs)
    names = load_name_rules()
    parts = []
    for _, doc in docs[docs["topic"].isin(COMPARED)].iterrows():
        part = occurrence_provenance(doc["text"], doc["date"], pool, doc_id=doc["doc_id"], name_rules=names)
        part.insert(0, "topic", doc["topic"])
        part.insert(0, "doc_id", doc["doc_id"])
        parts.append(part)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "position" else object) for c in OCCURRENCE_COLUMNS})
    return pd.concat(parts, ignore_index=True).loc[:, list(OCCURRENCE_COLUMNS)]


def _shares(part: pd.DataFrame) -> dict[str, object]:
    counts = part["status"].value_counts()
    row: dict[str, object] = {s: int(counts.get(s, 0)) for s in STATUSES}
    judged = sum(int(row[s]) for s in JUDGED)  # type: ignore[call-overload]
    inherited = int(row["reference"]) + int(row["control"])  # type: ignore[call-overload]
    row["judged"] = judged
    row["inherited_share"] = inherited / judged if judged else float("nan")
    row["new_share"] = int(row["new"]) / judged if judged else float("nan")  # type: ignore[call-overload]
    sources = part.loc[part["source"] != "", "source"].value_counts()
    row["sources"] = "; ".join(f"{s} ×{int(k)}" for s, k in sorted(sources.items(), key=lambda p: (-p[1], p[0])))
    return row


def text_summary(occurrences: pd.DataFrame) -> pd.DataFrame:
    """Per text (in the order of ``occurrences``): the occurrences of each status, ``judged``, ``inherited_share``,
    ``new_share`` and ``sources`` (``doc_id ×n; …``, most first)."""
    rows = [
        {"doc_id": doc_id, "topic": part["topic"].iloc[0], "anquan": len(part), **_shares(part)}
        for doc_id, part in occurrences.groupby("doc_id", sort=False)
    ]
    return pd.DataFrame(
        rows, columns=["doc_id", "topic", "anquan", *STATUSES, "judged", "inherited_share", "new_share", "sources"]
    )


def topic_summary(occurrences: pd.DataFrame) -> pd.DataFrame:
    """Per topic (AI, control; both always listed): the same columns as :func:`text_summary`, with ``texts``."""
    rows = []
    for topic in COMPARED:
        part = select.select_topic(occurrences, topic)
        rows.append({"topic": topic, "texts": part["doc_id"].nunique(), "anquan": len(part), **_shares(part)})
    return pd.DataFrame(rows)


def share_value(occurrences: pd.DataFrame, topic: str, origin: str = "any") -> tuple[int, int]:
    """``(k, judged)`` for the ledger: the occurrences of ``topic`` shared with an earlier ``origin`` (``reference``,
    ``control`` or ``any``), and the occurrences judged."""
    part = select.select_topic(occurrences, topic)
    wanted = ["reference", "control"] if origin == "any" else [origin]
    return int(part["status"].isin(wanted).sum()), int(part["status"].isin(JUDGED).sum())


def paragraph(occurrences: pd.DataFrame, source_ids: list[str]) -> str:
    """The computed paragraph of the chapter: how much of the security language is inherited, and from whom."""
    if occurrences.empty:
        return "Not reproducible here: no 安全 in a Chinese AI or control text is available in this build."
    summary = topic_summary(occurrences).set_index("topic")
    parts = [f"The build holds {len(source_ids)} source texts ({', '.join(source_ids) or 'none'})."]
    for topic in COMPARED:
        row = summary.loc[topic]
        if int(row["judged"]) == 0:
            parts.append(f"The {TOPIC_LABELS[topic]} hold no 安全 outside names and citations.")
            continue
        parts.append(
            f"Of the {int(row['anquan'])} 安全 in the {TOPIC_LABELS[topic]}, {int(row['name'])} stand inside names and "
            f"citations; of the {int(row['judged'])} others, {int(row['reference'])} sit in a phrase shared with an "
            f"earlier reference law and {int(row['control'])} with an earlier control text "
            f"({row['inherited_share']:.0%} inherited), and {int(row['new'])} ({row['new_share']:.0%}) are new"
            + (f" (main sources: {row['sources']})." if row["sources"] else ".")
        )
    return " ".join(parts)


# ------------------------------------------------------------------------------------------- readers' tables


def reader_texts(texts: pd.DataFrame) -> pd.DataFrame:
    """:func:`text_summary` for readers, indexed by document."""
    share = [f"{v:.0%}" if v == v else "–" for v in texts["inherited_share"]]
    out = pd.DataFrame(
        {
            "doc_id": texts["doc_id"],
            "topic": texts["topic"].map(TOPIC_LABELS),
            "安全 (all)": texts["anquan"],
            "in names and citations": texts["name"],
            "judged": texts["judged"],
            "shared with a reference law": texts["reference"],
            "shared with a control text": texts["control"],
            "new": texts["new"],
            "share inherited": share,
            "sources (occurrences)": texts["sources"],
        }
    )
    return out.set_index("doc_id")


def audit(occurrences: pd.DataFrame, corpus: pd.DataFrame, width: int = 14) -> pd.DataFrame:
    """Every occurrence shared with an earlier text: the source, the shared 8-character phrase, and ``width``
    characters on each side (computed from the build's texts when the book is built; never stored)."""
    docs = chinese_documents(corpus, None, COMPARED)
    texts = dict(zip(docs["doc_id"], docs["text"], strict=True))
    rows = occurrences[occurrences["status"].isin(["reference", "control"])]
    context = [
        (texts[d][max(0, p - width) : p].replace("\n", " "), texts[d][p : p + 2 + width].replace("\n", " "))
        for d, p in zip(rows["doc_id"], rows["position"], strict=True)
    ]
    return pd.DataFrame(
        {
            "doc_id": rows["doc_id"],
            "source": rows["source"],
            "shared phrase": rows["phrase"],
            "left": [a for a, _ in context],
            "安全 and right": [b for _, b in context],
        }
    ).reset_index(drop=True)
