"""The corpus package's public names, imported on first use: each resolves to its home, and a command that needs
none of them (``make data`` when nothing changed) never imports pandas."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import analysis.corpus as corpus


@pytest.mark.parametrize("name", corpus.__all__)
def test_each_public_name_is_the_object_of_its_home_module(name: str) -> None:
    home = importlib.import_module(f"analysis.corpus.{corpus._HOMES[name]}")
    assert getattr(corpus, name) is getattr(home, name)
    assert name in dir(corpus)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'coverag'"):
        corpus.coverag  # noqa: B018


def test_the_command_line_imports_no_pandas_until_a_command_needs_it() -> None:
    probe = "import sys, analysis.cli, analysis.corpus.cli; print('pandas' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
