"""Timeline figures of the chapters on the facilitating conditions (article sections 3.1 and 3.2).

* :func:`missed_revolutions_timeline` draws the "missed revolutions" narrative: the four industrial
  revolutions as the Chinese discourse cited by the article frames them (upper lane), against
  China's political periods, Qing, Republic and People's Republic (lower lane).
* :func:`mirror_timeline` draws the US-China "mirror": United States events above, Chinese events
  below, events of third parties on a thin middle strip, and arrows for the links the article
  itself draws between a move and the move it answers.

Both take the committed, sourced fact tables (``data/facts/*.csv`` as loaded by
:func:`analysis.evidence.facts.load_facts`) and return a :class:`matplotlib.figure.Figure`; they read no
file and write nothing. Labels are placed by a deterministic greedy packing that measures the
rendered text, so the same tables give the same figure, byte for byte. Chinese labels always
carry an English gloss (:func:`analysis.present.plotting.bilingual`).

Dates in the fact tables are ISO strings of varying precision (``YYYY``, ``YYYY-MM``,
``YYYY-MM-DD``) with a precision column; :func:`analysis.io.dates.parse_partial_date` reads them and places each at the
first day of the period it names.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Rectangle

from analysis.io.dates import DateError, decimal_year, parse_partial_date
from analysis.present.plotting import PALETTE, bilingual, year_axis

LANE_REVOLUTIONS = bilingual("工业革命", "Industrial revolutions\n(as the Chinese discourse\nframes them)")
LANE_PERIODS = bilingual("中国政治时期", "China's political periods")
LANE_US = bilingual("美国", "United States")
LANE_CHINA = bilingual("中国", "China")
LANE_OTHER = bilingual("其他", "other")

ACTOR_COLORS: dict[str, str] = {"US": PALETTE["us"], "China": PALETTE["china"], "other": PALETTE["other"]}
#: Marker of each event kind of ``geopolitical_events.csv`` (the kinds the table may use).
KIND_MARKERS: dict[str, str] = {
    "strategy": "s",
    "report": "o",
    "sanction": "X",
    "export-control pressure": "P",
    "standard-setting": "^",
    "industrial policy": "D",
    "institution": "h",
    "speech": "v",
    "analysis": "p",
    "shock": "*",
}


@dataclass(frozen=True)
class _Outcome:
    zh: str
    en: str
    color: str


#: How each ``china_outcome`` of ``industrial_revolutions.csv`` is drawn.
OUTCOMES: dict[str, _Outcome] = {
    "missed": _Outcome("错过", "missed", "#e3a7a1"),
    "aims to lead": _Outcome("引领", "aims to lead", "#9ecae1"),
}
#: Fill colour of each political period of ``china_political_periods.csv``.
PERIOD_COLORS: dict[str, str] = {"qing": "#d9d9d9", "republic": "#bdbdbd", "prc": "#efcfcf"}


class TimelineError(DateError):
    """A fact table cannot be drawn (bad date, unknown kind, actor or outcome, missing column)."""


# ---------------------------------------------------------------------------------------------
# Label placement
# ---------------------------------------------------------------------------------------------


def _renderer(fig: Figure):  # type: ignore[no-untyped-def]
    get = getattr(fig.canvas, "get_renderer", None)
    if get is None:  # pragma: no cover - only non-Agg interactive canvases
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        get = FigureCanvasAgg(fig).get_renderer
    return get()


def _overlaps(a, b, pad: float) -> bool:  # type: ignore[no-untyped-def]
    return not (a.x1 + pad <= b.x0 or b.x1 + pad <= a.x0 or a.y1 + pad <= b.y0 or b.y1 + pad <= a.y0)


def _place(ax, fig: Figure, x: float, levels: list[float], text: str, placed: list, *, va: str, **kwargs):  # type: ignore[no-untyped-def]
    """Put ``text`` at ``x`` on the first level (y value) where it overlaps no box in ``placed``.

    Boxes are measured in display units with the figure's renderer. The text is left-aligned at ``x``
    unless it would leave the axes on the right, then right-aligned. When no level is free the last
    level is used. Returns the text artist and the level's y.
    """
    renderer = _renderer(fig)
    x_right = ax.get_xlim()[1]
    for i, y in enumerate(levels):
        t = ax.text(x, y, text, ha="left", va=va, clip_on=False, **kwargs)
        box = t.get_window_extent(renderer)
        limit = ax.transData.transform((x_right, 0))[0]
        if box.x1 > limit:
            t.set_ha("right")
            t.set_x(x_right)
            box = t.get_window_extent(renderer)
        if all(not _overlaps(box, other, 3.0) for other in placed) or i == len(levels) - 1:
            placed.append(box)
            return t, y
        t.remove()
    raise AssertionError("unreachable: levels is empty")  # pragma: no cover


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)) if text else ""


def _wrap_zh(text: str, width: int) -> str:
    return "\n".join(text[i : i + width] for i in range(0, len(text), width)) if text else ""


def _require(df: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise TimelineError(f"{what}: missing column(s) {', '.join(missing)}")


# ---------------------------------------------------------------------------------------------
# Section 3.1: the "missed revolutions"
# ---------------------------------------------------------------------------------------------

REVOLUTION_COLUMNS = (
    "revolution",
    "name_zh",
    "gloss_en",
    "start_year",
    "start_precision",
    "leading_power_en",
    "defining_technologies_en",
    "china_outcome",
    "goal_year",
)
PERIOD_COLUMNS = ("period_key", "name_zh", "gloss_en", "start", "start_precision", "end", "end_precision")


def revolution_label(row: pd.Series) -> str:
    """``第一次工业革命 / first industrial revolution / Britain · steam engine`` (wrapped)."""
    detail = row["leading_power_en"]
    if row["defining_technologies_en"]:
        detail += " · " + row["defining_technologies_en"].replace(";", ",")
    if row.get("goal_year", ""):
        detail += f" · goal year {row['goal_year']}"
    if row.get("start_basis", "") == "book's construct":
        detail += f" · start {row['start_year']}: this book's construct, not a date the discourse gives"
    return f"{row['name_zh']}\n{row['gloss_en']}\n{_wrap(detail, 34)}"


def period_label(row: pd.Series) -> str:
    """``清朝 / Qing dynasty / 1644–1912`` (the gloss wrapped to fit a narrow band)."""
    end = row["end"][:4] if row["end"] else "today"
    return f"{row['name_zh']}\n{_wrap(row['gloss_en'], 17)}\n{row['start'][:4]}–{end}"


def missed_revolutions_timeline(
    revolutions: pd.DataFrame,
    periods: pd.DataFrame,
    *,
    start_year: int = 1640,
    end_year: int = 2035,
) -> Figure:
    """The four industrial revolutions of the discourse (upper lane) against China's political periods (lower lane).

    Each revolution is a band from the start the discourse gives to the next revolution's start (the
    last one to ``end_year``), coloured by ``china_outcome`` (missed / aims to lead); each political
    period is a band from its start to its end (an open end runs to ``end_year``).
    """
    _require(revolutions, REVOLUTION_COLUMNS, "industrial_revolutions")
    _require(periods, PERIOD_COLUMNS, "china_political_periods")
    unknown = sorted(set(revolutions["china_outcome"]) - set(OUTCOMES))
    if unknown:
        raise TimelineError(
            f"industrial_revolutions: unknown china_outcome {', '.join(unknown)}; known: {', '.join(OUTCOMES)}"
        )
    rev = revolutions.assign(_n=revolutions["revolution"].astype(int)).sort_values("_n", kind="mergesort")
    starts = [parse_partial_date(s, p).year for s, p in zip(rev["start_year"], rev["start_precision"], strict=False)]
    if starts != sorted(starts):
        raise TimelineError("industrial_revolutions: start years are not in the order of the revolutions")
    ends = [*starts[1:], end_year]

    fig, ax = plt.subplots(figsize=(13, 7.4))
    ax.set_xlim(start_year, end_year)
    ax.set_ylim(0, 7.0)
    band_h = 0.9
    y_per, y_rev = 0.75, 2.55

    for (_, row), s, e in zip(rev.iterrows(), starts, ends, strict=False):
        style = OUTCOMES[row["china_outcome"]]
        ax.add_patch(
            Rectangle((s, y_rev - band_h / 2), e - s, band_h, facecolor=style.color, edgecolor="white", linewidth=2)
        )
        ax.text(
            (s + e) / 2,
            y_rev,
            bilingual(style.zh, style.en),
            ha="center",
            va="center",
            fontsize=10 if e - s >= 30 else 9.5,
        )

    placed: list = []
    fig.canvas.draw()  # fixes the transforms before measuring text
    levels = [y_rev + band_h / 2 + 0.3 + 1.15 * k for k in range(3)]
    for (_, row), s in zip(rev.iterrows(), starts, strict=False):
        t, y = _place(
            ax,
            fig,
            s + 1.5,
            levels,
            revolution_label(row),
            placed,
            va="bottom",
            fontsize=9.5,
            bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "#999999", "linewidth": 0.6},
        )
        ax.plot([s, s], [y_rev + band_h / 2, y], color="#666666", linewidth=0.8, zorder=1)

    per = periods.copy()
    per["_s"] = [decimal_year(v, p) for v, p in zip(per["start"], per["start_precision"], strict=False)]
    per["_e"] = [
        decimal_year(v, p) if v else float(end_year) for v, p in zip(per["end"], per["end_precision"], strict=False)
    ]
    per = per.sort_values(["_s", "period_key"], kind="mergesort")
    for _, row in per.iterrows():
        color = PERIOD_COLORS.get(row["period_key"], "#e0e0e0")
        ax.add_patch(
            Rectangle(
                (row["_s"], y_per - band_h / 2),
                row["_e"] - row["_s"],
                band_h,
                facecolor=color,
                edgecolor="white",
                linewidth=2,
            )
        )
        ax.text(
            (max(row["_s"], start_year) + row["_e"]) / 2,
            y_per,
            period_label(row),
            ha="center",
            va="center",
            fontsize=9.5,
        )

    ax.set_yticks([y_per, y_rev], [LANE_PERIODS, LANE_REVOLUTIONS], fontsize=9.5)
    ax.tick_params(axis="y", length=0)
    year_axis(ax, major=50, minor=10)
    ax.set_title(
        "“错过”的工业革命与中国的政治时期\nThe 'missed' industrial revolutions against China's political periods",
        fontsize=11,
    )
    source_note(
        fig,
        "Revolutions as the Chinese discourse cited by Zeng (2021, section 3.1) frames them; a band runs from the start the discourse "
        "gives to the next revolution's start\n(an uncertain start: the 18th century is drawn from 1700; "
        "the fourth revolution's start is the book's construct, "
        "the year of the earliest cited texts that proclaim it).\n"
        "Sources: data/facts/industrial_revolutions.csv and china_political_periods.csv, every row sourced.",
    )
    fig.subplots_adjust(left=0.16, right=0.98, top=0.9, bottom=0.16)
    return fig


# ---------------------------------------------------------------------------------------------
# Section 3.2: the US-China mirror
# ---------------------------------------------------------------------------------------------

EVENT_COLUMNS = ("event_id", "date", "date_precision", "actor", "kind", "label_en", "name_zh", "answers")


def event_label(row: pd.Series) -> str:
    """``2017-07-20 / 新一代人工智能发展规划 / New Generation AI Development Plan`` (wrapped)."""
    parts = [row["date"]]
    if row["name_zh"]:
        parts.append(_wrap_zh(row["name_zh"], 11))
    parts.append(_wrap(row["label_en"], 24))
    return "\n".join(parts)


def _answer_links(ev: pd.DataFrame) -> list[tuple[str, str]]:
    """``(answered, answering)`` event-id pairs, in table order; unknown ids raise."""
    ids = set(ev["event_id"])
    links = []
    for answering, answers in zip(ev["event_id"], ev["answers"], strict=False):
        for answered in (a.strip() for a in answers.split(";") if a.strip()):
            if answered not in ids:
                raise TimelineError(f"geopolitical_events: {answering} answers unknown event {answered!r}")
            links.append((answered, answering))
    return links


def mirror_timeline(
    events: pd.DataFrame,
    *,
    start: float = 2014.5,
    end: float = 2020.5,
    levels: int = 8,
) -> Figure:
    """The US-China "mirror": US events above, Chinese events below, others on the middle strip.

    A marker's shape gives the event kind, its colour the actor; an arrow runs from an event to the
    one that answers it (column ``answers``, links the article draws). Events outside
    ``[start, end]`` are dropped.
    """
    _require(events, EVENT_COLUMNS, "geopolitical_events")
    bad_actor = sorted(set(events["actor"]) - set(ACTOR_COLORS))
    bad_kind = sorted(set(events["kind"]) - set(KIND_MARKERS))
    if bad_actor or bad_kind:
        raise TimelineError(f"geopolitical_events: unknown actor(s) {bad_actor} or kind(s) {bad_kind}")
    ev = events.assign(_x=[decimal_year(d, p) for d, p in zip(events["date"], events["date_precision"], strict=False)])
    ev = ev[(ev["_x"] >= start) & (ev["_x"] <= end)].sort_values(["_x", "event_id"], kind="mergesort")
    links = _answer_links(ev)

    fig, ax = plt.subplots(figsize=(13, 9.5))
    base = {"US": 0.7, "other": 0.0, "China": -0.7}
    step = 1.05
    top = base["US"] + step * levels + 0.4
    ax.set_xlim(start, end)
    ax.set_ylim(-top, top)
    ax.axhspan(-0.35, 0.35, color="#f3f3f3", zorder=0)
    for actor in ("US", "China"):
        ax.axhline(base[actor], color=ACTOR_COLORS[actor], linewidth=1.0, zorder=1)
    fig.canvas.draw()

    pos: dict[str, tuple[float, float]] = {}
    placed: list = []
    for _, row in ev.iterrows():
        actor, x = row["actor"], float(row["_x"])
        y0 = base[actor]
        pos[row["event_id"]] = (x, y0)
        color = ACTOR_COLORS[actor]
        ax.plot(
            [x],
            [y0],
            marker=KIND_MARKERS[row["kind"]],
            color=color,
            markersize=8,
            markeredgecolor="white",
            zorder=4,
            linestyle="none",
        )
        box = {"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": color, "linewidth": 0.7, "alpha": 0.95}
        if actor == "other":
            _place(
                ax,
                fig,
                x + 0.03,
                [0.0],
                event_label(row).replace("\n", " · ", 1),
                placed,
                va="center",
                fontsize=9.5,
                bbox=box,
                zorder=5,
            )
            continue
        sign = 1 if actor == "US" else -1
        ys = [y0 + sign * (0.35 + step * k) for k in range(levels)]
        _t, y = _place(
            ax,
            fig,
            x,
            ys,
            event_label(row),
            placed,
            va="bottom" if sign > 0 else "top",
            fontsize=9.5,
            bbox=box,
            zorder=5,
        )
        ax.plot([x, x], [y0, y], color=color, linewidth=0.7, zorder=2)

    for answered, answering in links:
        (x1, y1), (x2, y2) = pos[answered], pos[answering]
        color = ACTOR_COLORS[str(ev.loc[ev["event_id"] == answering, "actor"].iloc[0])]
        ax.add_patch(
            FancyArrowPatch(
                (x1, y1),
                (x2, y2),
                arrowstyle="-|>",
                mutation_scale=11,
                color=color,
                linewidth=1.1,
                alpha=0.8,
                connectionstyle="arc3,rad=0.0",
                shrinkA=4,
                shrinkB=5,
                zorder=3,
            )
        )

    # shrink the vertical range to the labels actually placed (spacing can only grow, so no new overlaps)
    inv = ax.transData.inverted()
    reach = max(abs(inv.transform((0, y))[1]) for b in placed for y in (b.y0, b.y1))
    top = min(top, reach + 0.3)
    ax.set_ylim(-top, top)
    ax.set_yticks(
        [(base["US"] + top) / 2, 0.0, -(base["US"] + top) / 2], [LANE_US, LANE_OTHER, LANE_CHINA], fontsize=10
    )
    for label, actor in zip(ax.get_yticklabels(), ("US", "other", "China"), strict=False):
        label.set_color(ACTOR_COLORS[actor])
    ax.tick_params(axis="y", length=0)
    year_axis(ax, major=1, minor=0.25)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{int(round(v))}")
    ax.set_title(
        "中美“镜像”：各方把对方的人工智能进展视为威胁\nThe US-China 'mirror': each side answers the other's AI moves",
        fontsize=11,
    )

    kinds = [k for k in KIND_MARKERS if k in set(ev["kind"])]
    handles = [
        Line2D([], [], marker=KIND_MARKERS[k], color="#444444", linestyle="none", markersize=7, label=k) for k in kinds
    ]
    handles.append(
        Line2D(
            [], [], color="#444444", marker=">", markersize=5, linewidth=1.1, label="answers, as claimed by the article"
        )
    )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.07),
        ncol=6,
        fontsize=9.5,
        frameon=False,
        title="事件类型 kind of event",
        title_fontsize=9.5,
    )
    source_note(
        fig,
        "Each event is dated at the day it became public (month or year when only that is known). "
        "Sources: data/facts/geopolitical_events.csv, every row sourced; arrows follow Zeng (2021), sections 2 and 3.2.",
    )
    fig.subplots_adjust(left=0.1, right=0.98, top=0.93, bottom=0.18)
    return fig


def source_note(fig: Figure, text: str) -> None:
    """The figure's note on its sources, in small grey type along its bottom edge."""
    fig.text(0.01, 0.005, text, fontsize=9.5, color="#555555", ha="left", va="bottom")
