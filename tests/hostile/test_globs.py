"""Many long include patterns against paths 1,900 directories deep (globs/deep.json), through
`tmcheck check`: in bounded time, matched as the patterns say, or refused by the glob budget."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.hostile_checks import assert_nothing_leaks
from tests.support.hostile_harness import HOSTILE, MODELS, run_cli
from tests.support.spent import spending
from tmcheck.globs import GlobBudgetError, GlobSet

CASES: list[dict[str, Any]] = json.loads(
    (HOSTILE / "globs" / "deep.json").read_text(encoding="utf-8")
)["cases"]
MODEL = (
    "component: {name: Deep, owner: x}\n"
    "threats:\n  - {id: D1, category: Spoofing, likelihood: 5, impact: 5, title: deep}\n"
)


def patterns(spec: dict[str, Any]) -> list[str]:
    ladder = "/".join([spec["segment"]] * spec["segments"])
    return [
        spec["head"] + ladder + "/" + spec["last"].replace("{n}", str(n))
        for n in range(spec["count"])
    ]


def make_deep(top: Path, spec: dict[str, Any], text: str) -> str:
    """`depth` nested directories under `top` (made through descriptors: the path is longer
    than some calls accept), each of `names` a file at the bottom; returns the folder's path."""
    descriptor = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(spec["depth"]):
            os.mkdir(spec["segment"], dir_fd=descriptor)
            inner = os.open(spec["segment"], os.O_RDONLY | os.O_DIRECTORY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        for name in spec["names"]:
            file = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
            os.write(file, text.encode())
            os.close(file)
    finally:
        os.close(descriptor)
    return "/".join([spec["segment"]] * spec["depth"])


@pytest.fixture
def deep_place() -> Iterator[Path]:
    """A folder outside pytest's own (whose cleanup recurses once per level and cannot remove
    a tree this deep), removed with `rm -rf`, which walks any depth."""
    top = Path(tempfile.mkdtemp(prefix="tmcheck-deep-"))
    yield top
    subprocess.run(["rm", "-rf", "--", str(top)], check=True)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_deep_paths_and_many_patterns(
    case: dict[str, Any], deep_place: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = deep_place / "workspace"
    (workspace / MODELS).mkdir(parents=True)
    include = patterns(case["pattern"])
    (workspace / ".tmcheck.yaml").write_text(json.dumps({"include": include}), encoding="utf-8")
    deep = make_deep(workspace / MODELS, case["path"], MODEL)
    with spending() as spent:
        outcome = run_cli(["--config", ".tmcheck.yaml", MODELS], workspace, monkeypatch)
    # CPU seconds: each case costs under 0.2 s; patterns matched by backtracking, or a budget
    # that failed to stop them, take minutes.
    assert spent.cpu < case["seconds"], str(spent)
    assert outcome.code == case["exit"], outcome.stdout[-2000:] + outcome.stderr
    assert_nothing_leaks(outcome)
    if "stderr" in case:
        assert outcome.stderr.startswith(case["stderr"]) and outcome.stderr.count("\n") == 1
    if "model" in case:  # exactly the file a pattern names is checked
        assert f"{MODELS}/{deep}/{case['model']}:3:5: error [blocking-threat]" in outcome.stdout
        assert outcome.stdout.count("[blocking-threat]") == 1


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_one_path_against_the_patterns(case: dict[str, Any]) -> None:
    """The matcher alone: the work for one path is bounded whatever the patterns."""
    deep = "/".join([case["path"]["segment"]] * case["path"]["depth"])
    with spending() as spent:
        try:
            globs = GlobSet(patterns(case["pattern"]))
            matched = [globs.matches(f"{deep}/{name}") for name in case["path"]["names"]]
        except GlobBudgetError as error:
            assert case["exit"] == 2
            assert str(error).startswith(case["stderr"].removeprefix("tmcheck: error: "))
        else:
            assert case["exit"] != 2
            assert matched == [name == case.get("model") for name in case["path"]["names"]]
    assert spent.cpu < case["seconds"], str(spent)
