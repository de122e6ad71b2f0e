"""Partial dates: ISO dates that may lack the day or the month, and the manifest's approximate dates.

One module for every reader of a date in the book's tables:

* :func:`is_partial_date` checks the form ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and that the date
  exists (the manifest's ``date`` column);
* :func:`parse_partial_date` gives the first day of the period such a date names, optionally checking
  it against a stated precision (the fact tables' ``date_precision`` columns);
* :func:`decimal_year` and :func:`date_position` place a partial date on a time axis;
* :func:`date_window` reads the manifest's free ``date_issued`` text (``2018 (day not seen)``,
  ``2019-02/03``, ``2018 (repost dated 2018-04-03)``, ``2017 (after 2017-07-20: …)``) as a window of possible issue dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

#: Precision name → the form a date of that precision must have (full match).
PRECISIONS: dict[str, str] = {
    "day": r"\d{4}-\d{2}-\d{2}",
    "month": r"\d{4}-\d{2}",
    "year": r"\d{4}",
    "decade": r"\d{4}",
    "century": r"\d{4}",
}
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class DateError(ValueError):
    """A date is not ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, does not exist, or does not fit its precision."""


def parse_partial_date(value: str, precision: str | None = None) -> dt.date:
    """The first day of the period an ISO date names: ``1700`` → 1700-01-01, ``2016-10`` → 2016-10-01.

    With ``precision`` (``day``, ``month``, ``year``, ``decade``, ``century``) the string must have the
    matching form (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``); a mismatch or an impossible date raises
    :class:`DateError`.
    """
    text = str(value).strip()
    match = _ISO.match(text)
    if not match:
        raise DateError(f"date {value!r} is not ISO YYYY, YYYY-MM or YYYY-MM-DD")
    if precision is not None:
        if precision not in PRECISIONS:
            raise DateError(f"date precision {precision!r} is not one of {', '.join(PRECISIONS)}")
        if not re.fullmatch(PRECISIONS[precision], text):
            raise DateError(
                f"date {value!r} does not have the form of precision {precision!r} ({PRECISIONS[precision]})"
            )
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"date {value!r} is not a valid date: {exc}") from exc


def is_partial_date(value: str) -> bool:
    """True when ``value`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and names a date that exists."""
    try:
        parse_partial_date(value)
    except DateError:
        return False
    return True


def decimal_year(value: str, precision: str | None = None) -> float:
    """:func:`parse_partial_date` as a fractional year (2017-07-20 → 2017.55), for plotting."""
    d = parse_partial_date(value, precision)
    start = dt.date(d.year, 1, 1)
    length = (dt.date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / length


_LEADING_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_position(value: str) -> pd.Timestamp:
    """A plotting position for an ISO date that may lack the day or month.

    ``YYYY-MM-DD`` is used as is; ``YYYY-MM`` is placed on the 15th; ``YYYY`` on 1 July.
    Raises ``ValueError`` for anything else.
    """
    m = _LEADING_DATE.match(str(value).strip())
    if not m:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is None:
        return pd.Timestamp(int(year), 7, 1)
    return pd.Timestamp(int(year), int(month), int(day) if day else 15)


# ---------------------------------------------------------------------------------------------
# Approximate dates of the manifest's date_issued text
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateWindow:
    """The possible issue dates of a document whose date is known only approximately.

    ``precision`` is ``day``, ``month``, ``months`` (e.g. 2019-02/03), ``year``, ``years``
    (e.g. 2018-2019) or ``none``; ``caveats`` lists what the manifest says about the date
    (``not verified``, ``draft``, ``bounded by a later report``, ``day not seen``).
    """

    earliest: dt.date | None
    latest: dt.date | None
    precision: str
    caveats: tuple[str, ...] = ()


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MAIN = re.compile(
    r"^\s*(?:(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"|(?P<ym_y>\d{4})-(?P<ym_m1>\d{2})/(?P<ym_m2>\d{2})"
    r"|(?P<m_y>\d{4})-(?P<m_m>\d{2})"
    r"|(?P<yy1>\d{4})-(?P<yy2>\d{4})"
    r"|(?P<year>\d{4}))(?![\d/-])"
)
# Phrases in the manifest's date text that give an upper bound: the document existed by then.
_BOUND = re.compile(r"(?:repost dated|reported|posted|news date)\s+(\d{4}-\d{2}-\d{2})")
# The phrase that gives a lower bound: the document came after a dated event (the plan it implements).
_AFTER = re.compile(r"\bafter\s+(\d{4}-\d{2}-\d{2})")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _main_window(m: re.Match[str]) -> tuple[dt.date, dt.date, str]:
    if m.group("y"):
        day = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        return day, day, "day"
    if m.group("ym_y"):
        year = int(m.group("ym_y"))
        return dt.date(year, int(m.group("ym_m1")), 1), _month_end(year, int(m.group("ym_m2"))), "months"
    if m.group("m_y"):
        year, month = int(m.group("m_y")), int(m.group("m_m"))
        return dt.date(year, month, 1), _month_end(year, month), "month"
    if m.group("yy1"):
        return dt.date(int(m.group("yy1")), 1, 1), dt.date(int(m.group("yy2")), 12, 31), "years"
    year = int(m.group("year"))
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"


def date_window(date_issued: str) -> DateWindow:
    """Read the manifest's ``date_issued`` text as a window of possible issue dates.

    ``2017-12-26`` is one day; ``2017-12`` the month; ``2019-02/03`` two months; ``2018`` the year;
    ``2018-2019`` two years. A parenthesised later date (``repost dated``, ``reported``, ``posted``,
    ``news date``) caps the window, since the document existed by then. Unparseable or empty text
    gives a window without dates (precision ``none``); it never raises.
    """
    text = (date_issued or "").strip()
    m = _MAIN.match(text)
    lowered = text.lower()
    caveats = [c for c in ("not verified", "draft", "day not seen") if c in lowered]
    if m is None:
        return DateWindow(None, None, "none", tuple(caveats))
    earliest, latest, precision = _main_window(m)
    bound = _BOUND.search(text)
    if bound is not None:
        y, mo, d = (int(x) for x in _ISO_DAY.match(bound.group(1)).groups())  # type: ignore[union-attr]
        cap = dt.date(y, mo, d)
        if cap < latest:
            latest = cap
            caveats.append("bounded by a later report")
    after = _AFTER.search(text)
    if after is not None:
        floor = dt.date.fromisoformat(after.group(1)) + dt.timedelta(days=1)
        if earliest < floor <= latest:  # a bound outside the window contradicts it: the stated window stands
            earliest = floor
            caveats.append("bounded by an earlier document")
    if latest < earliest:  # a report dated before the stated issue date: keep the stated window
        latest = earliest
    return DateWindow(earliest, latest, precision, tuple(caveats))


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_YEAR = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]+)\s+(\d{4})$")


def as_iso_date(value: str) -> str | None:
    """``"2017"``, ``"2017-07"``, ``"July 2017"``, ``"20 July 2017"`` → ISO text at that precision; else ``None``."""
    text = value.strip()
    if _ISO.match(text):
        return text
    m = _MONTH_YEAR.match(text)
    if m and m.group(2).lower() in _MONTHS:
        iso = f"{m.group(3)}-{_MONTHS[m.group(2).lower()]:02d}"
        return f"{iso}-{int(m.group(1)):02d}" if m.group(1) else iso
    return None


# --------------------------------------------------------------------------- timing against a dated event


@dataclass(frozen=True)
class ReferenceEvent:
    """A dated central document that local plans are compared with."""

    doc_id: str
    label: str
    signed: dt.date
    published: dt.date
    source: str


#: The State Council plan (国发〔2017〕35号): notice dated 2017-07-08, released 2017-07-20.
STATE_COUNCIL_PLAN = ReferenceEvent(
    doc_id="ngaidp_2017",
    label="State Council, New Generation AI Development Plan",
    signed=dt.date(2017, 7, 8),
    published=dt.date(2017, 7, 20),
    source=(
        "notice dated 2017年7月8日 (https://newton.com.tw/wiki/ …/22036812); Xinhua on gov.cn, Beijing 20 July 2017 "
        "(http://big5.www.gov.cn/gate/big5/www.gov.cn/xinwen/2017-07/20/content_5212064.htm)"
    ),
)


def timing_relative(window: DateWindow, event: ReferenceEvent = STATE_COUNCIL_PLAN) -> str:
    """``before``, ``after``, ``between signing and publication``, ``undetermined`` or ``no date``.

    A document is "before" only if its latest possible date precedes the event's signing, "after"
    only if its earliest possible date follows the event's publication.
    """
    if window.earliest is None or window.latest is None:
        return "no date"
    if window.latest < event.signed:
        return "before"
    if window.earliest > event.published:
        return "after"
    if event.signed <= window.earliest and window.latest <= event.published:
        return "between signing and publication"
    return "undetermined"
