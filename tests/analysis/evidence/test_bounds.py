"""Tests of analysis.evidence.bounds: one rule for the article's bounded and qualitative values."""

from __future__ import annotations

import pytest

from analysis.evidence.bounds import agrees, read_value


@pytest.mark.parametrize(
    ("article", "computed", "exact", "qualifier", "expected"),
    [
        ("over 15", "15", True, "", False),  # a count of exactly 15 is not "over 15"
        ("over 15", "16", True, "", True),
        ("over 854 million", "854 million", False, "", True),  # a reported figure is rounded at its last digit
        ("up to 2.56 million", "2500000", False, "more than", True),
        ("up to 2.56 million", "2600000", False, "", False),
        ("over 5 million", "5 million", False, "more than", True),
        ("up to 100 million", "100 million", False, "up to", True),
        ("twice more", "2.91", True, "", True),
        ("twice more", "1.5", True, "", False),
        ("some", "7", True, "", True),
        ("some", "0", True, "", False),
        ("rarely", "0.20", True, "", True),
        ("many", "0.50", True, "", False),
        ("16", "16", True, "", True),
        ("16", "15", True, "", False),
    ],
)
def test_agrees(article: str, computed: str, exact: bool, qualifier: str, expected: bool) -> None:
    assert agrees(article, computed, computed_exact=exact, computed_qualifier=qualifier) is expected


def test_read_value() -> None:
    assert read_value("2.56 million").low == pytest.approx(2_555_000)
    assert read_value("a list of names") is None
    assert agrees("Xi Jinping", "7") is None
