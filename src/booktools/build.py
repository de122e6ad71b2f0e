"""``make book``, fast: nothing to do when nothing changed, notebooks executed in parallel before Sphinx.

:func:`build` is what ``make book`` runs after ``make data``:

1. :func:`booktools.buildcache.check_execution_cache` clears the execution cache when the data, the
   ``analysis`` package, the corpus or the lock changed (jupyter-cache itself only sees code cells);
2. :class:`Executions` executes, in parallel worker processes (one kernel per core), every notebook of the
   table of contents that the cache does not hold, and stores the results in jupyter-cache exactly as MyST-NB
   would. After a code edit, the edited notebook's kernel is started first of all, before the cache is even
   matched (:class:`booktools.kernels.EarlyKernel`, guessed from the last build's record of the notebooks' code);
3. meanwhile this process sets Sphinx up, configured exactly as ``jupyter-book build`` configures it
   (:mod:`booktools.sphinxbuild`, which skips Jupyter Book's costly start-up); once the executions are
   stored, Sphinx finds every notebook in the cache and only renders. A notebook that failed in step 2 is
   not cached, so MyST-NB executes it again and fails the build with its traceback, as it always did;
4. on success, :data:`STAMP` records a digest of every input of the book (:func:`book_digest`) and a
   manifest of every file of ``_build/html`` (:mod:`booktools.buildrecord`).

``python -m booktools build --check`` compares that digest with the current inputs and the manifest with
``_build/html``, and exits 0 when both match: ``make book`` then returns at once, without acquiring the
corpus again, starting Sphinx or importing the analysis stack.

Never a stale book: the stamp is removed before a build writes anything and written only after success, so
an interrupted or failed build is never taken for up to date; the digest follows symbolic links into
``data/raw`` and the mirror and covers the acquisition settings (``CORPUS_OFFLINE``, ``CORPUS_FETCH_FLAGS``);
a deleted or changed output file is noticed; and :func:`prepare_html` does not trust what an interrupted
build left (``tests/booktools/test_stale_book.py`` checks it all against clean builds).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from analysis.io.paths import BUILD_DIR, PROJECT_ROOT, mirror_dir
from booktools import buildrecord, tokenwarm
from booktools.buildcache import (
    DOCTREES,
    EXECUTION_CACHE,
    check_execution_cache,
    digest_files,
    drop_unreadable_executions,
)
from booktools.buildrecord import HTML_DIR, SPHINX_RECORD, STAMP

if TYPE_CHECKING:
    from booktools.kernels import EarlyKernel
    from booktools.sphinxbuild import SphinxRun

T = TypeVar("T")
R = TypeVar("R")


def skip_iri_grammars() -> None:
    """Keep jsonschema from compiling ``rfc3987-syntax``'s 39 Lark grammars in this process (about 1.2 s of CPU).

    nbformat imports jsonschema, whose format module imports ``rfc3987_syntax`` when it is installed (it is, for
    jupyter-events) only to check the ``iri`` formats. Neither nbformat nor Sphinx asks for format checks, so the
    build marks the module as absent (``sys.modules[...] = None`` makes its import fail) before jsonschema loads.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


#: MyST-NB's executed copies and their figures, which Sphinx copies into the pages it writes.
JUPYTER_EXECUTE = BUILD_DIR / "jupyter_execute"
#: Every input of the book, relative to the project root: folders are hashed file by file (content and name).
INPUT_PATHS: tuple[str, ...] = (
    "_config.yml",
    "_toc.yml",
    "book",
    "notebooks",
    "data",
    "src",
    "requirements.lock",
    "pyproject.toml",
)
#: Environment variables that change what a build produces: the hash seed, and how ``make data`` acquires the
#: corpus (going online after an offline build must fetch what was skipped; the Makefile exports both).
INPUT_ENV: tuple[str, ...] = ("PYTHONHASHSEED", "CORPUS_OFFLINE", "CORPUS_FETCH_FLAGS")
DEFAULT_TIMEOUT = 300


def book_digest(
    flags: Sequence[str] = (),
    builder: str = "html",
    mirror: str | os.PathLike[str] | None = None,
    root: Path = PROJECT_ROOT,
) -> str:
    """SHA-256 over every input of a book build: :data:`INPUT_PATHS` (``data/raw``, the acquired texts,
    included), the corpus mirror, the build flags, the builder and :data:`INPUT_ENV`."""
    h = hashlib.sha256()
    for name in INPUT_PATHS:
        digest_files(h, name, root / name)
    mdir = mirror_dir(mirror)
    h.update(f"\0mirror={mdir}\0flags={' '.join(flags)}\0builder={builder}\0".encode())
    if mdir is not None:
        digest_files(h, "mirror", mdir)
    for key in INPUT_ENV:
        h.update(f"\0{key}={os.environ.get(key, '')}".encode())
    return h.hexdigest()


def up_to_date(flags: Sequence[str] = (), mirror: str | os.PathLike[str] | None = None) -> bool:
    """True when the last successful HTML build had exactly these inputs and every file it wrote is still there
    unchanged (:func:`booktools.buildrecord.stamp_matches`)."""
    if not STAMP.is_file():
        return False
    return buildrecord.stamp_matches(book_digest(flags, mirror=mirror), STAMP, HTML_DIR)


def prepare_html() -> dict[str, Any] | None:
    """Before Sphinx runs: keep of the last run only what can be trusted; returns its record (``None``: every
    page is read again).

    Without :data:`~booktools.buildrecord.SPHINX_RECORD` the last run did not complete (it was killed, or
    ``make pdf`` ran Sphinx on the same environment since): Sphinx's saved environment may be ahead of the
    pages, MyST-NB's executed copies or a page may be cut short, and jupyter-cache may hold a record whose
    notebook was never written. So the pages, the environment and the executed copies go, and unreadable
    executions are dropped (the others are kept: nothing is executed again for this). When the record is there
    but a file of ``_build/html`` changed or went missing since, the pages go (Sphinx writes them all again
    from its environment; a deleted figure would otherwise never come back).
    """
    previous = buildrecord.read(SPHINX_RECORD)
    SPHINX_RECORD.unlink(missing_ok=True)
    valid = previous is not None and all(isinstance(previous.get(k), dict) for k in ("sources", "outputs"))
    if not valid:
        stale = [p for p in (HTML_DIR, DOCTREES, JUPYTER_EXECUTE) if p.exists()]
        for path in stale:
            shutil.rmtree(path)
        dropped = drop_unreadable_executions()
        if stale:
            print(
                "Sphinx's last run is not on record (interrupted, or make pdf since): every page is read and "
                "written again" + (f"; unreadable executions dropped: {', '.join(dropped)}" if dropped else ""),
                flush=True,
            )
        return None
    assert previous is not None
    bad = buildrecord.damaged(HTML_DIR, previous["outputs"])
    if bad:
        print(f"{len(bad)} files of _build/html changed or missing (e.g. {bad[0]}): every page is written again")
        shutil.rmtree(HTML_DIR, ignore_errors=True)
        previous["outputs"] = {}
    return previous


def toc_notebooks(root: Path = PROJECT_ROOT) -> list[Path]:
    """The notebooks of ``_toc.yml``, in reading order."""
    from booktools.site import toc_docnames

    return [root / f"{name}.ipynb" for name in toc_docnames(root / "_toc.yml") if (root / f"{name}.ipynb").is_file()]


def execution_timeout(config: Path = PROJECT_ROOT / "_config.yml") -> int:
    """``execute.timeout`` of ``_config.yml`` (what MyST-NB uses)."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    return int((data.get("execute") or {}).get("timeout", DEFAULT_TIMEOUT))


@dataclass(frozen=True)
class Executed:
    """One notebook executed by :class:`Executions`."""

    path: Path
    seconds: float
    error: str | None  # None: executed and cached


def _prepare_worker() -> None:
    """In a new worker process: import what :func:`_execute_one` needs, before its first notebook arrives."""
    import nbclient  # noqa: F401
    import nbformat  # noqa: F401
    from jupyter_cache.executors import utils  # noqa: F401


def _execute_one(args: tuple[str, int], manager: Any = None) -> tuple[str, str | None, float, str | None]:
    """In a worker process: execute one notebook in its own folder (as MyST-NB does); return it as JSON.

    ``manager``: the kernel manager of a kernel already started for it (:class:`booktools.kernels.EarlyKernel`),
    used by the first attempt; the caller shuts that kernel down.

    Never raises: a kernel that dies before its first reply is started again (:mod:`booktools.kernels`), and any
    other failure comes back as the error, so the notebook is not cached and MyST-NB executes it again and
    reports it."""
    import nbformat
    from jupyter_cache.executors.utils import ExecutionResult, single_nb_execution

    from booktools.kernels import retry_start

    path, timeout = args
    started = [manager] if manager is not None else []

    def execute(startup_timeout: float | None = None) -> tuple[nbformat.NotebookNode, ExecutionResult]:
        nb = nbformat.read(path, as_version=4)  # each start from the notebook as stored
        cwd = str(Path(path).parent)
        options: dict[str, Any] = {"km": started.pop()} if started else {}  # a retry starts a kernel of its own
        if startup_timeout is not None:
            options["startup_timeout"] = startup_timeout
        run = single_nb_execution(nb, cwd=cwd, timeout=timeout, allow_errors=False, meta_override=True, **options)
        return nb, run

    try:
        nb, result = retry_start(execute, label=path, timeout_arg="startup_timeout")()
    except Exception as error:  # noqa: BLE001 - reported by MyST-NB, which executes the notebook again
        return path, None, 0.0, f"{type(error).__name__}: {error}"
    if result.err is not None:
        lines = [ln for ln in re.sub(r"\x1b\[[0-9;]*m", "", str(result.err)).splitlines() if ln.strip()]
        return path, None, result.time, f"{type(result.err).__name__}: {lines[-1] if lines else ''}"
    return path, nbformat.writes(nb), result.time, None


def iter_missing(notebooks: Iterable[Path], cache_path: Path | None = None) -> Iterator[Path]:
    """Each notebook whose code cells the jupyter-cache at ``cache_path`` (default: the build's,
    :data:`EXECUTION_CACHE`) holds no execution of (MyST-NB's match), as soon as it is found, in the order given."""
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(str(EXECUTION_CACHE if cache_path is None else cache_path))
    for path in notebooks:
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            yield Path(path).resolve()


def missing_from_cache(notebooks: Sequence[Path], cache_path: Path | None = None) -> list[Path]:
    """The notebooks whose code cells the jupyter-cache at ``cache_path`` holds no execution of (MyST-NB's match)."""
    return list(iter_missing(notebooks, cache_path))


def newest_first(notebooks: Iterable[Path]) -> list[Path]:
    """The notebooks by modification time, newest first: after a code edit, the edited one (ties keep their order)."""
    return sorted(notebooks, key=lambda p: -Path(p).stat().st_mtime_ns)


class Executions:
    """Notebooks executing in worker processes (one kernel per core) while this process goes on.

    :meth:`submit` starts a notebook at once (the worker processes start with the first one);
    :meth:`collect` waits for them all and stores each result the way MyST-NB would
    (:class:`jupyter_cache.base.CacheBundleIn` with the execution time), so the Sphinx build that follows
    reads them instead of executing. Only this process writes to the cache's database. Meanwhile this
    process goes on: it looks for more notebooks to execute, then sets Sphinx up
    (:func:`booktools.sphinxbuild.build_html`), so on a code edit the kernel runs on one core while Sphinx
    imports its extensions and loads its environment on the other.
    """

    def __init__(
        self,
        cache_path: Path | None = None,
        *,
        jobs: int | None = None,
        timeout: int = DEFAULT_TIMEOUT,
        echo: bool = True,
    ) -> None:
        self.cache_path = EXECUTION_CACHE if cache_path is None else cache_path  # the build's, by default
        self.timeout, self.echo = timeout, echo
        self.workers = max(1, jobs or os.cpu_count() or 1)
        self.done: list[Executed] = []
        self._pool: ProcessPoolExecutor | None = None
        self._running: list[tuple[Path, Future[tuple[str, str | None, float, str | None]]]] = []
        self._early: EarlyKernel | None = None

    def start_early(self, notebooks: Sequence[Path], recorded: Mapping[str, Any] | None, root: Path) -> Path | None:
        """Start a kernel at once for the first of ``notebooks`` whose code changed since the last build
        (``recorded``: its code digests, by path relative to ``root``), before :meth:`start_workers` (a fork is
        safest before any thread runs); returns that notebook, or ``None`` when no code changed. :meth:`submit` runs
        a notebook that fits on it."""
        from booktools.kernels import EarlyKernel

        for notebook in buildrecord.code_changed(notebooks, recorded, root):
            code = buildrecord.notebook_code(notebook)
            if code is not None:
                self._early = EarlyKernel(notebook, code[0], _execute_one)
                return notebook
        return None

    def _close_early(self) -> None:
        if self._early is not None:
            self._early.close()
            self._early = None

    def start_workers(self) -> None:
        """Start the worker processes now: each imports the execution stack (about 0.4 s) while this process
        decides what to execute, so the first notebook's kernel starts at once."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_prepare_worker)
            self._pool.submit(os.getpid)  # with the fork start method, the first task starts every worker

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``fn`` over ``items`` in the worker processes (started now if they are not), in order."""
        self.start_workers()
        assert self._pool is not None
        return list(self._pool.map(fn, items))

    def submit(self, notebook: Path) -> None:
        """Start executing ``notebook`` on the early kernel when it fits, else in a worker process (queued when every
        worker is busy)."""
        future = None
        if self._early is not None:
            code = buildrecord.notebook_code(notebook)
            if code is not None and self._early.fits(notebook, code[0]):
                future = self._early.submit(notebook, self.timeout)  # None: its process ended, the workers take it
        where = " on the kernel started early" if future is not None else ""
        if future is None:
            self.start_workers()
            assert self._pool is not None
            future = self._pool.submit(_execute_one, (str(notebook), self.timeout))
        self._running.append((notebook, future))
        if self.echo:
            print(f"{notebook}: executing{where} [booktools]", flush=True)

    def unused_early(self) -> None:
        """Every notebook is submitted: an early kernel that none fitted is shut down now (its process ends on its
        own; :meth:`collect` or :meth:`cancel` waits for it)."""
        if self._early is not None:
            self._early.release()

    def collect(self) -> list[Executed]:
        """Wait for every execution and cache each success; returns them all (again when called again)."""
        if self._pool is None and not self._running:
            self._close_early()
            return self.done
        import nbformat
        from jupyter_cache import get_cache
        from jupyter_cache.base import CacheBundleIn

        cache = get_cache(str(self.cache_path))
        with self._pool or contextlib.nullcontext():
            for notebook, future in self._running:
                try:
                    path, text, seconds, error = future.result()
                except Exception as lost:  # noqa: BLE001 - a worker that died (BrokenProcessPool): not cached
                    path, text, seconds, error = str(notebook), None, 0.0, f"{type(lost).__name__}: {lost}"
                if text is not None:
                    cache.cache_notebook_bundle(
                        CacheBundleIn(nbformat.reads(text, as_version=4), path, data={"execution_seconds": seconds}),
                        check_validity=False,
                        overwrite=True,
                    )
                self.done.append(Executed(Path(path), round(seconds, 2), error))
                if self.echo:
                    verdict = (
                        f"Executed notebook in {seconds:.2f} seconds"
                        if error is None
                        else (f"failed ({error}); Sphinx will execute it again and report the error")
                    )
                    print(f"{path}: {verdict} [booktools]", flush=True)
        self._pool, self._running = None, []
        self._close_early()
        return self.done

    def cancel(self) -> None:
        """Stop waiting: queued notebooks are dropped, running ones finish in their workers (nothing is cached)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool, self._running = None, []
        self._close_early()


def forget_execution(notebook: Path, cache_path: Path | None = None) -> str:
    """Drop ``notebook``'s cached execution (from ``cache_path``, default the build's) and mark the file changed, so
    the next build executes and re-reads it."""
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(str(EXECUTION_CACHE if cache_path is None else cache_path))
    try:
        record = cache.match_cache_notebook(nbformat.read(notebook, as_version=4))
    except KeyError:
        message = f"{notebook}: not in the execution cache"
    else:
        cache.remove_cache(record.pk)
        message = f"{notebook}: cached execution dropped"
    os.utime(notebook)
    return message


def build(
    flags: Sequence[str] = (),
    *,
    builder: str = "html",
    mirror: str | os.PathLike[str] | None = None,
    jobs: int | None = None,
) -> int:
    """Clear stale executions, execute missing notebooks in parallel, run ``jupyter-book build``; stamp on success."""
    t0 = time.perf_counter()
    if builder == "html":  # first of all: from here on, this build is never taken for an up-to-date one
        STAMP.unlink(missing_ok=True)
        digest: str | None = book_digest(flags, builder, mirror)
        previous = prepare_html()
    else:  # the PDF build reads pages into Sphinx's saved environment, which the HTML pages then lag behind
        SPHINX_RECORD.unlink(missing_ok=True)
        digest = previous = None
    skip_iri_grammars()
    running = Executions(jobs=jobs, timeout=execution_timeout())

    def executed() -> list[Executed]:
        done = running.collect()
        if done:
            print(f"notebooks executed in {time.perf_counter() - t0:.1f} s", flush=True)
        return done

    try:
        notebooks = toc_notebooks()
        # After a code edit, the edited notebook's kernel starts now. The workers start with the first notebook that
        # does not fit it, or with the tokenizing before a first build: after a prose edit, nothing starts (the
        # workers would compete for the cores with Sphinx for nothing).
        if previous is not None:
            running.start_early(notebooks, previous.get("code"), PROJECT_ROOT)
        print(check_execution_cache(mirror), flush=True)
        if not EXECUTION_CACHE.exists():  # a first build, or the cache was just cleared: every notebook runs
            print(
                f"token cache warmed: {tokenwarm.warm_token_cache(mirror, running)} texts ({time.perf_counter() - t0:.1f} s)",
                flush=True,
            )
            for path in notebooks:
                running.submit(path)
        else:  # newest first: after a code edit, the edited notebook starts while the others are matched
            for path in iter_missing(newest_first(notebooks)):
                running.submit(path)
            running.unused_early()
        if digest is not None:  # Sphinx sets itself up while the kernels run, then waits for them
            from booktools.sphinxbuild import build_html

            sources = None if previous is None else previous["sources"]
            run = build_html(
                PROJECT_ROOT, flags, before_reading=executed, previous_sources=sources, processes=running.workers
            )
            code = run.code
            print(f"Sphinx done {time.perf_counter() - t0:.1f} s after the build started", flush=True)
        else:  # the PDF: jupyter-book's own path (it also runs latexmk)
            executed()
            cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(PROJECT_ROOT), "--builder", builder]
            code = subprocess.run([*cmd, *flags], check=False).returncode
    finally:
        running.cancel()
    failed = [e for e in running.done if e.error]
    if digest is not None and run.completed:  # the pages agree with Sphinx's environment: recorded
        known = {} if previous is None else previous["outputs"]
        code = record_html(run, digest, ok=code == 0 and not failed, known=known) or code
    print(f"book build {'done' if code == 0 else 'FAILED'} in {time.perf_counter() - t0:.1f} s", flush=True)
    return code


def record_html(run: SphinxRun, digest: str, *, ok: bool, known: Mapping[str, list[Any]] | None = None) -> int:
    """After Sphinx completed: the manifest of ``_build/html`` into both records (hashes of ``known`` files whose
    size and time did not move are reused), with the notebooks' code digests in Sphinx's (the next build's guess
    for :class:`booktools.kernels.EarlyKernel`); the stamp only when ``ok`` and every page of ``_toc.yml`` was
    written. Returns 1 when a page is missing, else 0."""
    if run.pruned:
        print(f"removed {len(run.pruned)} output files that no page uses any more", flush=True)
    files = buildrecord.manifest(HTML_DIR, known)
    code = buildrecord.code_digests(toc_notebooks(), PROJECT_ROOT)
    buildrecord.write(SPHINX_RECORD, sources=run.sources, outputs=files, code=code)
    from booktools.site import toc_docnames

    missing = buildrecord.missing_pages(HTML_DIR, toc_docnames(PROJECT_ROOT / "_toc.yml"))
    if missing:
        print(f"pages of _toc.yml not built in {HTML_DIR}: {', '.join(missing)}", file=sys.stderr, flush=True)
        return 1
    if ok:
        buildrecord.write(STAMP, inputs=digest, outputs=files)
    return 0
