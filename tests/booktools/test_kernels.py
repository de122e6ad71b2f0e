"""A kernel that dies before its first reply is started again; a notebook's own failure is not (booktools.kernels)."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import DeadKernelError

from booktools import build, kernels
from booktools.pytest_plugin import patch_nbval_kernel_start

DIED = "Kernel died before replying to kernel_info"


def failing(times: int, error: BaseException, calls: list[int]) -> Callable[[], str]:
    def start() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise error
        return "started"

    return start


def test_a_start_that_died_is_tried_again(capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[int] = []
    assert kernels.retry_start(failing(2, RuntimeError(DIED), calls), label="ch.ipynb")() == "started"
    assert len(calls) == 3
    err = capsys.readouterr().err
    assert err.count("ch.ipynb: the kernel did not reach its first reply") == 2 and "(3 of 3)" in err


def test_the_last_failed_start_is_raised() -> None:
    calls: list[int] = []
    with pytest.raises(RuntimeError, match=DIED):
        kernels.retry_start(failing(9, RuntimeError(DIED), calls))()
    assert len(calls) == kernels.ATTEMPTS


@pytest.mark.parametrize(
    "error",
    [DeadKernelError("Kernel died"), RuntimeError("a cell failed"), ValueError(DIED), KeyboardInterrupt()],
    ids=["kernel died in a cell", "other runtime error", "not a runtime error", "interrupt"],
)
def test_a_notebooks_own_failure_is_not_retried(error: BaseException) -> None:
    calls: list[int] = []
    with pytest.raises(type(error)):
        kernels.retry_start(failing(1, error, calls))()
    assert len(calls) == 1


SILENT = "Kernel didn't respond in 20 seconds"


def test_a_silent_first_start_is_given_up_sooner_and_the_next_gets_the_callers_timeout() -> None:
    asked: list[object] = []

    def start(startup_timeout: float = 60) -> str:
        asked.append(startup_timeout)
        if len(asked) == 1:
            raise RuntimeError(SILENT)
        return "started"

    assert kernels.retry_start(start, timeout_arg="startup_timeout")() == "started"
    assert asked == [kernels.FIRST_START_TIMEOUT, 60]  # the second start gets start's own default
    asked.clear()
    assert kernels.retry_start(start, timeout_arg="startup_timeout")(startup_timeout=90) == "started"
    assert asked == [kernels.FIRST_START_TIMEOUT, 90]
    asked.clear()
    assert kernels.retry_start(start, timeout_arg="startup_timeout")(startup_timeout=5) == "started"
    assert asked == [5, 5]  # a caller in more of a hurry keeps its own timeout
    asked.clear()
    with pytest.raises(RuntimeError, match="didn't respond"):
        kernels.retry_start(start, attempts=1, timeout_arg="startup_timeout")()
    assert asked == [60]  # a single attempt waits as long as asked: nothing would follow it


def test_attempts_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        kernels.retry_start(lambda: None, attempts=0)


def start_with(taken: socket.socket | None) -> str:
    """Start a real kernel (on ``taken``'s port when given, as the race leaves it) and ask it one question."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3", cache_ports=False)
    if taken is not None:
        km.shell_port = taken.getsockname()[1]
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        return kc.execute_interactive("1", timeout=30)["content"]["status"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_kernel_that_lost_its_port_is_started_again_on_new_ports() -> None:
    """The race itself, made certain: a port chosen for the kernel is taken before the kernel binds it."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(RuntimeError) as died:
            start_with(taken)
        assert kernels.is_start_failure(died.value), died.value  # jupyter_client's words, as retry_start expects
        tries: list[socket.socket | None] = [taken, None]
        assert kernels.retry_start(lambda: start_with(tries.pop(0)))() == "ok"
        assert tries == []


def test_nbval_starts_its_kernels_through_the_retry() -> None:
    import nbval.kernel

    original = nbval.kernel.start_new_kernel
    asked: list[object] = []

    def silent_once(startup_timeout: float = 60, kernel_name: str = "python", **kwargs: object) -> str:
        asked.append(startup_timeout)
        if len(asked) == 1:
            raise RuntimeError(SILENT)
        return "started"

    try:
        nbval.kernel.start_new_kernel = silent_once
        patch_nbval_kernel_start()
        assert nbval.kernel.start_new_kernel(startup_timeout=60, kernel_name="python3") == "started"
        assert asked == [kernels.FIRST_START_TIMEOUT, 60]  # as nbval's RunningKernel calls it
        nbval.kernel.start_new_kernel = original
        patch_nbval_kernel_start()
        patched = nbval.kernel.start_new_kernel
        patch_nbval_kernel_start()  # once only
        assert patched is nbval.kernel.start_new_kernel and patched.__wrapped__ is original  # type: ignore[attr-defined]
        # nbval's RunningKernel looks the function up in its module when it starts a kernel
        assert nbval.kernel.RunningKernel.__init__.__globals__["start_new_kernel"] is patched
    finally:
        nbval.kernel.start_new_kernel = original


def test_a_build_worker_retries_a_start_and_never_raises(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from jupyter_cache.executors import utils

    nb_path = tmp_path / "chapter.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), nb_path)
    calls: list[int] = []

    def flaky(nb: nbformat.NotebookNode, **kwargs: object) -> utils.ExecutionResult:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError(DIED)
        return utils.ExecutionResult(nb, kwargs["cwd"], 0.5, None, None)

    def flaky_noting(nb: nbformat.NotebookNode, **kwargs: object) -> utils.ExecutionResult:
        waits.append(kwargs.get("startup_timeout"))
        return flaky(nb, **kwargs)

    waits: list[object] = []
    monkeypatch.setattr(utils, "single_nb_execution", flaky_noting)
    path, text, seconds, error = build._execute_one((str(nb_path), 60))
    assert (path, seconds, error, len(calls)) == (str(nb_path), 0.5, None, 2) and text is not None
    assert waits == [kernels.FIRST_START_TIMEOUT, None]  # then nbclient's own start-up timeout

    def broken(nb: nbformat.NotebookNode, **kwargs: object) -> utils.ExecutionResult:
        raise OSError("no such kernel")

    monkeypatch.setattr(utils, "single_nb_execution", broken)
    assert build._execute_one((str(nb_path), 60)) == (str(nb_path), None, 0.0, "OSError: no such kernel")


def _worker_dies(args: tuple[str, int]) -> tuple[str, str | None, float, str | None]:
    os._exit(3)


def test_a_worker_that_died_is_an_error_not_a_crash(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A worker process that dies (killed, out of memory) leaves the notebook uncached for MyST-NB to execute."""
    monkeypatch.setattr(build, "_execute_one", _worker_dies)
    running = build.Executions(tmp_path / "cache", jobs=1, timeout=60, echo=False)
    running.submit(tmp_path / "chapter.ipynb")
    [done] = running.collect()
    assert done.path == tmp_path / "chapter.ipynb" and done.error is not None and "BrokenProcessPool" in done.error


# ------------------------------------------------------------------------------------------ the early kernel

SHOW_START = "import os, sys\nprint(os.getcwd())\nprint([a for a in sys.argv if a.startswith('--')])\nprint(6 * 7)"


def _kernel_processes(folder: Path) -> list[int]:
    """The ipykernel processes running in ``folder`` (their working directory)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if "ipykernel" in (proc / "cmdline").read_bytes().decode() and os.readlink(proc / "cwd") == str(folder):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _wait(condition: Callable[[], bool], seconds: float = 60.0) -> bool:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _started(tmp_path: Path) -> Path:
    notebook = tmp_path / "chapter.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SHOW_START)])
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nb, notebook)
    return notebook


def test_a_notebook_runs_on_the_early_kernel_as_on_a_kernel_of_its_own(tmp_path: Path) -> None:
    notebook = _started(tmp_path)
    own = build._execute_one((str(notebook), 60))
    early = kernels.EarlyKernel(notebook, "python3", build._execute_one)
    assert early.fits(notebook, "python3") and early.fits(tmp_path / "other.ipynb", "python3")  # folder and kernel
    assert not early.fits(tmp_path / "sub" / "chapter.ipynb", "python3")
    assert not early.fits(notebook, "ir") and not early.fits(notebook, None)
    future = early.submit(notebook, 60)
    assert future is not None
    path, text, _, error = future.result(timeout=120)
    early.close()
    assert error is None and own[3] is None and path == str(notebook)
    outputs = [nbformat.reads(t, as_version=4).cells[0].outputs for t in (text, own[1])]
    assert outputs[0] == outputs[1]  # same folder, same kernel arguments (nbclient's), same result
    assert outputs[0][0]["text"].splitlines()[0] == str(tmp_path)
    assert "--HistoryManager.hist_file=:memory:" in outputs[0][0]["text"]
    assert not early.fits(notebook, "python3")  # one notebook per early kernel
    assert not _kernel_processes(tmp_path)  # shut down after its notebook (not left to notice its parent's end)


def test_an_unused_early_kernel_is_shut_down(tmp_path: Path) -> None:
    notebook = _started(tmp_path)
    early = kernels.EarlyKernel(notebook, "python3", build._execute_one)
    assert _wait(lambda: bool(_kernel_processes(tmp_path)))  # it started before anyone asked
    early.release()  # returns at once; the process shuts the kernel down and ends on its own
    assert not early.fits(notebook, "python3")
    early._process.join(30)
    assert not early._process.is_alive() and not _kernel_processes(tmp_path)
    early.close()  # then waits for nothing


def test_a_notebook_is_handed_back_when_the_early_process_ended(tmp_path: Path) -> None:
    notebook = _started(tmp_path)
    early = kernels.EarlyKernel(notebook, "python3", build._execute_one)
    early._process.kill()
    early._process.join()
    assert early.submit(notebook, 60) is None
    early.close()
