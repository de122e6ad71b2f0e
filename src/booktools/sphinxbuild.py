"""``jupyter-book build`` for HTML without its start-up cost: the same Sphinx run, the configuration cached.

``jupyter-book build`` turns ``_config.yml`` into Sphinx configuration values (``get_final_config``) and runs
Sphinx with them as overrides, without a ``conf.py``. Importing ``jupyter_book.config`` makes jsonschema
compile the 39 Lark grammars of ``rfc3987-syntax``, which costs more CPU than a warm build's Sphinx run. Here
the values that ``get_final_config`` returns are stored in ``_build/.sphinx-config.pickle`` with a key over
``_config.yml``, ``_toc.yml``, the command-line overrides and the Jupyter Book version. They are computed
again only when one of these changed. Sphinx then runs in this process with exactly the arguments
``jupyter_book.sphinx.build_sphinx`` uses. So the configuration cannot drift from ``_config.yml``, and the
pages are the ones ``jupyter-book build`` writes (``tests/booktools/test_build_paths.py`` compares the two configurations).

What Sphinx's incremental build leaves stale on its own is handled here: it re-reads a page only when a
file's modification time moved, so :func:`build_html` also re-reads every page whose source changed in
content (:func:`source_hashes`, compared with the last completed run); it never removes an image or a
download that no page uses any more (:func:`prune_outputs`); its search index keeps words that no page
holds any more (:func:`search_index_without_empty_terms`), and loses the index entries of the pages it does
not rewrite (:func:`save_environment`); and it rewrites only the pages it re-read, so a
changed title would stay in the navigation of every other page: when a title or a page's table of contents
changed (:func:`navigation`), every page is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from analysis.io.fileio import atomic_write_bytes

FLAGS = {"-W": "warningiserror", "-n": "nitpicky", "--keep-going": "keep_going", "--all": "freshenv"}


def parse_flags(flags: Sequence[str]) -> dict[str, bool]:
    """``jupyter-book build`` flags (``-W -n --keep-going --all``) as Sphinx arguments; others are refused."""
    unknown = [f for f in flags if f not in FLAGS]
    if unknown:
        raise ValueError(f"unsupported build flags {unknown}: use {', '.join(FLAGS)} (or run jupyter-book build)")
    return {name: name in {FLAGS[f] for f in flags} for name in FLAGS.values()}


def _overrides(root: Path, nitpicky: bool) -> dict[str, Any]:
    """What ``jupyter-book build <root>`` passes to ``get_final_config`` for a book (jupyter_book/cli/main.py)."""
    out: dict[str, Any] = {"external_toc_path": (root / "_toc.yml").as_posix(), "latex_individualpages": False}
    if nitpicky:
        out["nitpicky"] = True
    return out


def _key(root: Path, overrides: dict[str, Any]) -> str:
    h = hashlib.sha256()
    for name in ("_config.yml", "_toc.yml"):
        path = root / name
        h.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"absent") + b"\0")
    h.update(repr(sorted(overrides.items())).encode())
    h.update(metadata.version("jupyter-book").encode())
    return h.hexdigest()


def config_key(root: Path, nitpicky: bool) -> str:
    """What Jupyter Book's configuration for ``root`` is made from: ``_config.yml``, ``_toc.yml``, the overrides and
    Jupyter Book's version. It keys the cached configuration and, with the extensions' code, the saved environment."""
    return _key(root, _overrides(root, nitpicky))


def final_config(root: Path, nitpicky: bool, cache: Path) -> dict[str, Any]:
    """Jupyter Book's Sphinx configuration for ``root``, from ``cache`` when its key (:func:`config_key`) still
    matches."""
    overrides = _overrides(root, nitpicky)
    key = config_key(root, nitpicky)
    if cache.is_file():
        try:
            stored = pickle.loads(cache.read_bytes())
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            stored = None
        if isinstance(stored, dict) and stored.get("key") == key:
            return stored["config"]
    from jupyter_book.config import get_final_config

    config, _meta = get_final_config(
        user_yaml=root / "_config.yml", cli_config=overrides, sourcedir=root, use_external_toc=True
    )
    atomic_write_bytes(cache, pickle.dumps({"key": key, "config": config}))
    return config


def environment_key(config_key: str) -> str:
    """What a saved Sphinx environment was made with: the configuration (:func:`_key`) and the code of the book's
    own Sphinx extensions (this package). When it changes, the build starts from a fresh environment: Sphinx
    would re-read every page into the old one, and sphinxcontrib-bibtex then prints every bibliography entry once
    more per change (seen when an extension was added: 55 labels on the references page became 110, then 165)."""
    h = hashlib.sha256(config_key.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@dataclass
class SphinxRun:
    """What :func:`build_html` did."""

    code: int  # Sphinx's exit status (1 on any error)
    completed: bool = False  # Sphinx ran to its end: ``_build/html`` holds what its saved environment describes
    sources: dict[str, str] = field(default_factory=dict)  # docname → :func:`source_hashes` once it completed
    pruned: list[str] = field(default_factory=list)  # outputs no page uses any more, removed


def source_hashes(env: Any, build_dir: Path | None = None) -> dict[str, str]:
    """SHA-256 of each document's source and of the files Sphinx noted as its dependencies (those it wrote itself
    under ``build_dir``, the figures of executed notebooks, left out), by docname."""
    skip = None if build_dir is None else Path(build_dir).resolve()
    out = {}
    for docname in sorted(env.found_docs):
        h = hashlib.sha256()
        for name in (env.doc2path(docname, False), *sorted(env.dependencies.get(docname, ()))):
            path = Path(env.srcdir, name).resolve()
            if skip is not None and path.is_relative_to(skip):
                continue
            h.update(str(name).encode() + b"\0")
            try:
                h.update(hashlib.sha256(path.read_bytes()).digest())
            except OSError:
                h.update(b"absent")
        out[docname] = h.hexdigest()
    return out


def save_environment(app: Any) -> None:
    """Save Sphinx's environment again once the pages are written (in one ``os.replace``).

    Sphinx saves it after reading, but its search index keeps each page's index entries (a glossary's terms) in
    the environment and fills them while writing. A later build that does not rewrite that page loaded them from
    the saved environment, which had none: ``searchindex.js`` lost the glossary's entries on every build that
    did not rewrite the glossary.
    """
    from sphinx.application import ENV_PICKLE_FILENAME

    atomic_write_bytes(Path(app.doctreedir) / ENV_PICKLE_FILENAME, pickle.dumps(app.env, pickle.HIGHEST_PROTOCOL))


def navigation(env: Any) -> dict[str, str]:
    """Each page's title and table of contents as text: what every other page shows in its navigation."""
    return {d: f"{env.titles[d].astext()}\0{env.tocs[d].astext() if d in env.tocs else ''}" for d in sorted(env.titles)}


def prune_outputs(app: Any) -> list[str]:
    """Remove the images and downloads of ``_build/html`` that no page uses any more; returns their paths.

    Sphinx copies the images of the pages it writes and never removes one: an executed notebook names each
    figure by its content, so a figure that changed would leave its old file beside the new one, where a
    clean build has none.
    """
    outdir = Path(app.outdir)
    keep = {f"{app.builder.imagedir}/{name}" for _docs, name in app.env.images.values()}
    keep |= {f"_downloads/{dest}" for _docs, dest in app.env.dlfiles.values()}
    pruned = []
    for folder in (outdir / app.builder.imagedir, outdir / "_downloads"):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            rel = path.relative_to(outdir).as_posix()
            if path.is_file() and rel not in keep:
                path.unlink()
                pruned.append(rel)
    return pruned


@contextlib.contextmanager
def search_index_without_empty_terms() -> Iterator[None]:
    """While Sphinx builds, words left without pages leave its search index.

    Sphinx's incremental build loads the last ``searchindex.js`` and prunes the pages it rewrites from each
    word's page list (``IndexBuilder.prune``), but keeps a word whose list became empty: after an edit that
    removed the last use of a word, ``searchindex.js`` would hold ``"word": []``, which a clean build does not.
    Index entries of pages that are gone are dropped as well.
    """
    from sphinx.search import IndexBuilder

    original = IndexBuilder.prune

    def prune(self: Any, docnames: Iterable[str]) -> None:
        original(self, docnames)
        for mapping in (self._mapping, self._title_mapping):
            for word in [w for w, names in mapping.items() if not names]:
                del mapping[word]
        keep = set(docnames)
        for docname in [d for d in self._index_entries if d not in keep]:
            del self._index_entries[docname]

    IndexBuilder.prune = prune  # type: ignore[method-assign]
    try:
        yield
    finally:
        IndexBuilder.prune = original  # type: ignore[method-assign]


def build_html(
    root: Path,
    flags: Sequence[str] = (),
    before_reading: Callable[[], object] | None = None,
    previous_sources: Mapping[str, str] | None = None,
    processes: int = 1,
) -> SphinxRun:
    """Sphinx's HTML build of the book in ``root`` into ``root/_build/html``, as ``jupyter-book build`` runs it.

    ``before_reading`` is called once Sphinx is set up (extensions loaded, the saved environment read, jieba's
    dictionary loaded) and before it looks at any page: :func:`booktools.build.build` waits there for the
    notebooks it executes meanwhile.

    ``previous_sources`` (the :func:`source_hashes` of the last completed run) makes Sphinx read again every
    page whose source or dependency changed in content, whatever its modification time says (Sphinx itself
    only compares times, so a file restored with an older time would keep its stale page).

    ``processes``: Sphinx reads and writes pages in that many processes when it has more than five to do (a cold
    build: measured 10.2 s instead of 12.7 s after the notebooks, on 2 cores, with byte-identical pages); an edit's
    one or two pages are done in this process either way.
    """
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    args = parse_flags(flags)
    build_dir = root / "_build"
    config = final_config(root, args["nitpicky"], build_dir / ".sphinx-config.pickle")
    run = SphinxRun(code=1)
    env_key_file = build_dir / ".doctrees" / "book-environment.key"  # beside the environment it describes
    env_key = environment_key(config_key(root, args["nitpicky"]))
    stored_key = env_key_file.read_text(encoding="utf-8").strip() if env_key_file.is_file() else ""
    freshenv = args["freshenv"] or stored_key != env_key
    env_key_file.unlink(missing_ok=True)  # written again only once a build completed with this key

    navigation_before: dict[str, str] = {}

    def changed_in_content(app: Any, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
        navigation_before.update(navigation(env))
        if previous_sources is None:
            return []
        now = source_hashes(env, build_dir)
        return sorted(d for d, h in now.items() if previous_sources.get(d) != h and d not in added)

    def navigation_changed(app: Any, env: Any) -> list[str]:
        return sorted(env.found_docs) if navigation(env) != navigation_before else []

    try:
        with patch_docutils(None), docutils_namespace(), search_index_without_empty_terms():
            app = Sphinx(
                srcdir=root,
                confdir=None,
                outdir=build_dir / "html",
                doctreedir=build_dir / ".doctrees",
                buildername="html",
                confoverrides=config,
                status=sys.stdout,
                warning=sys.stderr,
                freshenv=freshenv,
                warningiserror=args["warningiserror"],
                tags=None,
                verbosity=0,
                parallel=processes,
                keep_going=args["keep_going"],
            )
            keep_compiled_templates(app.builder)
            app.connect("env-get-outdated", changed_in_content)
            app.connect("env-get-updated", navigation_changed)
            if app.config["use_multitoc_numbering"] and "numbered: true" in _site_map_yaml(app):
                app.setup_extension("sphinx_multitoc_numbering")
                # It renumbers sections after reading, in this process; it keeps nothing per page, so pages can be
                # read in parallel (it does not say so itself, and Sphinx then reads one page at a time).
                app.extensions["sphinx_multitoc_numbering"].parallel_read_safe = True
            if before_reading is not None:
                before_reading()
            app.build(False, [])
            save_environment(app)
            run.code, run.completed = int(app.statuscode), True
            run.sources = source_hashes(app.env, build_dir)  # with the dependencies found in this run
            run.pruned = prune_outputs(app)
            atomic_write_bytes(env_key_file, env_key.encode() + b"\n")
    except Exception as exc:  # Sphinx's own errors (warnings as errors included): reported, then exit 1
        import traceback

        traceback.print_exc()
        print(f"build failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        run.code = 1
    return run


def keep_compiled_templates(builder: Any, folder: Path | None = None) -> Path | None:
    """Keep the HTML templates that Jinja compiles in ``folder`` (default ``.cache/jinja/<versions>``), for the
    next build to load; returns the folder (``None`` for a builder without Jinja templates, such as LaTeX).

    Sphinx compiles the theme's templates (page, layout, sidebars …) into Python code in every build: 0.2 s of an
    edit's build. Jinja's own bytecode cache stores the compiled code under the template's name and loads it only
    when the template's source is unchanged and the Python version is the same (Jinja checks both). What else
    shapes the compiled code, Jinja's code generator and the environment Sphinx sets up, is fixed by the versions
    of Jinja and Sphinx, which name the folder. A page is thus rendered by exactly the code a fresh compile gives.
    """
    environment = getattr(getattr(builder, "templates", None), "environment", None)
    if environment is None:
        return None
    from jinja2 import FileSystemBytecodeCache

    class Kept(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - a kept file Jinja cannot read: compiled afresh (and kept again)
                bucket.reset()

    if folder is None:
        from analysis.io.paths import cache_path

        versions = f"jinja2-{metadata.version('jinja2')}-sphinx-{metadata.version('sphinx')}"
        folder = cache_path("jinja", versions)
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = Kept(str(folder))
    return folder


def _site_map_yaml(app: Any) -> str:
    import yaml

    site_map = getattr(app.config, "external_site_map", None)
    return yaml.dump(site_map.as_json()) if site_map is not None else ""
