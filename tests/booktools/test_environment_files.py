"""requirements.lock (pip) and environment.yml (conda) pin the same packages."""

from __future__ import annotations

from booktools import envfiles


def test_lock_and_conda_environment_agree():
    lock, conda = envfiles.lock_pins(), envfiles.conda_pins()
    assert lock, "requirements.lock has no pins"
    assert conda == lock, "environment.yml is out of date: run `make lock`"


def test_jupyter_book_1_is_pinned():
    assert envfiles.lock_pins()["jupyter-book"] == "1.0.4.post1"


def test_disagreement_is_detected(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("pandas==2.2.3 \\\n    --hash=sha256:abc\nJieba==0.42.1\n", encoding="utf-8")
    env = tmp_path / "environment.yml"
    env.write_text(envfiles.render_environment_yml({"pandas": "2.2.2", "jieba": "0.42.1"}), encoding="utf-8")
    assert envfiles.lock_pins(lock) == {"pandas": "2.2.3", "jieba": "0.42.1"}
    assert envfiles.conda_pins(env) != envfiles.lock_pins(lock)


def test_binder_installs_the_runtime_pins_without_the_development_tools():
    from analysis.io.paths import PROJECT_ROOT

    binder = PROJECT_ROOT / "binder"
    runtime, full = envfiles.lock_pins(binder / "requirements.txt"), envfiles.lock_pins()
    assert runtime and all(full.get(name) == version for name, version in runtime.items()), "run `make lock`"
    assert not {"pytest", "nbval", "playwright", "ruff", "check-jsonschema"} & set(runtime)
    assert {"jupyter-book", "pandas", "jieba", "jupyterlab"} <= set(runtime)
    post = (binder / "postBuild").read_text(encoding="utf-8")
    assert (binder / "postBuild").stat().st_mode & 0o111, "binder/postBuild must be executable"
    assert "pip install --no-deps" in post and "-e ." in post and "python -m analysis corpus fetch" in post
