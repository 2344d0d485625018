"""The `## Threats` table of a Markdown threat model: header names to fields, rows to threats.

Header names match case-insensitively and in any order; columns tmcheck does not know are kept
out of the way, not refused. A row with the wrong number of cells, a table without an ID or a
STRIDE column, and a row without an ID or a category are `markdown-table` errors at their line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tmcheck.findings import Finding
from tmcheck.formats.markdown_table import Cell, split_row
from tmcheck.model import Position, ThreatEntry
from tmcheck.scoring import word_key

RULE = "markdown-table"
FORMAT = "markdown"

# Header words (compared by `word_key`) -> the ThreatEntry field they fill.
COLUMNS: Mapping[str, str] = {
    "id": "id", "threat id": "id", "ref": "id",
    "component": "component", "element": "component",
    "stride": "category", "category": "category", "stride category": "category",
    "threat type": "category",
    "title": "title", "threat": "title",
    "description": "description",
    "risk": "risk", "risk level": "risk", "rating": "risk",
    "likelihood": "likelihood", "impact": "impact",
    "risk score": "risk_score", "score": "risk_score",
    "mitigation": "mitigation", "mitigations": "mitigation", "controls": "mitigation",
    "control": "mitigation",
    "status": "status", "owner": "owner", "library": "library",
    "approver": "approver", "reason": "reason", "expires": "expires",
    "ticket": "ticket", "issue": "ticket", "identified": "identified", "date": "identified",
}  # fmt: skip
REQUIRED = {"id": "ID", "category": "STRIDE"}
_NUMBER = re.compile(r"\d{1,2}\Z")


def read_table(
    lines: list[str],
    header_index: int,
    end: int,
    path: str,
    metadata: Mapping[str, str],
    findings: list[Finding],
) -> list[ThreatEntry]:
    """Threat entries from the table whose header is `lines[header_index]` (rows up to `end`)."""
    header = split_row(lines[header_index])
    header_line = header_index + 1
    delimiter = split_row(lines[header_index + 1])
    if len(delimiter) != len(header):
        findings.append(
            _error(
                path, header_line + 1, 1,
                f"the delimiter row has {len(delimiter)} cells and the header {len(header)};"
                " GitHub shows no table",
            )
        )  # fmt: skip
        return []
    columns = _columns(header, path, header_line, findings)
    if columns is None:
        return []
    entries = []
    for index in range(header_index + 2, end):
        line = lines[index]
        cells = split_row(line)
        if len(cells) != len(header):
            findings.append(
                _error(
                    path, index + 1, len(line) - len(line.lstrip()) + 1,
                    f"this row has {len(cells)} cells and the header {len(header)}"
                    " (a | inside a cell is written \\|)",
                )
            )  # fmt: skip
            continue
        entries.append(_entry(cells, columns, path, index + 1, line, metadata, findings))
    return entries


def _columns(
    header: list[Cell], path: str, line: int, findings: list[Finding]
) -> dict[str, int] | None:
    """Field -> column index; None (with a finding) when a required column is missing."""
    columns: dict[str, int] = {}
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = word_key(cell.text)
        if key in seen:
            findings.append(
                _error(path, line, cell.column, f"the column {cell.text!r} appears twice")
            )
            continue
        seen[key] = index
        field = COLUMNS.get(key)
        if field and field not in columns:
            columns[field] = index
    missing = [name for field, name in REQUIRED.items() if field not in columns]
    if missing:
        have = ", ".join(cell.text for cell in header)
        findings.append(
            _error(
                path, line, header[0].column,
                f"the Threats table has no {' or '.join(missing)} column (its columns: {have})",
            )
        )  # fmt: skip
        return None
    return columns


def _entry(
    cells: list[Cell],
    columns: Mapping[str, int],
    path: str,
    line: int,
    raw: str,
    metadata: Mapping[str, str],
    findings: list[Finding],
) -> ThreatEntry:
    values = {field: cells[index].text or None for field, index in columns.items()}
    positions: dict[str, Position] = {
        field: (line, cells[index].column) for field, index in columns.items()
    }
    for field, name in REQUIRED.items():
        if values[field] is None:
            column = positions[field][1]
            findings.append(_error(path, line, column, f"this row has no {name} value"))
    acceptance = {key: values[key] for key in ("approver", "reason", "expires") if values.get(key)}
    if acceptance:
        positions["acceptance"] = positions[next(iter(acceptance))]
    library = values.get("library")
    return ThreatEntry(
        path=path,
        line=line,
        column=len(raw) - len(raw.lstrip()) + 1,
        format=FORMAT,
        id=values["id"],
        title=values.get("title") or values.get("description") or "",
        component=values.get("component") or metadata.get("component"),
        category=values["category"],
        likelihood=_number_or_text(values.get("likelihood")),
        impact=_number_or_text(values.get("impact")),
        risk_score=_number_or_text(values.get("risk_score")),
        risk=_number_or_text(values.get("risk")),
        status=values.get("status"),
        owner=values.get("owner") or metadata.get("owner"),
        mitigation=values.get("mitigation"),
        library=tuple(re.split(r"[\s,]+", library.strip())) if library else (),
        acceptance=acceptance or None,
        ticket=values.get("ticket"),
        identified=values.get("identified"),
        positions=positions,
    )


def _number_or_text(value: str | None) -> int | str | None:
    """`15` is a number (a score or a 1-5 rating); `HIGH` and `4 x 5` stay text."""
    return int(value) if value is not None and _NUMBER.match(value) else value


def _error(path: str, line: int, column: int, message: str) -> Finding:
    return Finding(path, line, column, RULE, "error", message)
