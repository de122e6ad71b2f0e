"""Kernel starts that survive jupyter_client's port race: a kernel that dies before it answers is started again.

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
one that stayed silent for the start-up timeout (2 of 240 starts in a second measurement, each costing that
minute; the start after it answered). A cell that fails, times out or kills its kernel is the notebook's own
error, reported as it always was. Such a failure happens before any cell runs, so starting the whole execution
again (as the build and ``make notebooks`` do) is the same as starting the kernel again.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

#: Starts tried in all: with 1 failed start in 160, three in a row fail about once in four million.
ATTEMPTS = 3
#: How jupyter_client's ``wait_for_ready`` says that a kernel died or never answered before its first reply.
START_FAILURES = ("Kernel died before replying to kernel_info", "Kernel didn't respond in")


def is_start_failure(error: BaseException) -> bool:
    """True when ``error`` says a kernel died or stayed silent before its first reply (not a cell's error).

    nbclient's ``DeadKernelError`` (a kernel that died while running a cell) is a ``RuntimeError`` too, with
    another message: it is the notebook's own failure and is not retried.
    """
    return type(error) is RuntimeError and str(error).startswith(START_FAILURES)


def retry_start(start: Callable[P, T], *, attempts: int = ATTEMPTS, label: str = "") -> Callable[P, T]:
    """``start`` called again (up to ``attempts`` calls in all) while it fails by :func:`is_start_failure`.

    ``start`` must begin from scratch on each call (a new kernel manager, the notebook read again); each retry is
    said on stderr, naming ``label``. The last failure, or any other error, is raised as it came.
    """
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, not {attempts}")

    @functools.wraps(start)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, attempts + 1):
            try:
                return start(*args, **kwargs)
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
