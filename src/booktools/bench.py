"""``make bench``: this book against stock Jupyter Book builds of the same notebooks, in the same run.

A benchmark, not a test: it measures and reports, and never fails because something is slow. Everything
runs in three scratch copies of the repository (:func:`booktools.workspace.snapshot_repository`), so the
working tree and its ``_build/`` are never touched:

* **this book** runs exactly what a reader runs: ``make book`` (and ``make test``) in its copy, with the
  project's virtualenv and ``CORPUS_OFFLINE=1`` (acquisition from the cache and the mirror only);
* **stock** (the main anchor: what a Jupyter Book user would run) is plain ``jupyter-book build .`` of a copy
  with the book's own ``_config.yml`` (notebooks executed through jupyter-cache, ``execute_notebooks: cache``);
* **the default build** is ``jupyter-book build`` of a copy whose ``_config.yml`` has only the title and
  ``execute_notebooks: force`` (:func:`default_config`); same ``_toc.yml``, same notebooks.

Scenarios, each run ``repeats`` times (the median is reported, with every run and the 1-minute load
average before it, because the machine is shared): **cold** (``_build`` and ``.cache`` deleted), **warm**
(nothing changed), **prose edit** (one Markdown cell of one chapter changed), **code edit** (one code cell
changed), and ``make test`` (absolute). The two builds of a scenario run back to back, so they see the
same load, and a scenario's ratio is the median of these paired ratios. Results go to
``bench/latest.json`` and ``bench/latest.md``, and into the README between the ``bench:start`` /
``bench:end`` markers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from analysis.io.fileio import atomic_write_text
from analysis.io.paths import PROJECT_ROOT
from booktools.workspace import (
    RunResult,
    book_environment,
    fresh_dir,
    jupyter_book_command,
    log_tail,
    run_measured,
    snapshot_repository,
)

#: Targets on 2 cores: ratios to the stock build measured in the same run, and ``make test`` in seconds.
TARGETS: dict[str, tuple[str, float]] = {
    "cold": ("ratio", 0.55),
    "warm": ("ratio", 0.05),
    "prose_edit": ("ratio", 0.5),
    "code_edit": ("ratio", 0.5),
    "make_test": ("seconds", 30.0),
}
#: The anchors every scenario is run on besides this book, in the order they run after it.
ANCHORS: tuple[str, ...] = ("stock", "default")
SCENARIOS: dict[str, str] = {
    "cold": "cold build (empty caches)",
    "warm": "warm build (nothing changed)",
    "prose_edit": "prose edit (one Markdown cell changed)",
    "code_edit": "code edit (one code cell changed)",
    "make_test": "`make test` (package tests and nbval)",
}
DEFAULT_CHAPTER = "notebooks/labelling.ipynb"
EDIT_MARKER = "# benchmark: one-chapter edit"
PROSE_MARKER = "(Benchmark edit.)"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_EXECUTED = re.compile(r"(?P<path>\S+\.ipynb): Executed notebook in (?P<seconds>[0-9.]+) seconds")
_CACHED = re.compile(r"(?P<path>\S+\.ipynb): Using cached notebook")
# Make variables of an enclosing `make bench` must not leak into the measured `make` runs.
_MAKE_ENV = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")


# --------------------------------------------------------------------------- machine


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def machine_info() -> dict[str, Any]:
    """CPU model, cores, RAM, OS, Python and the versions that matter, with the date (UTC) and load."""
    cpu = platform.processor() or platform.machine()
    ram_gb = None
    try:
        cpu = next(
            (
                ln.split(":", 1)[1].strip()
                for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")
            ),
            cpu,
        )
        mem = next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal:"))
        ram_gb = round(int(mem.split()[1]) / 2**20, 1)
    except (OSError, StopIteration):
        pass
    versions = {}
    for pkg in ("jupyter-book", "sphinx", "myst-nb", "jupyter-cache", "matplotlib", "pandas", "jieba"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    return {
        "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "versions": versions,
    }


# --------------------------------------------------------------------------- build logs and edits


def notebook_times(log_text: str) -> dict[str, float | None]:
    """Execution seconds per notebook from a build log (``None``: taken from the cache).

    Reads MyST-NB's lines and :mod:`booktools.build`'s, which use the same wording. Keys are notebook paths
    relative to the folder that holds ``notebooks/`` (e.g. ``notebooks/01_x.ipynb``).
    """
    out: dict[str, float | None] = {}
    for line in _ANSI.sub("", log_text).splitlines():
        if m := _EXECUTED.search(line):
            out[_short(m["path"])] = float(m["seconds"])
        elif m := _CACHED.search(line):
            out.setdefault(_short(m["path"]), None)
    return dict(sorted(out.items()))


def _short(path: str) -> str:
    parts = Path(path).parts
    return "/".join(parts[-2:]) if len(parts) >= 2 else path


def executed_count(log_text: str) -> int:
    """How many notebooks a build executed (as opposed to reading them from the cache)."""
    return sum(1 for v in notebook_times(log_text).values() if v is not None)


def _edit_last(notebook: Path, cell_type: str, change: Callable[[str], str]) -> None:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == cell_type]
    if not cells:
        raise ValueError(f"{notebook} has no {cell_type} cell to edit")
    cells[-1].source = change(cells[-1].source)
    nbformat.write(nb, notebook)


def edit_chapter(notebook: Path, marker: str = EDIT_MARKER) -> None:
    """Code edit: append ``marker`` as a comment line to the last code cell (changes its cache key)."""
    _edit_last(notebook, "code", lambda src: src.rstrip("\n") + "\n" + marker)


def edit_prose(notebook: Path, marker: str = PROSE_MARKER) -> None:
    """Prose edit: append ``marker`` as a paragraph of its own to the last Markdown cell (the code is unchanged;
    a paragraph, not a sentence, so that a cell ending in a fenced block stays valid)."""
    _edit_last(notebook, "markdown", lambda src: src.rstrip("\n") + "\n\n" + marker)


def default_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """A default Jupyter Book ``_config.yml``: the book's title and ``execute_notebooks: force``, nothing else."""
    return {"title": config.get("title", "Book"), "execute": {"execute_notebooks": "force"}}


# --------------------------------------------------------------------------- runs


@dataclass
class Step:
    """One measured scenario of one build: the median run, every run, and the load before each."""

    name: str
    seconds: float
    peak_rss_mb: float
    peak_tree_rss_mb: float
    ok: bool
    executed_notebooks: int | None = None
    notebooks: dict[str, float | None] = field(default_factory=dict)
    runs_s: list[float] = field(default_factory=list)  # every repetition; ``seconds`` is their median
    load_average: float | None = None  # 1-minute load average before the (median) run
    loads: list[float] = field(default_factory=list)  # 1-minute load average before each run


def _step(name: str, result: RunResult) -> Step:
    log = result.log.read_text(encoding="utf-8", errors="replace") if result.log and result.log.is_file() else ""
    times = notebook_times(log)
    return Step(
        name=name,
        seconds=result.seconds,
        peak_rss_mb=result.peak_rss_mb,
        peak_tree_rss_mb=result.peak_tree_rss_mb,
        ok=result.ok,
        executed_notebooks=sum(1 for v in times.values() if v is not None),
        notebooks=times,
    )


def _repeat(run: Callable[[int], Step], times: int) -> Step:
    """Run a step ``times`` times; keep the median run, with every run's seconds and load."""
    steps = []
    for i in range(times):
        load = _load()
        step = run(i)
        step.load_average = load
        steps.append(step)
    chosen = sorted(steps, key=lambda st: st.seconds)[len(steps) // 2]
    chosen.runs_s = [st.seconds for st in steps]
    chosen.loads = [st.load_average for st in steps if st.load_average is not None]
    chosen.ok = all(st.ok for st in steps)
    return chosen


@dataclass
class Books:
    """The three scratch copies and how to build them."""

    work: Path
    book: Path
    default: Path
    venv: Path
    installed: Path
    stock: Path | None = None

    def env(self, root: Path) -> dict[str, str]:
        env = book_environment(root)
        for key in _MAKE_ENV:
            env.pop(key, None)
        env.setdefault("CORPUS_OFFLINE", "1")
        return env

    def make(self, target: str, label: str) -> Step:
        cmd = [
            "make",
            "--no-print-directory",
            "-C",
            str(self.book),
            target,
            f"VENV={self.venv}",
            f"INSTALLED={self.installed}",
        ]
        result = run_measured(cmd, cwd=self.book, env=self.env(self.book), log=self.work / f"{label}.log")
        if not result.ok:
            print(log_tail(result.log), file=sys.stderr)
        return _step(label, result)

    def jupyter_book(self, label: str, anchor: str = "default") -> Step:
        """``jupyter-book build`` of the ``default`` or ``stock`` copy."""
        root = self.stock if anchor == "stock" else self.default
        assert root is not None
        result = run_measured(
            jupyter_book_command(root, flags=()), cwd=root, env=self.env(root), log=self.work / f"{label}.log"
        )
        return _step(label, result)

    def roots(self) -> list[Path]:
        return [r for r in (self.book, self.stock, self.default) if r is not None]

    def clean(self, root: Path) -> None:
        for name in ("_build", ".cache"):
            shutil.rmtree(root / name, ignore_errors=True)


def prepare(work: Path, source: Path = PROJECT_ROOT) -> Books:
    """Three snapshots of ``source`` under ``work``: the book (built with ``make book``), the same tree for stock
    ``jupyter-book build .``, and one with the default ``_config.yml``."""
    work = fresh_dir(Path(work).resolve())
    book = snapshot_repository(work / "book", source)
    stock = snapshot_repository(work / "stock", source)
    default = snapshot_repository(work / "default", source)
    config = yaml.safe_load((default / "_config.yml").read_text(encoding="utf-8"))
    (default / "_config.yml").write_text(
        yaml.safe_dump(default_config(config), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    installed = work / "installed"  # stands for .venv/.installed: the measured runs never reinstall the venv
    installed.touch()
    return Books(work, book, default, Path(sys.executable).parent.parent, installed, stock)


def run_bench(
    work: Path,
    *,
    source: Path = PROJECT_ROOT,
    chapter: str = DEFAULT_CHAPTER,
    repeats: int = 3,
    cold_repeats: int | None = None,
    test_repeats: int | None = None,
    throughput: bool = False,
    synthetic_bytes: int = 10_000_000,
    echo: bool = True,
) -> dict[str, Any]:
    """Every scenario for both builds (see the module docstring); returns the results."""
    say = (lambda msg: print(msg, flush=True)) if echo else (lambda msg: None)
    results: dict[str, Any] = {
        "machine": machine_info(),
        "chapter_edited": chapter,
        "repeats": repeats,
        "corpus_offline": True,
        "scenarios": {},
    }
    b = prepare(work, source)

    def both(key: str, times: int, before: Callable[[int], None] | None = None) -> None:
        say(f"{SCENARIOS[key]}, {times} time(s) ...")
        ours: list[Step] = []
        anchors: dict[str, list[Step]] = {a: [] for a in ANCHORS}
        for i in range(times):
            if before is not None:
                before(i)
            label = f"{key}-book-{i + 1}"
            ours.append(_repeat(lambda _, label=label: b.make("book", label), 1))
            if not ours[-1].ok:
                raise RuntimeError(f"`make book` failed ({key}), nothing to compare: see {b.work}/{label}.log")
            for anchor in ANCHORS:
                label = f"{key}-{anchor}-{i + 1}"
                anchors[anchor].append(_repeat(lambda _, label=label, a=anchor: b.jupyter_book(label, a), 1))
        entry: dict[str, Any] = {"book": asdict(_merge(ours))}
        for anchor, runs in anchors.items():
            # Each run of this book is paired with the anchor's build that ran right after it, under the same load.
            pairs = [a.seconds / d.seconds for a, d in zip(ours, runs, strict=True) if d.seconds]
            suffix = "" if anchor == "stock" else f"_{anchor}"
            entry[anchor] = asdict(_merge(runs))
            entry[f"ratios{suffix}"] = [round(r, 3) for r in pairs]
            entry[f"ratio{suffix}"] = round(statistics.median(pairs), 3) if pairs else None
        results["scenarios"][key] = entry
        say(
            f"  this book {entry['book']['seconds']:.1f} s, stock {entry['stock']['seconds']:.1f} s (ratio "
            f"{entry['ratio']}), default {entry['default']['seconds']:.1f} s (ratio {entry['ratio_default']})"
        )

    def cold(i: int) -> None:
        for root in b.roots():
            b.clean(root)

    def prose(i: int) -> None:
        for root in b.roots():
            edit_prose(root / chapter, f"(Benchmark edit {i + 1}.)")

    def code(i: int) -> None:
        for root in b.roots():
            edit_chapter(root / chapter, f"{EDIT_MARKER} {i + 1}")

    both("cold", cold_repeats or repeats, cold)
    both("warm", repeats)
    both("prose_edit", repeats, prose)
    both("code_edit", repeats, code)
    say(f"{SCENARIOS['make_test']}, {test_repeats or repeats} time(s) ...")
    tests = [_repeat(lambda _, i=i: b.make("test", f"make-test-{i + 1}"), 1) for i in range(test_repeats or repeats)]
    results["scenarios"]["make_test"] = {"book": asdict(_merge(tests)), "stock": None, "default": None, "ratio": None}
    say(f"  {results['scenarios']['make_test']['book']['seconds']:.1f} s")
    if throughput:
        from booktools.throughput import run_throughput

        say(f"throughput: real corpus and a synthetic corpus of {synthetic_bytes / 1e6:.0f} MB ...")
        results["throughput"] = run_throughput(b.work, b.book, synthetic_bytes)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = evaluate_targets(results)
    return results


def _merge(steps: Sequence[Step]) -> Step:
    """The median of runs made one at a time (each a one-run :func:`_repeat`); details from the median run."""
    chosen = sorted(steps, key=lambda st: st.seconds)[(len(steps) - 1) // 2]
    merged = Step(**{**asdict(chosen)})
    merged.seconds = round(statistics.median(st.seconds for st in steps), 2)
    merged.runs_s = [st.seconds for st in steps]
    merged.loads = [st.load_average for st in steps if st.load_average is not None]
    merged.ok = all(st.ok for st in steps)
    return merged


def evaluate_targets(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each target with the measured value (a ratio, or seconds for ``make test``) and whether it was met."""
    out = []
    for key, (kind, limit) in TARGETS.items():
        entry = results["scenarios"].get(key)
        if entry is None:
            continue
        value = entry["ratio"] if kind == "ratio" else entry["book"]["seconds"]
        out.append(
            {"target": key, "kind": kind, "limit": limit, "value": value, "met": value is not None and value <= limit}
        )
    return out


# --------------------------------------------------------------------------- report


def _runs(step: Mapping[str, Any]) -> str:
    runs = step.get("runs_s") or []
    return f" (median of {', '.join(f'{r:.1f}' for r in runs)})" if len(runs) > 1 else ""


def _cell(step: Mapping[str, Any] | None) -> str:
    if not step:
        return "–"
    n = step.get("executed_notebooks")
    executed = f"; {n} notebook{'' if n == 1 else 's'} executed" if n is not None else ""
    return f"{step['seconds']:.1f} s{_runs(step)}{executed}" + ("" if step["ok"] else " **FAILED**")


def render_markdown(results: Mapping[str, Any]) -> str:
    """The benchmark as Markdown (``bench/latest.md`` and the README)."""
    m = results["machine"]
    lines = [
        f"Measured {m['date_utc']} UTC on {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']} "
        f"(jupyter-book {m['versions'].get('jupyter-book')}, Sphinx {m['versions'].get('sphinx')}); 1-minute load "
        f"average {m['load_average_at_start'][0]} at start, {m.get('load_average_at_end', ['?'])[0]} at end "
        f"(shared machine). Medians of {results.get('repeats', '?')} runs; a ratio is the median of the per-run "
        "ratios, each run of this book paired with the anchors' builds run right after it. **Stock** is "
        "`jupyter-book build .` with this book's own `_config.yml` (jupyter-cache); the **default** build has only "
        "the title and `execute_notebooks: force`. Targets are ratios to stock. Every run and the load before it "
        "are in `bench/latest.json`.",
        "",
        "| scenario | this book (`make book`) | stock Jupyter Book | ratio to stock | target | met | "
        "default (force) | ratio to default |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    met = {t["target"]: t for t in results["targets"]}
    for key, label in SCENARIOS.items():
        entry = results["scenarios"].get(key)
        if entry is None:
            continue
        t = met[key]
        limit = f"ratio ≤ {t['limit']:g}" if t["kind"] == "ratio" else f"≤ {t['limit']:g} s"
        ratio = f"{entry['ratio']:.2f}" if entry.get("ratio") is not None else "–"
        ratio_d = f"{entry['ratio_default']:.2f}" if entry.get("ratio_default") is not None else "–"
        lines.append(
            f"| {label} | {_cell(entry['book'])} | {_cell(entry.get('stock'))} | {ratio} | {limit} | "
            f"{'yes' if t['met'] else '**no**'} | {_cell(entry.get('default'))} | {ratio_d} |"
        )
    cold = results["scenarios"].get("cold", {})
    if cold:
        ours = cold["book"]["notebooks"]
        stock = (cold.get("stock") or {}).get("notebooks", {})
        theirs = (cold.get("default") or {}).get("notebooks", {})
        lines += [
            "",
            "| notebook | cold: this book (in parallel) | cold: stock (in series) | cold: default (in series) |",
            "| --- | --- | --- | --- |",
        ]

        def secs(v: float | None) -> str:
            return "–" if v is None else f"{v:.1f} s"

        for nb in sorted(set(ours) | set(stock) | set(theirs)):
            lines.append(f"| `{nb}` | {secs(ours.get(nb))} | {secs(stock.get(nb))} | {secs(theirs.get(nb))} |")
    if results.get("throughput"):
        from booktools.throughput import render_throughput

        lines += ["", *render_throughput(results["throughput"])]
    return "\n".join(lines) + "\n"


def update_readme(markdown: str, readme: Path = PROJECT_ROOT / "README.md") -> bool:
    """Replace the text between the ``bench:start`` and ``bench:end`` markers of the README; False if absent."""
    if not readme.is_file():
        return False
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    atomic_write_text(readme, text[: start + len(README_START)] + "\n" + markdown + text[end:])
    return True


def write_results(results: Mapping[str, Any], folder: Path = PROJECT_ROOT / "bench") -> tuple[Path, Path]:
    """Write ``latest.json`` and ``latest.md`` into ``folder`` atomically."""
    js, md = Path(folder) / "latest.json", Path(folder) / "latest.md"
    atomic_write_text(js, json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    atomic_write_text(md, render_markdown(results))
    return js, md
