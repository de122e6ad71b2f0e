"""Figures of the audiences chapter: the local-plans timeline and the CNKI yearly-count chart (Figure 1).

Call :func:`analysis.present.plotting.setup_plotting` first (font, theme, deterministic output).
"""

from __future__ import annotations

import datetime as dt
import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.present.plotting import PALETTE, set_alt
from analysis.sections.audiences import STATE_COUNCIL_PLAN, TIMINGS, ReferenceEvent

#: Colour of each timing class relative to the State Council plan.
TIMING_COLOURS: dict[str, str] = {
    "before": PALETTE["security"],
    "between signing and publication": "#e08214",
    "after": PALETTE["development"],
    "undetermined": PALETTE["neutral"],
    "no date": "#bdbdbd",
}


def _label(row: pd.Series) -> str:
    """``Place: title``, the place's name dropped from the start of the title and the title shortened."""
    region = str(row["region"])
    place = region.split("/")[-1].split(" (")[0].strip()
    title = str(row["title_en"])
    for prefix in (f"{place} Province ", f"{place} ", f"{region} "):
        if title.startswith(prefix):
            title = title[len(prefix) :]
            break
    short = textwrap.shorten(title, width=40, placeholder=" …")
    return f"{place}: {short}"


def local_plans_timeline_figure(
    timeline: pd.DataFrame,
    event: ReferenceEvent = STATE_COUNCIL_PLAN,
    *,
    start: dt.date = dt.date(2016, 7, 1),
    end: dt.date = dt.date(2021, 3, 1),
) -> Figure:
    """One row per local plan (earliest at the top): a dot for a date known to the day, a bar for the
    window of possible dates otherwise; colour = timing relative to ``event``, shown as a shaded band
    from its signing to its publication.

    ``timeline`` is :func:`analysis.sections.audiences.local_plans_timeline`.
    """
    rows = timeline.reset_index(drop=True)
    height = 1.8 + 0.27 * max(len(rows), 1)
    fig, ax = plt.subplots(figsize=(8.2, height))
    ax.axvspan(event.signed, event.published + dt.timedelta(days=1), color=TIMING_COLOURS["before"], alpha=0.25, lw=0)
    ax.axvline(event.signed, color=TIMING_COLOURS["before"], lw=1.2)
    for i, row in rows.iterrows():
        colour = TIMING_COLOURS.get(str(row["timing"]), "#000000")
        if not row["earliest"]:
            continue
        first, last = dt.date.fromisoformat(row["earliest"]), dt.date.fromisoformat(row["latest"])
        if first == last:
            ax.plot([first], [i], marker="o", ms=6, color=colour, ls="none")
        else:
            ax.plot([first, last + dt.timedelta(days=1)], [i, i], color=colour, lw=5, solid_capstyle="butt", alpha=0.8)
        if row["caveats"]:
            ax.text(last + dt.timedelta(days=12), i, "*", va="center", ha="left", fontsize=10, color=colour)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_label(r) for _, r in rows.iterrows()], fontsize=9)
    ax.text(
        event.signed - dt.timedelta(days=15),
        len(rows) - 1,
        "State Council\nplan, July 2017",
        ha="right",
        va="center",
        fontsize=9,
        color=TIMING_COLOURS["before"],
    )
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(start, end)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="x", which="minor", lw=0.4, alpha=0.5)
    ax.grid(axis="y", lw=0.3, alpha=0.4)
    ax.set_xlabel("date issued (corpus manifest)")
    ax.set_title(
        f"Local AI plans of the manifest (n = {len(rows)}) and the State Council plan\n"
        f"(red line: signed {event.signed.day} {event.signed:%B %Y}; published {event.published.day} {event.published:%B %Y})",
        fontsize=11,
    )
    present = [t for t in TIMINGS if t in set(rows["timing"])]
    handles = [
        Patch(color=TIMING_COLOURS[t], label=f"{t} the State Council plan" if t in ("before", "after") else t)
        for t in present
    ]
    handles += [
        Line2D([], [], marker="o", ls="none", color="#444444", label="date known to the day"),
        Line2D([], [], lw=5, color="#444444", label="month or year only (bar: possible dates)"),
        Line2D([], [], marker="$*$", ls="none", color="#444444", label="date caveat in the manifest"),
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.35, -0.045), ncol=2, fontsize=9, frameon=False)
    fig.tight_layout()
    counts = rows["timing"].value_counts()
    classes = "; ".join(f"{int(counts[t])} {t}" for t in TIMINGS if t in counts.index) or "none"
    return set_alt(
        fig,
        f"Timeline of the {len(rows)} local AI plans of the corpus manifest against the State Council plan of July "
        f"2017, one row per plan, a dot for a date known to the day and a bar for a window of possible dates. Timing "
        f"relative to the plan: {classes}; {int((rows['precision'] == 'day').sum())} dates are known to the day.",
    )


def cnki_yearly_figure(
    counts: pd.DataFrame,
    *,
    source_label: str,
    title: str = "Chinese journal articles with 人工智能 (AI) and 安全 (security) in the title, CNKI",
) -> Figure:
    """Bar chart of yearly counts (``year``, ``count``), the form of the article's Figure 1.

    ``source_label`` is required and printed under the chart: a chart of counts must say where they
    come from (for example the CNKI export files and the date of the search).
    """
    if not source_label or not source_label.strip():
        raise ValueError("source_label must name where the counts come from (e.g. 'CNKI export of 2021-03-01')")
    missing = [c for c in ("year", "count") if c not in counts.columns]
    if missing:
        raise ValueError(f"counts need the column(s) {', '.join(missing)}; use analysis.corpus.cnki.yearly_counts")
    data = counts.sort_values("year")
    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.bar(data["year"].astype(int), data["count"].astype(int), color=PALETTE["security"], width=0.75)
    ax.set_xticks(data["year"].astype(int).tolist())
    ax.set_xticklabels([str(y) for y in data["year"].astype(int)], rotation=90, fontsize=9)
    ax.set_ylabel("articles per year")
    ax.set_title(title, fontsize=11)
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.text(0.01, 0.005, f"Data: {source_label.strip()}", fontsize=9, ha="left", va="bottom", color="#444444")
    total = int(data["count"].sum())
    ax.set_title(f"{title} (n = {total} articles)", fontsize=11)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    years = data["year"].astype(int)
    span = f"{years.min()}–{years.max()}" if len(years) else "no year"
    return set_alt(
        fig,
        f"Bar chart of {total} Chinese journal articles with 人工智能 (AI) and 安全 (security) in the title, by year "
        f"of publication, {span}, counted from the reader's CNKI exports.",
    )
