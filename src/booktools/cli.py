"""``python -m booktools <command>``: build, check and measure the book (see :mod:`booktools`).

* ``build [--check]``: ``make book`` (see :mod:`booktools.build`).
* ``check-cache``: clear the notebook execution cache when data, code, corpus or lock changed (``make book``).
* ``notebooks refresh | check | tag``: re-execute notebooks and store them clean / list unclean ones (``make notebooks``) /
  apply the display rule (which code the reader sees) without executing.
* ``environment-yml``: render ``environment.yml`` from ``requirements.lock`` (``make lock``).
* ``repro | bench | serve | pdf-check | break-copy | throughput``: the quality gates (README, "Quality gates").
* ``synthetic-corpus``: a synthetic mirror for CI's synthetic data states, and the check of their ledger.
* ``fetch-by-host | require-texts``: the publishing workflow's corpus steps (:mod:`booktools.fetchhosts`).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from analysis.io.paths import PROJECT_ROOT


def _build(args: argparse.Namespace) -> int:
    from booktools import build

    flags = args.flags.split()
    if args.check:
        fresh = build.up_to_date(flags, mirror=args.mirror)
        print("book up to date: no input changed since the last build" if fresh else "book inputs changed")
        return 0 if fresh else 1
    if args.rerun:
        print(build.forget_execution(Path(args.rerun)))
    return build.build(flags, builder=args.builder, mirror=args.mirror, jobs=args.jobs)


def _check_cache(args: argparse.Namespace) -> int:
    from booktools.buildcache import check_execution_cache

    print(check_execution_cache(args.mirror))
    return 0


def _notebooks_refresh(args: argparse.Namespace) -> int:
    from booktools import notebooks

    paths = [Path(p) for p in args.paths] or notebooks.chapter_notebooks()
    for path in paths:
        print(f"executing {path.name} ...", flush=True)
        notebooks.refresh(path.resolve())
    return 0


def _notebooks_tag(args: argparse.Namespace) -> int:
    from booktools import notebooks

    paths = [Path(p) for p in args.paths] or notebooks.chapter_notebooks()
    for path in paths:
        notebooks.retag(path.resolve())
    return 0


def _notebooks_check(args: argparse.Namespace) -> int:
    from booktools import notebooks

    found = [line for path in notebooks.chapter_notebooks() for line in notebooks.problems(path)]
    print("\n".join(found) if found else "all notebooks are clean")
    return 1 if found else 0


def _environment_yml(args: argparse.Namespace) -> int:
    from booktools import envfiles

    pins = envfiles.lock_pins()
    envfiles.ENVIRONMENT_YML.write_text(envfiles.render_environment_yml(pins), encoding="utf-8")
    print(f"wrote {envfiles.ENVIRONMENT_YML.name} with {len(pins)} pins")
    return 0


def _repro(args: argparse.Namespace) -> int:
    from booktools.reproducible import run_repro

    seeds = tuple(args.hash_seeds.split(",")) if args.hash_seeds else None
    if seeds is not None and len(seeds) != 2:
        raise SystemExit("--hash-seeds takes two values, e.g. --hash-seeds=0,random")
    report = run_repro(
        Path(args.work),
        flags=args.flags.split(),
        hash_seeds=seeds,  # type: ignore[arg-type]
        rewrite_second=not args.no_rewrite,
    )
    print(report.render())
    return 0 if report.ok else 1


def _bench(args: argparse.Namespace) -> int:
    from booktools.bench import render_markdown, run_bench, update_readme, write_results

    results = run_bench(
        Path(args.work),
        chapter=args.chapter,
        repeats=args.repeats,
        cold_repeats=args.cold_repeats,
        test_repeats=args.test_repeats,
        throughput=args.throughput,
        synthetic_bytes=int(args.synthetic_mb * 1e6),
    )
    js, md = write_results(results, Path(args.out))
    print(render_markdown(results))
    readme = args.readme and update_readme(md.read_text(encoding="utf-8"))
    print(f"wrote {js} and {md}" + (" and the README's results" if readme else ""))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from booktools.serve import serve_directory

    with serve_directory(Path(args.dir)) as url:
        print(f"serving {args.dir} at {url} (Ctrl-C stops)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


def _pdf_check(args: argparse.Namespace) -> int:
    from booktools.pdf import check_pdf, pdf_summary

    problems = check_pdf(Path(args.latex_dir))
    for line in pdf_summary(Path(args.latex_dir)):
        print(line)
    for line in problems:
        print(line)
    if not problems:
        print(f"PDF ok: {', '.join(str(p) for p in sorted(Path(args.latex_dir).glob('*.pdf')))}")
    return 1 if problems else 0


def _break_copy(args: argparse.Namespace) -> int:
    from booktools.sabotage import break_copy

    broken = break_copy(Path(args.site), Path(args.dest), args.what)
    print(f"copied {args.site} to {args.dest} and broke {broken}")
    print(
        f"now: BOOK_BROWSER_TEST=1 BOOK_HTML={args.dest} .venv/bin/pytest -p no:cacheprovider -m browser tests/browser"
    )
    return 0


def _fetch_by_host(args: argparse.Namespace) -> int:
    from analysis.corpus import load_manifest
    from booktools.fetchhosts import fetch_by_host, host_groups, report

    groups = host_groups(load_manifest())
    print(
        f"fetching {sum(map(len, groups.values()))} documents from {len(groups)} hosts, {args.jobs} hosts at a time, "
        f"within {args.budget:g} s",
        flush=True,
    )
    runs = fetch_by_host(groups, budget=args.budget, jobs=args.jobs, args=["--refresh"] if args.refresh else [])
    print(report(runs))
    stopped = [r.host for r in runs if r.returncode is None]
    if stopped:
        print(
            f"time budget used up: {len(stopped)} hosts stopped ({', '.join(stopped)}); their untried documents are "
            "tried again on the next run"
        )
    return 0


def _require_texts(args: argparse.Namespace) -> int:
    from booktools.fetchhosts import missing_core

    missing = missing_core(args.doc_ids)
    for doc_id, status in missing.items():
        # `::error::` is GitHub Actions' annotation: the message shows on the run's summary page
        print(
            f"::error::core text {doc_id} is not available ({status}): the book cannot reproduce the article's counts "
            "(`python -m analysis corpus status` tells why)"
        )
    if not missing:
        print(f"core texts available: {', '.join(args.doc_ids)}")
    return 1 if missing else 0


def _throughput(args: argparse.Namespace) -> int:
    from analysis.io.fileio import atomic_write_text
    from booktools.throughput import throughput

    result = throughput(Path(args.cache_dir), Path(args.synthetic_dir) if args.synthetic_dir else None)
    text = json.dumps(result, indent=1)
    if args.output:
        atomic_write_text(Path(args.output), text + "\n")
    else:
        print(text)
    return 0


def _synthetic_corpus(args: argparse.Namespace) -> int:
    import sys

    from booktools import synthetic_corpus as S

    try:
        if args.check_ledger:
            problems = S.check_ledger(Path(args.check_ledger), Path(args.out_dir))
            for line in problems:
                print(line, file=sys.stderr)
            print(
                f"synthetic ledger check: {'failed' if problems else 'every text claim has the status its plan requires'}"
            )
            return 1 if problems else 0
        mirror = S.write_mirror(Path(args.out_dir), args.plan)
        if args.book_manifest:
            S.write_book_manifest(Path(args.book_manifest), mirror)
    except (FileExistsError, ValueError, OSError) as exc:
        print(f"synthetic-corpus: {exc}", file=sys.stderr)
        return 2
    copy = f"; manifest copy {args.book_manifest}" if args.book_manifest else ""
    print(f"synthetic mirror (plan {args.plan}): {len(mirror)} texts in {args.out_dir}{copy}")
    return 0


def _prose_check(args: argparse.Namespace) -> int:
    from booktools import prose

    frozen = prose.frozen_sentences(Path(args.site_a), Path(args.site_b))
    for line in frozen:
        print(f"typed number? {line}")
    print(f"prose check: {len(frozen)} printed sentence(s) about this build's texts read the same in both data states")
    return 1 if frozen else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m booktools", description="build, check and measure the book")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="build the book: stale executions cleared, notebooks executed in parallel, Sphinx")
    p.add_argument("--flags", default="-W -n --keep-going", help="jupyter-book build flags")
    p.add_argument("--builder", default="html", help="jupyter-book builder (html, pdflatex, ...)")
    p.add_argument("--mirror", default=None, help="corpus mirror folder (default: $CORPUS_MIRROR)")
    p.add_argument(
        "--jobs", type=int, default=None, help="processes at a time, for notebooks and pages (default: one per core)"
    )
    p.add_argument("--check", action="store_true", help="exit 0 when nothing changed since the last build, else 1")
    p.add_argument("--rerun", default=None, metavar="NOTEBOOK", help="execute this notebook again (make chapter)")
    p.set_defaults(func=_build)
    p = sub.add_parser("check-cache", help="clear the execution cache when data, code, corpus or lock changed")
    p.add_argument("--mirror", default=None, help="corpus mirror folder (default: $CORPUS_MIRROR)")
    p.set_defaults(func=_check_cache)
    nbs = sub.add_parser("notebooks", help="chapter notebook upkeep")
    nbs = nbs.add_subparsers(dest="notebooks_command", required=True)
    p = nbs.add_parser("refresh", help="execute notebooks and store them clean")
    p.add_argument("paths", nargs="*", help="notebooks (default: all)")
    p.set_defaults(func=_notebooks_refresh)
    p = nbs.add_parser("check", help="list notebooks that are not stored clean")
    p.set_defaults(func=_notebooks_check)
    p = nbs.add_parser("tag", help="apply the display rule (hide-input / remove-input / remove-cell) without executing")
    p.add_argument("paths", nargs="*", help="notebooks (default: all)")
    p.set_defaults(func=_notebooks_tag)
    p = sub.add_parser("environment-yml", help="render environment.yml from requirements.lock")
    p.set_defaults(func=_environment_yml)
    p = sub.add_parser("repro", help="build twice from clean and compare the outputs byte by byte")
    p.add_argument("--work", default=str(PROJECT_ROOT / "_build" / "repro"), help="scratch folder (emptied first)")
    p.add_argument("--flags", default="-W -n --keep-going", help="jupyter-book build flags")
    p.add_argument("--no-rewrite", action="store_true", help="skip the third build (--all over the second's output)")
    p.add_argument("--hash-seeds", default=None, help="PYTHONHASHSEED of each build, e.g. 0,random (default: 0,0)")
    p.set_defaults(func=_repro)
    p = sub.add_parser("bench", help="this book against a default Jupyter Book build: cold, warm, edits, make test")
    p.add_argument("--work", default=str(PROJECT_ROOT / "_build" / "bench"), help="scratch folder (emptied first)")
    p.add_argument("--out", default=str(PROJECT_ROOT / "bench"), help="where latest.json and latest.md go")
    p.add_argument("--chapter", default="notebooks/labelling.ipynb", help="chapter to edit")
    p.add_argument("--repeats", type=int, default=3, help="runs of each scenario (the median is reported)")
    p.add_argument("--cold-repeats", type=int, default=None, help="runs of the cold builds (default: --repeats)")
    p.add_argument("--test-repeats", type=int, default=None, help="runs of make test (default: --repeats)")
    p.add_argument("--throughput", action="store_true", help="also corpus loading and tokenization throughput")
    p.add_argument("--synthetic-mb", type=float, default=10.0, help="size of the synthetic corpus in MB (--throughput)")
    p.add_argument("--no-readme", dest="readme", action="store_false", help="leave the README's results alone")
    p.set_defaults(func=_bench)
    p = sub.add_parser("serve", help="serve a built book on 127.0.0.1")
    p.add_argument("--dir", default=str(PROJECT_ROOT / "_build" / "html"))
    p.set_defaults(func=_serve)
    p = sub.add_parser(
        "pdf-check",
        help="fail when the PDF is missing, glyphs are missing, a box runs over 20 pt into the margin or a table cell into the next",
    )
    p.add_argument("latex_dir", nargs="?", default=str(PROJECT_ROOT / "_build" / "latex"))
    p.set_defaults(func=_pdf_check)
    p = sub.add_parser(
        "break-copy", help="copy a built book and break an image or the font (to see the browser test fail)"
    )
    p.add_argument("what", choices=["image", "font"])
    p.add_argument("site", nargs="?", default=str(PROJECT_ROOT / "_build" / "html"))
    p.add_argument("dest", nargs="?", default=str(PROJECT_ROOT / "_build" / "broken-html"))
    p.set_defaults(func=_break_copy)
    p = sub.add_parser("synthetic-corpus", help="write a synthetic mirror under a plan (CI's synthetic data states)")
    p.add_argument("out_dir", help="an empty folder for the mirror (with --check-ledger: the mirror written before)")
    p.add_argument("--plan", default="article", choices=["article", "dissent", "partial"], help="what the texts say")
    p.add_argument("--book-manifest", default=None, help="also write a hash-adjusted manifest copy (scratch copy only)")
    p.add_argument("--check-ledger", default=None, metavar="PAGE", help="compare a built ledger page with the plan")
    p.set_defaults(func=_synthetic_corpus)
    p = sub.add_parser("prose-check", help="compare two data states' books: printed numbers must follow the data")
    p.add_argument("site_a", help="_build/html of one data state (e.g. no texts)")
    p.add_argument("site_b", help="_build/html of another (e.g. a synthetic text for every document)")
    p.set_defaults(func=_prose_check)
    p = sub.add_parser(
        "fetch-by-host", help="acquire the corpus, one process per host, hosts side by side, in a budget"
    )
    p.add_argument("--budget", type=float, default=1200.0, help="seconds for the whole acquisition (default 1200)")
    p.add_argument("--jobs", type=int, default=8, help="hosts fetched at a time (default 8)")
    p.add_argument("--refresh", action="store_true", help="retry documents whose last download failed")
    p.set_defaults(func=_fetch_by_host)
    p = sub.add_parser("require-texts", help="exit 1, with a GitHub error line each, when a core text is missing")
    p.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    p.set_defaults(func=_require_texts)
    p = sub.add_parser("throughput", help="(used by bench) corpus loading and tokenization in this process")
    p.add_argument("--cache-dir", required=True)
    p.add_argument("--synthetic-dir", default=None)
    p.add_argument("--output", default=None)
    p.set_defaults(func=_throughput)
    return parser


def leave(code: int) -> int:
    """End the program now, with exit status ``code``, without tearing the interpreter down; or, when another
    thread is still running, return ``code`` for the usual exit (which waits for it).

    A build leaves Sphinx's environment, every page's doctree and jieba's dictionary on the heap. Freeing them
    one object at a time, and then every module, took 0.8 s after each ``make book`` had finished its work
    (measured on a prose edit: 6.4 s from start to exit, against 5.0 s without the teardown). The exit handlers
    still run, and in the usual order: no other thread left, then :mod:`atexit`'s callbacks (logging's
    flush, multiprocessing's clean-up, ``weakref.finalize``). Then the standard streams are flushed. Every
    file the build writes is closed by then (atomic writes, Sphinx's ``with`` blocks, committed SQLite).
    """
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        return code
    atexit._run_exitfuncs()  # noqa: SLF001 - what the interpreter runs at exit, before the teardown we skip
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): nothing more can be said
            pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command (``python -m booktools`` goes through :mod:`booktools.__main__`); its exit status."""
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)
