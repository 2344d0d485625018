"""A directory swapped for a link while tmcheck opens files below it (races/races.json): nothing
from outside the workspace is read, listed or echoed, however the swaps fall."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support.hostile_harness import CANARY, HOSTILE, make_places
from tmcheck.check import run_check
from tmcheck.config import load_settings
from tmcheck.confined import ReadRefused, read_bounded
from tmcheck.errors import ConfigError

RACES: list[dict[str, Any]] = json.loads(
    (HOSTILE / "races" / "races.json").read_text(encoding="utf-8")
)["races"]
INSIDE_MODEL = (
    "component: {name: inside, owner: x}\n"
    "threats:\n  - {id: IN1, category: Spoofing, likelihood: 1, impact: 1, title: inside}\n"
)
ONLY_OUTSIDE = "tmcheck.yaml"  # a name the outside folder has and the inside one has not
GIVE_UP_SECONDS = 60.0


@contextmanager
def swapping(directory: Path, outside: Path) -> Iterator[list[int]]:
    """Flip `directory` between itself and a link to `outside` until the block ends; yields
    the number of flips so far (one item list)."""
    real, link = directory.with_name(directory.name + ".real"), directory.with_name("link")
    os.symlink(outside, link)
    flips = [0]
    stop = threading.Event()

    def flip() -> None:
        while not stop.is_set():
            os.rename(directory, real)
            os.rename(link, directory)
            os.rename(directory, link)
            os.rename(real, directory)
            flips[0] += 1

    thread = threading.Thread(target=flip, daemon=True)
    thread.start()
    try:
        yield flips
    finally:
        stop.set()
        thread.join()


def _read(path: str, workspace: Path) -> str:
    try:
        return read_bounded(path, 1 << 20, within=workspace).decode()
    except ReadRefused as error:
        return f"refused: {error}"


def _check(path: str, workspace: Path) -> str:
    settings = load_settings(cwd=workspace, use_config_file=False, environment={})
    result = run_check([path], settings, workspace=workspace)
    titles = [threat.entry.title for threat in result.threats]
    return "\n".join([*titles, *(str(finding) for finding in result.findings)])


def _config(path: str, workspace: Path) -> str:
    try:
        settings = load_settings(cwd=workspace, config_path=Path(path), workspace=workspace)
    except ConfigError as error:
        return f"refused: {error}"
    return f"threshold {settings.threshold}"


RUNS: dict[str, Callable[[str, Path], str]] = {"read": _read, "check": _check, "config": _config}


@pytest.mark.parametrize("race", RACES, ids=[race["id"] for race in RACES])
def test_nothing_outside_is_read_while_a_directory_flips(
    race: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    places = make_places(tmp_path)
    workspace = places.workspace
    directory = workspace / race["swap"]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "secret.yaml").write_text(INSIDE_MODEL, encoding="utf-8")
    (directory / "tmcheck.yaml").unlink(missing_ok=True)
    if race["run"] == "config":
        (directory / "tmcheck.yaml").write_text("threshold: 12\n", encoding="utf-8")
    monkeypatch.chdir(workspace)
    run = RUNS[race["run"]]
    outcomes: dict[str, int] = {}

    def real() -> bool:  # the inside copy was read, and the link was met
        refused = outcomes.get("refused", 0) + outcomes.get("missing", 0)
        return flips[0] > 100 and outcomes.get("read", 0) > 0 and refused > 0

    with swapping(directory, places.outside / "dir") as flips:
        # How the swaps fall depends on the scheduler: on a busy machine one second may not
        # see both outcomes, so the race goes on until it has, for at most a minute.
        started = time.monotonic()
        while time.monotonic() - started < race["seconds"] or (
            not real() and time.monotonic() - started < GIVE_UP_SECONDS
        ):
            text = run(race["path"], workspace)
            assert CANARY not in text, f"read from outside after {flips[0]} flips: {text[:300]}"
            if race["run"] == "check":
                assert f"dir/{ONLY_OUTSIDE}" not in text, f"an outside name was listed: {text}"
            kind = "refused" if "refused" in text or "symbolic link" in text else "read"
            kind = "missing" if "no such file" in text else kind
            outcomes[kind] = outcomes.get(kind, 0) + 1
    assert real(), (flips, outcomes)
