"""The two environment files agree: ``requirements.lock`` (pip) and ``environment.yml`` (conda).

``requirements.lock`` is compiled from ``pyproject.toml`` (``make lock``); ``environment.yml`` is
rendered from it by :func:`render_environment_yml`
(``python -m booktools environment-yml``), so conda users get exactly the same pins.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.io.paths import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements.lock"
ENVIRONMENT_YML = PROJECT_ROOT / "environment.yml"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins(path: Path = LOCK) -> dict[str, str]:
    """``{package: version}`` for every ``name==version`` line of the pip lock."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _PIN.match(line.strip())
        if m:
            pins[_canonical(m.group(1))] = m.group(2)
    return pins


def conda_pins(path: Path = ENVIRONMENT_YML) -> dict[str, str]:
    """``{package: version}`` for every ``- name==version`` line under ``pip:`` in environment.yml."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _PIN.match(line.strip().removeprefix("- ").strip())
        if m:
            pins[_canonical(m.group(1))] = m.group(2)
    return pins


def render_environment_yml(pins: dict[str, str]) -> str:
    lines = [
        "# Conda environment for the book. Generated from requirements.lock by `make lock`; do not edit by hand.",
        "# The pins are the pip lock's, so conda and pip users run identical package versions.",
        "name: securitization-of-ai-book",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - make",
        "  - pip:",
    ]
    lines += [f"      - {name}=={version}" for name, version in sorted(pins.items())]
    lines.append("      - -e .")
    return "\n".join(lines) + "\n"
