"""Names and citations: the 安全 that a document cites rather than says.

Not every 安全 is a securitizing utterance. Before any sense is assigned, an occurrence that stands
inside a *name or citation* is set apart:

* a title in book-title marks (《网络安全法》, the Cybersecurity Law) or a law's name without them;
* a national standard's title; a reference to "the laws on data security";
* an agency's name (网络安全和信息化委员会, the Cyberspace Affairs Commission; 国家安全机关, state
  security organs);
* the legal list of prohibited content or conduct (不得 … 危害国家安全 …), a formula repeated from
  law to law.

The rules are data (``data/argument/names_citations.csv``: ``pattern, kind, gloss_en, rationale``;
``pattern`` is a Python regular expression). An occurrence of a term belongs to the class when a
match of any rule covers it; its ``kind`` is that of the first covering rule in file order.

:func:`mask_names` replaces every character of every match by :data:`MASK` (same length, so offsets
and character counts stay the same): any counting function run on the masked text gives the count
*without* the class. :func:`name_effect` gives, per document, the count of a term with and without it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd

from analysis.counting import (
    Corpus,
    classify_occurrences,
    corpus_documents,
    substring_spans,
)
from analysis.io import registry, vocabulary
from analysis.io.paths import DATA_DIR

NAMES_PATH: Path = DATA_DIR / "argument" / "names_citations.csv"
NAME_COLUMNS: tuple[str, ...] = registry.schema_of("argument/names_citations.csv").names
#: The kinds of name and citation, with readers' labels (their home: :mod:`analysis.io.vocabulary`).
KINDS: dict[str, str] = vocabulary.NAME_KINDS
MASK = "□"


class NameRuleError(ValueError):
    """The name/citation rule file is malformed (message names the file and line)."""


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> pd.DataFrame:
    return _read_rules(Path(path))


def _read_rules(path: Path) -> pd.DataFrame:
    # the schema (analysis.io.registry): every pattern a regular expression, every kind known, every rule glossed
    df = registry.read_registered("argument/names_citations.csv", path=path, error=NameRuleError)
    return df.loc[:, list(NAME_COLUMNS)].reset_index(drop=True)


def load_name_rules(path: Path | None = None) -> pd.DataFrame:
    """The name/citation rules, validated, in file order (cached by path and modification time)."""
    p = Path(path) if path is not None else NAMES_PATH
    if not p.is_file():
        raise NameRuleError(f"{p}: file not found")
    return _load_cached(str(p), p.stat().st_mtime_ns).copy()


def name_spans(text: str, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every match of every rule in ``text``: ``start, end, kind, pattern`` (rule order, then position)."""
    rules = load_name_rules() if rules is None else rules
    rows = []
    for pattern, kind in zip(rules["pattern"], rules["kind"], strict=False):
        for m in re.finditer(pattern, text):
            if m.end() > m.start():
                rows.append((m.start(), m.end(), kind, pattern))
    out = pd.DataFrame(rows, columns=["start", "end", "kind", "pattern"])
    return out.astype({"start": "int64", "end": "int64"})


def _covering_kind(start: int, end: int, spans: pd.DataFrame) -> str:
    for s, e, kind in zip(spans["start"], spans["end"], spans["kind"], strict=False):
        if s <= start and end <= e:
            return str(kind)
    return ""


def classify_names(text: str, term: str = "安全", rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every occurrence of ``term`` (non-overlapping, as :func:`str.count`): ``position, name_kind``.

    ``name_kind`` is the kind of the first rule (file order) whose match covers the occurrence, or
    ``""`` when the occurrence stands outside every name and citation.
    """
    spans = name_spans(text, rules)
    rows = [(s, _covering_kind(s, e, spans)) for s, e in substring_spans(text, term)]
    return pd.DataFrame(rows, columns=["position", "name_kind"]).astype({"position": "int64"})


def mask_names(text: str, rules: pd.DataFrame | None = None) -> str:
    """``text`` with every character of every name/citation match replaced by :data:`MASK`."""
    spans = name_spans(text, rules)
    if spans.empty:
        return text
    chars = list(text)
    for s, e in zip(spans["start"], spans["end"], strict=False):
        for i in range(int(s), int(e)):
            if not chars[i].isspace():
                chars[i] = MASK
    return "".join(chars)


def masked_corpus(corpus: pd.DataFrame, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy of a corpus frame (``doc_id``, ``text`` …) whose texts are masked by :func:`mask_names`."""
    rules = load_name_rules() if rules is None else rules
    out = corpus.copy()
    if "text" in out.columns and not out.empty:
        out["text"] = [mask_names(t, rules) for t in out["text"]]
    return out


EFFECT_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "all",
    *KINDS,
    "names_total",
    "without_names",
    "security_sense_all",
    "security_sense_without_names",
)


def name_effect(corpus: Corpus, term: str = "安全", *, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per document: how many occurrences of ``term`` the name/citation class takes out, by kind.

    Columns: ``doc_id, all`` (every occurrence), one column per kind in :data:`KINDS`,
    ``names_total``, ``without_names``, and the count in the *security* sense of
    :func:`analysis.counting.classify_occurrences` before and after (``security_sense_all``,
    ``security_sense_without_names``; sense rules apply to 安全 only, other terms get their plain
    counts there). Sorted by ``doc_id``.
    """
    rules = load_name_rules() if rules is None else rules
    rows = []
    for doc_id, text in corpus_documents(corpus):
        c = classify_names(text, term, rules)
        row: dict[str, object] = {"doc_id": doc_id, "all": len(c)}
        for kind in KINDS:
            row[kind] = int((c["name_kind"] == kind).sum())
        row["names_total"] = int((c["name_kind"] != "").sum())
        row["without_names"] = len(c) - int(row["names_total"])  # type: ignore[call-overload]
        if term == "安全":
            senses = classify_occurrences(text, term)
            security = set(senses.loc[senses["sense"] == "security", "position"])
            outside = set(c.loc[c["name_kind"] == "", "position"])
            row["security_sense_all"] = len(security)
            row["security_sense_without_names"] = len(security & outside)
        else:
            row["security_sense_all"] = len(c)
            row["security_sense_without_names"] = row["without_names"]
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(EFFECT_COLUMNS))
    return out.astype({c: "int64" for c in EFFECT_COLUMNS[1:]})


def counts_with_without(corpus: pd.DataFrame, terms: list[str], *, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per document and term (inclusive counts): ``doc_id, term, with_names, without_names, removed``.

    ``without_names`` counts the term in the masked text (:func:`mask_names`), so any term inside a
    name or citation is left out. Sorted by document order of ``corpus``, then ``terms`` order.
    """
    rules = load_name_rules() if rules is None else rules
    rows = []
    for doc_id, text in corpus_documents(corpus):
        masked = mask_names(text, rules)
        for term in terms:
            a, b = len(substring_spans(text, term)), len(substring_spans(masked, term))
            rows.append({"doc_id": doc_id, "term": term, "with_names": a, "without_names": b, "removed": a - b})
    out = pd.DataFrame(rows, columns=["doc_id", "term", "with_names", "without_names", "removed"])
    return out.astype({c: "int64" for c in ("with_names", "without_names", "removed")})


NAME_KWIC_COLUMNS: tuple[str, ...] = ("doc_id", "position", "name_kind", "left", "keyword", "right")


def name_kwic(
    corpus: Corpus, term: str = "安全", *, rules: pd.DataFrame | None = None, width: int = 15
) -> pd.DataFrame:
    """Keyword-in-context lines of the occurrences of ``term`` that stand inside a name or citation (the audit of
    the class): ``doc_id, position, name_kind, left, keyword, right``, by document and position."""
    rules = load_name_rules() if rules is None else rules
    rows = []
    for doc_id, text in corpus_documents(corpus):
        kinds = classify_names(text, term, rules)
        for position, kind in zip(kinds["position"], kinds["name_kind"], strict=True):
            if kind:
                s, e = int(position), int(position) + len(term)
                left, right = text[max(0, s - width) : s], text[e : e + width]
                rows.append((doc_id, s, kind, left.replace("\n", " "), text[s:e], right.replace("\n", " ")))
    out = pd.DataFrame(rows, columns=list(NAME_KWIC_COLUMNS)).astype({"position": "int64"})
    return out.sort_values(["doc_id", "position"], kind="mergesort").reset_index(drop=True)


#: The senses of 安全 (:func:`analysis.counting.classify_occurrences`), in the order tables show them.
SENSES: tuple[str, ...] = ("security", "ambiguous", "safety")


def senses_by_names(corpus: Corpus, *, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """The occurrences of 安全 in ``corpus`` by sense (rows, :data:`SENSES`) and by where they stand (columns: each
    kind of :data:`KINDS`, then ``outside``, outside every name and citation), summed over the documents. Every
    cell is present, zeros included; an empty corpus gives a table of zeros."""
    rules = load_name_rules() if rules is None else rules
    table = pd.DataFrame(0, index=pd.Index(SENSES, name="sense"), columns=[*KINDS, "outside"], dtype="int64")
    for _doc_id, text in corpus_documents(corpus):
        kinds = classify_names(text, "安全", rules).set_index("position")["name_kind"]
        for position, sense in zip(
            *(classify_occurrences(text, "安全")[c] for c in ("position", "sense")), strict=True
        ):
            table.loc[sense, kinds.get(position, "") or "outside"] += 1
    return table
