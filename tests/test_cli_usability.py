"""The command line as a user meets it: help, messages, what to install, what to do next."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import RunCli


def test_action_without_pygithub_names_the_extra(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "github", None)  # as if PyGithub were not installed
    run = run_cli("action", environ={"GITHUB_EVENT_NAME": "pull_request"})
    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr == (
        "tmcheck: error: `tmcheck action` needs PyGithub, which tmcheck installs only with its"
        " extra: pip install 'tmcheck[github]'\n"
    )
