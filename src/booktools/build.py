"""``make book``, fast: nothing to do when nothing changed, notebooks executed in parallel before Sphinx.

:func:`build` is what ``make book`` runs after ``make data``:

1. :func:`booktools.buildcache.check_execution_cache` clears the execution cache when the data, the
   ``analysis`` package, the corpus or the lock changed (jupyter-cache itself only sees code cells);
2. :func:`execute_into_cache` executes, in parallel (one kernel per core), every notebook of the table of
   contents that the cache does not hold, and stores the results in jupyter-cache exactly as MyST-NB would;
3. Sphinx, configured exactly as ``jupyter-book build`` configures it (:mod:`booktools.sphinxbuild`, which
   skips Jupyter Book's costly start-up), then finds every notebook in the cache and only renders. A
   notebook that failed in step 2 is not cached, so MyST-NB executes it again and fails the build with
   its traceback, as it always did;
4. on success, :data:`STAMP` records a digest of every input of the book (:func:`book_digest`).

``python -m booktools build --check`` compares that digest with the current inputs and exits 0 when
they are the same and the HTML exists: ``make book`` then returns at once, without acquiring the corpus
again, starting Sphinx or importing the analysis stack.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from analysis.fileio import atomic_write_text
from analysis.paths import BUILD_DIR, PROJECT_ROOT, mirror_dir
from booktools.buildcache import EXECUTION_CACHE, check_execution_cache, digest_files

STAMP = BUILD_DIR / ".book.inputs"


def skip_iri_grammars() -> None:
    """Keep jsonschema from compiling ``rfc3987-syntax``'s 39 Lark grammars in this process (about 1.2 s of CPU).

    nbformat imports jsonschema, whose format module imports ``rfc3987_syntax`` when it is installed (it is, for
    jupyter-events) only to check the ``iri`` formats. Neither nbformat nor Sphinx asks for format checks, so the
    build marks the module as absent (``sys.modules[...] = None`` makes its import fail) before jsonschema loads.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


HTML_INDEX = BUILD_DIR / "html" / "index.html"
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
#: Environment variables that change what a build produces.
INPUT_ENV: tuple[str, ...] = ("PYTHONHASHSEED",)
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
    """True when the last successful HTML build had exactly these inputs and its output is still there."""
    if not (STAMP.is_file() and HTML_INDEX.is_file()):
        return False
    return STAMP.read_text(encoding="utf-8").strip() == book_digest(flags, mirror=mirror)


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
    """One notebook executed by :func:`execute_into_cache`."""

    path: Path
    seconds: float
    error: str | None  # None: executed and cached


def _execute_one(args: tuple[str, int]) -> tuple[str, str | None, float, str | None]:
    """In a worker process: execute one notebook in its own folder (as MyST-NB does); return it as JSON."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    path, timeout = args
    nb = nbformat.read(path, as_version=4)
    result = single_nb_execution(
        nb, cwd=str(Path(path).parent), timeout=timeout, allow_errors=False, meta_override=True
    )
    if result.err is not None:
        lines = [ln for ln in re.sub(r"\x1b\[[0-9;]*m", "", str(result.err)).splitlines() if ln.strip()]
        return path, None, result.time, f"{type(result.err).__name__}: {lines[-1] if lines else ''}"
    return path, nbformat.writes(nb), result.time, None


def missing_from_cache(notebooks: Sequence[Path], cache_path: Path = EXECUTION_CACHE) -> list[Path]:
    """The notebooks whose code cells the jupyter-cache at ``cache_path`` holds no execution of (MyST-NB's match)."""
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    todo = []
    for path in notebooks:
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            todo.append(Path(path).resolve())
    return todo


def warm_token_cache(mirror: str | os.PathLike[str] | None = None) -> int:
    """Tokenize every available text once, so notebooks executed side by side do not each tokenize them again.

    Executed one after another, the first chapter fills the token cache (``.cache/tokens``) and the others
    read it; executed in parallel, they would all miss it at once and repeat the same jieba work. Returns the
    number of texts (already cached texts cost a file read).
    """
    from analysis.corpus import load_corpus
    from analysis.text import tokenize

    texts = load_corpus(mirror)["text"]
    for text in texts:
        tokenize(text)
    return len(texts)


def execute_into_cache(
    notebooks: Sequence[Path],
    cache_path: Path = EXECUTION_CACHE,
    *,
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    echo: bool = True,
) -> list[Executed]:
    """Execute in parallel every notebook whose code the jupyter-cache at ``cache_path`` does not hold.

    The cache is matched exactly as MyST-NB matches it (on the code cells), and results are stored the
    same way (:class:`jupyter_cache.base.CacheBundleIn` with the execution time), so the Sphinx build that
    follows reads them instead of executing. Only the parent process writes to the cache's database.
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_path))
    todo = missing_from_cache(notebooks, cache_path)
    if not todo:
        return []
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if echo:
        print(f"executing {len(todo)} notebook(s) into the cache, {workers} at a time", flush=True)
    done: list[Executed] = []
    jobs_args = [(str(p), timeout) for p in todo]
    # One notebook (a code edit): run it here, no worker process; the imports are then Sphinx's too.
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    with pool or contextlib.nullcontext():
        results = pool.map(_execute_one, jobs_args) if pool else map(_execute_one, jobs_args)
        for path, text, seconds, error in results:
            if text is not None:
                cache.cache_notebook_bundle(
                    CacheBundleIn(nbformat.reads(text, as_version=4), path, data={"execution_seconds": seconds}),
                    check_validity=False,
                    overwrite=True,
                )
            done.append(Executed(Path(path), round(seconds, 2), error))
            if echo:
                verdict = (
                    f"Executed notebook in {seconds:.2f} seconds"
                    if error is None
                    else (f"failed ({error}); Sphinx will execute it again and report the error")
                )
                print(f"{path}: {verdict} [booktools]", flush=True)
    return done


def forget_execution(notebook: Path, cache_path: Path = EXECUTION_CACHE) -> str:
    """Drop ``notebook``'s cached execution and mark the file changed, so the next build executes and re-reads it."""
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
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
    skip_iri_grammars()
    digest = book_digest(flags, builder, mirror) if builder == "html" else None
    print(check_execution_cache(mirror), flush=True)
    notebooks = toc_notebooks()
    if len(missing_from_cache(notebooks)) > 1:
        print(f"token cache warmed: {warm_token_cache(mirror)} texts ({time.perf_counter() - t0:.1f} s)", flush=True)
    executed = execute_into_cache(notebooks, jobs=jobs, timeout=execution_timeout())
    failed = [e for e in executed if e.error]
    if executed:
        print(f"notebooks executed in {time.perf_counter() - t0:.1f} s", flush=True)
    if builder == "html":
        from booktools.sphinxbuild import build_html

        t1 = time.perf_counter()
        code = build_html(PROJECT_ROOT, flags)
        print(f"Sphinx: {time.perf_counter() - t1:.1f} s", flush=True)
    else:  # the PDF: jupyter-book's own path (it also runs latexmk)
        cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(PROJECT_ROOT), "--builder", builder]
        code = subprocess.run([*cmd, *flags], check=False).returncode
    if digest is not None:  # the HTML build: stamped when it succeeded, otherwise never taken for up to date
        if code == 0 and not failed:
            atomic_write_text(STAMP, digest + "\n")
        else:
            STAMP.unlink(missing_ok=True)
    print(f"book build {'done' if code == 0 else 'FAILED'} in {time.perf_counter() - t0:.1f} s", flush=True)
    return code
