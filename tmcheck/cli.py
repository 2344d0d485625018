"""The command line: `main(argv) -> int`, the only place that turns errors into exit codes.

Exit codes (`errors.ExitCode`): 0 nothing at error level; 1 error-level findings; 2 usage or
configuration error; 3 internal error (a bug); 130 interrupted. A reader that closes the pipe
early (`| head`) is no error: nothing more is written and the exit code still tells the result.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from tmcheck.arguments import build_parser
from tmcheck.errors import ExitCode, UsageError, report_error
from tmcheck.terminal import silence_closed_pipe

if TYPE_CHECKING:
    from tmcheck.config import Settings
    from tmcheck.git import Git, GitError


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdin: IO[str] | None = None,
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    environment = os.environ if environ is None else environ
    argv = sys.argv[1:] if argv is None else argv
    try:
        if not argv:  # `tmcheck` alone: what it can do, not a usage error
            out.write(build_parser().format_help())
            return ExitCode.CLEAN
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            arguments = build_parser().parse_args(argv)  # --help and --version print
        return _run(arguments, _Streams(out, err, stdin or sys.stdin), environment, cwd)
    except SystemExit as exit_request:  # --help and --version
        return exit_request.code if isinstance(exit_request.code, int) else ExitCode.CLEAN
    except BrokenPipeError:  # the reader is gone (`tmcheck rules | head -1`): nothing to say
        silence_closed_pipe(out)
        return ExitCode.CLEAN
    except (Exception, KeyboardInterrupt) as error:  # the one policy: errors.report_error
        return report_error(error, err, environment)


@dataclass(frozen=True)
class _Streams:
    out: IO[str]
    err: IO[str]
    stdin: IO[str]


def _run(
    arguments: argparse.Namespace,
    streams: _Streams,
    environ: Mapping[str, str],
    cwd: Path | None,
) -> int:
    if arguments.command == "action":
        from tmcheck.action import main as action_main

        return action_main(environ, streams.out, streams.err)
    if arguments.command == "rules":
        streams.out.write(_describe_rules(arguments.rule))
        return ExitCode.CLEAN
    if arguments.command == "schema":
        from tmcheck.schema_export import schema_json, schema_list

        streams.out.write(schema_list() if arguments.name is None else schema_json(arguments.name))
        return ExitCode.CLEAN

    from tmcheck.config import load_settings

    config = getattr(arguments, "config", None)
    if config is not None and not os.path.lexists(config):
        raise UsageError(f"--config {config}: no such file")
    here = cwd or Path.cwd()
    settings = load_settings(
        cwd=here,
        config_path=config,
        use_config_file=not getattr(arguments, "no_config", False),
        environment=environ,
        overrides={
            "threshold": getattr(arguments, "threshold", None),
            "level_model": getattr(arguments, "level_model", None),
            "gate": getattr(arguments, "gate", None),
        },
    )
    if arguments.command == "scaffold":
        from tmcheck.scaffold import run_scaffold

        return run_scaffold(
            arguments.architecture, settings, streams.out,
            out_dir=arguments.out, register=arguments.register, force=arguments.force,
        )  # fmt: skip
    return _check(arguments, settings, streams, here, environ)


def _check(
    arguments: argparse.Namespace,
    settings: Settings,
    streams: _Streams,
    cwd: Path,
    environ: Mapping[str, str],
) -> int:
    import dataclasses

    from tmcheck.check import run_check
    from tmcheck.reporters import write_report
    from tmcheck.reporters.text import render as render_text
    from tmcheck.terminal import use_color

    repository = _repository(cwd) if arguments.base is not None else None
    if arguments.base is not None:
        _require_base(arguments.base, repository)
    changed = _changed_paths(arguments, cwd, streams.stdin, repository)
    result = run_check(
        arguments.paths, settings, base=arguments.base, changed=changed, repository=repository
    )
    if arguments.no_warnings:  # errors only, as yamllint's --no-warnings
        kept = tuple(finding for finding in result.findings if finding.level == "error")
        result = dataclasses.replace(result, findings=kept)
    try:
        if arguments.format == "text":
            color = use_color(arguments.color, environ, streams.out)
            streams.out.write(
                render_text(result, coverage=arguments.coverage, quiet=arguments.quiet, color=color)
            )
        else:
            write_report(arguments.format, result, streams.out)
        streams.out.flush()
    except BrokenPipeError:  # `| head`: the reader has what it wanted; the code still tells
        silence_closed_pipe(streams.out)
    if arguments.verbose:
        from tmcheck.reporters.text import skipped_lines

        streams.err.writelines(line + "\n" for line in skipped_lines(result))
    if result.internal_errors:
        streams.err.write(
            f"tmcheck: {result.internal_errors} internal error(s); see the findings above\n"
        )
        return ExitCode.INTERNAL
    return ExitCode.CLEAN if result.passed else ExitCode.FINDINGS


def _repository(cwd: Path) -> Git | GitError:
    """The git repository of the current directory, found once, never the config's; or why
    there is none. git's refusal of another user's repository ends the run (GitRefused, exit 2):
    its ownership check is the user's to lift, not tmcheck's."""
    from tmcheck.git import Git, GitError, GitRefused

    try:
        return Git.find(cwd)
    except GitRefused:
        raise
    except GitError as error:
        return error


def _require_base(base: str, repository: Git | GitError | None) -> None:
    """A --base that git cannot resolve is a usage error on the command line, with git's reason
    (the action only warns: shallow clones are common there)."""
    from tmcheck.git import GitError

    if repository is None or isinstance(repository, GitError):
        raise UsageError(f"--base {base}: {repository}")
    try:
        repository.resolve_commit(base)
        return
    except GitError:
        pass
    if base.startswith("-"):
        raise UsageError(f"--base {base}: not a revision")
    try:  # without --quiet, for git's own words ("bad revision 'nope'")
        repository.run("rev-parse", base, "--")
    except GitError as error:
        raise UsageError(f"--base {base}: {error}") from None
    raise UsageError(f"--base {base}: not a commit")


def _changed_paths(
    arguments: argparse.Namespace, cwd: Path, stdin: IO[str], repository: Git | GitError | None
) -> frozenset[str] | None:
    """The files a change touched, from --changed-files and --base (both: all of them)."""
    if arguments.changed_files is None and arguments.base is None:
        return None
    from tmcheck.changed import changed_since, read_changed_list

    changed: frozenset[str] = frozenset()
    if arguments.changed_files is not None:
        changed |= read_changed_list(arguments.changed_files, cwd, stdin)
    if arguments.base is not None and repository is not None:
        changed |= changed_since(arguments.base, repository)
    return changed


def _describe_rules(rule: str | None) -> str:
    import inspect

    from tmcheck.file_checks import FILE_CHECKS
    from tmcheck.rules import RULES
    from tmcheck.suggest import did_you_mean

    if rule is None:
        lines = []
        for rule_id, module in RULES.items():
            summary = (inspect.getdoc(module) or "").splitlines()[0].split(": ", 1)[-1]
            lines.append(f"{rule_id:24} {module.LEVEL:8} {summary}")
        for check_id, check in FILE_CHECKS.items():
            lines.append(f"{check_id:24} {check.level:8} {check.description}")
        return "\n".join(lines) + "\n"
    if rule in RULES:
        return (inspect.getdoc(RULES[rule]) or rule) + "\n"
    if rule in FILE_CHECKS:
        check = FILE_CHECKS[rule]
        return f"{rule} ({check.level}): {check.description}\n"
    hint = did_you_mean(rule, [*RULES, *FILE_CHECKS]) or "; `tmcheck rules` lists them"
    raise UsageError(f"unknown rule {rule!r}{hint}")
