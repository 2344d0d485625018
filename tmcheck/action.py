"""The container entry point, `tmcheck action`: inputs -> changed files -> check -> publish.

On a pull request or a merge-queue entry it checks the threat-model files the change touched
(and, for ids they name, the files that define them), compared with its base; on other events
every configured file (a push compared with `before`). It always writes the job summary and
the step outputs; it comments and opens a check run where the token may, and where it may not
(a fork's read-only token) it says so in one line and annotates through workflow commands
instead. The exit code is decided by the threats, never by GitHub.
"""

from __future__ import annotations

import importlib.util
import io
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from tmcheck import git
from tmcheck.budget import RULE as BUDGET_RULE
from tmcheck.check import assemble, run_check
from tmcheck.config import Settings, load_settings
from tmcheck.errors import ExitCode, TmcheckError, UsageError, report_error
from tmcheck.escape import for_markdown
from tmcheck.github.base_config import config_source
from tmcheck.github.changes import (
    changed_files,
    require_head_checkout,
    selected_files,
    with_repository_paths,
)
from tmcheck.github.context import ActionInputs, RunContext
from tmcheck.github.publish import publish
from tmcheck.github.runner import (
    MAX_ANNOTATIONS,
    UNANNOTATED_RULES,
    ActionLog,
    annotated_findings,
    annotation_commands,
    append_summary,
    stop_commands,
    write_outputs,
)
from tmcheck.outputs import check_writable, write_inside
from tmcheck.reporters import text
from tmcheck.reporters.markdown import (
    CHECK_RUN_BYTES,
    COMMENT_LIMIT,
    Links,
    Report,
    fit_bytes,
    marker,
    render_report,
)
from tmcheck.reporters.sandbox import TemplateError
from tmcheck.results import RunResult

if TYPE_CHECKING:
    from tmcheck.github.client import GitHubClient

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
        return report_error(error, stderr or sys.stderr, environ)
    log = ActionLog(out, inputs.token)
    try:
        return run_action(inputs, context, environ, log)
    except TmcheckError as error:
        log.say(f"tmcheck: error: {error}")
        # the summary is Markdown: a config value may hold a link, an image or HTML
        failure = for_markdown(log.scrub(str(error)), limit=MAX_SUMMARY_ERROR_CHARS)
        append_summary(context.summary_file, f"**tmcheck could not run:** {failure}\n")
        return error.exit_code
    except (Exception, KeyboardInterrupt) as error:  # the one policy, told without the token
        told = io.StringIO()
        code = report_error(error, told, environ)
        for line in told.getvalue().splitlines():  # a traceback quotes file names: escaped
            log.say(line)
        return code


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
    notes: list[str] = []
    repository = _repository(workspace)
    if context.event_name == "pull_request_target":
        require_head_checkout(context, repository)
    client = _client(inputs, context)
    settings = _settings(inputs, context, workspace, environ, client, notes, repository)
    changed = changed_files(context, client, notes, repository)
    selected = selected_files(changed, settings, workspace) if changed is not None else []
    touched = {os.path.realpath(workspace / path) for path in changed or () if "\0" not in path}
    changed_real = frozenset(touched) if changed is not None else None
    if context.is_change and inputs.scope == "changed":
        if changed is None:
            raise TmcheckError(
                "cannot tell which files the pull request changed: no git history and no token"
            )
        if selected:
            # Compared with the base commit, what differs is what the pull request changes.
            result = run_check(
                selected, settings, workspace=workspace, explicit=False,
                base=context.base_sha, changed=changed_real, repository=repository,
            )  # fmt: skip
        else:
            notes.append("No threat-model file changed in this pull request.")
            result = assemble((), settings, changed=changed_real)
    else:
        # Every configured file: on a pull request with `scope: all` the whole picture (the
        # diagram, the heat map, old debt folded) with what it changed marked; on a push,
        # compared with `before`, so that `gate: new` judges what the push brought.
        result = run_check(
            [], settings, workspace=workspace, changed=changed_real, repository=repository,
            base=_base(context, settings, repository),
        )  # fmt: skip
    report_path = _output_path(workspace, inputs.report_file, "report-file", notes)
    sarif_path = (
        _output_path(workspace, inputs.sarif_file, "sarif-file", notes)
        if inputs.sarif_file
        else None
    )
    # what a run could not read must be seen even when the tables are cut to fit
    notes.extend(
        f"{finding.path}: {finding.message}"
        for finding in result.findings
        if finding.rule == BUDGET_RULE
    )
    annotated = annotated_findings(result.findings)
    annotatable = sum(1 for f in result.findings if f.rule not in UNANNOTATED_RULES)
    if len(annotated) < annotatable:
        notes.append(
            f"{annotatable - len(annotated)} findings beyond the first"
            f" {MAX_ANNOTATIONS} are not annotated; the tables list them."
        )
    report = _report(inputs, context, workspace, result, notes, log, repository)
    written = {}
    if report_path is not None:
        written["report"] = _write(workspace, report_path, report.comment, log)
    if sarif_path is not None:
        from tmcheck.reporters import sarif

        document = sarif.render(
            result, anchor=_sarif_anchor(settings, result, workspace),
            category=inputs.check_name,
        )  # fmt: skip
        written["sarif-file"] = _write(workspace, sarif_path, log.scrub(document), log)
    _log_findings(result, log)
    published = publish(
        inputs, context, client, result, annotated, report, log,
        create_comment=bool(selected) or not result.passed,
    )  # fmt: skip
    if published.degraded or not inputs.check_run:
        for line in annotation_commands(annotated, annotatable):
            log.line(line)
    append_summary(context.summary_file, report.comment)
    if inputs.issues == "sync":
        tracking = _sync_issues(inputs, context, client, result, settings, log)
        if tracking:
            append_summary(context.summary_file, log.scrub(tracking))
    outputs = _outputs(result)
    outputs["report"] = written.get("report", "")
    outputs["sarif-file"] = written.get("sarif-file", "")
    outputs["comment-url"] = published.comment_url or ""
    outputs["check-run-url"] = published.check_run_url or ""
    write_outputs(context.output_file, outputs)
    if result.internal_errors:
        return ExitCode.INTERNAL
    return ExitCode.FINDINGS if inputs.fail and not result.passed else ExitCode.CLEAN


def _base(
    context: RunContext, settings: Settings, repository: git.Git | git.GitError
) -> str | None:
    """The base to compare with. A push's `before` is often not in a shallow clone: without
    `gate: new`, which needs it (and says so when it is missing), it is left out quietly."""
    if context.base_sha is None or context.is_change or settings.gate == "new":
        return context.base_sha
    try:
        if isinstance(repository, git.GitError):
            return None
        repository.resolve_commit(context.base_sha)
    except git.GitError:
        return None
    return context.base_sha


def _settings(
    inputs: ActionInputs,
    context: RunContext,
    workspace: Path,
    environ: Mapping[str, str],
    client: GitHubClient | None,
    notes: list[str],
    repository: git.Git | git.GitError,
) -> Settings:
    """The settings, with the config read from the base commit on change events (unless
    `config-from: head`), and `paths` relative to the repository as documented."""
    source = config_source(inputs, context, workspace, client, repository)
    if source.note:
        notes.append(source.note)
    settings = load_settings(
        cwd=workspace,
        workspace=workspace,
        config_path=source.path,
        use_config_file=False,
        environment=environ,
        overrides={"threshold": inputs.threshold, "gate": inputs.gate},
        config_bytes=source.content,
    )
    if source.path is not None:
        # The config's directory is the root of its globs: it must be a directory of the
        # repository, not a link a pull request put in its place.
        expected = Path(os.path.realpath(workspace)) / os.path.relpath(
            source.path.parent, workspace
        )
        if Path(os.path.normpath(expected)) != settings.root:
            raise UsageError(
                f"{os.path.relpath(source.path, workspace)}: its directory is not a plain"
                " directory of the repository (a link?)"
            )
    if inputs.paths:
        settings = with_repository_paths(settings, inputs.paths, workspace)
    return settings


def _report(
    inputs: ActionInputs,
    context: RunContext,
    workspace: Path,
    result: RunResult,
    notes: list[str],
    log: ActionLog,
    repository: git.Git | git.GitError,
) -> Report:
    """The Markdown report, within GitHub's limits for the comment and for the check run, and
    starting with this step's marker whatever the template writes."""
    template = _template(inputs, context, workspace, notes, repository)
    links = Links(context.server_url, context.repository, context.commit)
    head = marker(inputs.check_name)

    def render(budget: int) -> str:
        nonlocal template
        budget -= len(head) + 1
        try:
            text = render_report(
                result, links=links, name=inputs.check_name, notes=notes, budget=budget,
                template=template, pull_request=context.pull_number,
            )  # fmt: skip
        except TemplateError as error:
            notes.append(f"The configured template failed ({error}); the default one was used.")
            template = None
            text = render_report(
                result, links=links, name=inputs.check_name, notes=notes, budget=budget,
                pull_request=context.pull_number,
            )  # fmt: skip
        text = log.scrub(text)
        return text if text.startswith(head + "\n") else f"{head}\n{text}"

    comment = render(COMMENT_LIMIT)
    return Report(comment, fit_bytes(render, comment, CHECK_RUN_BYTES))


def _output_path(workspace: Path, relative: str, name: str, notes: list[str]) -> str | None:
    """`relative` when a file may be written there, else None with a note that says why (a
    directory a pull request planted there does not stop the comment and the check run)."""
    try:
        check_writable(workspace, relative)
    except UsageError as error:
        notes.append(f"The {name} was not written: {error}.")
        return None
    return relative


def _write(workspace: Path, relative: str, text: str, log: ActionLog) -> str:
    try:
        return write_inside(workspace, relative, text).relative_to(workspace).as_posix()
    except (UsageError, OSError) as error:
        log.say(f"tmcheck: {relative} was not written: {error}")
        return ""


def _sarif_anchor(settings: Settings, result: RunResult, workspace: Path) -> str | None:
    """Where findings about the whole run point in SARIF: the config file, else (None) the
    first checked threat model."""
    if settings.config_path is not None and os.path.isfile(settings.config_path):
        return os.path.relpath(settings.config_path, workspace)
    return None


def _sync_issues(
    inputs: ActionInputs,
    context: RunContext,
    client: GitHubClient | None,
    result: RunResult,
    settings: Settings,
    log: ActionLog,
) -> str | None:
    from tmcheck.github.issues import sync_from_action

    branch = context.default_branch or context.ref.removeprefix("refs/heads/") or context.sha
    return sync_from_action(
        client,
        result,
        event_name=context.event_name,
        on_default_branch=context.on_default_branch,
        check_name=inputs.check_name,
        where=Links(context.server_url, context.repository, branch),
        owners=settings.owners,
        say=log.say,
    )


def _client(inputs: ActionInputs, context: RunContext) -> GitHubClient | None:
    if not inputs.token:
        return None
    from tmcheck.github.client import GitHubClient

    return GitHubClient(context.api_url, inputs.token, context.repository, paced=context.paced)


def _repository(workspace: Path) -> git.Git | git.GitError:
    """The workspace's repository, found once: the only one git runs on. It belongs to another
    user inside the container, so git's ownership check is lifted for it, and for it alone."""
    try:
        return git.Git.find(workspace, trusted_workspace=True)
    except git.GitError as error:
        return error


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


def _outputs(result: RunResult) -> dict[str, str]:
    open_scores = [t.score for t in result.open_threats if t.score is not None]
    return {
        "passed": "true" if result.passed else "false",
        "blocking": str(len(result.blocking_threats)),
        "open": str(len(result.open_threats)),
        "max-score": str(max(open_scores, default=0)),
        "errors": str(result.errors),
        "warnings": str(result.warnings),
    }
