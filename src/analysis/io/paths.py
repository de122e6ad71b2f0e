"""Where the book's files live, independent of the working directory.

The package is installed in editable mode from ``src/``, so the repository root is three
levels above this file (``src/analysis/io/paths.py``). Every other path is derived from that root; nothing here looks
at ``os.getcwd()``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV = "SECURITIZATION_BOOK_ROOT"
MIRROR_ENV = "CORPUS_MIRROR"
OFFLINE_ENV = "CORPUS_OFFLINE"  # 1/true/yes: `make data` never uses the network


def _find_root() -> Path:
    override = os.environ.get(ROOT_ENV)
    if override:
        root = Path(override).expanduser().resolve()
    else:
        root = Path(__file__).resolve().parents[3]
    if not (root / "_toc.yml").is_file():
        raise RuntimeError(
            f"cannot find the book's root (no _toc.yml in {root}). Install the package in editable "
            f"mode from the repository (`pip install -e .`) or set {ROOT_ENV} to the repository folder."
        )
    return root


PROJECT_ROOT: Path = _find_root()
DATA_DIR: Path = PROJECT_ROOT / "data"
FACTS_DIR: Path = DATA_DIR / "facts"
CORPUS_DATA_DIR: Path = DATA_DIR / "corpus"
RAW_DIR: Path = DATA_DIR / "raw"  # git-ignored cache of acquired primary texts
CACHE_DIR: Path = PROJECT_ROOT / ".cache"  # git-ignored caches (jieba, tokens)
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
BUILD_DIR: Path = PROJECT_ROOT / "_build"
RESOURCES_DIR: Path = Path(__file__).resolve().parents[1] / "resources"

# The names in RAW_DIR (the layout is described in analysis.corpus.cache). They are here, not there, because the
# build's warm check reads them and must not import the corpus package.
RAW_TEXT_SUFFIX = ".doc.txt"  # a document's text, with its provenance on the first line
RAW_ERROR_SUFFIX = ".error.json"  # the last failed attempt to acquire a document that has no good copy
RAW_STATE_FILE = ".fetch-state.json"  # bookkeeping: what the last `make data` saw, so the next can skip its work
RAW_LOCK_FILE = ".lock"  # bookkeeping: held while a document's files are written
RAW_BOOKKEEPING: frozenset[str] = frozenset({RAW_STATE_FILE, RAW_LOCK_FILE})  # never an input of anything
#: Fields of a failure record that describe one attempt, not the document: when it was made and what each route
#: answered. Offline, one document's message changes from run to run ("cannot connect" on one run, "not tried, …
#: could not be reached in this run" on the next). The book shows a document's status and failure class, never
#: these, so they are not inputs of the build (booktools.buildcache).
RAW_ATTEMPT_FIELDS: frozenset[str] = frozenset({"time", "message"})


def cache_path(*parts: str) -> Path:
    """Path inside the project-local cache folder; parent folders are created."""
    path = CACHE_DIR.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def mirror_dir(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The offline corpus mirror: the explicit argument, else ``$CORPUS_MIRROR``, else none.

    An empty string (explicit or in the environment) means no mirror.

    A relative path is taken relative to the project root, so ``CORPUS_MIRROR=../shared/corpus``
    means the same folder from every notebook and from the command line.
    """
    value = os.fspath(explicit) if explicit is not None else os.environ.get(MIRROR_ENV, "")
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    return path.resolve()


def offline_requested(offline: bool | None = None) -> bool:
    """``offline`` if given, else true when ``$CORPUS_OFFLINE`` is set to 1/true/yes."""
    if offline is not None:
        return offline
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in ("1", "true", "yes")


#: The book's Chinese font, Noto Sans CJK SC (a single-face OpenType font shipped by the PyPI package ``mplfonts``):
#: the figures draw with it (:mod:`analysis.present.plotting`) and the web pages get a subset of it
#: (``booktools.webfont``).
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"


def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK SC font, located without importing ``mplfonts`` (or matplotlib: Sphinx
    finds it here without importing either)."""
    import importlib.util

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
