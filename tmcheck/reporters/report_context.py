"""What the Markdown report shows, computed in Python so that templates only lay it out.

Reviewer first: a one-line verdict with its numbers, what the change did to the threats, the
blocking threats, the heat map, the data-flow diagram, and the rest folded. Every string that
came from a file is left as a plain `str`, which the renderer escapes; what is built here as
Markdown (links, code spans, our own words and tables) is `Markup`, escaped piece by piece.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from tmcheck.diff import CHANGE_KINDS, Comparison, ThreatChange, count_by_kind
from tmcheck.escape import for_markdown, for_markdown_code
from tmcheck.findings import Finding
from tmcheck.model import RISK_RANK, Threat
from tmcheck.reporters.generated import generated_summary, is_freshly_generated
from tmcheck.reporters.heatmap import heat_map, heat_map_table
from tmcheck.reporters.links import Links
from tmcheck.reporters.mermaid import data_flow_diagram
from tmcheck.results import RunResult
from tmcheck.wording import plural

# Mermaid refuses more than 500 edges, and GitHub will not draw a huge text well either.
DIAGRAM_MAX_CHARS = 30_000
DIAGRAM_MAX_EDGES = 500
KIND_LABELS = {
    "reopened": "\U0001f501 reopened",
    "new": "\U0001f195 new",
    "raised": "\U0001f53a raised",
    "changed": "\u270f\ufe0f changed",
    "lowered": "\U0001f53d lowered",
    "resolved": "\u2705 resolved",
    "removed": "\u2796 removed",
}


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of each section one rendering shows (None: all of it)."""

    folded: int | None = None  # rows of each folded table
    diagram: bool = True
    changes: int | None = None
    blocking: int | None = None


_STEPS = (500, 200, 100, 50, 20, 10)
# The order of sacrifices when the report is too long for its budget (GitHub allows 65,536
# characters in a comment): first the folded tables (other open threats, older threats under
# gate: new, findings) shrink, then the diagram goes, then the folded tables go, then the
# changes shrink, and the blocking threats, what fails the build, are cut last. The verdict,
# the headline and the heat map (about 1 KB whatever the number of threats) always stay.
SACRIFICES: tuple[Limits, ...] = (
    Limits(),
    *(Limits(folded=n) for n in _STEPS),
    Limits(folded=10, diagram=False),
    Limits(folded=0, diagram=False),
    *(Limits(folded=0, diagram=False, changes=n) for n in _STEPS),
    *(Limits(folded=0, diagram=False, changes=10, blocking=n) for n in (*_STEPS, 5, 1)),
    Limits(folded=0, diagram=False, changes=0, blocking=0),
)


def report_context(
    result: RunResult,
    links: Links,
    marker: str,
    notes: Sequence[str],
    pull_request: int | None = None,
) -> dict[str, Any]:
    """Everything the template shows, with every row; `limited` cuts it to a budget step."""
    comparison = result.comparison if result.comparison and result.comparison.commit else None
    changes = list(comparison.changes) if comparison else []
    kind_of = {id(change.after): change.kind for change in changes if change.after is not None}
    fresh = [file for file in result.files if is_freshly_generated(file)]
    summarised = {file.path for file in fresh}  # their blocking threats are counted, not listed
    blocking = sorted(result.blocking_threats, key=_severity)
    listed = [threat for threat in blocking if threat.entry.path not in summarised]
    debt = sorted(result.debt, key=_severity)
    in_debt = {id(threat) for threat in debt}
    other_open = sorted(
        (t for t in result.open_threats if not t.blocking and id(t) not in in_debt), key=_severity
    )
    findings = [f for f in result.findings if f.rule != "blocking-threat"]
    icon, verdict = _verdict(result, blocking, kind_of if comparison else None)
    context: dict[str, Any] = {
        "marker": Markup(marker),
        "icon": Markup(icon),
        "verdict": Markup(verdict),
        "headline": Markup(_headline(result, debt)),
        "changes": None,
        "blocking": _section([_threat_row(t, links, kind_of) for t in listed]),
        "generated": [generated_summary(file) for file in fresh],
        "heat_map": Markup(heat_map_table(heat_map(result.threats), result.threshold))
        if result.open_threats
        else None,
        "diagram": None,
        "diagram_note": None,
        "other_open": _section([_threat_row(t, links, kind_of) for t in other_open]),
        "debt": _section([_threat_row(t, links, kind_of) for t in debt]),
        "findings": _section([_finding_row(f, links) for f in findings]),
        "notes": list(notes),
        "footer": Markup(_footer(result, comparison)),
    }
    if comparison is not None:
        where = "in this pull request" if pull_request is not None else "since the base"
        counts = ", ".join(f"{n} {kind}" for kind, n in count_by_kind(changes).items())
        context["changes"] = {
            "title": Markup(
                f"Changes {where} ({len(changes)})" + (f": {counts}" if counts else "")
            ),
            "base": Markup(for_markdown_code(str(comparison.commit)[:12])),
            **_section([_change_row(change, links) for change in changes]),
        }
    context.update(_diagram(result, changes))
    return context


def limited(context: dict[str, Any], limits: Limits) -> dict[str, Any]:
    """The context with each section cut to `limits`, saying how many rows were left out."""
    view = dict(context)
    for key, limit in (
        ("blocking", limits.blocking),
        ("other_open", limits.folded),
        ("debt", limits.folded),
        ("findings", limits.folded),
        ("changes", limits.changes),
    ):
        section = context[key]
        if section is not None and limit is not None:
            rows = section["rows"]
            view[key] = {**section, "rows": rows[:limit], "hidden": max(0, len(rows) - limit)}
    if limits.blocking is not None:
        view["generated"] = [
            {**model, "rows": model["rows"][: limits.blocking],
             "hidden": max(0, len(model["rows"]) - limits.blocking)}
            for model in context["generated"]
        ]  # fmt: skip
    if not limits.diagram and context["diagram"] is not None:
        view["diagram"] = None
        view["diagram_note"] = Markup("The data-flow diagram was left out to fit GitHub's limit.")
    return view


def _section(rows: list[dict[str, Any]]) -> dict[str, Any]:
    # A threat table has a Change column when one of its threats changed.
    with_change = any(row.get("change") for row in rows)
    return {"rows": rows, "total": len(rows), "hidden": 0, "with_change": with_change}


def _verdict(
    result: RunResult, blocking: Sequence[Threat], kind_of: dict[int, str] | None
) -> tuple[str, str]:
    """The icon and the one line that says whether the change blocks, and why; `kind_of` (the
    change of each threat that changed) only when there is a base to compare with."""
    threshold = result.threshold
    other_errors = result.errors - sum(1 for f in result.findings if f.rule == "blocking-threat")
    if blocking:
        text = f"tmcheck blocks: {plural(len(blocking), 'open threat')} at or above the threshold"
        text += f" {threshold}"
        if kind_of is not None:
            kinds = Counter(kind_of.get(id(t), "unchanged") for t in blocking)
            order = [*CHANGE_KINDS, "unchanged"]
            text += " (" + ", ".join(f"{kinds[k]} {k}" for k in order if kinds[k]) + ")"
        if other_errors:
            text += f", and {plural(other_errors, 'other error')}"
        return "\u274c", text
    if other_errors:
        return "\u274c", f"tmcheck blocks: {plural(other_errors, 'error')} in the threat models"
    if result.no_threat_models:
        return "\u26a0\ufe0f", "tmcheck found no threat model: nothing was checked"
    if not result.open_threats:
        return "\u2705", "tmcheck passes: no open threats"
    text = f"tmcheck passes: no open threat blocks at the threshold {threshold}"
    if result.debt:
        text += (
            f" ({plural(len(result.debt), 'older threat')} at or above it, not blocking under"
            " gate: new)"
        )
    return "\u2705", text


def _headline(result: RunResult, debt: Sequence[Threat]) -> str:
    text = (
        f"{plural(len(result.files), 'threat-model file')} checked:"
        f" {plural(len(result.threats), 'threat')}, {len(result.open_threats)} open,"
        f" {len(result.blocking_threats)} blocking."
    )
    if result.gate == "new":
        text += (
            f" Gate **new**: only what this change introduced can block;"
            f" {plural(len(debt), 'older open threat')} at or above the threshold"
            f" {'does' if len(debt) == 1 else 'do'} not."
        )
    if not result.open_threats and result.threats:
        text += " Nothing is open any more."
    return text


def _footer(result: RunResult, comparison: Comparison | None) -> str:
    parts = [f"threshold {result.threshold}", f"gate {result.gate}"]
    if comparison is not None:
        parts.append(f"compared with {for_markdown_code(str(comparison.commit)[:12])}")
    return " \u00b7 ".join(parts)


def _change_row(change: ThreatChange, links: Links) -> dict[str, Any]:
    threat = change.threat
    if change.after is None:
        where = Markup(for_markdown(f"{change.path}:{change.line}") + " (base)")
    else:
        where = Markup(links.to(change.path, change.line))
    return {
        "kind": Markup(KIND_LABELS[change.kind]),
        "id": Markup(for_markdown_code(threat.id)) if threat.id else "",
        "title": threat.entry.title,
        "component": threat.entry.component or "",
        "detail": Markup(change.describe(escape=for_markdown, arrow=" \u2192 ")),
        "blocks": Markup("\u274c") if change.after is not None and change.after.blocking else "",
        "where": where,
    }


def _threat_row(threat: Threat, links: Links, kind_of: dict[int, str]) -> dict[str, Any]:
    entry = threat.entry
    return {
        "change": Markup(KIND_LABELS[kind_of[id(threat)]]) if id(threat) in kind_of else "",
        "id": Markup(for_markdown_code(entry.id)) if entry.id else "",
        "title": entry.title,
        "component": entry.component or "",
        "category": ", ".join(threat.categories or entry.categories),
        "rating": threat.rating,
        "level": threat.risk_level or "unrated",
        "status": entry.status if isinstance(entry.status, str) else threat.status,
        "owner": entry.owner or "",
        "where": Markup(links.to(entry.path, entry.line)),
    }


def _finding_row(finding: Finding, links: Links) -> dict[str, Any]:
    return {
        "level": finding.level,
        "rule": Markup(for_markdown_code(finding.rule)),
        "where": Markup(links.to(finding.path, finding.line)),
        "message": finding.message,
    }


def _diagram(result: RunResult, changes: Sequence[ThreatChange]) -> dict[str, Any]:
    elements = [element for file in result.files for element in file.elements]
    changed_threats = [t for c in changes for t in (c.before, c.after) if t is not None]
    comparison = result.comparison
    changed_elements = comparison.elements if comparison else ()
    diagram = data_flow_diagram(elements, result.threats, changed_threats, changed_elements)
    if diagram is None:
        note = "No data-flow diagram: no architecture file or Threat Dragon diagram was checked."
        return {"diagram": None, "diagram_note": Markup(note)}
    if len(diagram.text) > DIAGRAM_MAX_CHARS or diagram.edges > DIAGRAM_MAX_EDGES:
        note = (
            f"The data-flow diagram ({plural(diagram.nodes, 'element')},"
            f" {plural(diagram.edges, 'flow')}) is too large to draw here."
        )
        return {"diagram": None, "diagram_note": Markup(note)}
    return {"diagram": Markup(diagram.text), "diagram_note": None}


def _severity(threat: Threat) -> tuple[int, int, str, int]:
    rank = RISK_RANK.get(threat.risk_level or "", -1)
    return (-(threat.score or 0), -rank, threat.entry.path, threat.entry.line)
