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


def addressee_figure(summary: pd.DataFrame, labels: Mapping[str, str]) -> Figure:
    """Share of each topic's 安全 (outside names and citations) by the addressee of the clause; each bar says its
    count (``k of n``). ``summary`` is :func:`analysis.evidence.beyond.addressees.addressee_summary`; ``labels`` maps
    a class to its reader's label."""
    classes = list(labels)
    fig, ax = plt.subplots(figsize=(7.2, 1.4 + 0.5 * len(classes)))
    totals = summary.groupby("topic")["anquan"].sum()
    if int(totals.sum()) == 0:
        _empty(ax, "安全 (security) outside names in an AI or control text")
        return set_alt(fig, "No occurrence of anquan outside names in an AI or control text in this build.")
    height = 0.38
    for j, topic in enumerate(("ai", "control")):
        part = select.select_topic(summary, topic).set_index("addressee").reindex(classes)
        n = int(totals.get(topic, 0))
        shares = (part["anquan"] / n).fillna(0) if n else part["anquan"] * 0
        y = [i + (j - 0.5) * height for i in range(len(classes))]
        ax.barh(y, shares, height=height, color=TOPIC_COLOURS[topic], label=f"{TOPIC_NAMES[topic]} (n = {n} 安全)")
        for yi, share, k in zip(y, shares, part["anquan"], strict=True):
            ax.annotate(f"{int(k)} of {n}", (share, yi), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=_SIZE)  # fmt: skip
    ax.set_yticks(range(len(classes)), [textwrap.fill(labels[c], 34) for c in classes], fontsize=_SIZE)
    ax.set_ylim(len(classes) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel("share of the topic's 安全 (ānquán, security) outside names and citations", fontsize=_SIZE)
    ax.legend(fontsize=_SIZE, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)
    fig.tight_layout()
    parts = [
        f"{TOPIC_NAMES[t]}: "
        + ", ".join(f"{labels[a]} {int(k)}" for a, k in zip(p["addressee"], p["anquan"], strict=True) if k)
        + f" (of {int(totals.get(t, 0))})"
        for t, p in ((t, select.select_topic(summary, t)) for t in ("ai", "control"))
    ]
    return set_alt(
        fig,
        "Bar chart of the occurrences of anquan (security) outside names by the addressee of the clause. "
        + "; ".join(parts)
        + ".",
    )


def grammar_figure(summary: pd.DataFrame, kinds: Mapping[str, str]) -> Figure:
    """Share of the AI and the control texts that use at least one marker of each kind, each bar with ``k of n``
    texts. ``summary`` is :func:`analysis.evidence.beyond.grammar.grammar_summary`."""
    fig, ax = plt.subplots(figsize=(7.0, 2.8))
    if int(summary["texts"].sum()) == 0:
        _empty(ax, "Chinese AI or control text")
        return set_alt(fig, "No Chinese AI or control text in this build.")
    height = 0.38
    for j, topic in enumerate(("ai", "control")):
        part = select.select_topic(summary, topic).set_index("kind").reindex(list(kinds))
        n = int(part["texts"].iloc[0])
        shares = part["texts_using"] / n if n else part["texts_using"] * 0
        y = [i + (j - 0.5) * height for i in range(len(kinds))]
        ax.barh(y, shares, height=height, color=TOPIC_COLOURS[topic], label=f"{TOPIC_NAMES[topic]} (n = {n})")
        for yi, share, k in zip(y, shares, part["texts_using"], strict=True):
            ax.annotate(f"{int(k)} of {n} texts", (share, yi), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=_SIZE)  # fmt: skip
    ax.set_yticks(range(len(kinds)), list(kinds.values()), fontsize=_SIZE)
    ax.set_ylim(len(kinds) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel("share of the texts that use at least one", fontsize=_SIZE)
    ax.legend(fontsize=_SIZE, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)
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
