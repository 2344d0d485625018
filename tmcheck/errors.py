"""The error and exit policy: the exceptions tmcheck raises on purpose, the exit codes, and the
one way an error is told to the user (`cli.main` and `action.main` both use `report_error`)."""

from __future__ import annotations

import enum
import os
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import IO

REPORT_URL = "https://github.com/tmcheck/tmcheck/issues"
DEBUG_VARIABLE = "TMCHECK_DEBUG"  # "1": an internal error also prints its traceback
_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


class ExitCode(enum.IntEnum):
    CLEAN = 0  # nothing at error level
    FINDINGS = 1  # error-level findings
    USAGE = 2  # usage or configuration error
    INTERNAL = 3  # a bug in tmcheck
    INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT


class TmcheckError(Exception):
    """Root of tmcheck's own errors."""

    exit_code = ExitCode.USAGE

    def problems(self) -> list[str]:
        """What to tell, one message a line (a message's own line breaks are escaped)."""
        return [str(self)]


class UsageError(TmcheckError):
    """The command line asks for something that cannot be done."""


class ConfigError(TmcheckError):
    """The configuration has unknown keys or bad values; the message names each, one a line."""

    def problems(self) -> list[str]:
        return str(self).split("\n")


def describe_bug(error: BaseException, what: str) -> str:
    """`what` failed, with the exception's type and the last frame of tmcheck's own code (never
    the exception's text: it may quote the file), and where to report it."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if frame.filename.startswith(_PACKAGE)] or frames
    where = f" at {Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else ""
    return (
        f"{what} ({type(error).__name__}{where}); this is a bug, please report it at {REPORT_URL}"
    )


def debugging(environ: Mapping[str, str]) -> bool:
    return environ.get(DEBUG_VARIABLE, "") == "1"


def write_traceback(error: BaseException, stream: IO[str]) -> None:
    stream.write("".join(traceback.format_exception(error)))


def report_error(error: BaseException, stream: IO[str], environ: Mapping[str, str]) -> ExitCode:
    """Tell the user about an error that ends the run, and return its exit code."""
    from tmcheck.escape import for_log

    if isinstance(error, TmcheckError):
        for problem in error.problems():
            stream.write(f"tmcheck: error: {for_log(problem)}\n")
        return ExitCode(error.exit_code)
    if isinstance(error, KeyboardInterrupt):
        stream.write("tmcheck: interrupted\n")
        return ExitCode.INTERRUPTED
    if debugging(environ):
        write_traceback(error, stream)
    stream.write(f"tmcheck: {describe_bug(error, 'internal error')}\n")
    return ExitCode.INTERNAL
