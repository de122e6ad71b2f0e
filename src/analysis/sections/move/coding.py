"""The codebook for coding passages by hand, as data, and its validator.

The rules of :mod:`analysis.sections.move.speech_acts` code every passage with security vocabulary by surface patterns.
Whether they code what they claim to code is an empirical question: a coder who never sees their
output codes a sample of the same passages from this codebook alone, and the two codings are compared
dimension by dimension and category by category.

The unit
--------
The **passage** is the unit, exactly as :func:`analysis.sections.move.speech_acts.code_passages` gives it: one sentence
(:func:`analysis.counting.passages.sentences`: it ends at 。！？； or a line break) that holds at least one word of
the security vocabulary. The rules code this unit, so hand and rule codes describe the same object and
agreement can be counted passage by passage. A sentence is also the smallest unit that carries a
complete act (the modal 应当 and what it requires, the prevention verb and the danger), and
regulations list their obligations as clauses separated by semicolons, each a statement of its own.
Its limit: a securitizing move in Vuori's sense is a *sequence* across a text; the passage codes its
elementary parts, not the sequence. The coder sees some context around the passage, only to resolve
what a passage refers to; the code describes the passage.

The files
---------
``data/argument/codebook_dimensions.csv`` (``dimension, hand_column, answers, rule_column, question,
instruction``): one row per dimension. ``answers`` is ``all`` (the coder writes every code that applies,
joined by ``+``, or ``none``) or ``one``; ``rule_column`` names the column of
:func:`~analysis.sections.move.speech_acts.code_passages` the dimension is compared with (empty: the rules do not code it).

``data/argument/codebook.csv`` (``dimension, code, precedence, rule_code, label_en, definition, include,
exclude, decision, examples, non_examples``): one row per category. ``precedence`` orders the codes of
a dimension (smaller first) when a passage shows several; ``rule_code`` is the rules' code the category
corresponds to, so that agreement can be computed category by category (several hand codes may map
onto one rule code). ``examples`` and ``non_examples`` are short snippets from the texts, cited by
document: ``doc_id: snippet`` items separated by `` ; ``, at most :data:`MAX_EXAMPLE_CHARS` characters
each. Primary texts are never committed; a snippet is a citation, never a quotation of a passage.

:func:`load_codebook` validates both files through their schemas (:mod:`analysis.io.registry`) and against each
other and the manifest; every problem names the file and its line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.io import registry, vocabulary
from analysis.io.paths import DATA_DIR
from analysis.io.registry import argument as argument_tables
from analysis.io.schemas import TableError

CODEBOOK_PATH: Path = DATA_DIR / "argument" / "codebook.csv"
DIMENSIONS_PATH: Path = DATA_DIR / "argument" / "codebook_dimensions.csv"
#: The rules' codes per column of :func:`analysis.sections.move.speech_acts.code_passages` that a dimension can be
#: compared with, and the answers a dimension takes (their home: :mod:`analysis.io.vocabulary`).
RULE_CODES: dict[str, tuple[str, ...]] = vocabulary.RULE_CODES
ANSWERS: tuple[str, ...] = vocabulary.ANSWERS
NONE = "none"  # the empty answer of an ``all`` dimension; never joined with another code
JOIN = "+"
#: Examples are ``doc_id: snippet`` items separated by this, each snippet a citation of at most so many characters.
EXAMPLE_SEPARATOR: str = argument_tables.EXAMPLE_SEPARATOR
MAX_EXAMPLE_CHARS: int = argument_tables.MAX_EXAMPLE_CHARS
DIMENSIONS_TABLE = "argument/codebook_dimensions.csv"
CODEBOOK_TABLE = "argument/codebook.csv"
#: The schemas of the two files (:mod:`analysis.io.registry`).
DIMENSION_SCHEMA = registry.schema_of(DIMENSIONS_TABLE)
CODEBOOK_SCHEMA = registry.schema_of(CODEBOOK_TABLE)


class CodebookError(TableError):
    """The codebook or a file coded from it is malformed (the message names the file and line)."""


@dataclass(frozen=True)
class Codebook:
    """The validated codebook: ``dimensions`` (file order) and ``codes`` (by dimension order, then precedence)."""

    dimensions: pd.DataFrame
    codes: pd.DataFrame

    @property
    def names(self) -> list[str]:
        """The dimensions, in file order."""
        return list(self.dimensions["dimension"])

    def dimension(self, name: str) -> pd.Series:
        """The row of dimension ``name``."""
        rows = self.dimensions[self.dimensions["dimension"] == name]
        if rows.empty:
            raise KeyError(f"no dimension {name!r} in the codebook; it has {', '.join(self.names)}")
        return rows.iloc[0]

    def codes_of(self, name: str) -> list[str]:
        """The codes of dimension ``name`` in precedence order."""
        self.dimension(name)
        return list(self.codes.loc[self.codes["dimension"] == name, "code"])

    def hand_columns(self) -> list[str]:
        """The columns a coder fills, in dimension order."""
        return list(self.dimensions["hand_column"])

    def rule_map(self, name: str) -> dict[str, str]:
        """``{hand code: rule code}`` for a dimension the rules code (empty for a hand-only dimension)."""
        rows = self.codes[self.codes["dimension"] == name]
        return {c: r for c, r in zip(rows["code"], rows["rule_code"], strict=False) if r}

    def parse(self, name: str, answer: str) -> list[str]:
        """The codes of one answer (``warn+request`` → ``["warn", "request"]``), in precedence order.

        Raises :class:`ValueError` with a one-line reason when the answer is not allowed.
        """
        allowed = self.codes_of(name)
        parts = [p.strip() for p in str(answer).split(JOIN)] if str(answer).strip() else []
        if not parts:
            raise ValueError("is empty")
        unknown = [p for p in parts if p not in allowed]
        if unknown:
            raise ValueError(f"{', '.join(map(repr, unknown))} is not one of {', '.join(allowed)}")
        if len(set(parts)) != len(parts):
            raise ValueError("names a code twice")
        if len(parts) > 1 and self.dimension(name)["answers"] == "one":
            raise ValueError(f"takes one code ({name} is coded by precedence)")
        if len(parts) > 1 and NONE in parts:
            raise ValueError(f"joins {NONE} with another code")
        return sorted(parts, key=allowed.index)

    def primary(self, name: str, answer: str) -> str:
        """The first code of an answer by precedence (the most directive act for ``function``)."""
        return self.parse(name, answer)[0]


def _example_items(cell: str) -> list[tuple[str, str]]:
    """``doc_id: snippet`` items of an examples cell (``[]`` for an empty cell); a malformed item has doc ``""``."""
    items = []
    for item in cell.split(EXAMPLE_SEPARATOR) if cell.strip() else []:
        doc, sep, snippet = item.strip().partition(": ")
        items.append((doc.strip(), snippet.strip()) if sep else ("", item.strip()))
    return items


def example_items(codebook: Codebook) -> pd.DataFrame:
    """Every example and non-example: ``dimension, code, kind, doc_id, snippet`` (file order)."""
    rows = [
        (d, c, kind, doc, snippet)
        for d, c, ex, non in codebook.codes[["dimension", "code", "examples", "non_examples"]].itertuples(index=False)
        for kind, cell in (("example", ex), ("non_example", non))
        for doc, snippet in _example_items(cell)
    ]
    return pd.DataFrame(rows, columns=["dimension", "code", "kind", "doc_id", "snippet"])


def _code_problems(codes: pd.DataFrame, dims: pd.DataFrame, doc_ids: frozenset[str] | None) -> list[str]:
    """What the codes break against the dimensions and the manifest (the schema checks each file on its own)."""
    rule_column = dict(zip(dims["dimension"], dims["rule_column"], strict=False))
    problems = []
    for i, row in enumerate(codes.to_dict("records")):
        line, dim, rule = i + 2, row["dimension"], row["rule_code"]
        if dim not in rule_column:
            problems.append(
                f"line {line}, dimension={dim!r}: not a dimension of {DIMENSIONS_PATH.name} ({', '.join(rule_column)})"
            )
            continue
        column = rule_column[dim]
        if column and rule not in RULE_CODES[column]:
            problems.append(
                f"line {line}, rule_code={rule!r}: must be one of the rules' {column} codes ({', '.join(RULE_CODES[column])})"
            )
        if not column and rule:
            problems.append(f"line {line}, rule_code={rule!r}: the rules do not code {dim}; leave it empty")
        if doc_ids is not None:
            for cell in ("examples", "non_examples"):
                problems += [
                    f"line {line}, {cell}: {doc!r} is not a doc_id of the manifest"
                    for doc, _ in _example_items(row[cell])
                    if doc and doc not in doc_ids
                ]
    return problems


def _coverage_problems(codes: pd.DataFrame, dims: pd.DataFrame) -> list[str]:
    problems = []
    for dim, answers, rule_column in zip(dims["dimension"], dims["answers"], dims["rule_column"], strict=False):
        mine = codes[codes["dimension"] == dim]
        if len(mine) < 2:
            problems.append(f"dimension {dim!r} has {len(mine)} code(s); a dimension needs at least two")
        if answers == "all" and NONE not in set(mine["code"]):
            problems.append(f"dimension {dim!r} takes several codes, so it needs the code {NONE!r} for no code")
        if rule_column:
            missing = [r for r in RULE_CODES[rule_column] if r not in set(mine["rule_code"])]
            if missing:
                problems.append(
                    f"dimension {dim!r}: no code maps onto the rules' {', '.join(missing)}; add a code or a rule_code"
                )
    return problems


def _manifest_ids() -> frozenset[str]:
    from analysis.corpus.manifest import load_manifest

    return frozenset(load_manifest()["doc_id"])


@functools.lru_cache(maxsize=8)
def _load_cached(codes_path: str, dims_path: str, mtimes: tuple[int, int], check_docs: bool) -> Codebook:
    cpath, dpath = Path(codes_path), Path(dims_path)
    dims = registry.read_registered(DIMENSIONS_TABLE, path=dpath, error=CodebookError)
    doc_ids = _manifest_ids() if check_docs else None

    def against_dimensions(frame: pd.DataFrame) -> list[str]:
        return _code_problems(frame, dims, doc_ids) + _coverage_problems(frame, dims)

    codes = registry.read_registered(CODEBOOK_TABLE, path=cpath, error=CodebookError, more=against_dimensions)
    dims = dims.loc[:, list(DIMENSION_SCHEMA.names)].reset_index(drop=True)
    codes = codes.loc[:, list(CODEBOOK_SCHEMA.names)].copy()
    codes["precedence"] = codes["precedence"].astype(int)
    order = {d: i for i, d in enumerate(dims["dimension"])}
    codes = codes.assign(_d=codes["dimension"].map(order)).sort_values(["_d", "precedence"], kind="mergesort")
    return Codebook(dims, codes.drop(columns="_d").reset_index(drop=True))


def load_codebook(
    path: Path | None = None, dimensions_path: Path | None = None, *, check_docs: bool = True
) -> Codebook:
    """The codebook, validated (cached by paths and modification times).

    ``check_docs``: every example's ``doc_id`` must be in the manifest (tests of synthetic codebooks
    switch it off). Raises :class:`CodebookError` naming the file and line of every problem.
    """
    cpath = Path(path) if path is not None else CODEBOOK_PATH
    dpath = Path(dimensions_path) if dimensions_path is not None else DIMENSIONS_PATH
    for p in (dpath, cpath):
        if not p.is_file():
            raise CodebookError(f"{p}: file not found; restore it (`git checkout -- {p}`)")
    mtimes = (cpath.stat().st_mtime_ns, dpath.stat().st_mtime_ns)
    return _load_cached(str(cpath), str(dpath), mtimes, check_docs)


def example_problems(codebook: Codebook, texts: Mapping[str, str]) -> list[str]:
    """Examples whose snippet does not occur in their document, for the documents in ``texts`` (others are skipped)."""
    items = example_items(codebook)
    return [
        f"{d}/{c} {kind}: {snippet!r} does not occur in {doc}"
        for d, c, kind, doc, snippet in items.itertuples(index=False)
        if doc in texts and snippet not in texts[doc]
    ]


def _bullets(label: str, text: str) -> str:
    return f"  - *{label}*: {text}" if text.strip() else ""


def codebook_markdown(codebook: Codebook, dimensions: Iterable[str] | None = None) -> str:
    """The codebook as Markdown, for the coder and the methods page: per dimension its question and
    instruction, then every code with definition, inclusion and exclusion rules, decision rule and examples."""
    out = []
    for dim in dimensions if dimensions is not None else codebook.names:
        d = codebook.dimension(dim)
        rules = f" Compared with the rules' `{d['rule_column']}`." if d["rule_column"] else " The rules do not code it."
        out += [
            f"## {dim} (column `{d['hand_column']}`)",
            "",
            f"{d['question']} {d['instruction']}{rules}",
            "",
        ]
        for row in codebook.codes[codebook.codes["dimension"] == dim].to_dict("records"):
            mapped = f" (rules: `{row['rule_code']}`)" if row["rule_code"] else ""
            out.append(f"- **`{row['code']}`**: {row['label_en']}{mapped}. {row['definition']}")
            for label, key in (
                ("include", "include"),
                ("exclude", "exclude"),
                ("decision", "decision"),
                ("examples", "examples"),
                ("not", "non_examples"),
            ):
                line = _bullets(label, row[key])
                if line:
                    out.append(line)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def answer_problems(codebook: Codebook, codes: pd.DataFrame) -> list[str]:
    """Problems of a table of hand codes (one column per dimension's ``hand_column``): ``line N, column=value: why``."""
    problems = []
    for dim, column in zip(codebook.dimensions["dimension"], codebook.dimensions["hand_column"], strict=False):
        if column not in codes.columns:
            continue
        for i, value in enumerate(codes[column]):
            try:
                codebook.parse(dim, value)
            except ValueError as exc:
                problems.append(f"line {i + 2}, {column}={value!r}: {exc}")
    return sorted(problems, key=lambda p: int(re.match(r"line (\d+)", p).group(1)))  # type: ignore[union-attr]
