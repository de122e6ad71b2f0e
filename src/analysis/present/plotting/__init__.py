"""Figure setup: a Simplified-Chinese font, a seaborn theme and byte-stable output.

Call :func:`setup_plotting` once at the top of every chapter. It

* registers Noto Sans CJK SC (:func:`analysis.io.paths.cjk_font_path`) with ``font_manager.fontManager.addfont``
  (no system font, nothing written into matplotlib's folders, no font-cache rebuild);
* sets a seaborn theme whose font family is that font, with DejaVu Sans as fallback;
* makes output deterministic: white figure background, no ``Software`` or date metadata in
  PNG/SVG/PDF, a fixed SVG hash salt, and, inside a notebook, the same settings for inline figures.
"""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
from pathlib import Path
from typing import Any

import matplotlib

from analysis.io.fileio import atomic_write_bytes
from analysis.io.paths import cache_path, cjk_font_path

SVG_HASH_SALT = "securitization-of-ai-book"
PALETTE = {
    "security": "#b2182b",
    "development": "#2166ac",
    "neutral": "#6b6b6b",
    "us": "#1b4f9c",
    "china": "#c0392b",
    "other": "#7f7f7f",
}
#: Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008): distinguishable under protanopia,
#: deuteranopia and tritanopia. Categorical colours of the book's figures come from it or from PALETTE's
#: red-blue pairs (safe too: they differ in hue and lightness).
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}
SAVE_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


@functools.lru_cache(maxsize=1)
def cjk_font_family() -> str:
    """Register the CJK font with matplotlib (once per process) and return its family name."""
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


#: The seaborn theme of every figure: ``seaborn.set_theme(context, style=THEME_STYLE, font=<the CJK family>,
#: rc=THEME_RC)`` (its default palette, "deep", and the colour codes "b", "g" … remapped to it).
THEME_STYLE = "whitegrid"
THEME_RC: dict[str, Any] = {"axes.unicode_minus": False}
#: The single-letter colour codes seaborn remaps to its palette.
COLOR_CODES = "bgrmyck"


def seaborn_theme(context: str, family: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """What the book's seaborn theme sets: the rc parameters ``seaborn.set_theme`` writes, the colour codes, and
    seaborn's colour maps (its style names one, ``rocket``, for images).

    Importing seaborn imports SciPy's statistics (about 0.6 s, in every chapter, though only three chapters use
    SciPy), so the theme is computed by seaborn once and kept in ``.cache/plotting`` under seaborn's and
    matplotlib's versions, the arguments and this module's code; :func:`apply_theme` sets it. The keys are the
    ones seaborn's ``plotting_context`` and ``axes_style`` define, the font family, the colour cycle and
    ``THEME_RC``, and the values are read after a real ``set_theme``; ``tests/analysis/present/test_plotting.py``
    checks that applying them leaves matplotlib as seaborn's import and ``set_theme`` do: every rc parameter,
    colour code and colour map.
    """
    from importlib.metadata import version

    key = hashlib.sha256(Path(__file__).read_bytes())  # this module's code: a change to how the theme is kept
    key.update(repr((version("seaborn"), matplotlib.__version__, context, family)).encode())
    path = cache_path("plotting", f"theme-{key.hexdigest()[:16]}.pickle")
    try:
        rc, codes, cmaps = pickle.loads(path.read_bytes())
        return dict(rc), dict(codes), dict(cmaps)
    except Exception:  # noqa: BLE001 - no file yet, or an unreadable one: ask seaborn
        pass
    import seaborn as sns
    from matplotlib import colors

    keys = [*sns.plotting_context(context), *sns.axes_style(THEME_STYLE), "font.family", "axes.prop_cycle", *THEME_RC]
    saved = {code: colors.colorConverter.colors[code] for code in COLOR_CODES}
    with matplotlib.rc_context():
        sns.set_theme(context=context, style=THEME_STYLE, font=family, rc=THEME_RC)
        rc = {k: matplotlib.rcParams[k] for k in dict.fromkeys(keys)}
        codes = {code: colors.colorConverter.colors[code] for code in COLOR_CODES}
    for code, value in saved.items():
        colors.colorConverter.colors[code] = value
    cmaps = {n: c for n, c in sorted(vars(sns.cm).items()) if isinstance(c, colors.Colormap) and not n.startswith("_")}
    atomic_write_bytes(path, pickle.dumps((rc, codes, cmaps), protocol=pickle.HIGHEST_PROTOCOL))
    return rc, codes, cmaps


def apply_theme(rc: dict[str, Any], codes: dict[str, Any], cmaps: dict[str, Any]) -> None:
    """Set :func:`seaborn_theme`'s theme, as importing seaborn and calling ``seaborn.set_theme`` do."""
    from matplotlib import colors

    for name, cmap in cmaps.items():  # what importing seaborn registers (it skips names already there, too)
        if name not in matplotlib.colormaps:
            matplotlib.colormaps.register(cmap, name=name)
    matplotlib.rcParams.update(rc)
    for code, value in codes.items():  # one by one: the mapping clears matplotlib's colour cache on each
        colors.colorConverter.colors[code] = value


def setup_plotting(*, context: str = "notebook") -> str:
    """Configure matplotlib with the book's seaborn theme; returns the CJK font family in use."""
    family = cjk_font_family()
    apply_theme(*seaborn_theme(context, family))
    matplotlib.rcParams.update(
        {
            "font.family": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "figure.dpi": 110,
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "svg.hashsalt": SVG_HASH_SALT,
            "svg.fonttype": "path",
            "pdf.fonttype": 42,
        }
    )
    _configure_inline_backend()
    return family


def _configure_inline_backend() -> None:
    """Inside IPython: inline PNGs through :func:`inline_png` (byte-stable, with alt text and the smallest
    text size in their metadata), and DataFrames with a LaTeX table for the PDF (:mod:`analysis.present.tables`)."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - plain Python without IPython
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    from analysis.present.tables import register_formatters

    set_matplotlib_formats("png", bbox_inches="tight", metadata=SAVE_METADATA["png"])
    shell.display_formatter.formatters["image/png"].for_type(Figure, inline_png)
    register_formatters()


def set_alt(fig: matplotlib.figure.Figure, text: str) -> matplotlib.figure.Figure:
    """Give ``fig`` the alt text the book shows for it (otherwise :func:`figure_alt` composes one)."""
    fig.book_alt = " ".join(text.split())  # type: ignore[attr-defined]
    return fig


def figure_alt(fig: matplotlib.figure.Figure) -> str:
    """Alt text for ``fig``: the text set by :func:`set_alt`, else its titles and axis labels in words."""
    given = getattr(fig, "book_alt", None)
    if given:
        return str(given)
    parts = []
    suptitle = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
    if suptitle:
        parts.append(suptitle)
    for ax in fig.get_axes():
        bits = [t for t in (ax.get_title(loc) for loc in ("left", "center", "right")) if t]
        if ax.get_xlabel():
            bits.append(f"horizontal axis: {ax.get_xlabel()}")
        if ax.get_ylabel():
            bits.append(f"vertical axis: {ax.get_ylabel()}")
        if bits:
            parts.append("; ".join(bits))
    text = " — ".join(" ".join(p.split()) for p in parts)
    return f"Figure: {text}" if text else "Figure of this chapter (described in the text above it)"


def smallest_text_pt(fig: matplotlib.figure.Figure) -> float:
    """The size in points of the smallest visible, non-empty text of ``fig`` (draws it first)."""
    from matplotlib.text import Text

    fig.canvas.draw()
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_window_extent().width > 0
    ]
    return float(min(sizes)) if sizes else 0.0


def full_bbox(fig: matplotlib.figure.Figure, *, pad: float = 0.1) -> Any:
    """The area to save, in inches: matplotlib's tight box widened to every axis label, then ``pad`` inches.

    ``bbox_inches="tight"`` alone cuts a long axis label: matplotlib 3.10 collapses an axis label's width (an
    x label's, a y label's height) when it computes an Axes' tight box, so a label wider than the figure lost its
    ends ("…95% Poisson inte"). Everything else drawn is in matplotlib's own box."""
    from matplotlib.transforms import Bbox

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [fig.get_tightbbox(renderer)]
    to_inches = fig.dpi_scale_trans.inverted()
    for ax in fig.get_axes():
        if not ax.get_visible() or not ax.axison:
            continue
        for axis in (ax.xaxis, ax.yaxis):
            label = axis.label
            if axis.get_visible() and label.get_visible() and label.get_text().strip():
                extent = label.get_window_extent(renderer)
                if 0 < extent.width < float("inf") and 0 < extent.height < float("inf"):
                    boxes.append(extent.transformed(to_inches))
    return Bbox.union(boxes).padded(pad)


def inline_png(fig: matplotlib.figure.Figure) -> str:
    """The PNG of ``fig`` for a notebook output (base64 text), as matplotlib's inline backend makes it, with
    two text chunks: ``Description`` (alt text; ``booktools.sphinxext`` puts it on the ``<img>``) and
    ``Book-Min-Text-Px`` (the smallest text height in image pixels; the browser test scales it to the
    rendered width). Deterministic: same figure, same bytes."""
    dpi = float(matplotlib.rcParams["savefig.dpi"]) if matplotlib.rcParams["savefig.dpi"] != "figure" else fig.dpi
    metadata = {
        **SAVE_METADATA["png"],
        "Description": figure_alt(fig),
        "Book-Min-Text-Px": f"{smallest_text_pt(fig) * dpi / 72:.2f}",
    }
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches=full_bbox(fig), metadata=metadata)
    import base64

    return base64.b64encode(buf.getvalue()).decode("ascii")


def figure_bytes(fig: matplotlib.figure.Figure, fmt: str = "png") -> bytes:
    """Render ``fig`` to bytes with the deterministic metadata of its format, every text inside (:func:`full_bbox`)."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, bbox_inches=full_bbox(fig), metadata=SAVE_METADATA.get(fmt))
    return buf.getvalue()


def save_figure(fig: matplotlib.figure.Figure, path: str | Path) -> Path:
    """Save ``fig`` atomically with deterministic metadata; the format comes from the suffix."""
    from analysis.io.fileio import atomic_write_bytes

    path = Path(path)
    atomic_write_bytes(path, figure_bytes(fig, path.suffix.lstrip(".").lower()))
    return path


def bilingual(zh: str, en: str, *, sep: str = "\n") -> str:
    """A label with the Chinese term and its English gloss, e.g. ``"安全\\nsecurity"``."""
    return f"{zh}{sep}{en}" if zh else en


def year_axis(
    ax: Any,
    *,
    major: float = 1,
    minor: float | None = None,
    span: tuple[int, int] | None = None,
    dates: bool = False,
    grid: bool = True,
    label: bool = True,
) -> None:
    """The one time axis in years of every figure. ``dates``: the axis holds dates (``span`` = first and last year
    shown, ticks every ``major`` years); otherwise it holds years as numbers (ticks every ``major``, minor every
    ``minor``). ``grid`` draws vertical grid lines only; ``label`` writes 年份 year under it."""
    import matplotlib.dates as mdates
    import pandas as pd
    from matplotlib.ticker import MultipleLocator

    if dates:
        if span is not None:
            ax.set_xlim(pd.Timestamp(span[0], 1, 1), pd.Timestamp(span[1] + 1, 1, 1))
        ax.xaxis.set_major_locator(mdates.YearLocator(int(major)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        ax.xaxis.set_major_locator(MultipleLocator(major))
        if minor is not None:
            ax.xaxis.set_minor_locator(MultipleLocator(minor))
    if grid:
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", which="major", color="#dddddd", linewidth=0.6)
    if label:
        ax.set_xlabel("年份 year")
