"""The securitizing move, coded: every passage that carries security vocabulary, by function and object.

The article follows Vuori's *directive* strand of securitization: a move made of three elementary
speech acts in sequence, **claim** (this matters / this is how things are), **warn** (there is a danger)
and **request** (do this). A word count cannot show such a move. Here every *passage* (a sentence,
:func:`analysis.counting.passages.sentences`) that holds a term of the security vocabulary
(:func:`analysis.counting.security_vocabulary`: 安全, 国家安全, 国防, 军民融合 …) is coded twice, by
rules kept as data:

function (``data/argument/speech_act_functions.csv``: ``function, pattern, gloss_en, rationale``)
    which of claim, warn, request the passage performs; a passage can perform several (the flags
    ``claim``, ``warn``, ``request``). Its primary ``function`` is the most directive act present
    (request, then warn, then claim), ``unmarked`` when no rule matches.
object (``data/argument/security_objects.csv``: ``object, priority, pattern, gloss_en, rationale``)
    what security is, for each security word of the passage: a **goal** (维护国家安全, safeguard
    national security), a **threat** (安全风险, security risk), **compliance** (安全评估, security
    assessment), a **property of a system** (安全可控, safe and controllable) or a
    **name/citation** (:mod:`analysis.counting.names`: 《网络安全法》). A rule applies to a word when one of its
    matches covers it; the smallest priority wins. Words no rule covers are ``other``. The passage's
    ``object`` is the first of its words' objects in :data:`OBJECTS` order, name/citation only when
    every word is one.

The rules are surface patterns. They cannot see negation, irony, or who speaks to whom; a clause
that requests a security assessment and a clause that requests national security both read as
request. That is why the chapter shows the rules' KWIC audit and checks the rules against a blind hand coding
(:mod:`analysis.sections.move.agreement`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis.counting import (
    Corpus,
    corpus_documents,
    security_vocabulary,
    substring_spans,
)
from analysis.counting.names import load_name_rules, name_spans
from analysis.counting.passages import sentences
from analysis.io import registry, vocabulary
from analysis.io.paths import DATA_DIR

FUNCTIONS_PATH: Path = DATA_DIR / "argument" / "speech_act_functions.csv"
OBJECTS_PATH: Path = DATA_DIR / "argument" / "security_objects.csv"
#: The acts, in precedence for the primary function, and the objects (their home: :mod:`analysis.io.vocabulary`).
FUNCTIONS: tuple[str, ...] = vocabulary.FUNCTIONS
OBJECTS: tuple[str, ...] = vocabulary.OBJECTS
UNMARKED = vocabulary.UNMARKED
WINDOW = 15
PASSAGE_COLUMNS: tuple[str, ...] = (
    "doc_id", "sentence", "start", "end", "keywords", "claim", "warn", "request", "function", "objects", "object",
    "left", "keyword", "right",
)  # fmt: skip


class CodingRuleError(ValueError):
    """A coding rule file is malformed (message names the file and line)."""


@functools.lru_cache(maxsize=8)
def _functions_cached(path: str, mtime_ns: int) -> pd.DataFrame:
    # the schema (analysis.io.registry): every pattern a regular expression, every function known
    return registry.read_registered("argument/speech_act_functions.csv", path=path, error=CodingRuleError)


@functools.lru_cache(maxsize=8)
def _objects_cached(path: str, mtime_ns: int) -> pd.DataFrame:
    # the schema (analysis.io.registry): every pattern a regular expression, every object known, priorities numbers
    df = registry.read_registered("argument/security_objects.csv", path=path, error=CodingRuleError)
    df["priority"] = df["priority"].astype(int)
    return df.sort_values("priority", kind="mergesort").reset_index(drop=True)


def _load(path: Path | None, default: Path, loader: Callable[[str, int], pd.DataFrame]) -> pd.DataFrame:
    p = Path(path) if path is not None else default
    if not p.is_file():
        raise CodingRuleError(f"{p}: file not found")
    return loader(str(p), p.stat().st_mtime_ns).copy()


def load_function_rules(path: Path | None = None) -> pd.DataFrame:
    """Function rules (claim / warn / request), validated, in file order."""
    return _load(path, FUNCTIONS_PATH, _functions_cached)


def load_object_rules(path: Path | None = None) -> pd.DataFrame:
    """Object rules, validated, sorted by priority (file order within a priority)."""
    return _load(path, OBJECTS_PATH, _objects_cached)


def keyword_spans(sentence: str, vocabulary: list[str]) -> list[tuple[int, int, str]]:
    """Matches of the vocabulary in ``sentence``, nested matches dropped (国家安全 hides its 安全), by position."""
    found = [(s, e, t) for t in vocabulary for s, e in substring_spans(sentence, t)]
    keep = [f for f in found if not any(o[0] <= f[0] and f[1] <= o[1] and (o[1] - o[0]) > (f[1] - f[0]) for o in found)]
    return sorted(set(keep))


def code_functions(sentence: str, rules: pd.DataFrame) -> dict[str, bool]:
    """Which of claim / warn / request the sentence performs (a rule's pattern occurs in it)."""
    flags = dict.fromkeys(FUNCTIONS, False)
    for function, pattern in zip(rules["function"], rules["pattern"], strict=False):
        if not flags[function] and re.search(pattern, sentence):
            flags[function] = True
    return flags


def primary_function(flags: dict[str, bool]) -> str:
    """The most directive act present (request > warn > claim), else ``unmarked``."""
    return next((f for f in FUNCTIONS if flags.get(f)), UNMARKED)


def code_object(sentence: str, start: int, end: int, rules: pd.DataFrame) -> str:
    """The object of the keyword at ``[start, end)``: the first rule (by priority) whose match covers it, else ``other``.

    For a compound holding 安全 (数据安全, data security) a match need only cover its 安全, so that
    安全事件 (security incident) also decides 数据安全事件.
    """
    core = sentence.find("安全", start, end)
    if core >= 0:
        start, end = core, core + 2
    for obj, pattern in zip(rules["object"], rules["pattern"], strict=False):
        if any(m.start() <= start and end <= m.end() for m in re.finditer(pattern, sentence)):
            return str(obj)
    return "other"


def code_passages(
    corpus: Corpus,
    *,
    vocabulary: list[str] | None = None,
    function_rules: pd.DataFrame | None = None,
    object_rules: pd.DataFrame | None = None,
    name_rules: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per sentence holding a security word, coded (columns :data:`PASSAGE_COLUMNS`), by doc and position.

    ``start``/``end`` are offsets in the document; ``keywords`` the security words found (``+``-joined);
    ``objects`` each word's object; ``left``/``keyword``/``right`` a KWIC window of :data:`WINDOW`
    characters around the first word that is not a name/citation (else the first word).
    """
    vocab = security_vocabulary() if vocabulary is None else vocabulary
    frules = load_function_rules() if function_rules is None else function_rules
    orules = load_object_rules() if object_rules is None else object_rules
    nrules = load_name_rules() if name_rules is None else name_rules
    rows = []
    for doc_id, text in corpus_documents(corpus):
        names = name_spans(text, nrules)
        for unit in sentences(text):
            sent = unit.text(text)
            spans = keyword_spans(sent, vocab)
            if not spans:
                continue
            objs = []
            for s, e, _t in spans:
                a, b = unit.start + s, unit.start + e
                in_name = any(ns <= a and b <= ne for ns, ne in zip(names["start"], names["end"], strict=False))
                objs.append("name_citation" if in_name else code_object(sent, s, e, orules))
            flags = code_functions(sent, frules)
            real = [o for o in objs if o != "name_citation"]
            obj = min(real, key=OBJECTS.index) if real else "name_citation"
            focus = next((i for i, o in enumerate(objs) if o != "name_citation"), 0)
            s, e, _t = spans[focus]
            a, b = unit.start + s, unit.start + e
            rows.append(
                {
                    "doc_id": doc_id, "sentence": unit.index, "start": unit.start, "end": unit.end,
                    "keywords": "+".join(t for _s, _e, t in spans), **flags, "function": primary_function(flags),
                    "objects": "+".join(objs), "object": obj,
                    "left": text[max(0, a - WINDOW) : a].replace("\n", " "), "keyword": text[a:b],
                    "right": text[b : b + WINDOW].replace("\n", " "),
                }
            )  # fmt: skip
    out = pd.DataFrame(rows, columns=list(PASSAGE_COLUMNS))
    return out.astype(
        {"sentence": "int64", "start": "int64", "end": "int64", "claim": bool, "warn": bool, "request": bool}
    )


def coding_summary(coded: pd.DataFrame) -> pd.DataFrame:
    """Per document: passages, passages with each function flag, primary functions and objects."""
    cols = ["doc_id", "passages", "claim", "warn", "request"]
    cols += [f"function_{f}" for f in (*FUNCTIONS, UNMARKED)] + [f"object_{o}" for o in OBJECTS]
    rows = []
    for doc_id, g in coded.groupby("doc_id", sort=True):
        row: dict[str, object] = {"doc_id": doc_id, "passages": len(g)}
        for f in FUNCTIONS:
            row[f] = int(g[f].sum())
        for f in (*FUNCTIONS, UNMARKED):
            row[f"function_{f}"] = int((g["function"] == f).sum())
        for o in OBJECTS:
            row[f"object_{o}"] = int((g["object"] == o).sum())
        rows.append(row)
    out = pd.DataFrame(rows, columns=cols)
    return out.astype({c: "int64" for c in cols[1:]})


def rule_usage(
    corpus: Corpus, *, function_rules: pd.DataFrame | None = None, object_rules: pd.DataFrame | None = None
) -> pd.DataFrame:
    """For the KWIC audit: every function and object rule with the number of coded passages it matches."""
    coded = code_passages(corpus, function_rules=function_rules, object_rules=object_rules)
    frules = load_function_rules() if function_rules is None else function_rules
    orules = load_object_rules() if object_rules is None else object_rules
    texts = dict(corpus_documents(corpus))
    passages = [texts[d][s:e] for d, s, e in zip(coded["doc_id"], coded["start"], coded["end"], strict=False)]
    rows = []
    for kind, rules, label in (("function", frules, "function"), ("object", orules, "object")):
        for value, pattern, gloss in zip(rules[label], rules["pattern"], rules["gloss_en"], strict=False):
            n = sum(1 for p in passages if re.search(pattern, p))
            rows.append({"coding": kind, "code": value, "pattern": pattern, "gloss_en": gloss, "passages": n})
    return pd.DataFrame(rows, columns=["coding", "code", "pattern", "gloss_en", "passages"]).astype(
        {"passages": "int64"}
    )


EXAMPLE_COLUMNS: tuple[str, ...] = ("coding", "code", "pattern", "doc_id", "left", "match", "right")


def rule_examples(coded: pd.DataFrame, corpus: Corpus, usage: pd.DataFrame, *, per_rule: int = 5) -> pd.DataFrame:
    """The KWIC audit of the rules: for each rule of ``usage`` (:func:`rule_usage`), up to ``per_rule`` coded
    passages of ``coded`` (:func:`code_passages` of ``corpus``, in its order) where its pattern matches, each with
    :data:`WINDOW` characters on either side of the first match (columns :data:`EXAMPLE_COLUMNS`)."""
    texts = dict(corpus_documents(corpus))
    rows = []
    for coding, code, pattern in zip(usage["coding"], usage["code"], usage["pattern"], strict=True):
        found = 0
        for doc_id, start, end in zip(coded["doc_id"], coded["start"], coded["end"], strict=True):
            if found >= per_rule:
                break
            m = re.search(pattern, texts[doc_id][start:end])
            if m:
                a, b, text = start + m.start(), start + m.end(), texts[doc_id]
                rows.append((coding, code, pattern, doc_id, text[max(0, a - WINDOW) : a].replace("\n", " "),
                             text[a:b], text[b : b + WINDOW].replace("\n", " ")))  # fmt: skip
                found += 1
    return pd.DataFrame(rows, columns=list(EXAMPLE_COLUMNS))
