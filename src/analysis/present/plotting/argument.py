"""Figures of the chapter on the securitizing move (notebooks/securitizing_move): the AI texts against the control texts, and what
security is in the coded sentences. Rows are labelled with document titles (wrapped), not ids, and every row and
panel says its n (occurrences and characters of a text; documents on each side of a comparison; sentences behind a
share); text is at least 10 pt so that it stays legible at the book's page width (the browser test measures it).
Each figure carries alt text computed from its data (:func:`analysis.present.plotting.set_alt`), and draws an empty
state that says in place of the marks that this build holds nothing to draw."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from analysis.corpus import select
from analysis.present.plotting import OKABE_ITO, PALETTE, set_alt

TOPIC_COLOURS = {"ai": PALETTE["security"], "control": PALETTE["neutral"]}
#: One colour per object of a coded sentence (colour-blind safe: Okabe-Ito, then grey for "other").
OBJECT_COLOURS = tuple(OKABE_ITO[c] for c in ("vermillion", "orange", "sky blue", "bluish green", "blue")) + (
    "#bbbbbb",
)
#: Shares of fewer sentences than this are not drawn as bars (a share of 1 or 2 sentences is not a distribution).
MIN_SHARE_N = 3
#: The ratio axis of :func:`ratio_figure` (log scale); bounds beyond it end in an arrow.
RATIO_LIMITS = (0.02, 50.0)
_SIZE = 10.0


def _n(text: str) -> str:
    """``text`` with no-break spaces, so that a wrapped label never splits an "n = 12"."""
    return text.replace(" ", "\u00a0")


def _empty(what: str) -> Figure:
    fig, ax = plt.subplots(figsize=(7.0, 1.6))
    ax.text(0.5, 0.5, f"No {what} in this build", ha="center", va="center", fontsize=_SIZE + 1)
    ax.set_axis_off()
    return set_alt(fig, f"Empty figure: no {what} in this build, so nothing is drawn.")


def _label(doc_id: str, topic: str, labels: Mapping[str, str], extra: str = "") -> str:
    return textwrap.fill(f"{labels.get(doc_id, doc_id)} [{topic}]" + (f" {extra}" if extra else ""), 42)


def baseline_figure(table: pd.DataFrame, strata: Sequence[str], label: str, labels: Mapping[str, str]) -> Figure:
    """Per stratum, each document's rate per 10,000 characters with its exact 95% Poisson interval; AI texts in red,
    control texts in grey; each row gives its count and characters, each panel its documents per side.

    ``table`` is :func:`analysis.sections.move.baseline.document_measures` (``stratum``, ``doc_id``, ``topic``, ``count``,
    ``chars``, ``per_10k``, ``per_10k_lo``, ``per_10k_hi``); ``strata`` gives their order."""
    present = [s for s in strata if s in set(table["stratum"])]
    if not present:
        return _empty("AI or control text of a stratum")
    sizes = [int((table["stratum"] == s).sum()) for s in present]
    fig, axes = plt.subplots(
        len(present), 1, figsize=(7.0, 1.4 + 0.85 * sum(sizes) + 0.7 * len(sizes)), squeeze=False,
        gridspec_kw={"height_ratios": sizes},
    )  # fmt: skip
    for ax, stratum in zip(axes[:, 0], present, strict=True):
        g = table[table["stratum"] == stratum].reset_index(drop=True)
        colours = [TOPIC_COLOURS.get(t, PALETTE["neutral"]) for t in g["topic"]]
        for i, row in g.iterrows():
            x, lo, hi = row["per_10k"], row["per_10k_lo"], row["per_10k_hi"]
            ax.errorbar([x], [i], xerr=[[x - lo], [hi - x]], fmt="none", ecolor=colours[i], elinewidth=1.2, capsize=3)
        ax.scatter(g["per_10k"], list(range(len(g))), c=colours, zorder=3)
        ticks = [
            _label(d, t, labels, f"{_n(f'(n = {k:,}')} in {_n(f'{c:,} characters)')}")
            for d, t, k, c in zip(g["doc_id"], g["topic"], g["count"], g["chars"], strict=True)
        ]
        ax.set_yticks(list(range(len(g))), ticks)
        ax.tick_params(labelsize=_SIZE)
        ax.set_ylim(len(g) - 0.5, -0.5)
        n_ai = int(select.is_topic(g, select.AI).sum())
        n_ctl = len(g) - n_ai
        ax.set_title(f"{stratum.replace('_', ' ')}: {n_ai} AI, {n_ctl} control", fontsize=_SIZE, loc="left")
        ax.set_xlim(0, float(table["per_10k_hi"].max()) * 1.05)
    axes[-1, 0].set_xlabel("occurrences per 10,000 characters,\nwith exact 95% Poisson interval", fontsize=_SIZE)
    fig.suptitle(
        textwrap.fill(label + ": AI texts (red) and control texts (grey), within each stratum", 80), fontsize=_SIZE
    )
    fig.tight_layout()
    rows = table[table["stratum"].isin(present)]
    parts = [
        f"{labels.get(d, d)} [{t}] {x:.1f} ({k} in {c:,} characters)"
        for d, t, x, k, c in zip(
            rows["doc_id"], rows["topic"], rows["per_10k"], rows["count"], rows["chars"], strict=True
        )
    ]
    panels = "; ".join(f"{s.replace('_', ' ')}: {n} texts" for s, n in zip(present, sizes, strict=True))
    alt = f"Dots with exact 95% intervals, one per text, of {label} per 10,000 characters, in {len(present)} strata"
    return set_alt(fig, f"{alt} ({panels}): " + "; ".join(parts) + ".")


def ratio_figure(rows: pd.DataFrame) -> Figure:
    """Rate ratios AI / control with their document-level (quasi-Poisson, t) 95% intervals, one row per comparison
    and measure, on a log axis; each row gives its documents per side and its verdict. A row without an interval
    (one document per side) is drawn as a hollow point; a bound beyond :data:`RATIO_LIMITS` ends in an arrow.

    ``rows`` has ``row`` (the label), ``ai_docs``, ``control_docs``, ``ratio``, ``qp_lo``, ``qp_hi``, ``verdict``."""
    if rows.empty:
        return _empty("comparison with an AI and a control text")
    lo_lim, hi_lim = RATIO_LIMITS
    fig, ax = plt.subplots(figsize=(7.0, 1.6 + 0.62 * len(rows)))
    for i, r in enumerate(rows.itertuples(index=False)):
        has = not (math.isnan(r.qp_lo) or math.isnan(r.qp_hi))
        x = min(max(r.ratio, lo_lim), hi_lim) if not math.isnan(r.ratio) else math.nan
        if has:
            a, b = max(r.qp_lo, lo_lim), min(r.qp_hi, hi_lim)
            ax.plot([a, b], [i, i], color=PALETTE["security"], linewidth=1.4)
            if r.qp_lo < lo_lim:
                ax.plot([lo_lim], [i], marker="<", color=PALETTE["security"])
            if r.qp_hi > hi_lim:
                ax.plot([hi_lim], [i], marker=">", color=PALETTE["security"])
        face = PALETTE["security"] if has else "white"
        ax.scatter([x], [i], s=30, facecolors=face, edgecolors=PALETTE["security"], zorder=3)
        ax.annotate(r.verdict, (hi_lim, i), xytext=(6, 0), textcoords="offset points", va="center", fontsize=_SIZE)
    ax.axvline(1.0, color=PALETTE["neutral"], linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    ax.set_xlim(lo_lim, hi_lim)
    ax.set_xticks([t for t in (0.02, 0.1, 0.5, 1, 2, 10, 50) if lo_lim <= t <= hi_lim])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ticks = [
        textwrap.fill(f"{r.row} {_n(f'(n = {r.ai_docs} AI,')} {_n(f'{r.control_docs} control)')}", 44)
        for r in rows.itertuples()
    ]
    ax.set_yticks(range(len(rows)), ticks)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.tick_params(labelsize=_SIZE)
    ax.set_xlabel(
        "rate ratio AI / control (log scale), 95% quasi-Poisson\ninterval with the document as the unit;"
        " hollow: one document\nper side, no interval",
        fontsize=_SIZE,
    )
    fig.tight_layout()
    parts = [
        f"{r.row} ({r.ai_docs} AI, {r.control_docs} control): ratio {_ratio_text(r.ratio, r.qp_lo, r.qp_hi)}, {r.verdict}"
        for r in rows.itertuples(index=False)
    ]
    return set_alt(
        fig, "Rate ratios AI / control on a log scale, one row per comparison and measure: " + "; ".join(parts) + "."
    )


def _ratio_text(ratio: float, lo: float, hi: float) -> str:
    if math.isnan(ratio):
        return "undefined"
    if math.isnan(lo) or math.isnan(hi):
        return f"{ratio:.2f} with no interval"
    return f"{ratio:.2f} [{lo:.2f} to {hi:.2f}]"


def objects_figure(
    summary: pd.DataFrame, objects: Sequence[str], labels: Mapping[str, str], min_n: int = MIN_SHARE_N
) -> Figure:
    """Per document, the share of its sentences with security words by the object security has in them; each row
    gives its n (sentences). Documents with fewer than ``min_n`` such sentences are not drawn as bars: they are
    named under the figure with their n. ``summary`` has ``doc_id``, ``topic``, ``passages`` and one
    ``object_<name>`` count per object."""
    share = summary.set_index("doc_id")
    if share.empty:
        return _empty("sentence with security words")
    small = share[share["passages"] < min_n]
    share = share[share["passages"] >= min_n]
    cols = [f"object_{o}" for o in objects]
    frac = share[cols].div(share["passages"].where(share["passages"] > 0), axis=0).fillna(0)
    note = ""
    if len(small):
        note = textwrap.fill(
            f"Not drawn (fewer than {min_n} sentences): "
            + "; ".join(
                f"{labels.get(d, d)} (n = {int(n)})" for d, n in zip(small.index, small["passages"], strict=True)
            ),
            95,
        )
    note_height = (0.17 * (note.count("\n") + 1) + 0.1) if note else 0.0  # inches: lines of the note at _SIZE
    if frac.empty:  # every text has too few sentences: the note alone
        fig = plt.figure(figsize=(7.0, note_height + 0.6))
        fig.text(0.01, 0.5, note, fontsize=_SIZE, va="center")
        return set_alt(fig, f"No bars: every text has fewer than {min_n} sentences with security words. {note}")
    height = 0.6 * len(frac) + 2.2 + note_height
    fig, ax = plt.subplots(figsize=(7.0, height))
    left = pd.Series(0.0, index=frac.index)
    for col, colour in zip(cols, OBJECT_COLOURS, strict=False):
        name = col.removeprefix("object_").replace("_", " ")
        ax.barh(range(len(frac)), frac[col], left=left, color=colour, edgecolor="#666666", linewidth=0.3, label=name)
        left = left + frac[col]
    ticks = [
        _label(d, t, labels, _n(f"(n = {int(n)})"))
        for d, t, n in zip(frac.index, share["topic"], share["passages"], strict=True)
    ]
    ax.set_yticks(range(len(frac)), ticks)
    ax.tick_params(labelsize=_SIZE)
    ax.invert_yaxis()
    ax.set_xlabel("share of n sentences with security words, by what security is in them", fontsize=_SIZE)
    ax.legend(fontsize=_SIZE, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / max(len(frac), 1)),
              frameon=False)  # fmt: skip
    if note:
        fig.text(0.01, 0.01, note, fontsize=_SIZE, va="bottom")
    fig.tight_layout(rect=(0, note_height / height, 1, 1))
    parts = []
    for d, n in zip(frac.index, share["passages"], strict=True):
        top = frac.loc[d].idxmax()
        parts.append(
            f"{labels.get(d, d)} (n = {int(n)}): most often {top.removeprefix('object_')} ({frac.loc[d, top]:.0%})"
        )
    drawn = "; ".join(parts) or "no text has enough sentences to draw"
    left_out = f" Not drawn, fewer than {min_n} sentences: {len(small)} texts." if len(small) else ""
    return set_alt(fig, f"Stacked bars of the share of each text's sentences with security words by the object "
                        f"security has in them: {drawn}.{left_out}")  # fmt: skip
