"""Publishing the report on GitHub: the sticky comment and the check run.

Where the token may not write (a fork's read-only token answers 403) or GitHub fails after its
retries, the run says so in one line of the log and reports `True` ("degraded"): the caller
then annotates through workflow commands instead. Nothing here decides the exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tmcheck.findings import Finding
from tmcheck.github.context import ActionInputs, RunContext
from tmcheck.github.runner import ActionLog
from tmcheck.reporters.markdown import Report
from tmcheck.results import RunResult
from tmcheck.wording import plural

if TYPE_CHECKING:
    from tmcheck.github.client import GitHubClient


@dataclass
class Published:
    """What reached GitHub: `degraded` when the token could not post (said in the log)."""

    degraded: bool = False
    comment_url: str | None = None
    check_run_url: str | None = None


def publish(
    inputs: ActionInputs,
    context: RunContext,
    client: GitHubClient | None,
    result: RunResult,
    annotated: Sequence[Finding],
    report: Report,
    log: ActionLog,
    *,
    create_comment: bool = True,
) -> Published:
    """Open the check run, then comment (the check run's App tells whose comment is ours).

    Without `create_comment` an earlier comment is still updated, but none is created."""
    from tmcheck.github.client import Forbidden, Unavailable
    from tmcheck.reporters.markdown import marker

    published = Published()
    if client is None:
        if inputs.comments or inputs.check_run:
            log.say(
                "tmcheck: no token: nothing is posted to GitHub; the report is in the job summary"
            )
        published.degraded = True
        return published
    if inputs.check_run:
        try:
            published.check_run_url = client.create_check_run(
                name=inputs.check_name,
                head_sha=context.commit,
                conclusion=_conclusion(result, inputs.fail),
                title=_title(result),
                summary=report.check_run,
                annotations=[_annotation(f, log.scrub) for f in annotated],
            )
            log.say(f"tmcheck: check run {published.check_run_url}")
        except (Forbidden, Unavailable) as error:
            published.degraded = True
            log.say(
                f"tmcheck: cannot create the check run ({error}{_why_forbidden(context, error)});"
                " the annotations below carry the findings"
            )
    if inputs.comments and context.pull_number is not None:
        number = context.pull_number
        try:
            action, url = client.upsert_comment(
                number, marker(inputs.check_name), report.comment,
                mode=inputs.comment, create=create_comment,
            )  # fmt: skip
            published.comment_url = url
            if url is None:
                log.say(
                    "tmcheck: no comment: the pull request changes no threat model and has no"
                    " earlier tmcheck comment"
                )
            else:
                log.say(f"tmcheck: {action} the pull request comment {url}")
        except Forbidden as error:
            published.degraded = True
            log.say(
                f"tmcheck: cannot comment on pull request #{number}"
                f" ({error}{_why_forbidden(context, error)}); the report is in the job summary"
                " and the annotations below"
            )
        except Unavailable as error:
            published.degraded = True
            log.say(
                f"tmcheck: cannot comment on pull request #{number} ({error});"
                " the report is in the job summary"
            )
    return published


def _why_forbidden(context: RunContext, error: Exception) -> str:
    """Why a token may not write, named for the case at hand."""
    if not str(error).startswith(("403", "401")):
        return ""
    if context.from_fork:
        return ": a pull request from a fork gets a read-only token"
    if context.from_dependabot:
        return (
            ": a workflow that Dependabot triggers gets a read-only token; grant"
            " `pull-requests: write` and `checks: write` in the workflow's permissions"
        )
    return ": the token lacks `pull-requests: write` or `checks: write`"


def _conclusion(result: RunResult, fail: bool) -> str:
    if result.passed:
        return "neutral" if result.no_threat_models else "success"
    return "failure" if fail else "neutral"


def _title(result: RunResult) -> str:
    blocking = len(result.blocking_threats)
    if blocking:
        return plural(blocking, "blocking threat")
    if result.errors:
        return f"{plural(result.errors, 'error')} in the threat models"
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
