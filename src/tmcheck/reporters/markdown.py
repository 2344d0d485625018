"""`markdown`: the report a reviewer reads, rendered from a Jinja2 template in a sandbox.

The same Markdown is the PR comment, the check-run summary and the job summary. Templates are
the package's own or one the repository configures; file content is only ever data in them:
every value printed with `{{ }}` goes through the Markdown escaper unless the code built it as
safe Markdown (links and code spans), and the output is cut by a budget, never mid-table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any
from urllib.parse import quote

from tmcheck.escape import for_markdown, for_markdown_code
from tmcheck.findings import Finding, RunResult
from tmcheck.model import LEVEL_RANK, Threat
from tmcheck.reporters.sandbox import DEFAULT_SECONDS, compile_template, generate, render_isolated

MARKER_PREFIX = "<!-- tmcheck:report"
# GitHub's limit for an issue comment; the check-run summary allows one character less.
COMMENT_LIMIT = 65_536
SUMMARY_LIMIT = 65_535
_ROW_LIMITS = (None, 500, 200, 100, 50, 20, 10, 5, 1, 0)


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
) -> str:
    """The report, as long as it fits in `budget` characters (rows are dropped, not cut).

    A configured `template` is rendered in a separate process with hard limits (see
    `sandbox`); it raises TemplateError when it fails, breaks the sandbox or takes too much."""
    contexts = report_contexts(result, links or Links(), name, notes)
    text = ""
    if template is not None:
        text = render_isolated(template, list(contexts), budget)
    else:
        compiled = compile_template(_default_template())
        for context in contexts:
            text = generate(compiled, context, budget, DEFAULT_SECONDS)
            if len(text) <= budget:
                break
    if len(text) <= budget:
        return text
    return text[: budget - 40].rsplit("\n", 1)[0] + "\n\n(report cut to fit GitHub's limit)\n"


def report_contexts(
    result: RunResult, links: Links, name: str, notes: Sequence[str]
) -> Iterator[dict[str, Any]]:
    """Everything the template shows, computed here so templates only lay it out: first with
    every row, then with fewer and fewer rows per table (rows are built once)."""
    from markupsafe import Markup

    blocking = sorted(result.blocking_threats, key=_severity)
    other_open = sorted((t for t in result.open_threats if not t.blocking), key=_severity)
    findings = [f for f in result.findings if f.rule != "blocking-threat"]
    if blocking:
        icon, verdict = (
            "\u274c",
            f"{_count(len(blocking), 'open threat')} at or above the threshold",
        )
    elif result.errors:
        icon, verdict = "\u274c", f"{_count(result.errors, 'error')} in the threat models"
    elif result.open_threats:
        icon, verdict = "\u2705", "no open threat reaches the threshold"
    else:
        icon, verdict = "\u2705", "no open threats"
    headline = (
        f"{_count(len(result.files), 'threat-model file')} checked:"
        f" {_count(len(result.threats), 'threat')}, {len(result.open_threats)} open,"
        f" {len(blocking)} blocking (open and scoring {result.threshold} or more)."
    )
    if not result.open_threats and result.threats:
        headline += " Nothing is open any more."
    rows = {
        "blocking": [_threat_row(t, links, Markup) for t in blocking],
        "open": [_threat_row(t, links, Markup) for t in other_open],
        "findings": [_finding_row(f, links, Markup) for f in findings],
    }
    fixed = {
        "marker": Markup(marker(name)),
        "icon": Markup(icon),
        # Our own words and numbers only: safe as they are.
        "verdict": Markup(verdict),
        "headline": Markup(headline),
        "counts": {
            "blocking": len(blocking),
            "other_open": len(other_open),
            "findings": len(findings),
        },
        "notes": list(notes),
        "footer": f"threshold {result.threshold}",
    }
    for limit in _ROW_LIMITS:
        yield {
            **fixed,
            "blocking_rows": rows["blocking"][:limit],
            "blocking_hidden": _hidden(rows["blocking"], limit),
            "open_rows": rows["open"][:limit],
            "open_hidden": _hidden(rows["open"], limit),
            "finding_rows": rows["findings"][:limit],
            "findings_hidden": _hidden(rows["findings"], limit),
        }


def _threat_row(threat: Threat, links: Links, safe: Any) -> dict[str, Any]:
    entry = threat.entry
    return {
        "id": safe(for_markdown_code(entry.id)) if entry.id else "",
        "title": entry.title,
        "component": entry.component or "",
        "category": threat.category or entry.category or "",
        "rating": threat.rating,
        "level": threat.level or "unrated",
        "status": entry.status if isinstance(entry.status, str) else threat.status,
        "owner": entry.owner or "",
        "where": safe(links.to(entry.path, entry.line)),
    }


def _finding_row(finding: Finding, links: Links, safe: Any) -> dict[str, Any]:
    return {
        "level": finding.level,
        "rule": safe(for_markdown_code(finding.rule)),
        "where": safe(links.to(finding.path, finding.line)),
        "message": finding.message,
    }


def _severity(threat: Threat) -> tuple[int, int, str, int]:
    rank = LEVEL_RANK.get(threat.level or "", -1)
    return (-(threat.score or 0), -rank, threat.entry.path, threat.entry.line)


def _hidden(rows: Sequence[object], limit: int | None) -> int:
    return max(0, len(rows) - limit) if limit is not None else 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _default_template() -> str:
    return (files("tmcheck") / "templates" / "report.md.j2").read_text(encoding="utf-8")
