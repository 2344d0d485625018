"""`markdown`: the report a reviewer reads, rendered from a Jinja2 template in a sandbox.

The same Markdown is the PR comment, the check-run summary and the job summary. Templates are
the package's own or one the repository configures; file content is only ever data in them:
every value printed with `{{ }}` goes through the Markdown escaper unless the code built it as
safe Markdown (links and code spans), and the output is cut by a budget, never mid-table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files

from tmcheck.reporters.links import Links
from tmcheck.reporters.report_context import SACRIFICES, limited, report_context
from tmcheck.reporters.sandbox import (
    DEFAULT_SECONDS,
    TemplateError,
    compile_template,
    generate,
    render_isolated,
)
from tmcheck.results import RunResult

MARKER_PREFIX = "<!-- tmcheck:report"
# GitHub's limits: an issue comment holds 65,536 characters; a check run's summary 65,535 bytes
# of UTF-8 (GitHub answers "exceeds a maximum bytesize"), so a report in another script than
# Latin needs a smaller budget there.
COMMENT_LIMIT = 65_536
SUMMARY_LIMIT = 65_535
CHECK_RUN_BYTES = 65_535
_FIT_ATTEMPTS = 8

__all__ = [
    "CHECK_RUN_BYTES", "COMMENT_LIMIT", "SUMMARY_LIMIT", "Links", "Report", "TemplateError",
    "fit_bytes", "marker", "render_report",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Report:
    """One report for each sink: the comment and job summary (characters), the check run's
    summary (bytes)."""

    comment: str
    check_run: str


def fit_bytes(render: Callable[[int], str], first: str, limit: int) -> str:
    """`first`, or the report rendered again with a budget (in characters) small enough that
    its UTF-8 fits in `limit` bytes: the same sacrifice order, never a table cut in the middle."""
    text = first
    budget = len(first)
    for _ in range(_FIT_ATTEMPTS):
        size = len(text.encode("utf-8"))
        if size <= limit:
            return text
        budget = max(1, budget * limit // size - 64)
        text = render(budget)
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    cut = encoded[: limit - 64].decode("utf-8", "ignore")
    return cut.rsplit("\n", 1)[0] + "\n\n(report cut to fit GitHub's limit)\n"


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
    context = report_context(result, links or Links(), marker(name), notes, pull_request)
    if template is not None:
        # A repository's template runs in a child process with hard limits (see `sandbox`).
        steps = [limited(context, step) for step in SACRIFICES]
        text = render_isolated(template, steps, budget)
        if len(text) <= budget:
            return text
        return _cut(text, budget)
    compiled = compile_template(_default_template())

    def attempt(step: int) -> str:
        return generate(compiled, limited(context, SACRIFICES[step]), budget, DEFAULT_SECONDS)

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
    return _cut(attempt(len(SACRIFICES) - 1), budget)


def _cut(text: str, budget: int) -> str:
    return text[: budget - 40].rsplit("\n", 1)[0] + "\n\n(report cut to fit GitHub's limit)\n"


def _default_template() -> str:
    return (files("tmcheck") / "templates" / "report.md.j2").read_text(encoding="utf-8")
