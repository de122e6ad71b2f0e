"""``python -m booktools`` ends without the interpreter's teardown, but never before its work is saved."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROGRAM = """
import atexit, sys, threading, time
from pathlib import Path
from booktools.cli import leave

out = Path(sys.argv[1])
atexit.register(lambda: out.with_suffix(".atexit").write_text("ran"))
if sys.argv[2] == "thread":
    def late():
        time.sleep(0.3)
        out.with_suffix(".thread").write_text("done")
    threading.Thread(target=late).start()
sys.stdout.write("buffered, not yet flushed")
code = leave(3)
out.with_suffix(".returned").write_text(str(code))
sys.exit(code)
"""


def _run(tmp_path: Path, mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, str(tmp_path / "out"), mode], capture_output=True, text=True, check=False
    )


def test_leave_runs_the_exit_handlers_flushes_and_exits_with_the_code(tmp_path: Path) -> None:
    run = _run(tmp_path, "alone")
    assert run.returncode == 3, run.stderr
    assert run.stdout == "buffered, not yet flushed"
    assert (tmp_path / "out.atexit").read_text() == "ran"
    assert not (tmp_path / "out.returned").exists()  # it did not return: the teardown was skipped


def test_leave_returns_while_another_thread_runs_so_the_usual_exit_waits_for_it(tmp_path: Path) -> None:
    run = _run(tmp_path, "thread")
    assert run.returncode == 3, run.stderr
    assert (tmp_path / "out.returned").read_text() == "3"
    assert (tmp_path / "out.thread").read_text() == "done"
    assert (tmp_path / "out.atexit").read_text() == "ran"
