"""Scratch copies of the repository, book builds inside them, and measured commands.

Every quality gate builds the book outside the working tree so that it never touches the shared
``_build/`` and never sees a half-edited file twice: :func:`snapshot_repository` copies the files git
sees (tracked, plus untracked files that are not ignored) and the acquired corpus cache ``data/raw``
into a fresh folder. :func:`book_environment` makes the build inside that folder import the copy's own
``analysis`` and ``booktools`` packages (``PYTHONPATH``) and read the copy's data
(``SECURITIZATION_BOOK_ROOT``), with the corpus mirror resolved to an absolute path. :func:`run_measured`
runs a command and records its wall time, the peak resident memory of its largest process and the peak of
its whole process tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.io.paths import MIRROR_ENV, PROJECT_ROOT, ROOT_ENV, mirror_dir

# Git-ignored inputs that a build reads (the acquired primary texts). Caches are never copied.
EXTRA_INPUT_DIRS: tuple[str, ...] = ("data/raw",)
# Used only when the source is not a git checkout.
_NEVER_COPY = {".git", ".venv", "_build", ".cache", "__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
# The environment every book build runs with (the Makefile exports the same values).
BUILD_ENV_DEFAULTS: dict[str, str] = {
    "PYTHONHASHSEED": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
BOOK_FLAGS: tuple[str, ...] = ("-W", "-n", "--keep-going")


def venv_bin(name: str) -> str:
    """Path of a console script installed beside the running Python (e.g. ``jupyter-book``)."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} is not installed next to {sys.executable}: run `make install`")
    return found


def repository_files(source: Path) -> list[str]:
    """Relative POSIX paths of the files git sees in ``source`` (tracked and untracked-not-ignored), sorted."""
    source = Path(source)
    if (source / ".git").exists() and shutil.which("git"):
        out = subprocess.run(
            ["git", "-C", str(source), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8")
        names = {name for name in out.split("\0") if name}
    else:
        names = set()
        for path in source.rglob("*"):
            rel = path.relative_to(source)
            if path.is_file() and not (set(rel.parts) & _NEVER_COPY):
                names.add(rel.as_posix())
    return sorted(name for name in names if (source / name).is_file())


def snapshot_repository(
    dest: Path, source: Path = PROJECT_ROOT, *, extra_dirs: Iterable[str] = EXTRA_INPUT_DIRS
) -> Path:
    """Copy the repository's files (see :func:`repository_files`) and ``extra_dirs`` into a new folder ``dest``."""
    source, dest = Path(source).resolve(), Path(dest).resolve()
    if dest.exists():
        raise FileExistsError(f"{dest} already exists: snapshots go into a fresh folder (delete it first)")
    for name in repository_files(source):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, target)
    for extra in extra_dirs:
        if (source / extra).is_dir():
            shutil.copytree(source / extra, dest / extra, dirs_exist_ok=True)
    if not (dest / "_toc.yml").is_file():
        raise FileNotFoundError(f"the snapshot of {source} in {dest} has no _toc.yml: is {source} the book's root?")
    return dest


def book_environment(root: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for building the book in ``root``: its own package and data, an absolute mirror path."""
    root = Path(root).resolve()
    env = dict(os.environ if base is None else base)
    for key, value in BUILD_ENV_DEFAULTS.items():
        env.setdefault(key, value)
    src = str(Path(root) / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env[ROOT_ENV] = str(root)
    value = env.get(MIRROR_ENV)
    mirror = mirror_dir(value) if value else None
    if mirror is not None:
        env[MIRROR_ENV] = str(mirror)
    else:
        env.pop(MIRROR_ENV, None)
    return env


def jupyter_book_command(
    root: Path, output: Path | None = None, *, flags: Sequence[str] = BOOK_FLAGS, builder: str | None = None
) -> list[str]:
    """``jupyter-book build <root> [--path-output <output>] [--builder b] <flags>``."""
    cmd = [venv_bin("jupyter-book"), "build", str(root)]
    if output is not None:
        cmd += ["--path-output", str(output)]
    if builder is not None:
        cmd += ["--builder", builder]
    return cmd + list(flags)


@dataclass(frozen=True)
class RunResult:
    """What :func:`run_measured` observed."""

    command: tuple[str, ...]
    returncode: int
    seconds: float
    peak_rss_mb: float  # the largest single process (the command or a descendant it waited for)
    peak_tree_rss_mb: float  # the whole process tree, sampled every 0.1 s
    log: Path | None

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_measured(
    cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None, log: Path | None = None
) -> RunResult:
    """Run ``cmd`` (stdout and stderr to ``log`` or discarded); return wall time and peak memory."""
    peak = [0]
    done = threading.Event()
    handle = open(log, "wb") if log is not None else subprocess.DEVNULL  # noqa: SIM115 - closed below
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), cwd=cwd, env=None if env is None else dict(env), stdout=handle, stderr=subprocess.STDOUT
        )

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss(proc.pid))
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log is not None:
            handle.close()  # type: ignore[union-attr]
    return RunResult(
        command=tuple(cmd),
        returncode=proc.returncode,
        seconds=round(seconds, 2),
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1),
        peak_tree_rss_mb=round(peak[0] / 2**20, 1),
        log=log,
    )


def log_tail(path: Path | None, lines: int = 40) -> str:
    """The last ``lines`` lines of a log file (empty when there is none)."""
    if path is None or not Path(path).is_file():
        return ""
    return "\n".join(Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def fresh_dir(path: Path) -> Path:
    """Delete ``path`` if it exists and create it empty."""
    path = Path(path)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path
