"""Hostile `.tmcheck.yaml` files (config/configs.json), through `tmcheck check` and through
`tmcheck action` when the pull request brings them: exit 2, one line, nothing read through a
link, nothing echoed raw, in bounded time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.fake_github import FakeGitHub
from tests.support.hostile_checks import (
    assert_commands_inert,
    assert_inert_markdown,
    assert_nothing_leaks,
)
from tests.support.hostile_harness import (
    CASES,
    HOSTILE,
    make_places,
    materialize,
    pull_request,
    run_action,
    run_cli,
    write_config,
)
from tests.support.spent import Spent, spending

CONFIGS: list[dict[str, Any]] = json.loads(
    (HOSTILE / "config" / "configs.json").read_text(encoding="utf-8")
)["configs"]
MODEL = next(case for case in CASES if case.id == "T11")  # a valid model: only the config fails


def assert_bounded(spent: Spent) -> None:
    """Refusing a config costs well under 0.5 s of CPU (the action's git calls included); a
    bomb that was expanded (aliases, nesting, a huge file) costs seconds to minutes. The wall
    bound shows a hang (a config that is a FIFO, say), with room for a busy machine."""
    assert spent.cpu < 2.0 and spent.wall < 20.0, str(spent)


@pytest.mark.parametrize("spec", CONFIGS, ids=[spec["id"] for spec in CONFIGS])
def test_check_refuses_the_config(
    spec: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    places = make_places(tmp_path)
    materialize(MODEL, places)
    write_config(spec, places)
    given = ["--config", spec["path"]] if "path" in spec else []
    with spending() as spent:
        outcome = run_cli([*given, "threatmodels"], places.workspace, monkeypatch)
    assert_bounded(spent)
    expected = spec["message"].replace("{workspace}", str(places.workspace))
    assert (outcome.code, outcome.stdout) == (2, "")
    assert outcome.stderr.startswith(f"tmcheck: error: {expected}"), outcome.stderr
    assert outcome.stderr.count("\n") == 1
    assert_nothing_leaks(outcome)


@pytest.mark.parametrize("spec", CONFIGS, ids=[spec["id"] for spec in CONFIGS])
def test_action_refuses_the_config_a_pull_request_brings(
    spec: dict[str, Any], tmp_path: Path, server: FakeGitHub
) -> None:
    pull = pull_request(tmp_path, [MODEL], head_config=spec)
    server.add_pull(1, head_sha=pull.head, base_sha=pull.base)
    inputs = {"config": spec["path"]} if "path" in spec else {}
    # By default the base branch's config applies: the pull request's is never read.
    based = run_action(pull, server, **inputs)
    assert based.code != 2, based.stdout
    (comment,) = based.comments
    assert "applies once the pull request is merged" in comment.replace("\\", "")
    assert_commands_inert(based.stdout)
    assert_nothing_leaks(based)
    pull.summary.write_text("")
    with spending() as spent:
        outcome = run_action(pull, server, config_from="head", **inputs)
    assert_bounded(spent)
    expected = spec["message"].replace("{workspace}", str(pull.places.workspace))
    assert outcome.code == 2
    assert outcome.stdout.startswith(f"tmcheck: error: {expected}"), outcome.stdout
    assert outcome.files["summary.md"].startswith("**tmcheck could not run:**")
    assert_inert_markdown(outcome.files["summary.md"])
    assert_commands_inert(outcome.stdout)
    assert_nothing_leaks(outcome)
