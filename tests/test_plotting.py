"""Figures render Chinese with the bundled font, with no missing glyphs, byte for byte the same."""

from __future__ import annotations

import warnings

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
