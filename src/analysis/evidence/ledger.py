"""The reproducibility ledger: every quantitative claim of the article, and what this build makes of it.

The ledger is one CSV per group of sections in ``data/ledger/*.csv``, all with the header
``claim_id,section,claim,article_value,method,params,article_ref,tier,from_footnote,explanation,``
``difference_explanation,difference_sha256``:

``claim_id``
    unique across all files (e.g. ``s3-ngaidp-anquan``).
``section``
    the article's section (``3``, ``3.1``, ``4`` …); ``extension`` for the book's own findings.
``claim``
    the claim in our words.
``article_value``
    the value in the article's own words ("over 15", "up to 2.56 million", "some"); bounds and words
    are compared under the one rule of :mod:`analysis.evidence.bounds`.
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
    * ``addressee_share``, ``exceptionality``, ``provenance_share``: the book's own findings (tier ``extension``,
      :mod:`analysis.evidence.beyond`), computed on the Chinese AI texts against the control texts and reference
      laws of the build (the context's ``baseline``): the security language addressed to some classes of
      addressee, the priority markers or balancing formulas per text, the 安全 in phrases shared with an earlier
      law or control text;
    * ``not_computable``: nothing to compute; ``explanation`` says why.

    ``fact_value`` also takes ``qualifier=<column>`` (a column such as ``more than``) and
    ``scale=<factor>`` (``1000000`` for a table in millions). Any method takes ``expect=<reading>``:
    the value compared with the result when the article's wording is not itself comparable
    (``expect=6`` for a list of six technologies, ``expect=rarely`` for a share). The methods, with the
    parameters each declares, are a registry in :mod:`analysis.evidence.methods`.
``tier``
    ``core`` (the counts and claims the argument rests on), ``supporting`` or ``context`` (dates, names), or
    ``extension``: the book's own findings beyond the article (:mod:`analysis.evidence.beyond`), whose
    ``article_value`` holds *our* finding as the book states it; they get the same statuses (a build whose texts do
    not support a finding of ours shows *differs*, never an error).
``from_footnote``
    ``yes`` when the value comes from a footnote rather than the article's text.
``article_ref``
    where the article says it (section, paragraph, footnote).
``explanation``
    for ``not_computable`` the reason; otherwise an optional note on how the claim is read, always shown.
``difference_explanation``, ``difference_sha256``
    an explanation of why the value computed from a primary text differs from the article's, written for one
    exact text: ``difference_sha256`` is that text's SHA-256 (normalised text; for a claim over several texts,
    :func:`analysis.evidence.methods.evidence_sha256`), a prefix of at least 12 hex digits. It is shown only when
    the build's text has that hash; for any other text the ledger says that no explanation was written for it.
    A reader's texts that disagree with the article are a result (*differs*), never an error.

:func:`load_ledger` reads and validates every file; :func:`evaluate_ledger` computes each claim's
``reproduced_value`` and ``status``:

``reproduced``
    computed in this build from a primary text (or the corpus) and agreeing with the article;
``corroborated``
    a sourced fact table of this book (or the manifest) agrees with the article, and every row the value rests
    on is checked in its source (``checked = yes``; manifest dates: ``date_source``); the source is named;
``differs``
    computed, and not agreeing; the explanation gives both values and the recorded reason;
``not reproducible here``
    a document is not available in this build, the claim cannot be computed, or the fact rows it rests on are
    not checked in their source; the explanation says which.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.counting import Corpus, corpus_documents, local_plan_mentions
from analysis.evidence.bounds import values_equal
from analysis.evidence.methods import METHODS, RULES, Computed, Context, evidence_sha256
from analysis.io import registry, vocabulary
from analysis.io.paths import DATA_DIR

__all__ = ["local_plan_mentions"]  # re-exported for Appendix A

LEDGER_DIR: Path = DATA_DIR / "ledger"
COLUMNS: tuple[str, ...] = registry.schema_of("ledger/*.csv").names
#: Methods that read a primary text: agreement is ``reproduced``; the others read sourced tables: ``corroborated``.
TEXT_METHODS: frozenset[str] = frozenset(name for name, m in METHODS.items() if m.reads_text)
TIERS: tuple[str, ...] = vocabulary.TIERS
#: The tier of the book's own findings (notebooks/beyond_the_count): ``article_value`` holds our finding.
EXTENSION = "extension"
REPRODUCED = "reproduced"
CORROBORATED = "corroborated"
DIFFERS = "differs"
NOT_REPRODUCIBLE = "not reproducible here"
STATUSES: tuple[str, ...] = (REPRODUCED, CORROBORATED, DIFFERS, NOT_REPRODUCIBLE)
#: What each status means, for the appendix and the landing page.
STATUS_MEANINGS: dict[str, str] = {
    REPRODUCED: "computed in this build from a primary text, and agreeing with the article",
    CORROBORATED: (
        "a sourced fact table of this book agrees with the article, and every row it rests on is checked in its "
        "source; the source is named"
    ),
    DIFFERS: "computed, and not agreeing with the article; the difference is shown, with our explanation where we wrote one",
    NOT_REPRODUCIBLE: (
        "the document or data needed is not available in this build, the claim cannot be computed, or the facts it "
        "rests on are not yet checked in their source"
    ),
}
#: Said of a text claim that differs when no explanation was written for the build's text.
NO_EXPLANATION = "no explanation of the difference was written for this text (SHA-256 {sha})"


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


def _method_problems(row: pd.Series) -> list[str]:
    """What is wrong with a row's ``method`` and ``params``: the methods are a registry of functions that declare their
    parameters (:mod:`analysis.evidence.methods`), so this check stays here; the schema checks the rest."""
    method = row["method"]
    if method not in METHODS:
        return [f"method={method!r}: is not one of {', '.join(METHODS)}"]
    try:
        params = parse_params(row["params"])
    except ValueError as exc:
        return [f"params={row['params']!r}: {exc}"]
    problems = []
    required, optional = METHODS[method].required, METHODS[method].optional
    missing = [k for k in required if not params.get(k)]
    unknown = sorted(set(params) - set(required) - set(optional))
    if missing:
        problems.append(f"method={method!r}: needs params {', '.join(missing)}")
    if unknown:
        problems.append(f"method={method!r}: does not take params {', '.join(unknown)}")
    if method == "term_count" and params.get("rule") and params["rule"] not in RULES:
        problems.append(f"params={row['params']!r}: rule {params['rule']!r} is not one of {', '.join(RULES)}")
    for key in ("where", "num", "den"):
        if key in params and "=" not in params[key]:
            problems.append(f"params={row['params']!r}: {key}={params[key]!r} must be <column>=<value>")
    if row["difference_sha256"] and method not in TEXT_METHODS:
        problems.append(
            f"method={method!r}: difference_sha256 keys an explanation to a primary text; method {method} reads none"
        )
    return problems


def read_ledger_file(path: Path) -> pd.DataFrame:
    """One ledger CSV, validated by its schema (:mod:`analysis.io.registry`: the header, claim ids, tiers, the rules
    between columns) and by the methods' registry; adds ``file`` and ``line`` columns. Errors name the file and line."""
    path = Path(path)

    def methods(frame: pd.DataFrame) -> list[str]:
        return [f"line {i + 2}, {p}" for i, (_, row) in enumerate(frame.iterrows()) for p in _method_problems(row)]

    df = registry.read_registered(f"ledger/{path.name}", path=path, error=LedgerError, more=methods)
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
    # unique within a file is the schema's; across the files, checked here
    first: dict[str, str] = {}
    dupes = []
    for cid, f, line in zip(df["claim_id"], df["file"], df["line"], strict=False):
        where = f"{folder / f}, line {line}"
        if cid in first:
            dupes.append(f"{where}, claim_id={cid!r}: already used at {first[cid]}; give every claim its own id")
        else:
            first[cid] = where
    if dupes:
        raise LedgerError("; ".join(dupes))
    df["params_parsed"] = [parse_params(p) for p in df["params"]]
    return df


def _load_default_corpus() -> pd.DataFrame:
    from analysis.corpus import load_corpus

    return load_corpus()


def _computed(row: pd.Series, params: dict[str, str], ctx: Context) -> Computed | str:
    return METHODS[row["method"]].compute(params, ctx)


def _difference_note(row: pd.Series, result: Computed, texts: dict[str, str]) -> str:
    """Our explanation of a difference when it was written for exactly these texts, else the sentence saying none was."""
    if not result.texts:
        return row["explanation"].strip() or "no explanation recorded"
    sha = evidence_sha256(texts, result.texts)
    keyed = row["difference_sha256"].strip()
    if keyed and sha.startswith(keyed):
        return row["difference_explanation"].strip()
    return NO_EXPLANATION.format(sha=sha[:12])


def evaluate_claim(row: pd.Series, texts: dict[str, str], *, ctx: Context | None = None) -> tuple[str, str, str, str]:
    """``(reproduced_value, status, explanation, source)`` for one ledger row; ``texts`` maps doc_id → text.

    ``source`` is where the reproduced value comes from: the corpus document(s), or the ``source`` cell
    of the fact-table row (for counts, the table); empty when nothing was computed. A value that rests on a fact
    row (or a manifest date) not checked in its source is *not reproducible here*, with the rows named.
    """
    method = row["method"]
    params = row["params_parsed"] if isinstance(row.get("params_parsed"), dict) else parse_params(row["params"])
    recorded = row["explanation"].strip()
    if method == "not_computable":
        reason = (
            recorded if recorded.lower().startswith("not reproducible here") else f"not reproducible here: {recorded}"
        )
        return "", NOT_REPRODUCIBLE, reason, ""
    ctx = ctx if ctx is not None else Context(texts)
    ctx.claim_id = row["claim_id"]
    result = _computed(row, params, ctx)
    if isinstance(result, str):
        return "", NOT_REPRODUCIBLE, f"not reproducible here: {result}" + (f"; {recorded}" if recorded else ""), ""
    expected = params.get("expect", row["article_value"])
    reading = f" (read as {expected!r})" if "expect" in params else ""
    agree = values_equal(expected, result.value, exact=result.exact, qualifier=result.qualifier)
    if result.unchecked:
        shown = ", ".join(result.unchecked[:6]) + (
            f" and {len(result.unchecked) - 6} more" if len(result.unchecked) > 6 else ""
        )
        verdict = "would agree with" if agree else "would differ from"
        return (
            "",
            NOT_REPRODUCIBLE,
            f"not reproducible here: {len(result.unchecked)} of the rows it rests on are not checked in their source "
            f"({shown}); unchecked, they give {result.how}: {result.value}, which {verdict} the article's "
            f"{row['article_value']}{reading}" + (f"; {recorded}" if recorded else ""),
            "",
        )
    if agree:
        status = REPRODUCED if method in TEXT_METHODS else CORROBORATED
        return (
            result.value,
            status,
            f"{result.how}: {result.value}{reading}" + (f"; {recorded}" if recorded else ""),
            result.source,
        )
    note = _difference_note(row, result, ctx.readable())
    reading_note = f"; {recorded}" if recorded and result.texts else ""
    reported = "the book's finding is" if row.get("tier") == EXTENSION else "the article reports"
    return (
        result.value,
        DIFFERS,
        f"{result.how}: {result.value}, {reported} {row['article_value']}{reading}{reading_note}; {note}",
        result.source,
    )


def evaluate_ledger(
    corpus: Corpus | None = None, *, ledger: pd.DataFrame | None = None, baseline: dict[str, str] | None = None
) -> pd.DataFrame:
    """Every claim with ``reproduced_value``, ``status``, ``explanation`` and ``source``, in ledger order.

    ``corpus`` (a corpus DataFrame or ``{doc_id: text}``) defaults to :func:`analysis.corpus.load_corpus`.
    ``baseline`` (``{doc_id: text}`` of control and reference texts) is what the extension claims compare with;
    by default the control and reference texts of this build, read only when an extension claim needs them.
    """
    ledger = load_ledger() if ledger is None else ledger
    if corpus is None:
        corpus = _load_default_corpus()
    texts = dict(corpus_documents(corpus))
    ctx = Context(texts, baseline_texts=baseline)
    results = [evaluate_claim(row, texts, ctx=ctx) for _, row in ledger.iterrows()]
    out = ledger.loc[:, [*COLUMNS[: COLUMNS.index("explanation") + 1], "file", "line"]].copy()
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


def claim_sentence(claim_id: str, corpus: Corpus | None = None) -> str:
    """One claim of the ledger, evaluated on ``corpus`` (default: no texts, enough for fact and manifest claims),
    as a sentence for a chapter: its status in italics, then the explanation."""
    table = load_ledger()
    row = evaluate_ledger({} if corpus is None else corpus, ledger=table[table["claim_id"] == claim_id])
    if row.empty:
        raise KeyError(f"no claim {claim_id!r} in the ledger (data/ledger/*.csv)")
    status, explanation = row.iloc[0]["status"], row.iloc[0]["explanation"]
    prefix = f"{NOT_REPRODUCIBLE}: "
    if explanation.startswith(prefix):
        explanation = explanation[len(prefix) :]
    return f"*{status}*: {explanation}" + ("" if explanation.endswith(".") else ".")


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
