"""Read CNKI export files and turn their records into yearly counts (the data behind the article's Figure 1).

The article's Figure 1 counts Chinese journal articles in CNKI (中国知网, China National Knowledge
Infrastructure) whose title contains both 人工智能 (*réngōng zhìnéng*, artificial intelligence) and
安全 (*ānquán*, security/safety), 2001–2020. Its yearly values are not published and CNKI cannot be
reached from the machines that build this book, so the book cannot draw it. This module is what a
reader with CNKI access needs to draw it: export the search results from CNKI in one of the formats
below, call :func:`parse_files` on the exported files and :func:`yearly_counts` on the result, and
pass the counts (and :meth:`CnkiExport.caption_note`) to
:func:`analysis.present.plotting.audiences.cnki_yearly_figure`.

Formats read (CNKI's export dialog offers them under these names):

``cnki_fields``
    CNKI's own field-per-line format ("自定义" / 知网研学 / E-Study): ``SrcDatabase-来源库: 期刊``,
    ``Title-题名: …``, ``Year-年: 2019`` …, one field per line. Records are separated by blank lines
    or, in E-Study exports, simply begin again with ``DataType:``. Fields are matched on their English
    part (``Title``), so traditional-character labels (``Title-題名``) read too.
``refworks``
    RefWorks tagged format: ``RT Journal Article``, ``T1 …``, ``YR 2019`` …; each record starts with ``RT``.
``endnote``
    EndNote / Refer tagged format: ``%0 Journal Article``, ``%T …``, ``%D 2019`` …; each record starts
    with ``%0``.
``noteexpress``
    NoteExpress format: ``{Reference Type}: Journal Article``, ``{Title}: …``, ``{Year}: 2019`` (or
    ``{Date}: 2019-01-09``) …; each record starts with ``{Reference Type}``.

Real exports are untidy, and the parser reads every record it can:

* a line that is not a field continues the previous field's value (RefWorks and EndNote abstracts
  wrap onto the next line);
* records without a year (online-first articles, yearbook entries) are read, with ``year=None``;
  they cannot be placed on a yearly figure, so each is reported as *skipped* with its file, line
  and reason;
* a record without a title, or text outside any record, is skipped and reported the same way;
* CRLF line endings, ``;``/``;;`` separators, English records and mixed document types are read.

Only a file that is not an export at all (empty, or its first line is no record marker of the four
formats) raises :class:`CnkiFormatError`, whose message names the file and the line and says how
to fix it. Files are decoded by the corpus's one decoder (:func:`analysis.corpus.decode.decode_bytes`):
UTF-8 (with or without byte-order mark), else the CJK encoding it detects: GB18030, the encoding of
CNKI's older "ANSI" exports, or Big5, the encoding of CNKI's traditional-character site (which a plain
GB18030 attempt would turn into mojibake). The encoding used is recorded per file.
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

_CNKI_FIELD = re.compile(r"^(?P<key>[A-Za-z][A-Za-z/]*)(?P<label>-[^:：\s]+)?\s*[:：]\s?(?P<value>.*)$")
# RefWorks tags CNKI writes (and the common others): a line starting with any other two letters is a continuation.
_REFWORKS_TAGS = frozenset(
    "RT SR ID A1 A2 A3 A4 A5 A6 T1 T2 T3 JF JO YR FD VO IS SP OP K1 AB NO ED PB PP SN AV AD AN LA CL SF OT LK DO "
    "CN DB DS IP RD ST UL WT WV U1 U2 U3 U4 U5 ER".split()
)
_REFWORKS_FIELD = re.compile(r"^(?P<key>[A-Z][A-Z0-9]|vo)(?:\s(?P<value>.*))?$")  # CNKI writes the volume tag as "vo"
_ENDNOTE_FIELD = re.compile(r"^(?P<key>%[0-9A-Za-z@+#$&!~^()*><=?\[\]\\|])(?:\s(?P<value>.*))?$")
_NOTEEXPRESS_FIELD = re.compile(r"^\{(?P<key>[^{}]+)\}\s*[:：]\s?(?P<value>.*)$")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")

# Per format: the field(s) that start a record, the title field(s), the year field(s) in order of
# preference, the document-type field and the source (journal) field(s). CNKI fields by English part.
_SPEC: dict[str, dict[str, tuple[str, ...]]] = {
    "cnki_fields": {
        "start": ("SrcDatabase", "DataType"),
        "title": ("Title",),
        "year": ("Year", "PubTime"),
        "type": ("SrcDatabase",),
        "source": ("Source",),
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


class CnkiFormatError(ValueError):
    """A file is not a CNKI export (or cannot be read); the message names the file and the line."""

    def __init__(self, filename: str, line: int | None, message: str) -> None:
        self.filename = filename
        self.line = line
        where = f"{filename}, line {line}" if line is not None else filename
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class CnkiRecord:
    """One bibliographic record of a CNKI export.

    ``doc_type`` is the export's own value (``期刊``, ``Journal Article`` …); ``year`` is ``None`` when
    the record has none; ``fields`` keeps every field as (key, value) pairs in file order; ``file`` and
    ``line`` say where the record begins.
    """

    title: str
    year: int | None
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


@dataclass(frozen=True)
class Skipped:
    """Something the parser could not use: a record (or stray text) at ``file``, ``line``, and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.reason}"


@dataclass(frozen=True)
class CnkiExport:
    """What one or more export files gave: the records read, what was skipped, the encoding per file."""

    records: tuple[CnkiRecord, ...]
    skipped: tuple[Skipped, ...] = ()
    encodings: tuple[tuple[str, str], ...] = ()

    def __iter__(self):  # iterating an export iterates its records
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index: int) -> CnkiRecord:
        return self.records[index]

    @property
    def dated(self) -> tuple[CnkiRecord, ...]:
        """The records that carry a year."""
        return tuple(r for r in self.records if r.year is not None)

    def __add__(self, other: CnkiExport) -> CnkiExport:
        return CnkiExport(self.records + other.records, self.skipped + other.skipped, self.encodings + other.encodings)

    def skipped_frame(self) -> pd.DataFrame:
        """One row per skip: file, line, reason."""
        return pd.DataFrame([(s.file, s.line, s.reason) for s in self.skipped], columns=["file", "line", "reason"])

    def caption_note(self) -> str:
        """One sentence for a figure caption: records read, files, and how many were skipped."""
        files = len({r.file for r in self.records} | {s.file for s in self.skipped} | {f for f, _ in self.encodings})
        note = f"{len(self.records)} records read from {files} export file(s)"
        if self.skipped:
            return note + f"; {len(self.skipped)} skipped (no year, no title or unreadable; listed with file and line)"
        return note + "; none skipped"


def _field_pattern(fmt: str) -> re.Pattern[str]:
    return {
        "cnki_fields": _CNKI_FIELD,
        "refworks": _REFWORKS_FIELD,
        "endnote": _ENDNOTE_FIELD,
        "noteexpress": _NOTEEXPRESS_FIELD,
    }[fmt]


def _match_field(fmt: str, line: str) -> tuple[str, str, str] | None:
    """``(key, raw_key, value)`` when ``line`` is a field of ``fmt``; ``key`` is what :data:`_SPEC` names."""
    match = _field_pattern(fmt).match(line)
    if match is None:
        return None
    key = match.group("key")
    value = (match.group("value") or "").strip()
    if fmt == "noteexpress":
        key = "{" + key.strip() + "}"
        return key, key, value
    if fmt == "refworks":
        key = key.upper()
        return (key, key, value) if key in _REFWORKS_TAGS else None
    if fmt == "cnki_fields":
        return key, key + (match.group("label") or ""), value
    return key, key, value


def detect_format(text: str, *, filename: str = "<string>") -> str:
    """Name of the export format of ``text`` (one of :data:`FORMATS`), from its first non-blank line."""
    for lineno, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("{Reference Type}"):
            return "noteexpress"
        if line.startswith("%0"):
            return "endnote"
        if re.match(r"^RT(\s|$)", line):
            return "refworks"
        m = _CNKI_FIELD.match(line)
        if m and m.group("key") in _SPEC["cnki_fields"]["start"] + _SPEC["cnki_fields"]["title"]:
            return "cnki_fields"
        raise CnkiFormatError(
            filename,
            lineno,
            "not a CNKI export: the first record should begin with 'SrcDatabase-来源库:' or 'DataType:' "
            "(CNKI fields / E-Study), 'RT ' (RefWorks), '%0 ' (EndNote) or '{Reference Type}:' (NoteExpress); "
            f"found {line[:60]!r}. Re-export from CNKI in one of these formats.",
        )
    raise CnkiFormatError(filename, None, "the file is empty: it holds no CNKI records. Re-export it from CNKI.")


def _first(fields: dict[str, list[tuple[int, str]]], keys: Sequence[str]) -> tuple[int, str] | None:
    for key in keys:
        for lineno, value in fields.get(key, []):
            if value.strip():
                return lineno, value.strip()
    return None


def _make_record(fmt: str, pairs: list[list], *, filename: str, start: int) -> tuple[CnkiRecord | None, Skipped | None]:
    """A record from its fields, or ``None`` with the reason; a record without a year comes with a skip too."""
    spec = _SPEC[fmt]
    fields: dict[str, list[tuple[int, str]]] = {}
    for lineno, key, _raw, value in pairs:
        fields.setdefault(key, []).append((lineno, value))
    title = _first(fields, spec["title"])
    if title is None:
        return None, Skipped(filename, start, f"record without a title ({' / '.join(spec['title'])}): not read")
    year: int | None = None
    skip: Skipped | None = None
    year_field = _first(fields, spec["year"])
    if year_field is None:
        skip = Skipped(
            filename, start, f"record without a year ({' / '.join(spec['year'])}): read, but not placed on a year"
        )
    else:
        year_match = _YEAR.search(year_field[1])
        if year_match is None:
            skip = Skipped(
                filename, year_field[0], f"{year_field[1]!r} is not a year: record read, but not placed on a year"
            )
        else:
            year = int(year_match.group(1))
    doc_type = _first(fields, spec["type"])
    source = _first(fields, spec["source"])
    record = CnkiRecord(
        title=title[1],
        year=year,
        doc_type=doc_type[1] if doc_type else "",
        source=source[1] if source else "",
        fmt=fmt,
        file=filename,
        line=start,
        fields=tuple((raw, value) for _, _key, raw, value in pairs),
    )
    return record, skip


def parse_text(text: str, *, filename: str = "<string>", fmt: str | None = None, encoding: str = "utf-8") -> CnkiExport:
    """Parse the text of one CNKI export into records (in file order) and the list of what was skipped.

    ``fmt`` forces a format; by default it is detected from the first non-blank line. Raises
    :class:`CnkiFormatError` only when the text is not an export (empty, or no record marker first).
    """
    text = text.lstrip("\ufeff")
    if fmt is None:
        fmt = detect_format(text, filename=filename)
    if fmt not in FORMATS:
        raise ValueError(f"unknown CNKI export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    starts = _SPEC[fmt]["start"]
    titles = _SPEC[fmt]["title"]
    records: list[CnkiRecord] = []
    skipped: list[Skipped] = []
    pairs: list[list] = []
    start = 0
    after_blank = True

    def close() -> None:
        nonlocal pairs
        if pairs:
            record, skip = _make_record(fmt, pairs, filename=filename, start=start)
            if record is not None:
                records.append(record)
            if skip is not None:
                skipped.append(skip)
            pairs = []

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            close()
            after_blank = True
            continue
        matched = _match_field(fmt, line)
        if matched is None:
            if pairs:  # a wrapped value: it continues the previous field
                pairs[-1][3] = (pairs[-1][3] + " " + line).strip()
            else:
                skipped.append(Skipped(filename, lineno, f"text outside any record ({line[:40]!r}): not read"))
            continue
        key, raw_key, value = matched
        if fmt == "refworks" and key == "ER":  # an explicit end-of-record tag
            close()
            continue
        seen = {k for _, k, _, _ in pairs}
        split = bool(pairs) and key in seen and (key in starts or key in titles)
        if split:
            close()  # a record marker (or a second title) without a blank line before it: a new record
        if not pairs:
            start = lineno
            if key not in starts and not after_blank and not split:
                skipped.append(Skipped(filename, lineno, f"field {raw_key!r} outside any record: not read"))
                continue
        pairs.append([lineno, key, raw_key, value])
        after_blank = False
    close()
    if not records and not skipped:
        raise CnkiFormatError(filename, None, "the file holds no CNKI records. Re-export it from CNKI.")
    return CnkiExport(tuple(records), tuple(skipped), ((filename, encoding),))


def decode_export(data: bytes, *, filename: str = "<bytes>") -> tuple[str, str]:
    """``(text, encoding)`` of an export's bytes, by the corpus's one decoder
    (:func:`analysis.corpus.decode.decode_bytes`: a byte-order mark, UTF-8, then the CJK encodings it tells
    apart, GBK from Big5). Raises :class:`CnkiFormatError` naming the file when none fits."""
    from analysis.corpus.decode import decode_bytes
    from analysis.corpus.errors import CorpusError

    try:
        decoded = decode_bytes(data, filename)
    except CorpusError as exc:
        raise CnkiFormatError(filename, None, f"{exc}; re-export the file from CNKI as UTF-8") from None
    encoding = "utf-8" if decoded.encoding in ("utf-8", "utf-8-sig") else decoded.encoding
    return decoded.text.lstrip("\ufeff"), encoding


def parse_file(path: str | os.PathLike[str], *, fmt: str | None = None) -> CnkiExport:
    """Parse one CNKI export file; skips and errors name the file (by its base name) and the line."""
    path = Path(path)
    if not path.is_file():
        raise CnkiFormatError(str(path), None, "file not found")
    text, encoding = decode_export(path.read_bytes(), filename=path.name)
    return parse_text(text, filename=path.name, fmt=fmt, encoding=encoding)


def parse_files(paths: Iterable[str | os.PathLike[str]]) -> CnkiExport:
    """Parse several export files (CNKI exports at most a few hundred records per file), in the order given."""
    result = CnkiExport(())
    for path in paths:
        result = result + parse_file(path)
    return result


def normalize_title(title: str) -> str:
    """A title reduced for duplicate detection: no whitespace or punctuation, lower case."""
    return re.sub(r"[\W_]+", "", title).lower()


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

    Records without a year are left out (a :class:`CnkiExport` lists them in ``skipped``). Records are kept when
    (a) ``journal_only`` is false or the export marks them as journal articles,
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
        if record.year is None or not first <= record.year <= last:
            continue
        if dedupe:
            key = (normalize_title(record.title), record.year, normalize_title(record.source))
            if key in seen:
                continue
            seen.add(key)
        counts[record.year] += 1
    return pd.DataFrame({"year": list(counts), "count": list(counts.values())}, dtype="int64")
