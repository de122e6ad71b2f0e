"""From bytes to text: refuse binary and truncated input, detect the encoding, convert traditional script.

Encoding detection, in order (the first that decodes the bytes *strictly* wins):

1. a byte-order mark (UTF-8, UTF-16);
2. UTF-8 (every modern gov.cn page and every mirror file);
3. the declared charset (HTTP ``Content-Type`` or ``<meta charset>``), trusted only if the bytes
   decode with it; GB2312 and GBK are read as their superset GB18030;
4. charset-normalizer's best guess among the CJK and Unicode encodings (:data:`DETECTABLE`; GB family mapped to
   GB18030; it tells GBK from Big5, which a
   plain GB18030 attempt would turn into mojibake), then GB18030 itself.

Bytes that decode in none of these raise :class:`DecodingError`; a UTF-8 sequence cut at the very
end raises :class:`TruncatedDocumentError`.

Traditional → simplified conversion uses OpenCC's ``t2s`` configuration (phrases, then characters;
opencc-python-reimplemented). It is applied only when the text *is* traditional:
:func:`is_traditional` counts traditional-only and simplified-only characters with OpenCC's own
character tables (fast: the full converter is loaded only for traditional texts); simplified and
English text is left untouched.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.corpus.errors import BinaryContentError, DecodingError, EmptyDocumentError, TruncatedDocumentError

_TEXT_FIX = "save the document's text as UTF-8 (mirror: texts/<doc_id>.txt; or import it)"
#: Known binary formats: (first bytes, what it is, the fix). PDF and Word .docx files never get here: they are
#: read by :mod:`analysis.corpus.pdftext` and :mod:`analysis.corpus.docxtext` first.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "a PDF file that cannot be read", f"download it again, or {_TEXT_FIX}"),
    (
        b"PK\x03\x04",
        "a ZIP archive that is not a Word .docx file (a .zip, .xlsx, .pptx, .wps …)",
        f"open it and save the document as .docx or PDF, or {_TEXT_FIX}",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old binary Office file (OLE: .doc/.xls/.wps), which is not read",
        f"save it as .docx, or {_TEXT_FIX}",
    ),
    (b"\x89PNG", "a PNG image", f"run OCR on it and {_TEXT_FIX}"),
    (b"\xff\xd8\xff", "a JPEG image", f"run OCR on it and {_TEXT_FIX}"),
    (b"GIF8", "a GIF image", f"run OCR on it and {_TEXT_FIX}"),
    (b"\x1f\x8b", "a gzip archive", f"unpack it and use the document inside, or {_TEXT_FIX}"),
    (b"Rar!", "a RAR archive", f"unpack it and use the document inside, or {_TEXT_FIX}"),
)
#: Encodings accepted from charset-normalizer's guess (a declared charset may be any codec that decodes the bytes).
DETECTABLE = frozenset({"gb18030", "big5", "big5hkscs", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "ascii"})
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "euc_cn", "hz", "x-gbk", "gb_2312-80", "csgb2312"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Decoded:
    """A decoded text and how it was decoded."""

    text: str
    encoding: str  # codec name as used (e.g. "utf-8", "gb18030")
    method: str  # "bom", "utf-8", "declared", "detected"


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return "gb18030" if canonical in _GB_FAMILY or name.strip().lower() in _GB_FAMILY else canonical


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset an HTTP ``Content-Type`` header or an HTML ``<meta>`` tag declares (codec name), if any."""
    if content_type:
        m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", content_type, re.IGNORECASE)
        if m and _codec(m.group(1)):
            return _codec(m.group(1))
    m = _META_CHARSET.search(data[:4096])
    return _codec(m.group(1).decode("ascii")) if m else None


def check_binary(data: bytes, where: str) -> None:
    """Raise :class:`BinaryContentError` if ``data`` is a known binary format or contains NUL bytes."""
    for magic, what, fix in _MAGIC:
        if data.startswith(magic):
            raise BinaryContentError(f"{where}: the content is {what}, not text or HTML; {fix}")
    if b"\x00" in data[:65536] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BinaryContentError(
            f"{where}: the content contains NUL bytes, so it is binary, not text; replace it with a UTF-8 text copy"
        )


def decode_bytes(data: bytes, where: str, *, content_type: str | None = None) -> Decoded:
    """Decode ``data`` (read from ``where``, named in errors) following the module's rules."""
    if not data.strip():
        raise EmptyDocumentError(f"{where}: the content is empty (0 bytes or only whitespace); re-acquire the document")
    check_binary(data, where)
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc, "bom")
            except UnicodeDecodeError as exc:
                raise DecodingError(
                    f"{where}: starts with a {enc} byte-order mark but does not decode ({exc})"
                ) from exc
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    check_damaged_utf8(data, utf8_error, where)
    declared = declared_charset(data, content_type)
    if declared and declared != "utf-8":
        try:
            return Decoded(data.decode(declared), declared, "declared")
        except (UnicodeDecodeError, LookupError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = _codec(best.encoding) if best is not None else None
    if guess not in DETECTABLE:
        guess = None  # a single-byte guess (cp1252, latin-1 …) would "decode" any bytes into nonsense
    for candidate in (guess, "gb18030"):
        if candidate:
            try:
                return Decoded(data.decode(candidate), candidate, "detected")
            except (UnicodeDecodeError, LookupError):
                pass
    raise DecodingError(
        f"{where}: the bytes are not valid UTF-8 (first bad byte at offset {utf8_error.start}), nor GB18030/GBK"
        + (f", nor the declared {declared}" if declared else "")
        + "; save the text as UTF-8"
    )


def check_damaged_utf8(data: bytes, error: UnicodeDecodeError, where: str) -> None:
    """Refuse UTF-8 text that is cut or damaged, instead of letting another encoding "decode" it into mojibake.

    * Valid UTF-8 up to a multi-byte character cut at the very end: :class:`TruncatedDocumentError`.
    * Mostly valid UTF-8 (at least ten valid non-ASCII characters per invalid byte sequence; GBK or
      Big5 text has almost none): :class:`DecodingError` naming the offset of the first bad byte.
    """
    if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
        raise TruncatedDocumentError(
            f"{where}: the UTF-8 text ends inside a multi-byte character at byte {error.start} of {len(data)}, "
            "so the file is truncated; re-acquire it (`python -m analysis corpus fetch`) or restore the mirror copy"
        )
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for ch in lenient if ord(ch) > 127) - bad
    if bad and good >= 10 * bad:
        raise DecodingError(
            f"{where}: the text is UTF-8 but has {bad} invalid byte sequence(s), the first at offset {error.start}; "
            "the file is damaged: re-acquire it or restore the mirror copy"
        )


@functools.lru_cache(maxsize=2)
def _converter(config: str):  # type: ignore[no-untyped-def]
    from opencc import OpenCC

    return OpenCC(config)


@functools.lru_cache(maxsize=1)
def _script_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(traditional-only, simplified-only) characters, from OpenCC's own character tables.

    A character is traditional-only when OpenCC's ``TSCharacters`` table maps it to something else
    and ``STCharacters`` does not list it (and the other way round); characters in both tables are
    ambiguous and not counted.
    """
    import opencc

    folder = Path(opencc.__file__).parent / "dictionary"

    def changed(name: str) -> set[str]:
        keys = set()
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 2 and parts[0] not in parts[1].split():
                keys.add(parts[0])
        return keys

    ts, st = changed("TSCharacters.txt"), changed("STCharacters.txt")
    return frozenset(ts - st), frozenset(st - ts)


def script_counts(text: str) -> tuple[int, int, int]:
    """``(han, traditional_only, simplified_only)`` character counts of ``text``."""
    trad, simp = _script_sets()
    han = _HAN.findall(text)
    return len(han), sum(1 for ch in han if ch in trad), sum(1 for ch in han if ch in simp)


def is_traditional(text: str) -> bool:
    """True when ``text`` is written in traditional characters.

    Counts the characters that only traditional script uses and those that only simplified script
    uses (per OpenCC's character tables, see :func:`_script_sets`): traditional text has many of the
    first and almost none of the second. At least 3 traditional-only characters, and at least 1 % of
    the Han characters, are required, so a simplified text quoting a traditional name stays as it is.
    """
    han, trad, simp = script_counts(text)
    return trad > simp and trad >= max(3, han // 100)


def to_simplified(text: str) -> tuple[str, bool]:
    """``(text, False)`` for simplified or non-Chinese text; ``(t2s(text), True)`` for traditional text."""
    if not is_traditional(text):
        return text, False
    return _converter("t2s").convert(text), True
