"""Acquire the corpus with the hosts side by side, within a time budget (the publishing workflow).

``make data`` tries the documents one after another; with 80 documents over 105 routes and a 60 s deadline per
tier, a slow host can use up a CI job. :func:`fetch_by_host` groups the manifest's documents by the host of their
first official URL and runs one ``python -m analysis corpus fetch DOC…`` per host, up to ``jobs`` at once: the
documents of one host still come one after another (each site sees one client at a time), different hosts at the
same time. Each group gets what is left of ``budget`` seconds; a group still running then is stopped, and its
untried documents are simply not in the cache (no failure is recorded for them, so the next run tries them).
Each cache write is atomic and under the cache's lock (:mod:`analysis.corpus.cache`), so the processes never
half-write a text. The corpus code itself is unchanged: this only chooses which documents each process fetches.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd


@dataclass(frozen=True)
class HostRun:
    """What one host's fetch did: its documents, exit status (None when stopped by the budget) and output."""

    host: str
    doc_ids: tuple[str, ...]
    returncode: int | None
    output: str


def host_of(official_url: str) -> str:
    """The host of the first URL in a manifest ``official_url`` cell (several are separated by white space or
    ``;``); ``""`` when there is none."""
    for token in str(official_url or "").replace(";", " ").split():
        host = urlsplit(token).hostname
        if host:
            return host.lower()
    return ""


def host_groups(manifest: pd.DataFrame) -> dict[str, list[str]]:
    """Documents with an official URL, grouped by its host, in manifest order (hosts sorted by name)."""
    groups: dict[str, list[str]] = {}
    for doc_id, url in zip(manifest["doc_id"], manifest["official_url"], strict=True):
        host = host_of(url)
        if host:
            groups.setdefault(host, []).append(str(doc_id))
    return dict(sorted(groups.items()))


def corpus_fetch(doc_ids: Sequence[str], args: Sequence[str] = ()) -> list[str]:
    """The command that fetches ``doc_ids``: ``python -m analysis corpus fetch --no-progress ARGS DOC…``."""
    return [sys.executable, "-m", "analysis", "corpus", "fetch", "--no-progress", *args, *doc_ids]


Command = Callable[[Sequence[str], Sequence[str]], list[str]]


def _run(host: str, doc_ids: Sequence[str], args: Sequence[str], deadline: float, make: Command) -> HostRun:
    command = make(doc_ids, args)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return HostRun(host, tuple(doc_ids), None, "not started: the time budget was used up")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=remaining, check=False)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode("utf-8", "replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return HostRun(host, tuple(doc_ids), None, out + "stopped: the time budget was used up")
    return HostRun(host, tuple(doc_ids), done.returncode, done.stdout + done.stderr)


def fetch_by_host(
    groups: dict[str, list[str]],
    *,
    budget: float,
    jobs: int = 8,
    args: Iterable[str] = (),
    command: Command = corpus_fetch,
) -> list[HostRun]:
    """Fetch each host's documents in its own process (``command``), ``jobs`` hosts at a time, all within
    ``budget`` seconds. The largest groups start first (they take longest). Results come back in host order."""
    if budget <= 0 or jobs < 1:
        raise ValueError(f"budget ({budget}) and jobs ({jobs}) must be positive")
    deadline = time.monotonic() + budget
    order = sorted(groups, key=lambda h: (-len(groups[h]), h))
    extra = list(args)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {host: pool.submit(_run, host, groups[host], extra, deadline, command) for host in order}
    return [futures[host].result() for host in sorted(groups)]


def report(runs: Sequence[HostRun]) -> str:
    """One line per host (documents, outcome), then each host's own output."""
    lines = []
    for run in runs:
        status = "stopped by the time budget" if run.returncode is None else f"exit {run.returncode}"
        lines.append(f"{run.host}: {len(run.doc_ids)} documents, {status}")
    for run in runs:
        lines.append(f"---- {run.host}")
        lines.extend(line for line in run.output.splitlines() if line.strip())
    return "\n".join(lines)


def missing_core(doc_ids: Sequence[str], cache_dir: Path | None = None) -> dict[str, str]:
    """The documents of ``doc_ids`` that the corpus does not have available (cache or mirror), with their status
    (``"not in the manifest"`` for an unknown id)."""
    from analysis.corpus import coverage

    cov = coverage(cache_dir=cache_dir) if cache_dir is not None else coverage()
    status = dict(zip(cov["doc_id"], cov["status"], strict=True))
    return {d: status.get(d, "not in the manifest") for d in doc_ids if status.get(d) != "available"}
