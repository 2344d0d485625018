"""What the Actions runner does with `action.yml` before the container starts.

For a Docker action the runner takes every input that `action.yml` declares, its value from the
step's `with:` or else its default (expressions such as `${{ github.token }}` evaluated), and
passes it as the environment variable `INPUT_<NAME>`: the name upper-cased, spaces turned into
`_`, hyphens kept. An input the step gives that `action.yml` does not declare is only a warning
on GitHub; here it is an error, so that a test cannot pass an input the action never receives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from tests.support.paths import REPO

ACTION_YML = REPO / "action.yml"
_EXPRESSION = re.compile(r"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")


def load_action(path: Path = ACTION_YML) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        action = yaml.safe_load(stream)
    assert isinstance(action, dict)
    return action


def input_variable(name: str) -> str:
    """The runner's variable for input `name` (ContainerActionHandler: Replace(' ', '_'),
    ToUpperInvariant)."""
    return "INPUT_" + name.replace(" ", "_").upper()


def _scalar(value: Any) -> str:
    # The runner reads `with:` values as strings: YAML's true is "true", 12 is "12".
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def evaluate(text: str, github: Mapping[str, str]) -> str:
    """`${{ github.x }}` replaced by the run's value, as the runner evaluates a default."""

    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        context, _, key = expression.partition(".")
        if context != "github" or key not in github:
            raise AssertionError(f"the emulation does not know the expression {expression!r}")
        return github[key]

    return _EXPRESSION.sub(value, text)


def input_environment(
    with_: Mapping[str, Any] | None = None,
    *,
    github: Mapping[str, str] | None = None,
    action: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """`INPUT_*` for a step `uses: ./` with `with_`, from `action.yml` as GitHub reads it."""
    action = action if action is not None else load_action()
    declared: Mapping[str, Any] = action.get("inputs") or {}
    given = dict(with_ or {})
    unexpected = set(given) - set(declared)
    if unexpected:
        raise AssertionError(f"Unexpected input(s) {sorted(unexpected)}: action.yml lacks them")
    environment = {}
    for name, spec in declared.items():
        raw = given[name] if name in given else (spec or {}).get("default", "")
        environment[input_variable(name)] = evaluate(_scalar(raw), github or {})
    return environment


def step_environment(
    api_url: str,
    repository: str,
    workspace: Path,
    event_name: str,
    event_path: Path,
    *,
    token: str,
    sha: str = "f" * 40,
    output: Path | None = None,
    summary: Path | None = None,
    inputs: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The variables a job step of tmcheck's action sees, for a run against the fake API: the
    runner's `GITHUB_*`, the token, and `INPUT_*` for `inputs` (a Python name's `_` stands for
    the input name's `-`: `check_run` is `check-run`). `TMCHECK_GITHUB_PACING=off`: the fake
    API on 127.0.0.1 has no secondary rate limits to respect."""
    environment = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_API_URL": api_url,
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_REPOSITORY": repository,
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_SHA": sha,
        "GITHUB_WORKSPACE": str(workspace),
        "INPUT_TOKEN": token,
        "TMCHECK_GITHUB_PACING": "off",
    }
    if output is not None:
        environment["GITHUB_OUTPUT"] = str(output)
    if summary is not None:
        environment["GITHUB_STEP_SUMMARY"] = str(summary)
    for name, value in (inputs or {}).items():
        environment[input_variable(name.replace("_", "-"))] = value
    return environment
