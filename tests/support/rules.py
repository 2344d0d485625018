"""Run one rule over small threat models, as yamllint's rule tests do: what it reports, where.

`check_rule(rule, source)` (or `rule_findings`, the findings themselves) checks `source` (with `others`, more files of the same run) and
gives the (line, column) of each finding of `rule`; `examples(rule)` gives the Passes and Fails
blocks of the rule's docstring, which `tests/rules/test_examples.py` runs.
"""

from __future__ import annotations

import datetime
import inspect
import os
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

from tmcheck.check import run_check
from tmcheck.config import Settings
from tmcheck.findings import Finding
from tmcheck.rules import RULES

TODAY = datetime.date(2026, 6, 1)


def run_rule(
    rule: str,
    files: Mapping[str, str],
    directory: Path,
    *,
    changed: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> list[Finding]:
    """The findings of `rule` when `files` (name: text) are checked together in `directory`."""
    for name, text in files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text, encoding="utf-8")
    settings = settings or Settings(root=directory, today=TODAY)
    touched = None
    if changed is not None:
        touched = frozenset(os.path.realpath(directory / name) for name in changed)
    here = Path.cwd()
    os.chdir(directory)  # paths in findings as a user in the directory sees them
    try:
        result = run_check(list(files), settings, changed=touched)
    finally:
        os.chdir(here)
    unexpected = [
        f for f in result.findings if f.rule in ("schema", "parse-error", "internal-error")
    ]
    assert not unexpected, unexpected
    return [finding for finding in result.findings if finding.rule == rule]


def rule_findings(
    rule: str,
    source: str,
    directory: Path,
    *,
    others: Mapping[str, str] | None = None,
    changed: Sequence[str] | None = None,
    name: str = "model.yaml",
) -> list[Finding]:
    """The findings of `rule` on the file `source` (its findings in other files left out)."""
    files = {name: textwrap.dedent(source), **(others or {})}
    return [finding for finding in run_rule(rule, files, directory, changed=changed)
            if finding.path == name]  # fmt: skip


def positions(findings: Sequence[Finding]) -> list[tuple[int, int]]:
    return [(finding.line, finding.column) for finding in findings]


def check_rule(
    rule: str,
    source: str,
    directory: Path,
    *,
    others: Mapping[str, str] | None = None,
    changed: Sequence[str] | None = None,
    name: str = "model.yaml",
) -> list[tuple[int, int]]:
    """Where `rule` reports on the file `source` (its findings in other files left out)."""
    return positions(
        rule_findings(rule, source, directory, others=others, changed=changed, name=name)
    )


def examples(rule: str) -> tuple[str, str]:
    """The first Passes and the first Fails block of the rule's documentation."""
    blocks: dict[str, str] = {}
    lines = (inspect.getdoc(RULES[rule]) or "").splitlines()
    for index, line in enumerate(lines):
        kind = line.split(" ", 1)[0].rstrip(":")
        if kind in ("Passes", "Fails") and line.endswith("::") and kind not in blocks:
            block = []
            for following in lines[index + 2 :]:
                if following and not following.startswith("    "):
                    break
                block.append(following)
            blocks[kind] = textwrap.dedent("\n".join(block)).strip("\n") + "\n"
    return blocks["Passes"], blocks["Fails"]
