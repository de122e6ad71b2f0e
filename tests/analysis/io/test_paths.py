"""Paths do not depend on the working directory."""

from __future__ import annotations

import subprocess
import sys

from analysis.io import paths


def test_root_is_the_repository():
    assert (paths.PROJECT_ROOT / "_toc.yml").is_file()
    assert paths.DATA_DIR == paths.PROJECT_ROOT / "data"


def test_root_is_the_same_from_another_working_directory(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", "from analysis.io.paths import PROJECT_ROOT; print(PROJECT_ROOT)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == str(paths.PROJECT_ROOT)


def test_mirror_dir(monkeypatch, tmp_path):
    monkeypatch.delenv(paths.MIRROR_ENV, raising=False)
    assert paths.mirror_dir() is None
    assert paths.mirror_dir("") is None
    monkeypatch.setenv(paths.MIRROR_ENV, "../shared/corpus")
    assert paths.mirror_dir() == (paths.PROJECT_ROOT / "../shared/corpus").resolve()
    assert paths.mirror_dir(tmp_path) == tmp_path.resolve()


def test_a_root_without_toc_is_refused(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import analysis.io.paths"],
        env={"SECURITIZATION_BOOK_ROOT": str(tmp_path), "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "cannot find the book's root" in result.stderr
