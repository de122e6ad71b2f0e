"""Is this text plausibly the document? The checks every acquired text passes before it is used.

A text read from the mirror, downloaded from a URL or imported is accepted only when:

1. it is not a known "page not found" page: none of the patterns in
   ``data/corpus/not_found_patterns.txt`` (data, one per line) occurs in its first
   :data:`NOT_FOUND_WINDOW` characters;
2. it reaches the document's minimum length: the manifest's ``min_chars``, else
   :data:`DEFAULT_MIN_CHARS` non-whitespace characters (the shortest text of the mirror has about
   1,300; a navigation-and-footer page has fewer than 100);
3. its share of Han characters fits its language: at least :data:`MIN_HAN_SHARE_ZH` of the letters
   and Han characters of a ``zh`` text, at most :data:`MAX_HAN_SHARE_EN` of an ``en`` text
   (text decoded with the wrong encoding fails this or the next check);
4. its folded text (NFKC, no whitespace, no punctuation, lower case) contains the folded title
   (``title_zh`` for ``zh``, ``title_en`` for ``en``; with and without a trailing document number in
   brackets), one of the manifest's ``short_titles`` (separated by ``|``) or the ``doc_number``;
5. no characters are masked: fewer than :data:`MASKED_MIN` runs of ``*`` (or ``＊``) touch a Han
   character. Some reposts replace words (政府, 党) with ``*`` to pass a site's filters; such a copy
   would undercount exactly the words the book counts.

A text that passes may still carry a caveat (:func:`caveats`), recorded in the cache's provenance
and shown in the coverage message: ``abridged`` when it says 此件有删减 ("this document has been
abridged"). An abridged copy is accepted, not rejected, because the marking is the issuer's own on
the public version (the complete text is not public); the counts of such a text are those of the
public version, and the flag says so.

When the manifest gives an ``expected_sha256`` that the text matches, the text is the document and
these checks are skipped; a text that does not match it is never used (``hash mismatch``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import pandas as pd

from analysis.corpus.errors import SourceError
from analysis.paths import CORPUS_DATA_DIR

NOT_FOUND_PATH = CORPUS_DATA_DIR / "not_found_patterns.txt"
#: Floor of non-whitespace characters when the manifest gives no ``min_chars``.
DEFAULT_MIN_CHARS = 300
MIN_HAN_SHARE_ZH = 0.5
MAX_HAN_SHARE_EN = 0.05
#: "Not found" patterns are looked for in the first characters only: a real document never opens with them.
NOT_FOUND_WINDOW = 600
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_BRACKETED_TAIL = re.compile(r"[（(][^（()）]*[）)]\s*$")
_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_MASKED = re.compile(f"[{_HAN_CLASS}][*＊]+|[*＊]+[{_HAN_CLASS}]")
#: Runs of ``*`` next to a Han character from which a text counts as masked (a footnote star or two is not).
MASKED_MIN = 3
#: Markings that make a caveat: (text to find, caveat recorded).
CAVEATS: tuple[tuple[str, str], ...] = (
    ("此件有删减", "abridged (the text says 此件有删减, 'this document has been abridged')"),
)


class RejectedError(SourceError):
    """A text that is not plausibly the document (a "not found" page, navigation only, mojibake …)."""

    kind = "rejected"


def fold(text: str) -> str:
    """``text`` for matching: NFKC, lower case, without whitespace, punctuation and symbols."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


@functools.lru_cache(maxsize=1)
def not_found_patterns() -> tuple[str, ...]:
    """The folded "page not found" patterns of ``data/corpus/not_found_patterns.txt`` (``#`` starts a comment)."""
    try:
        lines = NOT_FOUND_PATH.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ()
    return tuple(f for f in (fold(line.split("#", 1)[0]) for line in lines) if f)


def _cell(row: pd.Series, column: str) -> str:
    value = row.get(column, "")
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def min_chars(row: pd.Series) -> int:
    """The manifest's ``min_chars`` for ``row``, else :data:`DEFAULT_MIN_CHARS`."""
    value = _cell(row, "min_chars")
    return int(value) if value.isdigit() else DEFAULT_MIN_CHARS


def identifiers(row: pd.Series) -> list[str]:
    """The strings one of which a text of ``row`` must contain (unfolded): title(s), short titles, document number."""
    title = (
        _cell(row, "title_en" if _cell(row, "language") == "en" else "title_zh")
        or _cell(row, "title_zh")
        or _cell(row, "title_en")
    )
    found = [title, _BRACKETED_TAIL.sub("", title)] if title else []
    found += [s.strip() for s in _cell(row, "short_titles").split("|") if s.strip()]
    if _cell(row, "doc_number"):
        found.append(_cell(row, "doc_number"))
    out: list[str] = []
    for item in found:
        if item and item not in out:
            out.append(item)
    return out


_LETTER = re.compile(r"[^\W\d_]")


def han_share(text: str) -> float:
    """Han characters among the letters and Han characters of ``text`` (0 when it has none)."""
    letters = len(_LETTER.findall(text))
    return len(_HAN.findall(text)) / letters if letters else 0.0


def rejection(text: str, row: pd.Series, chars: int | None = None) -> str | None:
    """Why ``text`` is not plausibly ``row``'s document, or ``None`` when it is accepted."""
    head = fold(text[:NOT_FOUND_WINDOW])
    for pattern in not_found_patterns():
        if pattern in head:
            return f"a 'page not found' page (it contains {pattern!r}, listed in data/corpus/not_found_patterns.txt)"
    masked = len(_MASKED.findall(text))
    if masked >= MASKED_MIN:
        return (
            f"{masked} places where characters are masked with '*' (a repost that hides words such as 政府 or 党); "
            "find a copy without masking"
        )
    n = chars if chars is not None else len("".join(text.split()))
    floor = min_chars(row)
    if n < floor:
        return (
            f"too short to be the document: {n} characters, fewer than min_chars {floor} (navigation or an error page?)"
        )
    share, language = han_share(text), _cell(row, "language")
    if language == "zh" and share < MIN_HAN_SHARE_ZH:
        return f"only {share:.0%} of its letters are Han characters, too few for a Chinese text (wrong encoding?)"
    if language == "en" and share > MAX_HAN_SHARE_EN:
        return f"{share:.0%} of its letters are Han characters, too many for an English text (wrong encoding?)"
    wanted = identifiers(row)
    compact = "".join(text.split())
    if wanted and not any("".join(w.split()) in compact for w in wanted):  # fast path: the identifier as written
        body = fold(text)
        if not any(fold(w) and fold(w) in body for w in wanted):
            return (
                "contains neither the title nor a short title nor the document number ("
                + " | ".join(wanted)
                + "); if the text is right, add the title as it appears in it to short_titles in data/corpus/manifest.csv"
            )
    return None


def caveats(text: str) -> list[str]:
    """The caveats of an accepted text (see the module): ``abridged`` …; ``[]`` for most texts."""
    compact = "".join(text.split())
    return [caveat for marking, caveat in CAVEATS if marking in compact]


def check_acceptance(text: str, row: pd.Series, where: str, chars: int | None = None) -> None:
    """Raise :class:`RejectedError` naming ``where`` when ``text`` is not plausibly ``row``'s document."""
    reason = rejection(text, row, chars)
    if reason:
        raise RejectedError(f"{where}: rejected, {reason}")
