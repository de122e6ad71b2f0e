"""booktools.sphinxext: the executed copies offered for download are written again only for the pages read in this
build, and for any whose copy is missing."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from booktools import sphinxext


def fake_app(tmp_path: Path, docnames: list[str]) -> SimpleNamespace:
    """An HTML build without an execution cache: each page's copy comes from MyST-NB's ``jupyter_execute``."""
    env = SimpleNamespace(
        found_docs=set(docnames),
        doc2path=lambda name: str(tmp_path / "src" / f"{name}.ipynb"),
        mystnb_config=SimpleNamespace(execution_mode="off", execution_cache_path=""),
    )
    for name in docnames:
        (tmp_path / "_build" / "jupyter_execute").mkdir(parents=True, exist_ok=True)
        (tmp_path / "_build" / "jupyter_execute" / f"{name}.ipynb").write_text(f"executed {name}", encoding="utf-8")
    return SimpleNamespace(builder=SimpleNamespace(format="html"), outdir=str(tmp_path / "_build" / "html"), env=env)


def published(tmp_path: Path, name: str) -> Path:
    return tmp_path / "_build" / "html" / sphinxext.EXECUTED_DIR / f"{name}.ipynb"


@pytest.fixture(autouse=True)
def no_pages_read() -> None:
    sphinxext._forget_read(None)  # type: ignore[arg-type]


def test_only_pages_read_or_missing_are_published_again(tmp_path: Path) -> None:
    app = fake_app(tmp_path, ["a", "b", "c"])
    sphinxext._publish_executed_notebooks(app, None)  # type: ignore[arg-type]
    assert [published(tmp_path, n).read_text(encoding="utf-8") for n in "abc"] == [
        "executed a",
        "executed b",
        "executed c",
    ]

    for name in "abc":
        (tmp_path / "_build" / "jupyter_execute" / f"{name}.ipynb").write_text(f"again {name}", encoding="utf-8")
    published(tmp_path, "c").unlink()
    sphinxext._note_read(app, app.env, ["a"])  # type: ignore[arg-type]
    sphinxext._publish_executed_notebooks(app, None)  # type: ignore[arg-type]
    assert [published(tmp_path, n).read_text(encoding="utf-8") for n in "abc"] == ["again a", "executed b", "again c"]
    assert sorted(p.name for p in published(tmp_path, "a").parent.iterdir()) == ["a.ipynb", "b.ipynb", "c.ipynb"]


def test_a_new_build_forgets_the_pages_the_last_one_read(tmp_path: Path) -> None:
    app = fake_app(tmp_path, ["a"])
    sphinxext._note_read(app, app.env, ["a"])  # type: ignore[arg-type]
    sphinxext._forget_read(app)  # type: ignore[arg-type]  # builder-inited of the next build
    sphinxext._publish_executed_notebooks(app, None)  # type: ignore[arg-type]  # missing: written
    (tmp_path / "_build" / "jupyter_execute" / "a.ipynb").write_text("again a", encoding="utf-8")
    sphinxext._publish_executed_notebooks(app, None)  # type: ignore[arg-type]  # not read, present: kept
    assert published(tmp_path, "a").read_text(encoding="utf-8") == "executed a"
