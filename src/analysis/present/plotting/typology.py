"""Figure for the domestic-context chapter: the non-traditional security typology counted over the corpus."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.present.plotting import bilingual
from analysis.sections.typology import typology_types


def typology_heatmap(counts: pd.DataFrame, typology: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Heat map of :func:`type_counts`: one row per document, one column per type (bilingual labels), counts written in.

    With no document (an empty corpus) the figure says so instead of drawing an empty grid.
    """
    types = typology_types(typology).set_index("type_key").reindex(counts.columns)
    values = counts.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(1.0 + 0.75 * counts.shape[1], 1.6 + 0.42 * max(counts.shape[0], 1)))
    if counts.shape[0] == 0:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            "没有可用的中文文件\nno Chinese document is available in this build",
            ha="center",
            va="center",
            fontsize=10,
            transform=ax.transAxes,
        )
        ax.set_title(title or "各类安全词汇出现次数\nMatches of each security type's vocabulary", fontsize=10)
        return fig
    vmax = max(float(values.max()), 1.0)
    ax.imshow(values, cmap="Reds", vmin=0, vmax=vmax, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        text = f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"
        ax.text(j, i, text, ha="center", va="center", fontsize=9, color="white" if v > 0.6 * vmax else "#222222")
    labels = [bilingual(r["type_zh"], r["type_en"]) for _, r in types.iterrows()]
    ax.set_xticks(range(counts.shape[1]), labels, rotation=90, fontsize=9)
    ax.set_yticks(range(counts.shape[0]), list(counts.index), fontsize=9)
    traditional = int((types["category"] == "traditional").sum())
    groups = [
        (0, traditional, bilingual("传统安全", "traditional", sep=" ")),
        (traditional, counts.shape[1], bilingual("非传统安全", "non-traditional", sep=" ")),
    ]
    for lo, hi, label in groups:
        if hi > lo:
            ax.text((lo + hi - 1) / 2, -0.6, label, ha="center", va="bottom", fontsize=9)
    if 0 < traditional < counts.shape[1]:
        ax.axvline(traditional - 0.5, color="#333333", linewidth=1.5)
    ax.grid(False)
    ax.set_xlabel("安全类型 type of security", fontsize=9)
    ax.set_ylabel("文件 document", fontsize=9)
    ax.set_title(title or "各类安全词汇出现次数\nMatches of each security type's vocabulary", fontsize=10, pad=22)
    fig.tight_layout()
    return fig
