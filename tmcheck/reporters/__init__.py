"""Reporters by name: each renders a RunResult as text for one audience."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import IO

from tmcheck.reporters import json_report, text
from tmcheck.results import RunResult


def _markdown(result: RunResult) -> str:
    from tmcheck.reporters import markdown  # Jinja2 only when asked for

    return markdown.render(result)


def _sarif(result: RunResult) -> str:
    from tmcheck.reporters import sarif  # its imports (inspect, hashlib) cost every run ~10 ms

    return sarif.render(result)


REPORTERS: Mapping[str, Callable[[RunResult], str]] = {
    "text": text.render,
    "json": json_report.render,
    "markdown": _markdown,
    "sarif": _sarif,
}


def write_report(name: str, result: RunResult, stream: IO[str]) -> None:
    """Write report `name` to `stream`; the JSON report as it is encoded, item by item."""
    if name == "json":
        json_report.write(result, stream)
    else:
        stream.write(REPORTERS[name](result))
