"""``make bench``: how long the book takes to build and rerun, and how much memory it needs.

A benchmark, not a test: it measures and reports, and never fails because a figure is slow. Everything
runs in scratch copies of the repository (:func:`booktools.workspace.snapshot_repository`), so the
working tree and the shared ``_build/`` are never touched. Measured:

* **cold build**: a fresh copy, empty execution cache (``_build/.jupyter_cache``) and empty token cache
  (``.cache/``), exactly what ``make book`` runs (``python -m booktools check-cache`` then
  ``jupyter-book build . -W -n --keep-going``);
* **warm rebuild**: the same again with nothing changed;
* **one-chapter rebuild**: after appending a comment to the last code cell of one chapter (in the copy);
* **per-notebook execution time**: MyST-NB's "Executed notebook in N seconds" lines of the cold build;
* **corpus loading and tokenization throughput** (characters per second; characters are non-whitespace
  characters, :func:`analysis.text.count_characters`) on the real corpus and on a synthetic corpus of
  about 10 MB generated from jieba's own dictionary (seeded, written under the scratch folder, never
  committed), in a fresh process with an empty token cache and then again in a second process, which must
  tokenize nothing (:class:`analysis.text.TokenCacheStats`);
* **peak memory** of every step (largest process, and whole process tree);
* a **default Jupyter Book build** of the same notebooks for comparison: the same ``_toc.yml`` with a
  ``_config.yml`` reduced to Jupyter Book's defaults (``execute_notebooks: force``, no extension, no flags).

Results go to ``bench/latest.json`` and ``bench/latest.md``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import os
import platform
import random
import re
import resource
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from analysis.fileio import atomic_write_text
from analysis.paths import PROJECT_ROOT
from booktools.workspace import (
    BOOK_FLAGS,
    RunResult,
    book_environment,
    fresh_dir,
    jupyter_book_command,
    log_tail,
    run_measured,
    snapshot_repository,
)

TARGETS: dict[str, float] = {
    "cold_build_s": 60.0,
    "warm_rebuild_s": 5.0,
    "one_chapter_rebuild_s": 15.0,
    "slowest_notebook_s": 15.0,
}
DEFAULT_CHAPTER = "notebooks/02_labelling_ai_as_security.ipynb"
SYNTHETIC_BYTES = 10_000_000
SYNTHETIC_DOC_BYTES = 100_000
SYNTHETIC_SEED = 2021
EDIT_MARKER = "# benchmark: one-chapter edit"
# Keys of the book's _config.yml that a default build keeps: what the book *is*, not how it is built.
DEFAULT_BUILD_KEEP = ("title", "author", "copyright", "only_build_toc_files", "exclude_patterns", "bibtex_bibfiles", "parse")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_EXECUTED = re.compile(r"(?P<path>\S+\.ipynb): Executed notebook in (?P<seconds>[0-9.]+) seconds")
_CACHED = re.compile(r"(?P<path>\S+\.ipynb): Using cached notebook")


# --------------------------------------------------------------------------- machine


def machine_info() -> dict[str, Any]:
    """CPU model, cores, RAM, OS, Python and the versions that matter, with the date (UTC) and load."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
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


# --------------------------------------------------------------------------- build logs


def notebook_times(log_text: str) -> dict[str, float | None]:
    """Execution seconds per notebook from a MyST-NB build log (``None``: taken from the cache).

    Keys are notebook paths relative to the folder that holds ``notebooks/`` (e.g. ``notebooks/01_x.ipynb``).
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


def edit_chapter(notebook: Path, marker: str = EDIT_MARKER) -> None:
    """Append ``marker`` as a comment line to the last code cell of ``notebook`` (changes its cache key)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code:
        raise ValueError(f"{notebook} has no code cell to edit")
    code[-1].source = code[-1].source.rstrip("\n") + "\n" + marker
    nbformat.write(nb, notebook)


def default_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """The book's ``_config.yml`` reduced to Jupyter Book's defaults, with notebooks always executed."""
    out = {key: config[key] for key in DEFAULT_BUILD_KEEP if key in config}
    out["execute"] = {"execute_notebooks": "force", "timeout": 300}
    return out


# --------------------------------------------------------------------------- synthetic corpus


@functools.lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[str, ...], tuple[int, ...]]:
    """jieba's dictionary words (letters only) and their cumulative frequencies."""
    import jieba

    words: list[str] = []
    weights: list[int] = []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and parts[0].isalpha():
                words.append(parts[0])
                weights.append(int(parts[1]))
    return tuple(words), tuple(itertools.accumulate(weights))


def synthetic_text(n_bytes: int, *, seed: int = SYNTHETIC_SEED) -> str:
    """About ``n_bytes`` of UTF-8 pseudo-Chinese: words drawn from jieba's dictionary by frequency.

    Deterministic for a given seed and jieba version. Not language: a load generator for the tokenizer.
    """
    words, cum_weights = _vocabulary()
    rng = random.Random(seed)
    pieces: list[str] = []
    size = 0
    while size < n_bytes:
        paragraph = []
        for _ in range(rng.randint(3, 8)):
            sentence = "".join(rng.choices(words, cum_weights=cum_weights, k=rng.randint(6, 18)))
            paragraph.append(sentence + rng.choice("，。。；"))
        text = "".join(paragraph) + "\n"
        pieces.append(text)
        size += len(text.encode("utf-8"))
    return "".join(pieces)


def write_synthetic_corpus(folder: Path, n_bytes: int = SYNTHETIC_BYTES, doc_bytes: int = SYNTHETIC_DOC_BYTES) -> list[str]:
    """Write a synthetic mirror (``texts/synthetic_NNNN.txt``) of about ``n_bytes``; returns the doc ids."""
    text = synthetic_text(n_bytes)
    texts = folder / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    ids, chunk, size, lines = [], [], 0, text.splitlines(keepends=True)
    for line in lines:
        chunk.append(line)
        size += len(line.encode("utf-8"))
        if size >= doc_bytes or line is lines[-1]:
            doc_id = f"synthetic_{len(ids):04d}"
            (texts / f"{doc_id}.txt").write_text("".join(chunk), encoding="utf-8")
            ids.append(doc_id)
            chunk, size = [], 0
    return ids


def synthetic_manifest(doc_ids: Sequence[str]) -> Any:
    """A manifest frame (the real manifest's columns) for synthetic documents."""
    import pandas as pd

    from analysis.corpus import COLUMNS

    base = {c: "" for c in COLUMNS}
    base.update({"title_zh": "合成文本", "title_en": "synthetic benchmark text", "issuer": "synthetic", "level": "central",
                 "region": "national", "date_issued": "2021", "date": "2021", "year": 2021, "genre": "report",
                 "language": "zh", "notes": "synthetic, generated by booktools.bench"})
    return pd.DataFrame([{**base, "doc_id": d} for d in doc_ids], columns=list(COLUMNS))


# --------------------------------------------------------------------------- throughput worker


def throughput(cache_dir: Path, synthetic_dir: Path | None) -> dict[str, Any]:
    """Corpus loading and tokenization in this process, with the token cache in ``cache_dir``.

    Run twice in two processes with the same ``cache_dir``: the first fills the cache, the second must
    tokenize nothing. Returns characters, seconds and characters per second for each corpus.
    """
    from analysis import paths, text
    from analysis.corpus import load_corpus

    paths.CACHE_DIR = Path(cache_dir)  # this process only: a private, initially empty token cache
    result: dict[str, Any] = {}
    t0 = time.perf_counter()
    text.get_tokenizer()
    result["tokenizer_init_s"] = round(time.perf_counter() - t0, 3)
    corpora: list[tuple[str, dict[str, Any]]] = [("real", {})]
    if synthetic_dir is not None:
        ids = sorted(p.stem for p in (Path(synthetic_dir) / "texts").glob("*.txt"))
        corpora.append(("synthetic", {"mirror": synthetic_dir, "manifest": synthetic_manifest(ids),
                                      "cache_dir": Path(synthetic_dir) / "no-cache"}))
    for name, kwargs in corpora:
        t0 = time.perf_counter()
        df = load_corpus(**kwargs)
        load_s = time.perf_counter() - t0
        chars = int(sum(text.count_characters(t) for t in df["text"]))
        text.TokenCacheStats.tokenized = text.TokenCacheStats.cache_hits = 0
        t0 = time.perf_counter()
        n_tokens = sum(len(text.tokenize(t)) for t in df["text"])
        tok_s = time.perf_counter() - t0
        result[name] = {
            "documents": len(df),
            "chars": chars,
            "utf8_mb": round(sum(len(t.encode("utf-8")) for t in df["text"]) / 1e6, 2),
            "tokens": n_tokens,
            "load_s": round(load_s, 3),
            "load_chars_per_s": round(chars / load_s) if load_s else None,
            "tokenize_s": round(tok_s, 3),
            "tokenize_chars_per_s": round(chars / tok_s) if tok_s else None,
            "tokenized": text.TokenCacheStats.tokenized,
            "cache_hits": text.TokenCacheStats.cache_hits,
        }
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def _run_throughput(work: Path, root: Path, cache_dir: Path, synthetic_dir: Path | None, phase: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "booktools", "throughput", "--cache-dir", str(cache_dir)]
    if synthetic_dir is not None:
        cmd += ["--synthetic-dir", str(synthetic_dir)]
    out = work / f"throughput-{phase}.json"
    result = run_measured([*cmd, "--output", str(out)], cwd=root, env=book_environment(root), log=work / f"throughput-{phase}.log")
    if not result.ok:
        raise RuntimeError(f"throughput worker failed ({phase}):\n{log_tail(result.log)}")
    data = json.loads(out.read_text(encoding="utf-8"))
    data["wall_s"] = result.seconds
    return data


# --------------------------------------------------------------------------- scenarios


@dataclass
class Step:
    """One measured scenario: its commands' total time, peak memory and what it executed."""

    name: str
    seconds: float
    peak_rss_mb: float
    peak_tree_rss_mb: float
    ok: bool
    executed_notebooks: int | None = None
    notebooks: dict[str, float | None] = field(default_factory=dict)
    parts: dict[str, float] = field(default_factory=dict)
    runs_s: list[float] = field(default_factory=list)  # every repetition; ``seconds`` is their median
    load_average: float | None = None  # 1-minute load average before the step (the machine is shared)


def _step(name: str, runs: Sequence[tuple[str, RunResult]]) -> Step:
    log = "\n".join(r.log.read_text(encoding="utf-8", errors="replace") for _, r in runs if r.log and r.log.is_file())
    times = notebook_times(log)
    return Step(
        name=name,
        seconds=round(sum(r.seconds for _, r in runs), 2),
        peak_rss_mb=max(r.peak_rss_mb for _, r in runs),
        peak_tree_rss_mb=max(r.peak_tree_rss_mb for _, r in runs),
        ok=all(r.ok for _, r in runs),
        executed_notebooks=sum(1 for v in times.values() if v is not None),
        notebooks=times,
        parts={label: r.seconds for label, r in runs},
    )


def _make_book(root: Path, work: Path, label: str) -> Step:
    """What ``make book`` runs, inside ``root``: check the execution cache, then build with the project's flags."""
    env = book_environment(root)
    check = run_measured([sys.executable, "-m", "booktools", "check-cache"], cwd=root, env=env,
                         log=work / f"{label}-check-cache.log")
    build = run_measured(jupyter_book_command(root, flags=BOOK_FLAGS), cwd=root, env=env, log=work / f"{label}.log")
    if not build.ok:
        print(log_tail(build.log), file=sys.stderr)
    return _step(label, [("check-cache", check), ("jupyter-book build", build)])


def _repeat(run: Callable[[int], Step], times: int) -> Step:
    """Run a step ``times`` times; keep the median run, with every run's seconds in ``runs_s``."""
    steps = []
    for i in range(times):
        load = round(os.getloadavg()[0], 2)
        step = run(i)
        step.load_average = load
        steps.append(step)
    ordered = sorted(steps, key=lambda st: st.seconds)
    chosen = ordered[len(ordered) // 2]
    chosen.runs_s = [st.seconds for st in steps]
    chosen.ok = all(st.ok for st in steps)
    return chosen


def _default_build(root: Path, work: Path, label: str) -> Step:
    build = run_measured(jupyter_book_command(root, flags=()), cwd=root, env=book_environment(root), log=work / f"{label}.log")
    return _step(label, [("jupyter-book build", build)])


def run_bench(work: Path, *, source: Path = PROJECT_ROOT, chapter: str = DEFAULT_CHAPTER,
              synthetic_bytes: int = SYNTHETIC_BYTES, with_default: bool = True, repeats: int = 3,
              echo: bool = True) -> dict[str, Any]:
    """Run every scenario in scratch copies under ``work``; return the results (see the module docstring).

    Cold builds run once (they are expensive); warm and one-chapter rebuilds run ``repeats`` times and
    report the median, because the machine is shared and single short timings are noisy.
    """
    work = fresh_dir(Path(work).resolve())
    say = (lambda msg: print(msg, flush=True)) if echo else (lambda msg: None)
    results: dict[str, Any] = {"machine": machine_info(), "chapter_edited": chapter, "steps": {}, "default_build": {}}
    book = snapshot_repository(work / "book", source)

    say("cold build (empty caches) ...")
    cold = _repeat(lambda i: _make_book(book, work, "cold"), 1)
    if not cold.ok:
        raise RuntimeError(f"the cold build failed, nothing to benchmark: see {work}/cold.log")
    results["steps"]["cold_build"] = asdict(cold)
    say(f"  {cold.seconds:.1f} s, {cold.executed_notebooks} notebooks executed")
    token_files = len(list((book / ".cache" / "tokens").rglob("*.json"))) if (book / ".cache" / "tokens").is_dir() else 0
    results["token_cache_files_after_cold_build"] = token_files

    say(f"warm rebuild (nothing changed), {repeats} times ...")
    warm = _repeat(lambda i: _make_book(book, work, f"warm-{i + 1}"), repeats)
    results["steps"]["warm_rebuild"] = asdict(warm)
    say(f"  {warm.seconds:.1f} s, {warm.executed_notebooks} notebooks executed")

    say(f"one-chapter rebuild (edited {chapter}), {repeats} times ...")

    def one_chapter(i: int) -> Step:
        edit_chapter(book / chapter, marker=f"{EDIT_MARKER} {i + 1}")
        return _make_book(book, work, f"one-chapter-{i + 1}")

    one = _repeat(one_chapter, repeats)
    results["steps"]["one_chapter_rebuild"] = asdict(one)
    say(f"  {one.seconds:.1f} s, {one.executed_notebooks} notebooks executed")

    say(f"throughput: real corpus and a synthetic corpus of {synthetic_bytes / 1e6:.0f} MB ...")
    synth = work / "synthetic-mirror"
    write_synthetic_corpus(synth, synthetic_bytes)
    tokens = work / "token-cache"
    results["throughput"] = {
        "cold_process": _run_throughput(work, book, tokens, synth, "cold"),
        "warm_process": _run_throughput(work, book, tokens, synth, "warm"),
    }
    shutil.rmtree(synth)  # generated text is never kept
    shutil.rmtree(tokens)

    if with_default:
        default_root = snapshot_repository(work / "default", source)
        config = yaml.safe_load((default_root / "_config.yml").read_text(encoding="utf-8"))
        (default_root / "_config.yml").write_text(yaml.safe_dump(default_config(config), allow_unicode=True, sort_keys=False),
                                                 encoding="utf-8")
        say("default Jupyter Book build (execute_notebooks: force, default config): cold ...")
        d_cold = _repeat(lambda i: _default_build(default_root, work, "default-cold"), 1)
        say(f"  {d_cold.seconds:.1f} s")
        say(f"default Jupyter Book build: again, nothing changed, {repeats} times ...")
        d_warm = _repeat(lambda i: _default_build(default_root, work, f"default-warm-{i + 1}"), repeats)
        say(f"  {d_warm.seconds:.1f} s")
        results["default_build"] = {"cold_build": asdict(d_cold), "warm_rebuild": asdict(d_warm)}
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = evaluate_targets(results)
    return results


def evaluate_targets(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each target with the measured value and whether it was met."""
    steps = results["steps"]
    nb_times = [v for v in steps["cold_build"]["notebooks"].values() if v is not None]
    measured = {
        "cold_build_s": steps["cold_build"]["seconds"],
        "warm_rebuild_s": steps["warm_rebuild"]["seconds"],
        "one_chapter_rebuild_s": steps["one_chapter_rebuild"]["seconds"],
        "slowest_notebook_s": max(nb_times) if nb_times else 0.0,
    }
    out = [{"target": k, "limit": TARGETS[k], "value": v, "met": bool(v <= TARGETS[k])} for k, v in measured.items()]
    warm_tok = results.get("throughput", {}).get("warm_process", {})
    tokenized = sum(warm_tok.get(c, {}).get("tokenized", 0) for c in ("real", "synthetic"))
    out.append({"target": "warm_run_tokenizes_nothing", "limit": 0, "value": tokenized, "met": tokenized == 0})
    return out


# --------------------------------------------------------------------------- report


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}"
    if isinstance(value, int):
        return f"{value:,}{unit}"
    return f"{value}{unit}"


def _runs(step: Mapping[str, Any]) -> str:
    runs = step.get("runs_s") or []
    return f" (median of {', '.join(f'{r:.1f}' for r in runs)})" if len(runs) > 1 else ""


def render_markdown(results: Mapping[str, Any]) -> str:
    """The benchmark as Markdown tables (the README shows this)."""
    m = results["machine"]
    steps, default = results["steps"], results.get("default_build") or {}
    lines = [
        f"Measured {m['date_utc']} UTC on {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']} "
        f"(jupyter-book {m['versions'].get('jupyter-book')}, Sphinx {m['versions'].get('sphinx')}); load average "
        f"{m['load_average_at_start'][0]} at start, {m.get('load_average_at_end', ['?'])[0]} at end (shared machine).",
        "",
        "| build | this book | default Jupyter Book | target | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    met = {t["target"]: t for t in results["targets"]}
    rows = [
        ("cold build, empty caches", "cold_build", "cold_build", "cold_build_s"),
        ("warm rebuild, nothing changed", "warm_rebuild", "warm_rebuild", "warm_rebuild_s"),
        ("rebuild after editing one chapter", "one_chapter_rebuild", None, "one_chapter_rebuild_s"),
    ]
    for label, key, dkey, target in rows:
        s = steps[key]
        d = default.get(dkey) if dkey else None
        ours = f"{s['seconds']:.1f} s{_runs(s)} ({s['executed_notebooks']} notebook{'' if s['executed_notebooks'] == 1 else 's'} executed)" + ("" if s["ok"] else " **FAILED**")
        theirs = f"{d['seconds']:.1f} s{_runs(d)} ({d['executed_notebooks']} executed)" if d else "–"
        t = met[target]
        lines.append(f"| {label} | {ours} | {theirs} | ≤ {t['limit']:.0f} s | {'yes' if t['met'] else '**no**'} |")
    lines.append(f"| peak memory, cold build (largest process / process tree) | {steps['cold_build']['peak_rss_mb']:.0f} MB / "
                 f"{steps['cold_build']['peak_tree_rss_mb']:.0f} MB | "
                 + (f"{default['cold_build']['peak_rss_mb']:.0f} MB / {default['cold_build']['peak_tree_rss_mb']:.0f} MB"
                    if default else "–") + " | | |")
    lines += ["", "| notebook | execution (cold build) | target ≤ 15 s |", "| --- | --- | --- |"]
    for nb, sec in steps["cold_build"]["notebooks"].items():
        lines.append(f"| `{nb}` | {_fmt(sec, ' s') if sec is not None else 'from cache (same code as another notebook)'} | "
                     f"{'yes' if sec is None or sec <= 15 else '**no**'} |")
    tp = results.get("throughput")
    if tp:
        cold, warm = tp["cold_process"], tp["warm_process"]
        lines += ["", "| corpus | documents | characters | load (chars/s) | tokenize, empty cache (chars/s) | "
                      "tokenize, second process (chars/s) | second process: tokenized / cache hits |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for name in ("real", "synthetic"):
            if name in cold:
                c, w = cold[name], warm[name]
                lines.append(f"| {name} ({c['utf8_mb']} MB) | {c['documents']} | {c['chars']:,} | {c['load_chars_per_s']:,} | "
                             f"{c['tokenize_chars_per_s']:,} | {w['tokenize_chars_per_s']:,} | {w['tokenized']} / {w['cache_hits']} |")
        lines.append("")
        lines.append(f"Tokenizer start-up (jieba dictionary): {cold['tokenizer_init_s']:.1f} s cold, "
                     f"{warm['tokenizer_init_s']:.1f} s warm; peak memory of the throughput process "
                     f"{cold['peak_rss_mb']:.0f} MB.")
    t = met["warm_run_tokenizes_nothing"]
    lines.append(f"A warm run tokenizes nothing: {'yes' if t['met'] else '**no**'} ({t['value']} texts tokenized).")
    return "\n".join(lines) + "\n"


def write_results(results: Mapping[str, Any], folder: Path = PROJECT_ROOT / "bench") -> tuple[Path, Path]:
    """Write ``latest.json`` and ``latest.md`` into ``folder`` atomically."""
    js, md = Path(folder) / "latest.json", Path(folder) / "latest.md"
    atomic_write_text(js, json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    atomic_write_text(md, render_markdown(results))
    return js, md

