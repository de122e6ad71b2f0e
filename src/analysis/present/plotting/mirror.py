"""Figures of the US–China mirror chapter (issue 8): what the build holds, and security vocabulary on one time axis.

* :func:`plot_coverage` puts every document of the manifest of one or more lanes (US federal,
  Chinese central, Chinese local) on a time axis: filled markers for documents available in this
  build, hollow ones for documents the build lacks, marker shape by genre.
* :func:`plot_mirror_density` draws the security-vocabulary density of every available document:
  Chinese documents per 10,000 characters in the upper panel, US documents per 10,000 words in the
  lower one, on a shared time axis. The two units differ, so the panels have separate y-axes and
  are never drawn on one scale; marker shape gives the genre, so documents of unlike genres are
  never compared without the reader seeing it.

Both take tables computed elsewhere (:func:`analysis.corpus.coverage`,
:func:`analysis.sections.profiles.mirror_profile`) and return a :class:`matplotlib.figure.Figure`; they
read no file. Chinese labels carry an English gloss (:func:`analysis.present.plotting.bilingual`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from analysis.io.dates import date_position
from analysis.present.plotting import PALETTE, bilingual, set_alt, year_axis

#: Marker of each manifest genre (:data:`analysis.corpus.manifest.GENRES`), fixed so that every figure agrees.
GENRE_MARKERS: dict[str, str | tuple[int, int, int]] = {
    "plan": "o",
    "action plan": "h",
    "opinions": "p",
    "measures": "s",
    "notice": "^",
    "guidelines": "D",
    "Q&A": "v",
    "principles": "<",
    "norms": ">",
    "initiative": "8",
    "white paper": "H",
    "speech": "d",
    "strategy": "*",
    "executive order": "P",
    "report": "X",
    "regulation": (6, 1, 0),  # six-pointed star: the single-letter markers are all taken
    "provisions": (4, 1, 0),  # four-pointed star
    "law": (5, 1, 0),  # five-pointed asterisk (laws are reference texts, kept out of the AI figures)
    "translation": (3, 1, 0),  # three-pointed star (translations are kept out of the US-China comparison)
}
#: English labels of the genres, with the Chinese document type where there is one.
GENRE_LABELS: dict[str, str] = {
    "plan": "规划 plan",
    "action plan": "行动计划/方案 action plan",
    "opinions": "意见 opinions",
    "measures": "办法 measures (regulation)",
    "notice": "通知 notice",
    "guidelines": "指引 guidelines",
    "Q&A": "答记者问 Q&A",
    "principles": "原则 principles",
    "norms": "规范 norms",
    "initiative": "倡议 initiative",
    "white paper": "白皮书 white paper",
    "speech": "讲话 speech",
    "strategy": "strategy (US)",
    "executive order": "executive order (US)",
    "report": "report (US)",
    "regulation": "条例 regulation",
    "provisions": "规定 provisions (regulation)",
    "law": "法 law (fǎ)",
    "translation": "translation (English, of a Chinese document)",
}
SIDE_COLORS: dict[str, str] = {"zh": PALETTE["china"], "en": PALETTE["us"]}
#: The date at the head of the article (28 March 2021), marked on the time axis.
ARTICLE_DATE = pd.Timestamp(2021, 3, 28)


#: Markers drawn small by matplotlib at a given size, enlarged by this factor.
_MARKER_SCALE: dict[str | tuple[int, int, int], float] = {
    "*": 1.45,
    "8": 0.95,
    (6, 1, 0): 1.3,
    (4, 1, 0): 1.3,
    (3, 1, 0): 1.3,
}


def _size(genre: str, size: float) -> float:
    return size * _MARKER_SCALE.get(_marker(genre), 1.0)


def _marker(genre: str) -> str | tuple[int, int, int]:
    if genre not in GENRE_MARKERS:
        raise ValueError(f"no marker for genre {genre!r}; add it to analysis.present.plotting.mirror.GENRE_MARKERS")
    return GENRE_MARKERS[genre]


def _genre_handles(genres: Sequence[str]) -> list[Line2D]:
    return [
        Line2D(
            [],
            [],
            ls="none",
            marker=_marker(g),
            color="#444444",
            markerfacecolor="#bbbbbb",
            markersize=_size(g, 8),
            label=GENRE_LABELS.get(g, g),
        )
        for g in genres
    ]


def plot_coverage(
    table: pd.DataFrame,
    lanes: Sequence[tuple[str, str, str]],
    *,
    start_year: int = 2015,
    end_year: int = 2025,
) -> Figure:
    """Every manifest document of each lane on a time axis, filled if available in this build, hollow if not.

    ``table`` is :func:`analysis.corpus.coverage` (columns ``doc_id, date, genre, status`` and a
    ``lane`` column naming the lane of each row); ``lanes`` lists ``(lane, label_zh, label_en)``
    top to bottom. Documents without a date are left out (the caller lists them). Within a lane,
    documents closer than 75 days are stacked so that none hides another.
    """
    missing_cols = [c for c in ("doc_id", "date", "genre", "status", "lane") if c not in table.columns]
    if missing_cols:
        raise ValueError(f"the coverage table needs the column(s) {', '.join(missing_cols)}")
    df = table[table["date"].astype(str).str.strip() != ""].copy()
    df["_x"] = [date_position(d) for d in df["date"]]
    df = df.sort_values(["_x", "doc_id"], kind="mergesort")
    fig, ax = plt.subplots(figsize=(9.0, 0.95 * len(lanes) + 1.9))
    color_of = {lane: SIDE_COLORS["en"] if lane.startswith("us") else SIDE_COLORS["zh"] for lane, _, _ in lanes}
    for i, (lane, _zh, _en) in enumerate(lanes):
        y0 = len(lanes) - 1 - i
        part = df[df["lane"] == lane]
        last_x: list[pd.Timestamp] = []
        for _, row in part.iterrows():
            last_x = [x for x in last_x if (row["_x"] - x).days < 75]
            y = y0 + 0.16 * (len(last_x) % 3) - 0.16
            last_x.append(row["_x"])
            available = row["status"] == "available"
            ax.plot(
                row["_x"],
                y,
                ls="none",
                marker=_marker(row["genre"]),
                markersize=_size(row["genre"], 9 if available else 8),
                color=color_of[lane],
                markerfacecolor=color_of[lane] if available else "white",
                markeredgewidth=1.3,
                zorder=3,
            )
    ax.axvline(ARTICLE_DATE, color="#555555", lw=1, ls="--", zorder=1)
    ax.text(ARTICLE_DATE, len(lanes) - 0.45, " article\n (March 2021)", fontsize=9, color="#555555", va="top")
    available = table["status"] == "available"
    totals = {
        lane: (int((table["lane"] == lane).sum()), int(((table["lane"] == lane) & available).sum()))
        for lane, _, _ in lanes
    }
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels(
        [f"{bilingual(zh, en)}\n{totals[lane][1]} of {totals[lane][0]} available" for lane, zh, en in reversed(lanes)],
        fontsize=9,
    )
    ax.set_ylim(-0.6, len(lanes) - 0.4)
    ax.grid(axis="y", visible=False)
    year_axis(ax, span=(start_year, end_year), dates=True, grid=False, label=False)
    ax.set_xlabel(bilingual("发布日期", "date issued", sep=" / "))
    genres = [g for g in GENRE_MARKERS if g in set(df["genre"])]
    status = [
        Line2D([], [], ls="none", marker="o", color="#444444", markerfacecolor=face, markersize=8, label=label)
        for face, label in (("#444444", "available in this build"), ("white", "in the manifest, missing here"))
    ]
    ax.legend(
        handles=status + _genre_handles(genres),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.22),
        ncol=3,
        fontsize=9,
        frameon=False,
    )
    ax.set_title(
        bilingual("本构建中的文件", "documents of the manifest: available (filled) or missing (hollow)", sep=" / "),
        fontsize=11,
    )
    fig.tight_layout()
    lanes_text = "; ".join(f"{en}: {totals[lane][1]} of {totals[lane][0]} available" for lane, _zh, en in lanes)
    return set_alt(
        fig,
        f"Time line {start_year}–{end_year} of the {len(table)} documents of the manifest in {len(lanes)} lanes, "
        f"filled markers for documents available in this build and hollow ones for missing documents ({lanes_text}); "
        f"{len(table) - len(df)} undated documents are left out. A dashed line marks the article, March 2021.",
    )


def plot_mirror_density(
    table: pd.DataFrame,
    column: str = "security_vocabulary_per_10k",
    *,
    labels: Mapping[str, str] | None = None,
    start_year: int = 2015,
    end_year: int = 2025,
) -> Figure:
    """Density of security vocabulary in every available document, Chinese above, US below, one time axis.

    ``table`` has one row per document with ``doc_id, language`` (``zh``/``en``), ``date``,
    ``genre`` and ``column``; ``labels`` maps ``doc_id`` to a short label written beside its marker
    (e.g. a number keyed to a table). Chinese densities are per 10,000 characters and US ones per
    10,000 words: the panels share the time axis but not the y-axis. Documents without a date are left out
    (the caller lists them).
    """
    missing_cols = [c for c in ("doc_id", "language", "date", "genre", column) if c not in table.columns]
    if missing_cols:
        raise ValueError(f"the density table needs the column(s) {', '.join(missing_cols)}")
    df = table[table["date"].astype(str).str.strip() != ""].copy()  # undated documents: the caller lists them
    df["_x"] = [date_position(d) for d in df["date"]]
    df = df.sort_values(["_x", "doc_id"], kind="mergesort")
    panels = [
        ("zh", bilingual("中国中央文件", "Chinese central documents"), "per 10,000 characters"),
        ("en", bilingual("美国联邦文件", "US federal documents"), "per 10,000 words"),
    ]
    fig, axes = plt.subplots(2, 1, figsize=(9.0, 6.4), sharex=True)
    for ax, (lang, title, unit) in zip(axes, panels, strict=False):
        part = df[df["language"] == lang]
        for _, row in part.iterrows():
            ax.plot(
                row["_x"],
                row[column],
                ls="none",
                marker=_marker(row["genre"]),
                markersize=_size(row["genre"], 10),
                color=SIDE_COLORS[lang],
                markeredgecolor="white",
                zorder=3,
                clip_on=False,
            )
            if labels and row["doc_id"] in labels:
                ax.annotate(
                    labels[row["doc_id"]],
                    (row["_x"], row[column]),
                    xytext=(7, 0),
                    textcoords="offset points",
                    fontsize=9,
                    va="center",
                )
        top = float(part[column].max()) if len(part) else 0.0
        ax.set_ylim(-0.06 * max(1.0, top), max(1.0, top) * 1.25)  # room below 0 so that zero values show whole
        ax.axvline(ARTICLE_DATE, color="#555555", lw=1, ls="--", zorder=1)
        ax.set_ylabel(f"security vocabulary\n{unit}", fontsize=9)
        ax.set_title(
            f"{title} (n = {len(part)})" if len(part) else f"{title}: no document in this build",
            fontsize=10,
            loc="left",
        )
        ax.grid(axis="x", visible=False)
    axes[0].text(
        ARTICLE_DATE, axes[0].get_ylim()[1] * 0.97, " article (March 2021)", fontsize=9, color="#555555", va="top"
    )
    year_axis(axes[-1], span=(start_year, end_year), dates=True, grid=False, label=False)
    axes[-1].set_xlabel(bilingual("发布日期", "date issued", sep=" / "))
    genres = [g for g in GENRE_MARKERS if g in set(df["genre"])]
    fig.legend(
        handles=_genre_handles(genres),
        loc="lower center",
        ncol=3,
        fontsize=9,
        frameon=False,
        title="document type (marker shape)",
        title_fontsize=9,
    )
    fig.suptitle(
        "security vocabulary per 10,000 characters (Chinese) or words (US): separate scales, shared time axis",
        fontsize=10.5,
    )
    fig.tight_layout(rect=(0, 0.11, 1, 1))
    parts = []
    for lang, side, unit in (("zh", "Chinese central", "characters"), ("en", "US federal", "words")):
        part = df[df["language"] == lang]
        span = f", from {part[column].min():.1f} to {part[column].max():.1f} per 10,000 {unit}" if len(part) else ""
        parts.append(f"{len(part)} {side} documents{span}")
    return set_alt(
        fig,
        f"Two panels on one time axis, {start_year}–{end_year}: security vocabulary in every available document by "
        f"date of issue, marker shape giving the document type: {'; '.join(parts)}. The panels have separate scales.",
    )
