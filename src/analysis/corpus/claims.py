"""Which text goes to which document: a text that is another document's, and two documents with one text.

A copy that passed its own document's checks (:mod:`analysis.corpus.accept`) may still be another
document's text: EO 14110 names EO 13960, the 2016 R&D plan names "Preparing for the Future of AI", and
a reprint page may wrap another document's whole text. So, over all documents:

1. A *verified* document (its copy matches ``expected_sha256``) always keeps its text.
2. A text whose hash is the ``expected_sha256`` of another document is that document's text: it is
   refused for this one ("this is the text of X").
3. A text that contains the whole verified text of another document present in this build (ignoring
   whitespace; a verified text of at least :data:`CONTAINED_MIN` characters) is refused for this one
   ("it contains the text of X"). A document whose genuine text does contain another's (a notice and
   its attachment listed separately) is settled by giving it its ``expected_sha256`` (rule 1).
4. When two or more *unverified* documents hold one text, none of them counts until the reader says
   which document it is with ``python -m analysis corpus import FILE --doc DOC_ID``: a copy imported with
   ``--doc`` (provenance ``doc_given``) keeps the text and the others are refused; without one, or with
   more than one, all are refused and ``corpus status`` says so.

Rules 2 and 3 are also applied to a new copy before ``make data`` or ``corpus import`` caches it
(:func:`foreign_text`, with :class:`KnownTexts`); all four are applied by :func:`settle` whenever the
corpus is read (:func:`analysis.corpus.coverage`, :func:`analysis.corpus.load_corpus`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from analysis.corpus.core import Resolution
    from analysis.corpus.sources import Acquired

#: Fewest non-whitespace characters of a verified text for rule 3 (a shorter one could occur by chance).
CONTAINED_MIN = 200
IMPORT_FIX = "`python -m analysis corpus import FILE --doc DOC_ID`"


def compact(text: str) -> str:
    """``text`` without whitespace (the form in which containment is tested)."""
    return "".join(text.split())


def verified_hashes(manifest: pd.DataFrame) -> dict[str, str]:
    """``{expected_sha256: doc_id}`` of the manifest's verified documents."""
    return {sha: doc for doc, sha in zip(manifest["doc_id"], manifest["expected_sha256"], strict=False) if sha}


@dataclass
class KnownTexts:
    """The verified hashes of a manifest and, loaded on first use, the verified texts present in this build."""

    hashes: dict[str, str]
    load: Callable[[], Mapping[str, str]] = dict
    _texts: Mapping[str, str] | None = field(default=None, repr=False)

    @property
    def texts(self) -> Mapping[str, str]:
        """``{doc_id: verified text without whitespace}``."""
        if self._texts is None:
            self._texts = self.load()
        return self._texts


def foreign_text(doc_id: str, acquired: Acquired, known: KnownTexts) -> str | None:
    """Why ``acquired`` is another document's text (rules 2 and 3), or ``None``."""
    other = known.hashes.get(acquired.sha256)
    if other and other != doc_id:
        return (
            f"this is the text of {other} (its expected_sha256); "
            f"import it with --doc {other}, and find {doc_id}'s own text"
        )
    body: str | None = None
    for other, text in known.texts.items():
        if other == doc_id or len(text) < CONTAINED_MIN:
            continue
        body = compact(acquired.text) if body is None else body
        if len(body) > len(text) and text in body:
            return f"it contains the whole verified text of {other}: a page around another document, not {doc_id}"
    return None


def _doc_given(res: Resolution, cache_dir: Path) -> bool:
    from analysis.corpus.cache import provenance

    if res.source != "imported":
        return False
    meta = provenance(res.doc_id, cache_dir) or {}
    return bool(meta.get("doc_given"))


def _refuse(res: Resolution, reason: str) -> None:
    res.status, res.failure, res.source = "rejected", "rejected", "none"
    res.message = f"{res.doc_id}: rejected, its text ({res.location}) {reason}"
    res.acquired = None


def settle(resolutions: Iterable[Resolution], manifest: pd.DataFrame, cache_dir: Path) -> None:
    """Apply the four rules (see the module) to the resolutions of every manifest document, in place."""
    resolutions = list(resolutions)
    expected = dict(zip(manifest["doc_id"], manifest["expected_sha256"], strict=False))
    available = [r for r in resolutions if r.status == "available" and r.acquired is not None]
    verified = {r.doc_id: r for r in available if expected.get(r.doc_id)}
    known = KnownTexts(
        verified_hashes(manifest),
        lambda: {d: compact(r.acquired.text) for d, r in verified.items() if r.acquired is not None},
    )
    claims: dict[str, list[Resolution]] = {}
    for res in available:
        if res.doc_id in verified or res.acquired is None:
            continue
        reason = foreign_text(res.doc_id, res.acquired, known)
        if reason:
            _refuse(res, reason.replace("this is the text", "is the text", 1))
            continue
        claims.setdefault(res.acquired.sha256, []).append(res)
    for group in claims.values():
        if len(group) < 2:
            continue
        given = [r for r in group if _doc_given(r, cache_dir)]
        ids = [r.doc_id for r in group]
        if len(given) == 1:
            keeper = given[0].doc_id
            for res in group:
                if res is not given[0]:
                    _refuse(res, f"is the text of {keeper}, as `corpus import --doc {keeper}` settled")
            continue
        for res in group:
            others = ", ".join(d for d in ids if d != res.doc_id)
            _refuse(
                res,
                f"is also the text of {others} (none verified); neither counts until {IMPORT_FIX} "
                "says which document it is",
            )
