"""How the ledger checks each kind of claim: a registry of methods, each declaring its parameters.

A method takes the claim's parameters and a :class:`Context` (the texts of this build, the manifest) and
returns a :class:`Computed` value, or a string saying why the claim cannot be computed here. Each method
declares the parameters it needs and accepts (:data:`METHODS`), whether it reads primary texts (agreement is
then *reproduced*; otherwise *corroborated*), and reports what its value rests on:

* ``texts``: the ids of the primary texts it read, so that an explanation of a difference can be keyed to the
  exact texts it was written for (:func:`evidence_sha256`);
* ``unchecked``: the fact rows (or manifest dates) it used that are not checked in their source. A value
  resting on any unchecked row is never *corroborated* (:mod:`analysis.evidence.ledger`).

Fact tables mark a row checked with ``checked = yes``; a table may also mark one column of a row with a column
named ``<column>_checked`` (``field_zh_checked`` in ``national_ai_team``): a claim that reads that column needs
both. The manifest's ``date_source`` (where an issue date was seen) marks a date checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from analysis.counting import MODES, count_term, matching_rule
from analysis.evidence.bounds import number
from analysis.evidence.facts import FactTableError, fact_table_path, load_facts
from analysis.io.text import text_sha256

#: Counting modes a ``term_count`` claim may name (``rule=``): the modes of :mod:`analysis.counting`.
RULES: tuple[str, ...] = MODES
#: The months after the State Council plan's publication that "right after" covers (``local_timing``).
DEFAULT_WINDOW_MONTHS = 12


@dataclass(frozen=True)
class Computed:
    """A value computed for a claim, with how it was computed and what it rests on."""

    value: str
    how: str
    source: str
    exact: bool = True
    qualifier: str = ""
    texts: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()


@dataclass
class Context:
    """What a method may read: ``texts`` (doc_id → text of this build), the manifest (read once, lazily) and, for
    the extension claims, the ``baseline``: the control and reference texts of this build (``baseline_texts`` when
    given, else read once, lazily, from the corpus), the comparison the book's own findings rest on."""

    texts: Mapping[str, str]
    claim_id: str = ""
    baseline_texts: Mapping[str, str] | None = field(default=None, repr=False)
    _manifest: pd.DataFrame | None = field(default=None, repr=False)
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def manifest(self) -> pd.DataFrame:
        if self._manifest is None:
            from analysis.corpus import load_manifest

            self._manifest = load_manifest()
        return self._manifest

    @property
    def baseline(self) -> Mapping[str, str]:
        if self.baseline_texts is None:
            from analysis.corpus import load_corpus
            from analysis.corpus.select import CONTROL, REFERENCE, select_topic

            frame = select_topic(load_corpus(), (CONTROL, REFERENCE))
            self.baseline_texts = dict(zip(frame["doc_id"], frame["text"], strict=True))
        return self.baseline_texts

    def table(self, key: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """A table computed once per context (the analyses behind several claims read the same texts)."""
        if key not in self._tables:
            self._tables[key] = compute()
        return self._tables[key]

    def readable(self) -> dict[str, str]:
        """Every text a method may have read: the baseline (when it was read) and ``texts``."""
        return {**(self.baseline_texts or {}), **self.texts}


Result = Computed | str
MethodFn = Callable[[dict[str, str], Context], Result]


@dataclass(frozen=True)
class Method:
    """A registered method: its parameters, whether it reads primary texts, and the function."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    reads_text: bool
    compute: MethodFn


METHODS: dict[str, Method] = {}


def method(
    name: str, *, required: tuple[str, ...] = (), optional: tuple[str, ...] = (), reads_text: bool = False
) -> Callable[[MethodFn], MethodFn]:
    """Register ``fn`` as the method ``name`` (every method also takes ``expect``, the article's value as read)."""

    def register(fn: MethodFn) -> MethodFn:
        METHODS[name] = Method(name, required, (*optional, "expect"), reads_text, fn)
        return fn

    return register


def evidence_sha256(texts: Mapping[str, str], doc_ids: tuple[str, ...]) -> str:
    """A key for the texts a value rests on: the text's own SHA-256 (normalised text) for one document; for
    several, the SHA-256 of their ``doc_id:sha256`` lines in id order. ``""`` when no text was read."""
    if not doc_ids:
        return ""
    if len(doc_ids) == 1:
        return text_sha256(texts[doc_ids[0]])
    lines = "".join(f"{d}:{text_sha256(texts[d])}\n" for d in sorted(doc_ids))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _share(k: int, n: int) -> str:
    return f"{k / n:.2f}"


def _missing(doc: str) -> str:
    return f"document {doc} is not available in this build"


# ------------------------------------------------------------------------------------------- text methods


@method("term_count", required=("doc", "term", "rule"), reads_text=True)
def _term_count(params: dict[str, str], ctx: Context) -> Result:
    doc, term, mode = params["doc"], params["term"], params["rule"]
    if doc not in ctx.texts:
        return _missing(doc)
    # ``rule`` is the counting mode; the matching rule (Chinese substring, English word boundary …) is the term's own.
    value = count_term(ctx.texts[doc], term, mode, rule=matching_rule(term))  # type: ignore[arg-type]
    return Computed(str(value), f"{mode} count of {term} in {doc}", f"corpus document {doc}", texts=(doc,))


@method("terms_present", required=("doc", "terms"), optional=("near",), reads_text=True)
def _terms_present(params: dict[str, str], ctx: Context) -> Result:
    doc = params["doc"]
    if doc not in ctx.texts:
        return _missing(doc)
    terms = [t for t in params["terms"].split("|") if t]
    near = params.get("near", "")
    lines = ctx.texts[doc].splitlines()
    found = [t for t in terms if any(t in line and (not near or near in line) for line in lines)]
    where = f" on a line with {near}" if near else ""
    how = f"{len(found)} of {len(terms)} terms found in {doc}{where} ({', '.join(found) or 'none'})"
    return Computed(str(len(found)), how, f"corpus document {doc}", texts=(doc,))


@method("local_share", required=("term",), optional=("doc",), reads_text=True)
def _local_share(params: dict[str, str], ctx: Context) -> Result:
    from analysis.corpus.select import local_ai_plan_ids
    from analysis.counting import local_plan_mentions

    term = params["term"]
    mentions = local_plan_mentions(dict(ctx.texts), ctx.manifest, term)
    if "doc" in params:
        doc = params["doc"]
        hit = mentions[mentions["doc_id"] == doc]
        if hit.empty:
            return _missing(doc)
        return Computed(
            str(int(hit["count"].iloc[0])), f"count of {term} in {doc}", f"corpus document {doc}", texts=(doc,)
        )
    if mentions.empty:
        n = len(local_ai_plan_ids(ctx.manifest))
        return (
            f"none of the {n} local AI plans of the manifest is available in this build; their texts would decide it "
            "(Appendix B lists their routes)"
        )
    k, n = int((mentions["count"] > 0).sum()), len(mentions)
    how = f"{k} of {n} local AI plans present in this build contain {term} (share {_share(k, n)})"
    used = tuple(mentions["doc_id"])
    return Computed(_share(k, n), how, f"{n} corpus documents (local AI plans)", texts=used)


# ------------------------------------------------------------------------------------------ fact methods


def _checked(row: pd.Series, columns: tuple[str, ...] = ()) -> bool:
    """``checked = yes`` for the row (when the table has the column), and ``<column>_checked = yes`` for each of
    ``columns`` that has such a flag."""
    flags = ["checked", *(f"{c}_checked" for c in columns)]
    return all(str(row[f]).strip() == "yes" for f in flags if f in row.index)


def _key(table: str, row: pd.Series) -> str:
    first = str(row.iloc[0]).strip()
    return f"{table}:{first}"


def _unchecked(table: str, rows: pd.DataFrame, columns: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(_key(table, r) for _, r in rows.iterrows() if not _checked(r, columns))


def _where(df: pd.DataFrame, where: str, table: str) -> pd.DataFrame:
    column, _, value = where.partition("=")
    column, value = column.strip(), value.strip()
    if column not in df.columns:
        raise FactTableError(f"{fact_table_path(table)}: no column {column!r} (where={where})")
    return df[df[column].astype(str).str.strip() == value]


def _one_row(table: str, where: str, column: str, claim_id: str) -> pd.Series:
    df = _where(load_facts(table), where, table)
    if column not in df.columns:
        raise FactTableError(f"{fact_table_path(table)}: no column {column!r} (claim {claim_id})")
    if len(df) != 1:
        raise FactTableError(
            f"{fact_table_path(table)}: where={where} matches {len(df)} rows, expected exactly 1 (claim {claim_id})"
        )
    return df.iloc[0]


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@method("fact_value", required=("table", "where", "column"), optional=("qualifier", "scale"))
def _fact_value(params: dict[str, str], ctx: Context) -> Result:
    table, column = params["table"], params["column"]
    if not fact_table_path(table).is_file():
        return f"fact table data/facts/{table}.csv is not in this build"
    row = _one_row(table, params["where"], column, ctx.claim_id)
    value = str(row[column]).strip()
    qualifier = str(row[params["qualifier"]]).strip() if "qualifier" in params else ""
    if "scale" in params and number(value) is not None:
        unit = {1e6: "million", 1e9: "billion"}.get(float(params["scale"]))
        value = f"{value} {unit}" if unit else _format(float(value) * float(params["scale"]))
    how = f"{column} of {table} where {params['where']}" + (f" ({qualifier})" if qualifier else "")
    unchecked = () if _checked(row, (column,)) else (_key(table, row),)
    return Computed(value, how, str(row["source"]).strip(), False, qualifier, unchecked=unchecked)


@method("fact_count", required=("table",), optional=("where",))
def _fact_count(params: dict[str, str], ctx: Context) -> Result:
    table = params["table"]
    if not fact_table_path(table).is_file():
        return f"fact table data/facts/{table}.csv is not in this build"
    df = load_facts(table)
    if "where" in params:
        df = _where(df, params["where"], table)
    how = f"number of rows of {table}" + (f" where {params['where']}" if "where" in params else "")
    return Computed(str(len(df)), how, f"data/facts/{table}.csv", unchecked=_unchecked(table, df))


@method("join_count", required=("left", "right", "on"))
def _join_count(params: dict[str, str], ctx: Context) -> Result:
    left, right, on = load_facts(params["left"]), load_facts(params["right"]), params["on"]
    for name, df in ((params["left"], left), (params["right"], right)):
        if on not in df.columns:
            raise FactTableError(f"{fact_table_path(name)}: no column {on!r} (claim {ctx.claim_id})")
    keys = set(right[on].str.strip())
    matched = left[left[on].str.strip().isin(keys)]
    partners = right[right[on].str.strip().isin(set(matched[on].str.strip()))]
    unchecked = _unchecked(params["left"], matched) + _unchecked(params["right"], partners)
    how = f"rows of {params['left']} whose {on} is in {params['right']}"
    source = f"data/facts/{params['left']}.csv ; data/facts/{params['right']}.csv"
    return Computed(str(len(matched)), how, source, unchecked=unchecked)


@method("fact_ratio", required=("table", "num", "den", "column"))
def _fact_ratio(params: dict[str, str], ctx: Context) -> Result:
    table, column = params["table"], params["column"]
    num = _one_row(table, params["num"], column, ctx.claim_id)
    den = _one_row(table, params["den"], column, ctx.claim_id)
    a, b = str(num[column]).strip(), str(den[column]).strip()
    value = f"{float(a) / float(b):.2f}"
    how = f"{column} where {params['num']} ({a}) over {column} where {params['den']} ({b}) in {table}"
    rows = pd.DataFrame([num, den])
    return Computed(
        value, how, f"{num['source']} ; {den['source']}", False, unchecked=_unchecked(table, rows, (column,))
    )


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, min(day.day, 28))


@method("local_timing", optional=("window_months",))
def _local_timing(params: dict[str, str], ctx: Context) -> Result:
    """The share of the manifest's dated local AI plans issued within ``window_months`` after the State Council
    plan was published; a plan counts only when its whole date window falls inside or outside that span."""
    from analysis.corpus.select import local_ai_plans
    from analysis.io.dates import STATE_COUNCIL_PLAN, date_window

    months = int(params.get("window_months", DEFAULT_WINDOW_MONTHS))
    start, end = STATE_COUNCIL_PLAN.published, _add_months(STATE_COUNCIL_PLAN.published, months)
    plans = local_ai_plans(ctx.manifest)
    inside, outside, unchecked = 0, 0, []
    for doc_id, issued, source in zip(
        plans["doc_id"], plans["date_issued"], plans.get("date_source", pd.Series("", index=plans.index)), strict=True
    ):
        window = date_window(str(issued))
        if window.earliest is None or window.latest is None:
            continue
        if start < window.earliest and window.latest <= end:
            inside += 1
        elif window.latest < STATE_COUNCIL_PLAN.signed or window.earliest > end:
            outside += 1
        else:
            continue
        if not str(source).strip():
            unchecked.append(f"manifest:{doc_id} (issue date {issued})")
    n = inside + outside
    if n == 0:
        return f"no local AI plan of the manifest can be dated inside or outside the {months} months after July 2017"
    how = (
        f"{inside} of {n} local AI plans of the manifest that can be dated were issued within {months} months after "
        f"the State Council plan was published on {start.isoformat()} (share {_share(inside, n)}; "
        f"{len(plans) - n} plans cannot be placed)"
    )
    return Computed(_share(inside, n), how, "data/corpus/manifest.csv (issue dates)", unchecked=tuple(unchecked))


# ------------------------------------------------------------------------ the book's own findings (extension)
# The three analyses of notebooks/beyond_the_count (analysis.evidence.beyond), on the Chinese AI and control texts.

_MEASURES = ("share", "count")
_TOPIC_WORDS = {"ai": "AI", "control": "control"}


def _compared(ctx: Context, topics: tuple[str, ...]) -> pd.DataFrame:
    from analysis.evidence.beyond.common import chinese_documents

    return chinese_documents({**ctx.baseline, **ctx.texts}, ctx.manifest, topics)


def _no_text(topic: str) -> str:
    return f"no Chinese {_TOPIC_WORDS.get(topic, topic)} text is available in this build"


def _param(params: dict[str, str], key: str, allowed: tuple[str, ...], default: str) -> str:
    value = params.get(key, default)
    if value not in allowed:
        raise ValueError(f"{key}={value!r} is not one of {', '.join(allowed)}")
    return value


def _texts_word(n: int, topic: str) -> str:
    return f"{n} Chinese {_TOPIC_WORDS.get(topic, topic)} text" + ("" if n == 1 else "s")


@method("exceptionality", required=("topic", "kind"), optional=("measure",), reads_text=True)
def _exceptionality(params: dict[str, str], ctx: Context) -> Result:
    """Priority markers or balancing formulas (``kind``) in the Chinese texts of ``topic``: ``occurrences``, the
    number of ``texts`` using one, or the ``share`` of the texts using one (``measure``, default occurrences)."""
    from analysis.evidence.beyond import grammar

    topic, kind = _param(params, "topic", ("ai", "control"), "ai"), _param(params, "kind", tuple(grammar.KINDS), "")
    measure = _param(params, "measure", ("occurrences", "texts", "share"), "occurrences")
    docs = _compared(ctx, (topic,))
    if docs.empty:
        return _no_text(topic)
    counts = ctx.table("grammar", lambda: grammar.grammar_counts(_compared(ctx, ("ai", "control"))))
    used, n = grammar.kind_value(counts, topic, kind, "texts")
    total, _ = grammar.kind_value(counts, topic, kind)
    value = {"occurrences": str(total), "texts": str(used), "share": _share(used, n)}[measure]
    how = f"{grammar.KINDS[kind]} in the {_texts_word(n, topic)}: {total} in all, in {used} of the texts"
    return Computed(value, how, f"{_texts_word(n, topic)} ({measure})", texts=tuple(docs["doc_id"]))


@method("addressee_share", required=("topic", "addressees"), optional=("term", "measure"), reads_text=True)
def _addressee_share(params: dict[str, str], ctx: Context) -> Result:
    """The security language (``term``: anquan, national_security or vocabulary) outside names and citations in the
    clauses of the Chinese texts of ``topic`` addressed to ``addressees`` (classes joined by ``|``): a ``count`` or
    its ``share`` of the topic's (``measure``, default share)."""
    from analysis.evidence.beyond import addressees

    topic = _param(params, "topic", ("ai", "control"), "ai")
    term = _param(params, "term", addressees.SECURITY_COLUMNS, "anquan")
    measure = _param(params, "measure", _MEASURES, "share")
    classes = [c for c in params["addressees"].split("|") if c]
    unknown = sorted(set(classes) - set(addressees.ADDRESSEES) - {addressees.NONE})
    if unknown:
        raise ValueError(f"addressees {', '.join(unknown)} are not classes of data/argument/addressees.csv")
    docs = _compared(ctx, (topic,))
    if docs.empty:
        return _no_text(topic)
    clauses = ctx.table("addressees", lambda: addressees.addressee_table(_compared(ctx, ("ai", "control"))))
    k, n = addressees.share_of(clauses, topic, classes, term)
    if measure == "share" and n == 0:
        return f"the {_texts_word(len(docs), topic)} of this build hold no {term} outside names and citations"
    words = {"anquan": "安全", "national_security": "国家安全", "vocabulary": "security words"}[term]
    to = " or ".join(addressees.ADDRESSEES.get(c, "no named addressee") for c in classes)
    how = f"{words} outside names and citations in the {_texts_word(len(docs), topic)}, in clauses addressed to {to}: {k} of {n}"
    value = str(k) if measure == "count" else _share(k, n)
    return Computed(value, how, f"{_texts_word(len(docs), topic)} ({measure})", texts=tuple(docs["doc_id"]))


@method("provenance_share", required=("topic",), optional=("origin", "measure", "than"), reads_text=True)
def _provenance_share(params: dict[str, str], ctx: Context) -> Result:
    """The 安全 outside names and citations of the Chinese texts of ``topic`` that sit in a phrase shared with an
    earlier text of ``origin`` (reference, control or any): a ``count`` or a ``share`` of those judged (``measure``,
    default share); with ``than=<topic>``, whether that share is ``lower``, ``higher`` or ``the same``."""
    from analysis.evidence.beyond import provenance

    topic = _param(params, "topic", ("ai", "control"), "ai")
    origin = _param(params, "origin", ("any", "reference", "control"), "any")
    measure = _param(params, "measure", _MEASURES, "share")
    than = params.get("than", "")
    if than and than not in ("ai", "control"):
        raise ValueError(f"than={than!r} is not one of ai, control")
    compared = (topic, than) if than else (topic,)
    docs = _compared(ctx, ("ai", "control", "reference"))  # every reference and control text is a possible source
    table = ctx.table("provenance", lambda: provenance.provenance_table(docs))
    shares = {t: provenance.share_value(table, t, origin) for t in compared}
    for t in compared:
        if shares[t][1] == 0:
            return f"no 安全 outside names and citations in a Chinese {_TOPIC_WORDS[t]} text of this build"
    k, n = shares[topic]
    earlier = {"any": "reference law or control text", "reference": "reference law", "control": "control text"}[origin]
    how = f"安全 outside names in the {_TOPIC_WORDS[topic]} texts in a phrase shared with an earlier {earlier}: {k} of {n}"
    source = f"{len(docs)} Chinese AI, control and reference texts"
    if than:
        a, b = k / n, shares[than][0] / shares[than][1]
        value = "lower" if a < b else ("higher" if a > b else "the same")
        how += f" ({_share(k, n)}), against {shares[than][0]} of {shares[than][1]} in the {_TOPIC_WORDS[than]} texts"
        return Computed(value, how, source, texts=tuple(docs["doc_id"]))
    value = str(k) if measure == "count" else _share(k, n)
    return Computed(value, how, source, texts=tuple(docs["doc_id"]))


@method("not_computable")
def _not_computable(params: dict[str, str], ctx: Context) -> Result:
    return "the claim cannot be computed"
