"""Timeline figures of sections 3.1 and 3.2: lanes, labels, Chinese glyphs and byte-stable output."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.patches import FancyArrowPatch

from analysis.evidence.facts import load_facts
from analysis.present.plotting import figure_bytes
from analysis.present.plotting import timelines as tl

pytestmark = pytest.mark.usefixtures("plotting")


@pytest.fixture(scope="module")
def revolutions() -> pd.DataFrame:
    return load_facts("industrial_revolutions")


@pytest.fixture(scope="module")
def periods() -> pd.DataFrame:
    return load_facts("china_political_periods")


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return load_facts("geopolitical_events")


def _texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _render_warnings(build) -> tuple[bytes, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = build()
        data = figure_bytes(fig, "png")
        plt.close(fig)
    return data, [str(w.message) for w in caught]


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


# Partial dates are tested in tests/analysis/io/test_dates.py.


# ---------------------------------------------------------------------------------------------
# Section 3.1
# ---------------------------------------------------------------------------------------------


def test_missed_revolutions_has_two_lanes_and_every_label(revolutions, periods):
    fig = tl.missed_revolutions_timeline(revolutions, periods)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [tl.LANE_PERIODS, tl.LANE_REVOLUTIONS]
    texts = _texts(fig)
    joined = "\n".join(texts)
    for zh, en in zip(revolutions["name_zh"], revolutions["gloss_en"], strict=False):
        assert f"{zh}\n{en}" in joined
    for zh in periods["name_zh"]:
        assert zh in joined
    assert texts.count("错过\nmissed") == 3 and texts.count("引领\naims to lead") == 1
    assert "1644–1912" in joined and "1949–today" in joined
    plt.close(fig)


def test_missed_revolutions_refuses_an_unknown_outcome(revolutions, periods):
    bad = revolutions.copy()
    bad.loc[0, "china_outcome"] = "won"
    with pytest.raises(tl.TimelineError, match="unknown china_outcome won"):
        tl.missed_revolutions_timeline(bad, periods)


def test_missed_revolutions_renders_chinese_and_is_deterministic(revolutions, periods):
    first, caught = _render_warnings(lambda: tl.missed_revolutions_timeline(revolutions, periods))
    second, _ = _render_warnings(lambda: tl.missed_revolutions_timeline(revolutions, periods))
    assert [m for m in caught if "missing from font" in m or "findfont" in m] == []
    assert first == second


# ---------------------------------------------------------------------------------------------
# Section 3.2
# ---------------------------------------------------------------------------------------------


def test_mirror_puts_the_us_above_and_china_below(events):
    fig = tl.mirror_timeline(events)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [tl.LANE_US, tl.LANE_OTHER, tl.LANE_CHINA]
    labels = {t.get_text(): t for t in ax.texts}
    shown = 0
    for _, row in events.iterrows():
        x = tl.decimal_year(row["date"], row["date_precision"])
        if not 2014.5 <= x <= 2020.5:
            continue
        shown += 1
        matches = [
            t for text, t in labels.items() if text.startswith(row["date"]) and _flat(row["label_en"]) in _flat(text)
        ]
        assert len(matches) == 1, row["event_id"]
        y = matches[0].get_position()[1]
        assert {"US": y > 0, "China": y < 0, "other": y == 0}[row["actor"]], row["event_id"]
        if row["name_zh"]:
            assert row["name_zh"] in matches[0].get_text().replace("\n", "")
    assert shown == len(events)
    links = sum(len([a for a in answers.split(";") if a]) for answers in events["answers"])
    assert len([p for p in ax.patches if isinstance(p, FancyArrowPatch)]) == links > 0
    plt.close(fig)


def test_mirror_labels_do_not_overlap(events):
    fig = tl.mirror_timeline(events)
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
    overlapping = [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]
    assert overlapping == []
    plt.close(fig)


def test_mirror_refuses_unknown_links_and_kinds(events):
    bad = events.copy()
    bad.loc[0, "answers"] = "no_such_event"
    with pytest.raises(tl.TimelineError, match="answers unknown event 'no_such_event'"):
        tl.mirror_timeline(bad)
    bad = events.copy()
    bad.loc[0, "kind"] = "rumour"
    with pytest.raises(tl.TimelineError, match="rumour"):
        tl.mirror_timeline(bad)


def test_mirror_on_a_synthetic_table():
    synthetic = pd.DataFrame(
        [
            {
                "event_id": "synthetic_us",
                "date": "2016-10",
                "date_precision": "month",
                "actor": "US",
                "kind": "report",
                "label_en": "Synthetic report",
                "name_zh": "",
                "answers": "",
            },
            {
                "event_id": "synthetic_cn",
                "date": "2017-07-20",
                "date_precision": "day",
                "actor": "China",
                "kind": "strategy",
                "label_en": "Synthetic plan",
                "name_zh": "合成规划",
                "answers": "synthetic_us",
            },
        ]
    )
    fig = tl.mirror_timeline(synthetic)
    texts = _texts(fig)
    assert "2017-07-20\n合成规划\nSynthetic plan" in texts and "2016-10\nSynthetic report" in texts
    assert len([p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]) == 1
    plt.close(fig)


def test_mirror_renders_chinese_and_is_deterministic(events):
    first, caught = _render_warnings(lambda: tl.mirror_timeline(events))
    second, _ = _render_warnings(lambda: tl.mirror_timeline(events))
    assert [m for m in caught if "missing from font" in m or "findfont" in m] == []
    assert first == second
