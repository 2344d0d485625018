"""The command line: `main(argv) -> int`, the only place that turns errors into exit codes.

Exit codes (`errors.ExitCode`): 0 nothing at error level; 1 error-level findings; 2 usage or
configuration error; 3 internal error (a bug); 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, NoReturn

from tmcheck.errors import ExitCode, UsageError, report_error

if TYPE_CHECKING:
    from tmcheck.config import Settings
    from tmcheck.git import Git, GitError


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so `main` decides the exit code."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


class _Version(argparse.Action):
    """--version, reading the version only when asked (see tmcheck.__init__)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **_: object) -> None:
        super().__init__(
            option_strings,
            argparse.SUPPRESS,
            nargs=0,
            help="show program's version number and exit",
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> NoReturn:
        from tmcheck import __version__

        sys.stdout.write(f"tmcheck {__version__}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    from tmcheck.reporters import REPORTERS

    parser = _Parser(prog="tmcheck", description="Check threat models: schemas, risk, the gate.")
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = commands.add_parser(
        "check",
        help="check threat-model files",
        description="Validate, score and gate threat models. Files named together are checked"
        " together: ids defined in one resolve references in another.",
    )
    check.add_argument(
        "paths", nargs="*", help="files and directories (default: the config's root)"
    )
    check.add_argument(
        "--format", choices=list(REPORTERS), default="text", help="output format (default: text)"
    )
    check.add_argument(
        "--base",
        metavar="REF",
        help="git revision (branch, tag, commit) to compare with: report the threats that are"
        " new, raised, reopened, resolved, ... since then, and architecture files changed since"
        " then whose threat model did not change",
    )
    check.add_argument(
        "--gate",
        choices=("all", "new"),
        help="which open threats at the threshold block: all, or only those new, raised or"
        " reopened since --base (default: all)",
    )
    check.add_argument("--config", type=Path, help="config file (default: nearest .tmcheck.yaml)")
    check.add_argument("--no-config", action="store_true", help="ignore .tmcheck.yaml files")
    check.add_argument("--threshold", type=int, help="score at which an open threat blocks (1-25)")
    check.add_argument(
        "--level-model", choices=("bands", "matrix"), help="how scores map to levels"
    )
    check.add_argument(
        "--coverage",
        action="store_true",
        help="text output: also show the STRIDE coverage of every architecture element",
    )
    check.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every walked file that was skipped (no threat model), with the reason, on"
        " standard error",
    )
    check.add_argument(
        "--changed-files",
        metavar="FILE",
        help="the files a change touched, one per line or NUL-separated ('-': standard input);"
        " an architecture among them whose threat model did not change is reported",
    )

    scaffold = commands.add_parser(
        "scaffold",
        help="write STRIDE worksheets for an architecture, to fill in",
        description="Write one STRIDE worksheet per element of an architecture file or Threat"
        " Dragon diagram (or one threat register), with an open threat for every STRIDE"
        " category that applies to the element.",
    )
    scaffold.add_argument("architecture", help="an architecture file or Threat Dragon diagram")
    scaffold.add_argument(
        "--out", type=Path, help="directory to write to (default: the architecture's directory)"
    )
    scaffold.add_argument(
        "--register", action="store_true", help="write one threat register instead"
    )
    scaffold.add_argument("--force", action="store_true", help="overwrite existing files")

    commands.add_parser(
        "action",
        help="run as the GitHub Action (reads INPUT_* and GITHUB_* variables)",
        description="The container entry point: check what the pull request changed, comment,"
        " open a check run, write the job summary and the step outputs.",
    )

    rules = commands.add_parser("rules", help="list the rules, or show one rule's documentation")
    rules.add_argument("rule", nargs="?", help="a rule id")

    schema = commands.add_parser(
        "schema",
        help="print a format's JSON Schema, standalone, for editors and other validators",
        description="Print the JSON Schema (Draft 2020-12) of one of tmcheck's formats with"
        " every reference inlined, for yaml-language-server, VS Code or check-jsonschema;"
        " without NAME, list the names.",
    )
    schema.add_argument("name", nargs="?", metavar="NAME", help="a format, or config")
    return parser


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
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            arguments = build_parser().parse_args(argv)  # --help and --version print
        return _run(arguments, _Streams(out, err, stdin or sys.stdin), environment, cwd)
    except SystemExit as exit_request:  # --help and --version
        return exit_request.code if isinstance(exit_request.code, int) else ExitCode.CLEAN
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
    return _check(arguments, settings, streams, here)


def _check(arguments: argparse.Namespace, settings: Settings, streams: _Streams, cwd: Path) -> int:
    from tmcheck.check import run_check
    from tmcheck.reporters import write_report
    from tmcheck.reporters.text import render as render_text

    repository = _repository(cwd) if arguments.base is not None else None
    changed = _changed_paths(arguments, cwd, streams.stdin, repository)
    result = run_check(
        arguments.paths, settings, base=arguments.base, changed=changed, repository=repository
    )
    if arguments.coverage and arguments.format == "text":
        streams.out.write(render_text(result, coverage=True))
    else:
        write_report(arguments.format, result, streams.out)
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

    if rule is None:
        lines = []
        for rule_id, module in RULES.items():
            summary = (inspect.getdoc(module) or "").splitlines()[0].split(": ", 1)[-1]
            lines.append(f"{rule_id:24} {module.LEVEL:8} {summary}")
        for check_id, (level, text) in FILE_CHECKS.items():
            lines.append(f"{check_id:24} {level:8} {text}")
        return "\n".join(lines) + "\n"
    if rule in RULES:
        return (inspect.getdoc(RULES[rule]) or rule) + "\n"
    if rule in FILE_CHECKS:
        level, text = FILE_CHECKS[rule]
        return f"{rule} ({level}): {text}\n"
    raise UsageError(f"unknown rule {rule!r}; `tmcheck rules` lists them")
