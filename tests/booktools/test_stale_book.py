"""Never a stale book (issue 21, F3): after any sequence of edits, interrupted builds and damaged outputs,
``make book`` writes exactly the HTML that a clean build of the same inputs writes, byte for byte.

A property test (hypothesis) on a small scratch copy of the repository (``_toc.yml`` cut to four pages: the
landing notebook, the glossary, chapter 3 and appendix B), whose ``data/raw`` is a symbolic link to a folder
beside it, with a small mirror of six texts from the shared offline mirror, reached through a symbolic link
(``CORPUS_OFFLINE=1``; the corpus layer refuses mirror texts that are links to files outside the mirror).
Each example draws a sequence of steps; a step applies one or two edits, then runs ``make book`` in the copy,
either to its end or killed (the whole process tree, ``SIGKILL``) after a drawn delay of up to 8 s:

* prose: the glossary appended to or retitled, a Markdown cell of chapter 3 appended to (a file edited back to
  its original content gets its original, older time, as a restored copy would);
* code: a printed line added to a code cell of chapter 3, or a title set on its figure;
* data: a sourced fact's note or gloss changed in ``data/facts/industrial_revolutions.csv``;
* mirror: a mirror text removed, or replaced by an edited copy;
* cache: an acquired text removed from ``data/raw``, the token cache or the execution cache deleted;
* outputs: a page, ``_static``, ``_images`` or ``searchindex.js`` deleted from ``_build/html``.

After every build that ran to its end, the copy's ``_build/html`` is compared with a clean build (a fresh copy of
the same files, ``data/raw`` included, with empty caches) by :func:`booktools.reproducible.compare_trees`, and
``make book`` must then be a no-op. Clean builds are kept by input digest, so a state seen again costs nothing.

Slow (minutes): ``make stale-test`` runs it (``BOOK_STALE_TEST=1``); ``make test`` skips it. Bounded:
``BOOK_STALE_EXAMPLES`` examples (default 6) of at most four steps, plus an explicit one, a fixed seed (``derandomize``), no
shrinking. Scratch in ``_build/stale-test`` (``BOOK_STALE_WORK``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from analysis.io.paths import PROJECT_ROOT, mirror_dir
from booktools.reproducible import compare_trees
from booktools.workspace import fresh_dir, snapshot_repository

WORK = Path(os.environ.get("BOOK_STALE_WORK") or PROJECT_ROOT / "_build" / "stale-test").resolve()
SHARED = mirror_dir(os.environ.get("BOOK_STALE_MIRROR") or PROJECT_ROOT.parent / "shared" / "corpus")
EXAMPLES = int(os.environ.get("BOOK_STALE_EXAMPLES", "6"))
FLAGS = "--keep-going"  # the cut TOC leaves references to the other chapters unresolved: warnings, not errors
SMALL_TOC = """format: jb-book
root: book/index
chapters:
  - file: book/glossary
  - file: notebooks/historical_context
  - file: notebooks/data_provenance
"""
PAGES = ("book/index", "book/glossary", "notebooks/historical_context", "notebooks/data_provenance")
MIRROR_DOCS = (
    "cybersecurity_law_2016",
    "generative_ai_measures_2023",
    "algorithm_recommendation_provisions_2021",
    "shenzhen_ai_industry_regulation_2022",
    "us_eo14110_2023",
    "beijing_digital_economy_regulation_2022",
)
CHAPTER = "notebooks/historical_context.ipynb"
PROSE_CELL, FIGURE_CELL, CODE_CELL = 2, 8, 18  # the chapter's cells the edits change
FACTS = "data/facts/industrial_revolutions.csv"
FIXED_NS = 1_700_000_000 * 10**9  # the time of edited mirror copies: the same copy is the same file each time


class Scratch:
    """The scratch copy (``repo``), its acquired texts (``raw``, linked as ``repo/data/raw``), the mirror, the
    clean copy (``clean``, at the same depth so relative paths to the mirror read the same) and the clean builds
    kept by input digest (``refs``)."""

    def __init__(self, work: Path) -> None:
        self.work = fresh_dir(work)
        self.repo, self.raw, self.mirror = work / "repo", work / "raw", work / "mirror"
        self.clean, self.refs = work / "clean", work / "refs"
        self.log = work / "steps.log"
        self.last_build_at = 0  # where the last build's output starts in the log
        snapshot_repository(self.repo, PROJECT_ROOT, extra_dirs=())
        (self.repo / "_toc.yml").write_text(SMALL_TOC, encoding="utf-8")
        for nb in (self.repo / "notebooks").glob("*.ipynb"):
            if nb.relative_to(self.repo).as_posix().removesuffix(".ipynb") not in PAGES:
                nb.unlink()
        self.raw.mkdir()
        (self.repo / "data/raw").symlink_to(Path("../../raw"), target_is_directory=True)
        (work / "mirror-files" / "texts").mkdir(parents=True)
        self.mirror.symlink_to("mirror-files", target_is_directory=True)
        assert SHARED is not None
        lines = (SHARED / "manifest.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        keep = [lines[0]] + [ln for ln in lines[1:] if ln.split(",", 1)[0] in MIRROR_DOCS]
        (self.mirror / "manifest.csv").write_text("".join(keep), encoding="utf-8")
        self.originals = {rel: (self.repo / rel).read_bytes() for rel in ("book/glossary.md", CHAPTER, FACTS)}
        self.mtimes = {rel: (self.repo / rel).stat().st_mtime_ns for rel in self.originals}
        self.reset()
        self.refs.mkdir()

    # ------------------------------------------------------------------ edits
    def reset(self) -> None:
        for rel, data in self.originals.items():
            if (self.repo / rel).read_bytes() != data:
                (self.repo / rel).write_bytes(data)
            self.restore_time(rel)

    def restore_time(self, rel: str) -> None:
        """A file edited back to its original content gets its original time too, as a copy restored from a
        backup (or ``cp -p``) would: older than the pages built since, so Sphinx's time check alone misses it."""
        path = self.repo / rel
        if path.read_bytes() == self.originals[rel]:
            os.utime(path, ns=(self.mtimes[rel], self.mtimes[rel]))
        for doc in MIRROR_DOCS:
            self.set_mirror(doc, "original")

    def set_mirror(self, doc: str, how: str) -> None:
        path = self.mirror / "texts" / f"{doc}.txt"
        path.unlink(missing_ok=True)
        if how == "original":  # the shared mirror's file, with its time
            shutil.copy2(SHARED / "texts" / f"{doc}.txt", path)
        elif how == "edited":
            text = (SHARED / "texts" / f"{doc}.txt").read_text(encoding="utf-8")
            path.write_text(text + "\n合成的编辑。\n", encoding="utf-8")
            os.utime(path, ns=(FIXED_NS, FIXED_NS))

    def edit_text(self, rel: str, change: Callable[[str], str]) -> None:
        path = self.repo / rel
        path.write_text(change(self.originals[rel].decode("utf-8")), encoding="utf-8")

    def edit_cell(self, index: int, change: Callable[[str], str]) -> None:
        """Change one cell of the chapter as it is now (edits of other cells stay)."""
        nb = nbformat.read(self.repo / CHAPTER, as_version=4)
        original = nbformat.reads(self.originals[CHAPTER].decode("utf-8"), as_version=4).cells[index].source
        nb.cells[index].source = change(original)
        nbformat.write(nb, self.repo / CHAPTER)

    def apply(self, edit: tuple[str, str]) -> None:
        kind, arg = edit
        html = self.repo / "_build" / "html"
        if kind == "prose":
            if arg == "glossary appended":
                self.edit_text("book/glossary.md", lambda s: s + "\nA synthetic paragraph added by the stale test.\n")
            elif arg == "glossary retitled":
                self.edit_text("book/glossary.md", lambda s: s.replace("# Glossary", "# Glossary (synthetic)", 1))
            elif arg == "markdown cell":
                self.edit_cell(PROSE_CELL, lambda s: s + "\n\nA synthetic sentence added by the stale test.")
            else:
                self.edit_text("book/glossary.md", lambda s: s)
                self.edit_cell(PROSE_CELL, lambda s: s)
        elif kind == "code":
            if arg == "printed line":
                self.edit_cell(CODE_CELL, lambda s: s + '\nprint("synthetic code edit")')
            elif arg == "figure title":
                self.edit_cell(FIGURE_CELL, lambda s: s.replace("();", '().suptitle("Synthetic");'))
            else:
                self.edit_cell(FIGURE_CELL, lambda s: s)
                self.edit_cell(CODE_CELL, lambda s: s)
        elif kind == "data":
            original = self.originals[FACTS].decode("utf-8")
            changed = {
                "note": original.replace("the article gives no end date.", "the article gives no end date (synth).", 1),
                "gloss": original.replace(",first industrial revolution,", ",first industrial revolution (synth),", 1),
            }.get(arg, original)
            assert arg == "revert" or changed != original
            (self.repo / FACTS).write_text(changed, encoding="utf-8")
        elif kind == "mirror":
            doc, how = arg.split(":")
            self.set_mirror(doc, how)
        elif kind == "cache":
            if arg == "tokens":
                shutil.rmtree(self.repo / ".cache" / "tokens", ignore_errors=True)
            elif arg == "executions":
                shutil.rmtree(self.repo / "_build" / ".jupyter_cache", ignore_errors=True)
            else:
                (self.raw / f"{arg}.doc.txt").unlink(missing_ok=True)
        elif kind == "output":
            target = html / arg
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        else:  # pragma: no cover - a strategy names only the kinds above
            raise ValueError(kind)
        for rel in self.originals:
            self.restore_time(rel)

    # ------------------------------------------------------------------ builds
    def environment(self, root: Path) -> dict[str, str]:
        env = dict(os.environ)
        for key in ("CORPUS_FETCH_FLAGS", "REFRESH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
            env.pop(key, None)
        env.update(
            SECURITIZATION_BOOK_ROOT=str(root),
            PYTHONPATH=str(root / "src"),
            CORPUS_MIRROR=str(self.mirror),
            CORPUS_OFFLINE="1",
            PYTHONHASHSEED="0",
            CORPUS_ARCHIVE="",
            # Every page says when it was written ("Last updated on"; `html_last_updated_fmt: ""` is Sphinx's
            # default date format, not none): one date for every build, or a run across midnight would differ.
            SOURCE_DATE_EPOCH=str(FIXED_NS // 10**9),
        )
        return env

    def make_book(self, root: Path, kill_after: float | None = None) -> tuple[int | None, float]:
        """``make book`` in ``root``: (exit status or None when it was killed, seconds)."""
        venv = PROJECT_ROOT / ".venv"
        cmd = ["make", "--no-print-directory", f"VENV={venv}", "-o", f"{venv}/.installed", "book", f"JB_FLAGS={FLAGS}"]
        start = time.perf_counter()
        with open(self.log, "ab") as log:
            head = f"\n==== make book in {root.name}" + (f", killed after {kill_after} s" if kill_after else "")
            log.write(head.encode() + b"\n")
            log.flush()
            self.last_build_at = log.tell()
            proc = subprocess.Popen(
                cmd, cwd=root, env=self.environment(root), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                code = proc.wait(timeout=kill_after if kill_after is not None else 1800)
            except subprocess.TimeoutExpired:
                kill_tree(proc)
                return None, time.perf_counter() - start
        return code, time.perf_counter() - start

    def up_to_date(self) -> bool:
        cmd = [sys.executable, "-m", "booktools", "build", "--check", f"--flags={FLAGS}"]
        return subprocess.run(cmd, cwd=self.repo, env=self.environment(self.repo), capture_output=True).returncode == 0

    def reference(self) -> Path:
        """The HTML of a clean build of the scratch copy's current inputs (built once per input digest)."""
        if self.clean.exists():
            shutil.rmtree(self.clean)
        snapshot_repository(self.clean, self.repo, extra_dirs=("data/raw",))
        for name in (".fetch-state.json", ".lock"):
            (self.clean / "data/raw" / name).unlink(missing_ok=True)
        key = inputs_key(self.clean, self.mirror)
        kept = self.refs / key
        if not kept.exists():
            code, seconds = self.make_book(self.clean)
            assert code == 0, f"the clean build failed: see {self.log}"
            shutil.move(self.clean / "_build" / "html", kept)
            self.note(f"clean build {key[:12]}: {seconds:.1f} s")
        return kept

    def last_output(self, lines: int = 30) -> str:
        """The end of the last ``make book``'s output, for a failure message (CI shows the message, not the log)."""
        with open(self.log, "rb") as log:
            log.seek(self.last_build_at)
            text = log.read().decode("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:])

    def note(self, line: str) -> None:
        with open(self.log, "a", encoding="utf-8") as log:
            log.write(line + "\n")
        print(line, flush=True)


def kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL ``proc`` and every process it started (kernels start their own sessions), as a crash would."""
    import psutil

    try:
        procs = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        procs = []
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for p in procs:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    proc.wait()


def inputs_key(root: Path, mirror: Path) -> str:
    """A digest of every file of a copy (``_build`` and caches left out) and of the mirror, through links."""
    from booktools.buildcache import digest_files

    h = hashlib.sha256()
    for name in sorted(p.name for p in root.iterdir() if p.name not in {"_build", ".cache"}):
        digest_files(h, name, root / name)
    digest_files(h, "mirror", mirror)
    return h.hexdigest()


# ---------------------------------------------------------------------- strategies

EDITS = st.one_of(
    st.tuples(st.just("prose"), st.sampled_from(["glossary appended", "glossary retitled", "markdown cell", "revert"])),
    st.tuples(st.just("code"), st.sampled_from(["printed line", "figure title", "revert"])),
    st.tuples(st.just("data"), st.sampled_from(["note", "gloss", "revert"])),
    st.tuples(
        st.just("mirror"),
        st.builds(
            lambda d, h: f"{d}:{h}", st.sampled_from(MIRROR_DOCS), st.sampled_from(["absent", "edited", "original"])
        ),
    ),
    st.tuples(st.just("cache"), st.sampled_from(["tokens", "executions", *MIRROR_DOCS[:3]])),
    st.tuples(
        st.just("output"),
        st.sampled_from([f"{p}.html" for p in PAGES] + ["_static", "_images", "searchindex.js"]),
    ),
)
#: a step: edits, then ``make book`` to its end (None) or killed after that many seconds
STEPS = st.lists(
    st.tuples(st.lists(EDITS, min_size=1, max_size=2), st.one_of(st.none(), st.integers(1, 32).map(lambda t: t / 4))),
    min_size=2,
    max_size=4,
)


def test_the_small_book_names_files_of_this_checkout() -> None:
    """Run by `make test`: a renamed chapter or fact table fails here, not only in the slow gate."""
    for rel in [f"{p}.ipynb" if p.startswith("notebooks/") else f"{p}.md" for p in PAGES] + [FACTS]:
        assert (PROJECT_ROOT / rel).is_file() or (PROJECT_ROOT / rel).with_suffix(".ipynb").is_file(), rel
    cells = nbformat.read(PROJECT_ROOT / CHAPTER, as_version=4).cells  # else point the *_CELL numbers anew
    assert [cells[i].cell_type for i in (PROSE_CELL, FIGURE_CELL, CODE_CELL)] == ["markdown", "code", "code"]
    assert "figure();" in cells[FIGURE_CELL].source


@pytest.fixture(scope="module")
def scratch() -> Scratch:
    if SHARED is None or not (SHARED / "texts").is_dir():
        pytest.skip("needs the shared offline mirror (../shared/corpus or BOOK_STALE_MIRROR)")
    return Scratch(WORK)


@pytest.mark.stale
@pytest.mark.skipif(os.environ.get("BOOK_STALE_TEST") != "1", reason="slow: run by `make stale-test`")
def test_make_book_equals_a_clean_build_after_any_edits_and_interrupts(scratch: Scratch) -> None:
    started = time.perf_counter()
    examples = []
    killed = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(steps=STEPS)
    # Titles are in every page's navigation, figures are named by their content, words leave the search index,
    # and the glossary's index entries stay in it when only another page is written.
    @example(
        steps=[
            ([("prose", "glossary retitled"), ("code", "figure title")], None),
            ([("prose", "revert"), ("code", "revert")], None),
            ([("prose", "markdown cell")], None),
        ]
    )
    def sequence(steps: list[tuple[list[tuple[str, str]], float | None]]) -> None:
        examples.append(steps)
        scratch.note(f"== example {len(examples)}: {steps}")
        scratch.reset()
        for i, (edits, kill_after) in enumerate(steps):
            for edit in edits:
                scratch.apply(edit)
            last = i == len(steps) - 1
            code, seconds = scratch.make_book(scratch.repo, None if last else kill_after)
            scratch.note(f"step {i + 1}: {edits} -> {'killed' if code is None else f'exit {code}'} in {seconds:.1f} s")
            if code is None:
                killed.append(kill_after)
                continue
            assert code == 0, (
                f"make book failed after {steps[: i + 1]} ({scratch.log}); its output ends:\n{scratch.last_output()}"
            )
            assert scratch.up_to_date(), f"make book is not a no-op right after a build: {steps[: i + 1]}"
            differences = compare_trees(scratch.reference(), scratch.repo / "_build" / "html", exclude=(".buildinfo",))
            assert not differences, (
                f"after {steps[: i + 1]} the HTML differs from a clean build of the same inputs:\n"
                + "\n".join(d.render() for d in differences[:10])
            )

    sequence()
    scratch.note(
        f"{len(examples)} examples, {sum(len(s) for s in examples)} steps ({len(killed)} builds killed), "
        f"{len(list(scratch.refs.iterdir()))} clean builds, {time.perf_counter() - started:.0f} s"
    )
