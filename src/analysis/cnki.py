"""Read CNKI export files and turn their records into yearly counts (the data behind the article's Figure 1).

The article's Figure 1 counts Chinese journal articles in CNKI (中国知网, China National Knowledge
Infrastructure) whose title contains both 人工智能 (*réngōng zhìnéng*, artificial intelligence) and
安全 (*ānquán*, security/safety), 2001–2020. Its yearly values are not published and CNKI cannot be
reached from the machines that build this book, so the book cannot draw it. This module is what a
reader with CNKI access needs to draw it: export the search results from CNKI in one of the formats
below, call :func:`parse_files` on the exported files and :func:`yearly_counts` on the records, and
pass the counts to :func:`analysis.plotting.audiences.cnki_yearly_figure`.

Formats read (CNKI's export dialog offers them under these names):

``cnki_fields``
    CNKI's own field-per-line format ("自定义" / 知网研学 / E-Study): ``SrcDatabase-来源库: 期刊``,
    ``Title-题名: …``, ``Year-年: 2019`` …, one field per line, records separated by blank lines.
``refworks``
    RefWorks tagged format: ``RT Journal Article``, ``T1 …``, ``YR 2019`` …; each record starts with ``RT``.
``endnote``
    EndNote / Refer tagged format: ``%0 Journal Article``, ``%T …``, ``%D 2019`` …; each record starts
    with ``%0``.
``noteexpress``
    NoteExpress format: ``{Reference Type}: Journal Article``, ``{Title}: …``, ``{Year}: 2019`` …; each
    record starts with ``{Reference Type}``.

The parsers are strict: a line that is not a field of the detected format, a record without a title
or a year, a field given twice, or a file without records raises :class:`CnkiFormatError`, whose
message names the file and the line number. Files are read as UTF-8 (with or without byte-order
mark) and, failing that, as GB18030, the encoding of CNKI's older "ANSI" exports.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

FORMATS: tuple[str, ...] = ("cnki_fields", "refworks", "endnote", "noteexpress")

#: Figure 1's query terms as this book reads them: both must occur in the title.
FIGURE1_TERMS: tuple[str, ...] = ("人工智能", "安全")
#: Figure 1's year range (inclusive), as stated in the article's caption.
FIGURE1_YEARS: tuple[int, int] = (2001, 2020)

#: Document-type values (lower-cased) that mean "journal article" in the four formats.
JOURNAL_TYPES: frozenset[str] = frozenset({"期刊", "journal article", "journal", "jour", "学术期刊", "特色期刊"})

_CNKI_FIELD = re.compile(r"^(?P<key>[A-Za-z][A-Za-z/]*(?:-[^:：\s]+)?)\s*[:：]\s?(?P<value>.*)$")
_REFWORKS_FIELD = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9])(?:\s(?P<value>.*))?$")
_ENDNOTE_FIELD = re.compile(r"^(?P<key>%[0-9A-Za-z@+#$&!~^()*><=?\[\]\\|])(?:\s(?P<value>.*))?$")
_NOTEEXPRESS_FIELD = re.compile(r"^\{(?P<key>[^{}]+)\}\s*[:：]\s?(?P<value>.*)$")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")

# Per format: the field that starts a record, the title field(s), the year field(s) in order of
# preference, the document-type field and the source (journal) field(s).
_SPEC: dict[str, dict[str, tuple[str, ...]]] = {
    "cnki_fields": {
        "start": ("SrcDatabase-来源库", "DataType"),
        "title": ("Title-题名",),
        "year": ("Year-年", "PubTime-发表时间", "PubTime-出版时间"),
        "type": ("SrcDatabase-来源库",),
        "source": ("Source-文献来源", "Source-刊名"),
    },
    "refworks": {"start": ("RT",), "title": ("T1",), "year": ("YR", "FD"), "type": ("RT",), "source": ("JF", "JO")},
    "endnote": {"start": ("%0",), "title": ("%T",), "year": ("%D",), "type": ("%0",), "source": ("%J", "%B")},
    "noteexpress": {
        "start": ("{Reference Type}",),
        "title": ("{Title}",),
        "year": ("{Year}", "{Date}"),
        "type": ("{Reference Type}",),
        "source": ("{Journal}", "{Secondary Title}"),
    },
}
# Fields that may legitimately repeat within one record (authors, keywords, notes).
_REPEATABLE = frozenset({"Author-作者", "Keyword-关键词", "A1", "A2", "K1", "%A", "%K", "%+", "{Author}", "{Keywords}", "NO", "%Z"})


class CnkiFormatError(ValueError):
    """A CNKI export file is malformed; the message names the file and the line."""

    def __init__(self, filename: str, line: int | None, message: str) -> None:
        self.filename = filename
        self.line = line
        where = f"{filename}, line {line}" if line is not None else filename
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class CnkiRecord:
    """One bibliographic record of a CNKI export.

    ``doc_type`` is the export's own value (``期刊``, ``Journal Article`` …); ``fields`` keeps every
    field as (key, value) pairs in file order; ``file`` and ``line`` say where the record begins.
    """

    title: str
    year: int
    doc_type: str
    source: str
    fmt: str
    file: str
    line: int
    fields: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def is_journal_article(self) -> bool:
        """True when the export marks the record as a journal article (期刊 / Journal Article)."""
        return self.doc_type.strip().lower() in JOURNAL_TYPES


def _field_pattern(fmt: str) -> re.Pattern[str]:
    return {
        "cnki_fields": _CNKI_FIELD,
        "refworks": _REFWORKS_FIELD,
        "endnote": _ENDNOTE_FIELD,
        "noteexpress": _NOTEEXPRESS_FIELD,
    }[fmt]


def _key(fmt: str, match: re.Match[str]) -> str:
    key = match.group("key")
    if fmt == "noteexpress":
        return "{" + key.strip() + "}"
    if fmt == "refworks":
        return key.upper()
    if fmt == "cnki_fields":
        return key.strip()
    return key


def detect_format(text: str, *, filename: str = "<string>") -> str:
    """Name of the export format of ``text`` (one of :data:`FORMATS`), from its first non-blank line."""
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("{Reference Type}"):
            return "noteexpress"
        if line.startswith("%0"):
            return "endnote"
        if re.match(r"^RT(\s|$)", line):
            return "refworks"
        if _CNKI_FIELD.match(line):
            return "cnki_fields"
        raise CnkiFormatError(
            filename,
            lineno,
            "unrecognised CNKI export format: the first record should begin with 'SrcDatabase-来源库:' "
            "(CNKI fields), 'RT ' (RefWorks), '%0 ' (EndNote) or '{Reference Type}:' (NoteExpress); "
            f"found {line[:60]!r}. Re-export from CNKI in one of these formats.",
        )
    raise CnkiFormatError(filename, None, "the file is empty: it holds no CNKI records")


def _first(fields: dict[str, list[tuple[int, str]]], keys: Sequence[str]) -> tuple[int, str] | None:
    for key in keys:
        for lineno, value in fields.get(key, []):
            if value.strip():
                return lineno, value.strip()
    return None


def _make_record(
    fmt: str, pairs: list[tuple[int, str, str]], *, filename: str, start: int
) -> CnkiRecord:
    spec = _SPEC[fmt]
    fields: dict[str, list[tuple[int, str]]] = {}
    for lineno, key, value in pairs:
        if key in fields and key not in _REPEATABLE:
            raise CnkiFormatError(
                filename, lineno, f"field {key!r} appears twice in the record that begins on line {start}; "
                "a blank line (or a new record marker) is probably missing between two records"
            )
        fields.setdefault(key, []).append((lineno, value))
    title = _first(fields, spec["title"])
    if title is None:
        raise CnkiFormatError(filename, start, f"the record that begins here has no title ({' / '.join(spec['title'])})")
    year_field = _first(fields, spec["year"])
    if year_field is None:
        raise CnkiFormatError(filename, start, f"the record that begins here has no year ({' / '.join(spec['year'])})")
    year_match = _YEAR.search(year_field[1])
    if year_match is None:
        raise CnkiFormatError(filename, year_field[0], f"{year_field[1]!r} is not a year (expected four digits such as 2019)")
    doc_type = _first(fields, spec["type"])
    source = _first(fields, spec["source"])
    return CnkiRecord(
        title=title[1],
        year=int(year_match.group(1)),
        doc_type=doc_type[1] if doc_type else "",
        source=source[1] if source else "",
        fmt=fmt,
        file=filename,
        line=start,
        fields=tuple((key, value) for _, key, value in pairs),
    )


def parse_text(text: str, *, filename: str = "<string>", fmt: str | None = None) -> list[CnkiRecord]:
    """Parse the text of one CNKI export into records (in file order).

    ``fmt`` forces a format; by default it is detected from the first non-blank line. Raises
    :class:`CnkiFormatError` (with ``filename`` and the line number) on malformed input.
    """
    if fmt is None:
        fmt = detect_format(text, filename=filename)
    if fmt not in FORMATS:
        raise ValueError(f"unknown CNKI export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    pattern = _field_pattern(fmt)
    starts = _SPEC[fmt]["start"]
    records: list[CnkiRecord] = []
    pairs: list[tuple[int, str, str]] = []
    start = 0

    def close() -> None:
        nonlocal pairs
        if pairs:
            records.append(_make_record(fmt, pairs, filename=filename, start=start))
            pairs = []

    for lineno, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            close()
            continue
        match = pattern.match(line.strip())
        if match is None:
            raise CnkiFormatError(
                filename, lineno, f"not a field of the {fmt} format: {line.strip()[:60]!r} "
                "(every line of a record must be one field; a value may not continue on the next line)"
            )
        key, value = _key(fmt, match), (match.group("value") or "").strip()
        if fmt == "refworks" and key == "ER":  # an explicit end-of-record tag
            close()
            continue
        if key in starts and any(k == key for _, k, _ in pairs):
            close()  # the same record marker again without a blank line before it: a new record
        if not pairs:
            if key not in starts:
                raise CnkiFormatError(
                    filename, lineno, f"a record must begin with {' or '.join(repr(s) for s in starts)}, "
                    f"not {key!r}"
                )
            start = lineno
        pairs.append((lineno, key, value))
    close()
    if not records:
        raise CnkiFormatError(filename, None, "the file holds no CNKI records")
    return records


def read_export(path: str | os.PathLike[str]) -> str:
    """The text of a CNKI export file: UTF-8 (with or without BOM), else GB18030."""
    path = Path(path)
    if not path.is_file():
        raise CnkiFormatError(str(path), None, "file not found")
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CnkiFormatError(path.name, None, "neither UTF-8 nor GB18030; re-export the file from CNKI as UTF-8")


def parse_file(path: str | os.PathLike[str], *, fmt: str | None = None) -> list[CnkiRecord]:
    """Parse one CNKI export file; errors name the file (by its base name) and the line."""
    path = Path(path)
    return parse_text(read_export(path), filename=path.name, fmt=fmt)


def parse_files(paths: Iterable[str | os.PathLike[str]]) -> list[CnkiRecord]:
    """Parse several export files (CNKI exports at most a few hundred records per file), in the order given."""
    records: list[CnkiRecord] = []
    for path in paths:
        records.extend(parse_file(path))
    return records


def normalize_title(title: str) -> str:
    """A title reduced for duplicate detection: no whitespace or punctuation, lower case."""
    return re.sub(r"[\W_]+", "", title).lower()


def records_frame(records: Iterable[CnkiRecord]) -> pd.DataFrame:
    """One row per record: title, year, doc_type, is_journal_article, source, fmt, file, line."""
    rows = [
        {
            "title": r.title,
            "year": r.year,
            "doc_type": r.doc_type,
            "is_journal_article": r.is_journal_article,
            "source": r.source,
            "fmt": r.fmt,
            "file": r.file,
            "line": r.line,
        }
        for r in records
    ]
    columns = ["title", "year", "doc_type", "is_journal_article", "source", "fmt", "file", "line"]
    return pd.DataFrame(rows, columns=columns)


def title_has_terms(title: str, terms: Sequence[str]) -> bool:
    """True when every term occurs in ``title`` as a substring (the way CNKI's 篇名 field search matches)."""
    return all(term in title for term in terms)


def yearly_counts(
    records: Iterable[CnkiRecord],
    *,
    terms: Sequence[str] | None = FIGURE1_TERMS,
    years: tuple[int, int] = FIGURE1_YEARS,
    journal_only: bool = True,
    dedupe: bool = True,
) -> pd.DataFrame:
    """Number of records per year, with every year of ``years`` present (zero when none).

    Records are kept when (a) ``journal_only`` is false or the export marks them as journal articles,
    (b) ``terms`` is ``None`` or every term occurs in the title, and (c) their year lies in ``years``
    (inclusive). With ``dedupe`` a record whose normalised title, year and source equal an earlier
    one's is counted once (overlapping export pages). Returns columns ``year`` and ``count``.
    """
    first, last = years
    if first > last:
        raise ValueError(f"years must be (first, last) with first <= last, not {years}")
    seen: set[tuple[str, int, str]] = set()
    counts = dict.fromkeys(range(first, last + 1), 0)
    for record in records:
        if journal_only and not record.is_journal_article:
            continue
        if terms is not None and not title_has_terms(record.title, terms):
            continue
        if not first <= record.year <= last:
            continue
        if dedupe:
            key = (normalize_title(record.title), record.year, normalize_title(record.source))
            if key in seen:
                continue
            seen.add(key)
        counts[record.year] += 1
    return pd.DataFrame({"year": list(counts), "count": list(counts.values())}, dtype="int64")
