"""Figures render Chinese with the bundled font, with no missing glyphs, byte for byte the same."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest

from analysis.present import plotting

pytestmark = pytest.mark.usefixtures("plotting")


def _chinese_figure():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["安全\nsecurity", "国家安全\nnational security", "国防\ndefence"], [3, 2, 1])
    ax.set_title("合成数据：关键词 (synthetic data)")
    ax.set_ylabel("次数 count")
    return fig


def test_font_is_the_bundled_simplified_chinese_face():
    assert plotting.cjk_font_path().name == "NotoSansCJKsc-Regular.otf"
    assert plotting.cjk_font_family() == "Noto Sans CJK SC"
    assert matplotlib.rcParams["font.family"][0] == "Noto Sans CJK SC"


def test_chinese_title_and_ticks_render_without_missing_glyph_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = _chinese_figure()
        plotting.figure_bytes(fig, "png")
        plt.close(fig)
    glyph_warnings = [w for w in caught if "missing from font" in str(w.message) or "findfont" in str(w.message)]
    assert glyph_warnings == []


def test_a_font_without_chinese_does_warn(monkeypatch):
    """The check above can fail: with DejaVu Sans only, the same figure warns about missing glyphs."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = _chinese_figure()
            plotting.figure_bytes(fig, "png")
            plt.close(fig)
    assert any("missing from font" in str(w.message) for w in caught)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_figure_bytes_are_deterministic(fmt):
    first = plotting.figure_bytes(_chinese_figure(), fmt)
    second = plotting.figure_bytes(_chinese_figure(), fmt)
    plt.close("all")
    assert first == second
    assert b"Matplotlib v" not in first


def test_save_figure_writes_atomically(tmp_path):
    fig = _chinese_figure()
    out = plotting.save_figure(fig, tmp_path / "fig.png")
    plt.close(fig)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["fig.png"]


def test_bilingual_label():
    assert plotting.bilingual("安全", "security") == "安全\nsecurity"
    assert plotting.bilingual("", "security") == "security"


def test_inline_png_carries_alt_text_and_smallest_text_size():
    import base64
    import io

    import matplotlib.pyplot as plt
    from PIL import Image

    from analysis.present.plotting import inline_png, set_alt, setup_plotting

    setup_plotting()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2], [3, 4])
    ax.set_title("安全 security", fontsize=12)
    ax.set_xlabel("year")
    ax.text(1.5, 3.5, "note", fontsize=7)
    first = inline_png(fig)
    assert inline_png(fig) == first  # deterministic
    text = Image.open(io.BytesIO(base64.b64decode(first))).text
    assert "horizontal axis: year" in text["Description"] and "安全 security" in text["Description"]
    assert float(text["Book-Min-Text-Px"]) == round(7 * 150 / 72, 2)
    set_alt(fig, "A line rising from 3 to 4.")
    text = Image.open(io.BytesIO(base64.b64decode(inline_png(fig)))).text
    assert text["Description"] == "A line rising from 3 to 4."
    plt.close(fig)


def test_a_long_axis_label_is_not_cut_off():
    """Figures are saved with a tight bounding box: the PNG grows to hold a label wider than the figure (chapter
    3's first figure once lost the end of its x-axis label, "…95% Poisson inte")."""
    import base64
    import io

    import matplotlib.pyplot as plt
    from PIL import Image

    from analysis.present.plotting import inline_png, setup_plotting

    setup_plotting()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2], [3, 4])
    ax.set_xlabel("rate ratio with its 95% Poisson interval, " * 3 + "END")
    fig.canvas.draw()
    label = ax.xaxis.label.get_window_extent()  # display pixels at the figure's dpi
    scale = 150 / fig.dpi  # inline_png saves at savefig.dpi (150)
    with Image.open(io.BytesIO(base64.b64decode(inline_png(fig)))) as img:
        width = img.width
    plt.close(fig)
    assert label.width * scale > 4 * 150, "the label must be wider than the figure for the check to mean anything"
    assert width >= label.width * scale, f"the PNG ({width} px) cuts the label ({label.width * scale:.0f} px)"


def test_the_sense_figure_names_documents_by_title_and_says_what_it_shows():
    import matplotlib.pyplot as plt
    import pandas as pd

    from analysis.present.labels import document_labels
    from analysis.present.plotting import figure_alt
    from analysis.present.plotting.counts import plot_sense_breakdown

    summary = pd.DataFrame(
        {"doc_id": ["ngaidp_2017", "internet_plus_ai_2016"], "all": [48, 16], "security": [30, 9]}
    ).assign(ambiguous=[10, 4], safety=[8, 3])
    fig = plot_sense_breakdown(summary)
    ticks = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    plt.close(fig)
    labels = document_labels()
    assert ticks == [labels["ngaidp_2017"], labels["internet_plus_ai_2016"]]
    alt = figure_alt(fig)
    assert "ngaidp_2017" not in alt and labels["ngaidp_2017"] in alt and "48 (30 security" in alt


_THEME_STATE = """
import pickle, sys
import matplotlib
matplotlib.use("Agg")
from matplotlib import colors
from analysis.present import plotting
family = plotting.cjk_font_family()
if sys.argv[1] == "seaborn":
    import seaborn as sns
    sns.set_theme(context="notebook", style=plotting.THEME_STYLE, font=family, rc=plotting.THEME_RC)
else:
    plotting.apply_theme(*plotting.seaborn_theme("notebook", family))
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(2, 2))
ax.imshow([[0, 1], [2, 3]])  # the style's colour map for images
state = (
    {k: repr(v) for k, v in matplotlib.rcParams.items()},
    {c: colors.colorConverter.colors[c] for c in "bgrmyck"},
    {name: matplotlib.colormaps[name](0.3) for name in sorted(matplotlib.colormaps)},
    plotting.figure_bytes(fig, "png"),
)
sys.stdout.buffer.write(pickle.dumps((state, "scipy.stats" in sys.modules)))
"""


def _theme_state(how: str, cache: Path) -> tuple[object, bool]:
    import os
    import pickle
    import subprocess
    import sys

    (cache / "_toc.yml").touch()  # a book root of its own, so the theme is kept in its .cache
    env = {**os.environ, "SECURITIZATION_BOOK_ROOT": str(cache)}
    out = subprocess.run([sys.executable, "-c", _THEME_STATE, how], capture_output=True, env=env, check=True).stdout
    return pickle.loads(out)


def test_the_kept_theme_sets_matplotlib_exactly_as_seaborn_does_without_importing_scipy(tmp_path):
    """The first chapter asks seaborn and keeps the theme; later ones apply it without importing seaborn (which
    imports SciPy's statistics): matplotlib ends in the same state (every rc parameter, colour code and colour map)
    and draws an image with the style's colour map to the same bytes."""
    expected, _ = _theme_state("seaborn", tmp_path)
    first, _ = _theme_state("kept", tmp_path)
    assert len(list((tmp_path / ".cache" / "plotting").glob("theme-*.pickle"))) == 1
    again, imported_scipy = _theme_state("kept", tmp_path)
    assert first == expected and again == expected
    assert not imported_scipy
