"""Figures of the chapter beyond the count (notebooks/beyond_the_count): who receives the security language, how
exceptional the language is, whose words it repeats. AI texts against control texts, each bar with its n, labels in
English (Chinese only as a term's own name), text at least 10 pt (the browser test measures it), alt text computed
from the data. Each function draws an empty state too: a figure that says, in place of the bars, that this build
holds no text to draw."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis.corpus import select
from analysis.present.plotting import OKABE_ITO, PALETTE, set_alt

TOPIC_COLOURS = {"ai": PALETTE["security"], "control": PALETTE["neutral"]}
TOPIC_NAMES = {"ai": "AI texts", "control": "control texts"}
STATUS_COLOURS = {"reference": OKABE_ITO["blue"], "control": OKABE_ITO["orange"], "new": "#d9d9d9"}
_SIZE = 10.0


def _empty(ax: plt.Axes, what: str) -> None:
    ax.text(0.5, 0.5, f"No {what} in this build", ha="center", va="center", fontsize=_SIZE + 1)
    ax.set_axis_off()


def _paired_bars(
    ax: plt.Axes,
    rows: list[str],
    ticks: list[str],
    counts: Mapping[str, pd.Series],
    totals: Mapping[str, int],
    unit: str,
) -> None:
    """One bar per row and topic (AI above control): ``counts[topic][row]`` as a share of ``totals[topic]``, each
    bar annotated ``k of n`` (``unit`` after it), the shares on a 0–100 % axis, the legend above."""
    height = 0.38
    for j, topic in enumerate(("ai", "control")):
        k, n = counts[topic].reindex(rows).fillna(0), int(totals[topic])
        shares = k / n if n else k * 0
        y = [i + (j - 0.5) * height for i in range(len(rows))]
        ax.barh(y, shares, height=height, color=TOPIC_COLOURS[topic], label=f"{TOPIC_NAMES[topic]} (n = {n}{unit})")
        for yi, share, ki in zip(y, shares, k, strict=True):
            ax.annotate(f"{int(ki)} of {n}", (share, yi), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=_SIZE)  # fmt: skip
    ax.set_yticks(range(len(rows)), ticks, fontsize=_SIZE)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.legend(fontsize=_SIZE, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)


def addressee_figure(summary: pd.DataFrame, labels: Mapping[str, str]) -> Figure:
    """Share of each topic's 安全 (outside names and citations) by the addressee of the clause; each bar says its
    count (``k of n``). ``summary`` is :func:`analysis.evidence.beyond.addressees.addressee_summary`; ``labels`` maps
    a class to its reader's label."""
    classes = list(labels)
    fig, ax = plt.subplots(figsize=(7.2, 1.4 + 0.5 * len(classes)))
    totals = {t: int(select.select_topic(summary, t)["anquan"].sum()) for t in ("ai", "control")}
    if sum(totals.values()) == 0:
        _empty(ax, "安全 (security) outside names in an AI or control text")
        return set_alt(fig, "No occurrence of anquan outside names in an AI or control text in this build.")
    counts = {t: select.select_topic(summary, t).set_index("addressee")["anquan"] for t in totals}
    _paired_bars(ax, classes, [textwrap.fill(labels[c], 34) for c in classes], counts, totals, " 安全")
    ax.set_xlabel("share of the topic's 安全 (ānquán, security) outside names and citations", fontsize=_SIZE)
    fig.tight_layout()
    parts = [
        f"{TOPIC_NAMES[t]}: " + ", ".join(f"{labels[a]} {int(k)}" for a, k in counts[t].items() if k) + f" (of {n})"
        for t, n in totals.items()
    ]
    alt = "Bar chart of the occurrences of anquan (security) outside names by the addressee of the clause. "
    return set_alt(fig, alt + "; ".join(parts) + ".")


def grammar_figure(summary: pd.DataFrame, kinds: Mapping[str, str]) -> Figure:
    """Share of the AI and the control texts that use at least one marker of each kind, each bar with ``k of n``
    texts. ``summary`` is :func:`analysis.evidence.beyond.grammar.grammar_summary`."""
    fig, ax = plt.subplots(figsize=(7.0, 2.8))
    if int(summary["texts"].sum()) == 0:
        _empty(ax, "Chinese AI or control text")
        return set_alt(fig, "No Chinese AI or control text in this build.")
    by_topic = {t: select.select_topic(summary, t).set_index("kind") for t in ("ai", "control")}
    totals = {t: int(part["texts"].iloc[0]) for t, part in by_topic.items()}
    counts = {t: part["texts_using"] for t, part in by_topic.items()}
    _paired_bars(ax, list(kinds), list(kinds.values()), counts, totals, " texts")
    ax.set_xlabel("share of the texts that use at least one", fontsize=_SIZE)
    fig.tight_layout()
    parts = [
        f"{kinds[k]} in {int(u)} of {int(n)} {TOPIC_NAMES[t]}"
        for t, k, u, n in zip(summary["topic"], summary["kind"], summary["texts_using"], summary["texts"], strict=True)
    ]
    return set_alt(fig, "Bar chart of the texts that use at least one marker: " + "; ".join(parts) + ".")


def provenance_figure(texts: pd.DataFrame, labels: Mapping[str, str], statuses: Mapping[str, str]) -> Figure:
    """Per text, its 安全 outside names and citations split by where the phrase comes from (an earlier reference law,
    an earlier control text, new), as shares of those judged; each row says its n. ``texts`` is
    :func:`analysis.evidence.beyond.provenance.text_summary`; ``labels`` maps ``doc_id`` to a title."""
    rows = texts[texts["judged"] > 0]
    rows = pd.concat([select.select_topic(rows, t) for t in ("ai", "control")], ignore_index=True)
    fig, ax = plt.subplots(figsize=(7.4, 1.5 + 0.62 * max(len(rows), 1)))
    if rows.empty:
        _empty(ax, "安全 (security) outside names in an AI or control text")
        return set_alt(fig, "No occurrence of anquan outside names in an AI or control text in this build.")
    left = pd.Series(0.0, index=rows.index)
    for status, colour in STATUS_COLOURS.items():
        share = rows[status] / rows["judged"]
        ax.barh(rows.index, share, left=left, color=colour, label=statuses[status], height=0.7)
        left += share
    names = [
        textwrap.fill(f"{'AI' if t == 'ai' else 'control'}: {labels.get(d, d)} (n = {int(n)})", 58)
        for d, t, n in zip(rows["doc_id"], rows["topic"], rows["judged"], strict=True)
    ]
    ax.set_yticks(rows.index, names, fontsize=_SIZE)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel("share of the text's 安全 (ānquán, security) outside names", fontsize=_SIZE)
    ax.legend(fontsize=_SIZE, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=1, frameon=False)
    fig.tight_layout()
    parts = [
        f"{labels.get(d, d)}: {int(r)} shared with a reference law, {int(c)} with a control text, {int(n)} new"
        for d, r, c, n in zip(rows["doc_id"], rows["reference"], rows["control"], rows["new"], strict=True)
    ]
    return set_alt(
        fig,
        "Stacked bars, one per text, of where its anquan (security) outside names comes from. "
        + "; ".join(parts)
        + ".",
    )
