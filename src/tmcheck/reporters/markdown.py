"""`markdown`: the report a reviewer reads, rendered from a Jinja2 template in a sandbox.

The same Markdown is the PR comment, the check-run summary and the job summary. Templates are
the package's own or one the repository configures; file content is only ever data in them:
every value printed with `{{ }}` goes through the Markdown escaper unless the code built it as
safe Markdown (links and code spans), and the output is cut by a budget, never mid-table.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any
from urllib.parse import quote

from tmcheck.escape import for_markdown
from tmcheck.findings import RunResult
from tmcheck.reporters.report_context import SACRIFICES, limited, report_context

MARKER_PREFIX = "<!-- tmcheck:report"
# GitHub's limit for an issue comment; the check-run summary allows one character less.
COMMENT_LIMIT = 65_536
SUMMARY_LIMIT = 65_535
RENDER_SECONDS = 5.0


class TemplateError(Exception):
    """A configured template that does not compile, fails, or takes too long."""


@dataclass(frozen=True, slots=True)
class Links:
    """Where `path:line` links point: the file at the line in one commit of a repository."""

    server_url: str = "https://github.com"
    repository: str | None = None  # owner/name; None renders plain `path:line`
    commit: str | None = None

    def to(self, path: str, line: int) -> str:
        where = for_markdown(f"{path}:{line}")
        if not self.repository or not self.commit:
            return where
        url = f"{self.server_url}/{self.repository}/blob/{self.commit}/{quote(path)}#L{line}"
        return f"[{where}]({url})"


def marker(name: str = "tmcheck") -> str:
    """The hidden line that finds the comment again; file content can never produce it."""
    safe = "".join(char for char in name if char.isalnum() or char in "._-")[:60]
    return f"{MARKER_PREFIX} {safe} -->"


def render(result: RunResult) -> str:
    """`--format markdown` on the command line: links are plain `path:line`."""
    return render_report(result)


def render_report(
    result: RunResult,
    *,
    links: Links | None = None,
    name: str = "tmcheck",
    notes: Sequence[str] = (),
    budget: int = COMMENT_LIMIT,
    template: str | None = None,
    pull_request: int | None = None,
) -> str:
    """The report, as long as it fits in `budget` characters.

    The first of `SACRIFICES` that fits is rendered: each step shows less than the one before,
    and each cut section says how many rows it left out. When the whole report does not fit,
    the step is found by bisection (a few renderings, not one per step). Only when even the
    last step does not fit is the text cut, at a line, with a note.
    """
    compiled = _compile(template)
    context = report_context(result, links or Links(), marker(name), notes, pull_request)

    def attempt(step: int) -> str:
        return _generate(compiled, limited(context, SACRIFICES[step]), budget)

    text = attempt(0)
    if len(text) <= budget:
        return text
    low, high, fitting = 1, len(SACRIFICES) - 1, None
    while low <= high:  # the smallest step that fits; every later step is shorter
        middle = (low + high) // 2
        text = attempt(middle)
        if len(text) <= budget:
            fitting, high = text, middle - 1
        else:
            low = middle + 1
    if fitting is not None:
        return fitting
    text = attempt(len(SACRIFICES) - 1)
    return text[: budget - 40].rsplit("\n", 1)[0] + "\n\n(report cut to fit GitHub's limit)\n"


def _compile(template: str | None) -> Any:
    from jinja2 import StrictUndefined
    from jinja2 import TemplateError as JinjaError
    from jinja2.sandbox import SandboxedEnvironment
    from markupsafe import Markup

    escaped: dict[str, str] = {}  # the same rows are rendered at several budget steps

    def finalize(value: object) -> object:
        # The one place data becomes Markdown: escaped, unless built as safe Markdown.
        if isinstance(value, Markup):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        text = str(value)
        if text not in escaped:
            escaped[text] = for_markdown(text, limit=1000)
        return escaped[text]

    environment = SandboxedEnvironment(
        autoescape=False,
        undefined=StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        keep_trailing_newline=True,
    )
    source = template if template is not None else _default_template()
    try:
        return environment.from_string(source)
    except JinjaError as error:
        raise TemplateError(f"the template does not compile: {error}") from None


def _generate(compiled: Any, context: Mapping[str, Any], budget: int) -> str:
    """Render, stopping once the output passes `budget` or the time runs out."""
    from jinja2 import TemplateError as JinjaError

    deadline = time.monotonic() + RENDER_SECONDS
    parts: list[str] = []
    size = 0
    try:
        chunks: Iterator[str] = compiled.generate(context)
        for chunk in chunks:
            parts.append(chunk)
            size += len(chunk)
            if size > budget:
                break
            if time.monotonic() > deadline:
                raise TemplateError(f"the template took longer than {RENDER_SECONDS:.0f} s")
    except JinjaError as error:
        raise TemplateError(f"the template failed: {error}") from None
    return "".join(parts)


def _default_template() -> str:
    return (files("tmcheck") / "templates" / "report.md.j2").read_text(encoding="utf-8")
