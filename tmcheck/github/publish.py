"""Publishing the report on GitHub: the sticky comment and the check run.

Where the token may not write (a fork's read-only token answers 403) or GitHub fails after its
retries, the run says so in one line of the log and reports `True` ("degraded"): the caller
then annotates through workflow commands instead. Nothing here decides the exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tmcheck.findings import Finding
from tmcheck.github.context import ActionInputs, RunContext
from tmcheck.github.runner import ActionLog
from tmcheck.results import RunResult

if TYPE_CHECKING:
    from tmcheck.github.client import GitHubClient


def publish(
    inputs: ActionInputs,
    context: RunContext,
    client: GitHubClient | None,
    result: RunResult,
    annotated: Sequence[Finding],
    report: str,
    log: ActionLog,
) -> bool:
    """Comment and open the check run; True when the token could not (reported in one line)."""
    from tmcheck.github.client import Forbidden, Unavailable
    from tmcheck.reporters.markdown import marker

    if client is None:
        if inputs.comment or inputs.check_run:
            log.say(
                "tmcheck: no token: nothing is posted to GitHub; the report is in the job summary"
            )
        return True
    degraded = False
    if inputs.comment and context.pull_number is not None:
        try:
            action, url = client.upsert_comment(
                context.pull_number, marker(inputs.check_name), report
            )
            log.say(f"tmcheck: {action} the pull request comment {url}")
        except Forbidden as error:
            degraded = True
            log.say(
                f"tmcheck: cannot comment on pull request #{context.pull_number} ({error}:"
                " a pull request from a fork gets a read-only token); the report is in the job"
                " summary and the annotations below"
            )
        except Unavailable as error:
            degraded = True
            log.say(
                f"tmcheck: cannot comment on pull request #{context.pull_number} ({error});"
                " the report is in the job summary"
            )
    if inputs.check_run:
        try:
            url = client.create_check_run(
                name=inputs.check_name,
                head_sha=context.commit,
                conclusion=_conclusion(result, inputs.fail),
                title=_title(result),
                summary=report,
                annotations=[_annotation(f, log.scrub) for f in annotated],
            )
            log.say(f"tmcheck: check run {url}")
        except (Forbidden, Unavailable) as error:
            degraded = True
            log.say(
                f"tmcheck: cannot create the check run ({error});"
                " the annotations below carry the findings"
            )
    return degraded


def _conclusion(result: RunResult, fail: bool) -> str:
    if result.passed:
        return "neutral" if result.no_threat_models else "success"
    return "failure" if fail else "neutral"


def _title(result: RunResult) -> str:
    blocking = len(result.blocking_threats)
    if blocking:
        return f"{blocking} blocking threat{'s' if blocking != 1 else ''}"
    if result.errors:
        return f"{result.errors} error{'s' if result.errors != 1 else ''} in the threat models"
    if result.no_threat_models:
        return "No threat model found"
    return "No blocking threats"


_ANNOTATION_LEVELS = {"error": "failure", "warning": "warning", "note": "notice"}


def _annotation(finding: Finding, scrub: Callable[[str], str]) -> dict[str, object]:
    return {
        "path": finding.path,
        "start_line": finding.line,
        "end_line": finding.line,
        "annotation_level": _ANNOTATION_LEVELS.get(finding.level, "warning"),
        "title": f"tmcheck {finding.rule}",
        "message": scrub(finding.message[:4000]),
    }
