"""The publishing workflow is valid GitHub Actions syntax (check-jsonschema's vendored schema, offline) and
keeps its promises: it builds with the two make targets and never publishes a build on synthetic texts."""

from __future__ import annotations

from pathlib import Path

import yaml
from check_jsonschema import main as check_jsonschema
from click.testing import CliRunner, Result

from analysis.io.paths import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "publish.yml"


def _check(path: Path, schema: str = "vendor.github-workflows") -> Result:
    """check-jsonschema's command, run in this process (its Click command, as the CLI runs it; no interpreter
    start-up per check). The schema ships inside check-jsonschema (pinned in the lock): no network access."""
    return CliRunner().invoke(check_jsonschema, ["--builtin-schema", schema, str(path)])


def test_workflow_passes_the_github_workflow_schema():
    result = _check(WORKFLOW)
    assert result.exit_code == 0, result.output


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    flow["on"] = flow.pop(True)  # YAML 1.1 reads the key `on` as True: give it back its name
    intact, broken = tmp_path / "intact.yml", tmp_path / "broken.yml"
    intact.write_text(yaml.safe_dump(flow), encoding="utf-8")
    assert _check(intact).exit_code == 0, _check(intact).output  # the round trip alone breaks nothing
    flow["jobs"]["build"]["timeout-minutes"] = "an hour"  # must be a number
    broken.write_text(yaml.safe_dump(flow), encoding="utf-8")
    result = _check(broken)
    assert result.exit_code == 1 and "'an hour' is not of type 'number'" in result.output, result.output


def test_workflow_builds_and_refuses_synthetic_builds():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = flow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "") for step in steps]
    assert any(r.strip() == "make data" for r in runs) and any(r.strip() == "make book" for r in runs)
    guard = next(i for i, r in enumerate(runs) if "_build/html/SYNTHETIC" in r)
    upload = next(i for i, u in enumerate(uses) if u.startswith("actions/upload-pages-artifact"))
    assert guard < upload, "the SYNTHETIC guard must run before the HTML is uploaded"
    assert "exit 1" in runs[guard]
    assert steps[upload]["with"]["path"] == "_build/html"
    deploy = flow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages")


def test_citation_file_is_valid_and_cites_the_article():
    cff = PROJECT_ROOT / "CITATION.cff"
    result = _check(cff, "vendor.citation-file-format")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(cff.read_text(encoding="utf-8"))
    assert any(ref.get("doi") == "10.1093/cjip/poab005" for ref in data["references"])


def test_licence_says_which_licence_covers_what():
    text = (PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in text and "CC BY 4.0" in text
    assert "never stored in this repository" in text
