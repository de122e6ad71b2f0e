"""The publishing workflow is valid GitHub Actions syntax (check-jsonschema's vendored schema, offline) and
keeps its promises: it builds with the two make targets, never publishes a build on synthetic texts, never
restores failure records, fetches hosts side by side within a budget, fails when a core text is missing, and
publishes the PDF beside the site."""

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


def _steps() -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]


def _index(steps: list[dict], predicate) -> int:
    found = [i for i, step in enumerate(steps) if predicate(step)]
    assert found, "no such step in the workflow"
    return found[0]


def test_workflow_never_restores_failure_records_and_retries_them():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = flow["jobs"]["build"]["steps"]
    caches = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache")]
    assert caches and all(
        str(s["uses"]).split("@")[0] in ("actions/cache/restore", "actions/cache/save") for s in caches
    )
    for step in caches:
        paths = step["with"]["path"].split()
        assert "data/raw" in paths and "!data/raw/*.error.json" in paths, step
        assert "${{ github.run_id }}" in step["with"]["key"], "a fixed key is never saved again after its first run"
    restore = _index(steps, lambda s: str(s.get("uses", "")).startswith("actions/cache/restore"))
    forget = _index(steps, lambda s: "*.error.json" in s.get("run", "") and "-delete" in s.get("run", ""))
    fetch = _index(steps, lambda s: "fetch-by-host" in s.get("run", ""))
    assert restore < forget < fetch
    save = _index(steps, lambda s: str(s.get("uses", "")).startswith("actions/cache/save"))
    assert steps[save].get("if") == "always()", "texts acquired before a failure are kept for the next run"
    assert flow[True].get("schedule"), "a schedule retries failed documents even without a push"


def test_workflow_fetches_hosts_side_by_side_within_a_budget_and_requires_the_core_texts():
    steps = _steps()
    fetch = _index(steps, lambda s: "fetch-by-host" in s.get("run", ""))
    run = steps[fetch]["run"]
    budget = int(run.split("--budget")[1].split()[0])
    assert "--jobs" in run and budget <= 1500
    assert steps[fetch]["timeout-minutes"] * 60 > budget, "the step's own limit leaves the budget room to finish"
    data = _index(steps, lambda s: s.get("run", "").strip() == "make data")
    assert steps[data]["env"]["CORPUS_OFFLINE"] == "1" and fetch < data
    core = _index(steps, lambda s: "require-texts" in s.get("run", ""))
    assert {"ngaidp_2017", "internet_plus_ai_2016"} <= set(steps[core]["run"].split()) and data < core
    book = _index(steps, lambda s: s.get("run", "").strip() == "make book")
    assert core < book


def test_workflow_publishes_the_pdf_beside_the_site():
    steps = _steps()
    pdf = _index(steps, lambda s: s.get("run", "").strip() == "make pdf")
    copy = _index(steps, lambda s: "_build/latex/securitization-of-ai-book.pdf _build/html/" in s.get("run", ""))
    upload = _index(steps, lambda s: str(s.get("uses", "")).startswith("actions/upload-pages-artifact"))
    guard = _index(steps, lambda s: "_build/html/SYNTHETIC" in s.get("run", ""))
    assert guard < pdf < copy < upload


def test_citation_file_is_valid_and_cites_the_article():
    cff = PROJECT_ROOT / "CITATION.cff"
    result = _check(cff, "vendor.citation-file-format")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(cff.read_text(encoding="utf-8"))
    assert any(ref.get("doi") == "10.1093/cjip/poab005" for ref in data["references"])


def _cff() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_names_version_date_repository_and_book():
    import datetime
    import tomllib

    cff = _cff()
    version = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert cff["version"] == version, "CITATION.cff and pyproject.toml name different versions"
    released = datetime.date.fromisoformat(str(cff["date-released"]))
    config = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert cff["repository-code"] == config["repository"]["url"]
    assert cff["url"] == config["html"]["baseurl"], "the book's URL in CITATION.cff is the site's base URL"
    preferred = cff["preferred-citation"]
    assert preferred["version"] == version and preferred["url"] == cff["url"]
    assert preferred["year"] == released.year and preferred["title"] == cff["title"]


def test_zenodo_metadata_agrees_with_the_citation_file():
    import json

    zenodo = json.loads((PROJECT_ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    cff = _cff()
    assert zenodo["title"] == cff["title"] and zenodo["version"] == cff["version"]
    assert isinstance(zenodo["license"], str), "Zenodo takes one licence id, not a list"
    assert zenodo["license"].upper() in cff["license"]
    assert [c["name"] for c in zenodo["creators"]] == [a["name"] for a in cff["authors"]]
    assert {"identifier": "10.1093/cjip/poab005", "relation": "references"}.items() <= next(
        r for r in zenodo["related_identifiers"] if r["scheme"] == "doi"
    ).items()


def test_landing_page_says_how_to_cite_and_the_footer_states_the_licence():
    import json

    cff = _cff()
    cells = json.loads((PROJECT_ROOT / "book" / "index.ipynb").read_text(encoding="utf-8"))["cells"]
    cite = next("".join(c["source"]) for c in cells if "".join(c["source"]).startswith("## How to cite"))
    flat = " ".join(cite.replace(">", " ").split())
    assert f"(version {cff['version']})" in flat and cff["url"] in flat
    assert f"({str(cff['date-released'])[:4]})" in flat and cff["title"] in flat
    footer = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))["html"]["extra_footer"]
    assert "CC BY 4.0" in footer and "MIT" in footer and "LICENSE" in footer


def test_licence_says_which_licence_covers_what():
    text = (PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in text and "CC BY 4.0" in text
    assert "never stored in this repository" in text
