"""Kernel starts: a kernel that dies before it answers is started again, and a kernel can be started early.

:class:`EarlyKernel` (at the end) starts the kernel of an edited notebook before the build knows that it needs one.
The rest of this module is about jupyter_client's port race.

jupyter_client chooses a kernel's five TCP ports in the parent process (it binds each to port 0, notes the
number and closes it), writes them into the connection file and starts the kernel, which binds them about a
second later, once Python and ipykernel are imported. A process that takes one of those ports in between (another
kernel's ports, or a client's outgoing connection) makes ipykernel exit at once with ``zmq.error.ZMQError:
Address already in use``; the caller then sees ``RuntimeError: Kernel died before replying to kernel_info``. The
race is known upstream and still open (jupyter/jupyter_client#154). The book starts kernels side by side: two
build workers, and four pytest processes in ``make test``. Measured on these machines, four processes starting
kernels in a loop lost 1 start in 160 to it (stderr: ``Address already in use``). nbval once reported a whole
chapter failed with the same message, and a build in CI's stale-book test stopped when it collected its
executions, most likely for the same reason.

Two ways out were measured and set aside. IPC transport needs no ports, but its default socket path is shared by
every kernel started in one folder, so kernels started side by side answered each other (signature errors; at
least 7 of 160 starts lost). Choosing ports in a range per process would need a kernel provisioner of our own. A
new start gets new ports, so the fix here is to start again: :func:`retry_start` wraps whatever starts a kernel
(the build's workers, ``make notebooks``, and nbval's ``start_new_kernel`` through
:mod:`booktools.pytest_plugin`).

Only a failure *before the kernel's first reply* is retried (:func:`is_start_failure`): a kernel that died, or
one that stayed silent for the start-up timeout (2 of 240 starts in a second measurement; the start after it
answered). A silent start cost nbclient's whole minute; the first start is now given up after
:data:`FIRST_START_TIMEOUT` seconds, and later ones get the caller's timeout. A cell that fails, times out or
kills its kernel is the notebook's own error, reported as it always was. Such a failure happens before any cell
runs, so starting the whole execution again (as the build and ``make notebooks`` do) is the same as starting the
kernel again.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

#: Starts tried in all: with 1 failed start in 160, three in a row fail about once in four million.
ATTEMPTS = 3
#: Seconds the first start may stay silent before it is given up for a new one. A kernel here answers in about a
#: second, in 3 s on a loaded machine; a later start, if needed, waits as long as its caller says (nbclient: 60 s).
FIRST_START_TIMEOUT = 20.0
#: How jupyter_client's ``wait_for_ready`` says that a kernel died or never answered before its first reply.
START_FAILURES = ("Kernel died before replying to kernel_info", "Kernel didn't respond in")


def is_start_failure(error: BaseException) -> bool:
    """True when ``error`` says a kernel died or stayed silent before its first reply (not a cell's error).

    nbclient's ``DeadKernelError`` (a kernel that died while running a cell) is a ``RuntimeError`` too, with
    another message: it is the notebook's own failure and is not retried.
    """
    return type(error) is RuntimeError and str(error).startswith(START_FAILURES)


def retry_start(
    start: Callable[P, T],
    *,
    attempts: int = ATTEMPTS,
    label: str = "",
    timeout_arg: str | None = None,
    first_timeout: float = FIRST_START_TIMEOUT,
) -> Callable[P, T]:
    """``start`` called again (up to ``attempts`` calls in all) while it fails by :func:`is_start_failure`.

    ``start`` must begin from scratch on each call (a new kernel manager, the notebook read again); each retry is
    said on stderr, naming ``label``. The last failure, or any other error, is raised as it came.

    ``timeout_arg``: the keyword by which ``start`` takes the seconds to wait for the kernel's first reply. When
    another attempt may follow, the first call waits at most ``first_timeout`` seconds; later calls get what the
    caller passed (or ``start``'s own default).
    """
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, not {attempts}")

    @functools.wraps(start)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, attempts + 1):
            call: dict[str, Any] = dict(kwargs)
            if timeout_arg is not None and attempt == 1 and attempts > 1:
                asked = kwargs.get(timeout_arg)
                call[timeout_arg] = first_timeout if asked is None else min(first_timeout, float(asked))
            try:
                return start(*args, **call)
            except RuntimeError as error:
                if attempt == attempts or not is_start_failure(error):
                    raise
                print(
                    f"{label or 'kernel'}: the kernel did not reach its first reply ({error}); "
                    f"starting it again ({attempt + 1} of {attempts})",
                    file=sys.stderr,
                    flush=True,
                )
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    return wrapper


#: What :class:`EarlyKernel` runs a notebook with: ``execute((notebook path, timeout), kernel manager or None)``.
Execute = Callable[[tuple[str, int], Any], Any]


class EarlyKernel:
    """A kernel started for ``notebook`` at once, in a process of its own, before the build knows it needs one.

    After a code edit, the build matches every notebook against jupyter-cache before the edited one is
    executed; its kernel then took another 0.7 s to start. The last build's record says sooner which notebooks'
    code changed (:func:`booktools.buildrecord.code_changed`), so :func:`booktools.build.build` starts this kernel
    first. nbclient's own ``start_new_kernel`` starts it, with the kernel the notebook names and in its folder, so
    it is the kernel nbclient would have started a moment later. :meth:`submit` runs a notebook on it
    (``execute``, given the kernel's manager); the build submits only a notebook that jupyter-cache does not hold
    and that :meth:`fits`. The kernel runs one notebook at most and is always shut down: after that notebook, or
    unused at :meth:`release`. If it failed to start, ``execute`` gets ``None`` and starts its own.
    """

    def __init__(self, notebook: Path, kernel: str, execute: Execute) -> None:
        self.folder, self.kernel = Path(notebook).resolve().parent, kernel  # as the build's match names it
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve_one, args=(child, str(self.folder), kernel, execute), name="early-kernel", daemon=True
        )
        self._process.start()
        child.close()
        self.used = False

    def fits(self, notebook: Path, kernel: str | None) -> bool:
        """Can ``notebook`` (naming ``kernel``) run on this kernel: same folder, same kernel, kernel still free?"""
        return not self.used and Path(notebook).resolve().parent == self.folder and kernel == self.kernel

    def submit(self, notebook: Path, timeout: int) -> Future[Any] | None:
        """Run ``notebook`` on the kernel; the future holds what ``execute`` returned (an error if the process died
        meanwhile). ``None``: the process had already ended, so the notebook must go elsewhere."""
        self.used = True
        try:
            self._conn.send((str(notebook), timeout))
        except OSError:
            return None
        future: Future[Any] = Future()

        def wait() -> None:
            try:
                future.set_result(self._conn.recv())
            except (EOFError, OSError) as lost:
                future.set_exception(RuntimeError(f"the early kernel's process ended without a result ({lost})"))

        threading.Thread(target=wait, name="early-kernel-result", daemon=True).start()
        return future

    def release(self) -> None:
        """No notebook will run on the kernel: its process shuts it down and ends, without this one waiting."""
        if not self.used:
            self.used = True
            try:
                self._conn.send(None)
            except OSError:  # the process already ended
                pass

    def close(self, timeout: float = 30.0) -> None:
        """:meth:`release` the kernel if unused, and wait for its process (stopped after ``timeout`` seconds)."""
        self.release()
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def _serve_one(conn: Connection, folder: str, kernel: str, execute: Execute) -> None:
    """In the early kernel's process: start the kernel, then run the one notebook asked for (or none)."""
    import nbformat
    from jupyter_core.utils import run_sync
    from nbclient import NotebookClient

    manager = None
    try:
        client = NotebookClient(
            nbformat.v4.new_notebook(), kernel_name=kernel, resources={"metadata": {"path": folder}}
        )
        manager = client.km = client.create_kernel_manager()
        client.start_new_kernel()
    except Exception:  # noqa: BLE001 - no early kernel: the notebook starts its own, as it always did
        if manager is not None:
            with contextlib.suppress(Exception):
                run_sync(manager.shutdown_kernel)(now=True)
        manager = None
    try:
        try:
            request = conn.recv()
        except EOFError:  # the build ended or was stopped
            request = None
        if request is not None:
            conn.send(execute(request, manager))
    finally:
        if manager is not None:
            with contextlib.suppress(Exception):  # already shut down (nbclient cleans up a kernel that died)
                run_sync(manager.shutdown_kernel)(now=True)
        conn.close()
