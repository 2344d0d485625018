"""The container entry point, `tmcheck action`: inputs -> changed files -> check -> publish.

On a pull request it checks the threat-model files the pull request changed (and, for ids they
name, the files that define them); on other events every configured file. It always writes the
job summary and the step outputs; it comments and opens a check run where the token may, and
where it may not (a fork's read-only token) it says so in one line and annotates through
workflow commands instead. The exit code is decided by the threats, never by GitHub.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from tmcheck import git
from tmcheck.check import assemble, run_check
from tmcheck.config import Settings, load_settings
from tmcheck.errors import TmcheckError, UsageError
from tmcheck.escape import for_log, for_markdown
from tmcheck.github.context import ActionInputs, RunContext
from tmcheck.github.publish import publish
from tmcheck.github.runner import (
    MAX_ANNOTATIONS,
    ActionLog,
    annotated_findings,
    annotation_commands,
    append_summary,
    stop_commands,
    write_outputs,
)
from tmcheck.globs import GlobSet
from tmcheck.outputs import write_inside
from tmcheck.reporters import text
from tmcheck.reporters.markdown import SUMMARY_LIMIT, Links, render_report
from tmcheck.reporters.sandbox import TemplateError
from tmcheck.results import RunResult

if TYPE_CHECKING:
    from tmcheck.github.client import GitHubClient

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
MAX_TEMPLATE_BYTES = 256 * 1024
MAX_SUMMARY_ERROR_CHARS = 4000


def main(
    environ: Mapping[str, str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    environ = os.environ if environ is None else environ
    out = stdout or sys.stdout
    try:
        _require_pygithub()
        inputs = ActionInputs.from_environ(environ)
        context = RunContext.from_environ(environ)
    except TmcheckError as error:
        (stderr or sys.stderr).write(f"tmcheck: error: {for_log(str(error))}\n")
        return error.exit_code
    log = ActionLog(out, inputs.token)
    try:
        return run_action(inputs, context, environ, log)
    except TmcheckError as error:
        log.say(f"tmcheck: error: {error}")
        # the summary is Markdown: a config value may hold a link, an image or HTML
        failure = for_markdown(log.scrub(str(error)), limit=MAX_SUMMARY_ERROR_CHARS)
        append_summary(context.summary_file, f"**tmcheck could not run:** {failure}\n")
        return error.exit_code


def _require_pygithub() -> None:
    # PyGithub is an extra: the check path (CLI, pre-commit hook) installs without it.
    if importlib.util.find_spec("github") is None:
        raise UsageError(
            "`tmcheck action` needs PyGithub, which tmcheck installs only with its extra:"
            " pip install 'tmcheck[github]'"
        )


def run_action(
    inputs: ActionInputs, context: RunContext, environ: Mapping[str, str], log: ActionLog
) -> int:
    workspace = context.workspace.absolute()
    os.chdir(workspace)  # file names in reports are relative to the repository
    settings = load_settings(
        cwd=workspace,
        workspace=workspace,
        config_path=Path(inputs.config) if inputs.config else None,
        environment=environ,
        overrides={
            "threshold": inputs.threshold,
            "gate": inputs.gate,
            "include": list(inputs.paths) if inputs.paths else None,
        },
    )
    notes: list[str] = []
    client = _client(inputs, context)
    repository = _repository(workspace)
    if context.is_pull_request and inputs.scope == "all":
        # Every configured file, compared with the base: the whole picture (the diagram, the
        # heat map, old debt folded), with what the pull request changed marked.
        result = run_check(
            [], settings, workspace=workspace, base=context.base_sha, repository=repository
        )
    elif context.is_pull_request:
        paths = _changed_threat_models(context, settings, client, notes, repository)
        if paths:
            # The checkout is the merge of the pull request into its base: compared with the
            # base commit, what differs is what the pull request changes.
            result = run_check(
                paths, settings, workspace=workspace, explicit=False, base=context.base_sha,
                repository=repository,
            )  # fmt: skip
        else:
            notes.append("No threat-model file changed in this pull request.")
            result = assemble((), settings)
    else:
        result = run_check([], settings, workspace=workspace)
    annotated = annotated_findings(result.findings)
    if len(annotated) < len(result.findings):
        notes.append(
            f"{len(result.findings) - len(annotated)} findings beyond the first"
            f" {MAX_ANNOTATIONS} are not annotated; the tables list them."
        )
    template = _template(inputs, context, workspace, notes, repository)
    links = Links(context.server_url, context.repository, context.commit)

    # One report for the comment, the check run and the summary: the check run's limit is the
    # smaller, so it fits all three.
    try:
        markdown = render_report(
            result, links=links, name=inputs.check_name, notes=notes, budget=SUMMARY_LIMIT,
            template=template, pull_request=context.pull_number,
        )  # fmt: skip
    except TemplateError as error:
        notes.append(f"The configured template failed ({error}); the default one was used.")
        markdown = render_report(
            result, links=links, name=inputs.check_name, notes=notes, budget=SUMMARY_LIMIT,
            pull_request=context.pull_number,
        )  # fmt: skip
    markdown = log.scrub(markdown)
    report_path = write_inside(workspace, inputs.report_file, markdown)
    if inputs.sarif_file:
        from tmcheck.reporters import sarif

        write_inside(workspace, inputs.sarif_file, log.scrub(sarif.render(result)))
    _log_findings(result, log)
    degraded = publish(inputs, context, client, result, annotated, markdown, log)
    if degraded or not inputs.check_run:
        for command in annotation_commands(annotated):
            log.line(command)
    append_summary(context.summary_file, markdown)
    write_outputs(context.output_file, _outputs(result, report_path.relative_to(workspace)))
    if result.internal_errors:
        return EXIT_INTERNAL
    return EXIT_FINDINGS if inputs.fail and not result.passed else EXIT_CLEAN


def _client(inputs: ActionInputs, context: RunContext) -> GitHubClient | None:
    if not inputs.token:
        return None
    from tmcheck.github.client import GitHubClient

    return GitHubClient(context.api_url, inputs.token, context.repository)


def _repository(workspace: Path) -> git.Git | git.GitError:
    """The workspace's repository, found once: the only one git runs on. It belongs to another
    user inside the container, so git's ownership check is lifted for it, and for it alone."""
    try:
        return git.Git.find(workspace, trusted_workspace=True)
    except git.GitError as error:
        return error


def _changed_threat_models(
    context: RunContext,
    settings: Settings,
    client: GitHubClient | None,
    notes: list[str],
    repository: git.Git | git.GitError,
) -> list[str]:
    """The files the pull request changed that the include/exclude globs select."""
    from tmcheck.github.client import Unavailable

    changed: Sequence[str] | None = None
    if context.base_sha and context.head_sha and isinstance(repository, git.Git):
        try:
            changes = repository.changes(context.base_sha, context.head_sha, since_fork=True)
            changed = [
                os.path.relpath(repository.top / change.path, context.workspace)
                for change in changes
                if change.status != "D"
            ]
        except git.GitError:
            changed = None  # the commits are not in the clone: ask the API instead
    if changed is None and client is not None and context.pull_number is not None:
        try:
            listed = client.pull_files(context.pull_number)
        except Unavailable as error:
            raise TmcheckError(f"cannot list the pull request's files: {error}") from None
        changed = listed.paths
        if listed.total > len(listed.paths):
            notes.append(
                f"GitHub lists at most 3,000 files of a pull request:"
                f" {listed.total - len(listed.paths)} changed files were not seen."
                " Check out both commits (fetch-depth: 0) to see them all."
            )
    if changed is None:
        raise TmcheckError(
            "cannot tell which files the pull request changed: no git history and no token"
        )
    included, excluded = GlobSet(settings.include), GlobSet(settings.exclude)
    return sorted(
        path
        for path in changed
        if included.matches(path) and not excluded.matches(path) and os.path.lexists(path)
    )


def _template(
    inputs: ActionInputs,
    context: RunContext,
    workspace: Path,
    notes: list[str],
    repository: git.Git | git.GitError,
) -> str | None:
    """A configured template, read from the base commit on pull requests: a pull request may
    not choose the template that renders its own report."""
    if not inputs.template:
        return None
    revision = context.base_sha if context.is_pull_request else context.sha
    try:
        if isinstance(repository, git.GitError):
            raise repository
        relative = os.path.relpath(workspace / inputs.template, repository.top)
        raw = repository.read_at(revision or "HEAD", relative, MAX_TEMPLATE_BYTES)
    except git.GitError as error:
        notes.append(
            f"The template could not be read from commit {str(revision)[:12]} ({error});"
            " the default one was used."
        )
        return None
    if raw is None:
        notes.append(
            f"The template {inputs.template} does not exist at commit {str(revision)[:12]};"
            " the default one was used."
        )
        return None
    return raw.decode("utf-8", "replace")


def _log_findings(result: RunResult, log: ActionLog) -> None:
    # File names and content are someone else's: no workflow command may run from them.
    begin, end = stop_commands()
    log.line(begin)
    log.line(text.render(result).rstrip("\n"))
    log.line(end)


def _outputs(result: RunResult, report: Path) -> dict[str, str]:
    open_scores = [t.score for t in result.open_threats if t.score is not None]
    return {
        "passed": "true" if result.passed else "false",
        "blocking": str(len(result.blocking_threats)),
        "open": str(len(result.open_threats)),
        "max-score": str(max(open_scores, default=0)),
        "errors": str(result.errors),
        "report": report.as_posix(),
    }
