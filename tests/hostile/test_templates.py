"""Configured templates (templates/configured.json): rendered in a bounded child process from
the base commit; whatever they try is reported and the default template is used instead."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.fake_github import FakeGitHub
from tests.support.hostile_checks import assert_markdown_safe, assert_nothing_leaks
from tests.support.hostile_harness import CASES, HOSTILE, git, pull_request, run_action
from tests.support.spent import spending
from tmcheck.reporters.sandbox import TEMPLATE_CPU_SECONDS, TEMPLATE_WALL_SECONDS

CONFIGURED = HOSTILE / "templates" / "configured"
TEMPLATES: list[dict[str, Any]] = json.loads(
    (HOSTILE / "templates" / "configured.json").read_text(encoding="utf-8")
)["templates"]
SSTI_TITLE = next(case for case in CASES if case.id == "T29")
DEFAULT_HEADING = "## \u274c tmcheck blocks: 1 open threat at or above the threshold"
TEMPLATE_PATH = ".github/tmcheck/report.md.j2"
CPU_SECONDS = TEMPLATE_CPU_SECONDS + 1.0
WAITED_TOO_LONG = f"(the template took longer than {TEMPLATE_WALL_SECONDS} s)"


@pytest.mark.parametrize("spec", TEMPLATES, ids=[spec["file"] for spec in TEMPLATES])
def test_configured_template(spec: dict[str, Any], tmp_path: Path, server: FakeGitHub) -> None:
    source = (CONFIGURED / spec["file"]).read_text(encoding="utf-8")
    pull = pull_request(tmp_path, [SSTI_TITLE], base_files={TEMPLATE_PATH: source})
    server.add_pull(1, head_sha=pull.head, base_sha=pull.base)
    with spending() as spent:
        outcome = run_action(pull, server, template=TEMPLATE_PATH, **{"check-run": "false"})
    assert outcome.code == 1
    # The renderer may use 1 s of CPU (TEMPLATE_CPU_SECONDS), and a loop it stops costs about
    # 1.1 s in all; one the CPU limit missed runs until the 5 s wait ends, about 5 s of CPU.
    # That wait bounds a renderer that hangs without working; the wall bound has room for a
    # busy machine.
    assert spent.cpu < CPU_SECONDS and spent.wall < TEMPLATE_WALL_SECONDS + 10, str(spent)
    (comment,) = outcome.comments
    assert_nothing_leaks(outcome)
    assert_markdown_safe(comment)
    plain = comment.replace("\\", "").replace("&#8203;", "")
    if spec.get("used"):
        assert DEFAULT_HEADING not in comment
        assert len(comment) <= 65_535
    else:
        assert DEFAULT_HEADING in comment
        note = spec["note"]
        if WAITED_TOO_LONG in plain:
            # On a machine so busy that the renderer had not had its second of CPU when the
            # wait ended, the wait stopped it first, and the note says so.
            assert spent.cpu < TEMPLATE_CPU_SECONDS, str(spent)
            note = WAITED_TOO_LONG
        assert note in plain


def test_template_renders_the_payload_title_literally(tmp_path: Path, server: FakeGitHub) -> None:
    source = (CONFIGURED / "ok.md.j2").read_text(encoding="utf-8")
    pull = pull_request(tmp_path, [SSTI_TITLE], base_files={TEMPLATE_PATH: source})
    server.add_pull(1, head_sha=pull.head, base_sha=pull.base)
    outcome = run_action(pull, server, template=TEMPLATE_PATH, **{"check-run": "false"})
    (comment,) = outcome.comments
    assert comment.startswith("<!-- tmcheck:report tmcheck -->\n## \u274c custom report:")
    assert (
        "\\{\\{ cycler\\.\\_\\_init\\_\\_\\.\\_\\_globals\\_\\_\\.os\\.popen\\('id'\\)\\.read\\(\\)"
        " \\}\\}\\{% for i in range\\(10\\*\\*9\\) %\\}x\\{% endfor %\\}" in comment
    )


def test_a_pull_request_cannot_change_its_own_template(tmp_path: Path, server: FakeGitHub) -> None:
    base = (CONFIGURED / "ok.md.j2").read_text(encoding="utf-8")
    pull = pull_request(tmp_path, [SSTI_TITLE], base_files={TEMPLATE_PATH: base})
    workspace = pull.places.workspace
    (workspace / TEMPLATE_PATH).write_text((CONFIGURED / "ssti.md.j2").read_text())
    git(workspace, "commit", "-qam", "the pull request rewrites the template")
    server.add_pull(1, head_sha=pull.head, base_sha=pull.base)
    outcome = run_action(pull, server, template=TEMPLATE_PATH, **{"check-run": "false"})
    (comment,) = outcome.comments
    assert "custom report" in comment and "SecurityError" not in comment
