"""`json`: the version-1 machine-readable report (a public interface, see README)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tmcheck.coverage import ElementCoverage
from tmcheck.findings import RunResult
from tmcheck.model import Threat

if TYPE_CHECKING:
    from tmcheck.diff import ThreatChange

VERSION = 1


def render(result: RunResult) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"


def to_dict(result: RunResult) -> dict[str, Any]:
    report = {
        "version": VERSION,
        "passed": result.passed,
        "threshold": result.threshold,
        "files": [
            {"path": f.path, "format": f.format, "valid": f.valid, "threats": len(f.threats)}
            for f in result.files
        ],
        "threats": [threat_dict(threat) for threat in result.threats],
        "findings": [
            {
                "rule": f.rule,
                "level": f.level,
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "message": f.message,
                "threat_id": f.threat_id,
            }
            for f in result.findings
        ],
        "summary": {
            "files": len(result.files),
            "threats": len(result.threats),
            "open": len(result.open_threats),
            "blocking": len(result.blocking_threats),
            "errors": result.errors,
            "warnings": result.warnings,
        },
    }
    if result.comparison is not None:  # only with --base: the output stays as it was without
        report["base"] = result.comparison.commit
        report["gate"] = result.gate
        report["changes"] = [change_dict(change) for change in result.comparison.changes]
    if result.coverage:  # added in version 1: only runs with architecture have it
        report["coverage"] = [coverage_dict(row) for row in result.coverage]
    return report


def change_dict(change: ThreatChange) -> dict[str, Any]:
    return {
        "id": change.id,
        "path": change.path,
        "line": change.line,
        "change": change.kind,
        "title": change.title,
        "fields": list(change.fields),
        "score_before": change.score_before,
        "score_after": change.score_after,
        "level_before": change.level_before,
        "level_after": change.level_after,
        "status_before": change.status_before,
        "status_after": change.status_after,
    }


def coverage_dict(row: ElementCoverage) -> dict[str, Any]:
    element = row.element
    return {
        "element": element.name,
        "kind": element.kind,
        "path": element.path,
        "line": element.line,
        "crosses_boundary": element.crosses_boundary,
        "applicable": list(row.applicable),
        "covered": list(row.covered),
        "missing": list(row.missing),
        "threats": {
            category: [threat.id for threat in threats]
            for category, threats in row.threats.items()
            if threats
        },
    }


def threat_dict(threat: Threat) -> dict[str, Any]:
    entry = threat.entry
    return {
        "id": entry.id,
        "path": entry.path,
        "line": entry.line,
        "component": entry.component,
        "category": threat.category,
        "title": entry.title,
        "likelihood": threat.likelihood,
        "impact": threat.impact,
        "score": threat.score,
        "level": threat.level,
        "level_model": threat.level_model,
        "status": threat.status,
        "status_raw": entry.status if isinstance(entry.status, str) else None,
        "open": threat.open,
        "blocking": threat.blocking,
        "owner": entry.owner,
    }
