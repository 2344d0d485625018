"""The repository's own GitHub workflows and hook manifest, as GitHub and pre-commit read them.

Workflows are validated against SchemaStore's github-workflow.json, vendored in
tests/schemastore/ (source and license noted in its README).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pre_commit.clientlib import load_manifest

from tests.support.paths import REPO
from tmcheck.parsing.safe_yaml import load_yaml

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
VALIDATOR = jsonschema.Draft7Validator(
    json.loads((REPO / "tests" / "schemastore" / "github-workflow.json").read_text("utf-8"))
)


def workflow(path: Path) -> Any:
    return load_yaml(path.read_text(encoding="utf-8")).data  # YAML 1.2: `on` is a key


def test_there_is_a_release_workflow() -> None:
    assert REPO / ".github" / "workflows" / "release.yml" in WORKFLOWS


@pytest.mark.parametrize("path", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_workflow_validates_against_schemastore(path: Path) -> None:
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in VALIDATOR.iter_errors(workflow(path))
    ]
    assert errors == []


def test_the_schema_refuses_what_github_refuses() -> None:
    release = workflow(REPO / ".github" / "workflows" / "release.yml")
    release["jobs"]["pypi"]["permissions"]["id-token"] = "read-write"
    assert list(VALIDATOR.iter_errors(release))


def test_release_publishes_what_the_readme_promises() -> None:
    release = workflow(REPO / ".github" / "workflows" / "release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    jobs = release["jobs"]
    # trusted publishing: the publishing job alone may mint an OIDC token, and no secret is used
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}
    assert [step.get("uses") for step in jobs["pypi"]["steps"]][-1].startswith(
        "pypa/gh-action-pypi-publish@"
    )
    assert "secrets." not in json.dumps(jobs["pypi"])
    assert [name for name, job in jobs.items() if "id-token" in job.get("permissions", {})] == [
        "pypi"
    ]
    assert release["permissions"] == {"contents": "read"}
    assert jobs["image"]["permissions"]["packages"] == "write"
    image_script = "\n".join(step.get("run", "") for step in jobs["image"]["steps"])
    assert 'image="ghcr.io/${GITHUB_REPOSITORY,,}"' in image_script
    assert "docker push" in image_script
    assert set(jobs["major-tag"]["needs"]) == {"pypi", "image"}
    move = "\n".join(step.get("run", "") for step in jobs["major-tag"]["steps"])
    assert 'git push -f origin "refs/tags/$major"' in move
    build = "\n".join(step.get("run", "") for step in jobs["dist"]["steps"])
    assert "twine check --strict" in build and "tmcheck/_version.py" in build


def test_readme_action_lines_name_a_tag_the_release_makes() -> None:
    from tmcheck import __version__

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    uses = re.findall(r"uses: tmcheck/tmcheck@([\w.]+)", readme)
    assert uses
    assert set(uses) <= {"v" + __version__, "v" + __version__.split(".")[0]}
    assert "ghcr.io/tmcheck/tmcheck" in readme


def test_hook_manifest_loads_in_pre_commit_and_declares_its_minimum() -> None:
    (hook,) = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    assert hook["minimum_pre_commit_version"] == "2.9.0"  # types_or arrived in 2.9.0
    assert "types_or" in hook


def _readme_test_command() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```sh\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    assert block is not None
    (command,) = [line for line in block.group(1).splitlines() if "pytest" in line]
    return command


def test_ci_runs_the_readme_test_command_and_the_pinned_set() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_test_command() == "pip install -e '.[test]' && python -m pytest"
    assert f"\n{_readme_test_command()} || exit $?\n" in script
    assert "-r requirements/action.txt" in script and "-c requirements/action.txt" in script


@pytest.mark.parametrize(("failing", "code"), [("pip", 7), ("pytest", 1)])
def test_ci_fails_when_the_install_or_the_tests_fail(
    failing: str, code: int, tmp_path: Path
) -> None:
    # stand-ins for pip and python that record their calls; one of them fails
    calls = tmp_path / "calls"
    for name, fails in (("pip", failing == "pip"), ("python", failing == "pytest")):
        stub = tmp_path / name
        stub.write_text(
            f'#!/bin/sh\necho "{name} $*" >> {calls}\n'
            + (f"exit {code}\n" if fails else "exit 0\n")
        )
        stub.chmod(0o755)
    environ = {"PATH": f"{tmp_path}:/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run(
        ["bash", str(REPO / ".ci" / "run")], env=environ, capture_output=True, text=True
    )
    assert run.returncode == code
    expected = ["pip install -e .[test]"] + (["python -m pytest"] if failing == "pytest" else [])
    assert calls.read_text().splitlines() == expected  # nothing ran after the failure
