"""Where a text names its document, and what follows: the head check and opening fingerprints.

**Anchors.** A line *names* the document when, ignoring whitespace, punctuation and case
(:func:`analysis.corpus.accept.fold`), it begins with one of the document's identifiers (title, title
without a bracketed document number, a ``short_titles`` entry or the ``doc_number``; a title wrapped over
up to :data:`JOIN_LINES` lines counts), optionally after a label (标题, 名称, 文件名称, 发文字号, 文号,
附件 with or without a number, ``Title``). Every such line is an *anchor*. A title inside a sentence
("为贯彻落实《…》"), a numbered link ("1. …") or a list item after other words is not an anchor.

**Head.** A text is the document only if an anchor begins within its first :data:`HEAD_CHARS`
non-whitespace characters, or the head holds the issuing formula of the document's own notice
(现将《…》印发给你们: on pages whose title stands above the extracted body): the document names itself at
the top. (In the 24 texts of the shared mirror the first anchor begins on line 1 or 2, at most 19
characters in; the gov.cn metadata block before a title is about 150.) A page where the title stands
only further down (another document's body, a "相关文件" link list at its foot) is refused.

**Opening fingerprint.** ``opening_sha256`` (optional manifest column) is the SHA-256 (hex) of the
first :data:`OPENING_HAN` Han characters (``zh`` documents) or :data:`OPENING_ALNUM` letters and digits
(``en``) of the folded text that follows an anchor's identifier, after removing every occurrence of
the document's identifiers from it (so a document number or a repeated title after the title does not
count). Whitespace, punctuation, case, full-width forms and, for ``zh``, Latin letters and digits do
not change it. The fingerprint of a copy is the one at its *last* anchor within the first
:data:`FINGERPRINT_CHARS` non-whitespace characters: for a notice that issues a plan (关于印发《…》的通知
then the plan), the anchor is the plan's own title line and the fingerprint covers the plan's first
words, the same as for a copy of the plan without the notice. A text matches when the fingerprint at
*any* of its anchors in that window equals ``opening_sha256``. ``python -m analysis corpus fingerprint
FILE --doc DOC_ID`` prints the fingerprint of a saved copy (never its text).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Non-whitespace characters from the top of a text within which it must name its document.
HEAD_CHARS = 500
#: Non-whitespace characters from the top within which anchors for the opening fingerprint are looked for.
FINGERPRINT_CHARS = 3000
#: Han characters (``zh``) and letters or digits (``en``) that an opening fingerprint covers.
OPENING_HAN = 30
OPENING_ALNUM = 120
#: A title may be wrapped over this many lines (a PDF cover, "THE NATIONAL / ARTIFICIAL INTELLIGENCE …").
JOIN_LINES = 3
#: Raw characters of each line that anchors are looked for in (identifiers are far shorter).
_LINE_CAP = 400
#: Folded text read after an anchor to find the opening (ample for 30 Han characters or 120 letters).
_OPENING_BUDGET = 1500
#: The issuing formula of a notice that carries the document (现将《…》印发给你们, 现将《…》予以公布), folded: on a
#: page whose title stands outside the extracted body (above the body container), it names the document.
ISSUING = "现将{}(?:予以)?(?:印发|发布|公布)"
_LABEL = re.compile(r"^(?:标题|文件名称|名称|发文字号|文号|附件\d*|title)")
#: A Han character (CJK unified ideographs, extension A, compatibility ideographs, the supplementary planes).
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_ALNUM = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class Anchor:
    """A line that names the document: its index, its offset (non-whitespace characters before it), the
    identifier found (folded) and the length of the label before it (folded characters)."""

    line: int
    offset: int
    identifier: str
    label: int


def _fold(text: str) -> str:
    from analysis.corpus.accept import fold

    return fold(text)


def folded_identifiers(identifiers: Sequence[str]) -> list[str]:
    """The folded identifiers, longest first, without empty or repeated ones."""
    out = {f for f in (_fold(w) for w in identifiers) if f}
    return sorted(out, key=lambda f: (-len(f), f))


def anchors(text: str, identifiers: Sequence[str], limit: int = FINGERPRINT_CHARS) -> list[Anchor]:
    """The anchors (see the module) of ``text`` that begin within its first ``limit`` non-whitespace characters."""
    wanted = folded_identifiers(identifiers)
    if not wanted:
        return []
    lines = text.split("\n")
    found: list[Anchor] = []
    offset = 0
    for i, line in enumerate(lines):
        if offset >= limit:
            break
        joined = _fold("".join(part[:_LINE_CAP] for part in lines[i : i + JOIN_LINES]))
        label = _LABEL.match(joined)
        for skip in (0, label.end() if label else 0):
            hit = next((w for w in wanted if joined.startswith(w, skip)), None)
            if hit:
                found.append(Anchor(i, offset, hit, skip))
                break
        offset += len("".join(line.split()))
    return found


def names_itself_at_head(text: str, identifiers: Sequence[str]) -> bool:
    """True when an anchor begins within the first :data:`HEAD_CHARS` non-whitespace characters, or the head
    holds the issuing formula of the document's own notice (:data:`ISSUING`)."""
    if anchors(text, identifiers, HEAD_CHARS):
        return True
    head, seen = [], 0
    for line in text.split("\n"):
        if seen >= HEAD_CHARS:
            break
        head.append(line)
        seen += len("".join(line.split()))
    folded = _fold("\n".join(head))
    return any(re.search(ISSUING.format(re.escape(w)), folded) for w in folded_identifiers(identifiers))


def _opening_units(text: str, anchor: Anchor, wanted: Sequence[str], language: str) -> str | None:
    lines = text.split("\n")
    acc, i = "", anchor.line
    while i < len(lines) and len(acc) < _OPENING_BUDGET + anchor.label + len(anchor.identifier):
        acc += _fold(lines[i][: _OPENING_BUDGET * 2])
        i += 1
    rest = acc[anchor.label + len(anchor.identifier) :]
    for w in wanted:
        rest = rest.replace(w, "")
    if language == "en":
        units, size = "".join(_ALNUM.findall(rest)), OPENING_ALNUM
    else:
        units, size = "".join(HAN.findall(rest)), OPENING_HAN
    return units[:size] if len(units) >= size else None


def _sha(units: str) -> str:
    return hashlib.sha256(units.encode("utf-8")).hexdigest()


def opening_fingerprints(text: str, identifiers: Sequence[str], language: str) -> list[tuple[Anchor, str]]:
    """``(anchor, fingerprint)`` for every anchor within :data:`FINGERPRINT_CHARS` that is followed by a whole
    opening, in text order."""
    wanted = folded_identifiers(identifiers)
    out = []
    for anchor in anchors(text, identifiers, FINGERPRINT_CHARS):
        units = _opening_units(text, anchor, wanted, language)
        if units is not None:
            out.append((anchor, _sha(units)))
    return out


def opening_fingerprint(text: str, identifiers: Sequence[str], language: str) -> tuple[Anchor, str] | None:
    """The fingerprint of a copy: the one at its last anchor (see the module); ``None`` when it has none."""
    found = opening_fingerprints(text, identifiers, language)
    return found[-1] if found else None


def opening_matches(text: str, identifiers: Sequence[str], language: str, expected: str) -> bool:
    """True when the fingerprint at any anchor of ``text`` equals ``expected``."""
    return any(sha == expected for _, sha in opening_fingerprints(text, identifiers, language))
