"""One rule for the article's bounded and qualitative values ("over 15", "up to 2.56 million", "some").

The ledger keeps every article value in the article's own words. To compare it with what the build
computes, both sides are read as intervals of possible values, and **the claim agrees when the two
intervals overlap**:

* a plain number is exact when it is a count (term counts, rows of a table), and otherwise a reported
  figure, rounded at its last digit: ``854`` stands for [853.5, 854.5), ``2.56 million`` for
  [2,555,000, 2,565,000);
* ``over X`` / ``more than X`` → (X, ∞); ``at least X`` → [X, ∞); ``up to X`` / ``at most X`` → [0, X], where X
  is read at the precision the article states it: a rounded figure covers every value its stated digits can
  stand for, so ``up to 2.56 million`` is [0, 2.57 million) and agrees with an exact 2,565,724 as it does with
  "more than 2.5 million" (whichever source is used, the verdict is the same); a bare integer bound is exact;
  ``nearly X`` / ``almost X`` → [0.95·X, X); ``about X`` / ``around X`` → [0.95·X, 1.05·X];
* ``million`` / ``billion`` multiply (``2.56 million`` = 2,560,000); ``%`` is dropped;
* words without a number read by :data:`WORDS`: ``some`` = at least 1, ``twice more`` = a ratio of at
  least 2, ``many`` / ``most`` = more than half, ``rarely`` / ``few`` = less than half (shares, 0–1);
* explicit readings (``> 0.5``, ``>= 1``, ``< 0.5``, ``<= 3``) are read as written.

So "over 15" is **not** confirmed by a count of exactly 15, while "over 854 million" is consistent
with a reported 854 million (which may stand for 854.3 million), and "up to 2.56 million" with
"more than 2.5 million". The rule is the same for every claim.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from analysis.io.dates import as_iso_date

INF = math.inf


@dataclass(frozen=True)
class Interval:
    """An interval of possible values; ``low_open``/``high_open`` say whether an end is excluded."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def overlaps(self, other: Interval) -> bool:
        """True when some value lies in both intervals."""
        if self.low != other.low:
            low, low_open = (self.low, self.low_open) if self.low > other.low else (other.low, other.low_open)
        else:
            low, low_open = self.low, self.low_open or other.low_open
        if self.high != other.high:
            high, high_open = (self.high, self.high_open) if self.high < other.high else (other.high, other.high_open)
        else:
            high, high_open = self.high, self.high_open or other.high_open
        if low < high:
            return True
        return low == high and not low_open and not high_open


#: Qualitative words and the reading this book gives them (shares are fractions, 0–1).
WORDS: dict[str, Interval] = {
    "some": Interval(1, INF),
    "twice more": Interval(2, INF),
    "many": Interval(0.5, 1, low_open=True),
    "most": Interval(0.5, 1, low_open=True),
    "rarely": Interval(0, 0.5, high_open=True),
    "few": Interval(0, 0.5, high_open=True),
}

_NUMBER = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>million|billion|%)?", re.IGNORECASE)
_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("more than", "gt"),
    ("over", "gt"),
    ("above", "gt"),
    ("at least", "ge"),
    ("up to", "le"),
    ("at most", "le"),
    ("nearly", "nearly"),
    ("almost", "nearly"),
    ("about", "about"),
    ("around", "about"),
    ("approximately", "about"),
    (">=", "ge"),
    ("<=", "le"),
    (">", "gt"),
    ("<", "lt"),
)
_SCALES = {"million": 1e6, "billion": 1e9, "%": 1.0}


def _half_unit(text: str) -> float:
    """Half the unit of the last stated digit of ``text`` (``854`` → 0.5, ``2.56`` → 0.005)."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10 ** (-decimals)


def qualifier_of(text: str) -> str:
    """The qualifier word a value begins with (``over``, ``up to`` …), or ``""``."""
    low = text.strip().lower()
    return next((word for word, _ in _QUALIFIERS if low.startswith(word)), "")


def read_value(text: str, *, exact: bool = False, qualifier: str = "") -> Interval | None:
    """The interval a value stands for under the rule above; ``None`` when it is no number or known word.

    ``exact`` marks counts (no rounding); ``qualifier`` adds one given in a separate column
    (``more than``) to a bare number.
    """
    low = " ".join(text.strip().lower().split())
    if qualifier and not qualifier_of(low):
        low = f"{qualifier.strip().lower()} {low}"
    if low in WORDS:
        return WORDS[low]
    kind = next((k for word, k in _QUALIFIERS if low.startswith(word)), "")
    match = _NUMBER.search(low)
    if match is None:
        return None
    digits = match.group("num").replace(",", "")
    scale = _SCALES.get((match.group("scale") or "").lower(), 1.0)
    value = float(digits) * scale
    if kind == "gt":
        return Interval(value, INF, low_open=True)
    if kind == "lt":
        return Interval(-INF, value, high_open=True)
    if kind == "ge":
        return Interval(value, INF)
    if kind == "le":
        if exact or ("." not in digits and not match.group("scale")):
            return Interval(0.0 if value >= 0 else -INF, value)
        unit = 2 * _half_unit(digits) * scale  # the figure at its stated precision: 2.56 million → below 2.57 million
        return Interval(0.0 if value >= 0 else -INF, value + unit, high_open=True)
    if kind == "nearly":
        return Interval(0.95 * value, value, high_open=True)
    if kind == "about":
        return Interval(0.95 * value, 1.05 * value)
    if exact or ("." not in digits and low == digits):
        # a bare integer with no unit: exact (a count, a year or a step number)
        return Interval(value, value)
    half = _half_unit(digits) * scale
    return Interval(value - half, value + half, high_open=True)


def agrees(
    article_value: str, computed: str, *, computed_exact: bool = True, computed_qualifier: str = ""
) -> bool | None:
    """Does ``computed`` agree with the article's value under the rule? ``None`` when either is not readable."""
    a = read_value(article_value)
    b = read_value(computed, exact=computed_exact, qualifier=computed_qualifier)
    if a is None or b is None:
        return None
    return a.overlaps(b)


def number(value: str) -> float | None:
    """``value`` as a number (thousands separators allowed), or ``None``."""
    text = value.strip().replace(",", "").replace("\u2009", "")
    try:
        return float(text)
    except ValueError:
        return None


def values_equal(article_value: str, reproduced: str, *, exact: bool = True, qualifier: str = "") -> bool:
    """Does the reproduced value agree with the article's?

    * dates compare at the article's precision: an article's ``2017`` or ``July 2017`` is confirmed
      by ``2017-07-20`` (the reproduced date falls within the year or month the article names);
    * numbers, bounds ("over 15") and quantity words ("some") follow the one rule of this module: both
      sides are intervals, and they must overlap. ``exact`` says the reproduced value is a count (not a
      rounded figure); ``qualifier`` is its own bound word, if any;
    * anything else compares as trimmed, case-folded text.
    """
    da, db = as_iso_date(article_value), as_iso_date(reproduced)
    if da is not None and db is not None and not qualifier:
        return db == da or db.startswith(da + "-")
    verdict = agrees(article_value, reproduced, computed_exact=exact, computed_qualifier=qualifier)
    if verdict is not None:
        return verdict
    return article_value.strip().casefold() == reproduced.strip().casefold()
