"""The argument map of the article's section 6: how securitization may undermine China's own AI objectives.

Four columns of boxes, left to right: the securitizing move; what it drives (the ``driver`` column of
``data/facts/consequences.csv``); the five consequences (a)–(e); the two objectives the article names
(a booming AI economy, global AI leadership). Arrows follow the table: move → driver → consequence →
objective(s). A consequence computed in the book can carry a one-line note (``notes``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from analysis.present.plotting import PALETTE, set_alt

OBJECTIVES: tuple[str, ...] = ("booming AI economy", "global AI leadership")
MOVE_TEXT = "Securitizing move\nthe central government labels AI a security matter"

_COL_X = (0.095, 0.31, 0.60, 0.905)  # centres of the four columns (axes fraction)
_COL_W = (0.165, 0.19, 0.33, 0.165)  # box widths
_WRAP = (15, 18, 33, 13)  # characters per line in each column (at 10.5 pt on a 9-inch figure)


def cap(text: str) -> str:
    """``text`` with its first letter in upper case (sentence case for the box texts)."""
    return text[:1].upper() + text[1:]


def _box(
    ax: plt.Axes,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    *,
    face: str,
    edge: str,
    size: float = 10.5,
    weight: str = "normal",
) -> None:
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.004,rounding_size=0.012",
            facecolor=face,
            edgecolor=edge,
            lw=1.3,
            transform=ax.transAxes,
            zorder=2,
            clip_on=False,
        )
    )
    ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=size,
        fontweight=weight,
        transform=ax.transAxes,
        zorder=3,
        linespacing=1.25,
        clip_on=False,
    )


def _arrow(
    ax: plt.Axes, start: tuple[float, float], end: tuple[float, float], colour: str, *, dashed: bool = False
) -> None:
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=13,
            lw=1.4,
            color=colour,
            linestyle=(0, (4, 3)) if dashed else "solid",
            shrinkA=0,
            shrinkB=0,
            transform=ax.transAxes,
            zorder=1,
        )
    )


def _objectives(value: str) -> list[str]:
    found = [o.strip() for o in value.split(";") if o.strip()]
    unknown = [o for o in found if o not in OBJECTIVES]
    if unknown:
        raise ValueError(f"unknown objective(s) {unknown}; expected {', '.join(OBJECTIVES)} (separated by ';')")
    return found


def consequences_argument_map(consequences: pd.DataFrame, *, notes: Mapping[str, str] | None = None) -> Figure:
    """Draw the argument map from the consequences table (one row per consequence, ids a–e).

    Needs the columns ``consequence_id, consequence, driver, objective_undermined``; when the table has
    ``objective_basis``, links whose basis starts with "our reading" are drawn dashed. ``notes`` maps a
    consequence id to a short line printed in its box (e.g. a computed indicator).
    """
    needed = ["consequence_id", "consequence", "driver", "objective_undermined"]
    missing = [c for c in needed if c not in consequences.columns]
    if missing:
        raise ValueError(f"the consequences table lacks column(s) {', '.join(missing)}")
    notes = dict(notes or {})
    rows = consequences.sort_values("consequence_id").reset_index(drop=True)
    drivers = list(dict.fromkeys(rows["driver"]))  # first-appearance order after sorting by id

    fig, ax = plt.subplots(figsize=(9, 8))
    fig.subplots_adjust(left=0.01, right=0.99, top=0.99, bottom=0.01)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)

    top, bottom = 0.91, 0.07
    n = len(rows)
    slot = (top - bottom) / n
    cons_y = {r.consequence_id: top - slot * (i + 0.5) for i, r in enumerate(rows.itertuples())}
    driver_y = {}
    for d in drivers:
        ys = [cons_y[r.consequence_id] for r in rows.itertuples() if r.driver == d]
        driver_y[d] = sum(ys) / len(ys)
    obj_y = {OBJECTIVES[0]: top - (top - bottom) * 0.28, OBJECTIVES[1]: top - (top - bottom) * 0.72}
    move_y = (top + bottom) / 2

    # Column headings.
    headings = ("Securitizing\nmove", "What it\ndrives", "Consequences\n(a)–(e)", "China's objectives\nundermined")
    for x, heading in zip(_COL_X, headings, strict=False):
        ax.text(x, 0.965, heading, ha="center", va="center", fontsize=11, color="#222222", transform=ax.transAxes)

    # Arrows first (under the boxes).
    grey = "#555555"
    for d in drivers:
        _arrow(ax, (_COL_X[0] + _COL_W[0] / 2, move_y), (_COL_X[1] - _COL_W[1] / 2, driver_y[d]), grey)
    has_basis = "objective_basis" in rows.columns
    for r in rows.itertuples():
        _arrow(
            ax,
            (_COL_X[1] + _COL_W[1] / 2, driver_y[r.driver]),
            (_COL_X[2] - _COL_W[2] / 2, cons_y[r.consequence_id]),
            grey,
        )
        ours = has_basis and str(r.objective_basis).strip().lower().startswith("our reading")
        for o in _objectives(r.objective_undermined):
            _arrow(
                ax,
                (_COL_X[2] + _COL_W[2] / 2, cons_y[r.consequence_id]),
                (_COL_X[3] - _COL_W[3] / 2, obj_y[o]),
                PALETTE["security"],
                dashed=ours,
            )

    move = MOVE_TEXT.split("\n", 1)[1]
    boxes: list[tuple[int, float, float, str, str, str, float]] = [
        (0, move_y, 0.22, textwrap.fill(cap(move), _WRAP[0]), "#fde0dd", PALETTE["security"], 10.5)
    ]
    boxes += [(1, driver_y[d], slot * 0.78, textwrap.fill(cap(d), _WRAP[1]), "#f0f0f0", grey, 10.5) for d in drivers]
    for r in rows.itertuples():
        body = textwrap.fill(f"({r.consequence_id}) " + r.consequence, _WRAP[2])
        if r.consequence_id in notes:
            body += "\n" + textwrap.fill("▸ " + notes[r.consequence_id], _WRAP[2])
        boxes.append((2, cons_y[r.consequence_id], slot * 0.78, body, "#deebf7", PALETTE["development"], 10.5))
    boxes += [
        (3, obj_y[o], 0.12, textwrap.fill(cap(o), _WRAP[3]), "#ffffff", PALETTE["security"], 11) for o in OBJECTIVES
    ]
    for col, y, h, text, face, edge, size in boxes:
        _box(ax, _COL_X[col], y, _COL_W[col], h, text, face=face, edge=edge, size=size)
    legend = "Solid red arrow: link stated by the article.  Dashed: our reading."
    ax.text(
        0.0,
        0.005,
        legend if has_basis else "",
        ha="left",
        va="bottom",
        fontsize=9.5,
        color="#444444",
        transform=ax.transAxes,
    )
    computed = "; ".join(f"({k}) {v}" for k, v in notes.items())
    return set_alt(
        fig,
        f"Argument map of the article's section 6 in four columns: the securitizing move; what it drives "
        f"({'; '.join(drivers)}); the {n} consequences ({', '.join(rows['consequence_id'])}); and the objectives they "
        f"undermine ({'; '.join(OBJECTIVES)})." + (f" Notes in the boxes: {computed}." if computed else ""),
    )
