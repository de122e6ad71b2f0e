"""Loaded by ``make test`` with ``-p booktools.pytest_plugin``, before the plugins pytest finds by entry point.

``-p`` plugins are imported first, so this runs before nbval imports nbformat and, through it, jsonschema:
:func:`booktools.build.skip_iri_grammars` spares each pytest process the compilation of ``rfc3987-syntax``'s
grammars (about 1.2 s of CPU). Nothing in the tests checks IRI formats.

When nbval runs (``--nbval`` or ``--nbval-lax``), its kernel start is wrapped in
:func:`booktools.kernels.retry_start`: ``make test`` runs four pytest processes side by side, and a kernel that
loses one of its ports to another process before binding it dies at once ("Kernel died before replying to
kernel_info"), which nbval would report as every cell of that notebook failing. A kernel that stays silent is given
up after :data:`booktools.kernels.FIRST_START_TIMEOUT` seconds on the first start instead of nbval's 60.
"""

from __future__ import annotations

import pytest

from booktools.build import skip_iri_grammars

skip_iri_grammars()


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("nbval", default=False) or config.getoption("nbval_lax", default=False):
        patch_nbval_kernel_start()


def patch_nbval_kernel_start() -> None:
    """nbval's ``start_new_kernel`` (which shuts a kernel that died down before raising), retried by
    :func:`booktools.kernels.retry_start`; a second call leaves it as it is."""
    import nbval.kernel

    from booktools.kernels import retry_start

    if not hasattr(nbval.kernel.start_new_kernel, "__wrapped__"):  # retry_start's functools.wraps sets it
        nbval.kernel.start_new_kernel = retry_start(
            nbval.kernel.start_new_kernel, label="nbval", timeout_arg="startup_timeout"
        )
