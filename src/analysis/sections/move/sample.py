"""The validation sample: passages drawn, stratified on the rules' codes, and written without them.

To test the rules of :mod:`analysis.sections.move.speech_acts` against a coder, the sample is drawn *before* any hand
coding, so that every category that matters appears in it, and it is written to a file that holds no
rule output, so that the coder cannot see what the rules said.

Strata
------
The population is every passage (:func:`analysis.sections.move.speech_acts.code_passages`) of the AI texts and the
control texts (the reference laws are left out). Each passage carries rule codes: its primary function
(``function:request`` …), its object (``object:goal`` …) and its claim and warn flags (``flag:claim``,
``flag:warn``). A passage's stratum is its text group (``ai`` or ``control``) and its **rarest** rule
code, rarity counted over the population (ties broken by name): a passage with the rare primary
function *warn* falls in ``ai|function:warn`` however common its object, so every rare category gets a
stratum of its own.

Allocation
----------
:data:`SAMPLE_SIZE` passages: :data:`AI_SHARE` of them from the AI texts (AI texts are oversampled:
they hold fewer passages than the controls), the rest from the controls; a group that has fewer
passages than its quota gives the rest to the other. Inside a group every stratum gets
:data:`MIN_PER_STRATUM` passages (all of them when it has fewer), and the remainder is shared in
proportion to what each stratum has left (largest remainders, ties by stratum name). Inside a stratum
the passages (by document and offset) are drawn without replacement by NumPy's ``default_rng``
seeded with :data:`SAMPLE_SEED`, stratum by stratum in name order: the same texts and rules give the
same sample. Each drawn passage carries the weight ``N_h / n_h`` (passages of its stratum over
passages drawn from it), so that shares estimated on the sample can be weighted back to the
population.

Files
-----
``data/argument/validation_sample.csv`` (:data:`SAMPLE_COLUMNS`) is what the coder's command reads:
the passage id (an opaque hash of document and offsets), the document, the offsets of the passage in
the normalised text, the security words it holds (the vocabulary that defines the unit, not a rule's
code) and a fingerprint of its text (so that a changed text is detected, never silently coded). Rows
are ordered by passage id, which mixes documents and strata.

``data/argument/validation_design.csv`` (:data:`DESIGN_COLUMNS`) keeps the design: each passage's
stratum as an opaque token (:func:`stratum_token`; :func:`decode_strata` maps tokens back to names
from the seed), the stratum's size in the population and in the sample, and the weight. The weights
therefore survive later edits of the rules. The coder is not given this file.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.io import registry
from analysis.io.fileio import atomic_write_text
from analysis.io.paths import DATA_DIR
from analysis.io.registry.argument import FINGERPRINT_HEX
from analysis.io.schemas import More, TableError
from analysis.sections.move import speech_acts

SAMPLE_PATH: Path = DATA_DIR / "argument" / "validation_sample.csv"
DESIGN_PATH: Path = DATA_DIR / "argument" / "validation_design.csv"
CODES_PATH: Path = DATA_DIR / "argument" / "validation_codes.csv"
SAMPLE_SEED = (
    2022_0311  # fixed for this sample; deliberately not analysis.evidence.uncertainty.DEFAULT_SEED, which may change
)
SAMPLE_SIZE = 80
AI_SHARE = 0.6
MIN_PER_STRATUM = 3
GROUPS: tuple[str, ...] = ("ai", "control")
SAMPLE_TABLE = "argument/validation_sample.csv"
DESIGN_TABLE = "argument/validation_design.csv"
CODES_TABLE = "argument/validation_codes.csv"
SAMPLE_COLUMNS: tuple[str, ...] = registry.schema_of(SAMPLE_TABLE).names
DESIGN_COLUMNS: tuple[str, ...] = registry.schema_of(DESIGN_TABLE).names


class SampleError(TableError):
    """The sample cannot be drawn, or a sample file is malformed or does not fit the texts."""


def passage_id(doc_id: str, start: int, end: int) -> str:
    """A stable, opaque id of a passage: ``p`` + 8 hex digits of SHA-256 over document and offsets."""
    return "p" + hashlib.sha256(f"{doc_id}:{int(start)}:{int(end)}".encode()).hexdigest()[:8]


def fingerprint(text: str) -> str:
    """The first :data:`FINGERPRINT_HEX` hex digits of the SHA-256 of a passage's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_HEX]


def stratum_token(stratum: str, seed: int = SAMPLE_SEED) -> str:
    """The opaque label of a stratum in the design file: ``s`` + 6 hex digits of SHA-256 over seed and name."""
    return "s" + hashlib.sha256(f"{seed}:{stratum}".encode()).hexdigest()[:6]


def candidate_strata() -> list[str]:
    """Every stratum name the design can produce (group × rule code)."""
    codes = [f"function:{f}" for f in speech_acts.FUNCTIONS + (speech_acts.UNMARKED,)]
    codes += [f"object:{o}" for o in speech_acts.OBJECTS] + ["flag:claim", "flag:warn"]
    return [f"{g}|{c}" for g in GROUPS for c in codes]


def decode_strata(tokens: Iterable[str], seed: int = SAMPLE_SEED) -> dict[str, str]:
    """``{token: stratum name}`` for the tokens of a design file (a token no stratum gives maps to ``""``)."""
    names = {stratum_token(s, seed): s for s in candidate_strata()}
    return {t: names.get(t, "") for t in tokens}


def rule_codes(coded: pd.DataFrame) -> list[list[str]]:
    """For each coded passage, its rule codes: primary function, object and the claim/warn flags that are set."""
    out = []
    for function, obj, claim, warn in zip(
        coded["function"], coded["object"], coded["claim"], coded["warn"], strict=False
    ):
        codes = [f"function:{function}", f"object:{obj}"]
        codes += ["flag:claim"] if claim else []
        codes += ["flag:warn"] if warn else []
        out.append(codes)
    return out


def assign_strata(coded: pd.DataFrame, groups: pd.Series) -> pd.Series:
    """Each passage's stratum ``group|rarest rule code`` (rarity over all of ``coded``; ties by code name)."""
    codes = rule_codes(coded)
    counts: dict[str, int] = {}
    for cs in codes:
        for c in cs:
            counts[c] = counts.get(c, 0) + 1
    rarest = [min(cs, key=lambda c: (counts[c], c)) for cs in codes]
    return pd.Series([f"{g}|{c}" for g, c in zip(groups, rarest, strict=False)], index=coded.index, dtype=str)


def allocate(sizes: Mapping[str, int], n: int, minimum: int = MIN_PER_STRATUM) -> dict[str, int]:
    """Passages to draw per stratum: ``min(size, minimum)`` each, the rest of ``n`` in proportion to what each
    stratum has left (largest remainders, ties by name); never more than a stratum holds.

    Raises :class:`SampleError` when ``n`` cannot give every stratum its minimum.
    """
    names = sorted(s for s, k in sizes.items() if k > 0)
    base = {s: min(sizes[s], minimum) for s in names}
    total = sum(sizes[s] for s in names)
    n = min(n, total)
    rest = n - sum(base.values())
    if rest < 0:
        raise SampleError(
            f"{n} passages cannot give each of {len(names)} strata its minimum of {minimum} "
            f"({sum(base.values())} needed); draw more passages (--n) or lower the minimum"
        )
    room = {s: sizes[s] - base[s] for s in names}
    capacity = sum(room.values())
    if rest == 0 or capacity == 0:
        return base
    quotas = {s: rest * room[s] / capacity for s in names}
    extra = {s: int(quotas[s]) for s in names}
    left = rest - sum(extra.values())
    for s in sorted(names, key=lambda s: (-(quotas[s] - extra[s]), s)):
        if left == 0:
            break
        if extra[s] < room[s]:
            extra[s] += 1
            left -= 1
    return {s: base[s] + extra[s] for s in names}


def group_quotas(sizes: Mapping[str, int], n: int, ai_share: float = AI_SHARE) -> dict[str, int]:
    """``{group: passages to draw}``: ``round(n × ai_share)`` from the AI texts, the rest from the controls,
    a group's shortfall given to the other; never more than a group holds."""
    ai, control = sizes.get("ai", 0), sizes.get("control", 0)
    n = min(n, ai + control)
    want_ai = int(round(n * ai_share))
    got_ai = min(want_ai, ai)
    got_control = min(n - got_ai, control)
    got_ai = min(ai, n - got_control)
    return {"ai": got_ai, "control": got_control}


@dataclass(frozen=True)
class Drawn:
    """A drawn sample: ``sample`` (every column, one row per passage, by passage id) and ``population``
    (every coded passage with its ``group`` and ``stratum``)."""

    sample: pd.DataFrame
    population: pd.DataFrame


def population(corpus: pd.DataFrame) -> pd.DataFrame:
    """Every coded passage of the AI and control texts of ``corpus`` (columns of ``code_passages`` plus
    ``group``, ``passage_id`` and ``stratum``), by document and offset."""
    frame = corpus[corpus["topic"].isin(GROUPS)] if "topic" in corpus.columns else corpus.iloc[0:0]
    coded = speech_acts.code_passages(frame)
    topic = dict(zip(frame["doc_id"], frame["topic"], strict=False))
    coded = coded.sort_values(["doc_id", "start"], kind="mergesort").reset_index(drop=True)
    coded["group"] = coded["doc_id"].map(topic).astype(str)
    coded["passage_id"] = [passage_id(*v) for v in zip(coded["doc_id"], coded["start"], coded["end"], strict=False)]
    coded["stratum"] = assign_strata(coded, coded["group"]) if len(coded) else pd.Series(dtype=str)
    return coded


def draw_sample(
    corpus: pd.DataFrame,
    *,
    n: int = SAMPLE_SIZE,
    seed: int = SAMPLE_SEED,
    ai_share: float = AI_SHARE,
    minimum: int = MIN_PER_STRATUM,
) -> Drawn:
    """Draw the stratified sample from ``corpus`` (a corpus frame with ``doc_id, topic, text``); see the module."""
    pop = population(corpus)
    if pop.empty:
        raise SampleError("no passage with security vocabulary in the AI and control texts; acquire the texts first")
    texts = dict(zip(corpus["doc_id"], corpus["text"], strict=False))
    quotas = group_quotas(pop["group"].value_counts().to_dict(), n, ai_share)
    rng = np.random.default_rng(seed)
    rows = []
    for group in GROUPS:
        sizes = pop.loc[pop["group"] == group, "stratum"].value_counts().to_dict()
        for stratum, k in allocate(sizes, quotas[group], minimum).items():
            members = pop[pop["stratum"] == stratum]
            picked = members.iloc[np.sort(rng.choice(len(members), size=k, replace=False))]
            for r in picked.itertuples(index=False):
                rows.append(
                    {
                        "passage_id": r.passage_id, "doc_id": r.doc_id, "start": int(r.start), "end": int(r.end),
                        "keywords": r.keywords, "passage_sha256": fingerprint(texts[r.doc_id][r.start : r.end]),
                        "group": group, "stratum": stratum, "stratum_passages": len(members), "stratum_sampled": k,
                        "weight": len(members) / k,
                    }
                )  # fmt: skip
    sample = pd.DataFrame(rows).sort_values("passage_id", kind="mergesort").reset_index(drop=True)
    if sample["passage_id"].duplicated().any():  # pragma: no cover - 8 hex digits over a few hundred passages
        raise SampleError("two passages share an id; lengthen passage_id")
    return Drawn(sample, pop)


def coverage(drawn: Drawn) -> pd.DataFrame:
    """Per rule code: passages holding it in the population and in the sample (``code, population, sample``)."""
    pop_codes = rule_codes(drawn.population)
    in_sample = set(drawn.sample["passage_id"])
    counts: dict[str, list[int]] = {}
    for pid, codes in zip(drawn.population["passage_id"], pop_codes, strict=False):
        for c in codes:
            counts.setdefault(c, [0, 0])
            counts[c][0] += 1
            counts[c][1] += pid in in_sample
    rows = [(c, a, b) for c, (a, b) in sorted(counts.items())]
    return pd.DataFrame(rows, columns=["code", "population", "sample"]).astype(
        {"population": "int64", "sample": "int64"}
    )


def missing_categories(drawn: Drawn) -> list[str]:
    """Rule codes present in the population but absent from the sample (the sample must have none)."""
    cov = coverage(drawn)
    return list(cov.loc[(cov["population"] > 0) & (cov["sample"] == 0), "code"])


def strata_table(drawn: Drawn) -> pd.DataFrame:
    """Per stratum: ``stratum, group, code, population, sample, weight`` (for the drawer and phase 3, not the coder)."""
    pop = drawn.population.groupby("stratum").size()
    smp = drawn.sample.groupby("stratum").size()
    rows = [
        (
            s,
            s.split("|")[0],
            s.split("|")[1],
            int(pop[s]),
            int(smp.get(s, 0)),
            pop[s] / smp[s] if s in smp else float("nan"),
        )
        for s in sorted(pop.index)
    ]
    return pd.DataFrame(rows, columns=["stratum", "group", "code", "population", "sample", "weight"])


def _csv(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def sample_csv(drawn: Drawn) -> str:
    """The coder's file: :data:`SAMPLE_COLUMNS` only, no rule output."""
    return _csv(drawn.sample.loc[:, list(SAMPLE_COLUMNS)])


def design_csv(drawn: Drawn, seed: int = SAMPLE_SEED) -> str:
    """The design file: :data:`DESIGN_COLUMNS`, strata as opaque tokens, weights to 6 decimals."""
    design = drawn.sample.assign(
        stratum=[stratum_token(s, seed) for s in drawn.sample["stratum"]],
        weight=[f"{w:.6f}" for w in drawn.sample["weight"]],
    )
    return _csv(design.loc[:, list(DESIGN_COLUMNS)])


def write_sample(
    drawn: Drawn,
    sample_path: Path = SAMPLE_PATH,
    design_path: Path = DESIGN_PATH,
    *,
    seed: int = SAMPLE_SEED,
    force: bool = False,
) -> None:
    """Write both files atomically. Refuses to replace an existing sample unless ``force`` (a sample is drawn
    once, before coding) and to write a sample that misses a rule category."""
    missing = missing_categories(drawn)
    if missing:
        raise SampleError(f"the sample misses the rule categories {', '.join(missing)}; draw more passages (--n)")
    for p in (sample_path, design_path):
        if Path(p).exists() and not force:
            raise SampleError(f"{p}: exists; a sample is drawn once, before coding (use --force to draw it again)")
    sample, design = sample_csv(drawn), design_csv(drawn, seed)
    atomic_write_text(Path(sample_path), sample)
    atomic_write_text(Path(design_path), design)


def read_sample(path: Path = SAMPLE_PATH) -> pd.DataFrame:
    """The committed sample, validated by its schema (:mod:`analysis.io.registry`: only :data:`SAMPLE_COLUMNS`,
    ``start < end``), offsets as integers."""
    df = registry.read_registered(SAMPLE_TABLE, path=path, error=SampleError)
    return df.loc[:, list(SAMPLE_COLUMNS)].astype({"start": "int64", "end": "int64"})


def read_design(path: Path = DESIGN_PATH) -> pd.DataFrame:
    """The committed design, validated by its schema (a weight is its stratum's passages over those sampled);
    ``weight`` as float, sizes as integers."""
    df = registry.read_registered(DESIGN_TABLE, path=path, error=SampleError)
    return df.loc[:, list(DESIGN_COLUMNS)].astype(
        {"stratum_passages": "int64", "stratum_sampled": "int64", "weight": float}
    )


def read_codes(
    path: Path, hand_columns: Iterable[str], error: type[Exception] = TableError, *, more: More | None = None
) -> pd.DataFrame:
    """A file of hand codes, validated by its schema (a passage coded once) with the codebook's ``hand_columns``;
    ``more`` adds the checks against the sample and the codebook (:func:`codes_problems`,
    :func:`analysis.sections.move.coding.answer_problems`), reported in the same error."""
    return registry.read_registered(CODES_TABLE, path=path, error=error, required=tuple(hand_columns), more=more)


@dataclass(frozen=True)
class Passage:
    """One sampled passage with its text and context, for the coder."""

    passage_id: str
    doc_id: str
    keywords: str
    before: str
    text: str
    after: str


def sample_passages(sample: pd.DataFrame, texts: Mapping[str, str], *, context: int = 80) -> list[Passage]:
    """The sample's passages read from ``texts`` (``{doc_id: normalised text}``), in file order, each with up to
    ``context`` characters on each side. Raises :class:`SampleError` naming the passages whose document is
    missing or whose text no longer matches its fingerprint."""
    out, problems = [], []
    for r in sample.itertuples(index=False):
        text = texts.get(r.doc_id)
        if text is None:
            problems.append(f"{r.passage_id}: document {r.doc_id} is not available (run `make data`)")
            continue
        passage = text[r.start : r.end]
        if fingerprint(passage) != r.passage_sha256:
            problems.append(
                f"{r.passage_id}: the text of {r.doc_id} at {r.start}-{r.end} changed since the sample was drawn"
            )
            continue
        before = text[max(0, r.start - context) : r.start]
        out.append(Passage(r.passage_id, r.doc_id, r.keywords, before, passage, text[r.end : r.end + context]))
    if problems:
        raise SampleError(f"{len(problems)} sampled passage(s) cannot be shown: " + "; ".join(problems))
    return out


def mark_keywords(text: str, vocabulary: list[str] | None = None) -> str:
    """``text`` with every security word (nested matches dropped, as the unit is defined) put in 【】."""
    from analysis.counting import security_vocabulary

    vocab = security_vocabulary() if vocabulary is None else vocabulary
    out, pos = [], 0
    for s, e, _t in speech_acts.keyword_spans(text, vocab):
        if s < pos:
            continue
        out += [text[pos:s], "【", text[s:e], "】"]
        pos = e
    return "".join([*out, text[pos:]])


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", " ⏎ ")


def format_passages(passages: list[Passage], titles: Mapping[str, str] | None = None) -> str:
    """The coder's sheet: per passage its id, document (and title), security words, and the passage between
    its context, security words marked 【】. Nothing of the rules' output."""
    titles = titles or {}
    vocab = None
    lines = []
    for i, p in enumerate(passages, start=1):
        if vocab is None:
            from analysis.counting import security_vocabulary

            vocab = security_vocabulary()
        title = f" ({titles[p.doc_id]})" if p.doc_id in titles else ""
        lines += [
            f"[{i}/{len(passages)}] {p.passage_id}  {p.doc_id}{title}",
            f"  security words: {p.keywords.replace('+', ', ')}",
            f"  before:  …{_one_line(p.before)}",
            f"  PASSAGE: {_one_line(mark_keywords(p.text, vocab))}",
            f"  after:   {_one_line(p.after)}…",
            "",
        ]
    return "\n".join(lines)


def codes_template(sample: pd.DataFrame, hand_columns: list[str]) -> str:
    """A blank codes file for the coder: ``passage_id``, one empty column per dimension, ``note``; sample order."""
    frame = pd.DataFrame({"passage_id": sample["passage_id"]})
    for c in [*hand_columns, "note"]:
        frame[c] = ""
    return _csv(frame)


def codes_problems(codes: pd.DataFrame, sample: pd.DataFrame) -> list[str]:
    """Passage ids of a codes file that the sample lacks, or sampled passages it does not code (its schema refuses
    a passage coded twice; the codebook checks the values)."""
    known = set(sample["passage_id"])
    problems = [
        f"line {i + 2}, passage_id={p!r}: not a passage of the sample"
        for i, p in enumerate(codes["passage_id"])
        if p not in known
    ]
    coded = set(codes["passage_id"])
    missing = [p for p in sample["passage_id"] if p not in coded]
    if missing:
        problems.append(f"{len(missing)} sampled passage(s) not coded: {', '.join(missing)}")
    return problems


def example_overlaps(examples: pd.DataFrame, sample: pd.DataFrame, texts: Mapping[str, str]) -> list[str]:
    """Codebook examples (:func:`analysis.sections.move.coding.example_items`) that occur inside a sampled passage.

    The codebook's examples are its author's reading; taken from passages outside the sample (or from the
    reference laws, outside the sampling frame), they cannot decide the coder's codes for the sample.
    Documents not in ``texts`` are skipped.
    """
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for r in sample.itertuples(index=False):
        spans.setdefault(r.doc_id, []).append((int(r.start), int(r.end), r.passage_id))
    found = []
    for dim, code, kind, doc, snippet in examples.itertuples(index=False):
        text = texts.get(doc)
        if text is None or not snippet:
            continue
        pos = text.find(snippet)
        while pos >= 0:
            hit = [p for s, e, p in spans.get(doc, []) if s < pos + len(snippet) and pos < e]
            found += [f"{dim}/{code} {kind} {doc}: {snippet!r} is inside sampled passage {p}" for p in hit]
            pos = text.find(snippet, pos + 1)
    return found
