"""Build the book twice from clean and compare the outputs byte by byte.

:func:`run_repro` snapshots the repository twice (two folders at different paths, so a build that
leaks its own location into the output is caught), builds each with empty execution and token caches
exactly as ``make book`` does (``python -m booktools build``: notebooks executed in parallel into the
cache, then Sphinx), builds the second copy once more over its own output with ``--all`` (so
output that depends on what an earlier build left in ``_build`` is caught as well), and compares the two
``_build`` trees with :func:`compare_trees`.

Compared: everything the reader receives (``_build/html``: every HTML page, image, JS/CSS/font file,
``searchindex.js``, ``objects.inv``, the ``_sources`` downloads) and the executed
notebooks in ``_build/jupyter_execute``. Excluded (:data:`EXCLUDED`): Sphinx's pickled environment
``.doctrees`` and the jupyter-cache database ``.jupyter_cache``, which are build machinery, never
published, and hold absolute paths and timestamps by design, ``html/.buildinfo``, whose config hash
covers absolute paths of the checkout and of the virtualenv, and the stamps of :mod:`booktools.build`.
"""

from __future__ import annotations

import difflib
import fnmatch
import shutil
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from analysis.io.paths import PROJECT_ROOT
from booktools.workspace import (
    BOOK_FLAGS,
    RunResult,
    book_environment,
    fresh_dir,
    log_tail,
    run_measured,
    snapshot_repository,
)

# Relative POSIX paths (fnmatch patterns; ``*`` also matches ``/``) left out of the comparison, with the reason.
EXCLUDED: dict[str, str] = {
    ".doctrees/*": "Sphinx's pickled build environment: internal, unpublished, stores absolute source paths and mtimes",
    ".jupyter_cache/*": "jupyter-cache's SQLite database and cached notebooks: internal, stores execution timestamps",
    ".book.inputs": "make book's digest of its inputs (booktools.build): build machinery, never published",
    ".jupyter_cache.inputs": "the execution cache's input digest (booktools.buildcache): build machinery",
    ".sphinx-config.pickle": "Jupyter Book's configuration cached by booktools.sphinxbuild: holds the checkout's path",
    "html/.buildinfo": "Sphinx's incremental-build stamp, not a page: an MD5 of config values that include absolute "
    "paths (every extension's static folder in site-packages, the checkout's static folder and jieba dictionary); "
    "identical for two builds of the same checkout, different for two checkouts",
}

# Left out of the comparison after the second copy is rebuilt with --all (compared between the clean builds).
REWRITE_EXCLUDED: dict[str, str] = {
    "jupyter_execute/*": "MyST-NB's intermediate executed notebooks, not published: when it reads a notebook from the "
    "execution cache it writes this copy without the cached outputs (the HTML has them)",
}

DifferenceKind = Literal["changed", "only in first", "only in second"]


@dataclass(frozen=True)
class Difference:
    """One file that is not byte-identical in the two trees."""

    path: str
    kind: DifferenceKind
    excerpt: str = ""

    def render(self) -> str:
        head = f"{self.kind}: {self.path}"
        if not self.excerpt:
            return head
        return head + "\n" + "\n".join("    " + line for line in self.excerpt.splitlines())


def is_excluded(relpath: str, patterns: Sequence[str]) -> bool:
    """True when ``relpath`` (POSIX, relative) matches one of the fnmatch ``patterns``."""
    return any(fnmatch.fnmatchcase(relpath, pattern) for pattern in patterns)


def list_files(root: Path, exclude: Sequence[str] = ()) -> dict[str, Path]:
    """Every regular file under ``root`` by relative POSIX path, minus ``exclude``, in sorted order."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder: nothing to compare (did the build fail?)")
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            rel = path.relative_to(root).as_posix()
            if not is_excluded(rel, exclude):
                found[rel] = path
    return found


def _decode(data: bytes) -> str | None:
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _first_difference(a: Sequence[object], b: Sequence[object]) -> int:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):  # unequal lengths: compared up to the shorter
        if x != y:
            return i
    return min(len(a), len(b))


def _clip(line: str, center: int, width: int) -> str:
    if len(line) <= width:
        return line
    start = max(0, min(center - width // 3, len(line) - width))
    return ("…" if start else "") + line[start : start + width] + ("…" if start + width < len(line) else "")


def diff_excerpt(first: bytes, second: bytes, *, max_lines: int = 12, width: int = 160) -> str:
    """A short human-readable account of how ``first`` and ``second`` differ.

    Text (UTF-8 without NUL bytes): the position of the first difference and a unified diff of at most
    ``max_lines`` lines, long lines (minified JS, ``searchindex.js``) clipped to ``width`` characters around
    the first differing column. Binary: sizes, the first differing byte offset and 16 bytes of hex from each.
    """
    if first == second:
        return ""
    ta, tb = _decode(first), _decode(second)
    if ta is None or tb is None:
        offset = _first_difference(first, second)
        lo = max(0, offset - 4)
        return (
            f"binary files differ: {len(first)} vs {len(second)} bytes, first difference at byte {offset}\n"
            f"first : {first[lo : lo + 16].hex(' ')}\n"
            f"second: {second[lo : lo + 16].hex(' ')}"
        )
    offset = _first_difference(ta, tb)
    line_no = ta.count("\n", 0, offset) + 1
    column = offset - (ta.rfind("\n", 0, offset) + 1)
    out = [f"text differs: first difference at line {line_no}, column {column + 1}"]
    lines_a, lines_b = ta.splitlines(), tb.splitlines()
    body: list[str] = []
    for line in difflib.unified_diff(lines_a, lines_b, "first", "second", lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        body.append(line)
        if len(body) >= max_lines:
            body.append("…")
            break
    # Clip long lines around the first column where each removed/added pair differs.
    centers = [column] * len(body)
    removed = [k for k, ln in enumerate(body) if ln.startswith("-")]
    added = [k for k, ln in enumerate(body) if ln.startswith("+")]
    for r, a in zip(removed, added, strict=False):  # pairs; extra removed or added lines keep `column`
        centers[r] = centers[a] = _first_difference(body[r][1:], body[a][1:])
    for ln, c in zip(body, centers, strict=True):
        prefix, content = (ln[:1], ln[1:]) if ln[:1] in ("-", "+", " ") else ("", ln)
        out.append(prefix + _clip(content, c, width))
    return "\n".join(out)


def compare_trees(first: Path, second: Path, *, exclude: Sequence[str] = tuple(EXCLUDED)) -> list[Difference]:
    """Every file that differs between two trees (missing on one side or not byte-identical), sorted by path."""
    files_a, files_b = list_files(first, exclude), list_files(second, exclude)
    diffs: list[Difference] = []
    for rel in sorted(set(files_a) | set(files_b)):
        if rel not in files_b:
            diffs.append(Difference(rel, "only in first"))
        elif rel not in files_a:
            diffs.append(Difference(rel, "only in second"))
        else:
            a, b = files_a[rel].read_bytes(), files_b[rel].read_bytes()
            if a != b:
                diffs.append(Difference(rel, "changed", diff_excerpt(a, b)))
    return diffs


def kind_of(relpath: str) -> str:
    """A coarse file kind for the summary: the suffix, with HTML pages and images named as such."""
    suffix = Path(relpath).suffix.lower()
    if suffix in {".html", ".htm"}:
        return "html"
    if suffix in {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico"}:
        return "image"
    return suffix.lstrip(".") or Path(relpath).name


def summarize(root: Path, *, exclude: Sequence[str] = tuple(EXCLUDED)) -> Counter[str]:
    """How many compared files of each kind are under ``root``."""
    return Counter(kind_of(rel) for rel in list_files(root, exclude))


@dataclass(frozen=True)
class ReproReport:
    """The outcome of :func:`run_repro`."""

    builds: tuple[RunResult, ...]  # in order; fewer than planned when one failed
    compared: Counter[str]
    differences: tuple[Difference, ...]

    @property
    def ok(self) -> bool:
        return len(self.builds) >= 2 and all(b.ok for b in self.builds) and bool(self.compared) and not self.differences

    def render(self, *, max_differences: int = 30) -> str:
        lines = [
            f"build {i}: {'ok' if b.ok else f'FAILED (exit {b.returncode})'} in {b.seconds:.1f} s"
            + (" (the second copy again, --all over its own output)" if i == 3 else "")
            for i, b in enumerate(self.builds, 1)
        ]
        if not all(b.ok for b in self.builds):
            failed = next(b for b in self.builds if not b.ok)
            lines.append(f"a build failed, nothing was compared: see {failed.log}")
            return "\n".join(lines)
        total = sum(self.compared.values())
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.compared.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"compared {total} files byte by byte ({kinds})")
        lines.append("excluded: " + "; ".join(f"{p} ({why})" for p, why in EXCLUDED.items()))
        if len(self.builds) == 3:
            lines.append(
                "after the --all rebuild, also excluded: "
                + "; ".join(f"{p} ({why})" for p, why in REWRITE_EXCLUDED.items())
            )
        if not self.differences:
            lines.append(
                "0 differences: the two clean builds are byte-identical"
                + (", and the rebuilt one writes the same pages" if len(self.builds) == 3 else "")
            )
        else:
            lines.append(f"{len(self.differences)} files differ:")
            lines += [d.render() for d in self.differences[:max_differences]]
            if len(self.differences) > max_differences:
                lines.append(f"… and {len(self.differences) - max_differences} more")
        return "\n".join(lines)


def run_repro(
    work: Path,
    *,
    source: Path = PROJECT_ROOT,
    flags: Sequence[str] = BOOK_FLAGS,
    hash_seeds: tuple[str, str] | None = None,
    rewrite_second: bool = True,
    echo: bool = True,
) -> ReproReport:
    """Snapshot ``source`` twice into ``work``, build each copy from clean, compare the two ``_build`` trees.

    With ``rewrite_second`` the second copy is then built again over its own output with ``--all`` (every
    page re-read from the execution cache and rewritten), so output that depends on what an earlier build
    left behind shows up too.

    ``hash_seeds`` gives each build its own ``PYTHONHASHSEED`` (default: the caller's, or ``0`` as in the
    Makefile), to check that the output does not depend on set and dict-of-str iteration order.
    """
    work = fresh_dir(Path(work).resolve())
    first = snapshot_repository(work / "src-1", source)
    second = work / "src-2"
    shutil.copytree(first, second)
    results: list[RunResult] = []
    tree_1, tree_2 = first / "_build", second / "_build"
    diffs: list[Difference] = []
    legs = [(1, first, "clean", ()), (2, second, "clean", ())]
    if rewrite_second:
        legs.append((2, second, "rewritten", ("--all",)))
    for i, src, kind, extra in legs:
        log = work / f"build-{len(results) + 1}.log"
        if echo:
            print(f"build {len(results) + 1} ({kind}): {src}/_build (log {log})", flush=True)
        env = book_environment(src)
        if hash_seeds is not None:
            env["PYTHONHASHSEED"] = hash_seeds[i - 1]
        # What `make book` runs after `make data` (booktools.build), inside the copy, with its own package and data.
        cmd = [sys.executable, "-m", "booktools", "build", f"--flags={' '.join((*flags, *extra))}"]
        result = run_measured(cmd, cwd=src, env=env, log=log)
        results.append(result)
        if not result.ok:
            if echo:
                print(log_tail(result.log), flush=True)
            return ReproReport(tuple(results), Counter(), ())
        if len(results) == 2:  # two clean builds: everything but EXCLUDED
            diffs += compare_trees(tree_1, tree_2)
        elif len(results) == 3:  # the rewrite: what is published (see REWRITE_EXCLUDED)
            diffs += [
                Difference(f"{d.path} (after the --all rebuild)", d.kind, d.excerpt)
                for d in compare_trees(tree_1, tree_2, exclude=(*EXCLUDED, *REWRITE_EXCLUDED))
            ]
    return ReproReport(tuple(results), summarize(tree_1), tuple(diffs))
