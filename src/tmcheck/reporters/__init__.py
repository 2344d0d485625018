"""Reporters by name: each renders a RunResult as text for one audience."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tmcheck.findings import RunResult
from tmcheck.reporters import json_report, sarif, text


def _markdown(result: RunResult) -> str:
    from tmcheck.reporters import markdown  # Jinja2 only when asked for

    return markdown.render(result)


REPORTERS: Mapping[str, Callable[[RunResult], str]] = {
    "text": text.render,
    "json": json_report.render,
    "markdown": _markdown,
    "sarif": sarif.render,
}
