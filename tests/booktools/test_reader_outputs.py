"""booktools.sphinxext's reader-facing hooks: LaTeX tables passed through, the landing page flattened in the PDF,
bibliography markup that passes axe-core, MathJax only where there is math."""

from __future__ import annotations

from types import SimpleNamespace

from docutils import nodes
from sphinx import addnodes

from analysis.present.tables import latex_table
from booktools import sphinxext


def _section(title: str, *children: nodes.Node) -> nodes.section:
    sec = nodes.section(ids=[title.lower().replace(" ", "-")])
    sec += nodes.title("", title)
    for child in children:
        sec += child
    return sec


def _app(fmt: str) -> SimpleNamespace:
    return SimpleNamespace(
        builder=SimpleNamespace(format=fmt), config=SimpleNamespace(root_doc="book/index"), srcdir="."
    )


def test_latex_tables_pass_through_and_the_landing_page_is_flattened():
    import pandas as pd

    table = nodes.math_block("", latex_table(pd.DataFrame({"a": [1]})), classes=["output", "text_latex"])
    formula = nodes.math_block("", "x^2", classes=["output", "text_latex"])
    chapter = _section("Chapter one", nodes.paragraph("", "text"), _section("Inner", nodes.paragraph("", "deep")))
    # as Sphinx's inline_all_toctrees does it: children assigned without re-parenting, sections named
    inlined = addnodes.start_of_file(docname="notebooks/01")
    inlined.children = [chapter]
    for sec in chapter.findall(nodes.section):
        sec["docname"] = "notebooks/01"
    root = _section(
        "Book title",
        _section("What you will find", nodes.paragraph("", "a"), table),
        _section("Three rules", formula),
        inlined,
    )
    doc = nodes.document(None, None)
    doc += root
    sphinxext._reader_facing_outputs(_app("latex"), doc, "book/index")
    assert [r.astext() for r in doc.findall(nodes.rubric)] == ["What you will find", "Three rules"]
    titles = [t.astext() for t in doc.findall(nodes.title)]
    assert titles == ["Book title", "Chapter one", "Inner"]  # the chapters keep their sections
    raws = list(doc.findall(nodes.raw))
    assert len(raws) == 1 and raws[0]["format"] == "latex" and "longtable" in raws[0].astext()
    assert [m.astext() for m in doc.findall(nodes.math_block)] == ["x^2"]  # real math stays math


def test_html_builds_keep_the_landing_page_sections():
    doc = nodes.document(None, None)
    doc += _section("Book title", _section("What you will find", nodes.paragraph("", "a")))
    sphinxext._reader_facing_outputs(_app("html"), doc, "book/index")
    assert not list(doc.findall(nodes.rubric))


def test_bibliography_markup_loses_the_roles_axe_rejects():
    body = (
        '<div role="list" class="citation-list">\n<div class="citation" id="id1" role="doc-biblioentry">'
        '<span class="label">1</span><p>Ref.</p></div>\n</div>'
    )
    context = {"body": body}
    sphinxext._accessible_bibliography(None, "book/references", "page.html", context, None)
    assert 'role="list"' not in context["body"] and "doc-biblioentry" not in context["body"]
    assert '<div class="citation-list">' in context["body"]


def test_mathjax_is_dropped_from_pages_without_math():
    def scripts():
        return [
            SimpleNamespace(filename="_static/doctools.js", priority=500, attributes={}),
            SimpleNamespace(
                filename="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js", priority=500, attributes={}
            ),
        ]

    plain = nodes.document(None, None)
    plain += nodes.paragraph("", "no math")
    context = {"script_files": scripts()}
    sphinxext._dedupe_scripts(None, "book/index", "page.html", context, plain)
    assert [s.filename for s in context["script_files"]] == ["_static/doctools.js"]
    with_math = nodes.document(None, None)
    with_math += nodes.math("", "x")
    context = {"script_files": scripts()}
    sphinxext._dedupe_scripts(None, "book/methods", "page.html", context, with_math)
    assert len(context["script_files"]) == 2


def test_folded_code_is_left_out_of_the_pdf():
    def cell(tag: str) -> nodes.container:
        c = nodes.container(classes=["cell", tag])
        c += nodes.container("", nodes.literal_block("", "x = 1"), classes=["cell_input"])
        c += nodes.container("", nodes.paragraph("", "output"), classes=["cell_output"])
        return c

    doc = nodes.document(None, None)
    doc += cell("tag_hide-input")
    doc += cell("tag_show-input")
    sphinxext._reader_facing_outputs(_app("latex"), doc, "notebooks/01")
    assert [c.astext() for c in doc.findall(nodes.literal_block)] == ["x = 1"]  # only the shown cell's code
    assert len([p for p in doc.findall(nodes.paragraph) if p.astext() == "output"]) == 2


def _png_with_text_after_the_image(chunks: dict[str, str]) -> bytes:
    """A 1-pixel PNG whose tEXt chunks come after its image data (Pillow writes them before)."""
    import io
    import struct
    import zlib

    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (1, 1)).save(buf, format="PNG")
    data = buf.getvalue()
    end = data.rindex(b"IEND") - 4  # the IEND chunk starts with its 4-byte length
    extra = b""
    for key, value in chunks.items():
        body = key.encode("latin-1") + b"\0" + value.encode("latin-1")
        extra += struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(b"tEXt" + body))
    return data[:end] + extra + data[end:]


def test_png_text_finds_the_description_before_and_after_the_image_data(tmp_path, monkeypatch):
    import base64

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from PIL import PngImagePlugin

    from analysis.present.plotting import inline_png

    fig, ax = plt.subplots()
    ax.set_title("Counts of a term")
    before = tmp_path / "before.png"
    before.write_bytes(base64.b64decode(inline_png(fig)))
    plt.close(fig)
    after = tmp_path / "after.png"
    after.write_bytes(_png_with_text_after_the_image({"Description": "A late description."}))

    decoded: list[str] = []
    original = PngImagePlugin.PngImageFile.load
    monkeypatch.setattr(
        PngImagePlugin.PngImageFile, "load", lambda self: decoded.append(self.filename) or original(self)
    )
    assert sphinxext._png_text(str(before))["Description"].startswith("Figure")
    assert decoded == []  # matplotlib's chunks come before the image data: nothing decoded
    assert sphinxext._png_text(str(after))["Description"] == "A late description."
    assert decoded == [str(after)]
    assert sphinxext._png_text(str(tmp_path / "missing.png")) == {}
