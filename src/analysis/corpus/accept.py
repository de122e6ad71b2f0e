"""Is this text the document? The checks every acquired text passes before it is used.

A text read from the mirror, downloaded from a URL or imported is accepted only when, in this order:

1. it is not a known "page not found", search-results or index page: none of the patterns in
   ``data/corpus/not_found_patterns.txt`` (data, one per line) occurs in its first
   :data:`NOT_FOUND_WINDOW` characters;
2. no characters are masked: fewer than :data:`MASKED_MIN` runs of ``*`` (or ``＊``) touch a Han
   character. Some reposts replace words (政府, 党) with ``*`` to pass a site's filters; such a copy
   would undercount exactly the words the book counts;
3. it is long enough (:func:`length_floor`): at least the manifest's ``min_chars`` non-whitespace
   characters, else the floor of its genre (``data/corpus/length_floors.csv``: 40 % of the shortest real
   text of that kind of document in the shared mirror, each row says which), else
   :data:`DEFAULT_MIN_CHARS`; and, where the manifest gives ``chars_expected`` (a source states the
   length, or a copy was seen), at least :data:`PARTIAL_RATIO` of it: a shorter copy is partial;
4. its share of Han characters fits its language: at least :data:`MIN_HAN_SHARE_ZH` of the letters
   and Han characters of a ``zh`` text, at most :data:`MAX_HAN_SHARE_EN` of an ``en`` text;
5. its text layer is language, not garble, and it is prose, not a list of links or titles
   (:mod:`analysis.corpus.quality`: Han bigrams that are dictionary words, English function words,
   letters outside sentences);
6. it names its document at its head (:mod:`analysis.corpus.opening`): a line within its first
   :data:`~analysis.corpus.opening.HEAD_CHARS` non-whitespace characters begins with the title
   (``title_zh`` for ``zh``, ``title_en`` for ``en``; with or without a trailing document number in
   brackets), a ``short_titles`` entry (separated by ``|``) or the ``doc_number``, ignoring whitespace,
   punctuation and case;
7. where the manifest gives ``opening_sha256``, the fingerprint of its opening matches it
   (:mod:`analysis.corpus.opening`).

Which document a text belongs to when several could claim it (a text that is, or contains, another
document's verified text; two documents with one text) is :mod:`analysis.corpus.claims`.

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
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from analysis.corpus.errors import ManifestError, SourceError
from analysis.corpus.opening import HAN as _HAN
from analysis.corpus.opening import HEAD_CHARS, names_itself_at_head, opening_matches
from analysis.corpus.quality import garbled, link_list
from analysis.io import registry
from analysis.io.paths import CORPUS_DATA_DIR

NOT_FOUND_PATH = CORPUS_DATA_DIR / "not_found_patterns.txt"
LENGTH_FLOORS_PATH = CORPUS_DATA_DIR / "length_floors.csv"
#: Floor of non-whitespace characters when neither ``min_chars`` nor the genre gives one.
DEFAULT_MIN_CHARS = 300
#: A copy shorter than this share of the manifest's ``chars_expected`` is partial. Copies of one document
#: from different sites differ by a few per cent (a table of contents, a signature block, an issuing notice).
PARTIAL_RATIO = 0.8
MIN_HAN_SHARE_ZH = 0.5
MAX_HAN_SHARE_EN = 0.05
#: "Not found" patterns are looked for in the first characters only: a real document never opens with them.
NOT_FOUND_WINDOW = 600
_BRACKETED_TAIL = re.compile(r"[（(][^（()）]*[）)]\s*$")
_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_MASKED = re.compile(f"[{_HAN_CLASS}][*＊]+|[*＊]+[{_HAN_CLASS}]")
#: Runs of ``*`` next to a Han character from which a text counts as masked (a footnote star or two is not).
MASKED_MIN = 3
#: Markings that make a caveat: (text to find, caveat recorded).
CAVEATS: tuple[tuple[str, str], ...] = (
    ("此件有删减", "abridged (the text says 此件有删减, 'this document has been abridged')"),
)
_SNAPSHOT = re.compile(r"/web/\d+[a-z_]*/(?P<original>https?://.+)$", re.IGNORECASE)


class RejectedError(SourceError):
    """A text that is not plausibly the document (a "not found" page, navigation only, mojibake …)."""

    kind = "rejected"


_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """``text`` for matching: NFKC, lower case, without whitespace, punctuation and symbols (letters and numbers
    are kept: Python's ``\\w`` without the underscore)."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


@functools.lru_cache(maxsize=1)
def not_found_patterns() -> tuple[str, ...]:
    """The folded patterns of ``data/corpus/not_found_patterns.txt`` (``#`` starts a comment)."""
    return tuple(_patterns())


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, str]:
    """``{folded pattern: pattern as written}`` of ``data/corpus/not_found_patterns.txt``."""
    try:
        lines = NOT_FOUND_PATH.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    written = (line.split("#", 1)[0].strip() for line in lines)
    return {fold(w): w for w in written if fold(w)}


@dataclass(frozen=True)
class LengthFloor:
    """The floor of one group of genres (a row of ``data/corpus/length_floors.csv``)."""

    group: str
    genres: tuple[str, ...]
    floor: int
    basis: str


@functools.lru_cache(maxsize=1)
def length_floors() -> dict[str, LengthFloor]:
    """``{genre: LengthFloor}`` from ``data/corpus/length_floors.csv`` (no file: no genre floors). The table's
    schema (:mod:`analysis.io.registry`) makes every genre a manifest genre with one floor; a broken table raises
    :class:`~analysis.corpus.errors.ManifestError` naming its line."""
    if not LENGTH_FLOORS_PATH.is_file():
        return {}
    df = registry.read_registered("corpus/length_floors.csv", path=LENGTH_FLOORS_PATH, error=ManifestError)
    out: dict[str, LengthFloor] = {}
    for group, genres, floor, basis in df[["group", "genres", "floor", "basis"]].itertuples(index=False):
        entry = LengthFloor(group, tuple(g.strip() for g in genres.split("|")), int(floor), basis)
        out.update(dict.fromkeys(entry.genres, entry))
    return out


def _cell(row: pd.Series, column: str) -> str:
    value = row.get(column, "")
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def min_chars(row: pd.Series) -> int:
    """The manifest's ``min_chars`` for ``row``, else its genre's floor, else :data:`DEFAULT_MIN_CHARS`."""
    return length_floor(row)[0]


def length_floor(row: pd.Series) -> tuple[int, str]:
    """``(floor, where it comes from)``: ``min_chars``, else the genre's floor, else :data:`DEFAULT_MIN_CHARS`."""
    value = _cell(row, "min_chars")
    if value.isdigit():
        return int(value), f"min_chars {value}"
    genre = _cell(row, "genre")
    floor = length_floors().get(genre)
    if floor is not None:
        return (
            floor.floor,
            f"{floor.floor}, the floor of genre '{genre}' (data/corpus/length_floors.csv; min_chars overrides it)",
        )
    return DEFAULT_MIN_CHARS, f"min_chars {DEFAULT_MIN_CHARS} (the default)"


def chars_expected(row: pd.Series) -> int | None:
    """The manifest's ``chars_expected`` for ``row`` (``None`` when empty)."""
    value = _cell(row, "chars_expected")
    return int(value) if value.isdigit() else None


def identifiers(row: pd.Series) -> list[str]:
    """The strings one of which a text of ``row`` must begin a line with (unfolded): title(s), short titles, number."""
    title = (
        _cell(row, "title_en" if _cell(row, "language") == "en" else "title_zh")
        or _cell(row, "title_zh")
        or _cell(row, "title_en")
    )
    found = [title, _BRACKETED_TAIL.sub("", title)] if title else []
    found += [s.strip() for s in _cell(row, "short_titles").split("|") if s.strip()]
    found += [n.strip() for n in _cell(row, "doc_number").split(";") if n.strip()]
    out: list[str] = []
    for item in found:
        if item and item not in out:
            out.append(item)
    return out


_LETTER = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=256)
def han_share(text: str) -> float:
    """Han characters among the letters and Han characters of ``text`` (0 when it has none)."""
    letters = len(_LETTER.findall(text))
    return len(_HAN.findall(text)) / letters if letters else 0.0


def _length_problem(n: int, row: pd.Series) -> str | None:
    floor, basis = length_floor(row)
    if n < floor:
        return f"too short to be the document: {n} characters, fewer than {basis} (navigation, an error page or a fragment?)"
    expected = chars_expected(row)
    if expected and n < PARTIAL_RATIO * expected:
        return (
            f"a partial copy: {n} characters, {n / expected:.0%} of the {expected} of a full copy "
            f"(chars_expected; fewer than {PARTIAL_RATIO:.0%}); find a complete copy"
        )
    return None


@functools.lru_cache(maxsize=256)
def _masked(text: str) -> int:
    return len(_MASKED.findall(text))


def rejection(text: str, row: pd.Series, chars: int | None = None) -> str | None:
    """Why ``text`` is not plausibly ``row``'s document, or ``None`` when it is accepted."""
    head = fold(text[:NOT_FOUND_WINDOW])
    for pattern, written in _patterns().items():
        if pattern in head:
            return (
                f"a 'page not found' page, or a search-results or index page (it contains {written!r}, listed in "
                "data/corpus/not_found_patterns.txt)"
            )
    masked = _masked(text)
    if masked >= MASKED_MIN:
        return (
            f"{masked} places where characters are masked with '*' (a repost that hides words such as 政府 or 党); "
            "find a copy without masking"
        )
    problem = _length_problem(chars if chars is not None else len("".join(text.split())), row)
    if problem:
        return problem
    share, language = han_share(text), _cell(row, "language")
    if language == "zh" and share < MIN_HAN_SHARE_ZH:
        return f"only {share:.0%} of its letters are Han characters, too few for a Chinese text (wrong encoding?)"
    if language == "en" and share > MAX_HAN_SHARE_EN:
        return f"{share:.0%} of its letters are Han characters, too many for an English text (wrong encoding?)"
    problem = garbled(text, language) or link_list(text)
    if problem:
        return problem
    wanted = identifiers(row)
    if wanted and not names_itself_at_head(text, wanted):
        return (
            f"no line in its first {HEAD_CHARS} characters begins with the title, a short title or the document "
            f"number ({' | '.join(wanted)}): another page that only mentions it? If the text is right, add the "
            "title as it stands at its head to short_titles in data/corpus/manifest.csv"
        )
    expected_opening = _cell(row, "opening_sha256")
    if expected_opening and not opening_matches(text, wanted, language, expected_opening):
        return (
            "its opening does not match the document's (opening_sha256 in data/corpus/manifest.csv): "
            "another document or edition under the same title?"
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


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def snapshot_redirect(requested: str, final: str) -> str | None:
    """Why the answer to an archive snapshot URL is not a snapshot of the requested page's site, or ``None``.

    ``requested`` is ``<archive>/web/<time>[id_]/<original URL>``; the archive answers a snapshot of a
    page that redirected with a redirect to the snapshot of the target. A target on another host (a
    portal, a parked domain, another site) is not the document's page.
    """
    asked = _SNAPSHOT.search(requested)
    if asked is None or final == requested:
        return None
    got = _SNAPSHOT.search(final)
    if _host(final) != _host(requested) or got is None:
        return f"the archive snapshot of {asked['original']} redirected out of the archive, to {final}"
    if _host(got["original"]) != _host(asked["original"]):
        return (
            f"the archive snapshot of {asked['original']} redirected to a snapshot of another site "
            f"({got['original']}); that is not the document's page"
        )
    return None


def check_snapshot_redirect(where: str, requested: str, final: str) -> None:
    """Raise :class:`RejectedError` when an archive snapshot redirected to another host (see :func:`snapshot_redirect`)."""
    reason = snapshot_redirect(requested, final)
    if reason:
        raise RejectedError(f"{where}: rejected, {reason}; try another route or import a copy")
