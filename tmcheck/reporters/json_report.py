"""`json`: the version-1 machine-readable report (a public interface, see README)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from json.encoder import encode_basestring
from typing import IO, TYPE_CHECKING, Any

from tmcheck.coverage import ElementCoverage
from tmcheck.model import Threat
from tmcheck.results import RunResult

if TYPE_CHECKING:
    from tmcheck.diff import ThreatChange

VERSION = 1


def render(result: RunResult) -> str:
    stream = io.StringIO()
    write(result, stream)
    return stream.getvalue()


def write(result: RunResult, stream: IO[str]) -> None:
    """Write the report to `stream` one item at a time, byte for byte what
    `json.dumps(to_dict(result), indent=2, ensure_ascii=False)` gives, without building it: a
    run over 10,000 files holds neither 100,000 threat dicts nor one 80 MB string."""
    stream.write("{")
    for index, (key, value) in enumerate(_sections(result)):
        stream.write(f"{',' if index else ''}\n  {_ENCODER.encode(key)}: ")
        if isinstance(value, Iterator):
            _write_list(value, stream)
        else:
            stream.write(_nested(value, "\n  "))
    stream.write("\n}\n")


def to_dict(result: RunResult) -> dict[str, Any]:
    return {
        key: list(value) if isinstance(value, Iterator) else value
        for key, value in _sections(result)
    }


def _sections(result: RunResult) -> Iterator[tuple[str, Any]]:
    """The report's keys in order; the long lists as iterators of their items."""
    yield "version", VERSION
    yield "passed", result.passed
    yield "threshold", result.threshold
    yield (
        "files",
        (
            {"path": f.path, "format": f.format, "valid": f.valid, "threats": len(f.threats)}
            for f in result.files
        ),
    )
    yield "threats", (threat_dict(threat) for threat in result.threats)
    yield (
        "findings",
        (
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
        ),
    )
    yield (
        "summary",
        {
            "files": len(result.files),
            "threats": len(result.threats),
            "open": len(result.open_threats),
            "blocking": len(result.blocking_threats),
            "errors": result.errors,
            "warnings": result.warnings,
            "notes": result.notes,
        },
    )
    if result.comparison is not None:  # only with --base: the output stays as it was without
        yield "base", result.comparison.commit
        yield "gate", result.gate
        yield "changes", (change_dict(change) for change in result.comparison.changes)
    if result.coverage:  # added in version 1: only runs with architecture have it
        yield "coverage", (coverage_dict(row) for row in result.coverage)


def _write_list(items: Iterator[Any], stream: IO[str]) -> None:
    empty = True
    for item in items:
        stream.write(f"{'[' if empty else ','}\n    {_nested(item, _ITEM_INDENT)}")
        empty = False
    stream.write("[]" if empty else "\n  ]")


def _nested(value: Any, indent: str) -> str:
    """`value` encoded as it reads nested where the line breaks are followed by `indent`
    (JSON strings never hold a raw line break, so every one is the encoder's)."""
    if type(value) is dict and value:
        flat = _flat_object(value, indent)
        if flat is not None:
            return flat
    return _ENCODER.encode(value).replace("\n", indent)


def _flat_object(value: dict[str, Any], indent: str) -> str | None:
    """What the encoder writes for an object of strings, integers, booleans and nulls (every
    file, threat and finding), a few times faster; None for anything else."""
    members = []
    for key, member in value.items():
        kind = type(member)
        if kind is str:
            encoded = _string(member)
        elif kind is int:
            encoded = int.__repr__(member)
        elif member is None or kind is bool:
            encoded = _CONSTANTS[member]
        else:
            return None
        members.append(f"{_string(key)}: {encoded}")
    inner = indent + "  "
    return f"{{{inner}{f',{inner}'.join(members)}{indent}}}"


_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False)
_string = encode_basestring  # what the encoder uses for strings with ensure_ascii=False
_CONSTANTS = {None: "null", True: "true", False: "false"}
_ITEM_INDENT = "\n    "


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
        "categories": list(threat.categories),
        "title": entry.title,
        "likelihood": threat.likelihood,
        "impact": threat.impact,
        "score": threat.score,
        "level": threat.risk_level,
        "level_model": threat.level_model,
        "status": threat.status,
        "status_raw": entry.status if isinstance(entry.status, str) else None,
        "open": threat.open,
        "blocking": threat.blocking,
        "owner": entry.owner,
    }
