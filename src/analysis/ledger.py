"""The reproducibility ledger: every quantitative claim of the article, and what this build makes of it.

The ledger is one CSV per group of sections in ``data/ledger/*.csv``, all with the header
``claim_id,section,claim,article_value,method,params,article_ref,tier,from_footnote,explanation``:

``claim_id``
    unique across all files (e.g. ``s3-ngaidp-anquan``).
``section``
    the article's section (``3``, ``3.1``, ``4`` …).
``claim``
    the claim in our words.
``article_value``
    the value in the article's own words ("over 15", "up to 2.56 million", "some"); bounds and words
    are compared under the one rule of :mod:`analysis.bounds`.
``method`` and ``params``
    how the build checks it:

    * ``term_count``: ``doc=<doc_id>;term=<term>;rule=inclusive|net|token``, the count of a term
      in a corpus document under a counting mode of :mod:`analysis.counting`;
    * ``fact_value``: ``table=<fact table>;where=<column>=<value>;column=<column>``, the value in
      the single row of a sourced fact table (``data/facts/<table>.csv``) that matches ``where``;
    * ``fact_count``: ``table=<fact table>`` and optionally ``;where=<column>=<value>``, the
      number of rows;
    * ``terms_present``: ``doc=<doc_id>;terms=<t1>|<t2>…`` (optionally ``near=<phrase>``: on the same
      line as it), the number of the terms the document contains;
    * ``local_share``: ``term=<term>``, the share of the local AI plans present in this build that
      contain the term (``k of n``); with ``doc=<doc_id>``, the term's count in that local plan;
    * ``local_timing``: the share of dated local AI plans of the manifest issued after the State
      Council plan of July 2017 (from the manifest's dates, no text needed);
    * ``join_count``: ``left=<table>;right=<table>;on=<column>``, the rows of ``left`` whose key is
      in ``right``;
    * ``fact_ratio``: ``table=<table>;num=<col>=<v>;den=<col>=<v>;column=<col>``, one value over another;
    * ``not_computable``: nothing to compute; ``explanation`` says why.

    ``fact_value`` also takes ``qualifier=<column>`` (a column such as ``more than``) and
    ``scale=<factor>`` (``1000000`` for a table in millions). Any method takes ``expect=<reading>``:
    the value compared with the result when the article's wording is not itself comparable
    (``expect=6`` for a list of six technologies, ``expect=rarely`` for a share).
``tier``
    ``core`` (the counts and claims the argument rests on), ``supporting`` or ``context`` (dates, names).
``from_footnote``
    ``yes`` when the value comes from a footnote rather than the article's text.
``article_ref``
    where the article says it (section, paragraph, footnote).
``explanation``
    for ``not_computable`` the reason; otherwise an optional recorded explanation, shown when the
    computed value differs from the article's (for example a different counting rule).

:func:`load_ledger` reads and validates every file; :func:`evaluate_ledger` computes each claim's
``reproduced_value`` and ``status``:

``reproduced``
    computed in this build from a primary text (or the corpus) and agreeing with the article;
``corroborated``
    a sourced fact table of this book (or the manifest) agrees with the article; the source is named;
``differs``
    computed, and not agreeing; the explanation gives both values and the recorded reason;
``not reproducible here``
    a document is not available in this build, or the claim cannot be computed; the explanation says which.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.bounds import number, values_equal
from analysis.counting import (
    Corpus,
    corpus_documents,
    count_term,
    matching_rule,
)
from analysis.facts import FactTableError, fact_table_path, load_facts, read_table
from analysis.local_plans import local_ai_plans, local_plan_mentions
from analysis.paths import DATA_DIR

LEDGER_DIR: Path = DATA_DIR / "ledger"
COLUMNS: tuple[str, ...] = tuple(
    "claim_id section claim article_value method params article_ref tier from_footnote explanation".split()
)
METHODS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # method: (required params, optional params)
    "term_count": (("doc", "term", "rule"), ("expect",)),
    "fact_value": (("table", "where", "column"), ("qualifier", "scale", "expect")),
    "fact_count": (("table",), ("where", "expect")),
    "terms_present": (("doc", "terms"), ("near", "expect")),
    "local_share": (("term",), ("doc", "expect")),
    "local_timing": ((), ("expect",)),
    "join_count": (("left", "right", "on"), ("expect",)),
    "fact_ratio": (("table", "num", "den", "column"), ("expect",)),
    "not_computable": ((), ()),
}
#: Methods that read a primary text: agreement is ``reproduced``; the others read sourced tables: ``corroborated``.
TEXT_METHODS: frozenset[str] = frozenset({"term_count", "terms_present", "local_share"})
TIERS: tuple[str, ...] = ("core", "supporting", "context")
RULES: tuple[str, ...] = ("inclusive", "net", "token")
REPRODUCED = "reproduced"
CORROBORATED = "corroborated"
DIFFERS = "differs"
NOT_REPRODUCIBLE = "not reproducible here"
STATUSES: tuple[str, ...] = (REPRODUCED, CORROBORATED, DIFFERS, NOT_REPRODUCIBLE)
#: What each status means, for the appendix and the landing page.
STATUS_MEANINGS: dict[str, str] = {
    REPRODUCED: "computed in this build from a primary text, and agreeing with the article",
    CORROBORATED: "a sourced fact table of this book agrees with the article; the source is named",
    DIFFERS: "computed, and not agreeing with the article; the reason is given",
    NOT_REPRODUCIBLE: "the document or data needed is not available in this build, or the claim cannot be computed",
}
_CLAIM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class LedgerError(ValueError):
    """A ledger file is malformed; the message names the file and line."""


def parse_params(params: str) -> dict[str, str]:
    """``"doc=ngaidp_2017;term=安全;rule=inclusive"`` → ``{"doc": ..., "term": ..., "rule": ...}``.

    Items are separated by ``;``; each is ``key=value`` split at the first ``=`` (so
    ``where=step=1`` gives ``{"where": "step=1"}``). Empty input gives ``{}``.
    """
    out: dict[str, str] = {}
    for item in params.split(";"):
        item = item.strip()
        if not item:
            continue
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise ValueError(f"parameter {item!r} is not key=value")
        if key in out:
            raise ValueError(f"parameter {key!r} given twice")
        out[key] = value
    return out


def _check_row(row: pd.Series) -> list[str]:
    problems = []
    if not _CLAIM_ID.match(row["claim_id"]):
        problems.append(f"claim_id {row['claim_id']!r} is empty or has characters other than letters, digits, . _ -")
    for col in ("section", "claim", "article_ref"):
        if not row[col].strip():
            problems.append(f"column {col} is empty")
    method = row["method"]
    if method not in METHODS:
        problems.append(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
        return problems
    try:
        params = parse_params(row["params"])
    except ValueError as exc:
        return [*problems, f"params: {exc}"]
    required, optional = METHODS[method]
    missing = [k for k in required if not params.get(k)]
    unknown = sorted(set(params) - set(required) - set(optional))
    if missing:
        problems.append(f"method {method} needs params {', '.join(missing)}")
    if unknown:
        problems.append(f"method {method} does not take params {', '.join(unknown)}")
    if method == "term_count" and params.get("rule") and params["rule"] not in RULES:
        problems.append(f"rule {params['rule']!r} is not one of {', '.join(RULES)}")
    if row["tier"] not in TIERS:
        problems.append(f"tier {row['tier']!r} is not one of {', '.join(TIERS)}")
    if row["from_footnote"] not in ("yes", "no"):
        problems.append(f"from_footnote {row['from_footnote']!r} must be yes or no")
    for key in ("where", "num", "den"):
        if key in params and "=" not in params[key]:
            problems.append(f"where={params[key]!r} must be <column>=<value>")
    if method == "not_computable" and not row["explanation"].strip():
        problems.append("a not_computable claim needs an explanation")
    if method != "not_computable" and not row["article_value"].strip():
        problems.append("article_value is empty")
    return problems


def read_ledger_file(path: Path) -> pd.DataFrame:
    """One ledger CSV, validated; adds ``file`` and ``line`` columns. Errors name the file and line."""
    path = Path(path)
    df = read_table(path, error=LedgerError)
    if tuple(df.columns) != COLUMNS:
        raise LedgerError(
            f"{path} line 1: the header must be {','.join(COLUMNS)}; it is {','.join(map(str, df.columns))}"
        )
    problems = []
    for i, row in df.iterrows():
        problems += [f"{path} line {int(i) + 2}: {p}" for p in _check_row(row)]
    if problems:
        raise LedgerError("\n".join(problems))
    df.insert(len(df.columns), "file", path.name)
    df.insert(len(df.columns), "line", [int(i) + 2 for i in df.index])
    return df


def load_ledger(folder: Path | None = None) -> pd.DataFrame:
    """All ledger files of ``folder`` (default ``data/ledger``), by file name then row; ``claim_id`` unique.

    Returns the ledger columns plus ``file``, ``line`` and ``params_parsed`` (a dict).
    """
    folder = Path(folder) if folder is not None else LEDGER_DIR
    files = sorted(folder.glob("*.csv"), key=lambda p: p.name)
    if not files:
        raise LedgerError(f"{folder}: no ledger files (*.csv)")
    df = pd.concat([read_ledger_file(f) for f in files], ignore_index=True)
    first: dict[str, str] = {}
    dupes = []
    for cid, f, line in zip(df["claim_id"], df["file"], df["line"], strict=False):
        where = f"{folder / f} line {line}"
        if cid in first:
            dupes.append(f"{where}: claim_id {cid!r} already used at {first[cid]}")
        else:
            first[cid] = where
    if dupes:
        raise LedgerError("\n".join(dupes))
    df["params_parsed"] = [parse_params(p) for p in df["params"]]
    return df


def _format(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _load_default_corpus() -> pd.DataFrame:
    try:
        from analysis.corpus import load_corpus
    except ImportError:  # pragma: no cover - the corpus layer is part of the package
        return pd.DataFrame(columns=["doc_id", "text"])
    return load_corpus()


def _where(df: pd.DataFrame, where: str, table: str) -> pd.DataFrame:
    column, _, value = where.partition("=")
    column, value = column.strip(), value.strip()
    if column not in df.columns:
        raise FactTableError(f"{fact_table_path(table)}: no column {column!r} (where={where})")
    return df[df[column].astype(str).str.strip() == value]


def _load_manifest() -> pd.DataFrame:
    from analysis.corpus import load_manifest

    return load_manifest()


def _one_value(table: str, where: str, column: str, claim_id: str) -> tuple[pd.Series, str]:
    df = _where(load_facts(table), where, table)
    if column not in df.columns:
        raise FactTableError(f"{fact_table_path(table)}: no column {column!r} (claim {claim_id})")
    if len(df) != 1:
        raise FactTableError(
            f"{fact_table_path(table)}: where={where} matches {len(df)} rows, expected exactly 1 (claim {claim_id})"
        )
    return df.iloc[0], str(df[column].iloc[0]).strip()


def _share(k: int, n: int) -> str:
    return f"{k / n:.2f}"


def _compute(row: pd.Series, params: dict[str, str], texts: dict[str, str]) -> tuple[str, str, str, bool, str] | str:
    """``(value, how, source, exact, qualifier)``, or the reason it cannot be computed (a string)."""
    method = row["method"]
    if method == "term_count":
        doc = params["doc"]
        if doc not in texts:
            return f"document {doc} is not available in this build"
        # ``rule`` in params is the counting mode (inclusive/net/token); the matching rule (Chinese substring,
        # English word-boundary …) is the term's own, from the term lists.
        value = str(count_term(texts[doc], params["term"], params["rule"], rule=matching_rule(params["term"])))  # type: ignore[arg-type]
        return value, f"{params['rule']} count of {params['term']} in {doc}", f"corpus document {doc}", True, ""
    if method == "terms_present":
        doc = params["doc"]
        if doc not in texts:
            return f"document {doc} is not available in this build"
        terms = [t for t in params["terms"].split("|") if t]
        lines = texts[doc].splitlines()
        near = params.get("near", "")
        found = [t for t in terms if any(t in line and (not near or near in line) for line in lines)]
        where = f" on a line with {near}" if near else ""
        how = f"{len(found)} of {len(terms)} terms found in {doc}{where} ({', '.join(found) or 'none'})"
        return str(len(found)), how, f"corpus document {doc}", True, ""
    if method == "local_share":
        mentions = local_plan_mentions(texts, _load_manifest(), params["term"])
        if "doc" in params:
            doc = params["doc"]
            hit = mentions[mentions["doc_id"] == doc]
            if hit.empty:
                return f"document {doc} is not available in this build"
            value = str(int(hit["count"].iloc[0]))
            return value, f"count of {params['term']} in {doc}", f"corpus document {doc}", True, ""
        if mentions.empty:
            return "no local AI plan is available in this build"
        k, n = int((mentions["count"] > 0).sum()), len(mentions)
        how = f"{k} of {n} local AI plans present in this build contain {params['term']} (share {_share(k, n)})"
        return _share(k, n), how, f"{n} corpus documents (local AI plans)", True, ""
    if method == "local_timing":
        from analysis.audiences import local_plans_timeline

        manifest = _load_manifest()
        timeline = local_plans_timeline(local_ai_plans(manifest))
        dated = timeline[timeline["timing"].isin(("before", "after"))]
        if dated.empty:
            return "no local AI plan of the manifest can be dated before or after July 2017"
        k, n = int((dated["timing"] == "after").sum()), len(dated)
        how = (
            f"{k} of {n} local AI plans of the manifest that can be dated were issued after the State Council plan "
            f"(share {_share(k, n)}; {len(timeline) - n} undetermined)"
        )
        return _share(k, n), how, "data/corpus/manifest.csv (issue dates)", True, ""
    if method == "join_count":
        left, right, on = load_facts(params["left"]), load_facts(params["right"]), params["on"]
        for name, df in ((params["left"], left), (params["right"], right)):
            if on not in df.columns:
                raise FactTableError(f"{fact_table_path(name)}: no column {on!r} (claim {row['claim_id']})")
        keys = set(right[on].str.strip())
        value = str(int(left[on].str.strip().isin(keys).sum()))
        how = f"rows of {params['left']} whose {on} is in {params['right']}"
        return value, how, f"data/facts/{params['left']}.csv ; data/facts/{params['right']}.csv", True, ""
    if method == "fact_ratio":
        table, column = params["table"], params["column"]
        num_row, num = _one_value(table, params["num"], column, row["claim_id"])
        den_row, den = _one_value(table, params["den"], column, row["claim_id"])
        value = f"{float(num) / float(den):.2f}"
        how = f"{column} where {params['num']} ({num}) over {column} where {params['den']} ({den}) in {table}"
        return value, how, f"{num_row['source']} ; {den_row['source']}", False, ""
    table = params["table"]
    if not fact_table_path(table).is_file():
        return f"fact table data/facts/{table}.csv is not in this build"
    if method == "fact_count":
        df = load_facts(table)
        if "where" in params:
            df = _where(df, params["where"], table)
        how = f"number of rows of {table}" + (f" where {params['where']}" if "where" in params else "")
        unchecked = int((df["checked"] == "no").sum()) if "checked" in df.columns else 0
        if unchecked:
            how += f" ({unchecked} of them not yet confirmed in their source: checked = no)"
        return str(len(df)), how, f"data/facts/{table}.csv", True, ""
    fact_row, value = _one_value(table, params["where"], params["column"], row["claim_id"])
    qualifier = str(fact_row[params["qualifier"]]).strip() if "qualifier" in params else ""
    if "scale" in params and number(value) is not None:
        unit = {1e6: "million", 1e9: "billion"}.get(float(params["scale"]))
        value = f"{value} {unit}" if unit else _format(float(value) * float(params["scale"]))
    how = f"{params['column']} of {table} where {params['where']}" + (f" ({qualifier})" if qualifier else "")
    if str(fact_row.get("checked", "")) == "no":
        how += " (not yet confirmed in its source: checked = no)"
    return value, how, str(fact_row["source"]).strip(), False, qualifier


def evaluate_claim(row: pd.Series, texts: dict[str, str]) -> tuple[str, str, str, str]:
    """``(reproduced_value, status, explanation, source)`` for one ledger row; ``texts`` maps doc_id → text.

    ``source`` is where the reproduced value comes from: the corpus document(s), or the ``source`` cell
    of the fact-table row (for counts, the table); empty when nothing was computed.
    """
    method = row["method"]
    params = row["params_parsed"] if isinstance(row.get("params_parsed"), dict) else parse_params(row["params"])
    recorded = row["explanation"].strip()
    if method == "not_computable":
        reason = (
            recorded if recorded.lower().startswith("not reproducible here") else f"not reproducible here: {recorded}"
        )
        return "", NOT_REPRODUCIBLE, reason, ""
    result = _compute(row, params, texts)
    if isinstance(result, str):
        return "", NOT_REPRODUCIBLE, f"not reproducible here: {result}" + (f"; {recorded}" if recorded else ""), ""
    value, how, source, exact, qualifier = result
    expected = params.get("expect", row["article_value"])
    reading = f" (read as {expected!r})" if "expect" in params else ""
    if values_equal(expected, value, exact=exact, qualifier=qualifier):
        status = REPRODUCED if method in TEXT_METHODS else CORROBORATED
        return value, status, f"{how}: {value}{reading}" + (f"; {recorded}" if recorded else ""), source
    note = recorded if recorded else "no explanation recorded yet"
    return value, DIFFERS, f"{how}: {value}, the article reports {row['article_value']}{reading}; {note}", source


def evaluate_ledger(corpus: Corpus | None = None, *, ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every claim with ``reproduced_value``, ``status``, ``explanation`` and ``source``, in ledger order.

    ``corpus`` (a corpus DataFrame or ``{doc_id: text}``) defaults to :func:`analysis.corpus.load_corpus`.
    """
    ledger = load_ledger() if ledger is None else ledger
    if corpus is None:
        corpus = _load_default_corpus()
    texts = dict(corpus_documents(corpus))
    results = [evaluate_claim(row, texts) for _, row in ledger.iterrows()]
    out = ledger.loc[:, [*COLUMNS[:-1], "file", "line"]].copy()
    out["reproduced_value"] = [r[0] for r in results]
    out["status"] = [r[1] for r in results]
    out["explanation"] = [r[2] for r in results]
    out["source"] = [r[3] for r in results]
    cols = [
        "claim_id",
        "section",
        "claim",
        "article_value",
        "reproduced_value",
        "status",
        "explanation",
        "source",
        "tier",
        "from_footnote",
        "method",
        "params",
        "article_ref",
        "file",
        "line",
    ]
    return out.loc[:, cols].reset_index(drop=True)


def section_key(section: str) -> tuple:
    """Sort key for section labels: ``3`` < ``3.2`` < ``3.10`` < ``4`` < ``10``."""
    parts = re.split(r"[.\s]+", section.strip())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)


def status_summary(evaluated: pd.DataFrame) -> pd.DataFrame:
    """Claims per section and status: rows are sections (in section order), columns the three statuses and ``total``."""
    table = pd.crosstab(evaluated["section"], evaluated["status"]).reindex(columns=list(STATUSES), fill_value=0)
    table = table.reindex(sorted(table.index, key=section_key))
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.astype("int64")


def term_count_claims(
    evaluated: pd.DataFrame, document_names: dict[str, str], *, file: str | None = None
) -> pd.DataFrame:
    """The ``term_count`` claims of an evaluated ledger as a reader's table.

    One row per claim, indexed by the document's name (``document_names`` maps doc_id → name), with the term,
    its pinyin and gloss, the counting rule, the value *as reported by the article*, the value computed in
    this build ("—" when the document is missing), the status and the explanation. ``file`` restricts the
    table to one ledger file (e.g. ``"section3_labelling.csv"``).
    """
    from analysis.counting import describe_terms

    claims = evaluated[evaluated["method"] == "term_count"]
    if file is not None:
        claims = claims[claims["file"] == file]
    params = [parse_params(p) for p in claims["params"]]
    described = describe_terms([p["term"] for p in params])
    table = pd.DataFrame(
        {
            "document": [document_names.get(p["doc"], p["doc"]) for p in params],
            "term_zh": [p["term"] for p in params],
            "pinyin": described["pinyin"].tolist(),
            "gloss_en": described["gloss_en"].tolist(),
            "rule": [p["rule"] for p in params],
            "as reported by the article": claims["article_value"].tolist(),
            "computed in this build": claims["reproduced_value"].replace("", "—").tolist(),
            "status": claims["status"].tolist(),
            "explanation": claims["explanation"].tolist(),
            "claim_id": claims["claim_id"].tolist(),
            "doc_id": [p["doc"] for p in params],
        }
    )
    return table.set_index("document")
