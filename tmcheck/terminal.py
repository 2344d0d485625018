"""Where the output goes: whether to colour it, and a reader that stopped reading."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import IO


def use_color(choice: str, environ: Mapping[str, str], stream: IO[str]) -> bool:
    """--color always|never decides; with auto, NO_COLOR turns colour off, FORCE_COLOR on (see
    no-color.org and force-color.org), and otherwise only a terminal gets it."""
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False


def silence_closed_pipe(stream: IO[str]) -> None:
    """After `| head` closed the pipe: point the stream at /dev/null, so that what is still
    buffered goes nowhere quietly instead of failing again when the interpreter exits."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):  # not backed by a descriptor (a StringIO)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)
