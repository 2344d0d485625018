"""The exceptions tmcheck raises on purpose; `cli.main` turns them into exit codes."""

from __future__ import annotations


class TmcheckError(Exception):
    """Root of tmcheck's own errors."""

    exit_code = 2


class UsageError(TmcheckError):
    """The command line asks for something that cannot be done."""


class ConfigError(TmcheckError):
    """The configuration has an unknown key or a bad value; the message names it."""
