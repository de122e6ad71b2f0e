"""Figures of the chapter on the securitizing move (chapter 2b): the AI texts against the control texts, and what
security is in the coded sentences. Rows are labelled with document titles (wrapped), not ids; text is at least
10 pt so that it stays legible at the book's page width (the browser test measures it)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis.present.plotting import OKABE_ITO, PALETTE

TOPIC_COLOURS = {"ai": PALETTE["security"], "control": PALETTE["neutral"]}
#: One colour per object of a coded sentence (colour-blind safe: Okabe-Ito, then grey for "other").
OBJECT_COLOURS = tuple(OKABE_ITO[c] for c in ("vermillion", "orange", "sky blue", "bluish green", "blue")) + (
    "#bbbbbb",
)
_SIZE = 10.0


def _label(doc_id: str, topic: str, labels: dict[str, str]) -> str:
    return textwrap.fill(f"{labels.get(doc_id, doc_id)} [{topic}]", 42)


def baseline_figure(table: pd.DataFrame, strata: Sequence[str], label: str, labels: dict[str, str]) -> Figure:
    """Per stratum (local regulations, central rules …), each document's rate per 10,000 characters with its exact
    95% Poisson interval; AI texts in red, control texts in grey. ``table`` has ``stratum``, ``doc_id``, ``topic``,
    ``per_10k``, ``per_10k_lo`` and ``per_10k_hi``; ``strata`` gives their order."""
    present = [s for s in strata if s in set(table["stratum"])]
    sizes = [int((table["stratum"] == s).sum()) for s in present]
    fig, axes = plt.subplots(
        len(present), 1, figsize=(7.0, 1.4 + 0.75 * sum(sizes) + 0.7 * len(sizes)), squeeze=False,
        gridspec_kw={"height_ratios": sizes},
    )  # fmt: skip
    for ax, stratum in zip(axes[:, 0], present, strict=True):
        g = table[table["stratum"] == stratum].reset_index(drop=True)
        colours = [TOPIC_COLOURS.get(t, PALETTE["neutral"]) for t in g["topic"]]
        for i, row in g.iterrows():
            x, lo, hi = row["per_10k"], row["per_10k_lo"], row["per_10k_hi"]
            ax.errorbar([x], [i], xerr=[[x - lo], [hi - x]], fmt="none", ecolor=colours[i], elinewidth=1.2, capsize=3)
        ax.scatter(g["per_10k"], list(range(len(g))), c=colours, zorder=3)
        ax.set_yticks(list(range(len(g))), [_label(d, t, labels) for d, t in zip(g["doc_id"], g["topic"], strict=True)])
        ax.tick_params(labelsize=_SIZE)
        ax.set_ylim(len(g) - 0.5, -0.5)
        ax.set_title(stratum.replace("_", " "), fontsize=_SIZE, loc="left")
        ax.set_xlim(0, float(table["per_10k_hi"].max()) * 1.05)
    axes[-1, 0].set_xlabel("occurrences per 10,000 characters, with exact 95% Poisson interval", fontsize=_SIZE)
    fig.suptitle(
        textwrap.fill(label + ": AI texts (red) and control texts (grey), within each stratum", 80), fontsize=_SIZE
    )
    fig.tight_layout()
    return fig


def objects_figure(summary: pd.DataFrame, objects: Sequence[str], labels: dict[str, str]) -> Figure:
    """Per document, the share of its sentences with security words by the object security has in them.
    ``summary`` has ``doc_id``, ``topic``, ``passages`` and one ``object_<name>`` count per object."""
    share = summary.set_index("doc_id")
    cols = [f"object_{o}" for o in objects]
    frac = share[cols].div(share["passages"].where(share["passages"] > 0), axis=0).fillna(0)
    fig, ax = plt.subplots(figsize=(7.0, 0.6 * len(frac) + 1.8))
    left = pd.Series(0.0, index=frac.index)
    for col, colour in zip(cols, OBJECT_COLOURS, strict=False):
        name = col.removeprefix("object_").replace("_", " ")
        ax.barh(range(len(frac)), frac[col], left=left, color=colour, edgecolor="#666666", linewidth=0.3, label=name)
        left = left + frac[col]
    ax.set_yticks(range(len(frac)), [_label(d, t, labels) for d, t in zip(frac.index, share["topic"], strict=True)])
    ax.tick_params(labelsize=_SIZE)
    ax.invert_yaxis()
    ax.set_xlabel("share of sentences with security words, by what security is in them", fontsize=_SIZE)
    ax.legend(fontsize=_SIZE, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / max(len(frac), 1)),
              frameon=False)  # fmt: skip
    fig.tight_layout()
    return fig
