"""Figures of the keyword chapter: the senses of 安全 per document, and security-vocabulary density over time.

Both functions take tables computed by :mod:`analysis.counting` and return a matplotlib Figure;
they draw nothing themselves from the corpus. Labels pair Chinese with an English gloss
(:func:`analysis.present.plotting.bilingual`). Call :func:`analysis.present.plotting.setup_plotting` first.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis.io.dates import date_position
from analysis.present.plotting import OKABE_ITO, PALETTE, bilingual, set_alt

# Red, grey, blue: no red-green pair, so the three senses stay apart for colour-blind readers.
SENSE_COLORS: dict[str, str] = {"security": PALETTE["security"], "ambiguous": "#9a9a9a", "safety": OKABE_ITO["blue"]}
SENSE_LABELS: dict[str, str] = {
    "security": "security sense (e.g. 国家安全 national security)",
    "ambiguous": "ambiguous (e.g. 安全风险 security/safety risk)",
    "safety": "safety sense (e.g. 安全生产 work safety)",
}


def plot_sense_breakdown(summary: pd.DataFrame, *, labels: Mapping[str, str] | None = None) -> Figure:
    """Horizontal stacked bars: occurrences of 安全 per document split into security / ambiguous / safety.

    ``summary`` is :func:`analysis.counting.sense_summary` (one row per document, sorted by the
    caller); ``labels`` maps ``doc_id`` to the label shown (default: the documents' titles and dates,
    :func:`analysis.present.labels.document_labels`), wrapped to lines of at most 34 characters. The alt text
    says what the bars show and which document has the most occurrences.
    """
    from analysis.present.labels import document_labels

    df = summary.reset_index(drop=True)
    labels = document_labels() if labels is None else labels
    names = [textwrap.fill(labels.get(d, d), 34) for d in df["doc_id"]]
    height = max(2.2, 0.42 * len(df) + 1.4)
    fig, ax = plt.subplots(figsize=(8.0, height + 0.85))
    left = pd.Series(0, index=df.index, dtype="int64")
    for sense in ("security", "ambiguous", "safety"):
        ax.barh(names, df[sense], left=left, color=SENSE_COLORS[sense], label=SENSE_LABELS[sense], height=0.65)
        left = left + df[sense]
    for y, total in enumerate(df["all"]):
        ax.text(total + 0.2, y, str(int(total)), va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel(bilingual("“安全”出现次数", "occurrences of 安全 (ānquán)", sep=" / "))
    ax.set_title(bilingual("“安全”的两种含义", "安全: security or safety? (by collocation rule)"))
    ax.set_xlim(0, max(1, int(df["all"].max()) if len(df) else 1) * 1.12 + 1)
    ax.grid(axis="y", visible=False)
    handles, texts = ax.get_legend_handles_labels()
    fig.legend(handles, texts, loc="lower center", ncol=1, fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.85 / (height + 0.85), 1, 1))
    return set_alt(fig, _sense_alt(df, labels))


def _sense_alt(df: pd.DataFrame, labels: Mapping[str, str]) -> str:
    if df.empty:
        return "Empty bar chart: no document is available in this build, so no occurrence of 安全 is split by sense."
    top = df.loc[df["all"].idxmax()]
    return (
        f"Horizontal stacked bars, one per document ({len(df)} documents, in order of issue), splitting the "
        "occurrences of 安全 (ānquán) into the security, ambiguous and safety senses. The most occurrences are in "
        f"{labels.get(top['doc_id'], top['doc_id'])}: {int(top['all'])} ({int(top['security'])} security, "
        f"{int(top['ambiguous'])} ambiguous, {int(top['safety'])} safety)."
    )


def _missing_runs(years: Sequence[int], start: int, end: int) -> list[tuple[int, int]]:
    """Runs ``(first, last)`` of consecutive years in ``start..end`` that are not in ``years``."""
    present = set(years)
    runs: list[tuple[int, int]] = []
    for y in range(start, end + 1):
        if y in present:
            continue
        if runs and runs[-1][1] == y - 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


def plot_density_timeline(
    table: pd.DataFrame,
    series: Sequence[tuple[str, str, str]],
    *,
    start_year: int = 2015,
    end_year: int = 2025,
    colors: Mapping[str, str] | None = None,
) -> Figure:
    """Density per 10,000 characters of several measures for every document, on one time axis.

    ``table`` has one row per document with a ``date`` column (ISO, possibly without day or
    month) and one column per measure; ``series`` lists ``(column, label_zh, label_en)``, one
    panel each, top to bottom. Each document is a marker at its date; no line or mean joins them, because a
    handful of documents of mixed genres cannot carry a trend. The title gives n, the documents drawn. The x-axis
    always spans ``start_year`` to ``end_year``; years without any document are shaded and labelled, so gaps show as
    gaps. Documents without a date are left out.
    """
    df = table[table["date"].astype(str).str.strip() != ""].copy()  # undated documents cannot be placed
    # An explicit datetime dtype: with zero documents an empty list would give an object column.
    df["_x"] = pd.to_datetime(pd.Series([date_position(d) for d in df["date"]], index=df.index, dtype="datetime64[ns]"))
    df = df.sort_values(["_x", "doc_id"], kind="mergesort")
    default = [
        PALETTE["security"],
        OKABE_ITO["orange"],
        OKABE_ITO["reddish purple"],
        OKABE_ITO["bluish green"],
        PALETTE["development"],
        PALETTE["neutral"],
    ]
    n = len(series)
    fig, axes = plt.subplots(n, 1, figsize=(9.0, 1.35 * n + 1.3), sharex=True, squeeze=False)
    runs = _missing_runs(sorted(int(y) for y in df["_x"].dt.year.unique()), start_year, end_year)
    for i, (col, zh, en) in enumerate(series):
        ax = axes[i, 0]
        color = (colors or {}).get(col, default[i % len(default)])
        for first, last in runs:
            ax.axvspan(pd.Timestamp(first, 1, 1), pd.Timestamp(last + 1, 1, 1), color="#000000", alpha=0.05, lw=0)
        ax.scatter(df["_x"], df[col], color=color, s=30, alpha=0.9, zorder=3, edgecolor="white", linewidth=0.5)
        top = float(df[col].max()) if len(df) else 0.0
        ax.set_ylim(0, max(1.0, top) * 1.18)
        ax.set_ylabel(bilingual(zh, en), rotation=0, ha="right", va="center", fontsize=9, labelpad=8)
        ax.tick_params(axis="y", labelsize=9)
        ax.grid(axis="x", visible=False)
    top_ax = axes[0, 0]
    for first, last in runs:
        if last - first >= 1:
            mid = pd.Timestamp(first, 1, 1) + (pd.Timestamp(last + 1, 1, 1) - pd.Timestamp(first, 1, 1)) / 2
            top_ax.text(
                mid,
                top_ax.get_ylim()[1] * 0.5,
                "本构建中无文件\nno document in this build",
                ha="center",
                va="center",
                fontsize=9,
                color="#555555",
            )
    last_ax = axes[-1, 0]
    last_ax.set_xlim(pd.Timestamp(start_year, 1, 1), pd.Timestamp(end_year + 1, 1, 1))
    last_ax.xaxis.set_major_locator(mdates.YearLocator())
    last_ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    last_ax.set_xlabel(bilingual("发布日期", "date issued", sep=" / "))
    fig.suptitle(
        bilingual(
            "中央文件中的安全词汇（每万字）",
            f"security vocabulary per 10,000 characters; dots: documents (n = {len(df)})",
        ),
        fontsize=11,
    )
    fig.tight_layout()
    return set_alt(fig, _density_alt(df, series, start_year, end_year))


def _density_alt(df: pd.DataFrame, series: Sequence[tuple[str, str, str]], start: int, end: int) -> str:
    from analysis.present.labels import document_labels

    measures = "; ".join(" ".join(en.split()) for _, _, en in series)
    text = (
        f"{len(series)} panels of dots, one per measure per 10,000 characters ({measures}), on one time axis from "
        f"{start} to {end}: each dot is a document at its date of issue; years without a document are shaded. "
    )
    col, _, en = series[0] if series else ("", "", "")
    if df.empty or not col or df[col].isna().all():
        return text + "No document is available in this build, so every panel is empty."
    top = df.loc[df[col].idxmax()]
    name = document_labels().get(top["doc_id"], top["doc_id"])
    return text + (
        f"{len(df)} documents, {df['_x'].dt.year.min()} to {df['_x'].dt.year.max()}; the highest "
        f"{' '.join(en.split())} is {top[col]:.1f}, in {name}."
    )
