"""The quality-gate helpers: tree comparison, diff excerpts, TOC pages, benchmark parsing, scratch copies."""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

import nbformat
import pytest

from analysis.io.paths import MIRROR_ENV, ROOT_ENV
from booktools import STATIC_DIR, bench, pdf, reproducible, sabotage, site, throughput, webfont, workspace
from booktools.serve import serve_directory


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


SYNTHETIC_SITE = {
    "html/index.html": b"<html><body><p>synthetic page</p></body></html>\n",
    "html/_images/fig.png": b"\x89PNG\r\n\x1a\n" + bytes(range(64)),
    "html/searchindex.js": b'Search.setIndex({"docnames":["a","b"],"terms":{"x":[0,1]}})',
    ".doctrees/environment.pickle": b"synthetic pickle 1",
}


# --------------------------------------------------------------------------- comparison


def test_identical_trees_have_no_differences(tmp_path):
    a = _tree(tmp_path / "a", SYNTHETIC_SITE)
    b = _tree(tmp_path / "b", SYNTHETIC_SITE)
    assert reproducible.compare_trees(a, b) == []


def test_one_changed_byte_is_reported_with_an_excerpt(tmp_path):
    a = _tree(tmp_path / "a", SYNTHETIC_SITE)
    changed = dict(SYNTHETIC_SITE)
    changed["html/index.html"] = SYNTHETIC_SITE["html/index.html"].replace(b"synthetic page", b"synthetic pagE")
    b = _tree(tmp_path / "b", changed)
    diffs = reproducible.compare_trees(a, b)
    assert [(d.path, d.kind) for d in diffs] == [("html/index.html", "changed")]
    excerpt = diffs[0].excerpt
    assert "line 1, column 29" in excerpt
    assert "-<html><body><p>synthetic page</p>" in excerpt and "+<html><body><p>synthetic pagE</p>" in excerpt
    assert "html/index.html" in diffs[0].render()


def test_a_changed_image_byte_is_reported_as_binary(tmp_path):
    a = _tree(tmp_path / "a", SYNTHETIC_SITE)
    png = bytearray(SYNTHETIC_SITE["html/_images/fig.png"])
    png[20] ^= 0xFF
    b = _tree(tmp_path / "b", {**SYNTHETIC_SITE, "html/_images/fig.png": bytes(png)})
    (diff,) = reproducible.compare_trees(a, b)
    assert diff.path == "html/_images/fig.png"
    assert "binary files differ" in diff.excerpt and "first difference at byte 20" in diff.excerpt


def test_missing_and_extra_files_and_exclusions(tmp_path):
    a = _tree(tmp_path / "a", SYNTHETIC_SITE)
    other = {k: v for k, v in SYNTHETIC_SITE.items() if k != "html/searchindex.js"}
    other["html/extra.html"] = b"<p>extra</p>"
    other[".doctrees/environment.pickle"] = b"synthetic pickle 2"  # excluded: must not be reported
    b = _tree(tmp_path / "b", other)
    diffs = reproducible.compare_trees(a, b)
    assert [(d.path, d.kind) for d in diffs] == [
        ("html/extra.html", "only in second"),
        ("html/searchindex.js", "only in first"),
    ]
    assert [d.path for d in reproducible.compare_trees(a, b, exclude=())] == [
        ".doctrees/environment.pickle",
        "html/extra.html",
        "html/searchindex.js",
    ]


def test_long_lines_are_clipped_around_the_difference():
    left = "var x = [" + ",".join(str(i) for i in range(3000)) + "];"
    right = left.replace(",1500,", ",1501,")
    excerpt = reproducible.diff_excerpt(left.encode(), right.encode(), width=80)
    body = [ln for ln in excerpt.splitlines() if ln.startswith(("-", "+"))]
    assert len(body) == 2 and all(len(ln) <= 84 for ln in body)
    assert "1500" in body[0] and "1501" in body[1]


def test_diff_excerpt_is_bounded_and_empty_for_equal_input():
    a = "\n".join(f"line {i}" for i in range(200))
    b = "\n".join(f"line {i}!" for i in range(200))
    assert len(reproducible.diff_excerpt(a.encode(), b.encode(), max_lines=6).splitlines()) <= 8
    assert reproducible.diff_excerpt(b"same", b"same") == ""


def test_summary_counts_kinds(tmp_path):
    root = _tree(tmp_path / "a", SYNTHETIC_SITE)
    assert reproducible.summarize(root) == {"html": 1, "image": 1, "js": 1}
    assert reproducible.kind_of("html/.buildinfo") == ".buildinfo"


def test_list_files_refuses_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="did the build fail"):
        reproducible.list_files(tmp_path / "nope")


# --------------------------------------------------------------------------- site


def test_toc_docnames_walks_parts_chapters_and_sections(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: book/index\nparts:\n"
        "  - caption: A\n    chapters:\n      - file: book/a.md\n      - file: notebooks/b.ipynb\n"
        "        sections:\n          - file: notebooks/c\n          - url: https://example.org\n"
        "  - caption: B\n    chapters:\n      - file: book/a\n      - file: book/d\n",
        encoding="utf-8",
    )
    assert site.toc_docnames(toc) == ["book/index", "book/a", "notebooks/b", "notebooks/c", "book/d"]


def test_toc_docnames_of_the_book_include_the_keyword_chapter():
    names = site.toc_docnames()
    assert names[0] == "book/index" and "notebooks/labelling" in names


def test_toc_without_root_is_refused(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text("format: jb-book\nchapters: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no 'root'"):
        site.toc_docnames(toc)


def test_the_css_font_is_the_web_font_the_extension_writes():
    assert site.declared_font_file() == webfont.WEBFONT_FILE


def test_the_css_tries_the_readers_chinese_fonts_first():
    names = site.local_font_names()
    for family in ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC"):
        assert family in names
        assert site.is_intended_font(family)
    css = (STATIC_DIR / "cjk.css").read_text(encoding="utf-8")
    assert css.index("local(") < css.index("url(")
    stripped = site.without_local_fonts(css)
    assert "local(" not in stripped and 'url("book-cjk-sc.woff2")' in stripped


def test_font_names_and_han_detection():
    assert site.is_intended_font("Noto Sans CJK SC") and site.is_intended_font("Source Han Sans SC Regular")
    assert not site.is_intended_font("AR PL KaitiM GB") and not site.is_intended_font("DejaVu Sans")
    assert _has_han("the term 安全") and not _has_han("security")


def test_server_serves_pages_and_notebooks(tmp_path):
    _tree(tmp_path, {"index.html": b"<p>synthetic</p>", "_sources/x.ipynb": b'{"nbformat": 4}'})
    with serve_directory(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "index.html") as r:
            assert r.read() == b"<p>synthetic</p>"
        with urllib.request.urlopen(url + "_sources/x.ipynb") as r:
            assert r.headers["Content-Type"] == "application/x-ipynb+json"


def test_server_refuses_a_folder_without_a_book(tmp_path):
    with pytest.raises(FileNotFoundError, match="build the book first"):
        with serve_directory(tmp_path):
            pass


# --------------------------------------------------------------------------- workspace


def test_snapshot_copies_sources_and_acquired_texts_but_not_caches(tmp_path):
    src = _tree(
        tmp_path / "src",
        {
            "_toc.yml": b"root: book/index\n",
            "notebooks/a.ipynb": b"{}",
            "data/raw/doc.txt": b"synthetic",
            "_build/html/index.html": b"old",
            ".cache/tokens/x.json": b"[]",
            ".venv/bin/python": b"",
        },
    )
    dest = workspace.snapshot_repository(tmp_path / "copy", src)
    copied = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert copied == ["_toc.yml", "data/raw/doc.txt", "notebooks/a.ipynb"]
    with pytest.raises(FileExistsError):
        workspace.snapshot_repository(tmp_path / "copy", src)


def test_book_environment_points_at_the_copy(tmp_path):
    env = workspace.book_environment(tmp_path, {"PYTHONPATH": "/elsewhere", MIRROR_ENV: str(tmp_path / "mirror")})
    assert env["PYTHONPATH"].split(":")[0] == str(tmp_path / "src")
    assert env[ROOT_ENV] == str(tmp_path)
    assert env[MIRROR_ENV] == str((tmp_path / "mirror").resolve())
    assert env["PYTHONHASHSEED"] == "0"
    assert MIRROR_ENV not in workspace.book_environment(tmp_path, {})


def test_run_measured_reports_exit_code_and_peak_memory(tmp_path):
    log = tmp_path / "run.log"
    result = workspace.run_measured(
        [sys.executable, "-c", "import sys; data = b'x' * 80_000_000; print('done'); sys.exit(3)"], log=log
    )
    assert result.returncode == 3 and not result.ok
    assert result.peak_rss_mb >= 60
    assert log.read_text().strip() == "done"


# --------------------------------------------------------------------------- bench


LOG = (
    "\x1b[01mreading sources... \x1b[39;49;00m\n"
    "scratch/book/notebooks/01_a.ipynb: Executing notebook using local CWD [mystnb]\n"
    "scratch/book/notebooks/01_a.ipynb: Executed notebook in 6.12 seconds [mystnb]\n"
    "scratch/book/notebooks/02_b.ipynb: Using cached notebook: ID=1 [mystnb]\n"
    "scratch/book/notebooks/03_c.ipynb: Executed notebook in 12.50 seconds [mystnb]\n"
)


def test_notebook_times_from_a_build_log():
    assert bench.notebook_times(LOG) == {
        "notebooks/01_a.ipynb": 6.12,
        "notebooks/02_b.ipynb": None,
        "notebooks/03_c.ipynb": 12.5,
    }
    assert bench.executed_count(LOG) == 2
    assert bench.executed_count("nothing to do") == 0


def test_edit_chapter_changes_only_the_last_code_cell(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# synthetic"),
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_code_cell("y = 2\n"),
            nbformat.v4.new_markdown_cell("end"),
        ]
    )
    path = tmp_path / "c.ipynb"
    nbformat.write(nb, path)
    bench.edit_chapter(path)
    cells = nbformat.read(path, as_version=4).cells
    assert cells[1].source == "x = 1" and cells[2].source == "y = 2\n" + bench.EDIT_MARKER
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("no code")]), path)
    with pytest.raises(ValueError, match="no code cell"):
        bench.edit_chapter(path)


def test_edit_prose_changes_only_the_last_markdown_cell(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# synthetic"),
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_markdown_cell("end\n\n```\ncode\n```\n"),
        ]
    )
    path = tmp_path / "c.ipynb"
    nbformat.write(nb, path)
    bench.edit_prose(path, "(edit 1.)")
    cells = nbformat.read(path, as_version=4).cells
    # A paragraph of its own: a cell that ends in a fenced block stays valid (the fence gets no "language").
    assert [c.source for c in cells] == ["# synthetic", "x = 1", "end\n\n```\ncode\n```\n\n(edit 1.)"]


def test_default_config_has_only_the_title_and_forced_execution():
    config = {
        "title": "T",
        "bibtex_bibfiles": ["b.bib"],
        "execute": {"execute_notebooks": "cache"},
        "sphinx": {"extra_extensions": ["booktools.sphinxext"]},
        "html": {"use_download_button": True},
    }
    assert bench.default_config(config) == {"title": "T", "execute": {"execute_notebooks": "force"}}


def test_synthetic_corpus_is_deterministic_chinese_and_split(tmp_path):
    text = throughput.synthetic_text(5000)
    assert text == throughput.synthetic_text(5000) and text != throughput.synthetic_text(5000, seed=1)
    assert len(text.encode("utf-8")) >= 5000 and _has_han(text)
    ids = throughput.write_synthetic_corpus(tmp_path, n_bytes=20_000, doc_bytes=5_000)
    assert ids[0] == "synthetic_0000" and len(ids) >= 3
    assert sorted(p.stem for p in (tmp_path / "texts").glob("*.txt")) == ids
    frame = throughput.synthetic_manifest(ids)
    assert list(frame["doc_id"]) == ids and (frame["expected_sha256"] == "").all()


def _results(ours: dict[str, float], stock: dict[str, float], test_s: float) -> dict:
    def step(seconds: float) -> dict:
        return {
            "seconds": seconds,
            "ok": True,
            "executed_notebooks": 1,
            "runs_s": [seconds, seconds + 1.0],
            "notebooks": {"notebooks/a.ipynb": 2.0, "notebooks/b.ipynb": None},
        }

    machine = {
        "date_utc": "2026-01-01 00:00",
        "cpu": "synthetic CPU",
        "cores": 2,
        "ram_gb": 4.0,
        "python": "3.11",
        "versions": {"jupyter-book": "1", "sphinx": "7"},
        "load_average_at_start": [0.5],
        "load_average_at_end": [0.7],
    }
    scenarios = {
        k: {
            "book": step(ours[k]),
            "stock": step(stock[k]),
            "default": step(2 * stock[k]),
            "ratio": round(ours[k] / stock[k], 3),
            "ratios": [round(ours[k] / stock[k], 3)],
            "ratio_default": round(ours[k] / (2 * stock[k]), 3),
            "ratios_default": [round(ours[k] / (2 * stock[k]), 3)],
        }
        for k in ours
    }
    scenarios["make_test"] = {"book": step(test_s), "stock": None, "default": None, "ratio": None}
    return {"machine": machine, "repeats": 2, "scenarios": scenarios}


def test_targets_are_ratios_to_the_stock_build_and_make_test_is_absolute():
    stock = {"cold": 40.0, "warm": 4.0, "prose_edit": 10.0, "code_edit": 10.0}
    good = _results({"cold": 20.0, "warm": 0.1, "prose_edit": 4.0, "code_edit": 5.0}, stock, 29.0)
    good["targets"] = bench.evaluate_targets(good)
    assert [t["target"] for t in good["targets"]] == ["cold", "warm", "prose_edit", "code_edit", "make_test"]
    assert all(t["met"] for t in good["targets"])
    bad = _results({"cold": 31.0, "warm": 2.5, "prose_edit": 10.5, "code_edit": 11.0}, stock, 36.0)
    bad["targets"] = bench.evaluate_targets(bad)
    assert not any(t["met"] for t in bad["targets"])
    md = bench.render_markdown(bad)
    assert "synthetic CPU, 2 cores" in md and "load average 0.5 at start, 0.7 at end" in md
    assert "| cold build (empty caches) | 31.0 s (median of 31.0, 32.0); 1 notebook executed | 40.0 s" in md
    assert "| 0.78 | ratio ≤ 0.55 | **no** | 80.0 s" in md and "| 0.39 |" in md and "| – | ≤ 30 s | **no** |" in md
    json.dumps(bad)  # the results are JSON-serialisable


def test_readme_results_are_replaced_between_the_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{bench.README_START}\nold table\n{bench.README_END}\nrest\n", encoding="utf-8")
    assert bench.update_readme("new table\n", readme)
    assert readme.read_text(encoding="utf-8") == f"intro\n{bench.README_START}\nnew table\n{bench.README_END}\nrest\n"
    assert not bench.update_readme("x", tmp_path / "absent.md")


# --------------------------------------------------------------------------- pdf

XELATEX_LOG = (
    "Missing character: There is no 安 (U+5B89) in font FreeSerif/OT:script=latn;lang\n"
    "Missing character: There is no 全 (U+5168) in font FreeSerif/OT:script=latn;lang\n"
    "Missing character: There is no 安 (U+5B89) in font FreeSerif/OT:script=latn;lang\n"
)


def test_missing_characters_are_found_once_each():
    assert pdf.missing_characters(XELATEX_LOG) == ["安 (U+5B89) in FreeSerif", "全 (U+5168) in FreeSerif"]
    assert pdf.missing_characters("Output written on book.pdf (57 pages).") == []


def test_check_pdf(tmp_path):
    assert "no PDF" in pdf.check_pdf(tmp_path)[0]
    (tmp_path / "book.pdf").write_bytes(b"%PDF-1.5 synthetic")
    (tmp_path / "book.log").write_text("Output written on book.pdf.\n", encoding="utf-8")
    assert pdf.check_pdf(tmp_path) == []
    (tmp_path / "book.log").write_text(XELATEX_LOG, encoding="utf-8")
    (problem,) = pdf.check_pdf(tmp_path)
    assert "2 characters missing" in problem and "安" in problem


# --------------------------------------------------------------------------- sabotage and repeats


def test_break_copy_breaks_only_the_copy(tmp_path):
    site = _tree(
        tmp_path / "site",
        {
            "index.html": b"<p>synthetic</p>",
            "_images/a.png": SYNTHETIC_SITE["html/_images/fig.png"],
            f"_static/{site_module_font()}": b"synthetic font bytes",
        },
    )
    broken = sabotage.break_copy(site, tmp_path / "img", "image")
    assert broken.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and set(broken.read_bytes()[8:]) == {0}
    assert (site / "_images/a.png").read_bytes() == SYNTHETIC_SITE["html/_images/fig.png"]
    font = sabotage.break_copy(site, tmp_path / "font", "font")
    assert not font.exists() and (site / "_static" / site_module_font()).exists()
    with pytest.raises(FileExistsError):
        sabotage.break_copy(site, tmp_path / "font", "font")


def site_module_font() -> str:
    return site.declared_font_file()


def test_repeat_keeps_the_median_run():
    seconds = iter([9.0, 3.0, 5.0])

    def run(i: int) -> bench.Step:
        return bench.Step(name=f"run {i}", seconds=next(seconds), peak_rss_mb=1.0, peak_tree_rss_mb=1.0, ok=True)

    chosen = bench._repeat(run, 3)
    assert chosen.seconds == 5.0 and chosen.runs_s == [9.0, 3.0, 5.0] and chosen.load_average is not None


def test_the_search_index_holds_pinyin_without_tone_marks_and_the_query_is_folded_alike():
    from booktools.searchindex import FastSearchChinese, fold_pinyin

    assert fold_pinyin("ānquán") == "anquan" and fold_pinyin("Lǜ") == "lu"
    language = FastSearchChinese({})
    words = language.split("安全 (ānquán, security), 国家安全 (guójiā ānquán)")
    assert {"anquan", "guojia"} <= set(words)
    script = (STATIC_DIR / "pinyin-search.js").read_text(encoding="utf-8")
    assert "var splitQuery" in script and 'normalize("NFD")' in script and "\\u0300-\\u036f" in script
