"""Figure setup: a Simplified-Chinese font, a seaborn theme and byte-stable output.

Call :func:`setup_plotting` once at the top of every chapter. It

* registers Noto Sans CJK SC, a single-face OpenType font shipped by the PyPI package
  ``mplfonts``, with ``font_manager.fontManager.addfont`` (no system font, nothing written into
  matplotlib's folders, no font-cache rebuild);
* sets a seaborn theme whose font family is that font, with DejaVu Sans as fallback;
* makes output deterministic: white figure background, no ``Software`` or date metadata in
  PNG/SVG/PDF, a fixed SVG hash salt, and, inside a notebook, the same settings for inline figures.
"""

from __future__ import annotations

import functools
import importlib.util
import io
from pathlib import Path
from typing import Any

import matplotlib

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
SVG_HASH_SALT = "securitization-of-ai-book"
PALETTE = {
    "security": "#b2182b",
    "development": "#2166ac",
    "neutral": "#6b6b6b",
    "us": "#1b4f9c",
    "china": "#c0392b",
    "other": "#7f7f7f",
}
SAVE_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK SC font, located without importing ``mplfonts``."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the package 'mplfonts' (which ships the Chinese font for figures) is not installed; "
            "run `make install` or `pip install -r requirements.lock`"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: reinstall mplfonts (`pip install --force-reinstall mplfonts==0.0.11`)")
    return path


@functools.lru_cache(maxsize=1)
def cjk_font_family() -> str:
    """Register the CJK font with matplotlib (once per process) and return its family name."""
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def setup_plotting(*, context: str = "notebook") -> str:
    """Configure matplotlib and seaborn for the book; returns the CJK font family in use."""
    import seaborn as sns

    family = cjk_font_family()
    sns.set_theme(context=context, style="whitegrid", font=family, rc={"axes.unicode_minus": False})
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
    """Inside IPython, make inline PNGs carry no Software tag (so they are byte-stable)."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - plain Python without IPython
        return
    if get_ipython() is None:
        return
    set_matplotlib_formats("png", bbox_inches="tight", metadata=SAVE_METADATA["png"])


def figure_bytes(fig: "matplotlib.figure.Figure", fmt: str = "png") -> bytes:
    """Render ``fig`` to bytes with the deterministic metadata of its format."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=SAVE_METADATA.get(fmt))
    return buf.getvalue()


def save_figure(fig: "matplotlib.figure.Figure", path: str | Path) -> Path:
    """Save ``fig`` atomically with deterministic metadata; the format comes from the suffix."""
    from analysis.fileio import atomic_write_bytes

    path = Path(path)
    atomic_write_bytes(path, figure_bytes(fig, path.suffix.lstrip(".").lower()))
    return path


def bilingual(zh: str, en: str, *, sep: str = "\n") -> str:
    """A label with the Chinese term and its English gloss, e.g. ``"安全\\nsecurity"``."""
    return f"{zh}{sep}{en}" if zh else en
