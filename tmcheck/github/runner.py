"""The runner's side channels: step outputs, the job summary, and workflow commands."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

from tmcheck.escape import for_log, workflow_data, workflow_property
from tmcheck.findings import LEVEL_ORDER, Finding

STEP_SUMMARY_LIMIT = 1024 * 1024  # the runner refuses a larger summary
MAX_ANNOTATIONS = 500
# GitHub shows at most 10 error and 10 warning annotations (and 10 notices) per step from
# workflow commands; more are dropped silently.
COMMANDS_PER_LEVEL = 10
_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def write_outputs(path: Path | None, outputs: Mapping[str, str]) -> None:
    """Append `name<<DELIMITER` blocks to GITHUB_OUTPUT (values may hold anything)."""
    if path is None:
        return
    with path.open("a", encoding="utf-8") as stream:
        for name, value in outputs.items():
            delimiter = f"tmcheck_{secrets.token_hex(16)}"
            while delimiter in value:
                delimiter = f"tmcheck_{secrets.token_hex(16)}"
            stream.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def append_summary(path: Path | None, markdown: str) -> None:
    if path is None:
        return
    if len(markdown.encode("utf-8")) > STEP_SUMMARY_LIMIT:
        cut = markdown.encode("utf-8")[: STEP_SUMMARY_LIMIT - 64].decode("utf-8", "ignore")
        markdown = cut.rsplit("\n", 1)[0] + "\n\n(summary cut to fit the runner's limit)\n"
    with path.open("a", encoding="utf-8") as stream:
        stream.write(markdown)


def annotated_findings(findings: Sequence[Finding]) -> list[Finding]:
    """The findings that get an annotation (check run or workflow command): errors first, at
    most MAX_ANNOTATIONS (each 50 more are one more request; no reviewer reads thousands)."""
    ordered = sorted(findings, key=lambda finding: LEVEL_ORDER.get(finding.level, 9))
    return ordered[:MAX_ANNOTATIONS]


def annotation_commands(findings: Sequence[Finding], total: int | None = None) -> Iterator[str]:
    """`::error file=...,line=...,col=...,title=...::message` for the most severe findings,
    escaped: at most what GitHub shows per step, then one line saying how many more there are
    (of `total`, when more findings exist than those given) and where they are."""
    shown: dict[str, int] = {}
    for finding in sorted(findings, key=lambda item: LEVEL_ORDER.get(item.level, 9)):
        command = _COMMANDS.get(finding.level, "warning")
        if shown.get(command, 0) >= COMMANDS_PER_LEVEL:
            continue
        shown[command] = shown.get(command, 0) + 1
        properties = ",".join(
            f"{key}={workflow_property(value)}"
            for key, value in (
                ("file", finding.path),
                ("line", str(finding.line)),
                ("col", str(finding.column)),
                ("title", f"tmcheck {finding.rule}"),
            )
        )
        yield f"::{command} {properties}::{workflow_data(finding.message)}"
    more = (len(findings) if total is None else total) - sum(shown.values())
    if more > 0:
        yield (
            f"tmcheck: {more} more findings are not annotated here (GitHub shows"
            f" {COMMANDS_PER_LEVEL} errors and {COMMANDS_PER_LEVEL} warnings per step);"
            " the job summary lists them"
        )


def stop_commands() -> tuple[str, str]:
    """A pair of lines between which the runner ignores workflow commands in the log."""
    token = secrets.token_hex(16)
    return f"::stop-commands::{token}", f"::{token}::"


class ActionLog:
    """Lines for the job log: escaped, and never showing the token."""

    def __init__(self, stream: IO[str], secret: str) -> None:
        self._stream = stream
        self._secret = secret

    def scrub(self, text: str) -> str:
        """`text` without the token: for every sink, not only the log (an API error message
        or a git message could echo it)."""
        return text.replace(self._secret, "***") if self._secret else text

    def line(self, message: str) -> None:
        self._stream.write(self.scrub(message) + "\n")

    def say(self, message: str) -> None:
        self.line(for_log(message))
