"""What the three analyses share: the Chinese texts they read, and rule files of regular expressions.

**Texts.** :func:`chinese_documents` gives the Chinese documents of the compared topics (AI texts and their
controls, :data:`COMPARED`; the reference laws only where an analysis asks for them) with the manifest's columns,
by date then id, from a corpus frame (:func:`analysis.corpus.load_corpus`) or from the ``{doc_id: text}`` mapping
the ledger's methods get. The topics are those of :mod:`analysis.corpus.select`, the one definition.

**Rules.** The addressee rules and the exceptionality markers are data: CSV files of Python regular expressions,
each row with an ``example`` that its pattern must match, read through their schemas in :mod:`analysis.io.registry`
(:func:`load_rules`). :func:`rule_spans` reads a text with such rules: every rule in file order; a match is kept when it overlaps no
match already kept, so a longer formula listed first (统筹发展和安全) is not counted again by a shorter one after it
(发展和安全).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from analysis.corpus import select
from analysis.io import registry

#: The topics compared: AI texts against their controls (the reference laws are sources of phrases only).
COMPARED: tuple[str, ...] = (select.AI, select.CONTROL)
#: Readers' labels of the topics.
TOPIC_LABELS: dict[str, str] = {
    select.AI: "AI texts",
    select.CONTROL: "control texts",
    select.REFERENCE: "reference laws",
}
#: The columns of :func:`chinese_documents`.
DOCUMENT_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "topic",
    "language",
    "level",
    "genre",
    "date",
    "issuer",
    "title_en",
    "text",
)
NO_TEXT = "no Chinese {what} is available in this build"


def chinese_documents(
    corpus: pd.DataFrame | Mapping[str, str],
    manifest: pd.DataFrame | None = None,
    topics: str | Iterable[str] = COMPARED,
) -> pd.DataFrame:
    """The Chinese documents of ``topics`` in ``corpus``: :data:`DOCUMENT_COLUMNS` plus ``level_group`` and
    ``genre_group``, sorted by date then ``doc_id``.

    ``corpus`` is a corpus frame with the manifest's columns, or ``{doc_id: text}`` whose metadata come from
    ``manifest`` (required then; an id the manifest lacks raises ``ValueError``). Works on an empty corpus.
    """
    if isinstance(corpus, pd.DataFrame):
        frame = corpus
    else:
        if manifest is None:
            raise ValueError("a {doc_id: text} corpus needs the manifest for its documents' topics and dates")
        unknown = sorted(set(corpus) - set(manifest["doc_id"]))
        if unknown:
            raise ValueError(f"document(s) not in the manifest: {', '.join(unknown)}")
        frame = manifest[manifest["doc_id"].isin(set(corpus))].copy()
        frame["text"] = frame["doc_id"].map(dict(corpus))
    if frame.empty:
        return pd.DataFrame(columns=[*DOCUMENT_COLUMNS, "level_group", "genre_group"])
    missing = [c for c in DOCUMENT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"the corpus table lacks column(s) {', '.join(missing)}")
    chosen = select.select_topic(frame[select.is_chinese(frame)], topics)
    out = chosen.loc[:, list(DOCUMENT_COLUMNS)].astype({"text": str})
    out["level_group"] = out["level"].map(select.level_group)
    out["genre_group"] = out["genre"].map(select.genre_group)
    return out.sort_values(["date", "doc_id"], kind="mergesort").reset_index(drop=True)


# ------------------------------------------------------------------------------------------------ rule files


@functools.lru_cache(maxsize=16)
def _read_cached(path: str, mtime_ns: int, table: str, error: type[Exception]) -> pd.DataFrame:
    df = registry.read_registered(table, path=path, error=error)
    return df.loc[:, list(registry.schema_of(table).names)].reset_index(drop=True)


def load_rules(path: Path, table: str, error: type[Exception]) -> pd.DataFrame:
    """A rule file read through its schema (``table``, its name in :mod:`analysis.io.registry`): every pattern
    compiles and matches its example. Errors (``error``) name the file and line. Cached by path and modification
    time."""
    p = Path(path)
    if not p.is_file():
        raise error(f"{p}: file not found; restore it (e.g. `git checkout -- {p}`)")
    return _read_cached(str(p), p.stat().st_mtime_ns, table, error).copy()


def rule_spans(text: str, rules: pd.DataFrame, label: str) -> pd.DataFrame:
    """Non-overlapping matches of ``rules`` in ``text``: ``start, end, rule`` (the rule's row) and ``label`` (its
    ``label`` column); rules in file order, a match kept only when it overlaps no match kept before. By position."""
    kept: list[tuple[int, int, int, str]] = []
    taken = bytearray(len(text))
    for i, (pattern, value) in enumerate(zip(rules["pattern"], rules[label], strict=True)):
        for m in re.finditer(pattern, text):
            s, e = m.start(), m.end()
            if e > s and not any(taken[s:e]):
                kept.append((s, e, i, str(value)))
                taken[s:e] = b"\x01" * (e - s)
    kept.sort()
    out = pd.DataFrame(kept, columns=["start", "end", "rule", label])
    return out.astype({"start": "int64", "end": "int64", "rule": "int64"})


def holdings(corpus: pd.DataFrame | Mapping[str, str], manifest: pd.DataFrame | None = None) -> str:
    """What this build holds for the three analyses, as Markdown: the Chinese AI, control and reference texts."""
    docs = chinese_documents(corpus, manifest, (*COMPARED, select.REFERENCE))
    counts = {t: int(select.is_topic(docs, t).sum()) for t in TOPIC_LABELS}
    laws = ", ".join(f"`{d}`" for d in select.select_topic(docs, select.REFERENCE)["doc_id"]) or "none"
    lines = [
        f"- Chinese AI texts in this build: **{counts[select.AI]}**; non-AI control texts: **{counts[select.CONTROL]}**.",
        f"- Reference laws, read only as sources of phrases: **{counts[select.REFERENCE]}** ({laws}).",
    ]
    if counts[select.AI] == 0:
        lines.append(
            "- **Not reproducible here:** no Chinese AI text is available, so the tables below are empty and the "
            "findings of this chapter cannot be computed. Run `make data` (or set `CORPUS_MIRROR`) to acquire the texts."
        )
    return "\n".join(lines)
