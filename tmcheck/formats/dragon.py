"""`threat-dragon`: OWASP Threat Dragon models, v2 and v1, and diagrams whose cells list ids.

v2 keeps each cell's threats under `cells[].data.threats[]`, v1 under `diagramJson.cells[]` on
the cell itself; a simplified shape lists threat ids (strings) defined in other files.
Every cell that is an actor, process, store, flow or boundary is also an architecture element.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tmcheck.formats import dragon_geometry as geometry
from tmcheck.formats.fields import items, mapping, text, title_of
from tmcheck.formats.parsed import Parsed
from tmcheck.model import Element, Reference, ThreatEntry
from tmcheck.parsing.tree import Document

FORMAT = "threat-dragon"

_KINDS = {
    "tm.Actor": "external_entity",
    "tm.Process": "process",
    "tm.Store": "datastore",
    "tm.Flow": "flow",
    "tm.Boundary": "boundary",
    "tm.BoundaryBox": "boundary",
}


def matches(data: Mapping[str, Any]) -> bool:
    detail = data.get("detail")
    return isinstance(detail, dict) and isinstance(detail.get("diagrams"), list)


def read(document: Document, path: str) -> Parsed:
    entries: list[ThreatEntry] = []
    references: list[Reference] = []
    elements: list[Element] = []
    diagrams = mapping(document.data.get("detail")).get("diagrams")
    for index, diagram in enumerate(diagrams if isinstance(diagrams, list) else []):
        if not isinstance(diagram, dict):
            continue
        cells_path: tuple[str | int, ...] = ("detail", "diagrams", index, "cells")
        cells = diagram.get("cells")
        if not isinstance(cells, list):  # v1
            cells_path = ("detail", "diagrams", index, "diagramJson", "cells")
            cells = mapping(diagram.get("diagramJson")).get("cells")
        methodology = text(diagram.get("diagramType")) or "STRIDE"
        diagram_read = _read_cells(document, path, cells, cells_path, methodology)
        entries.extend(diagram_read.entries)
        references.extend(diagram_read.references)
        elements.extend(diagram_read.elements)
    return Parsed(entries=tuple(entries), references=tuple(references), elements=tuple(elements))


def _read_cells(
    document: Document,
    path: str,
    cells: Any,
    cells_path: tuple[str | int, ...],
    methodology: str,
) -> Parsed:
    """The threats, the threat ids named and the elements of one diagram's cells."""
    entries: list[ThreatEntry] = []
    references: list[Reference] = []
    elements: list[Element] = []
    names: dict[str, str] = {}
    boxes: list[tuple[str, geometry.Rectangle]] = []
    centres: dict[str, geometry.Point] = {}
    shapes: list[tuple[Mapping[str, Any], Mapping[str, Any], str, tuple[int, int], int]] = []
    for cell_index, cell, position, _ in items(document, cells, cells_path):
        data = cell["data"] if isinstance(cell.get("data"), dict) else cell
        kind = _KINDS.get(text(data.get("type")) or "")
        if kind is None:
            continue
        name = _name_of(cell, data) or f"{kind} {cell_index + 1}"
        cell_id = text(cell.get("id"))
        rectangle = geometry.rectangle(cell)
        if cell_id:
            names[cell_id] = name
            if rectangle:
                centres[cell_id] = geometry.centre(rectangle)
        if text(data.get("type")) == "tm.BoundaryBox" and rectangle:
            boxes.append((name, rectangle))
        shapes.append((cell, data, kind, position, cell_index))
    lines = [
        geometry.line_points(cell, centres)
        for cell, data, _, _, _ in shapes
        if text(data.get("type")) == "tm.Boundary"
    ]

    for cell, data, kind, (line, column), cell_index in shapes:
        name = _name_of(cell, data) or f"{kind} {cell_index + 1}"
        threats_path = (
            *cells_path,
            cell_index,
            *(("data",) if data is not cell else ()),
            "threats",
        )
        threat_ids: list[str] = []
        threats = data.get("threats")
        threat_marks = document.source.marks_of(threats) or []
        for threat_index, threat in enumerate(threats if isinstance(threats, list) else []):
            if isinstance(threat, str):
                where = (
                    threat_marks[threat_index]
                    if threat_index < len(threat_marks)
                    else (line, column)
                )
                references.append(Reference("threat", threat, path, where[0], where[1], name))
                threat_ids.append(threat)
        for _, item, (t_line, t_column), positions in items(document, threats, threats_path):
            entry = _entry(item, path, t_line, t_column, name, methodology, positions)
            entries.append(entry)
            if entry.id:
                threat_ids.append(entry.id)
        rectangle = geometry.rectangle(cell) if kind not in ("flow", "boundary") else None
        elements.append(
            Element(
                name=name,
                kind=kind,
                path=path,
                line=line,
                column=column,
                boundary=geometry.boundary_box_of(geometry.centre(rectangle), boxes)
                if rectangle
                else None,
                source=_end_name(cell, "source", names),
                target=_end_name(cell, "target", names),
                crosses_boundary=kind == "flow" and _crosses(cell, data, centres, boxes, lines),
                threat_ids=tuple(threat_ids),
                protocol=text(data.get("protocol")) or None,
                out_of_scope=data.get("outOfScope") is True,
            )
        )
    return Parsed(entries=tuple(entries), references=tuple(references), elements=tuple(elements))


def _crosses(
    cell: Mapping[str, Any],
    data: Mapping[str, Any],
    centres: Mapping[str, geometry.Point],
    boxes: list[tuple[str, geometry.Rectangle]],
    lines: list[list[geometry.Point]],
) -> bool:
    """A flow crosses a trust boundary over a public network, between two boundary boxes, or
    where its path meets a boundary line."""
    if data.get("isPublicNetwork") is True:
        return True
    path = geometry.line_points(cell, centres)
    if len(path) < 2:
        return False
    if geometry.boundary_box_of(path[0], boxes) != geometry.boundary_box_of(path[-1], boxes):
        return True
    return geometry.crosses(path, lines)


def _entry(
    item: Mapping[str, Any],
    path: str,
    line: int,
    column: int,
    component: str,
    methodology: str,
    positions: Mapping[str, tuple[int, int]],
) -> ThreatEntry:
    return ThreatEntry(
        path=path,
        line=line,
        column=column,
        format=FORMAT,
        id=text(item.get("id")) or text(item.get("threatId")),
        title=title_of(item, "title", "description"),
        component=component,
        category=text(item.get("type")),
        methodology=text(item.get("modelType")) or methodology,
        severity=item.get("severity"),
        score_text=item.get("score"),
        status=item.get("status"),
        owner=text(item.get("owner")),
        mitigation=text(item.get("mitigation")),
        positions=positions,
    )


def _end_name(cell: Mapping[str, Any], end: str, names: Mapping[str, str]) -> str | None:
    """The name of the cell a flow starts or ends at (v2 writes `cell`, v1 writes `id`)."""
    link = mapping(cell.get(end))
    return names.get(text(link.get("cell")) or text(link.get("id")) or "")


def _name_of(cell: Mapping[str, Any], data: Mapping[str, Any]) -> str | None:
    candidates = [data.get("name"), cell.get("name")]
    candidates.append(mapping(mapping(cell.get("attrs")).get("text")).get("text"))  # v1
    labels = cell.get("labels")
    if isinstance(labels, list) and labels and isinstance(labels[0], dict):  # v1 flows
        candidates.append(mapping(mapping(labels[0].get("attrs")).get("text")).get("text"))
    for candidate in candidates:
        value = text(candidate)
        if value and value.strip():
            return " ".join(value.split())
    return None
