"""`action.yml` as GitHub loads it: YAML, SchemaStore's schema, and the inputs and outputs the
code really reads and writes, through an emulation of the runner."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema
import pytest
import yaml

from tests.support.action_workspace import TOKEN as WORKSPACE_TOKEN
from tests.support.action_workspace import Workspace, run_action
from tests.support.fake_github import FakeGitHub
from tests.support.paths import REPO
from tests.support.runner_emulation import (
    ACTION_YML,
    input_environment,
    input_variable,
    load_action,
)
from tmcheck.github.context import ActionInputs
from tmcheck.parsing.safe_yaml import load_yaml

SCHEMAS = REPO / "tests" / "schemastore"
TOKEN = "ghs_actionYmlCanaryToken0123456789"
REPOSITORY = "octo-org/octo-repo"


class _RecordingEnviron(Mapping[str, str]):
    """An environment that remembers which variables were looked up."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)
        self.asked: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        return self._values[key]

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return self._values.get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.asked.add(key)
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def test_action_yml_is_yaml_that_every_parser_reads() -> None:
    text = ACTION_YML.read_text(encoding="utf-8")
    action = yaml.safe_load(text)
    assert action["runs"] == {"using": "docker", "image": "Dockerfile"}
    # No plain scalar holds ": " or " #" (what made the file unreadable, or would cut a
    # description short): js-yaml, ruamel and the runner's own parser agree on the rest.
    plain = [node.value for node in _scalars(yaml.compose(text)) if node.style is None]
    assert [value for value in plain if ": " in value or " #" in value] == []
    for name, spec in action["inputs"].items():
        assert isinstance(spec["description"], str) and spec["description"].strip(), name


def _scalars(node: yaml.Node) -> Iterator[yaml.ScalarNode]:
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)


def test_action_yml_validates_against_schemastore() -> None:
    schema = json.loads((SCHEMAS / "github-action.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    errors = [error.message for error in validator.iter_errors(load_action())]
    assert errors == []


def test_schemastore_schema_refuses_what_github_refuses() -> None:
    """The vendored schema is not vacuous: a docker action without an image is refused."""
    schema = json.loads((SCHEMAS / "github-action.json").read_text(encoding="utf-8"))
    broken = load_action()
    del broken["runs"]["image"]
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))


def test_inputs_are_exactly_those_the_code_reads() -> None:
    declared = {input_variable(name) for name in load_action()["inputs"]}
    environ = _RecordingEnviron(
        input_environment(github={"token": TOKEN}) | {"GITHUB_REPOSITORY": REPOSITORY}
    )
    ActionInputs.from_environ(environ)
    read = {name for name in environ.asked if name.startswith("INPUT_")}
    assert read == declared


def test_runner_variable_names() -> None:
    assert input_variable("check-run") == "INPUT_CHECK-RUN"
    assert input_variable("some input") == "INPUT_SOME_INPUT"
    with pytest.raises(AssertionError, match="Unexpected input"):
        input_environment({"no-such-input": "x"})
    assert input_environment({"fail": False}, github={"token": "t"})["INPUT_FAIL"] == "false"
    assert input_environment(github={"token": "abc"})["INPUT_TOKEN"] == "abc"


def test_runner_emulation_runs_the_action_with_defaults_and_with_values(
    server: FakeGitHub, workspace: Workspace
) -> None:
    """A draft pull request, run with every input of action.yml as the runner passes it."""
    event = json.loads(workspace.event.read_text())
    event["pull_request"]["draft"] = True
    workspace.event.write_text(json.dumps(event))
    server.add_pull(1, head_sha=workspace.head, base_sha=workspace.base,
                    files=["docs/threat-model/gateway.yaml"], draft=True)  # fmt: skip
    environ = {
        name: value
        for name, value in workspace.environ(server).items()
        if not name.startswith("INPUT_")
    }
    environ |= input_environment(
        {"sarif-file": "tmcheck.sarif", "fail": False}, github={"token": WORKSPACE_TOKEN}
    )
    ran = run_action(environ)
    assert ran.code == 0, ran.stdout + ran.stderr  # fail: false
    (comment,) = server.comments_on(1)
    assert "### Blocking threats (4)" in comment.body
    (run,) = server.check_runs.values()
    assert (run.conclusion, run.head_sha) == ("neutral", workspace.head)
    assert set(workspace.outputs()) == set(load_action()["outputs"])
    assert (workspace.path / "tmcheck.sarif").is_file()


def readme_workflow_snippets() -> list[tuple[int, dict[str, Any]]]:
    """Every workflow (or list of workflow steps) in the README, as GitHub would read it:
    a list of steps is put in a one-job workflow."""
    snippets = []
    text = (REPO / "README.md").read_text(encoding="utf-8")
    for match in re.finditer(r"^```yaml\n(.*?)^```", text, re.M | re.S):
        block = match.group(1)
        line = text.count("\n", 0, match.start()) + 1
        first = block.lstrip().splitlines()[0]
        if first.startswith("# .github/workflows/"):
            workflow = _yaml12(block)
        elif first.lstrip().startswith("- "):
            steps = _yaml12("steps:\n" + textwrap.indent(textwrap.dedent(block), "  "))["steps"]
            workflow = {
                "on": "pull_request",
                "jobs": {"check": {"runs-on": "ubuntu-latest", "steps": steps}},
            }
        else:
            continue  # a .tmcheck.yaml or .pre-commit-config.yaml
        snippets.append((line, workflow))
    return snippets


def _yaml12(text: str) -> Any:
    """YAML as GitHub reads a workflow (1.2: `on` is a key, not true)."""
    return load_yaml(text).data


def test_readme_workflows_validate_against_schemastore() -> None:
    schema = json.loads((SCHEMAS / "github-workflow.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    snippets = readme_workflow_snippets()
    assert len(snippets) >= 2
    declared = set(load_action()["inputs"])
    for line, workflow in snippets:
        errors = [error.message for error in validator.iter_errors(workflow)]
        assert errors == [], f"README.md:{line}"
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                if str(step.get("uses", "")).startswith("tmcheck/tmcheck@"):
                    unknown = set(step.get("with", {})) - declared
                    assert not unknown, f"README.md:{line}: inputs {unknown} not in action.yml"


def test_workflow_schema_refuses_a_broken_workflow() -> None:
    schema = json.loads((SCHEMAS / "github-workflow.json").read_text(encoding="utf-8"))
    broken = {"on": "pull_request", "jobs": {"check": {"steps": [{"uses": "x@v1"}]}}}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))  # no runs-on
