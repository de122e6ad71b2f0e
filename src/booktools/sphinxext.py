"""A small Sphinx extension: Chinese glyphs on every page, whatever fonts the reader has.

It also sets up :mod:`booktools.searchindex`, Sphinx's Chinese search index built faster (jieba silent, with the
book's user dictionary, its cache and the index's cuts in ``.cache/jieba``).

It adds ``cjk.css`` to the HTML static files and, once every page is written, a WOFF2 subset of the Noto Sans
CJK SC font (from the ``mplfonts`` package, the same file the figures use) holding the CJK characters of
the pages (:mod:`booktools.webfont`). The CSS declares a ``@font-face`` limited to CJK code points that prefers
the reader's own Simplified Chinese fonts and otherwise downloads that subset, so Latin text keeps the theme's
fonts and Chinese text never shows as boxes.

Three workarounds for the pinned Sphinx 7.4 / MyST-NB 1.3 stack (checked by ``make browser-test`` and
``make repro``): inline scripts registered twice are dropped (a console SyntaxError on every page),
Chinese search indexing runs faster with an identical index (:mod:`booktools.searchindex`), and MyST-NB's CSS is in
``_static`` before pages are written (so a rebuild writes the same HTML as a clean build). A fourth,
:mod:`booktools.numfig` numbers tables and figures from a skeleton of each page instead of the whole page,
:mod:`booktools.numrefs` looks ``{numref}`` targets up in those skeletons (a page is unpickled at most once per
build), and :mod:`booktools.bibplugins` makes pybtex read the installed entry points once per process instead of
once per citation.

:mod:`booktools.webfont` is set up here too: it starts the font's subset in a process of its own once Sphinx has
read the pages, so that it is made while the pages are written. The executed notebooks offered for download are
written again only for the pages read in the build.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from booktools import STATIC_DIR, __version__, pdfbook


def _add_static(app: Sphinx, config: Config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]


def _dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Drop ``<script>`` tags that a page would include twice.

    Sphinx 7.4 registers an inline (body-only) script added after ``Builder.init()`` once with filename
    ``None`` and once with ``''`` (fixed in Sphinx 8.2, sphinx-doc/sphinx#13402), so sphinx-thebe's
    ``const THEBE_JS_URL`` was declared twice and every page logged a SyntaxError in the browser.
    """
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for js in scripts:
        key = (
            getattr(js, "filename", js) or "",
            getattr(js, "priority", None),
            tuple(sorted(getattr(js, "attributes", {}).items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique
    # MathJax only where the page shows math. A DataFrame output also carries a text/latex table (for the
    # PDF); MyST-NB keeps it in the read-time doctree, so Sphinx's math domain flags the page, and the
    # root page through its toctree, and links MathJax from its CDN, although the HTML shows the
    # text/html form. The written page's doctree knows whether any math is left.
    if doctree is not None:
        from docutils import nodes

        if not any(True for _ in doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))):
            scripts[:] = [js for js in scripts if "mathjax" not in str(getattr(js, "filename", js) or "").lower()]


def _copy_mystnb_css_early(app: Sphinx) -> None:
    """Put MyST-NB's CSS into ``_static`` before any page is written.

    MyST-NB copies ``mystnb.<hash>.css`` only at ``build-finished``, so the pages of a clean build link it
    without Sphinx's ``?v=<checksum>`` and pages rewritten by a later build link it with one: the HTML then
    depends on the build's history. Copying it first makes every build link it the same way.
    """
    if app.builder is None or app.builder.format != "html":
        return
    from myst_nb.sphinx_ext import add_global_html_resources

    os.makedirs(os.path.join(app.builder.outdir, "_static"), exist_ok=True)
    add_global_html_resources(app, None)


#: Marker file left in the HTML output of a build that used synthetic texts; a publish step refuses on it.
SYNTHETIC_MARKER = "SYNTHETIC"


def synthetic_state() -> tuple[list[str], str]:
    """The build's synthetic documents and the banner its pages carry (:mod:`analysis.datastate`), kept in
    ``.cache/synthetic`` under the fingerprint of everything the answer reads
    (:func:`booktools.buildcache.inputs_fingerprint`: the ``analysis`` package, ``data/`` with the acquired texts,
    the mirror, the lock; and this module): a build whose inputs did not change, an edit of a page for one, does
    not import pandas and read the corpus to ask again (0.4 s)."""
    import hashlib

    from analysis.io.fileio import atomic_write_text
    from analysis.io.paths import cache_path
    from booktools.buildcache import inputs_fingerprint

    with open(__file__, "rb") as own:  # this module's code too: a change to what is kept
        key = hashlib.sha256(inputs_fingerprint().encode() + own.read()).hexdigest()
    path = cache_path("synthetic", f"{key}.json")
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        documents, banner = kept["documents"], kept["banner"]
        if isinstance(documents, list) and all(isinstance(d, str) for d in documents) and isinstance(banner, str):
            return documents, banner
    except (OSError, ValueError, KeyError, TypeError):
        pass
    from analysis.datastate import synthetic_banner, synthetic_documents

    documents = synthetic_documents()
    banner = synthetic_banner(documents)
    for old in path.parent.glob("*.json"):
        old.unlink(missing_ok=True)
    atomic_write_text(path, json.dumps({"documents": documents, "banner": banner}, ensure_ascii=False))
    return documents, banner


def _synthetic_banner(app: Sphinx, config: Config) -> None:
    """A build that used synthetic texts (booktools.synthetic_corpus) says so at the top of every page."""
    documents, banner = synthetic_state()
    app._book_synthetic = documents  # type: ignore[attr-defined]
    if documents:
        config.html_theme_options = {**(config.html_theme_options or {}), "announcement": banner}


def _synthetic_marker(app: Sphinx, exception: Exception | None) -> None:
    """Leave ``SYNTHETIC`` (the synthetic documents, one a line) in the output of such a build; remove a stale one."""
    if exception is not None or app.builder is None or app.builder.format != "html":
        return
    marker = os.path.join(app.builder.outdir, SYNTHETIC_MARKER)
    documents = getattr(app, "_book_synthetic", [])
    if documents:
        with open(marker, "w", encoding="utf-8") as fh:
            fh.write("".join(f"{d}\n" for d in documents))
    elif os.path.exists(marker):
        os.remove(marker)


def _accessible_bibliography(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Bibliography markup that passes axe-core: docutils 0.21 writes ``<div role="list" class="citation-list">``
    around entries with the deprecated ARIA role ``doc-biblioentry`` (and the theme adds a focusable link
    inside), which axe reports as a critical ``aria-required-children`` and 50 ``aria-deprecated-role``. Plain
    ``div`` elements, as a screen reader needs nothing more for a list of references with labels."""
    body = context.get("body")
    if isinstance(body, str) and "citation-list" in body:
        body = body.replace('<div role="list" class="citation-list">', '<div class="citation-list">')
        context["body"] = body.replace(' role="doc-biblioentry"', "")


def _glossary_definitions(app: Sphinx) -> dict[str, str]:
    """A term's anchor (``term-securitization``) → its definition's text (one line, at most 300 characters), for
    every term of every ``glossary`` directive; read once per build from the saved doctrees."""
    cached = getattr(app, "_book_glossary", None)
    if cached is not None:
        return cached
    import re

    from docutils import nodes
    from sphinx import addnodes

    std = app.env.get_domain("std")
    docs = sorted({docname for (kind, _), (docname, _) in std.objects.items() if kind == "term"})
    found: dict[str, str] = {}
    for docname in docs:
        for term in app.env.get_doctree(docname).findall(nodes.term):
            item = term.parent
            definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
            if definition is None:
                continue
            definition = definition.deepcopy()
            for cite in list(definition.findall(addnodes.pending_xref)):
                if cite.get("refdomain") == "cite":  # unresolved citation keys (sphinxcontrib-bibtex) read badly
                    cite.parent.remove(cite)
            text = re.sub(r"\s+([.,;:])", r"\1", " ".join(definition.astext().split()))
            text = text if len(text) <= 300 else text[:299].rsplit(" ", 1)[0] + " …"
            for label in term.get("ids", []):
                found[label] = text
    app._book_glossary = found  # type: ignore[attr-defined]
    return found


def _term_previews(app: Sphinx, doctree: Any, docname: str) -> None:
    """A glossary term used in the text shows its definition on hover (the link's ``title``), as citations show
    their reference (sphinxcontrib-bibtex's tooltips): no script, nothing fetched, the same HTML on every build."""
    if app.builder is None or app.builder.format != "html":
        return
    from docutils import nodes

    definitions = _glossary_definitions(app)
    for ref in doctree.findall(nodes.reference):
        inner = [c for c in ref.children if isinstance(c, nodes.Element)]
        if ref.get("reftitle") or not any("std-term" in c.get("classes", []) for c in inner):
            continue
        anchor = ref.get("refid") or ref.get("refuri", "").rpartition("#")[2]
        definition = definitions.get(anchor)
        if definition:
            ref["reftitle"] = f"{ref.astext()}: {definition}"


def _png_text(path: str) -> dict[str, str]:
    """The text chunks of a PNG. Those before the image data are in Pillow's ``info`` without decoding the image
    (matplotlib writes its metadata there: 30 figures in 0.02 s instead of 0.6 s); only a PNG whose
    ``Description`` is not among them is decoded for the chunks after it."""
    try:
        from PIL import Image

        with Image.open(path) as img:
            early = {k: v for k, v in img.info.items() if isinstance(v, str)}
            return early if "Description" in early else dict(getattr(img, "text", {}) or {})
    except (OSError, ValueError):
        return {}


def _reader_facing_outputs(app: Sphinx, doctree: Any, docname: str) -> None:
    """Outputs as readers get them, per builder.

    * HTML: a cell-output figure without alt text gets the ``Description`` its PNG carries
      (written by :func:`analysis.present.plotting.inline_png`), so every figure has alt text; a book table's
      given column widths are kept (MyST's ``colwidths-auto`` would drop them).
    * LaTeX: a table from :mod:`analysis.present.tables` (``text/latex`` marked ``% book-table``) is passed through as
      raw LaTeX (MyST-NB would otherwise typeset every ``text/latex`` output as a math block); the code of
      ``hide-input`` cells and the outputs of ``hide-output`` cells are left out, since a PDF cannot unfold
      them; tables written in Markdown get column widths that fit (:mod:`booktools.pdfbook`).
    """
    from docutils import nodes

    if app.builder.format == "latex":
        from analysis.present.tables import LATEX_DOC, LATEX_MARK  # here: it imports pandas, which HTML pages need not

        for node in list(doctree.findall(nodes.math_block)):
            if node.astext().lstrip().startswith(LATEX_MARK):
                # a numbered table's label names its page, as Sphinx's {numref} in LaTeX expects (docname:label)
                tex = _unnumbered_take_no_number(node.astext().replace(LATEX_DOC, _page_of(app, node, docname)))
                node.replace_self(nodes.raw("", tex, format="latex"))
        # The PDF has no "show code" toggle: folded code (hide-input) is left out, as readers see the HTML, and so
        # are folded outputs (hide-output, hide-cell).
        for cell in list(doctree.findall(nodes.container)):
            if "tag_hide-input" in cell.get("classes", []):
                for child in [c for c in cell.children if "cell_input" in c.get("classes", [])]:
                    cell.remove(child)
        pdfbook.drop_folded_outputs(doctree)
        pdfbook.fit_tables(doctree)
        if docname == app.config.root_doc:
            _flatten_landing_page(doctree, docname)
        return
    for table in doctree.findall(nodes.table):
        # MyST marks every Markdown table ``colwidths-auto``, which makes docutils drop the widths a book table's
        # {table} directive gives (:widths:, analysis.present.tables.html_widths): given widths win.
        classes = table.get("classes", [])
        if "colwidths-given" in classes and "colwidths-auto" in classes:
            table["classes"] = [c for c in classes if c != "colwidths-auto"]
    for node in doctree.findall(nodes.image):
        if node.get("alt"):
            continue
        uri = (node.get("candidates") or {}).get("*") or node.get("uri", "")
        if not uri.lower().endswith(".png"):
            continue
        alt = _png_text(os.path.join(app.srcdir, uri)).get("Description")
        if alt:
            node["alt"] = alt


_LONGTABLE = re.compile(r"\\begin\{longtable\}(\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\})\n(?!\\caption\{)")


def _unnumbered_take_no_number(tex: str) -> str:
    """longtable steps LaTeX's table counter for every table, captioned or not: before each longtable without a
    numbered ``\\caption{`` (a DataFrame, a continued column group), take the step back, so that the PDF numbers
    only the book's captioned tables, one after another."""
    return _LONGTABLE.sub(lambda m: "\\addtocounter{table}{-1}" + m.group(0), tex)


def _page_of(app: Sphinx, node: Any, default: str) -> str:
    """The document a node of the PDF's single tree comes from: MyST-NB gives every output node its notebook's
    path as ``source`` (Sphinx's ``start_of_file`` wrappers do not re-parent the nodes they hold); else ``default``."""
    source = node.get("source") or getattr(node, "source", None)
    docname = app.env.path2doc(str(source)) if source else None
    return docname or default


def _flatten_landing_page(doctree: Any, root: str) -> None:
    """In the PDF, the landing page's sections become run-in headings (rubrics), not chapters.

    Sphinx's LaTeX writer takes the root document's title as the book's title, so the root's sections would
    otherwise be numbered chapters ("Chapter 2. Three rules this book keeps") ahead of the real ones. The
    LaTeX builder resolves one tree with every chapter inlined: Sphinx's ``inline_all_toctrees`` marks each
    inlined section with its ``docname`` (and does not re-parent it), so only sections without another
    document's name are the landing page's own.
    """
    from docutils import nodes

    def own(node: Any) -> bool:  # a section of the landing page itself, not of a chapter inlined into it
        return node.get("docname", root) == root

    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return
    for section in [n for n in top.findall(nodes.section) if n is not top and own(n)][::-1]:
        title = section.next_node(nodes.title)
        body = [child for child in section.children if child is not title]
        rubric = nodes.rubric("", "", *(title.children if title is not None else []))
        rubric["ids"] = list(section.get("ids", []))
        section.replace_self([rubric, *body])


#: Where the notebooks executed by the build are published beside the pages (``<outdir>/executed/<docname>.ipynb``).
EXECUTED_DIR = "executed"


def _executed_notebook_button(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """A notebook page's download menu also offers the notebook *with its outputs*, as this build executed it
    (the theme's ``.ipynb`` button serves the stored source, whose code cells mostly have no output)."""
    if context.get("page_source_suffix") != ".ipynb" and not context.get("ipynb_source"):
        return
    group = next((b for b in context.get("header_buttons", []) if b.get("label") == "download-buttons"), None)
    if group is None:
        return
    group["buttons"].insert(
        1,
        {
            "type": "link",
            "url": context["pathto"](f"{EXECUTED_DIR}/{pagename}.ipynb", 1),
            "text": ".ipynb with outputs",
            "icon": "fas fa-book-open",
            "tooltip": "Download the notebook as this build executed it, outputs included",
            "label": "download-executed-notebook-button",
        },
    )


#: the pages Sphinx read in this build (``env-before-read-docs``), whose executed copies are written again
_READ: set[str] = set()


def _note_read(app: Sphinx, env: Any, docnames: list[str]) -> None:
    _READ.update(docnames)


def _forget_read(app: Sphinx) -> None:
    _READ.clear()


def _publish_executed_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Write each notebook page's executed copy into the site (``executed/<docname>.ipynb``): the source notebook
    with the outputs of its execution.

    The outputs come from the execution cache (jupyter-cache, as MyST-NB merges them into the page): MyST-NB's own
    copy in ``<build>/jupyter_execute`` keeps only the outputs stored in the source when the page was read from
    the cache, which is how ``make book`` renders every page. A notebook the cache does not hold (MyST-NB executed
    it itself, or execution is off) is published as MyST-NB wrote it.

    Only the pages read in this build are published again, and any whose copy is missing: a copy depends on the
    notebook and its execution, and a page whose notebook or execution changed is read again (by Sphinx, by
    :mod:`booktools.sphinxbuild` when a file's content changed under an older time, or because
    :mod:`booktools.build` touched a notebook it executed). Measured: a prose edit no longer merges and writes the
    other twelve notebooks (0.3 s).
    """
    if exception is not None or app.builder is None or app.builder.format != "html":
        return
    import shutil
    from pathlib import Path

    import nbformat

    executed = Path(app.outdir).parent / "jupyter_execute"
    due = []  # (docname, notebook, copy): the pages read in this build, and any whose copy is missing
    for docname in sorted(app.env.found_docs):
        source = Path(app.env.doc2path(docname))
        target = Path(app.outdir) / EXECUTED_DIR / f"{docname}.ipynb"
        if source.suffix == ".ipynb" and (docname in _READ or not target.is_file()):
            due.append((docname, source, target))
    cache = _execution_cache(app) if due else None
    for docname, source, target in due:
        merged = None
        if cache is not None:
            try:
                _, merged = cache.merge_match_into_notebook(nbformat.read(source, as_version=4))
            except KeyError:  # jupyter-cache: no cached execution matches the notebook's code
                merged = None
        if merged is None and not (executed / f"{docname}.ipynb").is_file():
            continue
        # a copy cut short by a killed build would never be written again: written beside, then moved in place
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.part")
        if merged is not None:
            nbformat.write(merged, part)
        else:
            shutil.copyfile(executed / f"{docname}.ipynb", part)
        os.replace(part, target)


def _execution_cache(app: Sphinx) -> Any:
    """The jupyter-cache MyST-NB uses (its resolved ``execution_cache_path``); ``None`` when the build does not
    cache executions."""
    config = getattr(app.env, "mystnb_config", None)
    path = getattr(config, "execution_cache_path", "") or ""
    if getattr(config, "execution_mode", "") != "cache" or not path:
        return None
    from pathlib import Path

    if not Path(path).is_dir():
        return None
    from jupyter_cache import get_cache

    return get_cache(path)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("booktools.searchindex")  # the Chinese search index, faster, same bytes
    app.setup_extension("booktools.numrefs")  # each numref target unpickled once per build
    app.setup_extension("booktools.numfig")  # figure numbers from skeletons, not whole pages
    app.setup_extension("booktools.bibplugins")  # pybtex's plugin lookups read the entry points once
    app.setup_extension("booktools.webfont")  # the CJK web font, subset while the pages are written
    app.connect("config-inited", _synthetic_banner)
    app.connect("build-finished", _synthetic_marker)
    app.connect("build-finished", _publish_executed_notebooks)
    app.connect("builder-inited", _forget_read)
    app.connect("env-before-read-docs", _note_read, priority=900)  # after any handler that adds pages to read
    app.connect("html-page-context", _executed_notebook_button, priority=600)
    app.connect("builder-inited", _copy_mystnb_css_early)
    app.connect("config-inited", _add_static)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("doctree-resolved", _reader_facing_outputs)
    app.connect("doctree-resolved", _term_previews)
    app.connect("html-page-context", _accessible_bibliography)
    pdfbook.setup(app)
    app.add_css_file("cjk.css")
    app.add_css_file("book.css")
    app.add_js_file("book.js", loading_method="defer")
    app.add_js_file("pinyin-search.js", priority=200)  # before searchtools.js, which uses its splitQuery
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
