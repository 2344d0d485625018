"""`json`: the version-1 machine-readable report (a public interface, see README)."""

from __future__ import annotations

import json
from typing import Any

from tmcheck.coverage import ElementCoverage
from tmcheck.findings import RunResult
from tmcheck.model import Threat

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
    if result.coverage:  # added in version 1: only runs with architecture have it
        report["coverage"] = [coverage_dict(row) for row in result.coverage]
    return report


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
