"""The command line's grammar: commands, options, help with exit codes and examples, and
errors that suggest what was meant (`--formt` -> `--format`, `chek` -> `check`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from tmcheck.errors import UsageError
from tmcheck.suggest import closest

EXIT_CODES = """\
exit codes:
  0    nothing at error level (warnings and notes never fail a run)
  1    error-level findings: blocking threats, invalid files, unresolved ids
  2    usage or configuration error (the message names the option or key)
  3    internal error: a bug, please report it
  130  interrupted"""

TOP_EPILOG = f"""\
{EXIT_CODES}

examples:
  tmcheck check                          the files the config's include globs select
  tmcheck check docs/threat-model/       every threat model under a directory
  tmcheck check --base origin/main --gate new
                                         block only what this branch introduced
  tmcheck check --format json | jq .summary
  tmcheck rules blocking-threat          what a rule checks, and how to satisfy it
  tmcheck schema stride-worksheet > stride-worksheet.schema.json

`tmcheck COMMAND --help` shows a command's options."""

CHECK_EPILOG = f"""\
{EXIT_CODES}

examples:
  tmcheck check docs/threat-model/ architecture.yaml
  tmcheck check --threshold 15 --no-warnings
  tmcheck check --base main --gate new   what this branch changed, and only that blocks
  git diff --name-only main | tmcheck check --changed-files -
  tmcheck check --format sarif > tmcheck.sarif

colour: on for a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 on (NO_COLOR wins);
--color always|never overrides both."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so `main` decides the exit code, and that
    suggests the closest option, command or choice for a misspelled one."""

    commands: dict[str, argparse.ArgumentParser]

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = getattr(self, "commands", {}).get(getattr(parsed, "command", None) or "")
            parser = command or self
            options = [*self._option_string_actions, *parser._option_string_actions]
            message = f"unrecognized arguments: {' '.join(extras)}"
            first = extras[0]
            match = closest(first.partition("=")[0], options) if first.startswith("-") else None
            if match is not None:
                message += f"; did you mean {match}?"
            parser.error(message)
        return parsed

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is None or value in action.choices:
            return
        names = [str(choice) for choice in action.choices]
        match = closest(str(value), names)
        hint = f"; did you mean {match!r}?" if match is not None else ""
        raise argparse.ArgumentError(
            action, f"invalid choice: {value!r} (choose from {', '.join(names)}){hint}"
        )


class _Version(argparse.Action):
    """--version, written to the stream `main` was given."""

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

    parser = _Parser(
        prog="tmcheck",
        description="Check threat models: validate them against their schemas, score their"
        " risks, and block open threats at or above the threshold.",
        epilog=TOP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=_Parser
    )
    parser.commands = {}

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs
        )
        parser.commands[name] = sub
        return sub

    check = command(
        "check",
        help="check threat-model files",
        description="Validate, score and gate threat models. Files named together are checked"
        " together: ids defined in one resolve references in another.",
        epilog=CHECK_EPILOG,
    )
    _check_arguments(check, list(REPORTERS))

    scaffold = command(
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

    command(
        "action",
        help="run as the GitHub Action (reads INPUT_* and GITHUB_* variables)",
        description="The container entry point: check what the pull request changed, comment,"
        " open a check run, write the job summary and the step outputs. Needs the github"
        " extra: pip install 'tmcheck[github]'.",
    )

    rules = command("rules", help="list the rules, or show one rule's documentation")
    rules.add_argument("rule", nargs="?", help="a rule id")

    schema = command(
        "schema",
        help="print a format's JSON Schema, standalone, for editors and other validators",
        description="Print the JSON Schema (Draft 2020-12) of one of tmcheck's formats with"
        " every reference inlined, for yaml-language-server, VS Code or check-jsonschema;"
        " without NAME, list the names.",
    )
    schema.add_argument("name", nargs="?", metavar="NAME", help="a format, or config")
    return parser


def _check_arguments(check: argparse.ArgumentParser, formats: list[str]) -> None:
    check.add_argument(
        "paths", nargs="*", help="files and directories (default: the config's root)"
    )
    check.add_argument(
        "--format", choices=formats, default="text", help="output format (default: text)"
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
        "--changed-files",
        metavar="FILE",
        help="the files a change touched, one per line or NUL-separated ('-': standard input);"
        " an architecture among them whose threat model did not change is reported",
    )
    check.add_argument(
        "--no-warnings",
        action="store_true",
        help="report errors only: leave out warnings and notes (the exit code is the same)",
    )
    check.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every walked file that was skipped (no threat model), with the reason, on"
        " standard error",
    )
    check.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="text output: the findings only, no summary",
    )
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output: auto (a terminal, unless NO_COLOR is set), always, never",
    )
