"""Partial dates (analysis.io.dates): ISO dates without day or month, and the manifest's approximate dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.io.dates import DateError, date_position, date_window, decimal_year, is_partial_date, parse_partial_date

D = dt.date


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        ("1700", "century", D(1700, 1, 1)),
        ("2016-10", "month", D(2016, 10, 1)),
        ("2019-02-11", "day", D(2019, 2, 11)),
        ("2016", None, D(2016, 1, 1)),
    ],
)
def test_partial_dates_parse_to_the_first_day(value, precision, expected):
    assert parse_partial_date(value, precision) == expected


@pytest.mark.parametrize(
    ("value", "precision"), [("2019-02-30", "day"), ("July 2017", None), ("2019", "day"), ("2019", "fortnight")]
)
def test_bad_partial_dates_raise(value, precision):
    with pytest.raises(DateError):
        parse_partial_date(value, precision)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2017", True),
        ("2017-07", True),
        ("2017-07-20", True),
        ("2016-02-29", True),
        ("2017-02-29", False),
        ("2017-13", False),
        ("2017-7-20", False),
        ("", False),
        ("2017-07-20x", False),
    ],
)
def test_is_partial_date(value, ok):
    assert is_partial_date(value) is ok


def test_decimal_year():
    assert decimal_year("2017-07-20", "day") == pytest.approx(2017 + 200 / 365)
    assert decimal_year("2016", "year") == 2016.0


def test_date_position_places_missing_parts_mid_period():
    assert date_position("2017-07-20") == pd.Timestamp(2017, 7, 20)
    assert date_position("2017-07") == pd.Timestamp(2017, 7, 15)
    assert date_position("2017") == pd.Timestamp(2017, 7, 1)
    with pytest.raises(ValueError, match="not an ISO date"):
        date_position("July 2017")


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision", "caveats"),
    [
        ("2017-12-26", D(2017, 12, 26), D(2017, 12, 26), "day", ()),
        ("2017-12", D(2017, 12, 1), D(2017, 12, 31), "month", ()),
        ("2019-02/03 (reported 2019-03-05)", D(2019, 2, 1), D(2019, 3, 5), "months", ("bounded by a later report",)),
        ("2017 (day not seen)", D(2017, 1, 1), D(2017, 12, 31), "year", ("day not seen",)),
        ("2018 (repost dated 2018-04-03)", D(2018, 1, 1), D(2018, 4, 3), "year", ("bounded by a later report",)),
        (
            "2018-2019 (not verified; repost dated 2020-04-22)",
            D(2018, 1, 1),
            D(2019, 12, 31),
            "years",
            ("not verified",),
        ),
        ("2019-11-20 (draft)", D(2019, 11, 20), D(2019, 11, 20), "day", ("draft",)),
        ("2017-12 (news date 2017-12-20)", D(2017, 12, 1), D(2017, 12, 20), "month", ("bounded by a later report",)),
        ("2018-02 (reported 2018-02-28)", D(2018, 2, 1), D(2018, 2, 28), "month", ()),
        ("2016-02", D(2016, 2, 1), D(2016, 2, 29), "month", ()),  # leap year
        # a local plan whose title implements the State Council plan comes after that plan's publication
        (
            "2017 (day not seen; after 2017-07-20: its title implements the plan)",
            D(2017, 7, 21),
            D(2017, 12, 31),
            "year",
            ("day not seen", "bounded by an earlier document"),
        ),
        ("2017-12 (after 2017-07-20)", D(2017, 12, 1), D(2017, 12, 31), "month", ()),  # a bound the window passed
        ("2017 (after 2018-01-05)", D(2017, 1, 1), D(2017, 12, 31), "year", ()),  # a contradiction: the stated window
    ],
)
def test_date_window(text: str, earliest: dt.date, latest: dt.date, precision: str, caveats: tuple[str, ...]) -> None:
    window = date_window(text)
    assert (window.earliest, window.latest, window.precision, window.caveats) == (earliest, latest, precision, caveats)


@pytest.mark.parametrize("text", ["", "unknown", "   ", "circa 2017"])
def test_date_window_without_a_date(text: str) -> None:
    window = date_window(text)
    assert window.earliest is None and window.latest is None and window.precision == "none"
